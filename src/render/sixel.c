/* Sixel frames with libsixel: a palette of at most 256 colours built from the image, one
 * complete DCS sequence with raster attributes giving the exact pixel size. */
#include "core/buf.h"
#include "core/err.h"
#include "render/render.h"

#include <stdlib.h>
#include <string.h>

/* sixel.h defines PACKAGE_VERSION unconditionally, clashing with config.h's; this file does not
 * use either. */
#undef PACKAGE_VERSION
#include <sixel.h>

/* Palette and encoding choices, measured on two photos decoded to 1000x750, 256 colours
 * (libsixel 1.10.3; times are the best of 9 on a busy machine, so only large gaps count):
 *   diffusion none      35-78 ms, 303-698 KB, PSNR 34.9-35.9 dB
 *   Atkinson            59-105 ms, 374-710 KB (+2 to +24 %), PSNR +0.1 to +0.6 dB
 *   Floyd-Steinberg     about +35 % bytes over none
 *   LARGE_LUM or REP_AVERAGE_COLORS: bytes within 2 %, PSNR within 0.3 dB, no faster
 *   QUALITY_HIGH: the same bytes as LOW, never faster
 *   encode policy SIZE: 8 to 12 % fewer bytes than FAST or AUTO at the same time
 * Diffusion costs time and bytes (its noise defeats run-length encoding) for a gain nobody
 * sees at terminal cell sizes, and it would speckle the flat overlay colours: none. */
#define SIXELENC_LARGE   SIXEL_LARGE_NORM
#define SIXELENC_REP     SIXEL_REP_CENTER_BOX
#define SIXELENC_QUALITY SIXEL_QUALITY_LOW
#define SIXELENC_DIFFUSE SIXEL_DIFFUSE_NONE
#define SIXELENC_POLICY  SIXEL_ENCODEPOLICY_SIZE

/* Where libsixel's output goes: the caller's bounded buffer, remembering an overflow. */
struct sixelenc_sink {
	struct buf *out;
	int failed;
};

static int sixelenc_sink_write(char *data, int size, void *priv)
{
	struct sixelenc_sink *sink = priv;

	if (!sink->failed && size > 0 && buf_append(sink->out, data, (size_t)size) < 0)
		sink->failed = 1;
	return size;
}

static int sixelenc_fail(struct err *err, const char *what, SIXELSTATUS status)
{
	return err_set(err, "sixel: %s: %s", what, sixel_helper_format_error(status));
}

/* libsixel 1.10 builds its palette from a histogram of 5 bits per channel, so every level comes
 * out as a multiple of 8: 255 as 248, a label's full red visibly dull. Stretching 0..248 back
 * over 0..255 puts each level in the middle of its bin and makes 0 and 255 exact. A palette
 * with any other level did not come from that histogram and is left alone. */
static void sixelenc_stretch_palette(sixel_dither_t *dither)
{
	unsigned char *pal = sixel_dither_get_palette(dither);
	int n = sixel_dither_get_num_of_palette_colors(dither) * 3;

	if (pal == NULL)
		return;
	for (int i = 0; i < n; i++)
		if (pal[i] & 7)
			return;
	for (int i = 0; i < n; i++)
		pal[i] = (unsigned char)((pal[i] * 255 + 124) / 248);
}

/* The palette and the encoding, given an output and a dither. */
static int sixelenc_run(const struct image *img, int colors, sixel_output_t *output,
                        unsigned char *pixels, struct err *err)
{
	sixel_dither_t *dither = NULL;
	SIXELSTATUS st;
	int rc = -1;

	st = sixel_dither_new(&dither, colors, NULL);
	if (SIXEL_FAILED(st)) {
		sixelenc_fail(err, "palette", st);
		goto out;
	}
	st = sixel_dither_initialize(dither, pixels, img->w, img->h, SIXEL_PIXELFORMAT_RGB888,
	                             SIXELENC_LARGE, SIXELENC_REP, SIXELENC_QUALITY);
	if (SIXEL_FAILED(st)) {
		sixelenc_fail(err, "palette", st);
		goto out;
	}
	sixelenc_stretch_palette(dither);
	sixel_dither_set_diffusion_type(dither, SIXELENC_DIFFUSE);
	st = sixel_encode(pixels, img->w, img->h, 3, dither, output);
	if (SIXEL_FAILED(st)) {
		sixelenc_fail(err, "encode", st);
		goto out;
	}
	rc = 0;
out:
	if (dither != NULL)
		sixel_dither_unref(dither);
	return rc;
}

int render_encode_sixel(const struct image *img, int colors, struct buf *out, struct err *err)
{
	struct sixelenc_sink sink = {out, 0};
	sixel_output_t *output = NULL;
	unsigned char *copy = NULL;
	size_t start = out->len, n;
	SIXELSTATUS st;
	int rc = -1;

	if (img == NULL || img->rgb == NULL || img->w <= 0 || img->h <= 0)
		return err_set(err, "sixel: no image");
	colors = colors < 2 ? 2 : colors > SIXEL_PALETTE_MAX ? SIXEL_PALETTE_MAX : colors;
	/* libsixel takes non-const pixels, and with error diffusion it really writes into them:
	 * it gets a copy, whatever the diffusion setting */
	n = (size_t)img->w * img->h * 3;
	copy = malloc(n);
	if (copy == NULL) {
		err_set(err, "sixel: out of memory");
		goto out;
	}
	memcpy(copy, img->rgb, n);
	st = sixel_output_new(&output, sixelenc_sink_write, &sink, NULL);
	if (SIXEL_FAILED(st)) {
		sixelenc_fail(err, "output", st);
		goto out;
	}
	sixel_output_set_encode_policy(output, SIXELENC_POLICY);
	if (sixelenc_run(img, colors, output, copy, err) < 0)
		goto out;
	if (sink.failed) {
		err_set(err, "frame larger than %zu bytes", out->max);
		goto out;
	}
	rc = 0;
out:
	if (rc < 0 && out->len > start) {
		out->len = start; /* no half frame for the terminal */
		out->data[start] = '\0';
	}
	if (output != NULL)
		sixel_output_unref(output);
	free(copy);
	return rc;
}
