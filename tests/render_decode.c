/* Tests of render decoding: JPEG (DCT scaling, greyscale, progressive, CMYK, EXIF orientation,
 * truncation, absurd sizes) and PNG (every colour type, alpha, interlace), and file errors. */
#include "render_fixtures.h"
#include "tap.h"

#include <errno.h>
#include <unistd.h>

static char tmpdir[256];

static int decode(const unsigned char *data, size_t len, int max_w, int max_h, struct image *img,
                  int *sw, int *sh, struct err *err)
{
	err_clear(err);
	return render_decode_mem(data, len, max_w, max_h, img, sw, sh, err);
}

static void test_jpeg_scaled(void)
{
	struct image src, img;
	struct err err;
	unsigned char *jpg;
	size_t len;
	int sw, sh, rc;
	double t0, t_scaled, t_full;
	char line[128];

	image_alloc(&src, 4000, 3000, NULL);
	fx_quadrants(&src);
	jpg = fx_jpeg_of(&src, &len);
	image_free(&src);
	t0 = fx_now_ms();
	rc = decode(jpg, len, 1000, 1000, &img, &sw, &sh, &err);
	t_scaled = fx_now_ms() - t0;
	ok(rc == 0, "4000x3000 JPEG decodes (%s)", rc ? err.msg : "ok");
	ok(img.w == 1000 && img.h == 750, "fits 1000x1000 as 1000x750 (got %dx%d)", img.w, img.h);
	ok(sw == 4000 && sh == 3000, "source size reported");
	ok(rc == 0 && fx_near(fx_px(&img, 250, 187), 0xff0000, 12) &&
	       fx_near(fx_px(&img, 750, 187), 0x00ff00, 12) &&
	       fx_near(fx_px(&img, 250, 562), 0x0000ff, 12) &&
	       fx_near(fx_px(&img, 750, 562), 0xffffff, 12),
	   "quadrant colours survive a scaled decode");
	image_free(&img);
	t0 = fx_now_ms();
	rc = decode(jpg, len, 4000, 4000, &img, &sw, &sh, &err);
	t_full = fx_now_ms() - t0;
	ok(rc == 0 && img.w == 4000 && img.h == 3000, "the same file at full size");
	image_free(&img);
	snprintf(line, sizeof line, "decode 4000x3000 -> 1000x750: %.1f ms (full size: %.1f ms)",
	         t_scaled, t_full);
	tap_diag(line);
	snprintf(line, sizeof line, "DCT scaling %s used (scaled decode %.1fx faster)",
	         t_scaled * 3 < t_full ? "was" : "may not have been", t_full / t_scaled);
	tap_diag(line);
	free(jpg);
}

static void test_jpeg_colors(void)
{
	struct image src, img;
	struct err err;
	unsigned char *jpg;
	size_t len;
	int sw, sh;

	image_alloc(&src, 64, 48, NULL);
	fx_quadrants(&src);
	jpg = fx_jpeg_of(&src, &len);
	ok(decode(jpg, len, 500, 500, &img, &sw, &sh, &err) == 0, "small JPEG decodes");
	is_int(img.w, 64, "never upscaled: width");
	is_int(img.h, 48, "never upscaled: height");
	ok(fx_near(fx_px(&img, 8, 8), 0xff0000, 10) && fx_near(fx_px(&img, 56, 8), 0x00ff00, 10) &&
	       fx_near(fx_px(&img, 8, 40), 0x0000ff, 10) &&
	       fx_near(fx_px(&img, 56, 40), 0xffffff, 10),
	   "known colour regions survive");
	image_free(&img);
	image_free(&src);
	free(jpg);

	image_alloc(&src, 1, 1, NULL);
	fx_fill(&src, 0, 0, 1, 1, 0x336699);
	jpg = fx_jpeg_of(&src, &len);
	ok(decode(jpg, len, 100, 100, &img, &sw, &sh, &err) == 0 && img.w == 1 && img.h == 1,
	   "1x1 JPEG");
	ok(img.rgb != NULL && fx_near(img.rgb, 0x336699, 10), "1x1 colour");
	image_free(&img);
	ok(decode(jpg, len, 0, 100, &img, &sw, &sh, &err) < 0, "a zero target is refused");
	free(jpg);
	image_free(&src);
}

