#!/bin/sh
# Screen tests of the statistics screen (its numbers against a count made here from the
# export, a bar opening its rows), of a key remapped in the configuration (and a wrong line
# reported by number), of NO_COLOR (no colour escapes at all) and of TERM=vt100 (the selected
# row and a mark visible as attributes), checked on capture-pane -e.
. "${top_srcdir:-.}/tests/lib.sh"
need_tmux
demo_data
"$ANNOTTY" ls assets --json demo > "$T/assets.json" 2>/dev/null
count() { python3 -c "
import json,sys
a=json.load(open(sys.argv[1])); print(sum(1 for x in a if eval(sys.argv[2])))" "$T/assets.json" "$1"; }
total=$(count True)
pending=$(count "x['status'] == 'pending'")
noshape=$(count "x['shape_count'] == 0")
night=$(count "'night' in x['tags']")
dogs=$("$ANNOTTY" ls labels --json demo | python3 -c "
import json,sys
print([l['shape_count'] for l in json.load(sys.stdin) if l['name'] == 'dog'][0])")

# ---- the statistics, against the counts of the listing -----------------------------------
"$ANNOTTY" stats --json demo > "$T/stats.json"; ok $? "annotty stats --json runs"
python3 - "$T/stats.json" "$total" "$pending" "$noshape" "$dogs" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
dog = [l for l in s["labels"] if l["name"] == "dog"][0]
ok = (s["assets"] == int(sys.argv[2]) and s["status"]["pending"] == int(sys.argv[3])
      and s["without_annotations"] == int(sys.argv[4]) and dog["shapes"] == int(sys.argv[5]))
sys.exit(0 if ok else 1)
PY
ok $? "its counts are the listing's (assets, pending, without annotations, dog shapes)"
start 120 40 "$ANNOTTY" --demo --graphics=none
wait_for "1/$total" 20
keys i; wait_for "statistics of the dataset"; ok $? "i opens the statistics screen"
wait_for "Review status ($total images)"; ok $? "with the number of images"
screen | grep -E "^ +pending +.* $pending\$" >/dev/null; ok $? "pending: $pending, as counted"
screen | grep -E "^ +without annotations .* $noshape\$" >/dev/null; ok $? "without annotations: $noshape"
screen | grep -E "^ +dog .* $dogs in " >/dev/null; ok $? "the dog bar: $dogs shapes"
# the tags come last: j until the selected line is the tag night, below the Tags heading
sel_line() { tm capture-pane -p -e -t t | grep -n "$(printf '\033')\[[0-9;]*46m" | head -n 1 | cut -d: -f1; }
i=0
while [ $i -lt 120 ]; do
	tags=$(screen | grep -n "Tags: images" | head -n 1 | cut -d: -f1)
	s=$(sel_line)
	if [ -n "$tags" ] && [ -n "$s" ] && [ "$s" -gt "$tags" ] && screen | sed -n "${s}p" | grep -q "^ *night "; then break; fi
	keys j; sleep 0.05
	i=$((i + 1))
done
keys Enter; wait_for "filter tag:night ($night)"; ok $? "Enter on the tag night lists its $night rows"
keys q; wait_for "[exited with 0]"; ok $? "q quits from the list"
stop

# ---- a key remapped in the configuration ------------------------------------------------------
mkdir -p "$XDG_CONFIG_HOME/annotty"
printf '# mine\n[keys]\naccept = a\nfrobnicate = x\n' > "$XDG_CONFIG_HOME/annotty/config"
"$ANNOTTY" config > "$T/config.out" 2> "$T/config.err"; ok $? "annotty config runs"
grep -qx "accept = a" "$T/config.out"; ok $? "and prints the binding in effect"
grep -q "line 4: no action is called frobnicate" "$T/config.err"; ok $? "a wrong line is reported with its number"
start 120 40 "$ANNOTTY" --demo --graphics=none
wait_for "line 4: no action is called frobnicate" 20; ok $? "the review screen says so and starts anyway"
keys a; wait_for "accepted"; ok $? "a accepts, as the configuration says"
keys '?'; wait_for "annotty › help"; screen | grep -E "^ +a +accept" >/dev/null; ok $? "the help shows the new key"
keys q u u; wait_for "undid"
keys Q; wait_for "[exited with 0]"
stop
rm -f "$XDG_CONFIG_HOME/annotty/config"

# ---- NO_COLOR: attributes only ---------------------------------------------------------------
start 120 40 env NO_COLOR=1 "$ANNOTTY" --demo --graphics=none
wait_for "1/$total" 20
keys Space
wait_for "1 marked"
tm capture-pane -p -e -t t > "$T/nocolor"
# (39 and 49 are the default colours tmux writes back; anything else is a colour)
! grep -Eq "$(printf '\033')\[([0-9]+;)*(3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]" "$T/nocolor"
ok $? "NO_COLOR: no colour escape on the screen"
sed -n '4p' "$T/nocolor" | grep -Eq "$(printf '\033')\[([0-9];)*7m"; ok $? "the selected row is in reverse video"
sed -n '3p' "$T/nocolor" | grep -Eq "$(printf '\033')\[([0-9];)*1m($(printf '\033')\[[0-9]+m)*●"; ok $? "the mark is bold"
keys Q; wait_for "[exited with 0]"
stop

# ---- a monochrome terminal -----------------------------------------------------------------
start 120 40 env TERM=vt100 "$ANNOTTY" --demo --graphics=none
wait_for "1/$total" 20
keys Space
wait_for "1 marked"
tm capture-pane -p -e -t t > "$T/vt100"
sel=$(grep -n "bird_0001" "$T/vt100" | head -n 1 | cut -d: -f1)
sed -n "${sel}p" "$T/vt100" | grep -Eq "^$(printf '\033')\[([0-9];)*7m"; ok $? "vt100: the selected row is in reverse video"
[ "$(grep -Ec "^$(printf '\033')\[([0-9];)*7m" "$T/vt100")" -le 3 ]; ok $? "that row alone, besides the title and status bars"
sed -n "$((sel - 1))p" "$T/vt100" | grep -Eq "$(printf '\033')\[([0-9];)*1m($(printf '\033')\[[0-9]+m)*(●|\*)"; ok $? "the marked row above it shows its mark in bold"
! grep -Eq "$(printf '\033')\[([0-9]+;)*(3[0-8]|4[0-8])m" "$T/vt100"; ok $? "and no colour is written"
keys Q; wait_for "[exited with 0]"
stop
done_testing
