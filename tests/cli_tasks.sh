#!/bin/sh
# Campaign work from the command line against the stand-in Picsellia server, alice and bob each
# with their own config and cache: ls campaigns and ls steps compared with the server's own
# answers, alice's 30 tasks with the returned ones first, alice submits, bob rejects with a
# comment, alice finds the task first with the comment; the same decisions made with the server
# down and sent when it is back; the server asked for each assignment's and annotation's
# status; clear refusals; and a local campaign on a small local dataset through to export.
. "${top_srcdir:-.}/tests/lib.sh"
need_python3
unset PICSELLIA_HOST PICSELLIA_TOKEN PICSELLIA_ORGANIZATION USER

standin_start --seed small || { ok 1 "the stand-in server starts"; done_testing; }
U=$STANDIN_URL
PORT=${U##*:}

# as WHO ARGS...: annotty with WHO's own home, config and cache
as() {
	who=$1; shift
	mkdir -p "$T/$who/home"
	HOME="$T/$who/home" XDG_CONFIG_HOME="$T/$who/config" XDG_CACHE_HOME="$T/$who/cache" \
		XDG_DATA_HOME="$T/$who/data" "$ANNOTTY" "$@"
}

# api WHAT [ARGS]: the server's own answers, asked as alice
cat > "$T/api.py" <<'PY'
import json, sys, urllib.request
base, what, args = sys.argv[1], sys.argv[2], sys.argv[3:]
def get(path):
    req = urllib.request.Request(base + path, headers={"Authorization": "Bearer alice-token"})
    return json.load(urllib.request.urlopen(req))
def items(path):
    return get(path + ("&" if "?" in path else "?") + "limit=1000")["items"]
org = get("/api/organizations/find?name=demo-org")["id"]
ds = [d for d in items("/api/organization/%s/datasets" % org) if d["name"] == "cars"][0]
v1 = [v for v in items("/api/dataset/%s/versions" % ds["id"]) if v["version"] == "v1"][0]
users = {u["id"]: u["username"] for u in get("/api/access/organization/%s/users" % org)["users"]}
me = [i for i, n in users.items() if n == "alice"][0]
if what == "campaigns":     # as ls campaigns --json has them
    c = get("/api/campaigns/annotation/%s" % v1["annotation_campaign_id"])
    print(json.dumps([{"id": c["id"], "name": c["name"], "dataset": "cars/v1",
                       "instructions": c["instructions_text"], "closed": c["is_closed"]}]))
elif what == "steps":       # each step with its assignees and its assets' latest task per status
    out = []
    for s in items("/api/campaigns/annotation/%s/steps" % v1["annotation_campaign_id"]):
        counts = dict.fromkeys(["pending_mine", "pending_others", "submitted", "accepted",
                                "rejected", "skipped"], 0)
        for a in items("/api/dataset/version/%s/assets?assignment_step_id=%s" % (v1["id"], s["id"])):
            g = a["assignment"]
            key = g["status"].lower()
            if key == "pending":
                key = "pending_mine" if g["user_id"] == me else "pending_others"
            counts[key] += 1
        out.append({"id": s["id"], "name": s["name"], "type": s["type"], "order": s["order"],
                    "assignees": sorted(users[a["user_id"]] + " " + a["user_id"] for a in s["assignees"]),
                    "counts": counts})
    print(json.dumps(out))
elif what == "tasks":       # alice's pending assignment ids
    for a in items("/api/dataset/version/%s/assets?assignment_user_id=%s&assignment_status=PENDING" % (v1["id"], me)):
        print(a["assignment"]["id"])
elif what == "others":      # the id of a task pending for someone else
    for a in items("/api/dataset/version/%s/assets?assignment_status=PENDING" % v1["id"]):
        if a["assignment"]["user_id"] not in (None, me):
            print(a["assignment"]["id"])
            break
elif what == "assignment":  # status rejected_count comment
    g = get("/api/campaigns/annotation/assignments/%s" % args[0])
    print(g["status"], g["rejected_count"], g["comment"])
elif what == "annotation":  # an asset's latest annotation status
    anns = items("/api/asset/%s/annotations" % args[0])
    print(anns[-1]["status"] if anns else "NONE")
PY
api() { "$PYTHON3" "$T/api.py" "$U" "$@"; }
# field FILE INDEX EXPR: a value of the INDEXth object of a JSON array (python expression on t)
field() { "$PYTHON3" -c 'import json,sys; t=json.load(open(sys.argv[1]))[int(sys.argv[2])]; print(eval(sys.argv[3]))' "$@"; }

printf 'alice-token\n' | as alice login --host "$U" --organization demo-org > /dev/null 2>&1 &&
	printf 'bob-token\n' | as bob login --host "$U" --organization demo-org > /dev/null 2>&1
ok $? "alice and bob log in, each with a config of their own"
as alice sync > "$T/out" 2> "$T/err"; r=$?; [ $r -eq 0 ] || sed 's/^/#   /' "$T/err"
ok $r "alice syncs"

# ---- ls campaigns and ls steps against the server --------------------------------------------
as alice ls campaigns --json > "$T/c.json" 2> "$T/err"; ok $? "ls campaigns --json exits 0"
api campaigns > "$T/c.server"
"$PYTHON3" - "$T/c.json" "$T/c.server" <<'PY'
import json, sys
mine, server = (json.load(open(f)) for f in sys.argv[1:3])
got = [{k: c[k] for k in ("id", "name", "dataset", "instructions", "closed")} for c in mine]
assert got == server, (got, server)
assert mine[0]["step_count"] == 2 and mine[0]["local"] is False, mine
PY
ok $? "ls campaigns has the server's campaign: id, version, instructions"
as alice ls steps --json --dataset cars/v1 > "$T/s.json" 2> "$T/err"; ok $? "ls steps --json exits 0"
api steps > "$T/s.server"
"$PYTHON3" - "$T/s.json" "$T/s.server" <<'PY'
import json, sys
mine, server = (json.load(open(f)) for f in sys.argv[1:3])
assert len(mine) == len(server) == 2, (mine, server)
for m, s in zip(mine, server):
    for k in ("id", "name", "type", "order", "counts"):
        assert m[k] == s[k], (k, m[k], s[k])
    assert m["task_count"] == sum(s["counts"].values())
    # a user the cache knows by name is listed by name, else by id
    want = sorted(n if n == "alice" else i for n, i in (a.split() for a in s["assignees"]))
    assert sorted(m["assignees"]) == want, (m["assignees"], s["assignees"])
assert mine[0]["counts"]["pending_mine"] == 30 and mine[1]["counts"]["pending_others"] == 15
PY
r=$?; [ $r -eq 0 ] || sed 's/^/#   /' "$T/s.json" "$T/s.server"
ok $r "ls steps has the server's steps in order: type, assignees, tasks per status"
as alice ls steps > "$T/out" 2>&1 && grep -q "	0	Annotate	ANNOTATION	alice	mine 30, others 0, submitted 23" "$T/out"
ok $? "ls steps in text says the same"

# ---- alice's queue --------------------------------------------------------------------------
as alice ls tasks --json > "$T/t.json" 2> "$T/err"; ok $? "ls tasks --json exits 0"
"$PYTHON3" - "$T/t.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
assert len(t) == 30, len(t)
assert [x["rejected_count"] for x in t[:3]] == [1, 1, 1], t[:3]
assert all(x["comment"] == "The truck's box is too loose" for x in t[:3]), t[:3]
assert all(x["rejected_count"] == 0 and x["comment"] is None for x in t[3:])
assert all(x["status"] == "PENDING" and x["step"] == "Annotate" and x["dataset"] == "cars/v1"
           and x["asset"]["id"] and x["asset"]["filename"] for x in t)
PY
ok $? "alice has 30 tasks, the 3 returned ones first with their comments"
"$PYTHON3" -c 'import json,sys; [print(t["id"]) for t in json.load(open(sys.argv[1]))]' "$T/t.json" | sort > "$T/t.ids"
api tasks | sort > "$T/t.server"
cmp -s "$T/t.ids" "$T/t.server"; ok $? "their ids are the server's assignment ids"

id=$(field "$T/t.json" 3 't["id"]') file=$(field "$T/t.json" 3 't["asset"]["filename"]')
asset=$(field "$T/t.json" 3 't["asset"]["id"]')
as alice task accept --dataset cars/v1 "$id" > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "an annotate step's task is submitted or skipped" "$T/err" && [ ! -s "$T/out" ]
ok $? "accepting an annotate task is refused, saying what fits (exit 2)"
as alice task submit --dataset cars/v1 nope.png > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] && grep -q "no task or asset has the id or file name nope.png" "$T/err"
ok $? "an unknown task is refused (exit 1)"
review=$(api others)
as alice task submit --dataset cars/v1 "$id" --duration 12 > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 0 ] && grep -q "($file): submitted" "$T/out" && grep -q "time spent: 12 s" "$T/out" &&
	grep -q "annotty sync sends it" "$T/out"
