#!/bin/sh
# Screen test of search inside screens on the demo in a private tmux at 120x40: :search bird
# then n n N land on the rows whose file name, a label or a tag holds "bird" (in list order,
# as counted here from the demo's COCO file), the wrap around says so, n with no search uses
# the / filter's text when it was given last, and / in the help goes to a line holding a word.
. "${top_srcdir:-.}/tests/lib.sh"
need_tmux
demo_data
coco="$XDG_DATA_HOME/annotty/demo/annotations.json"
"$ANNOTTY" ls assets --json demo > "$T/assets.json" 2>/dev/null
# the 1-based list positions (file name order) of the rows that match, independently of annotty
matches=$(python3 -c "
import json,sys
coco=json.load(open(sys.argv[1])); assets=json.load(open(sys.argv[2]))
cats={c['id']: c['name'] for c in coco['categories']}
labels={}
for a in coco['annotations']:
    labels.setdefault(a['image_id'], set()).add(cats[a['category_id']])
by_name={i['file_name'].split('/')[-1]: labels.get(i['id'], set()) for i in coco['images']}
rows=sorted(assets, key=lambda a: a['filename'])
hit=lambda s: 'bird' in s.lower()
print(' '.join(str(n + 1) for n, a in enumerate(rows)
      if hit(a['filename']) or any(map(hit, by_name.get(a['filename'], ())))
      or any(map(hit, a.get('tags', [])))))" "$coco" "$T/assets.json")
total=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$T/assets.json")
set -- $matches
count=$#
[ "$count" -ge 3 ]; ok $? "the demo has rows about birds ($matches of $total)"
first=$1 second=$2 third=$3
eval "last=\${$count}"
[ "$first" -gt 1 ] || { first=$2 second=$3 third=${4:-$1}; }

start 120 40 "$ANNOTTY" --demo --graphics=none
wait_for "annotty" 20; wait_for "1/$total"; ok $? "the demo opens"
keys n; wait_for "nothing to search for"; ok $? "n before any search says what to do"
keys : s e a r c h Space b i r d Enter; wait_for "$first/$total"
ok $? ":search bird goes to the first matching row ($first)"
keys n; wait_for "$second/$total"; ok $? "n goes to the next one ($second)"
keys n; wait_for "$third/$total"; ok $? "n again ($third)"
keys N; wait_for "$second/$total"; ok $? "N goes back ($second)"
keys G; wait_for "$total/$total"
keys n; wait_for "search wrapped"; ok $? "n past the last match says the search wrapped"
wait_for "$1/$total"; ok $? "and lands on the first match ($1)"
keys N; wait_for "$last/$total"; ok $? "N from the first match wraps to the last ($last)"
screen | grep -qF "search wrapped"; ok $? "and says so"
keys : s e a r c h Space z z q q x Enter; wait_for 'no row matches "zzqqx"'
ok $? "a search nothing matches says so"

# a / filter given after the search: n and N take the filter's text
keys / d o g Enter; wait_for "filter dog"
keys g n; wait_for 'search: "dog"'; ok $? "a filter given last is what n searches"
screen | head -1 | grep -qF "2/"; ok $? "and n goes to the next row"

# / in the help searches the help text
keys Escape '?'; wait_for "help"
keys / r e v e r s e Space t h e Enter; wait_for 'search: "reverse the"'
ok $? "/ in the help searches it"
screen | sed -n 2,5p | grep -qF "reverse the sort order"; ok $? "and shows the line that holds it"
keys / z z q q x Enter; wait_for 'no line of the help holds "zzqqx"'
ok $? "a word the help lacks says so"
keys / n e x t Enter; wait_for 'search: "next"'
l1=$(screen | sed -n 2,6p | md5sum)
keys n; sleep 0.3
l2=$(screen | sed -n 2,6p | md5sum)
[ "$l1" != "$l2" ]; ok $? "n goes to the next line that holds it"
keys N; sleep 0.3
[ "$(screen | sed -n 2,6p | md5sum)" = "$l1" ]; ok $? "N goes back to the one before"
keys q; wait_gone "j/k scroll"
keys Q; wait_for "[exited with 0]"; ok $? "quits cleanly"
stop
done_testing
