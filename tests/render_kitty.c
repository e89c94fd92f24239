/* Kitty and iTerm2 frames decoded again: the escape sequences parsed, the base64 and zlib or
 * PNG payload unpacked, and the pixels compared with the image that went in. Kitty's
 * placeholder frames for tmux too: the passthrough wrappers undone, and the cells read by a
 * tiny terminal that numbers each one from its marks. */
#include "core/model.h"
#include "core/palette.h"
#include "core/str.h"
#include "render/base64.h"
#include "render_fixtures.h"
#include "tap.h"

#include <math.h>

#include <zlib.h>

#define RED 0xff3b30
#define BG  0x303030

static char line[200];

/* 400x300 grey with a one-pixel box from (100,75) to (249,174). */
static void make_frame(struct image *img)
{
	struct shape box = {.kind = SHAPE_BOX, .box = {100, 75, 150, 100}};
	struct overlay_item it = {&box, RED, 0, NULL};
	struct overlay_style st = {.scale_x = 1, .scale_y = 1, .line_width = 1};

	image_alloc(img, 400, 300, NULL);
	fx_fill(img, 0, 0, 400, 300, BG);
	render_overlay(img, &it, 1, &st);
}

/* Pseudo-random pixels: deflate cannot shrink them, so the payload spans many chunks. */
static void make_noise(struct image *img, int w, int h)
{
	uint32_t s = 12345;

	image_alloc(img, w, h, NULL);
	for (size_t i = 0; i < (size_t)w * h * 3; i++) {
		s = s * 1103515245u + 12345u;
		img->rgb[i] = (unsigned char)(s >> 16);
	}
}

static int b64_value(int c)
{
	const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c != 0 ? strchr(a, c) : NULL;

	return p != NULL ? (int)(p - a) : -1;
}

/* Strict decoder: length a multiple of 4, padding only at the end. Returns a malloc'd block. */
static unsigned char *b64_decode(const unsigned char *s, size_t n, size_t *len)
{
	unsigned char *d = malloc(n / 4 * 3 + 1);
	size_t k = 0;

	if (d == NULL || n % 4 != 0)
		goto bad;
	for (size_t i = 0; i < n; i += 4) {
		int v[4], pad = 0;
		for (int j = 0; j < 4; j++) {
			v[j] = b64_value(s[i + j]);
			pad += s[i + j] == '=';
			if (v[j] < 0 && !(s[i + j] == '=' && i + 4 == n && j >= 2))
				goto bad;
		}
		if (pad == 1 && s[i + 3] != '=')
			goto bad;
		unsigned long w = (unsigned long)(v[0] << 18 | v[1] << 12 |
		                                  (pad < 2 ? v[2] << 6 : 0) | (pad < 1 ? v[3] : 0));
		d[k++] = (unsigned char)(w >> 16);
		if (pad < 2)
			d[k++] = (unsigned char)(w >> 8);
		if (pad < 1)
			d[k++] = (unsigned char)w;
	}
	*len = k;
	return d;
bad:
	free(d);
	return NULL;
}

static void test_base64(void)
{
	const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	const char *want[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	int good = 1;

	for (int i = 0; i < 7; i++) {
		char s[16] = {0};
		render_base64_encode((const unsigned char *)in[i], strlen(in[i]), s);
		good &= strcmp(s, want[i]) == 0 && render_base64_len(strlen(in[i])) == strlen(s);
	}
	ok(good, "the RFC 4648 test vectors");
}

static void test_base64_pieces(void)
{
	unsigned char all[256];
	struct buf out;
	int good;

	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)(255 - i);
	buf_init(&out, 1 << 20);
	good = 1;
	for (size_t n = 3000; n < 7000; n += 997) {
		unsigned char *back;
		size_t len = 0;
		unsigned char *src = malloc(n);
		for (size_t i = 0; i < n; i++)
			src[i] = all[(i * 7) & 255];
		buf_reset(&out);
		render_base64_append(&out, src, n);
		back = b64_decode(out.data, out.len, &len);
		good &= back != NULL && len == n && memcmp(back, src, n) == 0;
		free(back);
		free(src);
	}
	ok(good, "appended in pieces, it decodes back to the same bytes");
	buf_free(&out);
}

/* ---- Kitty ------------------------------------------------------------------------------ */

struct kitty_frame {
	char keys[256]; /* the first chunk's */
	int chunks;
	int later_keys_ok; /* every later chunk has only m= */
	int m_ok;          /* m=1 on all chunks but the last, m=0 there */
	size_t max_chunk;
	struct buf payload;
};

/* One chunk at s: ESC _ G keys ; payload ESC \. Returns its length, 0 when malformed. */
static size_t kitty_chunk(const unsigned char *s, size_t n, char *keys, size_t keys_max,
                          const unsigned char **pl, size_t *pl_len)
{
	const unsigned char *semi, *end;

	if (n < 6 || memcmp(s, "\033_G", 3) != 0)
		return 0;
	semi = memchr(s, ';', n);
	end = memchr(s + 1, 0x1b, n - 1);
	if (semi == NULL || end == NULL || semi > end || end + 1 >= s + n || end[1] != '\\' ||
	    (size_t)(semi - s - 3) >= keys_max)
		return 0;
	memcpy(keys, s + 3, (size_t)(semi - s - 3));
	keys[semi - s - 3] = '\0';
	*pl = semi + 1;
	*pl_len = (size_t)(end - semi - 1);
	return (size_t)(end + 2 - s);
}

