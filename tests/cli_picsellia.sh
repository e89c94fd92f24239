#!/bin/sh
# The command line against the stand-in Picsellia server: login with a right and a wrong token,
# the credentials file private (and refused when it is not), the PICSELLIA_* environment without
# login, sync then ls compared with the server's own answers, a tag and an accept made with the
# server killed and sent after it came back, errors clear and (with --json) JSON, and the token
# in no file annotty writes besides the credentials.
. "${top_srcdir:-.}/tests/lib.sh"
need_python3
# a developer's own platform settings must not reach the tests
unset PICSELLIA_HOST PICSELLIA_TOKEN PICSELLIA_ORGANIZATION

standin_start --seed small || { ok 1 "the stand-in server starts"; done_testing; }
U=$STANDIN_URL
PORT=${U##*:}
creds="$XDG_CONFIG_HOME/annotty/credentials"

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
def version(ds_name, v_name):
    ds = [d for d in items("/api/organization/%s/datasets" % org) if d["name"] == ds_name][0]
    return [v for v in items("/api/dataset/%s/versions" % ds["id"]) if v["version"] == v_name][0]
if what == "datasets":      # name, then each version with its asset count
    for d in sorted(items("/api/organization/%s/datasets" % org), key=lambda d: d["name"]):
        for v in sorted(items("/api/dataset/%s/versions" % d["id"]), key=lambda v: v["version"]):
            n = get("/api/dataset/version/%s/assets?limit=1" % v["id"])["count"]
            print("%s %s %d" % (d["name"], v["version"], n))
elif what == "assets":      # the file names of a version
    v = version(args[0], args[1])
    for a in sorted(items("/api/dataset/version/%s/assets" % v["id"]), key=lambda a: a["data"]["filename"]):
        print(a["data"]["filename"])
elif what == "data":        # the datalake's file names
    lake = get("/api/organization/%s/datalake" % org)
    for d in sorted(items("/api/datalake/%s/datas" % lake["id"]), key=lambda d: d["filename"]):
        print(d["filename"])
elif what == "asset":       # an asset's latest annotation status and its tags
    a = get("/api/asset/%s" % args[0])
    anns = items("/api/asset/%s/annotations" % args[0])
    print(anns[-1]["status"] if anns else "NONE")
    for t in sorted(t["name"] for t in a.get("tags", [])):
        print(t)
PY
api() { "$PYTHON3" "$T/api.py" "$U" "$@"; }

# ---- login -------------------------------------------------------------------------------
printf 'wrong-token\n' | "$ANNOTTY" login --host "$U" --organization demo-org > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 1 ] && grep -q "refused the token" "$T/err" && [ ! -e "$creds" ]
ok $? "login with a wrong token fails clearly (exit 1) and stores nothing"
! grep -q "wrong-token" "$T/err" "$T/out"; ok $? "the refused token is not in the message"

(umask 000; printf 'alice-token\n' | "$ANNOTTY" login --host "$U/" --organization demo-org) > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] && grep -q "logged in to demo-org at $U as alice" "$T/out"
r=$?; [ $r -eq 0 ] || sed 's/^/#   /' "$T/err"
ok $r "login with alice's token says who and where"
[ "$(stat -c %a "$creds")" = 600 ] && [ "$(stat -c %a "$(dirname "$creds")")" = 700 ]
ok $? "the credentials file is 0600 (in a 0700 folder) even with umask 000"
grep -qx "\[picsellia demo-org@$U\]" "$creds" && grep -qx "token = alice-token" "$creds"
ok $? "the credentials file has the organization's section with its token"
[ "$(ls -A "$(dirname "$creds")")" = credentials ]; ok $? "no temporary file is left beside it"

chmod 644 "$creds"
"$ANNOTTY" ls datasets > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] && grep -qF "chmod 600 $creds" "$T/err" && [ ! -s "$T/out" ]
ok $? "a credentials file others can read is refused, saying chmod 600 PATH"
"$ANNOTTY" sync --json > "$T/out" 2> "$T/err"
"$PYTHON3" -c 'import json,sys; e=json.load(open(sys.argv[1]))["error"]; assert e["kind"] == "forbidden" and "chmod 600" in e["message"], e' "$T/err"
ok $? "with --json the refusal is a JSON error object"
chmod 600 "$creds"

# ---- sync and ls, with login ---------------------------------------------------------------
"$ANNOTTY" sync > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 0 ] && grep -q "^synced demo-org at $U: 3 versions, 150 assets" "$T/out"
r=$?; [ $r -eq 0 ] || { diag "exit $rc"; sed 's/^/#   /' "$T/out" "$T/err"; }
ok $r "annotty sync pulls the three versions (exit 0)"
grep -q "^annotty: assets 60/60$" "$T/err"; ok $? "without a terminal the progress is plain lines"

