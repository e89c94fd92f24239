/* PNG decoding with libpng: every colour type and depth to 8-bit RGB, transparency composited
 * over mid-grey, interlaced files included; size limits before the pixels are allocated. */
#include "render/decode.h"
#include "core/err.h"
#include "render/render.h"

#include <stdlib.h>
#include <string.h>

#include <png.h>

#define PNGDEC_MATTE 0x80 /* what transparent pixels show: neutral, readable under any overlay */

/* Everything touched between setjmp and libpng's longjmp lives here, in the caller's frame,
 * so that it is still valid (and needs no volatile) after an error. */
struct pngdec_job {
	png_structp png;
	png_infop info;
	struct err *err;
	const unsigned char *data;
	size_t len, pos;
	int truncated;
	unsigned char *pixels; /* w * h * channels, then compacted to RGB */
	png_bytep *rows;
	int w, h, channels;
	int max_w, max_h;
	struct image whole;           /* the pixels as an image, while the downscale streams */
	struct resize_stream *stream; /* the downscale running beside the decode, or NULL */
	struct image small;           /* what it makes */
};

static void pngdec_read_cb(png_structp png, png_bytep out, size_t n)
{
	struct pngdec_job *job = png_get_io_ptr(png);

	if (n > job->len - job->pos) {
		job->truncated = 1;
		png_error(png, "file ends early");
	}
	memcpy(out, job->data + job->pos, n);
	job->pos += n;
}

static void pngdec_error_cb(png_structp png, png_const_charp msg)
{
	struct pngdec_job *job = png_get_error_ptr(png);

	err_set(job->err, "%s: %s", job->truncated ? "truncated PNG" : "corrupt PNG", msg);
	png_longjmp(png, 1);
}

static void pngdec_warning_cb(png_structp png, png_const_charp msg)
{
	(void)png; /* damaged ancillary chunks do not stop the picture; data layers never print */
	(void)msg;
}

/* Asks libpng for 8-bit RGB, or RGBA when the file has any transparency. */
static void pngdec_set_transforms(struct pngdec_job *job)
{
	png_set_expand(job->png);
	png_set_strip_16(job->png);
	png_set_palette_to_rgb(job->png);
	png_set_gray_to_rgb(job->png);
	if (png_get_valid(job->png, job->info, PNG_INFO_tRNS))
		png_set_tRNS_to_alpha(job->png);
	png_set_interlace_handling(job->png);
	png_read_update_info(job->png, job->info);
}

/* Blends RGBA over the matte and packs the result as RGB, in place. */
static void pngdec_composite(struct pngdec_job *job)
{
	size_t n = (size_t)job->w * job->h;
	unsigned char *p = job->pixels;

	if (job->channels == 3)
		return;
	for (size_t i = 0; i < n; i++, p += 4) {
		int a = p[3], keep = (255 - a) * PNGDEC_MATTE;
		job->pixels[i * 3 + 0] = (unsigned char)((p[0] * a + keep + 127) / 255);
		job->pixels[i * 3 + 1] = (unsigned char)((p[1] * a + keep + 127) / 255);
		job->pixels[i * 3 + 2] = (unsigned char)((p[2] * a + keep + 127) / 255);
	}
}

/* The rows, downscaled as they come in when that can run beside the decode: RGB without
 * interlacing (whose rows are only final after the last pass, and RGBA is packed afterwards). */
static void pngdec_read_rows(struct pngdec_job *job)
{
	int tw, th;

	render_fit(job->w, job->h, job->max_w, job->max_h, &tw, &th);
	job->whole = (struct image){job->w, job->h, job->pixels};
	if (job->channels == 3 && png_get_interlace_type(job->png, job->info) == PNG_INTERLACE_NONE)
		job->stream = resize_stream_start(&job->whole, tw, th, &job->small);
	if (job->stream == NULL) {
		png_read_image(job->png, job->rows);
		return;
	}
	for (int y = 0; y < job->h; y += 16) {
		int n = job->h - y < 16 ? job->h - y : 16;
		png_read_rows(job->png, job->rows + y, NULL, (png_uint_32)n);
		resize_stream_rows(job->stream, y + n);
	}
}

/* The part that libpng may leave by longjmp; returns -1 with job->err set. */
static int pngdec_run(struct pngdec_job *job)
{
	if (setjmp(png_jmpbuf(job->png)))
		return -1;
	png_set_read_fn(job->png, job, pngdec_read_cb);
	png_read_info(job->png, job->info);
	if (render_size_check(png_get_image_width(job->png, job->info),
	                      png_get_image_height(job->png, job->info), job->err) < 0)
		return -1;
	job->w = (int)png_get_image_width(job->png, job->info);
	job->h = (int)png_get_image_height(job->png, job->info);
	pngdec_set_transforms(job);
	job->channels = png_get_channels(job->png, job->info);
	if ((job->channels != 3 && job->channels != 4) ||
	    png_get_rowbytes(job->png, job->info) != (size_t)job->w * job->channels)
		return err_set(job->err, "unsupported PNG layout (%d channels)", job->channels);
	job->pixels = malloc((size_t)job->w * job->h * job->channels);
	job->rows = malloc(sizeof *job->rows * (size_t)job->h);
	if (job->pixels == NULL || job->rows == NULL)
		return err_set(job->err, "out of memory for a %dx%d PNG", job->w, job->h);
	for (int y = 0; y < job->h; y++)
		job->rows[y] = job->pixels + (size_t)y * job->w * job->channels;
	pngdec_read_rows(job);
	/* no png_read_end: the pixels are complete, trailing chunks carry nothing we show */
	return 0;
}

int render_png_decode(const unsigned char *data, size_t len, int max_w, int max_h,
                      struct image *out, int *src_w, int *src_h, struct err *err)
{
	struct pngdec_job job;
	struct image img = {0};
	int rc = -1, tw, th;

	memset(&job, 0, sizeof job);
	job.err = err;
	job.data = data;
	job.len = len;
	job.max_w = max_w;
	job.max_h = max_h;
	job.png =
	    png_create_read_struct(PNG_LIBPNG_VER_STRING, &job, pngdec_error_cb, pngdec_warning_cb);
	if (job.png != NULL)
		job.info = png_create_info_struct(job.png);
	if (job.info == NULL) {
		err_set(err, "out of memory starting the PNG decoder");
		goto out;
	}
	rc = pngdec_run(&job);
	if (job.stream != NULL) {
		resize_stream_end(job.stream, rc == 0);
		if (rc == 0) {
			free(job.pixels);
			job.pixels = job.small.rgb;
			job.w = job.small.w;
			job.h = job.small.h;
		}
	}
	if (rc < 0)
		goto out;
	rc = -1;
	pngdec_composite(&job);
	img.w = job.w;
	img.h = job.h;
	img.rgb = job.pixels;
	job.pixels = NULL;
	render_fit(img.w, img.h, max_w, max_h, &tw, &th);
	if (render_shrink(&img, tw, th, err) < 0)
		goto out;
	*src_w = (int)png_get_image_width(job.png, job.info);
	*src_h = (int)png_get_image_height(job.png, job.info);
	*out = img;
	img.rgb = NULL;
	rc = 0;
out:
	png_destroy_read_struct(&job.png, &job.info, NULL);
	image_free(&img);
	free(job.pixels);
	free(job.rows);
	return rc;
}
