/* The sixel encoder: frames decoded again with libsixel (the reference decoder) and checked
 * for size, closeness to the input, exact overlay colours, the cap on bytes, and a stream
 * parsed here pixel by pixel (one DCS, every pixel painted exactly once). */
#include "core/palette.h"
#include "render_fixtures.h"
#include "tap.h"

#include <math.h>

#undef PACKAGE_VERSION /* sixel.h defines its own */
#include <sixel.h>

#define RED   0xff3b30
#define GREEN 0x34c759

static char line[200];

struct decoded {
	unsigned char *idx, *pal;
	int w, h, ncolors;
};

static int decode(const struct buf *out, struct decoded *d)
{
	memset(d, 0, sizeof *d);
	return SIXEL_SUCCEEDED(sixel_decode_raw(out->data, (int)out->len, &d->idx, &d->w, &d->h,
	                                        &d->pal, &d->ncolors, NULL));
}

static void decoded_free(struct decoded *d)
{
	free(d->idx);
	free(d->pal);
	memset(d, 0, sizeof *d);
}

static const unsigned char *decoded_px(const struct decoded *d, int x, int y)
{
	return d->pal + 3 * d->idx[(size_t)y * d->w + x];
}

/* PSNR of the decoded frame against the image it was made from. */
static double psnr(const struct decoded *d, const struct image *img)
{
	double se = 0;

	for (int y = 0; y < img->h; y++)
		for (int x = 0; x < img->w; x++)
			for (int c = 0; c < 3; c++) {
				double e = decoded_px(d, x, y)[c] - fx_px(img, x, y)[c];

				se += e * e;
			}
	if (se == 0)
		return 99;
	return 10 * log10(255.0 * 255.0 / (se / ((double)img->w * img->h * 3)));
}

/* Smooth gradients over the top half, two flat areas below, a little grain. */
static void gradients(struct image *img)
{
	for (int y = 0; y < img->h; y++)
		for (int x = 0; x < img->w; x++) {
			unsigned char *p = fx_px(img, x, y);
			double u = (double)x / img->w, v = (double)y / img->h;
			int grain = (int)((x * 7919u + y * 104729u) % 5) - 2;

			if (v < 0.5) {
				p[0] = (unsigned char)(30 + 200 * u + grain);
				p[1] = (unsigned char)(60 + 300 * v + grain);
				p[2] = (unsigned char)(220 - 180 * u + grain);
			} else if (u < 0.5) {
				p[0] = p[1] = p[2] = 0x40;
			} else {
				p[0] = 0x20;
				p[1] = 0x30;
				p[2] = 0x70;
			}
		}
}

/* A box outline two pixels wide in rgb over [x0, x1) x [y0, y1), its inside tinted as the
 * overlay does (alpha 48 of 255). */
static void box2(struct image *img, int x0, int y0, int x1, int y1, uint32_t rgb)
{
	int c[3] = {(int)(rgb >> 16), (int)(rgb >> 8 & 0xff), (int)(rgb & 0xff)};

	for (int y = y0 + 2; y < y1 - 2; y++)
		for (int x = x0 + 2; x < x1 - 2; x++)
			for (int k = 0; k < 3; k++) {
				unsigned char *p = fx_px(img, x, y) + k;

				*p = (unsigned char)((*p * 207 + c[k] * 48 + 127) / 255);
			}
	fx_fill(img, x0, y0, x1, y0 + 2, rgb);
	fx_fill(img, x0, y1 - 2, x1, y1, rgb);
	fx_fill(img, x0, y0, x0 + 2, y1, rgb);
	fx_fill(img, x1 - 2, y0, x1, y1, rgb);
}

/* Every channel within 1 of rgb: sixel colours are whole percents, 2.55 levels apart. */
static int exact(const unsigned char *p, uint32_t rgb)
{
	return fx_near(p, rgb, 1);
}

/* ---- A sixel stream parsed here --------------------------------------------------------- */

struct parsed {
	int dcs;      /* ESC P sequences */
	int p2;       /* the second DCS parameter (1: transparent background) */
	int raster_w; /* from "Pan;Pad;Ph;Pv */
	int raster_h;
	int colors;  /* colour definitions */
	int bad;     /* anything not understood, or drawing outside the raster */
	int *paints; /* per pixel of the raster: how often a sixel set it */
};

