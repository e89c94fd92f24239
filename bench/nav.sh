#!/bin/sh
# Navigation benchmark: annotty in a private tmux on 12-megapixel JPEGs (the demo's images made
# larger), n and p pressed over and over with short pauses, then Tab (a selection change on the
# same picture). The key-to-frame latency comes from annotty's own trace (ANNOTTY_TRACE); prints
# p50/p95 for frames built for the key and for frames shown again from the cache, and peak RSS.
# Never fails on a time.
# Then e and NUDGES nudges of the selected shape (l k l j): the edit feedback loop.
# Usage: bench/nav.sh [ANNOTTY]   (PRESSES=120 key presses, IMAGES=12, PAUSE=0.15 s, MODE=sixel,
#                                  NUDGES=40, COLS=88 terminal columns: a 1000-pixel pane)
set -u
ANNOTTY=${1:-${ANNOTTY:-./annotty}}
PRESSES=${PRESSES:-120}
IMAGES=${IMAGES:-12}
PAUSE=${PAUSE:-0.15}
NUDGES=${NUDGES:-40}
MODE=${MODE:-sixel}
TMUX_BIN=${TMUX_BIN:-$(command -v tmux || true)}
skip() { echo "bench nav: $*; skipped"; exit 0; }
[ -n "$TMUX_BIN" ] || skip "tmux is needed to drive the TUI"
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to make the dataset and the figures"
command -v convert >/dev/null 2>&1 || skip "ImageMagick convert is needed to make 12-megapixel JPEGs"

