/* Kitty and iTerm2 frames decoded again: the escape sequences parsed, the base64 and zlib or
 * PNG payload unpacked, and the pixels compared with the image that went in. */
#include "core/model.h"
#include "core/palette.h"
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
	rc = render_encode_kitty(&img, 7, 40, 15, &out, &err);
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
	ok(render_encode_kitty(&img, 4000000000u, 20, 8, &out, &err) == 0 &&
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
	rc = render_encode_kitty(&img, 1, 20, 8, &out, &err);
	ok(rc < 0, "a frame over the cap fails");
	is_str(err.msg, "frame larger than 20000 bytes", "... saying so");
	ok(out.len == 4 && strcmp((char *)out.data, "keep") == 0,
	   "... and leaves the buffer as it was");
	ok(render_encode_kitty(&img, 0, 20, 8, &out, &err) < 0, "image id 0 is refused");
	ok(render_encode_kitty(&img, 1, 0, 8, &out, &err) < 0, "zero columns refused");
	ok(render_encode_kitty(&img, 1, 20, 1001, &out, &err) < 0, "1001 rows refused");
	buf_reset(&out);
	ok(render_kitty_delete(42, &out) == 0 && out.len == 21 &&
	       memcmp(out.data, "\033_Ga=d,d=I,i=42,q=2\033\\", 21) == 0,
	   "delete command: ESC _ G a=d,d=I,i=42,q=2 ESC \\");
	buf_free(&out);
	image_free(&img);
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
	rc = render_encode_iterm2(&img, 40, 15, &out, &err);
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
		rc = render_encode_iterm2(&img, 40, 15, &out, &err);
		snprintf(line, sizeof line, "frame larger than %zu bytes", cap);
		ok(rc < 0 && strcmp(err.msg, line) == 0 && out.len == 4 &&
		       strcmp((char *)out.data, "keep") == 0,
		   "cap %zu: fails, says so, leaves the buffer (%s)", cap, rc < 0 ? err.msg : "ok");
		buf_free(&out);
	}
	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	ok(render_encode_iterm2(&img, 0, 15, &out, &err) < 0 && out.len == 0,
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
	ok(render_encode_kitty(&img, 1, 120, 45, &out, &err) == 0, "kitty encodes it");
	t_kitty = fx_now_ms() - t0;
	n_kitty = out.len;
	buf_reset(&out);
	t0 = fx_now_ms();
	ok(render_encode_iterm2(&img, 120, 45, &out, &err) == 0, "iterm2 encodes it");
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
	test_iterm2();
	test_timings();
	return done_testing();
}
