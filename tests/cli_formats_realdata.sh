#!/bin/sh
# Every VOC, YOLO, YOLOv8 and Roboflow folder of $REALDATA opened as a user would, its counts
# (images, shapes, labels) compared with a count this test makes itself from the files with
# Python; splits opened one by one; and each exported to every format and read back.
. "${top_srcdir:-.}/tests/lib.sh"

[ -n "${REALDATA:-}" ] && [ -d "$REALDATA" ] || skip_all "REALDATA is not set or not a folder: the real-data samples are absent"
[ -n "${PYTHON3:-}" ] || PYTHON3=python3
command -v "$PYTHON3" >/dev/null 2>&1 || skip_all "python3 is needed to count the files independently"

# The independent counter: "images shapes" of a folder in a format, read from the files.
cat > "$T/count.py" <<'PY'
import os, sys, glob, re
import xml.etree.ElementTree as ET
fmt, root = sys.argv[1], sys.argv[2]
IMG = ('.jpg', '.jpeg', '.png', '.bmp')
def imgs(d, deep=True):
    out = []
    for dp, dn, fn in os.walk(d):
        dn[:] = [x for x in dn if not x.startswith('.')]
        out += [os.path.join(dp, f) for f in fn if f.lower().endswith(IMG) and not f.startswith('.')]
        if not deep: break
    return out
if fmt == 'voc':
    ann = os.path.join(root, 'Annotations')
    xmls = glob.glob(os.path.join(ann if os.path.isdir(ann) else root, '*.xml'))
    if not xmls: xmls = glob.glob(os.path.join(root, '*', '*.xml'))
    shapes, stems = 0, set()
    n = 0
    for x in xmls:
        try: r = ET.parse(x).getroot()
        except ET.ParseError: continue
        if r.tag != 'annotation': continue
        n += 1
        stems.add(os.path.splitext(os.path.basename(x))[0].lower())
        for o in r.findall('object'):
            if o.find('bndbox') is not None: shapes += 1
            shapes += sum(1 for p in o.findall('part') if p.find('bndbox') is not None)
    # images beside the XML files with no XML of their own are listed too
    jpeg = os.path.join(root, 'JPEGImages')
    folders = set(os.path.dirname(x) for x in xmls) if not os.path.isdir(ann) else \
        ({jpeg} if os.path.isdir(jpeg) else set())
    extra = sum(1 for d in folders for i in imgs(d, False)
                if os.path.splitext(os.path.basename(i))[0].lower() not in stems)
    print(n + extra, shapes)
elif fmt == 'yolo':
    kpt = None
    y = os.path.join(root, 'data.yaml')
    if os.path.exists(y):
        m = re.search(r'kpt_shape:\s*\[\s*(\d+)\s*,\s*(\d+)\s*\]', open(y).read())
        if m: kpt = (int(m.group(1)), int(m.group(2)))
    labels = [f for f in glob.glob(os.path.join(root, '**', '*.txt'), recursive=True)
              if '/labels/' in '/' + os.path.relpath(f, root) or '/obj_train_data/' in f]
    shapes = 0
    for f in labels:
        for line in open(f):
            v = line.split()
            if len(v) < 5: continue
            shapes += 1
            if kpt:
                k, d = kpt
                for i in range(k):
                    p = [float(t) for t in v[5 + i * d: 5 + i * d + d]]
                    if not (p[0] == 0 and p[1] == 0 and (d == 2 or p[2] == 0)): shapes += 1
    print(len(imgs(root)), shapes)
PY

# count FORMAT DIR [ANNOTTY OPTIONS...] -> "images shapes" as annotty lists them
annotty_count() {
	"$ANNOTTY" ls assets --json "$@" 2>"$T/err" | "$PYTHON3" -c '
import json, sys
a = json.load(sys.stdin); print(len(a), sum(x["shape_count"] for x in a))'
}

compare() { # description format dir [options...]
	desc=$1 fmt=$2 dir=$3; shift 3
	want=$("$PYTHON3" "$T/count.py" "$fmt" "$dir")
	got=$(annotty_count "$@" "$dir")
	[ -n "$want" ] && [ "$want" = "$got" ]; r=$?
	[ $r -eq 0 ] || { diag "want '$want', got '$got'"; sed 's/^/#   /' "$T/err"; }
	ok $r "$desc: $want (images shapes)"
}

D=$REALDATA/datumaro/tests/assets
compare "VOC with JPEGImages, parts and class lists" voc "$D/voc_dataset/voc_dataset1"
compare "VOC minimal set" voc "$D/voc_dataset/voc_dataset3"
compare "VOC annotations only, an odd @.xml" voc "$D/voc_dataset/voc_dataset2"
compare "Roboflow VOC, one folder per split" voc "$D/roboflow_dataset/voc"
compare "LabelImg VOC of chess photos (names without extension, case)" voc \
	"$REALDATA/roboflow-python/tests/datasets/chess"
