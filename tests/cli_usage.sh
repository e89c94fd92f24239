#!/bin/sh
# The command line's words: a wrong line says in one line what is wrong and in one more where
# to read more (exit 2); help prints help; the man page's synopsis and the README's usage are
# what annotty prints; export to standard output; doctor --json; every label listed; plurals.
. "${top_srcdir:-.}/tests/lib.sh"

# usage_error DESCRIPTION EXPECTED-FIRST-LINE EXPECTED-SECOND-LINE ARGS...
usage_error() {
	desc=$1 first=$2 second=$3; shift 3
	"$ANNOTTY" "$@" > "$T/out" 2> "$T/err" < /dev/null
	rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l < "$T/err")" -eq 2 ] && [ "$(sed -n 1p "$T/err")" = "$first" ] &&
		[ "$(sed -n 2p "$T/err")" = "$second" ] && [ ! -s "$T/out" ]
	r=$?
	[ $r -eq 0 ] || { diag "exit $rc"; sed 's/^/#   /' "$T/err"; }
	ok $r "$desc"
}
usage_error "export without --format says so" \
	"annotty: export needs --format (coco, voc, yolo, labelme, cvat, images)" \
	"see 'annotty help export'" export a b
usage_error "an unknown format is named, with the formats there are" \
	"annotty: unknown format yaml; formats: coco, voc, yolo, labelme, cvat, images" \
	"see 'annotty help export'" export --format yaml a b
usage_error "a bare ls says what it lists" "annotty: ls needs what to list: assets, labels, datasets, versions, datalakes, data, tags, campaigns, steps, tasks, conflicts, sources" \
	"see 'annotty help ls'" ls
usage_error "ls of an unknown kind says what it lists" \
	"annotty: ls nothing is not a command; what to list: assets, labels, datasets, versions, datalakes, data, tags, campaigns, steps, tasks, conflicts, sources" "see 'annotty help ls'" \
	ls nothing here
usage_error "export without OUT says what is missing" \
	"annotty: export needs OUT.json: the file to write, or - for standard output" \
	"see 'annotty help export'" export --format coco a
usage_error "an unknown option is named" "annotty: unknown option --bogus" "see 'annotty help'" --bogus
usage_error "an option of another command is refused" "annotty: --width is not an option of ls assets" \
	"see 'annotty help ls'" ls assets --width 300 x
usage_error "an unknown graphics mode lists the modes" \
	"annotty: unknown graphics mode sixxel; modes: auto, sixel, kitty, kitty-tmux, iterm2, blocks, none" \
	"see 'annotty help show'" show --graphics=sixxel x.jpg
usage_error "a bad width says the range" "annotty: --width takes 16 to 10000 pixels" \
	"see 'annotty help show'" show --width 12x x.jpg
usage_error "a bare task says which decisions there are" \
	"annotty: task needs the decision: submit, accept, reject, skip" "see 'annotty help task'" task
usage_error "--comment is refused where no reason is kept" \
	"annotty: --comment is not an option of task submit" "see 'annotty help task'" \
	task submit --comment x --dataset cars/v1 x
usage_error "a bad duration says the range" "annotty: --duration takes 0 to 86400 seconds" \
	"see 'annotty help task'" task skip --duration -3 --dataset cars/v1 x
usage_error "campaign start without SOURCE says what is missing" \
	"annotty: campaign start needs SOURCE: the dataset (a COCO, VOC, YOLO, labelme or CVAT file or folder, a folder of images, or demo)" \
	"see 'annotty help campaign'" campaign start
usage_error "help of an unknown command lists the commands" \
	"annotty: there is no command nope; commands: ls, export, show, sync, tag, review, task, campaign, conflicts, cache, sources, login, logout, stats, config, doctor, help" "see 'annotty help'" \
	help nope

"$ANNOTTY" help > "$T/help" 2> "$T/err"; ok $? "annotty help exits 0"
grep -q "^usage: annotty" "$T/help" && grep -q "annotty export --format FORMAT" "$T/help" && [ ! -s "$T/err" ]
ok $? "annotty help prints the usage"
"$ANNOTTY" --help | cmp -s - "$T/help"; ok $? "annotty --help prints the same"
"$ANNOTTY" help export > "$T/hexp"; ok $? "annotty help export exits 0"
grep -q "^usage: annotty export --format FORMAT" "$T/hexp" && grep -q "OUT.json" "$T/hexp" && ! grep -q "ls assets" "$T/hexp"
ok $? "annotty help export explains export alone"
"$ANNOTTY" export --help | cmp -s - "$T/hexp"; ok $? "annotty export --help is the same"
"$ANNOTTY" ls --help | grep -q "ls labels"; ok $? "annotty ls --help lists both forms"

