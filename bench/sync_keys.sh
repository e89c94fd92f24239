#!/bin/sh
# Key answer time while a sync runs: the stand-in server with a dataset of SEED assets, a first
# `annotty sync` of it and a first pass over IMAGES assets (their images into the store), then
# annotty opened on it again: its sync worker pulls the whole version once more while n and p
# are pressed on the asset screen. The key-to-frame times come from annotty's own trace
# (ANNOTTY_TRACE); prints their p50 and p95 for the keys pressed while the status bar said
# "syncing" (target: p95 under 50 ms). Never fails on a time.
# Usage: bench/sync_keys.sh [ANNOTTY]   (SEED=20000 assets, IMAGES=30, PRESSES=200, PAUSE=0.05 s)
set -u
ANNOTTY=${1:-${ANNOTTY:-./annotty}}
SEED=${SEED:-20000}
IMAGES=${IMAGES:-30}
PRESSES=${PRESSES:-200}
PAUSE=${PAUSE:-0.05}
TMUX_BIN=${TMUX_BIN:-$(command -v tmux || true)}
top=$(cd "$(dirname "$0")/.." && pwd)
skip() { echo "bench sync_keys: $*; skipped"; exit 0; }
[ -n "$TMUX_BIN" ] || skip "tmux is needed to drive the TUI"
command -v python3 >/dev/null 2>&1 || skip "python3 is needed for the stand-in server"

D=$(mktemp -d "${TMPDIR:-/tmp}/annotty-synckeys.XXXXXX")
sock="annotty-synckeys-$$"
tm() { "$TMUX_BIN" -L "$sock" "$@"; }
pid=
trap 'tm kill-server >/dev/null 2>&1; [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$D"' EXIT
export HOME="$D/home" XDG_CACHE_HOME="$D/cache" XDG_DATA_HOME="$D/data" XDG_CONFIG_HOME="$D/config"
mkdir -p "$HOME"
unset ANNOTTY_CACHE ANNOTTY_GRAPHICS TMUX

python3 "$top/tests/standin/picsellia.py" --port 0 --state "$D/standin" --seed "$SEED" \
	> "$D/standin.out" 2> "$D/standin.err" &
pid=$!
i=0
while [ $i -lt 600 ] && ! grep -q "^listening on " "$D/standin.out"; do sleep 0.1; i=$((i + 1)); done
url=$(sed -n 's/^listening on //p' "$D/standin.out" | head -n 1)
[ -n "$url" ] || skip "the stand-in server did not start"
export PICSELLIA_HOST="$url" PICSELLIA_TOKEN=alice-token PICSELLIA_ORGANIZATION=demo-org

t0=$(date +%s.%N)
"$ANNOTTY" sync --dataset bench/v1 > "$D/sync.out" 2>&1 || skip "the first sync failed: $(tail -n 1 "$D/sync.out")"
t1=$(date +%s.%N)
echo "bench sync_keys: the first sync of $SEED assets took $(python3 -c "print('%.1f' % ($t1 - $t0))") s"

trace="$D/trace.txt"
screen() { tm capture-pane -p -t k; }
wait_text() { i=0; while [ $i -lt 600 ] && ! screen | grep -qF -- "$1"; do sleep 0.1; i=$((i + 1)); done; }
session() { # a TUI on the version, tracing to $1
	tm -f /dev/null new-session -d -s k -x 120 -y 40 \
		"env HOME='$HOME' XDG_CACHE_HOME='$XDG_CACHE_HOME' XDG_DATA_HOME='$XDG_DATA_HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' PICSELLIA_HOST='$url' PICSELLIA_TOKEN=alice-token PICSELLIA_ORGANIZATION=demo-org LC_ALL=C.UTF-8 TERM=tmux-256color ANNOTTY_TRACE='$1' '$ANNOTTY' --graphics=blocks --dataset bench/v1; sleep 600" ||
		skip "tmux would not start"
}

# ---- a first pass: the images of the first assets into the store ---------------------------
session "$D/first.txt"
wait_text "FILENAME"
wait_text "online"
tm send-keys -t k Enter
wait_text "Shapes ("
n=0
while [ $n -lt "$IMAGES" ]; do
	tm send-keys -t k n
	sleep 0.3
	n=$((n + 1))
done
sleep 2
tm send-keys -t k Q
sleep 1
tm kill-server >/dev/null 2>&1
sleep 0.5

# ---- again: keys while the worker pulls the whole version -------------------------------------
: > "$trace"
session "$trace"
wait_text "FILENAME"
tm send-keys -t k Enter
wait_text "Shapes ("
mark="$D/marks.txt"
: > "$mark"
n=0 dir=n
while [ $n -lt "$PRESSES" ]; do
	syncing=0
	screen | grep -q "syncing" && syncing=1
	before=$(wc -l < "$trace")
	tm send-keys -t k "$dir"
	echo "$before $syncing" >> "$mark"
	sleep "$PAUSE"
	n=$((n + 1))
	# back and forth over the assets whose images are in the store
	[ $((n % (IMAGES - 1))) -eq 0 ] && { [ "$dir" = n ] && dir=p || dir=n; }
done
sleep 1
tm send-keys -t k Q
python3 - "$trace" "$mark" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
marks = [tuple(map(int, l.split())) for l in open(sys.argv[2])]
def us(line):
    return int(dict(f.split("=", 1) for f in line.split() if "=" in f)["us"])
during, after = [], []
for k, (at, syncing) in enumerate(marks):
    if at < len(lines):
        (during if syncing else after).append(us(lines[at]) / 1000.0)
def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))] if v else float("nan")
print("bench sync_keys: %d keys answered during the sync: p50 %.1f ms, p95 %.1f ms (target 50)"
      % (len(during), pct(during, 50), pct(during, 95)))
print("bench sync_keys: %d keys after it: p50 %.1f ms, p95 %.1f ms" % (len(after), pct(after, 50), pct(after, 95)))
PY