static int parse_num(const unsigned char **s, const unsigned char *end)
{
	int v = 0;

	while (*s < end && **s >= '0' && **s <= '9')
		v = v * 10 + *(*s)++ - '0';
	return v;
}

static void paint(struct parsed *ps, int x, int band, int bits, int times)
{
	for (int t = 0; t < times; t++, x++)
		for (int r = 0; r < 6; r++) {
			int y = band * 6 + r;

			if (!(bits & 1 << r))
				continue;
			if (x >= ps->raster_w || y >= ps->raster_h) {
				ps->bad++;
				continue;
			}
			ps->paints[(size_t)y * ps->raster_w + x]++;
		}
}

/* Parses ESC P p1;p2;p3 q "1;1;W;H #n;2;r;g;b ... sixels ... ESC \. */
static void parse(const struct buf *out, struct parsed *ps)
{
	const unsigned char *s = out->data, *end = out->data + out->len;
	int x = 0, band = 0;

	memset(ps, 0, sizeof *ps);
	for (const unsigned char *p = s; p + 1 < end; p++)
		ps->dcs += p[0] == 0x1b && p[1] == 'P';
	if (out->len < 4 || s[0] != 0x1b || s[1] != 'P') {
		ps->bad++;
		return;
	}
	s += 2;
	for (int i = 0; s < end && *s != 'q'; i++) {
		int v = parse_num(&s, end);

		if (i == 1)
			ps->p2 = v;
		if (s < end && *s == ';')
			s++;
		else if (s < end && *s != 'q')
			break;
	}
	if (s >= end || *s++ != 'q' || s >= end || *s++ != '"') {
		ps->bad++;
		return;
	}
	parse_num(&s, end); /* Pan */
	s++;
	parse_num(&s, end); /* Pad */
	s++;
	ps->raster_w = parse_num(&s, end);
	s++;
	ps->raster_h = parse_num(&s, end);
	ps->paints = calloc((size_t)ps->raster_w * ps->raster_h + 1, sizeof *ps->paints);
	while (s < end && *s != 0x1b) {
		int c = *s++;

		if (c == '#') {
			parse_num(&s, end);
			if (s < end && *s == ';') { /* a definition: ;2;r;g;b */
				for (int i = 0; i < 4 && s < end && *s == ';'; i++) {
					s++;
					parse_num(&s, end);
				}
				ps->colors++;
			}
		} else if (c == '!') {
			int n = parse_num(&s, end);

			if (s < end && *s >= '?' && *s <= '~') {
				paint(ps, x, band, *s++ - '?', n);
				x += n;
			} else {
				ps->bad++;
			}
		} else if (c >= '?' && c <= '~') {
			paint(ps, x++, band, c - '?', 1);
		} else if (c == '$') {
			x = 0;
		} else if (c == '-') {
			x = 0;
			band++;
		} else {
			ps->bad++;
		}
	}
	if (end - s != 2 || s[0] != 0x1b || s[1] != '\\')
		ps->bad++;
}

/* Every pixel of the raster painted exactly once. */
static int painted_once(const struct parsed *ps)
{
	for (size_t i = 0; i < (size_t)ps->raster_w * ps->raster_h; i++)
		if (ps->paints[i] != 1)
			return 0;
	return ps->raster_w > 0 && ps->raster_h > 0;
}

/* ---- Tests ------------------------------------------------------------------------------ */