r=$?; [ $r -eq 0 ] || sed 's/^/#   /' "$T/out" "$T/err"
ok $r "alice submits a task by its id"
as alice task submit --dataset cars/v1 "$file" > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] && grep -q "$file: this task is SUBMITTED already, not pending" "$T/err"
ok $? "submitting it again (by file name) says it is no longer pending (exit 1)"
[ "$(as alice ls tasks --dataset cars/v1 | wc -l)" -eq 29 ] && ! as alice ls tasks | grep -q "^$id	"
ok $? "her queue has 29 tasks left at once"
as alice sync > "$T/out" 2> "$T/err" && [ "$(api assignment "$id")" = "SUBMITTED 0 None" ]
ok $? "her sync sends it: the server has the assignment SUBMITTED"

# ---- bob rejects it with a comment ------------------------------------------------------------
as bob sync > /dev/null 2> "$T/err"; ok $? "bob syncs"
as bob ls tasks --json --dataset cars/v1 > "$T/b.json"
rid=$("$PYTHON3" -c '
import json, sys
print([t["id"] for t in json.load(open(sys.argv[1])) if t["asset"]["filename"] == sys.argv[2]][0])' "$T/b.json" "$file")
[ -n "$rid" ] && [ "$(field "$T/b.json" 0 't["step"]')" = Review ]
ok $? "bob has it in his review queue"
as bob task submit --dataset cars/v1 "$rid" > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "a review step's task is accepted, rejected or skipped" "$T/err"
ok $? "submitting a review task is refused, saying what fits"
as bob task reject --dataset cars/v1 "$rid" --comment "box too loose" > "$T/out" 2> "$T/err"
grep -q "task $rid ($file): rejected: box too loose" "$T/out"; ok $? "bob rejects it with a comment"
as bob sync > /dev/null 2>&1 && [ "$(api assignment "$rid")" = "REJECTED 0 box too loose" ] &&
	[ "$(api annotation "$asset")" = REFUSED ]
ok $? "his sync sends it: the assignment REJECTED with the comment, the annotation REFUSED"
as alice sync > /dev/null 2>&1 && as alice ls tasks --json > "$T/t2.json"
[ "$(field "$T/t2.json" 0 't["asset"]["filename"], t["rejected_count"], t["comment"]')" = "('$file', 1, 'box too loose')" ]
r=$?; [ $r -eq 0 ] || head -c 600 "$T/t2.json" | sed 's/^/#   /'
ok $r "alice syncs and finds the task first, with bob's comment"
id2=$(field "$T/t2.json" 0 't["id"]')
[ "$id2" != "$id" ] && [ "$(api assignment "$id2")" = "PENDING 1 box too loose" ]
ok $? "under the server's new assignment id"

# ---- the same decisions with the server down --------------------------------------------------
standin_stop
as alice task submit --dataset cars/v1 "$file" > "$T/out" 2> "$T/err"; ok $? "alice submits it again with the server down"
as alice sync > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] && grep -q "cannot reach" "$T/err"; ok $? "her sync fails meanwhile, saying why (exit 1)"
standin_start --port "$PORT" || ok 1 "the stand-in restarts on its state"
as alice sync > "$T/out" 2> "$T/err" && grep -q "1 edit pushed" "$T/out" &&
	[ "$(api assignment "$id2")" = "SUBMITTED 1 box too loose" ]
