"""Deterministic test images for the stand-in's storage route: PNG written with zlib and struct.

Every image is a function of (seed, width, height): a two-axis colour gradient, a few filled
rectangles and discs and a diagonal band whose colours and places come from the seed, so two
images differ visibly and the same one is byte-identical on every run.
"""

import random
import struct
import zlib


def _chunk(kind, payload):
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def _gradient_rows(rng, width, height):
    """One bytearray of RGB per row: red across, green down, blue a per-image ramp."""
    r0, g0, b0 = rng.randrange(256), rng.randrange(256), rng.randrange(256)
    reds = bytes((r0 + x * 255 // max(width - 1, 1)) & 0xFF for x in range(width))
    blues = bytes((b0 + (x * 3) // 2) & 0xFF for x in range(width))
    rows = []
    for y in range(height):
        row = bytearray(3 * width)
        row[0::3] = reds
        row[1::3] = bytes(((g0 + y * 255 // max(height - 1, 1)) & 0xFF,)) * width
        row[2::3] = blues
        rows.append(row)
    return rows


def _fill_span(row, x0, x1, colour):
    if x1 > x0:
        row[3 * x0:3 * x1] = bytes(colour) * (x1 - x0)


def _draw_rects(rng, rows, width, height, count):
    for _ in range(count):
        w = rng.randrange(width // 10, width // 3)
        h = rng.randrange(height // 10, height // 3)
        x = rng.randrange(0, width - w)
        y = rng.randrange(0, height - h)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        for yy in range(y, y + h):
            _fill_span(rows[yy], x, x + w, colour)


def _draw_discs(rng, rows, width, height, count):
    for _ in range(count):
        r = rng.randrange(min(width, height) // 16, min(width, height) // 5)
        cx = rng.randrange(r, width - r)
        cy = rng.randrange(r, height - r)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        for yy in range(cy - r, cy + r):
            dy = yy - cy
            half = int((r * r - dy * dy) ** 0.5)
            _fill_span(rows[yy], max(cx - half, 0), min(cx + half, width), colour)


def _draw_band(rng, rows, width, height):
    thick = max(width // 40, 3)
    colour = (255, 255, 255) if rng.random() < 0.5 else (20, 20, 20)
    for yy in range(height):
        x = (yy * width) // height
        _fill_span(rows[yy], max(x - thick, 0), min(x + thick, width), colour)


def png_bytes(seed, width, height):
    """Returns the PNG file (bytes) of the image for this seed and size."""
    width = max(int(width), 16)
    height = max(int(height), 16)
    rng = random.Random(seed)
    rows = _gradient_rows(rng, width, height)
    _draw_rects(rng, rows, width, height, 2 + rng.randrange(4))
    _draw_discs(rng, rows, width, height, 1 + rng.randrange(3))
    _draw_band(rng, rows, width, height)
    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) +
            _chunk(b"IDAT", zlib.compress(raw, 6)) + _chunk(b"IEND", b""))
