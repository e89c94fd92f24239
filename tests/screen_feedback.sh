#!/bin/sh
# Screen test: what the list, the prompts and the picker show after an action is what happened:
# a filter reopens whole, the list window stays full after a sort or a return, tag messages
# say what changed, a new label is asked for first, an undone delete comes back selected, and
# the ':' completion says why an action cannot run; combined filters hold every term, by prefix.
. "${top_srcdir:-.}/tests/lib.sh"
need_tmux
demo_data
"$ANNOTTY" ls assets --json demo > "$T/assets.json" 2>/dev/null
total=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$T/assets.json")
notags=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[0]['tags'] == [])" "$T/assets.json")
# the list rows on the screen (each shows its review status)
rows() { screen | sed -n '3,38p' | grep -cE 'pending|accepted|rejected|skipped'; }
want=$(( total < 36 ? total : 36 ))
wait_rows() {
	i=0
	while [ $i -lt 50 ]; do
		[ "$(rows)" -eq "$want" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	diag "$(rows) rows shown, $want expected"
	screen | sed 's/^/#   | /'
	return 1
}

start 120 40 "$ANNOTTY" --demo --graphics=blocks
wait_for "annotty demo" 20; ok $? "the demo opens in the asset list"

# ---- the ':' completion says why an action cannot run --------------------------------------
if [ "$notags" = True ]; then
	keys : u n t Tab; wait_for "(untag: this asset has no tags)"
	ok $? "a completed action that cannot run shows why"
	keys Escape; wait_gone "(untag:"
else
	ok 0 "# SKIP the first demo asset has tags"
fi

# ---- combined filters match every term, each by prefix -------------------------------------
# matching LABEL_PREFIX [TAG_PREFIX]: the assets with a label and a tag starting so (any case)
matching() {
	python3 - "$XDG_DATA_HOME/annotty/demo/annotations.json" "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
names = {c["id"]: c["name"].lower() for c in d["categories"]}
labels = {}
for a in d["annotations"]:
    labels.setdefault(a["image_id"], set()).add(names[a["category_id"]])
lp, tp = sys.argv[2].lower(), sys.argv[3].lower()
print(sum(1 for i in d["images"]
          if any(l.startswith(lp) for l in labels.get(i["id"], ()))
          and (not tp or any(t.lower().startswith(tp) for t in i.get("annotty_tags") or []))))
PY
}
birds=$(matching bird "")
keys /; keys -l "label:bi"; wait_for "filter label:bi ($birds)"; ok $? "a label prefix: $birds assets"
keys -l "rd tag:ni"; n=$(matching bird ni)
wait_for "filter label:bird tag:ni ($n)"; ok $? "/label:bird tag:ni: both terms hold, $n assets"
if [ "$n" -eq 0 ]; then
	screen | grep -q "No asset matches the filter"; ok $? "and the list says none matches"
else
	ok 0 "# SKIP the demo has assets with both"
fi
keys Escape; wait_gone "filter label:"; ok $? "Esc puts back no filter"
keys /; keys -l "label:ca tag:ni"; keys Enter; n=$(matching ca ni)
wait_for "filter label:ca tag:ni ($n)"; ok $? "/label:ca tag:ni: $n assets"
screen | grep -q "/label:ca"; ok $([ $? -ne 0 ]; echo $?) "Enter closes the prompt"
keys Escape; wait_gone "filter label:"; ok $? "Esc clears the combined filter"

# ---- the filter reopens with its field ---------------------------------------------------
keys / l a b e l : d o g Enter; wait_for "filter label:dog"; ok $? "/ filters by label"
keys /; wait_for "/label:dog"; ok $? "/ again shows the whole filter, field included"
keys Escape; sleep 0.3
screen | grep -q "filter label:dog ("; ok $? "Esc keeps the filter as it was"
keys Escape; wait_gone "filter label:"; ok $? "and Esc clears it"

# ---- the window is full after a sort, and after coming back ----------------------------------
wait_for "1/$total"
keys S; wait_for "$total/$total"; wait_rows; ok $? "after g then S every row that fits shows"
keys S; wait_for "sorted by filename"; keys g; wait_for "1/$total"
# the first row by name has many shapes: sorted by shapes it goes far down
keys s s; wait_for "sorted by shapes"; wait_rows; ok $? "after s as well"
keys S; sleep 0.3; wait_rows; ok $? "and after reversing it"
keys Enter; wait_for "Shapes ("; keys q; wait_for "FILENAME"; wait_rows
ok $? "and after coming back from an asset"
keys s s; wait_for "sorted by filename, descending"; keys S; wait_gone "descending"
keys g; wait_for "1/$total"

# ---- tag messages say what changed -------------------------------------------------------
keys t n i g h t Enter; wait_for "added tag night"; ok $? "t adds a tag"
keys t n i g h t Enter; wait_for "already tagged night"; ok $? "adding it again says it is there"
keys T z z z Enter; wait_for "no tag zzz on this asset"; ok $? "removing a tag the asset lacks says so"
keys T n i g h t Enter; wait_for "removed tag night"; ok $? "T removes a tag it has"

# ---- the picker asks before it creates a label ---------------------------------------------
keys Enter; wait_for "Shapes ("; keys Tab; wait_for "Tab selects"
keys L; wait_for "Relabel"
keys c a r r Enter; wait_for 'create label "carr"? y/n'; ok $? "a name no label has is asked about"
keys n; wait_for "label: carr"; ok $? "n goes back to the typed name"
screen | grep -q "new label carr"; ok $([ $? -ne 0 ]; echo $?) "and creates nothing"
keys BSpace Enter; wait_gone "Relabel"; wait_for "car"
screen | grep -q "create label"; ok $([ $? -ne 0 ]; echo $?) "Enter on an existing name asks nothing"
keys L; wait_for "Relabel"; keys c a r r Enter y; wait_for "new label carr"
ok $? "y creates it"

# ---- an undone delete comes back selected --------------------------------------------------
keys d; wait_for "deleted"; ok $? "d deletes the selected shape"
keys u; wait_for "undid"; ok $? "u brings it back"
keys d; wait_for "deleted"; sleep 0.2
screen | grep -q "no shape selected"; ok $([ $? -ne 0 ]; echo $?) "the restored shape is selected"
keys u; wait_for "undid"
keys Q; wait_for "[exited with 0]"; ok $? "quits cleanly"
stop
done_testing
