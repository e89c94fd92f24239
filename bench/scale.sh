#!/bin/sh
# Speed at every size: generated COCO files of 10k and 100k images (and 1M with
# ANNOTTY_BENCH_1M=1: about 400 MB and several minutes), each with 3 boxes an image, timed
# against reference tools in the same run: import against python3 json.load of the same file,
# peak RSS, open, a page, the last row, each filter kind, a typed filter, `ls assets --json`
# against sqlite3 -json of the same columns, export against json.dump, and a re-import after 1%
# of the images changed. Figures and ratios only: nothing here fails on a time.
#
# usage: scale.sh ANNOTTY SCALE_QUERIES     (env: ANNOTTY_BENCH_1M=1, BENCH_SIZES, BENCH_DIR)
annotty=$1
queries=$2
here=$(cd "$(dirname "$0")" && pwd)
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/annotty-bench-scale}
sizes=${BENCH_SIZES:-10000 100000}
[ "${ANNOTTY_BENCH_1M:-0}" = 1 ] && sizes="$sizes 1000000"
mkdir -p "$dir" || exit 0

# seconds and peak KB of a command: "S KB"
timed() {
	/usr/bin/time -f '%e %M' -o "$dir/time.out" "$@" >/dev/null 2>"$dir/err.out"
	tail -n 1 "$dir/time.out"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

if ! [ -x /usr/bin/time ] || ! command -v python3 >/dev/null; then
	echo "scale.sh: skipped (needs /usr/bin/time and python3)"
	exit 0
fi
printf '%-9s %-28s %10s %10s %8s\n' images what annotty reference ratio
for n in $sizes; do
	json=$dir/coco-$n.json
	changed=$dir/coco-$n-changed.json
	[ -s "$json" ] || python3 "$here/gen_coco.py" "$n" "$json"
	[ -s "$changed" ] || python3 "$here/gen_coco.py" "$n" "$changed" --changed $((n / 100))
	export XDG_CACHE_HOME="$dir/cache-$n" XDG_DATA_HOME="$dir/data-$n"
	rm -rf "$XDG_CACHE_HOME"
	work=$dir/work-$n.json
	cp "$json" "$work"
	set -- $(timed python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$work")
	ref_s=$1 ref_kb=$2
	set -- $(timed "$annotty" ls labels "$work")
	printf '%-9s %-28s %9ss %9ss %8s\n' "$n" "import vs json.load" "$1" "$ref_s" "$(ratio "$1" "$ref_s")"
	printf '%-9s %-28s %8sMB %8sMB %8s\n' "$n" "import peak RSS" $(($2 / 1024)) $((ref_kb / 1024)) \
		"$(ratio "$2" "$ref_kb")"
	db=$XDG_CACHE_HOME/annotty/cache.db
	"$queries" "$db" "$(cd "$(dirname "$work")" && pwd)/$(basename "$work")" >"$dir/q.out" 2>&1
	while read -r what ms; do
		printf '%-9s %-28s %8sms %10s %8s\n' "$n" "$what" "$ms" - -
	done <"$dir/q.out"
	set -- $(timed "$annotty" ls assets "$work")
	printf '%-9s %-28s %8sMB %10s %8s\n' "$n" "list RSS (ls assets)" $(($2 / 1024)) - -
	set -- $(timed "$annotty" ls assets --json "$work")
	ls_s=$1
	if command -v sqlite3 >/dev/null; then
		set -- $(timed sqlite3 -json "$db" "SELECT a.filename, a.width, a.height, a.shape_count,
			a.status, (SELECT group_concat(g.name) FROM asset_tag t JOIN tag g ON g.id = t.tag_id
			WHERE t.asset_id = a.id) AS tags, a.path FROM asset a ORDER BY a.filename, a.id")
		printf '%-9s %-28s %9ss %9ss %8s\n' "$n" "ls --json vs sqlite3 -json" "$ls_s" "$1" \
			"$(ratio "$ls_s" "$1")"
	fi
	set -- $(timed "$annotty" export --format coco "$work" "$dir/out-$n.json")
	exp_s=$1
	# json.dump alone, the load before it not counted
	dump_s=$(python3 -c 'import json, sys, time
d = json.load(open(sys.argv[1])); t = time.time(); json.dump(d, open(sys.argv[2], "w"))
print("%.2f" % (time.time() - t))' "$work" "$dir/dump-$n.json")
	printf '%-9s %-28s %9ss %9ss %8s\n' "$n" "export vs json.dump" "$exp_s" "$dump_s" \
		"$(ratio "$exp_s" "$dump_s")"
	cp "$changed" "$work"
	set -- $(timed "$annotty" ls labels "$work")
	printf '%-9s %-28s %9ss %9ss %8s\n' "$n" "re-import, 1% changed" "$1" "$ref_s" \
		"$(ratio "$1" "$ref_s")"
	printf '%-9s %-28s %8sMB %10s %8s\n' "$n" "re-import peak RSS" $(($2 / 1024)) - -
	rm -f "$work" "$dir/out-$n.json" "$dir/dump-$n.json"
done
exit 0
