"""[A] Campaign task routes (spec §12): submit, accept, reject and skip an assignment.

Nothing here is in the SDK: it is this project's assumption of how the platform finishes a task,
implemented exactly as §12.2 states it. Every choice §12 leaves open is marked [A] below.
"""

import time
import uuid

from api import ApiError, assignment_json, route
from routes_write import get, unlocked

ACTIONS_FOR = {"ANNOTATION": ("submit", "skip"), "REVIEW": ("accept", "reject", "skip")}


def _now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _lowest_load(c, step_id):
    """[A] the step's assignee with the fewest PENDING tasks in it (per unit of weight);
    ties go to the assignee listed first. None when the step has no assignee."""
    best, best_load = None, None
    for row in c.execute("SELECT user_id, weight FROM step_assignees WHERE step_id=? "
                         "ORDER BY rowid", (step_id,)).fetchall():
        pending = c.execute("SELECT count(*) FROM assignments WHERE is_current=1 AND step_id=? "
                            "AND user_id=? AND status='PENDING'",
                            (step_id, row["user_id"])).fetchone()[0]
        load = pending / (row["weight"] or 1.0)
        if best_load is None or load < best_load:
            best, best_load = row["user_id"], load
    return best


def _new_assignment(c, asset_id, step_id, user_id, rejected_count, comment):
    ident = str(uuid.uuid4())
    c.execute("UPDATE assignments SET is_current=0 WHERE asset_id=?", (asset_id,))
    c.execute("INSERT INTO assignments(id, asset_id, step_id, user_id, status, rejected_count, "
              "comment, is_current, created_at, updated_at) VALUES(?,?,?,?,'PENDING',?,?,1,?,?)",
              (ident, asset_id, step_id, user_id, rejected_count, comment, _now(), _now()))
    return get(c, "assignments", ident, "Assignment")


def _set_latest_annotation(c, asset_id, status=None, add_duration=None):
    ann = c.execute("SELECT * FROM annotations WHERE asset_id=? ORDER BY seq DESC LIMIT 1",
                    (asset_id,)).fetchone()
    if ann is None:
        return  # [A] an asset with no annotation: the decision moves the task only
    c.execute("UPDATE annotations SET status=?, duration=? WHERE id=?",
              (status or ann["status"], (ann["duration"] or 0) + (add_duration or 0), ann["id"]))


def _move_on(c, a, step):
    """The asset goes to the next step's assignee; after the last step it is done and the
    finished assignment stays its current one."""
    nxt = c.execute("SELECT * FROM steps WHERE campaign_id=? AND ord>? ORDER BY ord LIMIT 1",
                    (step["campaign_id"], step["ord"])).fetchone()
    if nxt is None:
        return None
    # [A] rejected_count travels with the asset; a new step starts without a comment.
    return _new_assignment(c, a["asset_id"], nxt["id"], _lowest_load(c, nxt["id"]),
                           a["rejected_count"], None)


def _send_back(c, a, step, comment):
    """Reject: back to the previous ANNOTATION step, to the user who did it."""
    prev = c.execute("SELECT * FROM steps WHERE campaign_id=? AND ord<? AND type='ANNOTATION' "
                     "ORDER BY ord DESC LIMIT 1", (step["campaign_id"], step["ord"])).fetchone()
    if prev is None:
        raise ApiError(400, "Nothing to send back to", "no ANNOTATION step before this one")
    did = c.execute("SELECT * FROM assignments WHERE asset_id=? AND step_id=? AND "
                    "status='SUBMITTED' ORDER BY seq DESC LIMIT 1",
                    (a["asset_id"], prev["id"])).fetchone()
    # [A] if nobody submitted that step (it was skipped), the step's lowest load gets it.
    user = did["user_id"] if did is not None else _lowest_load(c, prev["id"])
    count = max(a["rejected_count"] or 0, (did["rejected_count"] or 0) if did else 0) + 1
    return _new_assignment(c, a["asset_id"], prev["id"], user, count, comment)


def _check(c, req, a, step, action):
    """404 unknown, 403 not the caller's, 400 wrong step type, 409 not PENDING any more.
    [A] the order of these checks is the stand-in's."""
    if a["user_id"] != req.user["id"]:
        raise ApiError(403, "Not your task", "this assignment is not assigned to you")
    if action not in ACTIONS_FOR.get(step["type"], ()):
        raise ApiError(400, "Wrong step type", "%s does not apply to a %s step"
                       % (action, step["type"]))
    if a["status"] != "PENDING":
        raise ApiError(409, "Task already done", "this assignment is %s, not PENDING"
                       % a["status"])


@route("POST", "/api/campaigns/annotation/assignments/{id}/(?P<action>submit|accept|reject|skip)")
def task_action(req):
    action = req.p["action"]
    body = req.obj()
    comment = body.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise ApiError(400, "Invalid comment", "comment must be a string")
    duration = body.get("duration")
    if duration is not None and (isinstance(duration, bool) or
                                 not isinstance(duration, (int, float)) or duration < 0):
        raise ApiError(400, "Invalid duration", "duration must be a non-negative number")
    with req.app.store.write() as c:
        a = get(c, "assignments", req.p["id"], "Assignment")
        step = get(c, "steps", a["step_id"], "Step")
        camp = get(c, "campaigns", step["campaign_id"], "Campaign")
        _check(c, req, a, step, action)
        unlocked(c, camp["version_id"])
        status = {"submit": "SUBMITTED", "accept": "ACCEPTED", "reject": "REJECTED",
                  "skip": "SKIPPED"}[action]
        c.execute("UPDATE assignments SET status=?, comment=coalesce(?, comment), updated_at=? "
                  "WHERE id=?", (status, comment if action == "reject" else None, _now(),
                                 a["id"]))
        if action == "skip":
            # [A] the asset stays in the step, assigned to nobody: this assignment, user null.
            c.execute("UPDATE assignments SET user_id=NULL WHERE id=?", (a["id"],))
            return 200, {"assignment": assignment_json(get(c, "assignments", a["id"], "x"))}
        if action == "reject":
            _set_latest_annotation(c, a["asset_id"], "REFUSED")
            new = _send_back(c, a, step, comment)
        else:
            # [A] a submit's duration is added to the asset's latest annotation.
            _set_latest_annotation(c, a["asset_id"], "ACCEPTED" if action == "accept" else None,
                                   duration)
            new = _move_on(c, a, step)
        return 200, {"assignment": assignment_json(new)}