static int kitty_parse(const unsigned char *s, size_t n, struct kitty_frame *f)
{
	char keys[256];
	int last_m = -1;

	f->chunks = 0;
	f->later_keys_ok = f->m_ok = 1;
	f->max_chunk = 0;
	buf_init(&f->payload, 64 << 20);
	for (size_t i = 0, k; i < n; i += k) {
		const unsigned char *pl;
		size_t pl_len;
		k = kitty_chunk(s + i, n - i, keys, sizeof keys, &pl, &pl_len);
		if (k == 0)
			return -1;
		if (f->chunks == 0)
			snprintf(f->keys, sizeof f->keys, "%s", keys);
		else
			f->later_keys_ok &= strcmp(keys, "m=1") == 0 || strcmp(keys, "m=0") == 0;
		f->m_ok &= last_m != 0; /* nothing after a last chunk */
		last_m = strstr(keys, "m=1") != NULL ? 1 : strstr(keys, "m=0") != NULL ? 0 : -1;
		f->max_chunk = pl_len > f->max_chunk ? pl_len : f->max_chunk;
		buf_append(&f->payload, pl, pl_len);
		f->chunks++;
	}
	f->m_ok &= last_m == 0;
	return 0;
}

/* key=value present among the comma-separated keys. */
static int has_key(const char *keys, const char *kv)
{
	size_t n = strlen(kv);

	for (const char *p = keys; p != NULL; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, kv, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

/* The pixels the frame carries: base64 then zlib, exactly w*h*3 bytes, or NULL. */
static unsigned char *kitty_pixels(const struct kitty_frame *f, int w, int h)
{
	size_t zlen = 0, want = (size_t)w * h * 3;
	unsigned char *z = b64_decode(f->payload.data, f->payload.len, &zlen);
	uLongf n = want + 64;
	unsigned char *px = malloc(n);

	if (z == NULL || px == NULL || uncompress(px, &n, z, zlen) != Z_OK || n != want) {
		free(px);
		px = NULL;
	}
	free(z);
	return px;
}

static void test_kitty_frame(void)
{
	struct image img, got;
	struct kitty_frame f;
	struct buf out;
	struct err err;
	int rc;

	make_frame(&img);
	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	rc = render_encode_kitty(&img, 7, 40, 15, 0, &out, &err);
	ok(rc == 0, "kitty encode (%s)", rc ? err.msg : "ok");
	ok(kitty_parse(out.data, out.len, &f) == 0, "only ESC _ G ... ESC \\ chunks");
	ok(has_key(f.keys, "a=T") && has_key(f.keys, "f=24") && has_key(f.keys, "o=z") &&
	       has_key(f.keys, "s=400") && has_key(f.keys, "v=300"),
	   "transmit and display raw RGB 400x300, deflated (%s)", f.keys);
	ok(has_key(f.keys, "i=7") && has_key(f.keys, "q=2") && has_key(f.keys, "C=1") &&
	       has_key(f.keys, "c=40") && has_key(f.keys, "r=15"),
	   "id 7, quiet, 40x15 cells, cursor kept");
	ok(f.m_ok && f.later_keys_ok && f.max_chunk <= 4096, "chunking (%d chunk(s))", f.chunks);
	got = (struct image){400, 300, kitty_pixels(&f, 400, 300)};
	ok(got.rgb != NULL, "base64 and zlib decode to 400x300x3 bytes");
	ok(got.rgb != NULL && fx_rgb_at(&got, 100, 125) == RED &&
	       fx_rgb_at(&got, 249, 125) == RED && fx_rgb_at(&got, 175, 75) == RED &&
	       fx_rgb_at(&got, 175, 174) == RED,
	   "box edges have the box colour exactly");
	ok(got.rgb != NULL && fx_rgb_at(&got, 101, 125) == BG && fx_rgb_at(&got, 175, 125) == BG &&
	       fx_rgb_at(&got, 20, 20) == BG,
	   "inside and outside keep the grey");
	ok(got.rgb != NULL && memcmp(got.rgb, img.rgb, 400 * 300 * 3) == 0, "every pixel as sent");
	free(got.rgb);
	buf_free(&f.payload);
	buf_free(&out);
	image_free(&img);
}

static void test_kitty_chunks(void)
{
	struct image img, got;
	struct kitty_frame f;
	struct buf out;
	struct err err;

	make_noise(&img, 200, 150);
	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	ok(render_encode_kitty(&img, 4000000000u, 20, 8, 0, &out, &err) == 0 &&
	       kitty_parse(out.data, out.len, &f) == 0,
	   "a frame of noise encodes and parses");
	ok(f.chunks > 10 && f.max_chunk == 4096, "in %d chunks of at most 4096 bytes", f.chunks);
	ok(f.m_ok, "m=1 on every chunk but the last, m=0 there");
	ok(f.later_keys_ok, "only the first chunk carries the keys");
	ok(has_key(f.keys, "i=4000000000") && has_key(f.keys, "m=1"), "first chunk: %s", f.keys);
	got = (struct image){200, 150, kitty_pixels(&f, 200, 150)};
	ok(got.rgb != NULL && memcmp(got.rgb, img.rgb, 200 * 150 * 3) == 0,
	   "the chunks join into the same pixels");
	free(got.rgb);
	buf_free(&f.payload);
	buf_free(&out);
	image_free(&img);
}

static void test_kitty_cap(void)
{
	struct image img;
	struct buf out;
	struct err err;
	int rc;

	make_noise(&img, 200, 150);
	buf_init(&out, 20000); /* fails after a few chunks */
	buf_puts(&out, "keep");
	rc = render_encode_kitty(&img, 1, 20, 8, 0, &out, &err);
	ok(rc < 0, "a frame over the cap fails");
	is_str(err.msg, "frame larger than 20000 bytes", "... saying so");
	ok(out.len == 4 && strcmp((char *)out.data, "keep") == 0,
	   "... and leaves the buffer as it was");
	ok(render_encode_kitty(&img, 0, 20, 8, 0, &out, &err) < 0, "image id 0 is refused");
	ok(render_encode_kitty(&img, 1, 0, 8, 0, &out, &err) < 0, "zero columns refused");
	ok(render_encode_kitty(&img, 1, 20, 1001, 0, &out, &err) < 0, "1001 rows refused");
	buf_reset(&out);
	ok(render_kitty_delete(42, &out) == 0 && out.len == 21 &&
	       memcmp(out.data, "\033_Ga=d,d=I,i=42,q=2\033\\", 21) == 0,
	   "delete command: ESC _ G a=d,d=I,i=42,q=2 ESC \\");
	buf_free(&out);
	image_free(&img);
}

/* ---- tmux passthrough ------------------------------------------------------------------- */

/* One wrapper at s: ESC P tmux ; ... ESC \ with ESC ESC inside standing for one ESC. The inside
 * goes to inner; returns the bytes the wrapper took, 0 when s does not start with a well-formed
 * one (a lone ESC inside, or no end). */
static size_t tmux_unwrap(const unsigned char *s, size_t n, struct buf *inner)
{
	static const char head[] = "\033Ptmux;";

	if (n < sizeof head - 1 || memcmp(s, head, sizeof head - 1) != 0)
		return 0;
	for (size_t i = sizeof head - 1; i + 1 < n; i++) {
		if (s[i] != 0x1b) {
			buf_putc(inner, s[i]);
			continue;
		}
		if (s[i + 1] == '\\')
			return i + 2;
		if (s[i + 1] != 0x1b)
			return 0;
		buf_putc(inner, 0x1b);
		i++;
	}
	return 0;
}

static void check_wrap_round_trip(const char *what, const unsigned char *seq, size_t len)
{
	struct buf out, inner;
	size_t esc = 0, used;

	for (size_t i = 0; i < len; i++)
		esc += seq[i] == 0x1b;
	buf_init(&out, 1 << 20);
	buf_init(&inner, 1 << 20);
	ok(render_tmux_wrap(seq, len, &out) == 0 && out.len == len + esc + 9 &&
	       render_tmux_wrap_len(seq, len) == out.len,
	   "%s: wrapped, %zu bytes + %zu doubled ESC + 9 of wrapper", what, len, esc);
	used = tmux_unwrap(out.data, out.len, &inner);
	ok(used == out.len && inner.len == len && (len == 0 || memcmp(inner.data, seq, len) == 0),
	   "%s: unwraps to the same bytes, ending exactly at the wrapper's end", what);
	buf_free(&out);
	buf_free(&inner);
}

static void test_tmux_wrap(void)
{
	static const unsigned char sixel[] = "\033Pq\"1;1;2;2#0;2;100;0;0#0~~-\033\\";
	static const unsigned char escs[] = "\033\033\033";
	unsigned char all[256];
	struct buf out;

	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	check_wrap_round_trip("a sixel DCS", sixel, sizeof sixel - 1);
	check_wrap_round_trip("three ESCs alone", escs, 3);
	check_wrap_round_trip("every byte value", all, sizeof all);
	check_wrap_round_trip("nothing", (const unsigned char *)"", 0);
	buf_init(&out, 64);
	render_tmux_wrap(sixel, sizeof sixel - 1, &out);
	ok(out.len > 9 && memcmp(out.data, "\033Ptmux;\033\033Pq", 11) == 0 &&
	       memcmp(out.data + out.len - 4, "\033\033\\\033\\", 4) != 0 &&
	       memcmp(out.data + out.len - 5, "\033\033\\\033\\", 5) == 0,
	   "ESC P tmux ; ESC ESC P q ... ESC ESC \\ ESC \\");
	buf_free(&out);
	/* one byte short of the wrapped size */
	buf_init(&out, render_tmux_wrap_len(sixel, sizeof sixel - 1) + 3);
	buf_puts(&out, "keep");
	ok(render_tmux_wrap(sixel, sizeof sixel - 1, &out) < 0 && out.len == 4 &&
	       strcmp((char *)out.data, "keep") == 0,
	   "a wrapper over the cap fails and leaves the buffer as it was");
	buf_free(&out);
	buf_init(&out, 256);
	ok(render_kitty_delete_tmux(42, &out) == 0 && out.len == 21 + 2 + 9 &&
	       memcmp(out.data, "\033Ptmux;\033\033_Ga=d,d=I,i=42,q=2\033\033\\\033\\", 32) == 0,
	   "the delete command wrapped for tmux");
	buf_free(&out);
}

/* ---- Kitty placeholders ----------------------------------------------------------------- */

/* A tiny terminal for placeholder output: cursor moves (CSI row;col H), SGR 0 / 38;5;n /
 * 38;2;r;g;b, newlines (as CR LF) and text. Each U+10EEEE cell is numbered from its marks,
 * missing marks taken from the cell to the left as the protocol says. */
#define SCR_ROWS 64
#define SCR_COLS 1024

struct cell {
	int used;
	long id; /* fg (low 24 bits) + top byte from the third mark */
	int row, col;
	int marks;
	long fg; /* the colour as set */
};

struct screen {
	struct cell c[SCR_ROWS][SCR_COLS];
	int y, x; /* 1-based */
	long fg;  /* -1: default */
	int moves, moves_ok;
	int sgr0_last; /* the stream ended with SGR 0 */
	char problem[128];
};

static int mark_value(uint32_t cp)
{
	for (int n = 0; n < RENDER_KITTY_DIACRITICS; n++)
		if (render_kitty_diacritic(n) == cp)
			return n;
	return -1;
}

static int scr_csi(struct screen *s, const unsigned char *p, size_t n, size_t *used)
{
	char params[64];
	size_t i = 2, k = 0;
	int a, b, c, d, e;

	while (i < n && ((p[i] >= '0' && p[i] <= '9') || p[i] == ';') && k + 1 < sizeof params)
		params[k++] = (char)p[i++];
	params[k] = '\0';
	if (i >= n)
		return -1;
	*used = i + 1;
	s->sgr0_last = 0;
	if (p[i] == 'H' && sscanf(params, "%d;%d", &a, &b) == 2) {
		s->y = a;
		s->x = b;
		s->moves++;
		return 0;
	}
	if (p[i] != 'm')
		return -1;
	if (strcmp(params, "0") == 0 || params[0] == '\0') {
		s->fg = -1;
		s->sgr0_last = 1;
	} else if (sscanf(params, "38;5;%d%n", &a, &e) == 1 && params[e] == '\0') {
		s->fg = a;
	} else if (sscanf(params, "38;2;%d;%d;%d%n", &b, &c, &d, &e) == 3 && params[e] == '\0') {
		s->fg = (long)b << 16 | c << 8 | d;
	} else {
		return -1;
	}
	return 0;
}

/* A placeholder cell at the cursor with its marks (0 to 3 of them). */
static void scr_cell(struct screen *s, const int *mark, int marks)
{
	struct cell *left = s->x >= 2 && s->x - 2 < SCR_COLS ? &s->c[s->y - 1][s->x - 2] : NULL;
	int same = left != NULL && left->used && left->fg == s->fg;
	struct cell *c = &s->c[s->y - 1][s->x - 1];
	int msb = 0;

	c->used = 1;
	c->fg = s->fg;
	c->marks = marks;
	c->row = marks >= 1 ? mark[0] : same ? left->row : -1;
	c->col = marks >= 2 ? mark[1] : same && left->row == c->row ? left->col + 1 : -1;
	if (marks >= 3)
		msb = mark[2];
	else if (same && left->row == c->row && left->col == c->col - 1)
		msb = (int)(left->id >> 24);
	c->id = (s->fg & 0xffffff) | (long)msb << 24;
}

static int scr_feed(struct screen *s, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int k, mark[3], marks = 0;
		size_t used;
		if (p[i] == 0x1b) {
			if (i + 1 >= n || p[i + 1] != '[' || scr_csi(s, p + i, n - i, &used) < 0)
				return snprintf(s->problem, sizeof s->problem, "bad escape at %zu",
				                i),
				       -1;
			i += used;
			continue;
		}
		if (p[i] == '\n') {
			s->y++;
			s->x = 1;
			i++;
			continue;
		}
		k = str_utf8_decode(p + i, n - i, &cp);
		if (cp != 0x10EEEE)
			return snprintf(s->problem, sizeof s->problem, "U+%04X at %zu", cp, i), -1;
		i += (size_t)k;
		while (i < n && (k = str_utf8_decode(p + i, n - i, &cp)) > 0 &&
		       mark_value(cp) >= 0) {
			if (marks == 3)
				return snprintf(s->problem, sizeof s->problem, "4 marks at %zu", i),
				       -1;
			mark[marks++] = mark_value(cp);
			i += (size_t)k;
		}
		if (s->y < 1 || s->y > SCR_ROWS || s->x < 1 || s->x > SCR_COLS)
			return snprintf(s->problem, sizeof s->problem, "off screen"), -1;
		scr_cell(s, mark, marks);
		s->x++;
		s->sgr0_last = 0;
	}
	return 0;
}

/* Every cell of the rows x cols area at (top, left) names the image and its own place, and
 * there is nothing outside it. */
static int scr_area_ok(const struct screen *s, long id, int top, int left, int rows, int cols)
{
	for (int y = 1; y <= SCR_ROWS; y++)
		for (int x = 1; x <= SCR_COLS; x++) {
			const struct cell *c = &s->c[y - 1][x - 1];
			int inside = y >= top && y < top + rows && x >= left && x < left + cols;
			if (c->used != inside)
				return 0;
			if (inside && (c->id != id || c->row != y - top || c->col != x - left))
				return 0;
		}
	return 1;
}

/* Splits placeholder output: the wrapped (or plain) transmit chunks first, the text after. */
struct ph_frame {
	struct kitty_frame f;
	int wrappers;      /* passthrough wrappers met */
	int one_per_wrap;  /* each wrapper held exactly one kitty chunk */
	size_t text_start; /* where the cells begin */
};

static int ph_split(const struct buf *out, int tmux, struct ph_frame *p)
{
	struct buf chunks, inner;
	size_t i = 0;
	int rc;

	buf_init(&chunks, 64 << 20);
	buf_init(&inner, 1 << 20);
	p->wrappers = 0;
	p->one_per_wrap = 1;
	while (i < out->len) {
		char keys[256];
		const unsigned char *pl;
		size_t pl_len, k;
		buf_reset(&inner);
		if (tmux) {
			k = tmux_unwrap(out->data + i, out->len - i, &inner);
			if (k == 0)
				break;
			p->wrappers++;
			p->one_per_wrap &= kitty_chunk(inner.data, inner.len, keys, sizeof keys,
			                               &pl, &pl_len) == inner.len;
			buf_append(&chunks, inner.data, inner.len);
		} else {
			k = kitty_chunk(out->data + i, out->len - i, keys, sizeof keys, &pl,
			                &pl_len);
			if (k == 0)
				break;
			buf_append(&chunks, out->data + i, k);
		}
		i += k;
	}
	p->text_start = i;
	rc = kitty_parse(chunks.data, chunks.len, &p->f);
	buf_free(&chunks);
	buf_free(&inner);
	return rc;
}

static void test_placeholder_tmux(void)
{
	static struct screen s;
	struct image img, got;
	struct ph_frame p;
	struct buf out;
	struct err err;
	int rc;

	make_frame(&img);
	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	rc = render_encode_kitty_placeholder(&img, 7, 3, 5, 40, 15, 0, 1, &out, &err);
	ok(rc == 0, "placeholder frame for tmux (%s)", rc ? err.msg : "ok");
	rc = ph_split(&out, 1, &p);
	ok(rc == 0 && p.wrappers >= 1 && p.one_per_wrap,
	   "the transmit is %d passthrough wrapper(s), one kitty chunk in each", p.wrappers);
	ok(has_key(p.f.keys, "a=T") && has_key(p.f.keys, "U=1") && has_key(p.f.keys, "i=7") &&
	       has_key(p.f.keys, "c=40") && has_key(p.f.keys, "r=15") && has_key(p.f.keys, "q=2"),
	   "transmit with a virtual placement: U=1, id 7, 40x15 cells, quiet (%s)", p.f.keys);
	ok(!has_key(p.f.keys, "C=1") && p.f.m_ok && p.f.later_keys_ok, "no C=1; chunking right");
	got = (struct image){400, 300, kitty_pixels(&p.f, 400, 300)};
	ok(got.rgb != NULL && memcmp(got.rgb, img.rgb, 400 * 300 * 3) == 0,
	   "base64 and zlib inside the wrappers decode to every pixel as sent");
	memset(&s, 0, sizeof s);
	rc = scr_feed(&s, out.data + p.text_start, out.len - p.text_start);
	ok(rc == 0, "after the wrappers only cursor moves, SGR and placeholder cells (%s)",
	   s.problem);
	is_int(s.moves, 15, "one cursor move per row");
	ok(scr_area_ok(&s, 7, 3, 5, 15, 40),
	   "every cell of rows 3..17, columns 5..44 names image 7 and its own row and column");
	ok(s.c[2][4].marks == 2 && s.c[16][43].marks == 2,
	   "each cell carries a row and a column mark");
	ok(s.sgr0_last, "ends with SGR 0");
	ok(memcmp(out.data + p.text_start, "\033[38;5;7m\033[3;5H", 15) == 0,
	   "the id as a 256-colour index, then the first row at 3;5");
	free(got.rgb);
	buf_free(&p.f.payload);
	buf_free(&out);
	image_free(&img);
}

/* Ids in all three encodings, a pane wider than the marks go, inline rows, plain (no tmux). */
static void test_placeholder_ids(void)
{
	static struct screen s;
	static const uint32_t ids[] = {1, 255, 256, 0x123456, 0xffffff, 0x05000007, 0xff123456};
	struct image img;
	struct ph_frame p;
	struct buf out;
	struct err err;
	int good = 1;

	make_noise(&img, 64, 32);
	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		buf_reset(&out);
		memset(&s, 0, sizeof s);
		good &= render_encode_kitty_placeholder(&img, ids[i], 2, 1, 6, 3, 0, 1, &out,
		                                        &err) == 0 &&
		        ph_split(&out, 1, &p) == 0 && p.one_per_wrap && p.wrappers == p.f.chunks &&
		        p.f.chunks > 1 &&
		        scr_feed(&s, out.data + p.text_start, out.len - p.text_start) == 0 &&
		        scr_area_ok(&s, ids[i], 2, 1, 3, 6) &&
		        s.c[1][0].marks == (ids[i] >> 24 ? 3 : 2);
		snprintf(line, sizeof line, "i=%u", ids[i]);
		good &= has_key(p.f.keys, line);
		buf_free(&p.f.payload);
	}
	ok(good, "ids 1, 255, 256, 0x123456, 0xffffff, 0x05000007, 0xff123456 read back from "
	         "the colour and the third mark (each chunk in its own wrapper)");
	buf_reset(&out);
	render_encode_kitty_placeholder(&img, 0x123456, 1, 1, 1, 1, 0, 0, &out, &err);
	ok(strstr((char *)out.data, "\033[38;2;18;52;86m") != NULL, "0x123456 as 38;2;18;52;86");

	buf_reset(&out);
	memset(&s, 0, sizeof s);
	ok(render_encode_kitty_placeholder(&img, 9, 1, 2, 400, 2, 0, 1, &out, &err) == 0 &&
	       ph_split(&out, 1, &p) == 0 &&
	       scr_feed(&s, out.data + p.text_start, out.len - p.text_start) == 0,
	   "a 400-column pane encodes (%s)", s.problem);
	ok(scr_area_ok(&s, 9, 1, 2, 2, 400), "its columns 297..399 count on from the left");
	ok(s.c[0][1 + 296].marks == 2 && s.c[0][1 + 297].marks == 1 && s.c[1][400].marks == 1,
	   "column 296 has both marks, 297 and on the row mark only");
	buf_free(&p.f.payload);

	buf_reset(&out);
	memset(&s, 0, sizeof s);
	s.y = s.x = 1;
	ok(render_encode_kitty_placeholder(&img, 3, 0, 0, 5, 4, 0, 0, &out, &err) == 0 &&
	       ph_split(&out, 0, &p) == 0 && p.wrappers == 0 && has_key(p.f.keys, "U=1"),
	   "without tmux: plain kitty chunks with U=1");
	ok(scr_feed(&s, out.data + p.text_start, out.len - p.text_start) == 0 && s.moves == 0 &&
	       scr_area_ok(&s, 3, 1, 1, 4, 5),
	   "top 0: four rows flowing from the cursor, separated by newlines (%s)", s.problem);
	ok(out.data[out.len - 1] == 'm', "no newline after the last row");
	buf_free(&p.f.payload);
	buf_free(&out);
	image_free(&img);
}

