"""The stand-in's API plumbing: the route table, request helpers, errors and the JSON shapes.

Every object is written in the key names of spec §5-§8 (origin_name, presigned_url, polygon /
line / point, label objects inside shapes); the route modules only choose rows.
"""

import json
import re

from store import SHAPE_KINDS

ROUTES = []
MAX_LIMIT = 1000  # spec §1.6: the SDK never asks for more; the stand-in refuses more
# [?] spec §1.6: the server's default page is unknown; the stand-in uses the maximum page.
DEFAULT_LIMIT = 1000
ANNOTATION_STATUSES = ("PENDING", "SKIPPED", "ACCEPTED", "REFUSED")
INFERENCE_TYPES = ("NOT_CONFIGURED", "CLASSIFICATION", "OBJECT_DETECTION", "SEGMENTATION",
                   "POINT", "KEYPOINT", "LINE", "MULTI")
PLURAL = {k: k + "s" for k in SHAPE_KINDS}
KIND_OF = {v: k for k, v in PLURAL.items()}


class ApiError(Exception):
    """An answer other than success: becomes {"message", "detail"} with STATUS."""

    def __init__(self, status, message, detail=None, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.detail = detail
        self.headers = headers or {}


def route(methods, pattern):
    """Registers a handler for METHODS on PATTERN ({name} matches one path segment)."""
    regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "/?$")

    def deco(fn):
        ROUTES.append((tuple(methods.split()), regex, fn))
        return fn
    return deco


def find_route(method, path):
    """Returns (handler, params) or raises 404/405 as the platform would."""
    allowed = []
    for methods, regex, fn in ROUTES:
        m = regex.match(path)
        if m:
            if method in methods:
                return fn, m.groupdict()
            allowed.extend(methods)
    if allowed:
        raise ApiError(405, "Method not allowed: %s %s" % (method, path),
                       "allowed: " + ", ".join(sorted(set(allowed))))
    raise ApiError(404, "Not found", "no route for %s %s" % (method, path))


class Req:
    """One API request as the handlers see it."""

    def __init__(self, app, method, path, params, query, body, user):
        self.app = app
        self.method = method
        self.path = path
        self.p = params
        self.query = query
        self.body = body
        self.user = user
        self.db = app.store.conn()

    def q(self, name, default=None):
        values = self.query.get(name)
        return values[0] if values else default

    def qlist(self, name):
        return self.query.get(name, [])

    def qbool(self, name):
        """Query booleans come as True/False (spec §1.1); true/false/1/0 are taken too."""
        value = self.q(name)
        if value is None:
            return None
        low = value.lower()
        if low in ("true", "1"):
            return True
        if low in ("false", "0"):
            return False
        raise ApiError(400, "Invalid boolean", "%s=%r: expected True or False" % (name, value))

    def page(self):
        """(limit, offset) from the query; a limit over 1000 is refused and recorded."""
        limit = _int_param(self.q("limit"), "limit", DEFAULT_LIMIT)
        offset = _int_param(self.q("offset"), "offset", 0)
        if limit > MAX_LIMIT:
            self.app.violation("limit over %d" % MAX_LIMIT, self.method, self.path,
                               "limit=%d" % limit)
            raise ApiError(400, "Limit too high", "limit must be at most %d, got %d"
                           % (MAX_LIMIT, limit))
        if limit < 0 or offset < 0:
            raise ApiError(400, "Invalid page", "limit and offset must not be negative")
        return limit, offset

    def obj(self):
        """The JSON body as an object ({} when absent); 400 when it is anything else."""
        if self.body is None:
            return {}
        if not isinstance(self.body, dict):
            raise ApiError(400, "Invalid body", "expected a JSON object")
        return self.body

    def id_list(self):
        """A bare JSON array of ids (tag attach/detach, annotation load)."""
        if not isinstance(self.body, list) or not all(isinstance(x, str) for x in self.body):
            raise ApiError(400, "Invalid body", "expected a JSON array of ids")
        return self.body


