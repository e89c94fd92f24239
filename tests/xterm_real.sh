#!/bin/sh
# Real-terminal test: the demo in a real xterm (VT340 mode, sixel, 256 colour registers) on a
# private Xvfb display, driven with xdotool like a user at the keyboard; screenshots are checked
# pixel by pixel (tests/xterm_pixels.py): a photo fills the pane, the first box is outlined in its
# label colour where its edge must be, n shows another picture whose box is there too, q q quits
# with status 0. Then the same with the half-block fallback.
. "${top_srcdir:-.}/tests/lib.sh"
for tool in Xvfb xterm xdotool import "${PYTHON3:-python3}"; do
	command -v "$tool" >/dev/null 2>&1 ||
		skip_all "$tool is missing (apt-get install xvfb xterm xdotool imagemagick python3)"
done
pixels() { "${PYTHON3:-python3}" "$top_srcdir/tests/xterm_pixels.py" "$@"; }
COLS=120 ROWS=40 LIMIT=30
xvfb_pid='' xterm_pid=''

stop_x() {
	[ -n "$xterm_pid" ] && kill "$xterm_pid" 2>/dev/null && wait "$xterm_pid" 2>/dev/null
	[ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
	xterm_pid='' xvfb_pid=''
}
trap 'stop_x; cleanup' EXIT
trap 'exit 1' HUP INT TERM

demo_data
"$ANNOTTY" ls assets --json demo > "$T/assets.json" 2>/dev/null
first=$("${PYTHON3:-python3}" -c "import json,sys; print(json.load(open(sys.argv[1]))[0]['filename'])" "$T/assets.json")
second=$("${PYTHON3:-python3}" -c "import json,sys; print(json.load(open(sys.argv[1]))[1]['filename'])" "$T/assets.json")
coco="$XDG_DATA_HOME/annotty/demo/annotations.json"

# poll SECONDS command...: retries the command until it succeeds or time runs out (by the
# clock, since each try can take a while on a loaded machine)
poll() {
	end=$(($(date +%s) + $1))
	shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# Xvfb picks a free display number itself and writes it to fd 3 once it accepts clients, so
# parallel tests never race for the same one; -noreset keeps it from resetting (and briefly
# refusing clients) when the first xterm goes away.
Xvfb -displayfd 3 -screen 0 1600x1200x24 -nolisten tcp -noreset 3>"$T/display" >"$T/xvfb.log" 2>&1 &
xvfb_pid=$!
xvfb_ready() { [ -s "$T/display" ] || ! kill -0 "$xvfb_pid" 2>/dev/null; }
poll "$LIMIT" xvfb_ready
if [ ! -s "$T/display" ]; then
	ok 1 "Xvfb starts"
	sed 's/^/#   | /' "$T/xvfb.log"
	done_testing
fi
DISPLAY=":$(cat "$T/display")"
export DISPLAY
unset XAUTHORITY XENVIRONMENT

# The program's exit status is written by a wrapper, since xterm does not report it.
cat > "$T/run.sh" <<'EOF'
#!/bin/sh
TERM=xterm-256color; export TERM
"$1" --demo --graphics="$2" 2>"$3.stderr"
echo $? > "$3.tmp" && mv "$3.tmp" "$3"
EOF

# (a wedged X server must not hang the test, hence the timeouts)
shot() { timeout 10 import -window "$win" -depth 8 "ppm:$T/$1.ppm" 2>>"$T/import.log"; }
# settle NAME check...: takes screenshots until two in a row are the same (the terminal has
# finished drawing) and the check passes on it; NAME.ppm is then that screenshot
settled() {
	name=$1
	shift
	shot "$name.new" || return 1
	if [ -f "$T/$name.prev.ppm" ] && cmp -s "$T/$name.prev.ppm" "$T/$name.new.ppm" &&
		"$@" "$T/$name.new.ppm"; then
		mv "$T/$name.new.ppm" "$T/$name.ppm"
		return 0
	fi
	mv "$T/$name.new.ppm" "$T/$name.prev.ppm"
	return 1
}
settle() {
	rm -f "$T/$1.prev.ppm" "$T/$1.ppm"
	poll "$LIMIT" settled "$@" && return 0
	diag "after $LIMIT s the screen is still not as expected ($2)"
	# the last screenshot stays for the checks that follow, which then say what is wrong
	[ -f "$T/$1.prev.ppm" ] && mv "$T/$1.prev.ppm" "$T/$1.ppm"
	return 1
}
keys() {
	timeout 10 xdotool windowfocus --sync "$win" >>"$T/xdotool.log" 2>&1
	timeout 10 xdotool key --delay 50 "$@" >>"$T/xdotool.log" 2>&1
}
nonblank() { pixels nonblank "$1"; }
photo() { pixels colours "$1" "$COLS" "$ROWS" "$min_colours"; }
photo_changed() { photo "$1" && pixels changed "$T/open.ppm" "$1" "$COLS" "$ROWS" 0.3; }
# keep MODE: with XTERM_SHOTS=DIR, the last screenshots are kept there to be looked at
keep() {
	[ -n "${XTERM_SHOTS:-}" ] || return 0
	for f in "$T"/*.ppm; do
		[ -f "$f" ] && mv "$f" "$XTERM_SHOTS/$1-${f##*/}"
	done
}

find_window() { timeout 10 xdotool search --name "^annotty-xterm-$$\$" >"$T/win"; }
xterm_gone() { ! kill -0 "$xterm_pid" 2>/dev/null; }

# start MODE: annotty --demo in a fresh xterm (VT340 for sixel; the window exactly the cells,
# without border, so that the cell size is the window's size over COLS x ROWS); sets win
start() {
	rm -f "$T/status"
	xterm -ti vt340 -xrm 'XTerm*numColorRegisters: 256' -xrm 'XTerm*allowTitleOps: false' \
		-b 0 -bw 0 -geometry "${COLS}x${ROWS}+0+0" \
		-title "annotty-xterm-$$" -e /bin/sh "$T/run.sh" "$ANNOTTY" "$1" "$T/status" \
		>"$T/xterm.log" 2>&1 &
	xterm_pid=$!
	poll "$LIMIT" find_window
	win=$(head -n 1 "$T/win" 2>/dev/null)
	if [ -z "$win" ]; then
		diag "no xterm window"
		sed 's/^/#   | /' "$T/xterm.log" "$T/xvfb.log"
		return 1
	fi
	settle list nonblank
}

# finish MODE: q q, and the exit status the wrapper saw
finish() {
	keys q q
	if poll "$LIMIT" test -s "$T/status"; then
		status=$(cat "$T/status")
		ok "$status" "$1: q q quits annotty with status 0"
		[ "$status" = 0 ] || diag "exit status $status"
	else
		ok 1 "$1: q q quits annotty"
		shot quit
	fi
	[ -s "$T/status.stderr" ] && sed 's/^/#   stderr: /' "$T/status.stderr"
	poll "$LIMIT" xterm_gone
	ok $? "$1: the xterm closes when annotty has quit"
	kill "$xterm_pid" 2>/dev/null
	wait "$xterm_pid" 2>/dev/null
	xterm_pid=''
	keep "$1"
}

# box SHOT ASSET MODE: the first box of ASSET is outlined in its label colour on the screenshot
box() {
	out=$(pixels box "$T/$1.ppm" "$COLS" "$ROWS" "$coco" "$2" "$3")
	rc=$?
	ok $rc "$3: the first box of $2 is outlined in its label colour"
	diag "$out"
}

# drag MODE: the mouse selects the first box of the open asset and drags it to the right; the
# cache (read by annotty export while annotty runs) has that box moved right and nothing else
# changed; u undoes it
drag() {
	set -- "$1" $(pixels boxat "$T/open.ppm" "$COLS" "$ROWS" "$coco" "$first" "$1")
	mode=$1 id=$2 cx=$3 cy=$4
	timeout 10 xdotool mousemove --window "$win" "$cx" "$cy" click 1 sleep 0.5 \
		mousedown 1 sleep 0.2 mousemove --window "$win" $((cx + 20)) "$cy" sleep 0.2 \
		mousemove --window "$win" $((cx + 60)) "$cy" sleep 0.2 mouseup 1 >>"$T/xdotool.log" 2>&1
	sleep 1
	"$ANNOTTY" export --format coco demo "$T/dragged.json" >/dev/null 2>&1
	out=$("${PYTHON3:-python3}" - "$coco" "$T/dragged.json" "$first" "$id" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
asset, moved = sys.argv[3], sys.argv[4]
def boxes(d):
    image = next(i["id"] for i in d["images"] if i["file_name"] == asset)
    return {str(x.get("id")): x["bbox"] for x in d["annotations"] if x["image_id"] == image}
before, after = boxes(a), boxes(b)
changed = sorted(k for k in before if before[k] != after.get(k))
dx = after[moved][0] - before[moved][0] if moved in after else 0
dy = after[moved][1] - before[moved][1] if moved in after else 0
print("annotations changed: %s; box %s moved by %+.0f,%+.0f" % (changed, moved, dx, dy))
sys.exit(0 if changed == [moved] and dx > 5 and abs(dy) <= 2 else 1)
PY
)
	ok $? "$mode: a mouse drag moves the box the pointer held, and nothing else"
	diag "$out"
	keys u
}

# review MODE MIN_COLOURS: open the first asset, check it, go to the next, check it, quit
review() {
	mode=$1 min_colours=$2
	start "$mode"
	rc=$?
	ok $rc "$mode: annotty starts in the xterm and draws the list"
	[ $rc -eq 0 ] || done_testing
	keys Return
	settle open photo
	ok $? "$mode: Enter opens $first and its picture fills the pane"
	pixels colours "$T/open.ppm" "$COLS" "$ROWS" "$min_colours" | sed 's/^/# /'
	box open "$first" "$mode"
	drag "$mode"
	keys n
	settle next photo_changed
	ok $? "$mode: n draws another picture"
	pixels changed "$T/open.ppm" "$T/next.ppm" "$COLS" "$ROWS" 0.3 | sed 's/^/# /'
	box next "$second" "$mode"
	finish "$mode"
}

started=$(date +%s)
review sixel 100
# a half-block cell holds two pixels of the picture: far fewer colours than sixel, but many
# more than the screen's chrome has
review blocks 24
diag "took $(($(date +%s) - started)) s"
done_testing