static void test_placeholder_limits(void)
{
	struct image img;
	struct buf out;
	struct err err;
	int rc;

	make_noise(&img, 200, 150);
	buf_init(&out, 20000); /* the transmit fills it after a few chunks */
	buf_puts(&out, "keep");
	rc = render_encode_kitty_placeholder(&img, 7, 1, 1, 20, 8, 0, 1, &out, &err);
	ok(rc < 0 && strcmp(err.msg, "frame larger than 20000 bytes") == 0 && out.len == 4 &&
	       strcmp((char *)out.data, "keep") == 0,
	   "over the cap: fails, says so, leaves the buffer (%s)", rc < 0 ? err.msg : "ok");
	buf_free(&out);
	image_free(&img);
	make_noise(&img, 8, 8);
	buf_init(&out, 100000); /* the image fits, 297 x 100 cells do not */
	rc = render_encode_kitty_placeholder(&img, 7, 1, 1, 100, 297, 0, 1, &out, &err);
	ok(rc < 0 && out.len == 0, "cells over the cap: fails and leaves nothing");
	buf_free(&out);
	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	ok(render_encode_kitty_placeholder(&img, 7, 1, 1, 10, 298, 0, 1, &out, &err) < 0,
	   "298 rows refused (the marks stop at 296)");
	ok(render_encode_kitty_placeholder(&img, 7, 1, 1, 1001, 2, 0, 1, &out, &err) < 0,
	   "1001 columns refused");
	ok(render_encode_kitty_placeholder(&img, 0, 1, 1, 10, 2, 0, 1, &out, &err) < 0,
	   "image id 0 refused");
	ok(render_encode_kitty_placeholder(&img, 7, 1, 0, 10, 2, 0, 1, &out, &err) < 0 &&
	       render_encode_kitty_placeholder(&img, 7, -1, -1, 10, 2, 0, 1, &out, &err) < 0,
	   "a half or negative position refused");
	ok(out.len == 0, "refusals leave nothing");
	buf_free(&out);
	image_free(&img);
}

