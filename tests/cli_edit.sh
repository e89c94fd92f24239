#!/bin/sh
# tag and review on a local SOURCE: queued as the review screen queues them, shown by ls and
# written by export; a wrong asset name changes nothing; conflicts of a local file listed.
. "${top_srcdir:-.}/tests/lib.sh"

mkdir -p "$T/ds"
cat > "$T/ds/set.json" <<'JSON'
{"images": [{"id": 1, "file_name": "a.jpg", "width": 64, "height": 48},
            {"id": 2, "file_name": "b.jpg", "width": 64, "height": 48},
            {"id": 3, "file_name": "c.jpg", "width": 64, "height": 48}],
 "categories": [{"id": 1, "name": "car"}],
 "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4]}]}
JSON
set="$T/ds/set.json"
status_of() { "$ANNOTTY" ls assets --json "$set" | python3 -c '
import json, sys
a = {x["filename"]: x for x in json.load(sys.stdin)}[sys.argv[1]]
print(a["status"], ",".join(a["tags"]))' "$1"; }

"$ANNOTTY" tag add "$set" a.jpg hard "two words" > "$T/out" 2> "$T/err"
[ $? -eq 0 ] && grep -q "^a.jpg: +hard$" "$T/out" && grep -q "^2 edits made" "$T/out"
ok $? "tag add on a local SOURCE adds the tags"
[ "$(status_of a.jpg)" = "pending hard,two words" ]; ok $? "ls shows them"
"$ANNOTTY" tag add "$set" a.jpg hard > "$T/out" 2>&1 && grep -q "already has hard" "$T/out" && grep -q "nothing changed" "$T/out"
ok $? "a tag the asset has changes nothing, and says so"
"$ANNOTTY" tag rm "$set" a.jpg "two words" > /dev/null 2>&1 && [ "$(status_of a.jpg)" = "pending hard" ]
ok $? "tag rm removes it"
"$ANNOTTY" review accept "$set" a.jpg 2 > "$T/out" 2> "$T/err"
[ $? -eq 0 ] && [ "$(status_of a.jpg)" = "accepted hard" ] && [ "$(status_of b.jpg)" = "accepted " ]
ok $? "review accept takes file names and ids"
"$ANNOTTY" review reject "$set" c.jpg > /dev/null 2>&1 && [ "$(status_of c.jpg)" = "rejected " ]
ok $? "review reject"
"$ANNOTTY" review reset "$set" b.jpg > /dev/null 2>&1 && [ "$(status_of b.jpg)" = "pending " ]
ok $? "review reset sets it back to pending"
"$ANNOTTY" review accept "$set" b.jpg zz.jpg > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] && grep -q "no asset has the id or file name zz.jpg" "$T/err" && [ "$(status_of b.jpg)" = "pending " ]
ok $? "an unknown asset fails (exit 1) before any edit"
"$ANNOTTY" tag add "$set" a.jpg "$(printf 'bad\033tag')" > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] && ! grep -q "$(printf '\033')" "$T/err"; ok $? "a tag with a control character is refused, the message escaped"
"$ANNOTTY" export --format coco "$set" "$T/out.json" > /dev/null 2>&1
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
im = {i["file_name"]: i for i in d["images"]}
assert im["a.jpg"]["annotty_status"] == "accepted" and im["a.jpg"]["annotty_tags"] == ["hard"], im["a.jpg"]
assert im["c.jpg"]["annotty_status"] == "rejected"' "$T/out.json"
r=$?; [ $r -eq 0 ] || head -c 600 "$T/out.json" | sed 's/^/#   /'
ok $r "export writes the review and the tags made from the command line"
"$ANNOTTY" ls conflicts --json "$set" > "$T/out" 2> "$T/err" && [ "$(cat "$T/out")" = "[]" ]
ok $? "ls conflicts --json of a file without conflicts is an empty array"
"$ANNOTTY" conflicts keep-mine 999 > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] && grep -q "conflict 999" "$T/err"; ok $? "settling an unknown conflict says so (exit 1)"
"$ANNOTTY" conflicts take-theirs x1 > "$T/out" 2> "$T/err"; [ $? -eq 2 ]
ok $? "a conflict number that is no number is a usage error"
done_testing