# the man page's synopsis and the README's usage are the table's
man="$top_srcdir/share/annotty.1"
sed -n '/^\.SH SYNOPSIS/,/^\.SH /p' "$man" | sed '1d;$d' > "$T/man-syn"
"$ANNOTTY" __synopsis > "$T/syn"; ok $? "annotty __synopsis exits 0"
diff "$T/syn" "$T/man-syn" > "$T/d" ; r=$?; [ $r -eq 0 ] || sed 's/^/#   /' "$T/d"
ok $r "the man page's SYNOPSIS is what the command table says"
awk '/^## Usage/ { u = 1; next } u && /^```/ { if (f) exit; f = 1; next } f' "$top_srcdir/README.md" > "$T/readme-usage"
sed -n '/^usage:/,/^$/p' "$T/help" | sed '/^$/d; s/^usage: //; s/^       //' > "$T/help-usage"
diff "$T/help-usage" "$T/readme-usage" > "$T/d"; r=$?; [ $r -eq 0 ] || sed 's/^/#   /' "$T/d"
ok $r "the README's usage is what annotty help prints"

# a dataset: one image whose file is missing, and 5000 labels
mkdir -p "$T/ds" "$T/cwd"
python3 - "$T/ds/instances.json" <<'PY'
import json, sys
cats = [{"id": i + 1, "name": "label%05d" % i} for i in range(5000)]
json.dump({"images": [{"id": 1, "file_name": "a.jpg", "width": 64, "height": 48}],
           "categories": cats,
           "annotations": [{"id": 1, "image_id": 1, "category_id": 4999, "bbox": [1, 2, 3, 4]}]},
          open(sys.argv[1], "w"))
PY
"$ANNOTTY" ls labels "$T/ds/instances.json" > "$T/labels" 2> "$T/err"; ok $? "ls labels of 5000 labels exits 0"
[ "$(wc -l < "$T/labels")" -eq 5000 ] && tail -n 1 "$T/labels" | grep -q "^label04999	0$"
ok $? "ls labels lists all 5000"
"$ANNOTTY" ls labels --json "$T/ds/instances.json" 2>/dev/null | python3 -c '
import json, sys
a = json.load(sys.stdin)
assert len(a) == 5000 and a[4998] == {"name": "label04998", "shape_count": 1}, a[4998]'
ok $? "ls labels --json lists all 5000 with their shape counts"

(cd "$T/cwd" && "$ANNOTTY" export --format coco "$T/ds/instances.json" - > "$T/stdout.json" 2>/dev/null); ok $? "export to - exits 0"
[ ! -e "$T/cwd/-" ]; ok $? "export to - writes no file named -"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["images"]) == 1 and len(d["categories"]) == 5000' "$T/stdout.json"
ok $? "export to - writes the COCO to standard output"

TERM="$(printf 'xterm\033]52;c;aGk=\007\177\302\205')" "$ANNOTTY" doctor --json > "$T/doc.json" 2>&1 < /dev/null
ok $? "doctor --json exits 0"
python3 - "$T/doc.json" <<'PY'; ok $? "doctor --json is one JSON object with the report, the TERM as it was"
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) >= {"terminal", "graphics", "files", "libraries"}, d.keys()
assert d["terminal"]["term"] == "xterm\x1b]52;c;aGk=\x07\x7f\x85", d["terminal"]["term"]
assert d["terminal"]["stdout"].startswith("not a terminal")
for lib in ("libjpeg", "libpng", "libsixel", "sqlite", "libcurl", "curses"):
    assert d["libraries"][lib], lib
PY
python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
bad = [c for c in b.decode() if (ord(c) < 32 and c != "\n") or 0x7f <= ord(c) <= 0x9f]
assert not bad, bad' "$T/doc.json"
ok $? "doctor --json writes no raw control character"
"$ANNOTTY" doctor > "$T/doc" 2>&1 < /dev/null
grep -q "libjpeg:.*[0-9]" "$T/doc" && grep -q "libpng:.*[0-9]" "$T/doc" && grep -q "libsixel:.*[0-9]" "$T/doc"
ok $? "doctor lists the libjpeg, libpng and libsixel versions"
done_testing
