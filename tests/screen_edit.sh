#!/bin/sh
# Screen test of shape editing, driven with keys in a private tmux at 120x40 with half-blocks:
# draw a box with the crosshair, label it in the picker, relabel it, move it and undo the moves
# as one step; the digit keys, delete, undo and redo, a polygon whose vertices are inserted
# and deleted (and one refused), Esc cancelling, a mouse click, accept from the edit mode;
# then `annotty export` and the exact coordinates and labels checked in the COCO it writes.
#
# The images are 890x440: at 120x40 the pane is 89 columns by 37 rows (89x74 half-block
# pixels), so the image is shown at a tenth of its size and one key press moves 10 pixels.
. "${top_srcdir:-.}/tests/lib.sh"
need_tmux
command -v python3 >/dev/null || skip_all "python3 is not installed"

ds="$T/ds"
python3 - "$ds" <<'EOF'
import json, os, struct, sys, zlib
out = sys.argv[1]
W, H = 890, 440
def png(path):
    red = [x * 255 // W for x in range(W)]
    raw = b"".join(b"\0" + bytes(v for r in red for v in (r, y * 255 // H, 96))
                   for y in range(H))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b""))
os.makedirs(os.path.join(out, "images"))
for name in ("a.png", "b.png"):
    png(os.path.join(out, "images", name))
json.dump({
    "images": [{"id": 1, "file_name": "a.png", "width": W, "height": H},
               {"id": 2, "file_name": "b.png", "width": W, "height": H}],
    "categories": [{"id": 1, "name": "car"}, {"id": 2, "name": "dog"},
                   {"id": 3, "name": "person"}],
    "annotations": [
        {"id": 10, "image_id": 1, "category_id": 3, "bbox": [100, 100, 100, 100]},
        {"id": 11, "image_id": 1, "category_id": 3, "bbox": [600, 50, 100, 200]},
        {"id": 12, "image_id": 2, "category_id": 1, "bbox": [300, 200, 200, 100]}],
}, open(os.path.join(out, "annotations.json"), "w"))
EOF
[ -f "$ds/annotations.json" ] || skip_all "could not write the test dataset"

status() { screen | sed -n '39p'; }
message() { screen | sed -n '40p'; }
# Esc alone: a key sent right after it would read as Alt+key
esc() { keys Escape; sleep 0.2; }
# mouse CODE COL ROW (0-based cells): one X10 mouse report (0 press, 32 motion with the button
# held, 3 release), as a terminal in mode 1002 sends them
mouse() {
	tm send-keys -t t -l "$(printf '\033[M%b%b%b' "\\0$(printf %o $(($1 + 32)))" \
		"\\0$(printf %o $(($2 + 33)))" "\\0$(printf %o $(($3 + 33)))")"
	sleep 0.05
}
# click COL ROW (0-based cells): an X10 mouse press and release, as a terminal sends them
click() {
	seq=$(printf '\033[M %b%b\033[M#%b%b' "\\0$(printf %o $(($1 + 33)))" \
		"\\0$(printf %o $(($2 + 33)))" "\\0$(printf %o $(($1 + 33)))" "\\0$(printf %o $(($2 + 33)))")
	tm send-keys -t t -l "$seq"
}

start 120 40 ANNOTTY_TRACE="$T/trace.txt" "$ANNOTTY" --graphics=blocks "$ds"
wait_for "a.png" 20; ok $? "the dataset opens"
keys Enter; wait_for "Shapes (2)"; ok $? "Enter opens the first asset"
wait_for "1 person  2 car  3 dog"; ok $? "the digit keys go to the most used labels, shown in the panel"

# ---- a new box: b, moves, Space, moves, Enter ------------------------------------------------
keys b; wait_for "NEW box at 445,220"; ok $? "b starts a box with a crosshair in the middle"
keys 5 h; wait_for "NEW box at 395,220"; ok $? "a count moves by that many steps of 10 pixels"
keys K; wait_for "NEW box at 395,120"; ok $? "Shift moves ten steps"
keys Space; wait_for "first corner at 395,120"; ok $? "Space sets the first corner"
keys 3 l J J; wait_for "NEW box 395,120 to 425,320"; ok $? "the status follows the second corner"
keys Enter; wait_for "Label for new box"; ok $? "Enter asks for the label in the picker"
keys c a; wait_for '+ create label "ca"'; ok $? "typing filters and offers a new label"
screen | grep -q "2■ car"; ok $? "car matches the filter, with its digit"
keys Enter; wait_for "added box car"; ok $? "Enter labels the new box"
wait_for "Shapes (3)"; ok $? "the side panel lists it"

# ---- relabel, move, undo ---------------------------------------------------------------------
keys L; wait_for "Relabel box car"; ok $? "L opens the picker on the selected shape"
keys d o g Enter; wait_for "relabelled box: car → dog"; ok $? "a typed name relabels"
keys L; wait_for "Relabel box dog"; ok $? "l relabels too when the whole image is shown"
esc; wait_gone "Relabel box dog"; ok $? "Esc closes the picker"
keys e; wait_for "EDIT move"; ok $? "e enters the edit mode, shown in the status bar"
keys l; wait_for "box dog at 405,120, 30x200"; ok $? "l moves the box by 10 pixels"
keys l l; wait_for "box dog at 425,120, 30x200"; ok $? "each press moves it again"
keys u; wait_for "undid move box"; ok $? "u undoes, naming the edit"
keys h; wait_for "box dog at 385,120, 30x200"; ok $? "the three nudges were one undo step"
keys u; wait_for "undid"; esc
wait_gone "EDIT move"; ok $? "Esc leaves the edit mode"

# ---- Esc cancels creation --------------------------------------------------------------------
keys b; wait_for "NEW box at"; esc
wait_for "new box cancelled"; ok $? "Esc cancels a new box"
keys c p Space; wait_for "vertex 1 at"; keys Enter
wait_for "a polygon needs at least 3 vertices (1 placed"; ok $? "a polygon refuses to close early"
esc; wait_for "new polygon cancelled"; ok $? "Esc cancels it"
keys c c; wait_for "Label for new classification"; esc
wait_for "new classification cancelled"; ok $? "Esc in the picker cancels a new classification"
screen | grep -q "Shapes (3)"; ok $? "nothing was added"

# ---- select by click, digits, delete, undo, redo ---------------------------------------------
esc
click 65 15; wait_for "box person"; ok $? "a click on the image selects the shape under it"
keys e l; wait_for "box person at 610,50, 100x200"; ok $? "it is the clicked one"
keys u; wait_for "undid"; esc; esc

# ---- the mouse: drag the box, drag its edge, drag out a new box -------------------------------
click 65 15; wait_for "box person"
mouse 0 65 15; mouse 32 67 15; mouse 32 68 16; mouse 3 68 16
wait_for "box person at 630,70, 100x200"; ok $? "a drag moves the selected box the pointer's way"
screen | grep -q "EDIT"; ok $([ $? -ne 0 ]; echo $?) "a drag outside the edit mode leaves no mode behind"
keys u; wait_for "undid move box"; ok $? "the whole drag is one undo step"
mouse 0 70 15; mouse 32 72 15; mouse 32 73 15; mouse 3 73 15
wait_for "box person at 600,50, 130x200"; ok $? "a drag on its right edge resizes it (from where u left it)"
keys u; wait_for "undid resize box"; ok $? "and u undoes that"
esc
keys b; wait_for "NEW box at"
mouse 0 20 25; mouse 32 23 27; mouse 32 25 28
wait_for "NEW box 205,350 to 255,410"; ok $? "in b, a press sets the first corner and the drag the second"
mouse 3 25 28; wait_for "Label for new box"; ok $? "letting go finishes the box and asks for its label"
esc; wait_for "new box cancelled"; ok $? "Esc there cancels it"
esc
keys Tab; keys d; wait_for "deleted box person (u undoes)"; ok $? "d deletes, naming the label"
wait_for "Shapes (2)"; ok $? "the panel has one shape less"
keys u; wait_for "Shapes (3)"; ok $? "u brings it back"
keys C-r; wait_for "redid"; ok $? "C-r redoes"
wait_for "Shapes (2)"; ok $? "and the shape is gone again"
keys C-r; wait_for "nothing to redo"; ok $? "one redo per undo"
keys Tab; keys 2; wait_for "relabelled box: person → car"; ok $? "2 gives the label of key 2"

# ---- a polygon: vertices placed, inserted, deleted, refused -----------------------------------
keys c p Space L Space J Space Enter
wait_for "Label for new polygon"; ok $? "Space places vertices and Enter closes a polygon"
keys Enter; wait_for "added polygon car"; ok $? "the last used label is preselected"
keys e v; wait_for "EDIT vertex 1/3"; ok $? "v selects vertices"
keys x; wait_for "vertex 1 kept: a polygon part needs at least 3 vertices"
ok $? "deleting below three vertices is refused with a message"
keys i; wait_for "EDIT vertex 2/4"; ok $? "i inserts a vertex after the selected one"
keys x; wait_for "EDIT vertex 1/3"; ok $? "x deletes it again"
keys ] ]; wait_for "EDIT vertex 3/3"; ok $? "] steps through the vertices"
esc; keys '"'; wait_for "text:"; keys h e l l o Enter; wait_for "text set"
ok $? "a double quote sets the shape's text"