/* Sizes that do not fill the last band of six rows, and the smallest image. */
static void test_sizes(void)
{
	static const int sizes[][2] = {{1, 1},   {1, 7},  {7, 1},    {13, 13},
	                               {64, 11}, {50, 6}, {301, 203}};

	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		int w = sizes[i][0], h = sizes[i][1];
		struct image img = {0};
		struct buf out;
		struct err err;
		struct decoded d;
		struct parsed ps;
		int rc, dec, same = 1;

		image_alloc(&img, w, h, NULL);
		gradients(&img);
		buf_init(&out, RENDER_MAX_FRAME_BYTES);
		rc = render_encode_sixel(&img, 256, &out, &err);
		ok(rc == 0, "%dx%d encodes (%s)", w, h, rc ? err.msg : "ok");
		dec = decode(&out, &d);
		ok(dec && d.w == w && d.h == h, "%dx%d: libsixel decodes %dx%d", w, h, d.w, d.h);
		for (int y = 0; dec && y < h && y < d.h; y++)
			for (int x = 0; x < w && x < d.w; x++)
				same &= fx_near(decoded_px(&d, x, y), fx_rgb_at(&img, x, y), 24);
		ok(dec && same, "%dx%d: every pixel near its input", w, h);
		parse(&out, &ps);
		ok(ps.bad == 0 && ps.raster_w == w && ps.raster_h == h && painted_once(&ps),
		   "%dx%d: raster attributes exact, every pixel painted once", w, h);
		free(ps.paints);
		decoded_free(&d);
		buf_free(&out);
		image_free(&img);
	}
}

/* One DCS, no other escape, an opaque background, as many colour definitions as asked. */
static void test_stream(void)
{
	struct image img = {0};
	struct buf out;
	struct err err;
	struct parsed ps;

	image_alloc(&img, 240, 180, NULL);
	gradients(&img);
	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	ok(render_encode_sixel(&img, 256, &out, &err) == 0, "gradients encode");
	parse(&out, &ps);
	is_int(ps.dcs, 1, "a single DCS sequence");
	ok(out.len > 4 && memchr(out.data + 2, 0x1b, out.len - 4) == NULL,
	   "no other escape inside");
	ok(out.len > 2 && memcmp(out.data + out.len - 2, "\033\\", 2) == 0, "ends with ST");
	ok(ps.p2 != 1, "background not transparent (P2 = %d)", ps.p2);
	ok(ps.bad == 0 && painted_once(&ps), "every pixel painted exactly once, none outside");
	ok(ps.colors >= 2 && ps.colors <= 256, "%d colours defined, at most 256", ps.colors);
	free(ps.paints);
	buf_reset(&out);
	ok(render_encode_sixel(&img, 16, &out, &err) == 0, "16 colours encode");
	parse(&out, &ps);
	ok(ps.colors >= 2 && ps.colors <= 16, "%d colours defined, at most 16", ps.colors);
	ok(ps.bad == 0 && painted_once(&ps), "16 colours: every pixel painted exactly once");
	free(ps.paints);
	buf_reset(&out);
	ok(render_encode_sixel(&img, 1, &out, &err) == 0, "1 colour is clamped to 2");
	parse(&out, &ps);
	ok(ps.colors >= 1 && ps.colors <= 2, "%d colours defined, at most 2", ps.colors);
	free(ps.paints);
	buf_reset(&out);
	ok(render_encode_sixel(&img, 1000, &out, &err) == 0, "1000 colours are clamped to 256");
	parse(&out, &ps);
	ok(ps.colors <= 256, "%d colours defined", ps.colors);
	free(ps.paints);
	buf_free(&out);
	image_free(&img);
}

/* Decoded pixels close to the input, in both modes. */
static void test_fidelity(void)
{
	struct image img = {0};
	struct buf out;
	struct err err;
	struct decoded d;
	double p256 = 0, p16 = 0;
	size_t b256 = 0;

	image_alloc(&img, 320, 240, NULL);
	gradients(&img);
	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	if (render_encode_sixel(&img, 256, &out, &err) == 0 && decode(&out, &d)) {
		p256 = psnr(&d, &img);
		ok(exact(decoded_px(&d, 40, 200), 0x404040) &&
		       exact(decoded_px(&d, 300, 230), 0x203070),
		   "flat areas keep their colour");
		decoded_free(&d);
	} else {
		ok(0, "256 colours encode and decode");
	}
	b256 = out.len;
	snprintf(line, sizeof line, "gradients 320x240: 256 colours %.2f dB, %zu bytes", p256,
	         out.len);
	tap_diag(line);
	ok(p256 >= 36, "256 colours: PSNR %.2f dB >= 36", p256);
	buf_reset(&out);
	if (render_encode_sixel(&img, 16, &out, &err) == 0 && decode(&out, &d)) {
		p16 = psnr(&d, &img);
		ok(d.ncolors <= 16, "16 colours: %d in the palette", d.ncolors);
		decoded_free(&d);
	} else {
		ok(0, "16 colours encode and decode");
	}
	snprintf(line, sizeof line, "gradients 320x240: 16 colours %.2f dB, %zu bytes", p16,
	         out.len);
	tap_diag(line);
	ok(p16 >= 24, "16 colours: PSNR %.2f dB >= 24", p16);
	ok(out.len < b256, "16 colours take fewer bytes (%zu < %zu)", out.len, b256);
	buf_free(&out);
	image_free(&img);
}