static void test_jpeg_grey_progressive(void)
{
	unsigned char grey[64 * 48];
	struct fx_jpeg_opts o = {.in_space = JCS_GRAYSCALE};
	struct image src, img;
	struct err err;
	unsigned char *jpg;
	size_t len;
	int sw, sh, rc;

	for (int i = 0; i < 64 * 48; i++)
		grey[i] = i % 64 < 32 ? 0x40 : 0xc0;
	jpg = fx_jpeg_encode(grey, 64, 48, &o, &len);
	rc = decode(jpg, len, 64, 64, &img, &sw, &sh, &err);
	ok(rc == 0, "greyscale JPEG decodes (%s)", rc ? err.msg : "ok");
	ok(img.rgb != NULL && fx_near(fx_px(&img, 10, 20), 0x404040, 6) &&
	       fx_near(fx_px(&img, 50, 20), 0xc0c0c0, 6),
	   "greyscale becomes equal RGB");
	image_free(&img);
	free(jpg);

	image_alloc(&src, 800, 600, NULL);
	fx_quadrants(&src);
	o = (struct fx_jpeg_opts){.progressive = 1};
	jpg = fx_jpeg_encode(src.rgb, 800, 600, &o, &len);
	ok(decode(jpg, len, 800, 600, &img, &sw, &sh, &err) == 0 && img.w == 800,
	   "progressive JPEG decodes");
	ok(img.rgb != NULL && fx_near(fx_px(&img, 100, 100), 0xff0000, 10) &&
	       fx_near(fx_px(&img, 700, 500), 0xffffff, 10),
	   "progressive colours");
	image_free(&img);
	ok(decode(jpg, len, 200, 200, &img, &sw, &sh, &err) == 0 && img.w == 200 && img.h == 150,
	   "progressive JPEG with DCT scaling: 200x150");
	ok(img.rgb != NULL && fx_near(fx_px(&img, 150, 30), 0x00ff00, 12), "scaled colours");
	image_free(&img);
	free(jpg);
	image_free(&src);
}

static void test_jpeg_cmyk(void)
{
	/* Adobe-style inverted CMYK (255 = no ink): red, green, blue, white quadrants */
	static const unsigned char inks[4][4] = {
	    {255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}, {255, 255, 255, 255}};
	unsigned char *cmyk = malloc(64 * 48 * 4), *jpg;
	struct fx_jpeg_opts o = {.in_space = JCS_CMYK, .quality = 95};
	struct image img;
	struct err err;
	size_t len;
	int sw, sh, rc;

	for (int y = 0; y < 48; y++)
		for (int x = 0; x < 64; x++)
			memcpy(cmyk + (y * 64 + x) * 4, inks[(y >= 24) * 2 + (x >= 32)], 4);
	jpg = fx_jpeg_encode(cmyk, 64, 48, &o, &len);
	rc = decode(jpg, len, 64, 48, &img, &sw, &sh, &err);
	ok(rc == 0, "CMYK JPEG decodes (%s)", rc ? err.msg : "ok");
	ok(img.rgb != NULL && fx_near(fx_px(&img, 8, 8), 0xff0000, 12) &&
	       fx_near(fx_px(&img, 56, 8), 0x00ff00, 12) &&
	       fx_near(fx_px(&img, 8, 40), 0x0000ff, 12) &&
	       fx_near(fx_px(&img, 56, 40), 0xffffff, 12),
	   "CMYK converts to the right RGB");
	image_free(&img);
	free(jpg);
	free(cmyk);
}

/* An APP1 Exif body with only the orientation tag (big-endian TIFF). */
static size_t exif_body(unsigned char *b, int orientation)
{
	static const unsigned char head[] = {
	    'E',  'x',  'i', 'f', 0, 0,       /* APP1 identifier */
	    'M',  'M',  0,   42,  0, 0, 0, 8, /* TIFF header, IFD0 at 8 */
	    0,    1,                          /* one entry */
	    0x01, 0x12, 0,   3,   0, 0, 0, 1, /* Orientation, SHORT, count 1 */
	};
	memcpy(b, head, sizeof head);
	b[sizeof head] = 0;
	b[sizeof head + 1] = (unsigned char)orientation;
	memset(b + sizeof head + 2, 0, 6); /* padding, next IFD = 0 */
	return sizeof head + 8;
}