compare "VOC2007 photos" voc "$REALDATA/review_object_detection_metrics/data/database/gts/pascalvoc_format" \
	--images "$REALDATA/review_object_detection_metrics/data/database/images"
compare "YOLO with images/ and labels/ split" yolo "$D/yolo_dataset/labels"
compare "Roboflow YOLO (val: ../valid/images is val/ here)" yolo "$D/roboflow_dataset/yolo"
compare "Roboflow YOLOv9 sharks: boxes and polygons mixed, absolute train path" yolo \
	"$REALDATA/roboflow-python/tests/datasets/sharks-tiny-yolov9"
for v in "$REALDATA"/datumaro-pr1577-yolov8/tests/assets/yolo_dataset/*/; do
	compare "YOLOv8 $(basename "$v")" yolo "$v"
done

# darknet: the list names data/obj_train_data/*.jpg, the photos are elsewhere (--images)
dk=$REALDATA/review_object_detection_metrics/data/database/gts/yolo_format
got=$(annotty_count --images "$REALDATA/review_object_detection_metrics/data/database/images" "$dk")
want="$(wc -l < "$dk/train.txt" | tr -d ' ') $(cat "$dk"/obj_train_data/*.txt | grep -c .)"
[ "$got" = "$want" ]; ok $? "darknet obj.data and train.txt: $want (images lines), got $got"

# the kinds of a line: a segmentation file has polygons, an oriented box is a 4-point polygon
seg=$REALDATA/datumaro-pr1577-yolov8/tests/assets/yolo_dataset/yolov8_segmentation
"$ANNOTTY" ls labels --json "$seg" > "$T/labels.json" 2>/dev/null
"$PYTHON3" - "$T/labels.json" "$seg/data.yaml" <<'PY'; ok $? "YOLOv8 class names come from data.yaml's map"
import json, sys, re
got = {l["name"] for l in json.load(open(sys.argv[1])) if l["shape_count"] > 0}
names = dict(re.findall(r'^\s+(\d+):\s*(\S+)', open(sys.argv[2]).read(), re.M))
import glob, os
used = {names[l.split()[0]] for f in glob.glob(os.path.dirname(sys.argv[2]) + "/labels/*/*.txt") for l in open(f) if l.strip()}
assert got == used, (got, used)
PY

# splits: versions, each opened as SOURCE#SPLIT
sh=$REALDATA/roboflow-python/tests/datasets/sharks-tiny-yolov9
for s in train val test; do
	d=$s; [ $s = val ] && d=valid
	want=$(ls "$sh/$d/images" | wc -l | tr -d ' ')
	got=$(annotty_count "$sh#$s" | cut -d' ' -f1)
	[ "$got" = "$want" ]; ok $? "the $s split alone: $want images (got $got)"
done
"$ANNOTTY" ls assets "$sh#nosuch" >/dev/null 2>"$T/err"; r=$?
[ $r -eq 1 ] && grep -q "no split named nosuch" "$T/err"; ok $? "an unknown split is named"

# every folder above exported to every format and read back: the same images and shapes (VOC
# keeps boxes only, so a source of boxes is used for it)
rt() { # description format source [options...]
	desc=$1 fmt=$2 src=$3; shift 3
	before=$(annotty_count "$@" "$src")
	rm -rf "$T/rt"
	"$ANNOTTY" export --format "$fmt" --images-link "$@" "$src" "$T/rt/$fmt" 2>"$T/err" >/dev/null &&
		after=$(annotty_count "$T/rt/$fmt")
	[ -n "$before" ] && [ "$before" = "${after:-}" ]; r=$?
	[ $r -eq 0 ] || { diag "before '$before' after '${after:-}'"; sed 's/^/#   /' "$T/err"; }
	ok $r "$desc to $fmt and back: $before"
}
chess=$REALDATA/roboflow-python/tests/datasets/chess
for f in voc yolo labelme; do rt "chess VOC" $f "$chess"; done
for f in yolo labelme; do rt "sharks YOLOv9" $f "$sh"; done
rt "sharks COCO" yolo "$REALDATA/roboflow-python/tests/datasets/sharks-tiny-coco/train"
rm -rf "$T/rt"
"$ANNOTTY" export --format coco "$chess" "$T/chess.json" 2>/dev/null &&
	[ "$(annotty_count "$T/chess.json")" = "$(annotty_count "$chess")" ]
ok $? "chess VOC to COCO and back"

done_testing
