#!/usr/bin/env python3
"""Pixel checks on screenshots of annotty in a real xterm, for tests/xterm_real.sh.

Reads binary PPM (P6) files as ImageMagick's import writes them and answers one question per
call through its exit status (0 yes, 1 no), printing the figures it measured. Standard library
only. The screen layout it assumes (title row, image pane on the left, side panel of a quarter of
the width, two rows at the bottom) is the asset screen's, from src/ui/viewer.c and frame.c.

  colours  SHOT COLS ROWS MIN           the image pane has at least MIN distinct colours
  changed  OLD NEW COLS ROWS FRACTION   at least FRACTION of the pane's pixels differ
  nonblank SHOT                         the window shows more than its background
  box      SHOT COLS ROWS COCO ASSET MODE
                                        the first box of ASSET is outlined in its label colour,
                                        as MODE (sixel or blocks) draws it
  boxat    SHOT COLS ROWS COCO ASSET MODE
                                        prints that box's annotation id and the window pixel
                                        of its middle (for a mouse drag)
"""
import json
import sys


class Shot:
    def __init__(self, path):
        with open(path, "rb") as f:
            data = f.read()
        fields, pos = [], 0
        while len(fields) < 4:  # magic, width, height, maxval; '#' starts a comment
            while data[pos:pos + 1].isspace():
                pos += 1
            if data[pos:pos + 1] == b"#":
                pos = data.index(b"\n", pos)
                continue
            end = pos
            while not data[end:end + 1].isspace():
                end += 1
            fields.append(data[pos:end])
            pos = end
        if fields[0] != b"P6":
            raise SystemExit("%s: not a binary PPM" % path)
        self.w, self.h, maxval = int(fields[1]), int(fields[2]), int(fields[3])
        body = data[pos + 1:]
        if maxval > 255:  # 16-bit samples: keep the high bytes
            body = body[0::2]
        self.px = body

    def at(self, x, y):
        i = 3 * (y * self.w + x)
        return tuple(self.px[i:i + 3])

    def region(self, x0, y0, x1, y1):
        for y in range(max(0, y0), min(self.h, y1)):
            row = 3 * y * self.w
            for x in range(max(0, x0), min(self.w, x1)):
                yield self.px[row + 3 * x:row + 3 * x + 3]