/* The marks: the protocol's examples name the first three (0, 1, 2), the list is in code point
 * order, and every mark is a combining character from the blocks the list draws on. */
static void test_diacritics(void)
{
	static const uint32_t blocks[][2] = {
	    {0x0300, 0x036F},   {0x0483, 0x0487},  {0x0591, 0x05C7}, {0x0610, 0x061A},
	    {0x064B, 0x065F},   {0x06D6, 0x06ED},  {0x0730, 0x074A}, {0x07EB, 0x07F3},
	    {0x0816, 0x082D},   {0x0951, 0x0954},  {0x0F82, 0x0F87}, {0x135D, 0x135F},
	    {0x17DD, 0x17DD},   {0x193A, 0x193A},  {0x1A17, 0x1A17}, {0x1A75, 0x1A7C},
	    {0x1B6B, 0x1B73},   {0x1CD0, 0x1CE0},  {0x1DC0, 0x1DFF}, {0x20D0, 0x20F0},
	    {0x2CEF, 0x2CF1},   {0x2DE0, 0x2DFF},  {0xA66F, 0xA67D}, {0xA6F0, 0xA6F1},
	    {0xA8E0, 0xA8F1},   {0xAAB0, 0xAAC1},  {0xFE20, 0xFE26}, {0x10A0F, 0x10A38},
	    {0x1D185, 0x1D1AD}, {0x1D242, 0x1D244}};
	int sorted = 1, inside = 1;

	is_int(RENDER_KITTY_DIACRITICS, 297, "297 marks");
	ok(render_kitty_diacritic(0) == 0x0305 && render_kitty_diacritic(1) == 0x030D &&
	       render_kitty_diacritic(2) == 0x030E,
	   "0, 1 and 2 are U+0305, U+030D, U+030E as in the protocol's examples");
	ok(render_kitty_diacritic(296) == 0x1D244 && render_kitty_diacritic(297) == 0 &&
	       render_kitty_diacritic(-1) == 0,
	   "296 is U+1D244, the last; nothing outside 0..296");
	for (int n = 0; n < RENDER_KITTY_DIACRITICS; n++) {
		uint32_t cp = render_kitty_diacritic(n);
		int in = 0;
		sorted &= n == 0 || cp > render_kitty_diacritic(n - 1);
		for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++)
			in |= cp >= blocks[b][0] && cp <= blocks[b][1];
		inside &= in;
	}
	ok(sorted, "in code point order, no repeats");
	ok(inside, "all inside the combining blocks the list draws on");
	ok(render_kitty_diacritic(3) == 0x0310 && render_kitty_diacritic(30) == 0x0483 &&
	       render_kitty_diacritic(129) == 0x0951 && render_kitty_diacritic(283) == 0x10A0F,
	   "spot checks: 3, 30, 129, 283");
}