static void test_jpeg_orientation(void)
{
	/* where the stored quadrants land in the shown top-left and top-right corners */
	static const uint32_t top_left[9] = {0,        0xff0000, 0x00ff00, 0xffffff, 0x0000ff,
	                                     0xff0000, 0x0000ff, 0xffffff, 0x00ff00};
	static const uint32_t top_right[9] = {0,        0x00ff00, 0xff0000, 0x0000ff, 0xffffff,
	                                      0x0000ff, 0xff0000, 0x00ff00, 0xffffff};
	struct image src, img;
	unsigned char app1[64], *jpg;
	struct err err;
	size_t len;
	int sw, sh, rc;

	image_alloc(&src, 64, 48, NULL);
	fx_quadrants(&src);
	for (int o = 1; o <= 8; o++) {
		struct fx_jpeg_opts opts = {.app1 = app1, .app1_len = exif_body(app1, o)};
		int ew = o >= 5 ? 48 : 64, eh = o >= 5 ? 64 : 48;
		jpg = fx_jpeg_encode(src.rgb, 64, 48, &opts, &len);
		rc = decode(jpg, len, 500, 500, &img, &sw, &sh, &err);
		ok(rc == 0 && img.w == ew && img.h == eh && sw == ew && sh == eh,
		   "orientation %d: shown and source size %dx%d (got %dx%d, source %dx%d)", o, ew,
		   eh, img.w, img.h, sw, sh);
		ok(img.rgb != NULL && fx_near(fx_px(&img, 4, 4), top_left[o], 12) &&
		       fx_near(fx_px(&img, ew - 5, 4), top_right[o], 12),
		   "orientation %d: corners %06x and %06x (got %06x, %06x)", o, top_left[o],
		   top_right[o], img.rgb ? fx_rgb_at(&img, 4, 4) : 0,
		   img.rgb ? fx_rgb_at(&img, ew - 5, 4) : 0);
		image_free(&img);
		free(jpg);
	}
	image_free(&src);

	image_alloc(&src, 800, 600, NULL);
	fx_quadrants(&src);
	{
		struct fx_jpeg_opts opts = {.app1 = app1, .app1_len = exif_body(app1, 6)};
		jpg = fx_jpeg_encode(src.rgb, 800, 600, &opts, &len);
	}
	rc = decode(jpg, len, 300, 300, &img, &sw, &sh, &err);
	ok(rc == 0 && img.w == 225 && img.h == 300 && sw == 600 && sh == 800,
	   "rotated and scaled: 225x300 from 600x800 (got %dx%d from %dx%d)", img.w, img.h, sw, sh);
	ok(img.rgb != NULL && fx_near(fx_px(&img, 20, 20), 0x0000ff, 12) &&
	       fx_near(fx_px(&img, 200, 20), 0xff0000, 12),
	   "rotated and scaled: corners");
	image_free(&img);
	free(jpg);
	image_free(&src);
}

static void test_jpeg_broken(void)
{
	/* a frame header declaring 65000x65000 and a scan header, nothing else */
	static const unsigned char huge[] = {
	    0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0xfd, 0xe8, 0xfd, 0xe8, 0x03, 0x01,
	    0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xda, 0x00, 0x0c, 0x03,
	    0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00, 0xff, 0xd9};
	struct image src, img;
	struct err err;
	unsigned char *jpg;
	size_t len;
	int sw, sh, rc;

	ok(decode(huge, sizeof huge, 1000, 1000, &img, &sw, &sh, &err) < 0, "65000x65000 refused");
	is_str(err.msg, "image too large: 65000x65000", "... before decoding, with the size");
	ok(img.rgb == NULL, "... and no image");

	image_alloc(&src, 320, 240, NULL);
	fx_quadrants(&src);
	jpg = fx_jpeg_of(&src, &len);
	rc = decode(jpg, len / 2, 320, 240, &img, &sw, &sh, &err);
	ok(rc < 0, "half a JPEG fails");
	ok(strstr(err.msg, "truncated") != NULL, "... saying it is truncated (%s)", err.msg);
	ok(img.rgb == NULL, "... and no image");
	ok(decode(jpg, len / 2, 80, 60, &img, &sw, &sh, &err) < 0 &&
	       strstr(err.msg, "truncated") != NULL,
	   "half a JPEG with DCT scaling fails too");
	memset(jpg + len / 2, 0x55, len / 4); /* inside the entropy-coded data */
	rc = decode(jpg, len, 320, 240, &img, &sw, &sh, &err);
	ok(rc == 0 || err.msg[0] != '\0', "garbage entropy data does not crash (%s)",
	   rc ? err.msg : "decoded");
	image_free(&img);
	memset(jpg + 200, 0x55, len - 400); /* the headers too */
	rc = decode(jpg, len, 320, 240, &img, &sw, &sh, &err);
	ok(rc < 0 && err.msg[0] != '\0', "garbage headers fail with a message (%s)", err.msg);
	rc = decode(jpg, 20, 320, 240, &img, &sw, &sh, &err);
	ok(rc < 0 && err.msg[0] != '\0', "a 20-byte JPEG fails with a message (%s)", err.msg);
	free(jpg);
	image_free(&src);
}

