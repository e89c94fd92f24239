#!/bin/sh
# Screen test: the conflicts screen. Two edits are made in the TUI, then marked in the cache
# as conflicts with the source's values (as the sync engine does, through the schema's own
# columns), while annotty runs: it sees them within a second or two, announces them and counts
# them; C lists them with both versions in words and the shape on the image; t takes theirs
# and m keeps mine, and the cache says so.
. "${top_srcdir:-.}/tests/lib.sh"
need_tmux
need_python3
demo_data
db="$XDG_CACHE_HOME/annotty/cache.db"
"$ANNOTTY" ls assets --json demo > "$T/assets.json" 2>/dev/null
first=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[0]['filename'])" "$T/assets.json")
second=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[1]['filename'])" "$T/assets.json")
sql() { "$PYTHON3" - "$db" "$@"; }

start 140 40 "$ANNOTTY" --demo --graphics=blocks
wait_for "annotty demo" 20; ok $? "the demo opens in the asset list"

# ---- two edits: an accept on the first asset, a moved box on the second -------------------
keys A; wait_for "accepted"; wait_for "2/"
keys Enter; wait_for "Shapes ("; keys Tab; wait_for "Tab selects"
keys e l; wait_for "EDIT move"; sleep 0.3; keys Escape; wait_gone "EDIT move"
keys q; wait_for "FILENAME"
wait_for "2 edits not exported yet"; ok $? "two edits are pending"

# ---- the sync engine's side: both meet another value on the source ------------------------
sql <<'PY'
import json, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=10)
now = int(time.time())
for oid, op, payload in db.execute("SELECT id, op, payload FROM outbox WHERE state = 'pending'").fetchall():
    theirs = json.loads(payload)
    if op == "annotation.status":
        theirs["status"] = "rejected"
        why = "the source has another review"
    else:
        box = theirs["value"]["box"]
        theirs["value"]["box"] = [box[0] + 40, box[1] + 30, box[2], box[3]]
        theirs["label"] = {"name": "truck"}
        why = "the box was moved on the source"
    db.execute("UPDATE outbox SET state = 'conflict', theirs = ?, last_error = ?, conflict_at = ?"
               " WHERE id = ?", (json.dumps(theirs), why, now, oid))
db.commit()
PY
wait_for "new conflict" 3; ok $? "a conflict recorded beside annotty is announced within a second or two"
wait_for "2 conflicts (C)" 3; ok $? "the status bar counts the conflicts"

# ---- the screen ----------------------------------------------------------------------------
keys C; wait_for "conflicts"; wait_for "ASSET / CHANGE"; ok $? "C opens the conflicts screen"
screen | grep -q "$first  review"; ok $? "it lists the review conflict with its asset"
screen | grep -q "$second  shape changed"; ok $? "and the shape conflict"
screen | grep -q "source said: the source has another review"; ok $? "with the source's reason"
screen | grep -qE "status +accepted +rejected"; ok $? "mine and theirs side by side: the status"
keys j; wait_for "$second: shape changed"; ok $? "j selects the shape conflict"
screen | grep -qE "label +[a-z]+ +truck"; ok $? "both label names are shown"
boxes=$(screen | grep -E "^ box " | head -n 1)
mx=$(printf '%s' "$boxes" | sed -E 's/^ box +([0-9]+),([0-9]+) .*/\1/')
tx=$(printf '%s' "$boxes" | sed -E 's/^ box +[^ ]+ [^ ]+ +([0-9]+),([0-9]+) .*/\1/')
[ -n "$mx" ] && [ -n "$tx" ] && [ "$tx" -eq $((mx + 40)) ]
ok $? "both boxes are given in coordinates, theirs 40 pixels right ($boxes)"
screen | grep -q "theirs in white"; ok $? "the image shows both shapes, told apart"
# the source's shape is drawn as a white outline over the picture (24-bit or 256 colours)
tm capture-pane -e -p -t t > "$T/pane"
grep -qE '38;2;255;255;255|38;5;231|48;2;255;255;255|48;5;231' "$T/pane"
ok $? "a white outline is on the image"

# ---- resolving both ways ---------------------------------------------------------------------
keys t; wait_for "took the source's version"; ok $? "t takes theirs"
state=$(sql <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT state || '/' || coalesce(resolution, '') FROM outbox WHERE op = 'shape.update'").fetchone()[0])
PY
)
[ "$state" = "pushed/theirs" ]; ok $? "the cache took theirs ($state)"
wait_for "1 conflict"; ok $? "one conflict is left"
screen | grep -q "$first: review"; ok $? "and it is selected"
sleep 0.5; tm capture-pane -e -p -t t > "$T/pane"
grep -qE '38;2;255;255;255|38;5;231|48;2;255;255;255|48;5;231' "$T/pane"
ok $([ $? -ne 0 ]; echo $?) "a review conflict draws no outline of theirs"
keys m; wait_for "kept your"; ok $? "m keeps mine"
state=$(sql <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT state || '/' || coalesce(resolution, '') FROM outbox WHERE op = 'annotation.status'").fetchone()[0])
PY
)
[ "$state" = "pending/mine" ]; ok $? "the cache sends mine again ($state)"
wait_for "No conflicts"; ok $? "no conflict is left"
keys q; wait_for "FILENAME"; ok $? "q goes back to the list"
screen | grep -q "conflicts (C)"; ok $([ $? -ne 0 ]; echo $?) "and the status bar counts none"
keys Enter; wait_for "Shapes ("
keys : c o n f l i c t s Enter; wait_for "No conflicts"; ok $? ":conflicts works from the asset screen"
keys q; wait_for "Shapes ("; ok $? "and q goes back to the asset"
keys Q; wait_for "[exited with 0]"; ok $? "quits cleanly"
stop
done_testing