/* ---- iTerm2 ----------------------------------------------------------------------------- */

/* The OSC's arguments (before ':') and its base64 (after, up to BEL); -1 when malformed. */
static int iterm2_parse(const struct buf *out, char *args, size_t args_max,
                        const unsigned char **b64, size_t *b64_len)
{
	static const char head[] = "\033]1337;File=";
	const unsigned char *colon;

	if (out->len < sizeof head + 1 || memcmp(out->data, head, sizeof head - 1) != 0 ||
	    out->data[out->len - 1] != '\a')
		return -1;
	colon = memchr(out->data, ':', out->len);
	if (colon == NULL || (size_t)(colon - out->data) - (sizeof head - 1) >= args_max)
		return -1;
	memcpy(args, out->data + sizeof head - 1, (size_t)(colon - out->data) - (sizeof head - 1));
	args[(colon - out->data) - (sizeof head - 1)] = '\0';
	*b64 = colon + 1;
	*b64_len = out->len - (size_t)(colon + 1 - out->data) - 1;
	if (memchr(*b64, '\a', *b64_len) != NULL || memchr(*b64, 0x1b, *b64_len) != NULL)
		return -1;
	return 0;
}

/* Reads the PNG back as 8-bit RGB; the caller frees img->rgb. */
static int png_read_back(const unsigned char *png, size_t len, struct image *img)
{
	png_image pi;

	memset(&pi, 0, sizeof pi);
	pi.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&pi, png, len))
		return -1;
	pi.format = PNG_FORMAT_RGB;
	img->w = (int)pi.width;
	img->h = (int)pi.height;
	img->rgb = malloc(PNG_IMAGE_SIZE(pi));
	if (img->rgb == NULL || !png_image_finish_read(&pi, NULL, img->rgb, 0, NULL)) {
		png_image_free(&pi);
		return -1;
	}
	return 0;
}