static const unsigned char *rgb_samples(int w, int h)
{
	static unsigned char s[16 * 12 * 3];
	struct image img = {w, h, s};

	fx_quadrants(&img);
	return s;
}

static void check_png(const char *what, const unsigned char *samples, int w, int h,
                      const struct fx_png_opts *o, uint32_t tl, uint32_t br)
{
	struct buf png;
	struct image img;
	struct err err;
	int sw, sh, rc;

	buf_init(&png, 1 << 20);
	fx_png_encode(samples, w, h, o, &png);
	rc = decode(png.data, png.len, 100, 100, &img, &sw, &sh, &err);
	ok(rc == 0 && img.w == w && img.h == h && sw == w && sh == h, "PNG %s decodes (%s)", what,
	   rc ? err.msg : "ok");
	ok(rc == 0 && fx_near(fx_px(&img, 0, 0), tl, 2) &&
	       fx_near(fx_px(&img, w - 1, h - 1), br, 2),
	   "PNG %s colours (%06x, %06x)", what, rc == 0 ? fx_rgb_at(&img, 0, 0) : 0,
	   rc == 0 ? fx_rgb_at(&img, w - 1, h - 1) : 0);
	image_free(&img);
	buf_free(&png);
}

static void test_png(void)
{
	static const png_color pal[2] = {{0xff, 0x00, 0x00}, {0x10, 0x20, 0x30}};
	static const png_byte pal_alpha[2] = {0x00, 0xff};
	unsigned char s16[16 * 12 * 6], grey[16 * 12], idx[16 * 12], rgba[16 * 12 * 4];
	const unsigned char *s8 = rgb_samples(16, 12);
	struct fx_png_opts o = {.color_type = PNG_COLOR_TYPE_RGB, .bit_depth = 8};

	check_png("8-bit RGB", s8, 16, 12, &o, 0xff0000, 0xffffff);
	o.interlace = 1;
	check_png("interlaced RGB", s8, 16, 12, &o, 0xff0000, 0xffffff);
	for (int i = 0; i < 16 * 12 * 3; i++) {
		s16[2 * i] = s8[i];
		s16[2 * i + 1] = 0x7f;
	}
	o = (struct fx_png_opts){.color_type = PNG_COLOR_TYPE_RGB, .bit_depth = 16};
	check_png("16-bit RGB", s16, 16, 12, &o, 0xff0000, 0xffffff);
	for (int i = 0; i < 16 * 12; i++) {
		grey[i] = (unsigned char)(i < 100 ? 0x20 : 0xe0);
		idx[i] = (unsigned char)(i < 100 ? 0 : 1);
		rgba[4 * i] = 0xff;
		rgba[4 * i + 1] = 0;
		rgba[4 * i + 2] = 0;
		rgba[4 * i + 3] = (unsigned char)(i < 100 ? 0xff : 0x80);
	}
	o = (struct fx_png_opts){.color_type = PNG_COLOR_TYPE_GRAY, .bit_depth = 8};
	check_png("grey", grey, 16, 12, &o, 0x202020, 0xe0e0e0);
	o = (struct fx_png_opts){
	    .color_type = PNG_COLOR_TYPE_PALETTE, .bit_depth = 8, .palette = pal, .npalette = 2};
	check_png("palette", idx, 16, 12, &o, 0xff0000, 0x102030);
	o.trns = pal_alpha;
	o.ntrns = 2;
	check_png("palette with tRNS", idx, 16, 12, &o, 0x808080, 0x102030);
	/* 255 * 128/255 + 0x80 * 127/255 = 192, 0x80 * 127/255 = 64 */
	o = (struct fx_png_opts){.color_type = PNG_COLOR_TYPE_RGBA, .bit_depth = 8};
	check_png("RGBA over mid-grey", rgba, 16, 12, &o, 0xff0000, 0xc04040);
	o = (struct fx_png_opts){.color_type = PNG_COLOR_TYPE_RGB, .bit_depth = 8};
	check_png("1x1", s8, 1, 1, &o, 0xff0000, 0xff0000);
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xffffffffu;
}