D=$(mktemp -d "${TMPDIR:-/tmp}/annotty-nav.XXXXXX")
sock="annotty-nav-$$"
tm() { "$TMUX_BIN" -L "$sock" "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$D"' EXIT
export HOME="$D/home" XDG_CACHE_HOME="$D/cache" XDG_DATA_HOME="$D/data"
mkdir -p "$HOME" "$D/set"
unset ANNOTTY_CACHE ANNOTTY_GRAPHICS TMUX

echo "bench nav: making $IMAGES JPEGs of 12 megapixels in $D"
"$ANNOTTY" ls assets demo >/dev/null 2>&1 || skip "the demo dataset could not be made"
demo="$XDG_DATA_HOME/annotty/demo"
# The first IMAGES demo images, each scaled to about 12 megapixels with a little noise (a
# photo's texture), and their shapes scaled with them into a COCO file beside them.
python3 "$(dirname "$0")/bigset.py" "$demo" "$D/set" "$IMAGES" > "$D/convert.txt" || skip "could not read the demo"
while IFS="$(printf '\t')" read -r src dst size; do
	convert "$src" -resize "$size!" -attenuate 0.08 +noise Gaussian -quality 90 "$dst" ||
		skip "convert failed on $src"
done < "$D/convert.txt"
count=$(wc -l < "$D/convert.txt")
[ "$count" -ge 2 ] || skip "the demo has fewer than two images"

# The image pane should be about 1000 pixels wide. A detached tmux gives its panes 16x32-pixel
# cells, so 88 columns leave the image 63 columns (about 1000 pixels) beside the side panel;
# the figures below say the size the frames really had.
COLS=${COLS:-88}
timev=""
[ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1 && timev="/usr/bin/time -v -o $D/time.txt"
trace="$D/trace.txt"
: > "$trace"
tm -f /dev/null new-session -d -s nav -x "$COLS" -y 45 \
	"env HOME='$HOME' XDG_CACHE_HOME='$XDG_CACHE_HOME' XDG_DATA_HOME='$XDG_DATA_HOME' LC_ALL=C.UTF-8 TERM=tmux-256color ANNOTTY_TRACE='$trace' $timev '$ANNOTTY' --graphics=$MODE '$D/set/annotations.json'; sleep 600" ||
	skip "tmux would not start"
screen() { tm capture-pane -p -t nav; }
wait_text() { i=0; while [ $i -lt 300 ] && ! screen | grep -qF -- "$1"; do sleep 0.1; i=$((i + 1)); done; }
lines() { wc -l < "$trace"; }
# press KEY: one key, then wait (up to 5 s) until its frame is in the trace, then PAUSE
press() {
	before=$(lines)
	tm send-keys -t nav "$1"
	i=0
	while [ "$(lines)" -le "$before" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done
	sleep "$PAUSE"
}
wait_text "FILENAME"
pid=$(pgrep -f -n "annotty --graphics=$MODE $D/set" || true)
press Enter
done_keys=0
while [ $done_keys -lt "$PRESSES" ]; do
	k=1
	while [ $k -lt "$count" ] && [ $done_keys -lt "$PRESSES" ]; do press n; k=$((k + 1)); done_keys=$((done_keys + 1)); done
	k=1
	while [ $k -lt "$count" ] && [ $done_keys -lt "$PRESSES" ]; do press p; k=$((k + 1)); done_keys=$((done_keys + 1)); done
done
for k in 1 2 3 4 5 6 7 8 9 10; do press Tab; done
# nudges: edit mode on the selected shape, then l k l j over and over (each moves it one
# screen pixel's worth, to a place it has not been, so that every frame is drawn anew: the
# overlay changes on a picture already decoded)
press e
k=0
while [ $k -lt "$NUDGES" ]; do press l; press k; press l; press j; k=$((k + 4)); done
tm send-keys -t nav Escape
sleep 0.3
rss_proc=""
[ -n "$pid" ] && [ -r "/proc/$pid/status" ] && rss_proc=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
tm send-keys -t nav q
sleep 0.3
tm send-keys -t nav q
i=0
while [ $i -lt 50 ] && [ -n "$timev" ] && ! grep -q "Maximum resident" "$D/time.txt" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done

python3 - "$trace" "$D/time.txt" "$rss_proc" "$MODE" <<'PY'
import os, statistics, sys
trace, timef, rss_proc, mode = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
rows = []
px = "?"
for line in open(trace):
    f = dict(kv.split("=", 1) for kv in line.split())
    rows.append((f["key"], int(f["cached"]), int(f["us"]), int(f.get("bytes", 0)), int(f.get("write_us", 0))))
    px = f.get("px", px) if "px" in f else px
def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]
def show(title, v):
    if not v:
        print("  %-42s %5s" % (title, "none"))
        return
    print("  %-42s %5d  p50 %8.1f ms  p95 %8.1f ms" % (title, len(v), pct(v, 50) / 1e3, pct(v, 95) / 1e3))
nav = [r for r in rows if r[0] in ("n", "p")]
print("\nbench nav: %s frames in tmux, 12-megapixel JPEGs shown at %s px, key to the last byte written"
      % (mode, px))
print("  %-42s %5s" % ("", "keys"))
show("n/p, all", [r[2] for r in nav])
if nav:
    print("  %-42s %5s  p50 %8.1f ms  (the terminal taking %d KB)"
          % ("  of which the frame's write()", "", pct([r[4] for r in nav], 50) / 1e3,
             pct([r[3] for r in nav], 50) // 1000))
show("n/p, built for the key (not prefetched)", [r[2] for r in nav if not r[1]])
show("n/p, from the cache (prefetched, re-shown)", [r[2] for r in nav if r[1]])
show("  of which annotty's part (before the write)", [r[2] - r[4] for r in nav if r[1]])
show("Tab: new selection, picture reused", [r[2] for r in rows if r[0] == "^I"])
show("Enter: the first picture, nothing cached", [r[2] for r in rows if r[0] == "^J"])
nudge = [r for r in rows if r[0] in ("l", "k", "j") and not r[1]]
show("nudge (e, then l k l j), drawn anew", [r[2] for r in nudge])
if nudge:
    print("  %-42s %5s  p50 %8.1f ms  (target: %s)"
          % ("  of which the frame's write()", "", pct([r[4] for r in nudge], 50) / 1e3,
             "40 ms sixel" if mode == "sixel" else "15 ms half-blocks" if mode == "blocks" else "none"))
kb = None
if os.path.exists(timef):
    for line in open(timef):
        if "Maximum resident set size" in line:
            kb, how = int(line.split(":")[1]), "/usr/bin/time -v"
if kb is None and rss_proc:
    kb, how = int(rss_proc), "/proc VmHWM"
print("  peak RSS: %s" % ("%d KiB (%s)" % (kb, how) if kb else "unknown"))
PY
echo "bench nav: done (figures only; nothing here fails on a time)"
