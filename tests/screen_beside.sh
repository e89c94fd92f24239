#!/bin/sh
# Screen test: two annotty processes on one cache. What one writes shows in the other within
# a second or two (the list's rows, the open asset), the selection kept; undo stays with the
# process that made the edit; and an undo that leaves the asset shown, or reaches an edit of
# an earlier run, says what it will do and waits for u again (any other key cancels).
. "${top_srcdir:-.}/tests/lib.sh"
need_tmux
demo_data
"$ANNOTTY" ls assets --json demo > "$T/assets.json" 2>/dev/null
name() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[int(sys.argv[2])]['filename'])" "$T/assets.json" "$1"; }
first=$(name 0)
second=$(name 1)

# the second process, in a session of its own on the same tmux server
start_b() {
	tm new-session -d -s b -x 120 -y 40 \
		"env HOME='$HOME' XDG_CACHE_HOME='$XDG_CACHE_HOME' XDG_DATA_HOME='$XDG_DATA_HOME' LC_ALL=C.UTF-8 TERM=tmux-256color $*; echo '[exited with' \$?']'; sleep 600"
}
screen_b() { tm capture-pane -p -t b; }
keys_b() { tm send-keys -t b "$@"; }
wait_b() {
	i=0
	while [ $i -lt 100 ]; do
		screen_b | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	diag "b timed out waiting for: $1"
	screen_b | sed 's/^/#   b| /'
	return 1
}
# the list row of a file shows a word (a status or a tag)
row_has() { screen | grep -F -- "$1" | grep -q -- "$2"; }
wait_row() {
	i=0
	while [ $i -lt "${3:-30}" ]; do
		row_has "$1" "$2" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	diag "the row of $1 does not show $2"
	screen | sed 's/^/#   | /'
	return 1
}

start 120 40 "$ANNOTTY" --demo --graphics=blocks
wait_for "annotty demo" 20; ok $? "the first annotty opens the demo"
start_b "$ANNOTTY" --demo --graphics=blocks
wait_b "annotty demo"; ok $? "a second one opens it on the same cache"

# ---- what the other one writes shows here -----------------------------------------------------
keys j; wait_for "2/"
keys_b t f r o m B Enter; wait_b "added tag fromB"
wait_row "$first" fromB 30; ok $? "a tag added by the other annotty shows in the list within 3 s"
wait_for "changed beside"; ok $? "and the message line says the list was read again"
screen | grep -q "2/"; ok $? "the selection stays where it was"
keys k; wait_for "1/"; keys Enter; wait_for "Shapes ("; wait_for "fromB"
keys_b A; wait_b "accepted"
wait_for " accepted " 3; ok $? "an accept by the other shows on the open asset within 3 s"
screen | grep -q "$first"; ok $? "and the same asset stays open"
keys u; wait_for "nothing to undo"; ok $? "u does not undo the other annotty's edits"
keys q; wait_for "FILENAME"

# ---- undo asks before it leaves the asset shown ------------------------------------------------
keys j; wait_for "2/"; keys A; wait_row "$second" accepted; wait_for "3/"
keys u; wait_for "u again to undo accept on $second"; ok $? "an undo on another row says what it will do"
row_has "$second" accepted; ok $? "and has not done it yet"
keys x; wait_for "undo cancelled: nothing changed"; ok $? "any other key cancels it"
row_has "$second" accepted; ok $? "the accept stays"
keys u; wait_for "u again"; keys u; wait_for "undid accept"; ok $? "u twice undoes it"
wait_row "$second" pending; ok $? "the row is back to pending"
screen | grep -q "2/"; ok $? "and selected"
keys t n i g h t Enter; wait_for "added tag night"
keys u; wait_for "undid tag"; ok $? "an undo on the asset shown of this run is one key"
keys C-r; wait_for "redid tag"; ok $? "and so is the redo"
keys u; wait_for "undid tag"

# ---- and before it reaches back into an earlier run -------------------------------------------
keys_b Q; wait_b "[exited with 0]"
keys k; wait_for "1/"
keys u; wait_for "u again to undo accept on $first (an earlier session)"
ok $? "an edit of an ended run is asked about, naming it"
keys u; wait_for "undid accept"; ok $? "u again undoes it"
wait_row "$first" pending; ok $? "and the row shows it"
keys Q; wait_for "[exited with 0]"; ok $? "quits cleanly"
stop
done_testing
