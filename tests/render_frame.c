/* End-to-end frames through the path the viewer uses: decode a JPEG to the pane, draw the
 * overlay, encode as sixel (decoded again with libsixel and checked pixel by pixel) or as
 * half blocks (the escape stream parsed back into cells). */
#include "core/model.h"
#include "core/palette.h"
#include "render_fixtures.h"
#include "tap.h"

#include <math.h>

#undef PACKAGE_VERSION /* sixel.h defines its own */
#include <sixel.h>

#define RED 0xff3b30
#define BG  0x303030

static char line[160];

/* 800x600 uniform dark grey, decoded to fit 400x300, one box at source (200,150) 300x200. */
static int make_frame(struct image *img, struct err *err)
{
	struct image src;
	struct shape box = {.kind = SHAPE_BOX, .box = {200, 150, 300, 200}};
	struct overlay_item it = {&box, RED, 0, NULL};
	struct overlay_style st = {0};
	unsigned char *jpg;
	size_t len;
	int sw, sh, rc;

	image_alloc(&src, 800, 600, NULL);
	fx_fill(&src, 0, 0, 800, 600, BG);
	jpg = fx_jpeg_of(&src, &len);
	image_free(&src);
	rc = render_decode_mem(jpg, len, 400, 300, img, &sw, &sh, err);
	free(jpg);
	if (rc < 0)
		return -1;
	st.scale_x = (double)img->w / sw;
	st.scale_y = (double)img->h / sh;
	render_overlay(img, &it, 1, &st);
	return 0;
}

static const unsigned char *six_px(const unsigned char *idx, const unsigned char *pal, int w, int x,
                                   int y)
{
	return pal + 3 * idx[(size_t)y * w + x];
}

/* Decodes the sixel bytes with libsixel and checks the box where the overlay put it. */
static void check_sixel_pixels(const struct buf *out)
{
	unsigned char *idx = NULL, *pal = NULL;
	int w = 0, h = 0, ncolors = 0, rc;

	rc = sixel_decode_raw(out->data, (int)out->len, &idx, &w, &h, &pal, &ncolors, NULL);
	ok(SIXEL_SUCCEEDED(rc), "libsixel decodes it again");
	is_int(w, 400, "decoded sixel width");
	is_int(h, 300, "decoded sixel height");
	if (!SIXEL_SUCCEEDED(rc) || w != 400 || h != 300) {
		ok(0, "no pixels to check");
		goto out;
	}
	ok(fx_near(six_px(idx, pal, w, 100, 125), RED, 6) &&
	       fx_near(six_px(idx, pal, w, 249, 125), RED, 6) &&
	       fx_near(six_px(idx, pal, w, 175, 75), RED, 6) &&
	       fx_near(six_px(idx, pal, w, 175, 174), RED, 6),
	   "box edges near the label colour");
	ok(fx_near(six_px(idx, pal, w, 175, 125), BG, 6) &&
	       fx_near(six_px(idx, pal, w, 101, 125), BG, 6),
	   "inside the box near the background");
	ok(fx_near(six_px(idx, pal, w, 20, 20), BG, 6) &&
	       fx_near(six_px(idx, pal, w, 399, 299), BG, 6),
	   "outside the box near the background");
out:
	free(idx);
	free(pal);
}

static void test_sixel_frame(void)
{
	struct image img = {0};
	struct buf out;
	struct err err;
	double t0, t_enc;
	int rc;

	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	ok(make_frame(&img, &err) == 0 && img.w == 400 && img.h == 300, "frame decoded to 400x300");
	t0 = fx_now_ms();
	rc = render_encode_sixel(&img, 256, &out, &err);
	t_enc = fx_now_ms() - t0;
	ok(rc == 0, "sixel encode (%s)", rc ? err.msg : "ok");
	ok(out.len > 4 && memcmp(out.data, "\033P", 2) == 0, "starts with ESC P");
	ok(out.len > 4 && memcmp(out.data + out.len - 2, "\033\\", 2) == 0, "ends with ESC \\");
	ok(out.len > 4 && memchr(out.data, 'q', 16) != NULL &&
	       strstr((char *)out.data, "\"1;1;400;300") != NULL,
	   "one DCS with raster attributes for 400x300");
	ok(out.len > 4 && memchr(out.data + 2, 0x1b, out.len - 4) == NULL,
	   "no other escape inside");
	check_sixel_pixels(&out);
	snprintf(line, sizeof line, "sixel 400x300, 256 colours, flat frame: %.2f ms, %zu bytes",
	         t_enc, out.len);
	tap_diag(line);
	buf_free(&out);
	image_free(&img);
}