class Layout:
    """Cell size from the window size (xterm runs without a border), and the image pane."""

    def __init__(self, shot, cols, rows):
        if shot.w % cols or shot.h % rows:
            raise SystemExit("window %dx%d is not a whole number of %dx%d cells" %
                             (shot.w, shot.h, cols, rows))
        self.cw, self.ch = shot.w // cols, shot.h // rows
        side = min(40, max(24, cols // 4))
        self.pane_cols, self.pane_rows = cols - side - 1, rows - 3
        # the pane in pixels: from the second row, left edge, down to above the status bar
        self.pane = (0, self.ch, self.pane_cols * self.cw, (1 + self.pane_rows) * self.ch)

    def image_place(self, src_w, src_h, mode):
        """Where the frame of a src_w x src_h picture lands (frame.c): its left and top in
        screen pixels, the scale from source to frame pixels, and a frame pixel's size on
        screen. Sixel frames use real pixels and sit at the pane's top; half-blocks use one
        pixel per column and two per row, centred in the pane."""
        if mode == "sixel":
            w, h = fit(src_w, src_h, self.pane_cols * self.cw, self.pane_rows * self.ch)
            left = (self.pane_cols - -(-w // self.cw)) // 2 * self.cw
            return left, self.ch, w / src_w, h / src_h, (1, 1)
        w, h = fit(src_w, src_h, self.pane_cols, self.pane_rows * 2)
        left = (self.pane_cols - w) // 2 * self.cw
        top = (1 + (self.pane_rows - (h + 1) // 2) // 2) * self.ch
        return left, top, w / src_w, h / src_h, (self.cw, self.ch / 2)


def fit(src_w, src_h, max_w, max_h):
    """render_fit() in src/render/decode.c: shrink to fit, keeping the aspect ratio."""
    if src_w <= max_w and src_h <= max_h:
        return src_w, src_h
    if src_w * max_h >= src_h * max_w:
        return max_w, max(1, round(src_h * max_w / src_w))
    return max(1, round(src_w * max_h / src_h)), max_h


def cmd_colours(shot, cols, rows, least):
    s = Shot(shot)
    n = len(set(s.region(*Layout(s, int(cols), int(rows)).pane)))
    print("%d distinct colours in the image pane" % n)
    return n >= int(least)


def cmd_changed(old, new, cols, rows, fraction):
    a, b = Shot(old), Shot(new)
    if (a.w, a.h) != (b.w, b.h):
        print("the window changed size")
        return True
    pane = Layout(a, int(cols), int(rows)).pane
    pairs = list(zip(a.region(*pane), b.region(*pane)))
    diff = sum(1 for p, q in pairs if p != q) / max(1, len(pairs))
    print("%.1f%% of the pane's pixels changed" % (100 * diff))
    return diff >= float(fraction)


def cmd_nonblank(shot):
    s = Shot(shot)
    n = len(set(s.region(0, 0, s.w, s.h)))
    return n > 2


def is_box(ann):
    """A rectangle: a plain bbox, or a polygon that is only the bbox's four corners."""
    if ann.get("annotty_type") not in (None, "box", "rectangle"):
        return False
    seg = ann.get("segmentation") or []
    if not seg:
        return True
    if not isinstance(seg, list) or len(seg) != 1 or len(seg[0]) != 8:
        return False
    x, y, w, h = ann["bbox"]
    xs, ys = set(seg[0][0::2]), set(seg[0][1::2])
    return all(abs(v - x) < 0.5 or abs(v - x - w) < 0.5 for v in xs) and \
        all(abs(v - y) < 0.5 or abs(v - y - h) < 0.5 for v in ys)


def palette_rgb(index):
    """src/core/palette.c: the label colours."""
    colours = [0xff3b30, 0x34c759, 0x0a84ff, 0xffcc00, 0xff2d95, 0x00d5d5, 0xff9500, 0xaf52de,
               0x9be32a, 0x5ac8fa, 0xff6b6b, 0xffe680, 0x64d2a0, 0xb58cff, 0xff8fd0, 0xd0a060]
    c = colours[index % len(colours)] if index >= 0 else 0xa0a0a0
    return (c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff


def edge_hits(s, colour, points, normal, tolerance=24, reach=3):
    """How many of the points have a pixel of the colour within reach along the normal."""
    hits = 0
    for x, y in points:
        for d in range(-reach, reach + 1):
            px, py = x + d * normal[0], y + d * normal[1]
            if 0 <= px < s.w and 0 <= py < s.h and \
                    max(abs(a - b) for a, b in zip(s.at(px, py), colour)) <= tolerance:
                hits += 1
                break
    return hits


def first_box(shot, cols, rows, coco, asset, mode):
    """The first box of the asset at least 30 screen pixels each way: the document, the
    annotation, its corners on the screen, and a frame pixel's size on the screen."""
    s = Shot(shot)
    lay = Layout(s, int(cols), int(rows))
    with open(coco, encoding="utf-8") as f:
        d = json.load(f)
    image = next(i for i in d["images"] if i["file_name"] == asset)
    left, top, sx, sy, (ux, uy) = lay.image_place(image["width"], image["height"], mode)

    def screen(x, y):  # the middle of the frame pixel that holds source point (x, y)
        return (int(left + (int(x * sx) + 0.5) * ux), int(top + (int(y * sy) + 0.5) * uy))

    for ann in d["annotations"]:
        if ann["image_id"] != image["id"] or not is_box(ann):
            continue
        x, y, w, h = ann["bbox"]
        (x0, y0), (x1, y1) = screen(x, y), screen(x + w, y + h)
        if x1 - x0 >= 30 and y1 - y0 >= 30:
            return s, d, ann, (x0, y0, x1, y1), (ux, uy)
    raise SystemExit("%s has no box large enough to check" % asset)


def cmd_boxat(shot, cols, rows, coco, asset, mode):
    """Prints the annotation id of the first box and the window pixel of its middle."""
    _, _, ann, (x0, y0, x1, y1), _ = first_box(shot, cols, rows, coco, asset, mode)
    print(ann["id"], (x0 + x1) // 2, (y0 + y1) // 2)
    return True


def cmd_box(shot, cols, rows, coco, asset, mode):
    s, d, ann, (x0, y0, x1, y1), (ux, uy) = first_box(shot, cols, rows, coco, asset, mode)
    index = {c["id"]: n for n, c in enumerate(d["categories"])}
    colour = palette_rgb(index[ann["category_id"]])
    # a frame pixel either side of the edge, for rounding; the corners are left out
    rx, ry, mx, my = max(3, ux), max(3, int(uy)), 2 * max(2, ux), 2 * max(2, int(uy))
    edges = [([(x, y0) for x in range(x0 + mx, x1 - mx, 2)], (0, 1), ry),
             ([(x, y1) for x in range(x0 + mx, x1 - mx, 2)], (0, 1), ry),
             ([(x0, y) for y in range(y0 + my, y1 - my, 2)], (1, 0), rx),
             ([(x1, y) for y in range(y0 + my, y1 - my, 2)], (1, 0), rx)]
    # sixel keeps the label colour to a few levels; half-blocks blend the thin line into its
    # frame pixel and round the result to xterm's 256 colours
    tol = 24 if mode == "sixel" else 64
    hits = sum(edge_hits(s, colour, pts, n, tol, r) for pts, n, r in edges)
    total = sum(len(pts) for pts, _, _ in edges)
    # the same walk well inside the box, where the outline must not be
    inner = [([(x, y0 + 2 * my) for x in range(x0 + 3 * mx, x1 - 3 * mx, 2)], (0, 1), 1),
             ([(x0 + 2 * mx, y) for y in range(y0 + 3 * my, y1 - 3 * my, 2)], (1, 0), 1)]
    inner_hits = sum(edge_hits(s, colour, pts, n, tol, r) for pts, n, r in inner)
    inner_total = sum(len(pts) for pts, _, _ in inner)
    print("box %s at (%d,%d)-(%d,%d) in #%02x%02x%02x: %d/%d edge samples, %d/%d inside" %
          (d["categories"][index[ann["category_id"]]]["name"], x0, y0, x1, y1, *colour, hits,
           total, inner_hits, inner_total))
    return total > 0 and hits >= 0.6 * total and inner_hits <= 0.2 * inner_total


def main(argv):
    commands = {"colours": (cmd_colours, 4), "changed": (cmd_changed, 5),
                "nonblank": (cmd_nonblank, 1), "box": (cmd_box, 6),
                "boxat": (cmd_boxat, 6)}
    if len(argv) < 2 or argv[1] not in commands or len(argv) - 2 != commands[argv[1]][1]:
        sys.stderr.write(__doc__)
        return 2
    return 0 if commands[argv[1]][0](*argv[2:]) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