/* Two-pixel box edges in label colours over gradients keep their exact colour. */
static void test_overlay_colours(int colors)
{
	struct image img = {0};
	struct buf out;
	struct err err;
	struct decoded d;
	int red = 1, green = 1;

	image_alloc(&img, 400, 300, NULL);
	gradients(&img);
	box2(&img, 20, 10, 180, 140, RED);
	box2(&img, 200, 40, 390, 290, GREEN);
	box2(&img, 60, 170, 150, 280, RED);
	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	if (render_encode_sixel(&img, colors, &out, &err) != 0 || !decode(&out, &d)) {
		ok(0, "%d colours: boxes encode and decode", colors);
		goto out;
	}
	for (int i = 0; i < 2; i++) {
		red &= exact(decoded_px(&d, 20 + i, 70), RED) &&
		       exact(decoded_px(&d, 178 + i, 70), RED) &&
		       exact(decoded_px(&d, 100, 10 + i), RED) &&
		       exact(decoded_px(&d, 100, 138 + i), RED) &&
		       exact(decoded_px(&d, 60 + i, 200), RED) &&
		       exact(decoded_px(&d, 148 + i, 250), RED);
		green &= exact(decoded_px(&d, 200 + i, 100), GREEN) &&
		         exact(decoded_px(&d, 388 + i, 280), GREEN) &&
		         exact(decoded_px(&d, 300, 40 + i), GREEN) &&
		         exact(decoded_px(&d, 300, 288 + i), GREEN);
	}
	ok(red, "%d colours: red box edges keep their colour", colors);
	ok(green, "%d colours: green box edges keep their colour", colors);
	ok(!exact(decoded_px(&d, 100, 70), RED) && !exact(decoded_px(&d, 300, 150), GREEN),
	   "%d colours: the tinted insides are not the edge colour", colors);
	decoded_free(&d);
out:
	buf_free(&out);
	image_free(&img);
}

/* A frame over out->max fails, saying so, and leaves out as it was; the exact size fits. */
static void test_cap(void)
{
	struct image img = {0};
	struct buf out;
	struct err err;
	size_t need;
	int rc;

	image_alloc(&img, 240, 180, NULL);
	gradients(&img);
	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	render_encode_sixel(&img, 256, &out, &err);
	need = out.len;
	buf_free(&out);

	buf_init(&out, 4 + need - 1);
	buf_puts(&out, "keep");
	rc = render_encode_sixel(&img, 256, &out, &err);
	ok(rc < 0, "one byte short of the frame fails");
	snprintf(line, sizeof line, "frame larger than %zu bytes", 4 + need - 1);
	is_str(err.msg, line, "... saying so");
	ok(out.len == 4 && strcmp((char *)out.data, "keep") == 0,
	   "... and leaves the buffer as it was");
	buf_free(&out);

	buf_init(&out, 200);
	rc = render_encode_sixel(&img, 256, &out, &err);
	ok(rc < 0 && out.len == 0, "a tiny cap fails early and leaves nothing");
	buf_free(&out);

	buf_init(&out, 4 + need);
	buf_puts(&out, "keep");
	rc = render_encode_sixel(&img, 256, &out, &err);
	ok(rc == 0 && out.len == 4 + need && memcmp(out.data, "keep\033P", 6) == 0,
	   "exactly the frame's size fits, after what was there");
	buf_free(&out);
	image_free(&img);
}