static void check_iterm2_frame(const struct buf *out, const struct image *img)
{
	const unsigned char *b64 = NULL;
	size_t b64_len = 0, len = 0;
	unsigned char *png = NULL;
	struct image got = {0};
	char args[256] = "", want[64];

	ok(iterm2_parse(out, args, sizeof args, &b64, &b64_len) == 0,
	   "one OSC 1337 File= ... BEL, nothing else inside");
	ok(strstr(args, "inline=1;") == args &&
	       strstr(args, ";width=40;height=15;preserveAspectRatio=1") != NULL,
	   "inline, 40x15 cells, aspect kept (%s)", args);
	png = b64_decode(b64, b64_len, &len);
	snprintf(want, sizeof want, ";size=%zu;", len);
	ok(png != NULL && strstr(args, want) != NULL, "size= is the decoded byte count (%zu)", len);
	ok(png != NULL && png_read_back(png, len, &got) == 0 && got.w == 400 && got.h == 300,
	   "libpng reads a 400x300 PNG back");
	ok(got.rgb != NULL && fx_rgb_at(&got, 100, 125) == RED && fx_rgb_at(&got, 175, 174) == RED,
	   "box edges have the box colour exactly");
	ok(got.rgb != NULL && fx_rgb_at(&got, 175, 125) == BG && fx_rgb_at(&got, 20, 20) == BG,
	   "inside and outside keep the grey");
	ok(got.rgb != NULL && memcmp(got.rgb, img->rgb, 400 * 300 * 3) == 0, "every pixel as sent");
	free(got.rgb);
	free(png);
}