r=$?; [ $r -eq 0 ] || sed 's/^/#   /' "$T/out" "$T/err"
ok $r "once it is back her sync sends the submit"
as bob sync > /dev/null 2>&1
rid2=$(as bob ls tasks --json --dataset cars/v1 | "$PYTHON3" -c '
import json, sys
print([t["id"] for t in json.load(sys.stdin) if t["asset"]["filename"] == sys.argv[1]][0])' "$file")
standin_stop
as bob task reject --dataset cars/v1 "$rid2" --comment "still loose" > /dev/null 2>&1 &&
	! as bob ls tasks --dataset cars/v1 | grep -q "^$rid2	"
ok $? "bob rejects it with the server down: gone from his queue at once"
standin_start --port "$PORT" || ok 1 "the stand-in restarts on its state"
as bob sync > /dev/null 2>&1 && [ "$(api assignment "$rid2")" = "REJECTED 1 still loose" ]
ok $? "his sync sends it when the server is back"
as alice sync > /dev/null 2>&1 && as alice ls tasks --json > "$T/t3.json"
[ "$(field "$T/t3.json" 0 't["asset"]["filename"], t["rejected_count"], t["comment"]')" = "('$file', 2, 'still loose')" ]
ok $? "alice finds it first again, returned twice, with the new comment"
as alice task submit --dataset cars/v1 "$file" > /dev/null 2>&1 && as alice sync > /dev/null 2>&1 &&
	as bob sync > /dev/null 2>&1
rid3=$(as bob ls tasks --json --dataset cars/v1 | "$PYTHON3" -c '
import json, sys
print([t["id"] for t in json.load(sys.stdin) if t["asset"]["filename"] == sys.argv[1]][0])' "$file")
standin_stop
as bob task accept --dataset cars/v1 "$file" > "$T/out" 2>&1; ok $? "bob accepts it offline (by file name)"
standin_start --port "$PORT" || ok 1 "the stand-in restarts on its state"
as bob sync > /dev/null 2>&1 && [ "$(api assignment "$rid3")" = "ACCEPTED 2 None" ] &&
	[ "$(api annotation "$asset")" = ACCEPTED ]
ok $? "the server has the assignment ACCEPTED and the annotation ACCEPTED"
as alice task submit --dataset cars/v1 "$review" > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] && grep -q "^annotty: task $review (.*): this task is not yours$" "$T/err"
r=$?; [ $r -eq 0 ] || sed 's/^/#   /' "$T/err"
ok $r "a task of someone else's (by its id) is refused as not yours (exit 1)"

# ---- a local campaign on a small local dataset ------------------------------------------------
mkdir -p "$T/local"
"$PYTHON3" - "$T/local/instances.json" <<'PY'
import json, sys
json.dump({"images": [{"id": i, "file_name": "img%d.jpg" % i, "width": 64, "height": 48}
                      for i in range(1, 9)],
           "categories": [{"id": 1, "name": "car"}],
           "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4]}]},
          open(sys.argv[1], "w"))
PY
L="$T/local/instances.json"
as carol campaign start --rate 0.5 "$L" > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 0 ] && grep -q "local campaign started on instances: 4 tasks for me" "$T/out"
r=$?; [ $r -eq 0 ] || sed 's/^/#   /' "$T/out" "$T/err"
ok $r "campaign start --rate 0.5 puts half of the 8 assets in a local campaign"
as carol campaign start "$L" > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] && grep -q "has a campaign already" "$T/err"; ok $? "starting another is refused"
as carol campaign start --rate 2 "$L" > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "^annotty: --rate takes the share" "$T/err"; ok $? "a rate over 1 is a usage error"
as carol ls campaigns --json "$L" | "$PYTHON3" -c '
import json, sys
c = json.load(sys.stdin)
assert len(c) == 1 and c[0]["local"] is True and c[0]["step_count"] == 2 and c[0]["instructions"], c'
ok $? "ls campaigns SOURCE has the local campaign with its instructions"
as carol ls tasks --json "$L" > "$T/l.json" 2> "$T/err"
[ "$("$PYTHON3" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/l.json")" = 4 ]
ok $? "ls tasks SOURCE lists its 4 tasks"
lid=$(field "$T/l.json" 0 't["id"]') lfile=$(field "$T/l.json" 0 't["asset"]["filename"]')
as carol task submit "$L" "$lid" > "$T/out" 2> "$T/err" && grep -q "annotty export writes it" "$T/out"
ok $? "task submit SOURCE ID submits one"
as carol task reject "$L" "$lfile" --comment "box too loose" > /dev/null 2>&1
as carol ls steps --json "$L" | "$PYTHON3" -c '
import json, sys
a, r = json.load(sys.stdin)
assert a["name"] == "Annotate" and a["counts"]["pending_mine"] == 4 and a["assignees"] == ["me"], a
assert r["name"] == "Review" and r["counts"]["rejected"] == 1, r'
ok $? "the reviewer's reject sends it back to Annotate (ls steps SOURCE)"
as carol export --format coco "$L" "$T/out.json" > /dev/null 2>&1
"$PYTHON3" - "$T/out.json" "$lfile" <<'PY'
import json, sys
imgs = {i["file_name"]: i for i in json.load(open(sys.argv[1]))["images"]}
t = imgs[sys.argv[2]]["annotty_task"]
assert t == {"step": "Annotate", "status": "PENDING", "rejected_count": 1, "comment": "box too loose"}, t
assert sum("annotty_task" in i for i in imgs.values()) == 4
assert imgs[sys.argv[2]]["annotty_status"] == "rejected"
PY
ok $? "export writes each task as annotty_task, the returned one with its comment"
done_testing