static void test_sixel_cap(void)
{
	struct image img = {0};
	struct buf out;
	struct err err;
	int rc;

	make_frame(&img, &err);
	buf_init(&out, 200);
	buf_puts(&out, "keep");
	rc = render_encode_sixel(&img, 256, &out, &err);
	ok(rc < 0, "a frame over the cap fails");
	is_str(err.msg, "frame larger than 200 bytes", "... saying so");
	ok(out.len == 4 && strcmp((char *)out.data, "keep") == 0,
	   "... and leaves the buffer as it was");
	buf_free(&out);
	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	ok(render_encode_sixel(&img, 1, &out, &err) == 0 && out.len > 0,
	   "colours below 2 are clamped");
	buf_free(&out);
	image_free(&img);
}

/* A photo-like picture: smooth gradients, a few discs, fine texture. */
static void photo_like(struct image *img)
{
	for (int y = 0; y < img->h; y++)
		for (int x = 0; x < img->w; x++) {
			unsigned char *p = fx_px(img, x, y);
			double u = (double)x / img->w, v = (double)y / img->h;
			int grain = (int)((x * 7919u + y * 104729u) % 17) - 8;
			double disc = hypot(u - 0.6, v - 0.4) < 0.2 ? 60 : 0;
			p[0] = (unsigned char)fmin(255, fmax(0, 40 + 150 * u + disc + grain));
			p[1] = (unsigned char)fmin(255, fmax(0, 90 + 80 * sin(6 * v) + grain));
			p[2] = (unsigned char)fmin(255, fmax(0, 160 - 120 * v * u + grain));
		}
}

static void test_timings(void)
{
	struct image src, img;
	struct shape boxes[10];
	struct overlay_item items[10];
	struct overlay_style st = {.show_caption = 1};
	struct buf out;
	struct err err;
	unsigned char *jpg;
	size_t len;
	int sw, sh;
	double t0, t_dec, t_ov, t_six;

	image_alloc(&src, 4000, 3000, NULL);
	photo_like(&src);
	jpg = fx_jpeg_of(&src, &len);
	image_free(&src);
	t0 = fx_now_ms();
	ok(render_decode_mem(jpg, len, 1000, 1000, &img, &sw, &sh, &err) == 0 && img.w == 1000,
	   "photo-like 4000x3000 decoded to 1000x750");
	t_dec = fx_now_ms() - t0;
	for (int i = 0; i < 10; i++) {
		boxes[i] = (struct shape){.kind = SHAPE_BOX,
		                          .box = {200 + i * 350, 150 + i * 250, 600, 400}};
		items[i] = (struct overlay_item){&boxes[i], palette_rgb(i), i == 3, "label"};
	}
	st.scale_x = (double)img.w / sw;
	st.scale_y = (double)img.h / sh;
	t0 = fx_now_ms();
	render_overlay(&img, items, 10, &st);
	t_ov = fx_now_ms() - t0;
	buf_init(&out, 8 << 20);
	t0 = fx_now_ms();
	ok(render_encode_sixel(&img, 256, &out, &err) == 0, "photo-like frame encodes");
	t_six = fx_now_ms() - t0;
	snprintf(line, sizeof line,
	         "photo-like frame: decode 4000x3000 -> 1000x750 %.1f ms, overlay (10 boxes) "
	         "%.2f ms, sixel %.1f ms, %zu bytes",
	         t_dec, t_ov, t_six, out.len);
	tap_diag(line);
	buf_reset(&out);
	t0 = fx_now_ms();
	render_encode_blocks(&img, 1, 1, 200, 60, 1, &out, &err);
	snprintf(line, sizeof line, "half blocks 200x60 cells, truecolor: %.2f ms, %zu bytes",
	         fx_now_ms() - t0, out.len);
	tap_diag(line);
	buf_free(&out);
	image_free(&img);
	free(jpg);
}