/* Same input, same bytes; a one-colour image is tiny and exact. */
static void test_determinism_and_flat(void)
{
	struct image img = {0};
	struct buf a, b;
	struct err err;
	struct decoded d;
	int dec;

	image_alloc(&img, 200, 100, NULL);
	gradients(&img);
	buf_init(&a, RENDER_MAX_FRAME_BYTES);
	buf_init(&b, RENDER_MAX_FRAME_BYTES);
	render_encode_sixel(&img, 256, &a, &err);
	render_encode_sixel(&img, 256, &b, &err);
	ok(a.len > 0 && a.len == b.len && memcmp(a.data, b.data, a.len) == 0,
	   "the same image gives the same bytes");
	buf_reset(&a);
	fx_fill(&img, 0, 0, 200, 100, 0x123456);
	ok(render_encode_sixel(&img, 256, &a, &err) == 0, "a flat image encodes");
	dec = decode(&a, &d);
	ok(dec && d.w == 200 && d.h == 100 && exact(decoded_px(&d, 0, 0), 0x123456) &&
	       exact(decoded_px(&d, 199, 99), 0x123456),
	   "... in its colour");
	ok(a.len < 1000, "... in few bytes (%zu)", a.len);
	if (dec)
		decoded_free(&d);
	buf_free(&a);
	buf_free(&b);
	image_free(&img);
}

/* Two threads give the bytes one gives, for heights that split anywhere in a band, and fail
 * on the cap the same way. */
static void test_threads(void)
{
	static const int heights[] = {48, 49, 53, 180, 301};
	struct image img = {0};
	struct buf one, two;
	struct err err;
	int same = 1, failed_alike;
	double t1 = 0, t2 = 0, t;

	for (size_t i = 0; i < sizeof heights / sizeof heights[0]; i++) {
		image_alloc(&img, 320, heights[i], NULL);
		gradients(&img);
		buf_init(&one, RENDER_MAX_FRAME_BYTES);
		buf_init(&two, RENDER_MAX_FRAME_BYTES);
		render_sixel_threads(1);
		render_encode_sixel(&img, 256, &one, &err);
		render_sixel_threads(2);
		render_encode_sixel(&img, 256, &two, &err);
		if (one.len == 0 || one.len != two.len ||
		    memcmp(one.data, two.data, one.len) != 0) {
			same = 0;
			snprintf(line, sizeof line,
			         "height %d: %zu bytes on one thread, %zu on two", heights[i],
			         one.len, two.len);
			tap_diag(line);
		}
		buf_free(&one);
		buf_free(&two);
		image_free(&img);
	}
	ok(same, "two threads give the same bytes as one, at every split");

	image_alloc(&img, 1000, 750, NULL);
	gradients(&img);
	buf_init(&one, 5000);
	buf_puts(&one, "keep");
	render_sixel_threads(2);
	failed_alike = render_encode_sixel(&img, 256, &one, &err) < 0 && one.len == 4 &&
	               strstr(err.msg, "frame larger than 5000 bytes") != NULL;
	ok(failed_alike, "over the cap on two threads: the same error, the buffer as it was");
	buf_free(&one);
	for (int run = 0; run < 3; run++)
		for (int n = 1; n <= 2; n++) {
			buf_init(&one, RENDER_MAX_FRAME_BYTES);
			render_sixel_threads(n);
			t = fx_now_ms();
			render_encode_sixel(&img, 256, &one, &err);
			t = fx_now_ms() - t;
			if (n == 1 && (run == 0 || t < t1))
				t1 = t;
			if (n == 2 && (run == 0 || t < t2))
				t2 = t;
			buf_free(&one);
		}
	snprintf(line, sizeof line, "1000x750 frame: %.1f ms on one thread, %.1f ms on two", t1,
	         t2);
	tap_diag(line);
	render_sixel_threads(0);
	image_free(&img);
}

static void test_no_image(void)
{
	struct image img = {0};
	struct buf out;
	struct err err;

	buf_init(&out, 1000);
	ok(render_encode_sixel(&img, 256, &out, &err) < 0 && out.len == 0,
	   "an empty image is an error");
	ok(render_encode_sixel(NULL, 256, &out, &err) < 0, "so is no image");
	buf_free(&out);
}

int main(void)
{
	test_sizes();
	test_stream();
	test_fidelity();
	test_overlay_colours(256);
	test_overlay_colours(16);
	test_cap();
	test_determinism_and_flat();
	test_threads();
	test_no_image();
	return done_testing();
}