"$ANNOTTY" ls datasets --json > "$T/ds.json" 2> "$T/err"; ok $? "ls datasets --json exits 0"
"$PYTHON3" - "$T/ds.json" > "$T/ds.txt" <<'PY'
import json, sys
for d in json.load(open(sys.argv[1])):
    assert d["asset_count"] == sum(v["asset_count"] for v in d["versions"])
    for v in d["versions"]:
        assert sum(v["status_counts"].values()) == v["asset_count"]
        print("%s %s %d" % (d["name"], v["name"], v["asset_count"]))
PY
api datasets > "$T/ds.server"
diff "$T/ds.server" "$T/ds.txt" > "$T/d"; r=$?; [ $r -eq 0 ] || sed 's/^/#   /' "$T/d"
[ $r -eq 0 ] && [ "$(wc -l < "$T/ds.txt")" -eq 3 ]
ok $? "ls datasets --json has the server's datasets, versions and asset counts"

"$ANNOTTY" ls assets --json --dataset cars/v1 > "$T/as.json" 2> "$T/err"; ok $? "ls assets --json --dataset cars/v1 exits 0"
"$PYTHON3" -c 'import json,sys; [print(a["filename"]) for a in sorted(json.load(open(sys.argv[1])), key=lambda a: a["filename"])]' "$T/as.json" > "$T/as.txt"
api assets cars v1 > "$T/as.server"
diff "$T/as.server" "$T/as.txt" > "$T/d"; r=$?; [ $r -eq 0 ] || sed 's/^/#   /' "$T/d"
[ $r -eq 0 ] && [ "$(wc -l < "$T/as.txt")" -eq 60 ]
ok $? "ls assets --json --dataset cars/v1 has the server's 60 file names"

"$ANNOTTY" ls data --json > "$T/data.json" 2> "$T/err"
"$PYTHON3" -c 'import json,sys; [print(d["filename"]) for d in json.load(open(sys.argv[1]))]' "$T/data.json" | sort > "$T/data.txt"
api data | sort > "$T/data.server"
diff "$T/data.server" "$T/data.txt" > "$T/d"; r=$?; [ $r -eq 0 ] || sed 's/^/#   /' "$T/d"
[ $r -eq 0 ] && [ "$(wc -l < "$T/data.txt")" -ge 200 ]
ok $? "ls data --json has the server's datalake file names"
"$ANNOTTY" ls data --json --tag night --tag indoor > "$T/any.json" 2>&1 &&
	"$ANNOTTY" ls data --json --tag night --tag indoor --all-tags > "$T/all.json" 2>&1
"$PYTHON3" - "$T/any.json" "$T/all.json" <<'PY'
import json, sys
any_, all_ = (json.load(open(f)) for f in sys.argv[1:3])
assert any_ and all(set(d["tags"]) & {"night", "indoor"} for d in any_), any_[:2]
assert all({"night", "indoor"} <= set(d["tags"]) for d in all_)
assert len(all_) < len(any_)
PY
ok $? "ls data --tag is any of the tags, with --all-tags all of them"
"$ANNOTTY" ls versions --dataset cars > "$T/out" 2>&1 && [ "$(cut -f2 "$T/out" | tr '\n' ' ')" = "v1 v2 " ]
ok $? "ls versions --dataset cars lists its two versions"
"$ANNOTTY" ls labels --json --dataset cars/v1 | "$PYTHON3" -c 'import json,sys; a=json.load(sys.stdin); assert a and all("shape_count" in l for l in a), a'
ok $? "ls labels --json --dataset cars/v1 lists the labels"
"$ANNOTTY" ls assets --json --dataset nope/v9 > "$T/out" 2> "$T/err"; rc=$?
"$PYTHON3" -c 'import json,sys; e=json.load(open(sys.argv[1]))["error"]; assert e["kind"] == "not found" and "nope/v9" in e["message"], e' "$T/err" &&
	[ $rc -eq 1 ] && [ ! -s "$T/out" ]
ok $? "an unknown --dataset with --json is a JSON error on stderr, exit 1, nothing on stdout"
"$ANNOTTY" ls assets --dataset nope/v9 > "$T/out" 2> "$T/err"
grep -q "^annotty: the cache holds no dataset nope/v9" "$T/err"; ok $? "and without --json one line saying so"

