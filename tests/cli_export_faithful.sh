#!/bin/sh
# annotty export --format coco from a COCO source writes what the user did not change as the
# source had it: an untouched polygon's bbox and area, numbers to the digit, an annotation
# member named images, no info where there was none, the source's key order.
. "${top_srcdir:-.}/tests/lib.sh"
[ -n "${PYTHON3:-}" ] || PYTHON3=python3
command -v "$PYTHON3" >/dev/null 2>&1 || skip_all "python3 is needed to read the export"

mkdir -p "$T/ds"
cat > "$T/ds/src.json" <<'JSON'
{"licenses": [{"id": 1, "name": "x"}],
 "categories": [{"supercategory": "animal", "id": 1, "name": "cat"}],
 "images": [{"file_name": "a.jpg", "id": 1, "height": 480, "width": 640}],
 "annotations": [
  {"segmentation": [[10.5, 20.25, 177.292, 20.25, 177.292, 90.125]], "area": 4321.5,
   "iscrowd": 0, "image_id": 1, "bbox": [9.5, 19.5, 170, 72], "category_id": 1, "id": 7,
   "images": ["kept"]}]}
JSON
"$ANNOTTY" export --format coco "$T/ds/src.json" "$T/out.json" 2>"$T/err"; ok $? "export writes"
check_py() { # description python-assertion
	"$PYTHON3" - "$T/ds/src.json" "$T/out.json" "$2" <<'PY'
import json, sys
src, out = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
text = open(sys.argv[2]).read()
a = out["annotations"][0]
assert eval(sys.argv[3]), sys.argv[3]
PY
	ok $? "$1"
}
check_py "the untouched polygon's bbox is the source's" 'a["bbox"] == [9.5, 19.5, 170, 72]'
check_py "its area is the source's" 'a["area"] == 4321.5'
check_py "177.292 keeps its digits" '"177.292" in text'
check_py "the annotation member named images is kept" 'a.get("images") == ["kept"]'
check_py "no info is added" '"info" not in out'
check_py "the source's key order" 'list(out) == list(src) and list(a) == list(src["annotations"][0]) and list(out["images"][0])[:4] == list(src["images"][0])'
"$ANNOTTY" export --format coco "$T/ds/src.json" - > "$T/stdout.json" 2>/dev/null &&
	cmp -s "$T/stdout.json" "$T/out.json"; ok $? "standard output gets the same text"
done_testing
