#!/bin/sh
# Sync benchmark against the stand-in Picsellia server on loopback:
#  1. the pull of a dataset of ASSETS assets with their boxes (--seed ASSETS) through
#     sync_source into a new cache (time, requests, rate), against one plain curl process
#     asking for the very same pages (the assets/extended requests annotty made, with the same
#     headers and gzip) one after the other on one kept-alive connection (time, bytes, rate);
#  2. the image fetch of IMAGES assets through sync_source into the image store, against curl
#     over the same presigned URLs, one at a time and with --parallel.
# Medians of PULL_RUNS pulls (one by default: a pull of 100,000 assets and its curl loop take
# about two minutes here) and of RUNS image fetches, and the ratios annotty / curl (the pull's
# target: within 1.5). The image sync asks for the one page of the dataset again before its
# images. Never fails on a time.
# Usage: bench/sync.sh [SYNC_BENCH]   (ASSETS=100000, IMAGES=500, PULL_RUNS=1, RUNS=3,
#                                     PARALLEL=16)
set -u
DRIVER=${1:-./bench/sync_bench}
ASSETS=${ASSETS:-100000}
IMAGES=${IMAGES:-500}
RUNS=${RUNS:-3}
PULL_RUNS=${PULL_RUNS:-1}
PARALLEL=${PARALLEL:-16}
PY=${PYTHON3:-python3}
top=$(cd "$(dirname "$0")/.." && pwd)
skip() { echo "bench sync: $*; skipped"; exit 0; }
[ -x "$DRIVER" ] || skip "the driver $DRIVER is not built"
command -v curl >/dev/null 2>&1 || skip "curl is needed for the reference loop"
command -v "$PY" >/dev/null 2>&1 || skip "python3 is needed for the stand-in server"
curl --help all 2>/dev/null | grep -q -- '--parallel-max' || skip "this curl has no --parallel"

D=$(mktemp -d "${TMPDIR:-/tmp}/annotty-sync.XXXXXX")
PIDS=""
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$D"' EXIT
TOKEN=alice-token

# start NAME SEED: a stand-in with its own state; its URL in $D/NAME.url
start() {
	mkdir -p "$D/$1"
	"$PY" "$top/tests/standin/picsellia.py" --port 0 --state "$D/$1" --seed "$2" \
		>"$D/$1.out" 2>"$D/$1.err" &
	PIDS="$PIDS $!"
	i=0
	until grep -q '^listening on' "$D/$1.out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 3000 ] || skip "the stand-in did not start (seed $2): $(cat "$D/$1.err")"
		sleep 0.1
	done
	sed -n 's/^listening on //p' "$D/$1.out" >"$D/$1.url"
}

now() { "$PY" -c 'import time; print("%.6f" % time.monotonic())'; }
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# log_to URL KIND OUT: what the server saw since its last reset, as a curl config (KIND pages:
# the pages of the pull; images: the presigned URLs fetched), with "# requests N" and
# "# organization ID" lines first.
log_to() {
	curl -s "$1/_standin/log" | "$PY" -c '
import json, sys
base, kind = sys.argv[1], sys.argv[2]
items = json.load(sys.stdin)["items"]
org = next((i["organization"] for i in items if i.get("organization")), "")
print("# requests %d" % sum(1 for i in items if not i["path"].startswith("/_standin/")))
print("# organization %s" % org)
n = 0
for i in items:
    if kind == "pages" and not i["path"].endswith("/assets/extended"):
        continue
    if kind == "images" and not (i["path"].startswith("/storage/") and i["status"] == 200):
        continue
    n += 1
    q = "?" + i["query"] if i["query"] else ""
    print("url = \"%s%s%s\"" % (base, i["path"], q))
    print("output = \"%s\"" % ("/dev/null" if kind == "pages" else "img-%d" % n))
' "$1" "$2" >"$3"
}
field() { sed -n "s/^# $1 //p" "$2"; }
figure() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

echo "bench sync: seeding a stand-in with $ASSETS assets and one with $IMAGES (this takes a while)"
start pull "$ASSETS"
start images "$IMAGES"
PULL_URL=$(cat "$D/pull.url")
IMG_URL=$(cat "$D/images.url")

