#!/bin/sh
# Screen test: the demo in a private tmux at 120x40, driven with keys like a reviewer would:
# browse, filter, open, accept, tag, undo, quit, reopen and find the state; then kill -9.
. "${top_srcdir:-.}/tests/lib.sh"
need_tmux
demo_data
"$ANNOTTY" ls assets --json demo > "$T/assets.json" 2>/dev/null
first=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[0]['filename'])" "$T/assets.json")
second=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[1]['filename'])" "$T/assets.json")
total=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$T/assets.json")
row() { screen | grep -F -- "$1" | head -n 1; }
# wait_row NAME WORD: polls until the list row of NAME shows WORD (the list may still be drawing)
wait_row() {
	i=0
	while [ $i -lt 100 ]; do
		row "$1" | grep -q -- "$2" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	diag "the row of $1 does not show $2"
	screen | sed 's/^/#   | /'
	return 1
}

start 120 40 "$ANNOTTY" --demo --graphics=blocks
wait_for "annotty demo" 20; ok $? "the demo opens in the asset list"
wait_for "1/$total"; ok $? "the title shows the position and the count"
screen | grep -q "FILENAME.*SIZE.*SHAPES.*STATUS"; ok $? "the list has its column header"
keys j j; wait_for "3/$total"; ok $? "j moves down"
keys k; wait_for "2/$total"; ok $? "k moves up"
keys G; wait_for "$total/$total"; ok $? "G goes to the last row"
keys g; wait_for "1/$total"; ok $? "g goes back to the first row"
# a terminal's late reply to the start-up questions (a slow link) must not act as keys:
# its ? would open the help, its digits and letters would act
tm send-keys -t t -l "$(printf '\033[?63;1;2;4;6;9;15;16;22;28c\033_Gi=31;OK\033\\')"
sleep 0.5
screen | grep -q "FILENAME.*SIZE.*SHAPES.*STATUS" && screen | grep -q "1/$total"
ok $? "a late terminal reply is passed over, not taken as keys"
# the mouse wheel (X10 reports: 64 up, 65 down) scrolls the list three rows at a time
wheel() { tm send-keys -t t -l "$(printf '\033[M%b%b%b' "\\0$(printf %o $(($1 + 32)))" '\060' '\050')"; }
wheel 65; wait_for "4/$total"; ok $? "the wheel scrolls the list down"
wheel 64; wait_for "1/$total"; ok $? "and back up"

keys / l a b e l : d o g Enter
wait_for "filter label:dog"; ok $? "/ filters by label"
screen | grep -q "$first"; ok $([ $? -ne 0 ]; echo $?) "rows without a dog are filtered out" 
keys Escape; wait_gone "filter label:dog"; ok $? "Esc clears the filter"
wait_for "1/$total"; ok $? "the whole list is back"

keys Enter; wait_for "Shapes ("; ok $? "Enter opens the asset screen with its shape list"
wait_for "$first"; ok $? "the title names the asset"
keys +; wait_for "zoom 150%"; ok $? "+ zooms in"
keys l l; sleep 0.3; keys 0; wait_gone "zoom 150%"; ok $? "0 shows the whole image again"
keys Escape z; wait_for "no shape selected"; ok $? "z without a selection says why"
keys Tab z; wait_for "zoom "; ok $? "z zooms to the selected shape"
keys 0
keys A; wait_for "accepted"; ok $? "A accepts"
wait_for "$second"; ok $? "and moves to the next asset"
keys t; wait_for "tag:"; ok $? "t asks for a tag"
keys n e e d s - f i x Enter; wait_for "│  needs-fix"; ok $? "the tag shows in the side panel"
keys u; wait_for "undid"; ok $? "u undoes the last edit"
wait_gone "│  needs-fix"; ok $? "the tag is gone from the side panel after undo"
keys q; wait_for "FILENAME"; ok $? "q goes back to the list"
wait_row "$first" accepted; ok $? "the first asset shows accepted in the list"
keys '?'; wait_for "help"; ok $? "? shows the help"
screen | grep -q "accept"; ok $? "the help lists the actions"
keys q; wait_for "FILENAME"; ok $? "q closes the help"
keys :; keys s o r t Space s i z e Enter; wait_for "sort size"; ok $? ":sort size sorts by size"
keys :; keys l o w b a n d Enter; wait_for "low bandwidth on"; ok $? ":lowband switches to small frames"
keys :; keys l o w b a n d Space o f f Enter; wait_for "low bandwidth off"; ok $? ":lowband off switches back"
keys q; wait_for "[exited with 0]"; ok $? "q on the list quits with status 0"
stop

start 120 40 "$ANNOTTY" --demo --graphics=blocks
wait_for "annotty demo" 20
wait_row "$first" accepted; ok $? "after a restart the review is still there"
keys j R; wait_row "$second" rejected
pid=$(tm list-panes -t t -F '#{pane_pid}')
apid=$(pgrep -P "$pid" -f annotty | head -n 1)
[ -n "$apid" ] && kill -9 "$apid"; sleep 0.3
stop
start 120 40 "$ANNOTTY" --demo --graphics=blocks
wait_for "annotty demo" 20
wait_row "$second" rejected; ok $? "an edit made just before kill -9 is kept"
stop

start 30 8 "$ANNOTTY" --demo --graphics=blocks
wait_for "too small" 20; ok $? "a tiny terminal gets a clear message"
tm resize-window -t t -x 100 -y 30 2>/dev/null || tm resize-pane -t t -x 100 -y 30
wait_for "FILENAME"; ok $? "growing the terminal brings the list back"
keys q; wait_for "[exited with 0]"; ok $? "quits cleanly after a resize"
stop
done_testing
