#!/bin/sh
# Frame benchmark: annotty show against img2sixel and chafa on the same inputs at the same
# width, runs alternated, the median of N each: time, bytes, and (with ImageMagick's sixel
# reader) PSNR of each decoded frame against a reference downscale of the source; annotty also
# with --low-bandwidth. Prints figures and ratios; never fails on a time.
# Usage: bench/frame.sh [ANNOTTY]   (N=7 by default; set N to change; BEFORE=another annotty
# build to time it in the same runs, alternated with the others, for a before-and-after)
set -u
ANNOTTY=${1:-${ANNOTTY:-./annotty}}
N=${N:-7}
W=1000
command -v python3 >/dev/null 2>&1 || { echo "bench: python3 is needed to time runs; skipped"; exit 0; }
command -v convert >/dev/null 2>&1 || { echo "bench: ImageMagick convert is needed to make inputs; skipped"; exit 0; }

D=$(mktemp -d "${TMPDIR:-/tmp}/annotty-bench.XXXXXX")
trap 'rm -rf "$D"' EXIT
export XDG_CACHE_HOME="$D/cache" XDG_DATA_HOME="$D/data"
unset ANNOTTY_CACHE ANNOTTY_GRAPHICS

echo "bench: making inputs in $D"
# big.jpg: photo-like (a plasma fractal's soft shapes, a little sensor noise), about 2 MB;
# noisy.jpg: the worst case, strong per-pixel noise that no JPEG compresses well (5 MB)
convert -seed 7 -size 1000x750 plasma:fractal -resize '4000x3000!' -attenuate 0.08 +noise Gaussian -quality 90 "$D/big.jpg"
convert -size 4000x3000 gradient:steelblue-orange -attenuate 0.4 +noise Gaussian -quality 90 "$D/noisy.jpg"
convert -size 1920x1080 gradient:darkgreen-khaki -attenuate 0.4 +noise Gaussian -quality 90 "$D/mid.jpg"
convert -size 1920x1080 gradient:navy-pink -attenuate 0.4 +noise Gaussian "$D/mid.png"

# A COCO file with 50 boxes on each big image, on a 10 x 5 grid.
{
	printf '{"images": [{"id": 1, "file_name": "big.jpg", "width": 4000, "height": 3000},\n'
	printf '            {"id": 2, "file_name": "noisy.jpg", "width": 4000, "height": 3000}],\n'
	printf ' "categories": [{"id": 1, "name": "car"}, {"id": 2, "name": "person"}],\n'
	printf ' "annotations": ['
	i=0
	while [ $i -lt 50 ]; do
		x=$(( (i % 10) * 390 + 20 )); y=$(( (i / 10) * 580 + 30 ))
		[ $i -gt 0 ] && printf ','
		printf '\n  {"id": %d, "image_id": 1, "category_id": %d, "bbox": [%d, %d, 300, 450]}' \
			$((i + 1)) $((i % 2 + 1)) $x $y
		printf ',\n  {"id": %d, "image_id": 2, "category_id": %d, "bbox": [%d, %d, 300, 450]}' \
			$((i + 51)) $((i % 2 + 1)) $x $y
		i=$((i + 1))
	done
	printf ']}\n'
} > "$D/big.json"

img2sixel=$(command -v img2sixel || true)
chafa=$(command -v chafa || true)
[ -n "$img2sixel" ] || echo "bench: img2sixel is not installed; its column is skipped"
[ -n "$chafa" ] || echo "bench: chafa is not installed; its column is skipped"

python3 - "$ANNOTTY" "$D" "$N" "$W" "$img2sixel" "$chafa" "${BEFORE:-}" <<'PY'
import os, re, statistics, subprocess, sys, time
annotty, d, n, w, img2sixel, chafa = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
before = sys.argv[7]
show = [annotty, "show", "--graphics=sixel", "--width", str(w)]
show_before = [before, "show", "--graphics=sixel", "--width", str(w)]
# (title, source, annotty's arguments for the timed frame, for the PSNR frame)
cases = [
    ("4000x3000 JPEG (photo-like, 2 MB), 50 boxes", "big.jpg",
     [os.path.join(d, "big.json"), "--asset", "big.jpg"], [os.path.join(d, "big.jpg")]),
    ("4000x3000 JPEG (worst case: strong noise, 5 MB), 50 boxes", "noisy.jpg",
     [os.path.join(d, "big.json"), "--asset", "noisy.jpg"], [os.path.join(d, "noisy.jpg")]),
    ("1920x1080 JPEG", "mid.jpg", [os.path.join(d, "mid.jpg")], None),
    ("1920x1080 PNG", "mid.png", [os.path.join(d, "mid.png")], None),
]

