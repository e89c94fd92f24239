/* Tests of render images: area-averaging resize (exact averages, any ratio, speed) and the
 * placeholder frame with its wrapped reason text. */
#include "render_fixtures.h"
#include "tap.h"

static void test_resize_values(void)
{
	struct image src, out;
	struct err err;
	static const unsigned char ramp[7] = {0, 30, 60, 90, 120, 150, 180};
	int good = 1;

	image_alloc(&src, 7, 1, NULL);
	for (int x = 0; x < 7; x++)
		memset(fx_px(&src, x, 0), ramp[x], 3);
	ok(render_resize(&src, 3, 1, &out, &err) == 0, "7 -> 3 pixels");
	/* each output covers 7/3 source pixels, the edges fractionally */
	ok(abs(out.rgb[0] - 21) <= 1 && abs(out.rgb[3] - 90) <= 1 && abs(out.rgb[6] - 159) <= 1,
	   "fractional coverage: 21 90 159 (got %d %d %d)", out.rgb[0], out.rgb[3], out.rgb[6]);
	image_free(&out);
	image_free(&src);

	image_alloc(&src, 333, 211, NULL);
	fx_fill(&src, 0, 0, 333, 211, 0x123456);
	ok(render_resize(&src, 100, 77, &out, &err) == 0, "333x211 -> 100x77");
	for (int i = 0; i < 100 * 77; i++)
		good &= out.rgb[3 * i] == 0x12 && out.rgb[3 * i + 1] == 0x34 &&
		        out.rgb[3 * i + 2] == 0x56;
	ok(good, "a uniform colour stays exact at an odd ratio");
	image_free(&out);
	image_free(&src);

	image_alloc(&src, 2, 2, NULL);
	fx_quadrants(&src);
	ok(render_resize(&src, 4, 4, &out, &err) == 0 && fx_rgb_at(&out, 0, 0) == 0xff0000 &&
	       fx_rgb_at(&out, 3, 0) == 0x00ff00 && fx_rgb_at(&out, 3, 3) == 0xffffff,
	   "upscaling replicates");
	image_free(&out);
	ok(render_resize(&src, 0, 4, &out, &err) < 0 && out.rgb == NULL, "a zero size fails");
	is_str(err.msg, "invalid image size 0x4", "... saying so");
	ok(render_resize(&src, 70000, 4, &out, &err) < 0 && out.rgb == NULL,
	   "a huge size fails (%s)", err.msg);
	image_free(&src);
}

static void test_resize_speed(void)
{
	struct image src, out;
	struct err err;
	double t0, best = 1e9;
	int good = 1;
	char line[128];

	/* a one-pixel checkerboard: every 2x2 block averages to mid-grey */
	image_alloc(&src, 1000, 750, NULL);
	for (int y = 0; y < 750; y++)
		for (int x = 0; x < 1000; x++)
			memset(fx_px(&src, x, y), (x + y) % 2 ? 255 : 0, 3);
	for (int i = 0; i < 5; i++) {
		t0 = fx_now_ms();
		render_resize(&src, 500, 375, &out, &err);
		best = fx_now_ms() - t0 < best ? fx_now_ms() - t0 : best;
		if (i < 4)
			image_free(&out);
	}
	ok(out.w == 500 && out.h == 375, "1000x750 -> 500x375");
	for (int i = 0; i < 500 * 375 * 3; i++)
		good &= out.rgb[i] == 128;
	ok(good, "2x2 blocks average exactly");
	snprintf(line, sizeof line, "resize 1000x750 -> 500x375: %.2f ms", best);
	tap_diag(line);
	image_free(&out);
	image_free(&src);
}

/* Rows that hold at least one pixel of the colour, within the box. */
static int rows_with(const struct image *img, uint32_t rgb, int x0, int x1)
{
	int rows = 0;

	for (int y = 0; y < img->h; y++)
		for (int x = x0; x < x1; x++)
			if (fx_rgb_at(img, x, y) == rgb) {
				rows++;
				break;
			}
	return rows;
}

static void test_placeholder(void)
{
	struct image img, other;
	struct err err;
	const uint32_t text = 0xd8d8d8;
	int n_short, n_long;

	ok(render_placeholder(300, 200, "cannot open dogs/001.jpg", &img, &err) == 0,
	   "placeholder 300x200");
	is_int(img.w * 1000 + img.h, 300200, "its size");
	ok(fx_rgb_at(&img, 0, 0) == 0x6a6a6a && fx_rgb_at(&img, 299, 199) == 0x6a6a6a &&
	       fx_rgb_at(&img, 150, 0) == 0x6a6a6a,
	   "thin border");
	ok(fx_rgb_at(&img, 15, 10) == 0x4a4a4a && fx_rgb_at(&img, 284, 10) == 0x4a4a4a,
	   "diagonal cross");
	ok(fx_rgb_at(&img, 150, 40) == 0x262626, "dark background");
	n_short = rows_with(&img, text, 0, 300);
	ok(n_short >= 5 && n_short <= 9, "one line of text (%d rows)", n_short);
	image_free(&img);

	ok(render_placeholder(120, 200,
	                      "image too large: 70000x70000, the file was not decoded at all", &img,
	                      &err) == 0,
	   "narrow placeholder");
	n_long = rows_with(&img, text, 0, 120);
	ok(n_long > 3 * n_short, "a long reason wraps over several lines (%d rows)", n_long);
	image_free(&img);

	render_placeholder(100, 40, "\xc3\xa9", &img, &err);
	render_placeholder(100, 40, "?", &other, &err);
	ok(memcmp(img.rgb, other.rgb, 100 * 40 * 3) == 0, "non-ASCII is drawn as '?'");
	image_free(&other);
	image_free(&img);
	ok(render_placeholder(1, 1, "x", &img, &err) == 0, "1x1 placeholder");
	image_free(&img);
	ok(render_placeholder(8, 8, NULL, &img, &err) == 0, "no reason");
	image_free(&img);
	ok(render_placeholder(0, 10, "x", &img, &err) < 0, "empty size refused");
}

int main(void)
{
	test_resize_values();
	test_resize_speed();
	test_placeholder();
	return done_testing();
}