def _int_param(value, name, default):
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ApiError(400, "Invalid %s" % name, "%s=%r is not an integer" % (name, value))


def one(db, sql, args, what):
    row = db.execute(sql, args).fetchone()
    if row is None:
        raise ApiError(404, "%s not found" % what, "no %s matches" % what.lower())
    return row


def envelope(items, count):
    return {"items": items, "count": count}


def marks(values):
    return ",".join("?" * len(values))


def chunks(values, size=500):
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i:i + size]


def order_clause(req, columns, default="seq"):
    """ORDER BY from repeated order_by keys; a leading '-' is descending.
    [?] spec §3.3: the syntax is unknown; this is the stand-in's choice. The row sequence is
    always the last key, so pages are stable."""
    parts = []
    for key in req.qlist("order_by"):
        desc = key.startswith("-")
        name = key.lstrip("-+")
        if name not in columns:
            raise ApiError(400, "Invalid order_by", "cannot sort by %r (known: %s)"
                           % (name, ", ".join(sorted(columns))))
        parts.append(columns[name] + (" DESC" if desc else ""))
    parts.append(default)
    return " ORDER BY " + ", ".join(parts)


# ---- JSON shapes -------------------------------------------------------------------------

def tag_json(row):
    return {"id": row["id"], "name": row["name"], "target_type": row["target_type"],
            "created_at": row["created_at"]}


def tags_of(db, ids):
    """{target id: [tag json]} for every id in IDS (one query per 500 ids)."""
    out = {i: [] for i in ids}
    for part in chunks(out.keys()):
        for row in db.execute("SELECT l.target_id AS target, t.* FROM tag_links l JOIN tags t "
                              "ON t.id=l.tag_id WHERE l.target_id IN (%s) ORDER BY t.seq"
                              % marks(part), part):
            out[row["target"]].append(tag_json(row))
    return out


def data_json(app, row, tags=None, prefix=""):
    """A data item (spec §5.1) from a row of `datas` (columns possibly PREFIXed)."""
    g = lambda k: row[prefix + k]  # noqa: E731
    done = g("upload_status") == "DONE"
    out = {"id": g("id"), "object_name": g("object_name"), "filename": g("filename"),
           "type": g("type"), "content_type": g("content_type"),
           "upload_status": g("upload_status"),
           "presigned_url": app.presign(g("object_name")) if done else None,
           "metadata": json.loads(g("metadata")) if g("metadata") else None,
           "custom_metadata": json.loads(g("custom_metadata")) if g("custom_metadata") else None,
           "meta": {"width": g("width") if done else 0, "height": g("height") if done else 0},
           "datalake_id": g("datalake_id"), "data_source": None,
           "created_at": g("created_at")}
    if tags is not None:
        out["tags"] = tags
    return out


ASSET_SELECT = ("SELECT a.seq AS seq, a.id AS id, a.version_id AS version_id, "
                "a.created_at AS created_at, d.id AS d_id, d.datalake_id AS d_datalake_id, "
                "d.filename AS d_filename, d.object_name AS d_object_name, d.type AS d_type, "
                "d.content_type AS d_content_type, d.upload_status AS d_upload_status, "
                "d.width AS d_width, d.height AS d_height, d.metadata AS d_metadata, "
                "d.custom_metadata AS d_custom_metadata, d.created_at AS d_created_at")


def assets_json(app, db, rows):
    """Assets (spec §6.5) for ASSET_SELECT rows: data inside, asset tags and data tags."""
    tags = tags_of(db, [r["id"] for r in rows] + [r["d_id"] for r in rows])
    return [{"id": r["id"], "dataset_version_id": r["version_id"],
             "data": data_json(app, r, tags[r["d_id"]], "d_"), "tags": tags[r["id"]],
             "created_at": r["created_at"]} for r in rows]