# ---- 1. the pull -------------------------------------------------------------------------
: >"$D/pull.a"
: >"$D/pull.c"
r=0
while [ $r -lt "$PULL_RUNS" ]; do
	r=$((r + 1))
	rm -rf "$D/c"
	mkdir -p "$D/c"
	curl -s -X POST "$PULL_URL/_standin/reset" >/dev/null
	out=$("$DRIVER" "$PULL_URL" bench/v1 "$D/c/cache.db") || skip "the pull failed: $out"
	echo "$out" | figure seconds >>"$D/pull.a"
	log_to "$PULL_URL" pages "$D/pages.cfg"
	org=$(field organization "$D/pages.cfg")
	requests=$(field requests "$D/pages.cfg")
	pages=$(grep -c '^url' "$D/pages.cfg")
	t0=$(now)
	bytes=$(curl -s --compressed -H "Authorization: Bearer $TOKEN" \
		-H "X-Picsellia-Organization: $org" -K "$D/pages.cfg" -w '%{size_download}\n' |
		awk '{s += $1} END {print s}')
	t1=$(now)
	echo "$t0 $t1" | awk '{print $2 - $1}' >>"$D/pull.c"
	assets=$(echo "$out" | figure assets)
	echo "bench sync: pull run $r: annotty $(tail -1 "$D/pull.a") s ($requests requests," \
		"$assets assets), curl $(tail -1 "$D/pull.c") s ($pages pages, $bytes bytes)"
done
ta=$(median <"$D/pull.a")
tc=$(median <"$D/pull.c")
echo "$ta $tc $ASSETS $requests $pages $bytes" | awk '{
	printf "bench sync: pull of %d assets, median of '"$PULL_RUNS"': annotty %.2f s (%.0f assets/s,", $3, $1, $3 / $1
	printf " %d requests), curl page loop %.2f s (%.0f assets/s, %d requests, %.1f MB gzip)\n", $4, $2, $3 / $2, $5, $6 / 1e6
	printf "bench sync: pull ratio annotty / curl: %.2f (target: within 1.5)\n", $1 / $2 }'

# ---- 2. the images -----------------------------------------------------------------------
: >"$D/img.a"
: >"$D/img.s"
: >"$D/img.p"
r=0
while [ $r -lt "$RUNS" ]; do
	r=$((r + 1))
	rm -rf "$D/i" "$D/dl"
	mkdir -p "$D/i" "$D/dl"
	"$DRIVER" "$IMG_URL" bench/v1 "$D/i/cache.db" >/dev/null || skip "the pull for images failed"
	curl -s -X POST "$IMG_URL/_standin/reset" >/dev/null
	out=$("$DRIVER" "$IMG_URL" bench/v1 "$D/i/cache.db" images) || skip "the images failed: $out"
	echo "$out" | figure seconds >>"$D/img.a"
	got=$(echo "$out" | figure images)
	log_to "$IMG_URL" images "$D/img.cfg"
	urls=$(grep -c '^url' "$D/img.cfg")
	size=$(du -sb "$D/i/images" | cut -f1)
	(
		cd "$D/dl" || exit 1
		t0=$(now)
		curl -s -K "$D/img.cfg"
		t1=$(now)
		rm -f img-*
		curl -s --no-progress-meter --parallel --parallel-max "$PARALLEL" -K "$D/img.cfg" \
			2>/dev/null
		t2=$(now)
		echo "$t0 $t1" | awk '{print $2 - $1}' >>"$D/img.s"
		echo "$t1 $t2" | awk '{print $2 - $1}' >>"$D/img.p"
	)
	echo "bench sync: images run $r: annotty $(tail -1 "$D/img.a") s ($got images," \
		"$size bytes), curl one at a time $(tail -1 "$D/img.s") s, curl --parallel" \
		"$(tail -1 "$D/img.p") s ($urls URLs)"
done
ia=$(median <"$D/img.a")
is=$(median <"$D/img.s")
ip=$(median <"$D/img.p")
echo "$ia $is $ip $got" | awk '{
	printf "bench sync: %d images, median of '"$RUNS"': annotty %.2f s (%.0f images/s), curl one at a", $4, $1, $4 / $1
	printf " time %.2f s (%.0f/s), curl --parallel-max '"$PARALLEL"' %.2f s (%.0f/s)\n", $2, $4 / $2, $3, $4 / $3
	printf "bench sync: images ratio annotty / curl --parallel: %.2f, annotty / curl one at a time: %.2f\n", $1 / $3, $1 / $2 }'
