/* Half-block frames for terminals without graphics: each text cell is an upper half block
 * (U+2580) whose foreground is the upper pixel and background the lower one. */
#include "core/buf.h"
#include "core/err.h"
#include "core/palette.h"
#include "render/render.h"

#include <stdio.h>

#define BLOCKS_MAX_CELLS  1000 /* per side; far beyond any terminal */
#define BLOCKS_UPPER_HALF "\xe2\x96\x80"

/* The colour a cell side was last set to: 0xRRGGBB, an xterm index, or -1 before any. */
struct blocks_pen {
	int truecolor;
	long fg, bg;
};

static long blocks_color(const struct blocks_pen *pen, const unsigned char *p)
{
	uint32_t rgb = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];

	return pen->truecolor ? (long)rgb : (long)palette_xterm256(rgb);
}

/* Appends "38;..." or "48;..." for one side; base is 38 (foreground) or 48 (background). */
static int blocks_sgr_part(char *s, size_t n, int truecolor, int base, long c)
{
	if (truecolor)
		return snprintf(s, n, "%d;2;%ld;%ld;%ld", base, c >> 16 & 0xff, c >> 8 & 0xff,
		                c & 0xff);
	return snprintf(s, n, "%d;5;%ld", base, c);
}

/* One cell: SGR only for the sides whose colour changed since the previous cell. */
static int blocks_cell(struct blocks_pen *pen, long fg, long bg, struct buf *out)
{
	char s[64];
	int n = 0;

	if (fg != pen->fg || bg != pen->bg) {
		s[n++] = '\033';
		s[n++] = '[';
		if (fg != pen->fg)
			n += blocks_sgr_part(s + n, sizeof s - (size_t)n, pen->truecolor, 38, fg);
		if (fg != pen->fg && bg != pen->bg)
			s[n++] = ';';
		if (bg != pen->bg)
			n += blocks_sgr_part(s + n, sizeof s - (size_t)n, pen->truecolor, 48, bg);
		s[n++] = 'm';
		pen->fg = fg;
		pen->bg = bg;
	}
	if (n > 0 && buf_append(out, s, (size_t)n) < 0)
		return -1;
	return buf_append(out, BLOCKS_UPPER_HALF, sizeof BLOCKS_UPPER_HALF - 1);
}

static int blocks_emit(const struct image *small, int top, int left, int truecolor, struct buf *out)
{
	struct blocks_pen pen = {truecolor, -1, -1};
	size_t stride = (size_t)small->w * 3;

	for (int r = 0; r < small->h / 2; r++) {
		const unsigned char *up = small->rgb + stride * (size_t)(2 * r);
		const unsigned char *lo = up + stride;
		/* top 0: the rows flow from the cursor, one line each (for output to a pipe) */
		if (top > 0 ? buf_printf(out, "\033[%d;%dH", top + r, left) < 0
		            : r > 0 && buf_puts(out, "\033[0m\n") < 0)
			return -1;
		if (top == 0)
			pen.fg = pen.bg = -1; /* after SGR 0 every colour must be set again */
		for (int c = 0; c < small->w; c++, up += 3, lo += 3)
			if (blocks_cell(&pen, blocks_color(&pen, up), blocks_color(&pen, lo), out) <
			    0)
				return -1;
	}
	return buf_puts(out, "\033[0m");
}

int render_encode_blocks(const struct image *img, int top, int left, int cols, int rows,
                         int truecolor, struct buf *out, struct err *err)
{
	struct image small = {0};
	size_t start = out->len;
	int rc = -1;

	if (img == NULL || img->rgb == NULL)
		return err_set(err, "blocks: no image");
	if (cols < 1 || rows < 1 || cols > BLOCKS_MAX_CELLS || rows > BLOCKS_MAX_CELLS || top < 0 ||
	    (top > 0 && left < 1))
		return err_set(err, "blocks: invalid area %dx%d at %d;%d", cols, rows, top, left);
	if (render_resize(img, cols, 2 * rows, &small, err) < 0)
		goto out;
	if (blocks_emit(&small, top, left, truecolor, out) < 0) {
		/* leave the buffer as it was rather than with half a frame */
		out->len = start;
		if (out->data != NULL)
			out->data[start] = '\0';
		err_setk(err, ERR_TOO_LARGE, "frame larger than %zu bytes", out->max);
		goto out;
	}
	rc = 0;
out:
	image_free(&small);
	return rc;
}