def annotation_json(row):
    return {"id": row["id"], "duration": float(row["duration"] or 0.0), "status": row["status"],
            "asset_id": row["asset_id"], "dataset_version_id": row["version_id"],
            "created_at": row["created_at"]}


def label_json(row):
    return {"id": row["id"], "name": row["name"], "group_id": row["group_id"]}


def labels_of(db, ids):
    out = {}
    for part in chunks(set(ids)):
        for row in db.execute("SELECT * FROM labels WHERE id IN (%s)" % marks(part), part):
            out[row["id"]] = label_json(row)
    return out


def shape_body(row):
    """The kind-specific keys of a shape (spec §7.3 key names)."""
    kind = row["kind"]
    if kind == "rectangle":
        return {"x": row["x"], "y": row["y"], "w": row["w"], "h": row["h"]}
    coords = json.loads(row["coords"]) if row["coords"] else None
    if kind in ("polygon", "line"):
        return {kind: coords}
    if kind == "point":
        return {"point": coords, "order": row["ord"]}
    return {}


def shape_json(row, labels):
    """A shape with its label object embedded (spec §7.3)."""
    out = {"id": row["id"], "label": labels.get(row["label_id"]), "text": row["text"],
           "annotation_id": row["annotation_id"]}
    out.update(shape_body(row))
    return out


def shapes_by_annotation(db, ann_ids):
    """{annotation id: {"rectangles": [rows], ...}} for ANN_IDS."""
    out = {a: {PLURAL[k]: [] for k in SHAPE_KINDS} for a in ann_ids}
    for part in chunks(out.keys()):
        for row in db.execute("SELECT * FROM shapes WHERE annotation_id IN (%s) ORDER BY seq"
                              % marks(part), part):
            out[row["annotation_id"]][PLURAL[row["kind"]]].append(row)
    return out


def version_json(db, row):
    camp = db.execute("SELECT id FROM campaigns WHERE version_id=?", (row["id"],)).fetchone()
    ds = db.execute("SELECT name FROM datasets WHERE id=?", (row["dataset_id"],)).fetchone()
    return {"id": row["id"], "origin_name": ds["name"] if ds else None,
            "origin_id": row["dataset_id"], "version": row["version"],
            "description": row["description"], "type": row["type"],
            "annotation_campaign_id": camp["id"] if camp else None,
            "locked": bool(row["locked"]), "tags": tags_of(db, [row["id"]])[row["id"]],
            "created_at": row["created_at"]}


def dataset_json(db, row, with_tags=False):
    out = {"id": row["id"], "name": row["name"], "description": row["description"],
           "created_at": row["created_at"]}
    if with_tags:
        out["tags"] = tags_of(db, [row["id"]])[row["id"]]
    return out


def campaign_json(row):
    return {"id": row["id"], "dataset_version_id": row["version_id"], "name": row["name"],
            "description": row["description"], "instructions_text": row["instructions_text"],
            "instructions_object_name": None, "end_date": row["end_date"],
            "auto_add_new_assets": bool(row["auto_add_new_assets"]),
            "auto_close_on_completion": bool(row["auto_close_on_completion"]),
            "is_closed": bool(row["is_closed"]), "created_at": row["created_at"]}


def step_json(db, row):
    assignees = [{"user_id": r["user_id"], "weight": r["weight"]} for r in db.execute(
        "SELECT * FROM step_assignees WHERE step_id=? ORDER BY rowid", (row["id"],))]
    return {"id": row["id"], "campaign_id": row["campaign_id"], "name": row["name"],
            "order": row["ord"], "type": row["type"], "description": row["description"],
            "sample_rate": row["sample_rate"], "assignees": assignees}


def assignment_json(row):
    """[A] spec §12.1: the assignment object."""
    if row is None:
        return None
    return {"id": row["id"], "asset_id": row["asset_id"], "step_id": row["step_id"],
            "user_id": row["user_id"], "status": row["status"],
            "rejected_count": row["rejected_count"], "comment": row["comment"]}
