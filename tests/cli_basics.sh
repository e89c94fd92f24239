#!/bin/sh
# The command line as scripts use it: help, version, exit codes, ls and export on small
# datasets written here, and the clear messages bad input gets.
. "${top_srcdir:-.}/tests/lib.sh"

out=$("$ANNOTTY" --version); ok $? "--version exits 0"
case "$out" in "annotty "*) ok 0 "--version names the program";; *) ok 1 "--version names the program";; esac
"$ANNOTTY" --help | grep -q "annotty ls assets"; ok $? "--help shows the ls usage"
"$ANNOTTY" --bogus >/dev/null 2>&1; ok $([ $? -eq 2 ]; echo $?) "an unknown option exits 2"
"$ANNOTTY" ls nothing here >/dev/null 2>&1; ok $([ $? -eq 2 ]; echo $?) "a malformed command exits 2"
"$ANNOTTY" export a b >/dev/null 2>&1; ok $([ $? -eq 2 ]; echo $?) "export without --format exits 2"

# A small COCO with two images (no image files: they are reported missing, not fatal).
mkdir -p "$T/ds"
cat > "$T/ds/instances.json" <<'JSON'
{"info": {"description": "two images"},
 "images": [{"id": 1, "file_name": "a.jpg", "width": 640, "height": 480},
            {"id": 2, "file_name": "b.jpg", "width": 320, "height": 200}],
 "categories": [{"id": 1, "name": "car"}, {"id": 2, "name": "dog"}],
 "annotations": [{"id": 10, "image_id": 1, "category_id": 1, "bbox": [10, 20, 100, 50]},
                 {"id": 11, "image_id": 1, "category_id": 2, "bbox": [200, 100, 30, 40]},
                 {"id": 12, "image_id": 2, "category_id": 2,
                  "segmentation": [[10, 10, 50, 10, 50, 60]], "bbox": [10, 10, 40, 50]}]}
JSON
"$ANNOTTY" ls assets --json "$T/ds/instances.json" > "$T/ls.json" 2> "$T/ls.err"
ok $? "ls assets --json on a COCO file"
python3 - "$T/ls.json" <<'PY'; ok $? "ls --json lists both assets with their fields"
import json, sys
a = json.load(open(sys.argv[1]))
assert [x["filename"] for x in a] == ["a.jpg", "b.jpg"], a
assert a[0]["shape_count"] == 2 and a[1]["shape_count"] == 1
assert a[0]["width"] == 640 and a[1]["height"] == 200
assert a[0]["status"] == "pending" and a[0]["tags"] == []
PY
grep -q "not found" "$T/ls.err"; ok $? "missing image files are reported as a warning"
"$ANNOTTY" ls assets "$T/ds" > "$T/ls.txt"; ok $? "a folder holding one JSON opens"
[ "$(wc -l < "$T/ls.txt")" -eq 2 ]; ok $? "text listing has one line per asset"
"$ANNOTTY" ls labels --json "$T/ds/instances.json" | grep -q '"dog"'; ok $? "ls labels lists the categories"

# export, then import the export: the same shapes
"$ANNOTTY" export --format coco "$T/ds/instances.json" "$T/out.json"; ok $? "export writes COCO"
python3 - "$T/out.json" <<'PY'; ok $? "export keeps images, categories, annotations and review fields"
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["images"]) == 2 and len(d["annotations"]) == 3 and len(d["categories"]) == 2
assert all(i["annotty_status"] == "pending" for i in d["images"])
assert d["info"]["description"] == "two images"
b = [a for a in d["annotations"] if a["id"] == 10][0]
assert b["bbox"] == [10, 20, 100, 50], b
PY
"$ANNOTTY" ls assets --json "$T/out.json" > "$T/ls2.json" 2>/dev/null
python3 -c "import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); assert [x['shape_count'] for x in a]==[x['shape_count'] for x in b]" "$T/ls.json" "$T/ls2.json"
ok $? "re-importing the export gives the same shapes"

# bad input: a clear message, exit 1, nothing written to the terminal from the data
"$ANNOTTY" ls assets "$T/nope.json" 2> "$T/err" >/dev/null; ok $([ $? -eq 1 ]; echo $?) "a missing file exits 1"
grep -q "nope.json" "$T/err"; ok $? "the message names the missing file"
printf '{"images": [' > "$T/bad.json"
"$ANNOTTY" ls assets "$T/bad.json" 2> "$T/err" >/dev/null; ok $([ $? -eq 1 ]; echo $?) "malformed JSON exits 1"
grep -qi "json" "$T/err"; ok $? "malformed JSON is named in the message"
echo '{"hello": 1}' > "$T/notcoco.json"
"$ANNOTTY" ls assets "$T/notcoco.json" 2> "$T/err" >/dev/null; ok $([ $? -eq 1 ]; echo $?) "JSON that is not COCO exits 1"
grep -qi "coco" "$T/err"; ok $? "the message says it is not COCO"
mkdir -p "$T/empty"
"$ANNOTTY" ls assets "$T/empty" 2> "$T/err" >/dev/null; ok $([ $? -eq 1 ]; echo $?) "a folder without a dataset exits 1"
printf '{"images":[{"id":1,"file_name":"\\u001b]52;c;aGk=\\u0007x.jpg","width":5,"height":5}],"annotations":[],"categories":[]}' > "$T/esc.json"
"$ANNOTTY" ls assets "$T/esc.json" > "$T/esc.txt" 2>/dev/null; ok $? "a file name with an escape sequence lists"
if grep -q "$(printf '\033')" "$T/esc.txt"; then ok 1 "no raw ESC reaches the terminal"; else ok 0 "no raw ESC reaches the terminal"; fi
grep -qF '^[]52' "$T/esc.txt"; ok $? "the escape is shown as text"
mkdir -p "$T/splits/train" "$T/splits/valid"
cp "$T/ds/instances.json" "$T/splits/train/_annotations.coco.json"
cp "$T/ds/instances.json" "$T/splits/valid/_annotations.coco.json"
"$ANNOTTY" ls assets "$T/splits" 2> "$T/err" >/dev/null; ok $([ $? -eq 1 ]; echo $?) "a folder of split folders exits 1"
grep -q "train/" "$T/err" && grep -q "valid/" "$T/err"; ok $? "and the message names the split folders to open"
"$ANNOTTY" >/dev/null 2>&1 < /dev/null; ok $([ $? -eq 1 ]; echo $?) "the TUI without a terminal exits 1 with a message"
done_testing
