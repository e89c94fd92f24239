#!/bin/sh
# Screen test: a dataset full of trouble (escape sequences, tabs, right-to-left and wide
# characters in names; a truncated JPEG, a text file named .jpg, absurd sizes, an annotation
# for an image that does not exist). Everything shows as text, aligned, and the rest of the
# dataset stays usable.
. "${top_srcdir:-.}/tests/lib.sh"
need_tmux
demo_data
good="$XDG_DATA_HOME/annotty/demo/images/car_0001.jpg"
mkdir -p "$T/ds/images"
cp "$good" "$T/ds/images/ok.jpg"
head -c 3000 "$good" > "$T/ds/images/truncated.jpg"
echo "not an image" > "$T/ds/images/notes.jpg"
cp "$good" "$T/ds/images/$(printf 'tab\there.jpg')"
cp "$good" "$T/ds/images/שלום.jpg"
cp "$good" "$T/ds/images/街道写真.jpg"
python3 - "$T/ds/annotations.json" <<'PY'
import json, sys
names = ["ok.jpg", "truncated.jpg", "notes.jpg", "tab\there.jpg", "שלום.jpg", "街道写真.jpg",
         "evil\x1b]52;c;aGk=\x07.jpg", "huge.jpg"]
images = [{"id": i + 1, "file_name": n, "width": 1600, "height": 900} for i, n in enumerate(names)]
images[-1].update(width=10**9, height=10**9)
cats = [{"id": 1, "name": "car"}, {"id": 2, "name": "\x1b[31mred\x1b[0m"}, {"id": 3, "name": "مركبة"}]
anns = [{"id": i + 1, "image_id": i % len(names) + 1, "category_id": i % 3 + 1,
         "bbox": [100 + i, 100, 400, 300]} for i in range(16)]
anns.append({"id": 99, "image_id": 4242, "category_id": 1, "bbox": [0, 0, 1, 1]})
json.dump({"images": images, "categories": cats, "annotations": anns}, open(sys.argv[1], "w"))
PY
start 100 24 "$ANNOTTY" --graphics=blocks "$T/ds"
wait_for "FILENAME" 20; ok $? "the troubled dataset opens"
screen > "$T/screen.txt"
grep -q "problem" "$T/screen.txt"; ok $? "the problems found are reported in the message line"
tm capture-pane -p -e -t t > "$T/raw.txt"
! grep -qF "$(printf '\033]52')" "$T/raw.txt"; ok $? "no escape sequence from a name reached the terminal"
grep -qF '^[]52;c;aGk=^G.jpg' "$T/screen.txt"; ok $? "the escape in a file name shows as text"
grep -q "tab here.jpg" "$T/screen.txt"; ok $? "a tab shows as a space"
grep -q "שלום.jpg" "$T/screen.txt"; ok $? "right-to-left text shows"
grep -q "街道写真.jpg" "$T/screen.txt"; ok $? "wide characters show"
python3 - "$T/screen.txt" <<'PY'; ok $? "the status column stays aligned on every row"
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
cols = set()
for line in open(sys.argv[1], encoding="utf-8"):
    for word in ("pending", "accepted"):
        i = line.find(word)
        if i >= 0 and ".jpg" in line:
            cols.add(width(line[:i]))
assert len(cols) == 1, cols
PY
open_only() { # filters the list down to one file and opens it
	keys / f i l e : "$1" Enter; wait_for "filter file:$1"; keys Enter
}
open_only ok; wait_for "Shapes ("; ok $? "a good image opens"
keys q Escape; open_only truncated; wait_for "truncated.jpg"; ok $? "the truncated JPEG opens"
wait_for "truncated JPEG"; ok $? "it says why it is not shown"
keys q Escape; open_only notes; wait_for "not a JPEG"; ok $? "a text file named .jpg says it is not an image"
keys Tab; keys Tab; sleep 0.3
keys A; wait_for "accepted"; ok $? "a broken image can still be reviewed"
keys q; wait_for "FILENAME"; screen | grep "notes.jpg" | grep -q accepted; ok $? "and the list shows it accepted"
keys Q; wait_for "[exited with 0]"; ok $? "quits cleanly"
stop
done_testing