# ---- accept from the edit mode --------------------------------------------------------------
keys Tab; keys e; wait_for "EDIT move"
keys A; wait_for "b.png"; ok $? "A in the edit mode accepts and goes to the next asset"
status | grep -q "EDIT"; ok $([ $? -ne 0 ]; echo $?) "and the edit mode is over"
keys q; wait_for "FILENAME"; keys q; wait_for "[exited with 0]"; ok $? "quits cleanly"
stop

# ---- the export holds exactly what the keys made --------------------------------------------
"$ANNOTTY" export --format coco "$ds" "$T/out.json" >/dev/null 2>&1; ok $? "export runs"
python3 - "$T/out.json" > "$T/checks" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
cat = {c["id"]: c["name"] for c in d["categories"]}
img = {i["id"]: i for i in d["images"]}
a = [x for x in d["annotations"] if x["image_id"] == 1]
def find(pred):
    return [x for x in a if pred(x)]
checks = [
    ("the drawn box is at its corners, labelled dog",
     find(lambda x: x["bbox"] == [395, 120, 30, 200] and cat[x["category_id"]] == "dog")),
    ("the clicked person's move was undone, the digit made it a car",
     find(lambda x: x.get("id") == 11 and x["bbox"] == [600, 50, 100, 200]
          and cat[x["category_id"]] == "car")),
    ("the deleted person is gone", [True] if not find(lambda x: x.get("id") == 10) else []),
    ("the polygon has its three vertices, labelled car, with its text",
     find(lambda x: x.get("segmentation") == [[445, 220, 545, 220, 545, 320]]
          and cat[x["category_id"]] == "car" and x.get("annotty_text") == "hello")),
    ("a.png is accepted", [True] if img[1].get("annotty_status") == "accepted" else []),
    ("three shapes on a.png", [True] if len(a) == 3 else []),
]
for what, found in checks:
    print(0 if found else 1, what)
if not all(f for _, f in checks):
    print("# annotations:", json.dumps(a))
EOF
[ -s "$T/checks" ]; ok $? "the export is COCO JSON"

# ANNOTTY_TRACE: a line per frame shown after a key, the 890x440 picture at 89x44 half-blocks
nudges=$(grep -c '^key=l asset=1 cached=[01] us=[0-9]* bytes=[0-9]* write_us=[0-9]* px=89x44$' \
	"$T/trace.txt" 2>/dev/null)
[ "${nudges:-0}" -ge 3 ]; ok $? "the trace has a line for each nudge's frame (${nudges:-0})"
while read -r rc what; do
	if [ "$rc" = "#" ]; then diag "$what"; else ok "$rc" "$what"; fi
done < "$T/checks"
done_testing