/* ---- Half blocks, parsed back ---------------------------------------------------------- */

#define GRID_MAX 64

struct grid {
	long fg[GRID_MAX][GRID_MAX], bg[GRID_MAX][GRID_MAX]; /* by screen row and column */
	int glyphs[GRID_MAX];
	int start_col[GRID_MAX]; /* where each row's CSI H put the cursor, 0 when never */
	int sgr;
	int reset_at_end;
};

/* SGR parameters: 0, 38;2;r;g;b, 48;2;r;g;b, 38;5;n, 48;5;n. */
static int parse_sgr(const long *p, int n, long *fg, long *bg)
{
	for (int i = 0; i < n;) {
		long *side = p[i] == 38 ? fg : p[i] == 48 ? bg : NULL;
		if (p[i] == 0) {
			*fg = *bg = -1;
			i++;
		} else if (side != NULL && i + 4 < n && p[i + 1] == 2) {
			*side = p[i + 2] << 16 | p[i + 3] << 8 | p[i + 4];
			i += 5;
		} else if (side != NULL && i + 2 < n && p[i + 1] == 5) {
			*side = p[i + 2];
			i += 3;
		} else {
			return -1;
		}
	}
	return 0;
}

/* The parameters and final byte of a CSI sequence at s (after ESC [); returns its length, or
 * 0 when it is not one. */
static size_t parse_csi(const unsigned char *s, size_t n, long *params, int *np, char *final)
{
	size_t i = 0;

	*np = 0;
	params[0] = 0;
	for (; i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == ';'); i++) {
		if (s[i] != ';')
			params[*np] = params[*np] * 10 + (s[i] - '0');
		else if (++*np < 15)
			params[*np] = 0;
		else
			return 0;
	}
	if (i >= n)
		return 0;
	(*np)++;
	*final = (char)s[i];
	return i + 1;
}

/* The frame's state as a terminal would see it: cursor, colours, cells. */
struct blocks_term {
	long fg, bg;
	int row, col;
};

static int apply_csi(struct grid *g, struct blocks_term *t, const long *p, int np, char final,
                     int last)
{
	if (final == 'H' && np == 2) {
		t->row = (int)p[0];
		t->col = (int)p[1];
		if (t->row > 0 && t->row < GRID_MAX)
			g->start_col[t->row] = t->col;
		return 0;
	}
	if (final != 'm' || parse_sgr(p, np, &t->fg, &t->bg) < 0)
		return -1;
	g->sgr++;
	g->reset_at_end = last && np == 1 && p[0] == 0;
	return 0;
}

static int parse_blocks(const unsigned char *s, size_t n, struct grid *g)
{
	struct blocks_term t = {-1, -1, 0, 0};
	long params[16];
	int np;
	char final;

	memset(g, 0, sizeof *g);
	for (size_t i = 0, k; i < n; i += k) {
		if (n - i >= 3 && memcmp(s + i, "\xe2\x96\x80", 3) == 0) {
			if (t.row <= 0 || t.row >= GRID_MAX || t.col <= 0 || t.col >= GRID_MAX)
				return -1;
			g->fg[t.row][t.col] = t.fg;
			g->bg[t.row][t.col] = t.bg;
			g->glyphs[t.row]++;
			t.col++;
			k = 3;
		} else if (n - i >= 3 && s[i] == 0x1b && s[i + 1] == '[') {
			k = parse_csi(s + i + 2, n - i - 2, params, &np, &final);
			if (k == 0 || apply_csi(g, &t, params, np, final, i + 2 + k == n) < 0)
				return -1;
			k += 2;
		} else {
			return -1; /* anything else does not belong in a frame */
		}
	}
	return 0;
}

