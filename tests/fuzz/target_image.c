/* Fuzz target: the image header probe and the JPEG/PNG decoders (with EXIF), as they read an
 * image file named by a dataset. */
#include "fuzz.h"

#include "../render_fixtures.h"
#include "core/imgprobe.h"

const char fuzz_target_name[] = "image";
const int fuzz_smoke_runs = 5000;

int fuzz_parse(const uint8_t *data, size_t len, struct err *err)
{
	struct image_probe probe;
	struct image img = {0};
	int w, h, rc;

	(void)imgprobe_mem(data, len, &probe, err);
	rc = render_decode_mem(data, len, 96, 96, &img, &w, &h, err);
	if (rc == 0 && (img.w < 1 || img.h < 1 || img.w > 96 || img.h > 96 || w < 1 || h < 1))
		rc = err_set(err, "decoder accepted an image with impossible sizes");
	image_free(&img);
	return rc;
}

/* A gradient with a few flat blocks: enough structure for every coding path. */
static unsigned char *pattern(int w, int h, int comps)
{
	unsigned char *p = malloc((size_t)w * h * comps);

	if (p == NULL)
		return NULL;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			for (int c = 0; c < comps; c++)
				p[((size_t)y * w + x) * comps + c] =
				    (unsigned char)(((x / 8 + y / 8) % 2) * 120 + x * 3 + c * 40);
	return p;
}

/* The APP1 body of an EXIF block holding only an orientation (little-endian TIFF). */
static const unsigned char exif_rotate_90[] = {
    'E',  'x',  'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0,
    0x12, 0x01, 3,   0,   1, 0, 0,   0,   6,  0, 0, 0, 0, 0, 0, 0,
};

static int seed_jpeg(struct fuzz_seed *s, const char *name, int comps, const struct fx_jpeg_opts *o)
{
	unsigned char *px = pattern(40, 24, comps);

	s->name = name;
	s->data = px != NULL ? fx_jpeg_encode(px, 40, 24, o, &s->len) : NULL;
	free(px);
	return s->data != NULL ? 0 : -1;
}

static int seed_png(struct fuzz_seed *s, const char *name, int comps, const struct fx_png_opts *o)
{
	struct buf out;
	unsigned char *px = pattern(24, 16, comps);
	int rc;

	buf_init(&out, 1 << 20);
	rc = px != NULL ? fx_png_encode(px, 24, 16, o, &out) : -1;
	free(px);
	s->name = name;
	s->data = (unsigned char *)out.data;
	s->len = out.len;
	return rc == 0 && s->data != NULL ? 0 : -1;
}

int fuzz_seeds(struct fuzz_seed *seeds, int max)
{
	static const png_color palette[4] = {{0, 0, 0}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
	static const png_byte alpha[4] = {255, 128, 0, 255};
	const struct fx_jpeg_opts exif = {.app1 = exif_rotate_90,
	                                  .app1_len = sizeof exif_rotate_90};
	const struct fx_jpeg_opts progressive = {.progressive = 1};
	const struct fx_jpeg_opts grey = {.in_space = JCS_GRAYSCALE};
	const struct fx_jpeg_opts cmyk = {.in_space = JCS_CMYK};
	const struct fx_png_opts rgb = {.color_type = PNG_COLOR_TYPE_RGB, .bit_depth = 8};
	const struct fx_png_opts pal = {.color_type = PNG_COLOR_TYPE_PALETTE,
	                                .bit_depth = 2,
	                                .palette = palette,
	                                .npalette = 4,
	                                .trns = alpha,
	                                .ntrns = 4};
	const struct fx_png_opts grey16 = {
	    .color_type = PNG_COLOR_TYPE_GRAY_ALPHA, .bit_depth = 16, .interlace = 1};

	if (max < 7 || seed_jpeg(&seeds[0], "baseline JPEG", 3, NULL) < 0 ||
	    seed_jpeg(&seeds[1], "JPEG with EXIF orientation", 3, &exif) < 0 ||
	    seed_jpeg(&seeds[2], "progressive JPEG", 3, &progressive) < 0 ||
	    seed_jpeg(&seeds[3], "greyscale JPEG", 1, &grey) < 0 ||
	    seed_jpeg(&seeds[4], "CMYK JPEG", 4, &cmyk) < 0 ||
	    seed_png(&seeds[5], "RGB PNG", 3, &rgb) < 0 ||
	    /* 2-bit palette: 24 px pack into 6 bytes a row, which pattern() over-fills harmlessly
	     */
	    seed_png(&seeds[6], "palette PNG with alpha", 1, &pal) < 0)
		return -1;
	if (max >= 8 && seed_png(&seeds[7], "16-bit grey+alpha interlaced PNG", 4, &grey16) == 0)
		return 8;
	return 7;
}
