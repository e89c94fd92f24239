#!/bin/sh
# Task-mode benchmark: a reviewer's queue in a private tmux on 12-megapixel JPEGs (the demo's
# images made larger). A local campaign is started, every task submitted, then the review step
# worked through with A (and every fourth task R with a reason), a short pause after each frame
# for the prefetch of the next image. The key-to-frame latency of each decision comes from
# annotty's own trace (ANNOTTY_TRACE); prints p50/p95 against the 30 ms next-asset target and
# the decisions per minute they allow. Never fails on a time.
# Usage: bench/tasks.sh [ANNOTTY]   (IMAGES=24, PAUSE=0.15 s, MODE=sixel, COLS=88 terminal
#                                    columns: a 1000-pixel pane)
set -u
ANNOTTY=${1:-${ANNOTTY:-./annotty}}
IMAGES=${IMAGES:-24}
PAUSE=${PAUSE:-0.15}
MODE=${MODE:-sixel}
COLS=${COLS:-88}
TMUX_BIN=${TMUX_BIN:-$(command -v tmux || true)}
skip() { echo "bench tasks: $*; skipped"; exit 0; }
[ -n "$TMUX_BIN" ] || skip "tmux is needed to drive the TUI"
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to make the dataset and the figures"
command -v convert >/dev/null 2>&1 || skip "ImageMagick convert is needed to make 12-megapixel JPEGs"

D=$(mktemp -d "${TMPDIR:-/tmp}/annotty-tasks.XXXXXX")
sock="annotty-tasks-$$"
tm() { "$TMUX_BIN" -L "$sock" "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$D"' EXIT
export HOME="$D/home" XDG_CACHE_HOME="$D/cache" XDG_DATA_HOME="$D/data"
mkdir -p "$HOME" "$D/set"
unset ANNOTTY_CACHE ANNOTTY_GRAPHICS TMUX

echo "bench tasks: making $IMAGES JPEGs of 12 megapixels in $D"
"$ANNOTTY" ls assets demo >/dev/null 2>&1 || skip "the demo dataset could not be made"
python3 "$(dirname "$0")/bigset.py" "$XDG_DATA_HOME/annotty/demo" "$D/set" "$IMAGES" \
	> "$D/convert.txt" || skip "could not read the demo"
while IFS="$(printf '\t')" read -r src dst size; do
	convert "$src" -resize "$size!" -attenuate 0.08 +noise Gaussian -quality 90 "$dst" ||
		skip "convert failed on $src"
done < "$D/convert.txt"
count=$(wc -l < "$D/convert.txt")
[ "$count" -ge 2 ] || skip "the demo has fewer than two images"

trace="$D/trace.txt"
: > "$trace"
tm -f /dev/null new-session -d -s tasks -x "$COLS" -y 45 \
	"env HOME='$HOME' XDG_CACHE_HOME='$XDG_CACHE_HOME' XDG_DATA_HOME='$XDG_DATA_HOME' USER=reviewer LC_ALL=C.UTF-8 TERM=tmux-256color ANNOTTY_TRACE='$trace' '$ANNOTTY' --graphics=$MODE '$D/set/annotations.json'; sleep 600" ||
	skip "tmux would not start"
screen() { tm capture-pane -p -t tasks; }
wait_text() { i=0; while [ $i -lt 300 ] && ! screen | grep -qF -- "$1"; do sleep 0.1; i=$((i + 1)); done; }
lines() { wc -l < "$trace"; }
# press KEY...: the keys, then wait (up to 5 s) until a frame is in the trace, then PAUSE
press() {
	before=$(lines)
	tm send-keys -t tasks "$@"
	i=0
	while [ "$(lines)" -le "$before" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done
	sleep "$PAUSE"
}
wait_text "FILENAME"
tm send-keys -t tasks : c a m p a i g n Space s t a r t Enter
wait_text "PROGRESS"
tm send-keys -t tasks Enter
wait_text "my tasks"
press Enter
k=1
while [ $k -lt "$count" ]; do press s; k=$((k + 1)); done
tm send-keys -t tasks s
wait_text "no tasks for you"
tm send-keys -t tasks q
wait_text "PROGRESS"
tm send-keys -t tasks j Enter
wait_text "REVIEW step"
press Enter
start=$(lines)
k=1
while [ $k -lt "$count" ]; do
	if [ $((k % 4)) -eq 0 ]; then
		tm send-keys -t tasks R
		sleep 0.1
		press b e n c h Enter
	else
		press A
	fi
	k=$((k + 1))
done
tm send-keys -t tasks q
sleep 0.3
tm send-keys -t tasks q q Q
sleep 0.3

python3 - "$trace" "$start" "$MODE" <<'PY'
import sys
trace, start, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = []
for line in open(trace):
    f = dict(kv.split("=", 1) for kv in line.split())
    rows.append((f["key"], int(f["cached"]), int(f["us"]), f.get("px", "?")))
def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]
def show(title, v):
    if not v:
        print("  %-44s %5s" % (title, "none"))
        return
    print("  %-44s %5d  p50 %8.1f ms  p95 %8.1f ms" % (title, len(v), pct(v, 50) / 1e3,
                                                      pct(v, 95) / 1e3))
review = rows[start:]
submit = [r for r in rows[:start] if r[0] == "s"]
accept = [r for r in review if r[0] == "A"]
reject = [r for r in review if r[0] == "^J"]
decisions = accept + reject
px = review[0][3] if review else "?"
print("\nbench tasks: %s frames in tmux, 12-megapixel JPEGs shown at %s px, key to the next"
      " task's frame written" % (mode, px))
print("  %-44s %5s" % ("", "keys"))
show("submit (s), annotate step", [r[2] for r in submit])
show("accept (A), review step", [r[2] for r in accept])
show("reject (R, reason, Enter)", [r[2] for r in reject])
show("decisions, all", [r[2] for r in decisions])
show("  of which the next image was prefetched", [r[2] for r in decisions if r[1]])
show("  of which it was not", [r[2] for r in decisions if not r[1]])
if decisions:
    p50 = pct([r[2] for r in decisions], 50) / 1e3
    p95 = pct([r[2] for r in decisions], 95) / 1e3
    print("  median %.1f ms per decision against the 30 ms next-asset target (%s); the program"
          " allows %.0f decisions a minute at the median, %.0f at p95 (a reviewer's looking"
          " time comes on top)" % (p50, "within" if p50 <= 30 else "over", 60000 / max(p50, 0.001),
                                   60000 / max(p95, 0.001)))
PY
echo "bench tasks: done (figures only; nothing here fails on a time)"