static void test_iterm2(void)
{
	struct image img;
	struct buf out;
	struct err err;
	size_t full;
	int rc;

	make_frame(&img);
	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	rc = render_encode_iterm2(&img, 40, 15, 0, &out, &err);
	ok(rc == 0, "iterm2 encode (%s)", rc ? err.msg : "ok");
	check_iterm2_frame(&out, &img);
	full = out.len;
	buf_free(&out);
	/* one byte short; one the PNG fits under but not its base64; one the PNG exceeds */
	size_t caps[] = {full - 1, full * 3 / 4, 100};
	for (int i = 0; i < 3; i++) {
		size_t cap = caps[i];
		buf_init(&out, cap);
		buf_puts(&out, "keep");
		rc = render_encode_iterm2(&img, 40, 15, 0, &out, &err);
		snprintf(line, sizeof line, "frame larger than %zu bytes", cap);
		ok(rc < 0 && strcmp(err.msg, line) == 0 && out.len == 4 &&
		       strcmp((char *)out.data, "keep") == 0,
		   "cap %zu: fails, says so, leaves the buffer (%s)", cap, rc < 0 ? err.msg : "ok");
		buf_free(&out);
	}
	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	ok(render_encode_iterm2(&img, 0, 15, 0, &out, &err) < 0 && out.len == 0,
	   "zero columns refused");
	buf_free(&out);
	image_free(&img);
}

/* ---- Sizes and times -------------------------------------------------------------------- */

/* A photo-like picture: smooth gradients, a disc, fine texture. */
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

/* The same picture as the sixel timings: 4000x3000 through JPEG, decoded to 1000x750, with
 * ten labelled boxes. */
