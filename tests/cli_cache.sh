#!/bin/sh
# A damaged cache: edits are refused with a message that names `annotty cache rebuild`, which
# moves the file aside (never deleting it), keeps the edits not exported yet, and leaves a cache
# that works again.
. "${top_srcdir:-.}/tests/lib.sh"
demo_data
db="$XDG_CACHE_HOME/annotty/cache.db"

"$ANNOTTY" tag add demo bird_0001.jpg kept-across > /dev/null 2>&1; ok $? "a tag queued on the demo"
[ -f "$db" ] && [ "$(wc -c < "$db")" -gt 65536 ]; ok $? "the cache is big enough to damage"
# garbage over pages in the middle of the file, where the asset rows are
python3 -c '
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(40960); f.write(b"\xde\xad" * 8192)' "$db"
"$ANNOTTY" tag add demo bird_0002.jpg refused > "$T/out" 2> "$T/err"; rc=$?
[ $rc -ne 0 ] && grep -q "annotty cache rebuild" "$T/err"
ok $? "a write to the damaged cache is refused, naming the command that rebuilds it"
# export from the damaged cache: a complete file (and a word that the edits stay unexported),
# or no file at all, never half of one
"$ANNOTTY" export --format coco demo "$T/out.json" > /dev/null 2> "$T/err"; rc=$?
if [ $rc -eq 0 ]; then
	python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$T/out.json" &&
		grep -q "stay counted as not exported" "$T/err"
else
	[ ! -e "$T/out.json" ]
fi
ok $? "export from a damaged cache writes a whole file or none (exit $rc)"
"$ANNOTTY" cache rebuild > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 0 ] && grep -q "rebuilt the cache" "$T/out" && grep -q "kept at" "$T/out"
ok $? "cache rebuild reports what it kept and where the damaged file is"
ls "$XDG_CACHE_HOME"/annotty/cache.db.damaged-* > /dev/null 2>&1; ok $? "the damaged file is kept aside"
"$ANNOTTY" tag add demo bird_0002.jpg after-rebuild > /dev/null 2>&1; ok $? "edits work again"
"$ANNOTTY" ls assets --json demo > "$T/ls.json" 2>/dev/null
python3 -c '
import json, sys
tags = {a["filename"]: a["tags"] for a in json.load(open(sys.argv[1]))}
sys.exit(0 if "after-rebuild" in tags.get("bird_0002.jpg", []) else 1)' "$T/ls.json"
ok $? "and show in the listing"
done_testing