static void test_blocks_exact(void)
{
	static struct grid g;
	struct image img;
	struct shape box = {.kind = SHAPE_BOX, .box = {10, 6, 20, 16}};
	struct overlay_item it = {&box, RED, 0, NULL};
	struct overlay_style st = {.scale_x = 1, .scale_y = 1, .line_width = 1};
	struct buf out;
	struct err err;
	int rows_ok = 1, rc;

	/* 40x30 pixels = 40 columns x 15 rows of half blocks: no resampling */
	image_alloc(&img, 40, 30, NULL);
	render_overlay(&img, &it, 1, &st);
	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	rc = render_encode_blocks(&img, 3, 5, 40, 15, 1, &out, &err);
	ok(rc == 0, "half blocks, truecolor (%s)", rc ? err.msg : "ok");
	ok(parse_blocks(out.data, out.len, &g) == 0, "the stream holds only CSI H, SGR and U+2580");
	for (int r = 0; r < 15; r++)
		rows_ok &= g.glyphs[3 + r] == 40 && g.start_col[3 + r] == 5;
	ok(rows_ok, "15 rows of 40 cells, each starting at column 5 from row 3");
	ok(g.glyphs[2] == 0 && g.glyphs[18] == 0, "nothing outside the requested rows");
	ok(g.reset_at_end, "ends with SGR 0");
	/* left edge: column 10, pixel rows 10 and 11 -> text row 5 */
	ok(g.fg[3 + 5][5 + 10] == RED && g.bg[3 + 5][5 + 10] == RED,
	   "the cell on the left edge has the box colour above and below");
	/* top edge: pixel row 6 is the upper half of text row 3 */
	ok(g.fg[3 + 3][5 + 20] == RED && g.bg[3 + 3][5 + 20] == 0,
	   "the cell on the top edge: box colour above, black below");
	ok(g.fg[3 + 8][5 + 20] == 0 && g.bg[3 + 8][5 + 20] == 0, "inside the box is black");
	ok(g.sgr < 120, "SGR only when the colour changes (%d for 600 cells)", g.sgr);
	ok(out.len <= out.max, "under the cap (%zu bytes)", out.len);

	buf_reset(&out);
	rc = render_encode_blocks(&img, 1, 1, 40, 15, 0, &out, &err);
	ok(rc == 0 && parse_blocks(out.data, out.len, &g) == 0, "half blocks, 256 colours");
	ok(g.fg[1 + 5][1 + 10] == palette_xterm256(RED) &&
	       g.bg[1 + 5][1 + 10] == palette_xterm256(RED),
	   "the edge cell has the box's xterm index %d", palette_xterm256(RED));
	ok(g.fg[1 + 8][1 + 20] == palette_xterm256(0), "black is index %d", palette_xterm256(0));
	buf_free(&out);
	image_free(&img);
}

static void test_blocks_resampled(void)
{
	static struct grid g;
	struct image img;
	struct buf out;
	struct err err;
	int rc;

	image_alloc(&img, 200, 100, NULL);
	fx_fill(&img, 0, 0, 200, 100, 0x336699);
	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	rc = render_encode_blocks(&img, 2, 2, 20, 5, 1, &out, &err);
	ok(rc == 0 && parse_blocks(out.data, out.len, &g) == 0 && g.fg[4][10] == 0x336699 &&
	       g.bg[6][21] == 0x336699,
	   "a larger image is resampled to the cells");
	ok(g.sgr == 2, "a uniform picture needs one colour change and the reset (%d)", g.sgr);
	buf_free(&out);

	buf_init(&out, 100);
	rc = render_encode_blocks(&img, 1, 1, 20, 5, 1, &out, &err);
	ok(rc < 0 && out.len == 0, "a frame over the cap fails and leaves nothing");
	is_str(err.msg, "frame larger than 100 bytes", "... saying so");
	ok(render_encode_blocks(&img, 0, 1, 20, 5, 1, &out, &err) < 0, "row 0 is refused");
	ok(render_encode_blocks(&img, 1, 1, 0, 5, 1, &out, &err) < 0, "zero columns refused");
	buf_free(&out);
	image_free(&img);
}

int main(void)
{
	test_sixel_frame();
	test_sixel_cap();
	test_blocks_exact();
	test_blocks_resampled();
	test_timings();
	return done_testing();
}