static int photo_frame(struct image *img)
{
	struct image src;
	struct shape boxes[10];
	struct overlay_item items[10];
	struct overlay_style st = {.show_caption = 1};
	unsigned char *jpg;
	size_t len;
	int sw, sh, rc;

	image_alloc(&src, 4000, 3000, NULL);
	photo_like(&src);
	jpg = fx_jpeg_of(&src, &len);
	image_free(&src);
	rc = render_decode_mem(jpg, len, 1000, 1000, img, &sw, &sh, NULL);
	free(jpg);
	if (rc < 0)
		return -1;
	for (int i = 0; i < 10; i++) {
		boxes[i] = (struct shape){.kind = SHAPE_BOX,
		                          .box = {200 + i * 350, 150 + i * 250, 600, 400}};
		items[i] = (struct overlay_item){&boxes[i], palette_rgb(i), i == 3, "label"};
	}
	st.scale_x = (double)img->w / sw;
	st.scale_y = (double)img->h / sh;
	render_overlay(img, items, 10, &st);
	return 0;
}

/* A palette PNG keeps a photo's frame at full size in far fewer bytes (what a frame over 1 MiB
 * in full colour falls back to): the overlay colours exact, the picture close. */
static void test_palette_png(void)
{
	struct image img = {0}, got = {0};
	struct kitty_frame f = {0};
	struct buf out;
	struct err err;
	unsigned char *png = NULL;
	size_t rgb_len, len = 0;
	double se = 0;
	int exact = 1;

	if (photo_frame(&img) < 0) {
		ok(0, "photo-like frame");
		return;
	}
	buf_init(&out, 8 << 20);
	render_encode_kitty(&img, 1, 100, 38, 0, &out, &err);
	rgb_len = out.len;
	buf_reset(&out);
	ok(render_encode_kitty(&img, 1, 100, 38, 256, &out, &err) == 0, "kitty: palette frame");
	ok(out.len < RENDER_MAX_FRAME_BYTES && out.len * 2 < rgb_len,
	   "under half the bytes of full colour (%zu, full colour %zu)", out.len, rgb_len);
	if (kitty_parse(out.data, out.len, &f) == 0)
		png = b64_decode(f.payload.data, f.payload.len, &len);
	ok(has_key(f.keys, "f=100") && !has_key(f.keys, "o=z") && has_key(f.keys, "c=100"),
	   "sent as PNG (f=100), not deflated RGB (%s)", f.keys);
	ok(png != NULL && png_read_back(png, len, &got) == 0 && got.w == 1000 && got.h == 750,
	   "libpng reads the 1000x750 picture back");
	for (int y = 0; got.rgb != NULL && y < 750; y++)
		for (int x = 0; x < 1000; x++)
			for (int c = 0; c < 3; c++) {
				double d = fx_px(&got, x, y)[c] - fx_px(&img, x, y)[c];
				se += d * d;
			}
	/* box 0 at source (200,150) 600x400 is (50,37)-(200,137) in the frame */
	for (int x = 60; got.rgb != NULL && x < 190; x++)
		exact &= fx_rgb_at(&got, x, 137) == fx_rgb_at(&img, x, 137);
	ok(got.rgb != NULL && exact, "the box's bottom edge keeps its colour exactly");
	se = got.rgb != NULL ? se / (1000.0 * 750 * 3) : 1e9;
	ok(se > 0 && 10 * log10(255.0 * 255 / se) > 30, "the picture is close: %.1f dB PSNR",
	   se > 0 ? 10 * log10(255.0 * 255 / se) : 0);
	buf_reset(&out);
	ok(render_encode_iterm2(&img, 100, 38, 256, &out, &err) == 0 && out.len > 0 &&
	       out.len < RENDER_MAX_FRAME_BYTES && strstr((char *)out.data, "iVBORw0KGgo") != NULL,
	   "iTerm2 takes the same palette PNG");
	free(png);
	free(got.rgb);
	buf_free(&f.payload);
	buf_free(&out);
	image_free(&img);
}

static void test_timings(void)
{
	struct image img = {0};
	struct buf out;
	struct err err;
	double t0, t_kitty, t_iterm2;
	size_t n_kitty;

	ok(photo_frame(&img) == 0 && img.w == 1000 && img.h == 750, "photo-like frame 1000x750");
	buf_init(&out, 8 << 20);
	t0 = fx_now_ms();
	ok(render_encode_kitty(&img, 1, 120, 45, 0, &out, &err) == 0, "kitty encodes it");
	t_kitty = fx_now_ms() - t0;
	n_kitty = out.len;
	buf_reset(&out);
	t0 = fx_now_ms();
	ok(render_encode_iterm2(&img, 120, 45, 0, &out, &err) == 0, "iterm2 encodes it");
	t_iterm2 = fx_now_ms() - t0;
	snprintf(line, sizeof line,
	         "photo-like 1000x750: kitty %.1f ms, %zu bytes; iterm2 %.1f ms, %zu bytes",
	         t_kitty, n_kitty, t_iterm2, out.len);
	tap_diag(line);
	buf_free(&out);
	image_free(&img);
}

int main(void)
{
	test_base64();
	test_base64_pieces();
	test_kitty_frame();
	test_kitty_chunks();
	test_kitty_cap();
	test_palette_png();
	test_tmux_wrap();
	test_placeholder_tmux();
	test_placeholder_ids();
	test_placeholder_limits();
	test_diacritics();
	test_iterm2();
	test_timings();
	return done_testing();
}