static void test_png_broken(void)
{
	unsigned char huge[8 + 25 + 8] = {0x89, 'P',  'N', 'G', '\r', '\n', 0x1a, '\n', 0,
	                                  0,    0,    13,  'I', 'H',  'D',  'R',  0,    1,
	                                  0x11, 0x70, 0,   1,   0x11, 0x70, /* 70000x70000 */
	                                  8,    2,    0,   0,   0};
	struct fx_png_opts o = {.color_type = PNG_COLOR_TYPE_RGB, .bit_depth = 8};
	uint32_t crc = crc32_of(huge + 12, 17);
	struct image img, src;
	struct buf png;
	struct err err;
	int sw, sh, rc;

	huge[29] = crc >> 24, huge[30] = crc >> 16 & 0xff, huge[31] = crc >> 8 & 0xff;
	huge[32] = crc & 0xff;
	memcpy(huge + 33, "\0\0\0\0IDAT", 8);
	ok(decode(huge, sizeof huge, 100, 100, &img, &sw, &sh, &err) < 0,
	   "70000x70000 PNG refused");
	is_str(err.msg, "image too large: 70000x70000", "... with the size");

	image_alloc(&src, 200, 150, NULL);
	for (size_t i = 0; i < (size_t)200 * 150 * 3; i++)
		src.rgb[i] = (unsigned char)(i * 2654435761u >> 13); /* incompressible */
	buf_init(&png, 1 << 22);
	fx_png_encode(src.rgb, 200, 150, &o, &png);
	rc = decode(png.data, png.len / 2, 100, 100, &img, &sw, &sh, &err);
	ok(rc < 0 && strstr(err.msg, "truncated") != NULL, "half a PNG fails as truncated (%s)",
	   err.msg);
	png.data[png.len / 2] ^= 0xff;
	rc = decode(png.data, png.len, 100, 100, &img, &sw, &sh, &err);
	ok(rc < 0 && err.msg[0] != '\0', "a damaged PNG fails with a message (%s)", err.msg);
	buf_free(&png);
	image_free(&src);
}

static void test_files(void)
{
	struct image img, src;
	struct err err;
	const char *path;
	unsigned char *jpg;
	size_t len;
	char want[600];
	int sw, sh, rc;

	path = fx_write_file(tmpdir, "x.jpg", "hello, I am text\n", 17);
	err_clear(&err);
	ok(render_decode_file(path, 100, 100, &img, &sw, &sh, &err) < 0, "text named .jpg fails");
	is_str(err.msg, "not a JPEG or PNG image", "... as not an image");
	path = fx_write_file(tmpdir, "empty.png", "", 0);
	rc = render_decode_file(path, 100, 100, &img, &sw, &sh, &err);
	ok(rc < 0 && strstr(err.msg, "empty") != NULL, "an empty file says so (%s)", err.msg);
	snprintf(want, sizeof want, "cannot open %s/missing.jpg: %s", tmpdir, strerror(ENOENT));
	snprintf(want + 300, 300, "%s/missing.jpg", tmpdir);
	ok(render_decode_file(want + 300, 100, 100, &img, &sw, &sh, &err) < 0,
	   "missing file fails");
	is_str(err.msg, want, "... with the path and the reason");

	image_alloc(&src, 40, 30, NULL);
	fx_quadrants(&src);
	jpg = fx_jpeg_of(&src, &len);
	path = fx_write_file(tmpdir, "ok.jpg", jpg, len);
	ok(render_decode_file(path, 20, 20, &img, &sw, &sh, &err) == 0 && img.w == 20 &&
	       img.h == 15 && sw == 40 && sh == 30,
	   "a JPEG file decodes to fit");
	image_free(&img);
	free(jpg);
	image_free(&src);
	for (size_t i = 0; i < 3; i++) {
		static const char *const names[] = {"x.jpg", "empty.png", "ok.jpg"};
		snprintf(want, sizeof want, "%s/%s", tmpdir, names[i]);
		unlink(want);
	}
	rmdir(tmpdir);
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "%s/annotty-render-XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		skip_all("no temporary folder");
	test_jpeg_scaled();
	test_jpeg_colors();
	test_jpeg_grey_progressive();
	test_jpeg_cmyk();
	test_jpeg_orientation();
	test_jpeg_broken();
	test_png();
	test_png_broken();
	test_files();
	return done_testing();
}