def run(cmd, keep=None):
    t = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    ms = (time.perf_counter() - t) * 1000
    if keep:
        with open(keep, "wb") as f:
            f.write(p.stdout)
    return ms, len(p.stdout), p.returncode

def peak_rss(cmd):
    if os.access("/usr/bin/time", os.X_OK):
        p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        return int(p.stderr.strip().splitlines()[-1]), "/usr/bin/time"
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "getrusage (max of children)"

def im(args):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

# PSNR needs ImageMagick with its sixel reader (not every convert has one).
probe = os.path.join(d, "probe.six")
with open(probe, "w") as f:
    f.write('\033Pq"1;1;2;1#0;2;100;0;0!2~\033\\')
can_psnr = im(["convert", "sixel:" + probe, os.path.join(d, "probe.png")]).returncode == 0 and \
    im(["compare", "-version"]).returncode == 0
if not can_psnr:
    print("bench: ImageMagick cannot read sixel here (or has no compare); PSNR is skipped")

def psnr(six, src):
    """PSNR of a sixel file against src downscaled to the frame's size (ImageMagick's -resize),
    or None when it fails or the frame has another aspect ratio (chafa's cells)."""
    png = six + ".png"
    try:
        if im(["convert", "sixel:" + six, png]).returncode != 0:
            return None
        fw, fh = map(int, im(["identify", "-format", "%w %h", png]).stdout.split())
        sw, sh = map(int, im(["identify", "-format", "%w %h", src]).stdout.split())
        if fw != w or abs(fh - sh * fw / sw) > 1:
            return None
        ref = "%s.%dx%d.png" % (src, fw, fh)
        if not os.path.exists(ref):
            im(["convert", src, "-resize", "%dx%d!" % (fw, fh), ref])
        out = im(["compare", "-metric", "PSNR", png, ref, "null:"]).stderr.strip()
    except (OSError, ValueError):
        return None
    m = re.match(r"[0-9.]+|inf", out)
    return float(m.group(0)) if m else None

for title, name, args, psnr_args in cases:
    path = os.path.join(d, name)
    tools = [("annotty", show + args), ("annotty-lb", show + ["--low-bandwidth"] + args)]
    if before:
        tools.append(("before", show_before + args))
    if img2sixel:
        tools.append(("img2sixel", [img2sixel, "-w", str(w), path]))
    if chafa:
        # chafa assumes 8-pixel-wide cells when it cannot ask the terminal
        tools.append(("chafa", [chafa, "-f", "sixel", "-s", "%dx" % (w // 8), path]))
    for _, c in tools:  # warm up: caches, the annotty import of the JSON
        run(c)
    times = {t: [] for t, _ in tools}
    size = {}
    for _ in range(n):
        for t, c in tools:
            ms, nbytes, rc = run(c)
            if rc != 0:
                print("bench: %s exited %d" % (t, rc))
            times[t].append(ms)
            size[t] = nbytes
    med = {t: statistics.median(v) for t, v in times.items()}
    quality = {}
    if can_psnr:
        # annotty's overlay is not in the reference: its PSNR frame is the plain image
        plain = psnr_args or args
        ours = [("annotty", show + plain), ("annotty-lb", show + ["--low-bandwidth"] + plain)]
        if before:
            ours.append(("before", show_before + plain))
        for t, c in ours + [x for x in tools if x[0] in ("img2sixel", "chafa")]:
            six = os.path.join(d, "%s.%s.six" % (name, t))
            run(c, keep=six)
            quality[t] = psnr(six, path)
    print("\n%s, %d px wide, median of %d (annotty-lb: --low-bandwidth)" % (title, w, n))
    if psnr_args:
        print("  (PSNR of annotty's frame without the boxes, against ImageMagick's -resize)")
    print("  %-10s %9s %11s %9s" % ("tool", "ms", "bytes", "PSNR dB"))
    for t, _ in tools:
        q = quality.get(t)
        print("  %-10s %9.1f %11d %9s" % (t, med[t], size[t],
                                          "%.2f" % q if q is not None else "-"))
    for ours in ("annotty", "annotty-lb") + (("before",) if before else ()):
        for ref in ("img2sixel", "chafa"):
            if ref in med and med[ref] > 0 and size[ref] > 0:
                line = "  %s/%-9s time %.2f  bytes %.2f" % (ours, ref, med[ours] / med[ref],
                                                         size[ours] / size[ref])
                if quality.get(ours) is not None and quality.get(ref) is not None:
                    line += "  PSNR %+.2f dB" % (quality[ours] - quality[ref])
                print(line)
    kb, how = peak_rss(show + args)
    print("  annotty peak RSS: %d KiB (%s)" % (kb, how))
PY
echo
echo "bench: done (figures only; nothing here fails on a time)"
