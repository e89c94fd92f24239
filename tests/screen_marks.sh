#!/bin/sh
# Screen test of marks and bulk edits on the demo in a private tmux at 120x40: Space marks and
# moves on, a visual range tagged in one step and undone in one step, * over a filter and a
# bulk reject that asks first and is undone whole, and the count in the status bar.
. "${top_srcdir:-.}/tests/lib.sh"
need_tmux
demo_data
"$ANNOTTY" ls assets --json demo > "$T/assets.json" 2>/dev/null
total=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$T/assets.json")
dogs=$("$ANNOTTY" ls assets --json demo | python3 -c "
import json,sys
print(sum(1 for a in json.load(sys.stdin) if a['filename']))" 2>/dev/null)
tagged() { # TAG: how many assets the export shows with it
	"$ANNOTTY" ls assets --json demo 2>/dev/null | python3 -c "
import json,sys
print(sum(1 for a in json.load(sys.stdin) if sys.argv[1] in a.get('tags', [])))" "$1"
}
status() { "$ANNOTTY" ls assets --json demo 2>/dev/null | python3 -c "
import json,sys
print(sum(1 for a in json.load(sys.stdin) if a['status'] == sys.argv[1]))" "$1"
}

start 120 40 "$ANNOTTY" --demo --graphics=none
wait_for "annotty" 20; wait_for "1/$total"; ok $? "the demo opens"
keys Space; wait_for "1 marked"; ok $? "Space marks the row: the status bar counts it"
wait_for "2/$total"; ok $? "and moves to the next row"
keys Space; wait_for "2 marked"; ok $? "a second mark"
keys k Space; wait_for "1 marked"; ok $? "Space on a marked row unmarks it"
keys Escape; wait_gone "marked"; ok $? "Esc unmarks everything"

# a visual range of four rows, tagged in one step, undone in one step
keys g v j j j; wait_for "VISUAL 4 rows"; ok $? "v opens a range that follows the selection"
keys t; wait_for "tag the marked rows:"; ok $? "t asks for a tag for the marked rows"
keys r a n g e d Enter; wait_for "tag +ranged: 4 assets changed"; ok $? "the range is tagged in one step"
sleep 0.3
[ "$(tagged ranged)" = 4 ]; ok $? "four assets have the tag in the cache"
screen | grep -c "jpg.*ranged" | grep -qx 4; ok $? "the four rows show the tag"
keys u; wait_for "undid tag +ranged on 4 assets"; ok $? "one undo takes the whole step back"
sleep 0.3
[ "$(tagged ranged)" = 0 ]; ok $? "no asset keeps the tag"
keys C-r; wait_for "redid tag +ranged on 4 assets"; ok $? "and one redo does it again"
keys u; wait_for "undid"

# every row of a filter, rejected after a question, undone whole
keys Escape; sleep 0.2
keys / l a b e l : d o g Enter; wait_for "filter label:dog"
n=$(screen | sed -n 's/.*filter label:dog (\([0-9]*\)).*/\1/p')
keys '*'; wait_for "$n marked"; ok $? "* marks every row the filter shows ($n)"
before=$(status rejected)
keys R
if [ "$n" -gt 36 ]; then
	wait_for "reject $n marked assets? y/n"; ok $? "more than a screenful asks first"
	keys y
fi
wait_for "reject: "; ok $? "R rejects the marked rows"
sleep 0.3
after=$(status rejected)
[ "$after" -gt "$before" ]; ok $? "the cache has them rejected ($before -> $after)"
keys u; wait_for "undid reject"; ok $? "one undo"
sleep 0.3
[ "$(status rejected)" = "$before" ]; ok $? "takes every one back"
keys Q; wait_for "[exited with 0]"; ok $? "quits cleanly"
stop
done_testing
