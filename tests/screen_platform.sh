#!/bin/sh
# Screen test of the platform half against the stand-in server, as alice through the PICSELLIA_*
# environment: annotty alone opens the sources screen, syncs and says online; the datasets
# screen shows each version with its type and the server's counts; Enter opens a version's
# asset list and an asset whose image arrives from the server; with the server stopped an
# accept is kept, the status bar says offline and S says it cannot reach the server; after the
# restart S pushes it and the server's own API shows it; the datalake screen lists the data,
# filters by tag and tags one (queued as a data tag, pushed by S); quitting with an unsent edit
# asks first.
. "${top_srcdir:-.}/tests/lib.sh"
need_tmux
need_python3
unset PICSELLIA_HOST PICSELLIA_TOKEN PICSELLIA_ORGANIZATION
standin_start --seed small || { ok 1 "the stand-in server starts"; done_testing; }
U=$STANDIN_URL
PORT=${U##*:}
db="$XDG_CACHE_HOME/annotty/cache.db"
sql() { "$PYTHON3" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$db" "$1"; }
# the server's own answer: the latest annotation status of the asset whose file name is $1
status_on_server() {
	"$PYTHON3" - "$U" "$1" <<'PY'
import json, sys, urllib.request
base, name = sys.argv[1], sys.argv[2]
def get(path):
    req = urllib.request.Request(base + path, headers={"Authorization": "Bearer alice-token"})
    return json.load(urllib.request.urlopen(req))
org = get("/api/organizations/find?name=demo-org")["id"]
ds = [d for d in get("/api/organization/%s/datasets?limit=1000" % org)["items"] if d["name"] == "cars"][0]
v = [v for v in get("/api/dataset/%s/versions?limit=1000" % ds["id"])["items"] if v["version"] == "v1"][0]
a = [a for a in get("/api/dataset/version/%s/assets?limit=1000" % v["id"])["items"] if a["data"]["filename"] == name][0]
anns = get("/api/asset/%s/annotations?limit=1000" % a["id"])["items"]
print(anns[-1]["status"] if anns else "NONE")
PY
}
run="env PICSELLIA_HOST=$U PICSELLIA_TOKEN=alice-token PICSELLIA_ORGANIZATION=demo-org $ANNOTTY --graphics=blocks"

# ---- the sources screen ----------------------------------------------------------------------
start 150 40 "$run"
wait_for "PLATFORM SOURCES" 20; ok $? "annotty alone opens the sources screen with a platform configured"
wait_for "online" 30; ok $? "the first sync ends and the status bar says online"
screen | grep -q "demo-org"; ok $? "the organization is listed"
wait_for "3 versions, 150 assets in the cache" 20; ok $? "with the versions the sync brought"

# ---- datasets and versions -------------------------------------------------------------------
keys j Enter
wait_for "DATASET / VERSION" 10; ok $? "Enter on datasets opens the datasets screen"
screen | grep -qE "^ +v1 +OBJECT_DETECTION +60 "; ok $? "cars/v1: its type and 60 assets"
screen | grep -qE "^ +v2 +OBJECT_DETECTION +40 "; ok $? "cars/v2: 40"
screen | grep -qE "^ +v1 +SEGMENTATION +50 "; ok $? "fields/v1: a segmentation of 50"
v1=$(screen | grep -E "^ +v1 +OBJECT_DETECTION" | head -n 1)
acc=$(printf '%s' "$v1" | awk '{print $4}'); rej=$(printf '%s' "$v1" | awk '{print $5}')
want_acc=$(sql "SELECT count(*) FROM asset a JOIN dataset d ON d.id = a.dataset_id WHERE d.name = 'cars/v1' AND a.status = 1")
[ "$acc" = "$want_acc" ] && [ -n "$rej" ]; ok $? "with its review counts ($acc accepted)"
keys Enter; keys Enter
wait_for "FILENAME" 10; ok $? "Enter on a version opens its asset list"
wait_for "1/60" 5; ok $? "with its 60 assets"
first=$(sql "SELECT filename FROM asset a JOIN dataset d ON d.id = a.dataset_id WHERE d.name = 'cars/v1' ORDER BY filename, a.id LIMIT 1")
pending=$(sql "SELECT filename FROM asset a JOIN dataset d ON d.id = a.dataset_id WHERE d.name = 'cars/v1' AND a.status = 0 ORDER BY filename, a.id LIMIT 1")

# ---- an asset whose image comes from the server ----------------------------------------------
keys Enter
wait_for "Shapes (" 10; ok $? "Enter opens the asset screen"
i=0
while [ $i -lt 100 ] && [ "$(sql "SELECT count(*) FROM asset WHERE filename = '$first' AND path LIKE '%/images/%'")" = 0 ]; do
	sleep 0.1; i=$((i + 1))
done
[ $i -lt 100 ]; ok $? "its image is fetched into the store on demand"
wait_gone "fetching the image" 10; ok $? "the spinner goes when it is there"
! screen | grep -q "image not shown"; ok $? "and the image is shown"
keys q; wait_for "FILENAME"

# ---- offline ----------------------------------------------------------------------------------
standin_stop
keys /; keys -l "file:$pending"; keys Enter; wait_for "1/1" 5
keys A; wait_for "accepted"
wait_for "1 edit not synced yet" 5; ok $? "an accept made with the server gone is counted"
keys S; wait_for "cannot reach the server" 30; ok $? "S says it cannot reach the server"
screen | grep -q "1 edit kept for later"; ok $? "and that the edit is kept"
wait_for "offline" 5; ok $? "the status bar says offline"
keys Escape; wait_for "/60" 5; keys j j; wait_for "3/60" 5; ok $? "everything cached still works offline"
[ "$(sql "SELECT count(*) FROM outbox WHERE state = 'pending'")" = 1 ]; ok $? "the edit waits in the outbox"

# ---- back online: S pushes it -------------------------------------------------------------------
standin_start --port "$PORT" || ok 1 "the stand-in restarts on its state"
keys S; wait_for "synced: 1 edit sent" 30; ok $? "after the restart S pushes the edit"
wait_for "online" 5; ok $? "and the status bar says online"
[ "$(status_on_server "$pending")" = "ACCEPTED" ]; ok $? "the server's API shows the accept"
[ "$(sql "SELECT count(*) FROM outbox WHERE state = 'pending'")" = 0 ]; ok $? "nothing is left pending"

# ---- the datalake --------------------------------------------------------------------------------
keys q; wait_for "DATASET / VERSION"
keys q; wait_for "PLATFORM SOURCES"; ok $? "q goes back through the datasets to the sources"
keys g j j Enter
wait_for "datalake" 10; wait_for "FILE NAME" 5; ok $? "Enter on datalake opens the datalake screen"
wait_for "field_0002.png" 5; ok $? "it lists the data, by file name, with their tags"
keys /; keys -l "tag:night"; keys Enter
wait_for "tags (any of): night" 5; ok $? "a tag filter applies"
night=$(sql "SELECT count(*) FROM data d JOIN data_tag dt ON dt.data_id = d.id JOIN datalake_tag t ON t.id = dt.tag_id WHERE t.name = 'night'")
wait_for "($night match)" 5; ok $? "with the cache's count of night data ($night)"
keys /; keys -l "tag:night tag:urban"; keys Enter; keys a
both=$(sql "SELECT count(*) FROM data d WHERE (SELECT count(DISTINCT t.name) FROM data_tag dt JOIN datalake_tag t ON t.id = dt.tag_id WHERE dt.data_id = d.id AND t.name IN ('night', 'urban')) = 2")
wait_for "tags (all of): night urban" 5 && wait_for "($both match)" 5; ok $? "all-of takes the data with both tags ($both)"
keys /; keys C-u Enter
keys t; keys -l "checked-here"; keys Enter
wait_for "added tag checked-here (queued" 5; ok $? "t tags the selected data"
[ "$(sql "SELECT count(*) FROM outbox WHERE entity = 'data' AND op = 'tag.attach' AND state = 'pending'")" = 1 ]
ok $? "queued as a data tag in the outbox"
keys S; wait_for "synced: 1 edit sent" 30; ok $? "S pushes the data tag"
[ "$(sql "SELECT state FROM outbox WHERE entity = 'data'")" = "pushed" ]; ok $? "the server confirmed it"

# ---- quitting with an unsent edit asks --------------------------------------------------------------
standin_stop
keys T; keys -l "checked-here"; keys Enter; wait_for "removed tag checked-here"
keys q; wait_for "PLATFORM SOURCES"
keys q; wait_for "quit anyway? (y/n)" 5; ok $? "q with an unsent edit asks"
screen | grep -q "1 edit not sent to demo-org yet"; ok $? "saying how many and where"
keys n; wait_for "not quitting" 5; ok $? "n stays"
keys q; wait_for "quit anyway? (y/n)" 5
keys y; wait_for "[exited with 0]" 15; ok $? "y quits"
[ "$(sql "SELECT count(*) FROM outbox WHERE state = 'pending'")" = 1 ]; ok $? "the edit stays in the cache"
stop
done_testing