# ---- edits with the server killed, sent after it comes back ---------------------------------
asset=$("$PYTHON3" -c '
import json, sys
a = [a for a in json.load(open(sys.argv[1])) if a["status"] == "pending" and "night-shift" not in a["tags"]][0]
print(a["id"], a["filename"])' "$T/as.json")
id=${asset%% *} file=${asset#* }
kill -KILL "$STANDIN_PID"; wait "$STANDIN_PID" 2>/dev/null; STANDIN_PID=
"$ANNOTTY" tag add --dataset cars/v1 "$file" night-shift > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 0 ] && grep -q "+night-shift" "$T/out" && grep -q "annotty sync sends it" "$T/out"
ok $? "a tag is queued with the server down (by file name)"
"$ANNOTTY" review accept --dataset cars/v1 "$id" > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 0 ] && grep -q ": accepted$" "$T/out"; ok $? "an accept is queued with the server down (by id)"
"$ANNOTTY" review accept --dataset cars/v1 "$id" nope.png > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] && grep -q "no asset has the id or file name nope.png" "$T/err" && [ ! -s "$T/out" ]
ok $? "an unknown asset is refused before anything is done"
"$ANNOTTY" ls assets --json --dataset cars/v1 | "$PYTHON3" -c '
import json, sys
a = [a for a in json.load(sys.stdin) if a["id"] == sys.argv[1]][0]
assert a["status"] == "accepted" and "night-shift" in a["tags"], a' "$id"
ok $? "ls shows the edits offline"
"$ANNOTTY" sync > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] && grep -q "cannot reach" "$T/err"; ok $? "sync with the server down fails (exit 1), saying why"

standin_start --port "$PORT" || ok 1 "the stand-in restarts on its state"
"$ANNOTTY" sync > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 0 ] && grep -q "2 edits pushed, 0 waiting" "$T/out"
r=$?; [ $r -eq 0 ] || { diag "exit $rc"; sed 's/^/#   /' "$T/out" "$T/err"; }
ok $r "after the restart annotty sync pushes both edits (exit 0)"
api asset "$id" > "$T/srv"
[ "$(head -n 1 "$T/srv")" = ACCEPTED ] && grep -qx night-shift "$T/srv"
r=$?; [ $r -eq 0 ] || api asset "$id" | sed 's/^/#   /'
ok $r "the server has the accept and the tag"

# ---- the environment without login, and a wrong token ----------------------------------------
"$ANNOTTY" logout > "$T/out" 2> "$T/err" && ! grep -q "alice-token" "$creds" && grep -q "1 token forgotten" "$T/out"
ok $? "logout forgets the token"
"$ANNOTTY" ls datasets > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] && grep -q "run annotty login" "$T/err"; ok $? "without a login or PICSELLIA_TOKEN a command says to log in"
export PICSELLIA_HOST="$U" PICSELLIA_TOKEN=alice-token PICSELLIA_ORGANIZATION=demo-org
"$ANNOTTY" sync > "$T/out" 2> "$T/err"; ok $? "PICSELLIA_HOST/TOKEN/ORGANIZATION work without login"
"$ANNOTTY" ls datasets --json | "$PYTHON3" -c 'import json,sys; assert [d["name"] for d in json.load(sys.stdin)] == ["cars", "fields"]'
ok $? "and ls reads the same cached source"
"$ANNOTTY" sources --json > "$T/src.json" 2> "$T/err"
"$PYTHON3" - "$T/src.json" "$U" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert any(s["kind"] == "picsellia" and s["assets"] == 150 for s in d["cached"]), d
assert d["configured"] == [{"kind": "picsellia", "host": sys.argv[2], "organization": "demo-org",
                            "from": "environment", "default": True}], d
PY
ok $? "sources --json lists the cached organization and the configured one"
PICSELLIA_TOKEN=bogus-token "$ANNOTTY" sync > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] && grep -qi "token\|401\|auth" "$T/err" && ! grep -q "bogus-token" "$T/err"
r=$?; [ $r -eq 0 ] || sed 's/^/#   /' "$T/err"
ok $r "a wrong token gives a clear error and exit 1, without the token"
PICSELLIA_TOKEN=bogus-token "$ANNOTTY" sync --json > "$T/out" 2> "$T/err"
"$PYTHON3" -c 'import json,sys; e=json.load(open(sys.argv[1]))["error"]; assert e["kind"] == "auth", e' "$T/err"
ok $? "with --json it is a JSON error of kind auth"

# ---- the token in no file annotty wrote besides the credentials -------------------------------
! grep -rl "alice-token" "$XDG_CACHE_HOME" "$XDG_DATA_HOME" "$HOME" > "$T/leak" 2>/dev/null
r=$?; [ $r -eq 0 ] || sed 's/^/#   /' "$T/leak"
ok $r "the token is in no log, cache or image file"
[ -s "$XDG_CACHE_HOME/annotty/annotty.log" ] && ls "$XDG_CACHE_HOME/annotty"/cache.db > /dev/null
ok $? "(the log and the cache were there to be searched)"
done_testing
