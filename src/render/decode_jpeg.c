/* JPEG decoding with libjpeg-turbo: DCT scaling to the smallest of 1/1, 1/2, 1/4, 1/8 that still
 * covers the target, then an area-averaging downscale; size limits before decompression;
 * greyscale and CMYK to RGB; EXIF orientation applied to the small result. */
#include "render/decode.h"
#include "core/err.h"
#include "core/imgprobe.h"
#include "render/render.h"

#include <setjmp.h>
#include <stdio.h> /* jpeglib.h needs FILE */
#include <stdlib.h>
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>

/* A progressive file can declare thousands of scans, each a full pass over the coefficients:
 * real encoders use about ten. */
#define JPEGDEC_MAX_SCANS 1000

/* Everything the decoder touches between setjmp and longjmp lives here, in the caller's frame,
 * so that it is still valid (and needs no volatile) after libjpeg jumps back on an error. */
struct jpegdec_job {
	struct jpeg_decompress_struct cinfo;
	struct jpeg_error_mgr jerr;
	struct jpeg_progress_mgr progress;
	jmp_buf jump;
	struct err *err;
	int created;
	const unsigned char *data;
	size_t len;
	int max_w, max_h;
	int orientation;
	int target_w, target_h; /* in stored orientation */
	struct image decoded;
	unsigned char *cmyk_row;
	struct resize_stream *stream; /* the downscale running beside the decode, or NULL */
	struct image small;           /* what it makes */
};

static void jpegdec_fail(j_common_ptr c, const char *what)
{
	struct jpegdec_job *job = c->client_data;
	char msg[JMSG_LENGTH_MAX];

	c->err->format_message(c, msg);
	err_set(job->err, "%s: %s", what, msg);
	longjmp(job->jump, 1);
}

static void jpegdec_error_exit(j_common_ptr c)
{
	jpegdec_fail(c, c->err->msg_code == JERR_INPUT_EOF ? "truncated JPEG" : "corrupt JPEG");
}

/* libjpeg only warns when the data ends early and pads the rest with grey; a truncated file
 * must be reported, so that warning is an error here. Other warnings (stray bytes between
 * markers, common in camera files) are ignored. */
static void jpegdec_emit_message(j_common_ptr c, int level)
{
	if (level < 0 && c->err->msg_code == JWRN_JPEG_EOF)
		jpegdec_fail(c, "truncated JPEG");
}

static void jpegdec_output_message(j_common_ptr c)
{
	(void)c; /* data layers never print */
}

static void jpegdec_progress(j_common_ptr c)
{
	struct jpegdec_job *job = c->client_data;

	if (job->cinfo.input_scan_number > JPEGDEC_MAX_SCANS) {
		err_set(job->err, "corrupt JPEG: more than %d progressive scans",
		        JPEGDEC_MAX_SCANS);
		longjmp(job->jump, 1);
	}
}

/* Picks the coarsest DCT scale whose output still covers the target in both directions. */
static void jpegdec_choose_scale(struct jpegdec_job *job)
{
	static const int denoms[] = {8, 4, 2};
	struct jpeg_decompress_struct *ci = &job->cinfo;
	unsigned w = ci->image_width, h = ci->image_height;
	int swap = job->orientation >= 5, tw, th;

	render_fit(swap ? (int)h : (int)w, swap ? (int)w : (int)h, job->max_w, job->max_h, &tw,
	           &th);
	job->target_w = swap ? th : tw;
	job->target_h = swap ? tw : th;
	ci->scale_num = 1;
	ci->scale_denom = 1;
	for (size_t i = 0; i < sizeof denoms / sizeof denoms[0]; i++) {
		unsigned d = (unsigned)denoms[i];
		if ((w + d - 1) / d >= (unsigned)job->target_w &&
		    (h + d - 1) / d >= (unsigned)job->target_h) {
			ci->scale_denom = d;
			break;
		}
	}
	if ((unsigned)job->target_w < w || (unsigned)job->target_h < h)
		ci->dct_method = JDCT_IFAST; /* the downscale hides its small error */
	if (ci->scale_denom > 1)
		ci->do_fancy_upsampling = FALSE;
}

static int jpegdec_choose_colors(struct jpegdec_job *job)
{
	switch (job->cinfo.jpeg_color_space) {
	case JCS_GRAYSCALE:
	case JCS_YCbCr:
	case JCS_RGB:
		job->cinfo.out_color_space = JCS_EXT_RGB;
		return 0;
	case JCS_CMYK:
	case JCS_YCCK:
		job->cinfo.out_color_space = JCS_CMYK; /* libjpeg turns YCCK into CMYK */
		return 0;
	default:
		return err_set(job->err, "unsupported JPEG colour space (%d components)",
		               job->cinfo.num_components);
	}
}

/* Adobe writes CMYK inverted (0 = full ink); files without its marker use plain CMYK. */
static void jpegdec_cmyk_to_rgb(const unsigned char *in, unsigned char *out, int w, int inverted)
{
	for (int x = 0; x < w; x++, in += 4, out += 3) {
		int c = in[0], m = in[1], y = in[2], k = in[3];
		if (!inverted) {
			c = 255 - c, m = 255 - m, y = 255 - y, k = 255 - k;
		}
		out[0] = (unsigned char)((c * k + 127) / 255);
		out[1] = (unsigned char)((m * k + 127) / 255);
		out[2] = (unsigned char)((y * k + 127) / 255);
	}
}

static int jpegdec_read_rows(struct jpegdec_job *job)
{
	struct jpeg_decompress_struct *ci = &job->cinfo;
	struct image *img = &job->decoded;
	int cmyk = ci->out_color_space == JCS_CMYK;

	while (ci->output_scanline < ci->output_height) {
		JSAMPROW rows[16];
		JDIMENSION first = ci->output_scanline, n = 0;
		if (cmyk) {
			rows[n++] = job->cmyk_row;
		} else {
			for (; n < 16 && first + n < ci->output_height; n++)
				rows[n] = img->rgb + (size_t)(first + n) * img->w * 3;
		}
		n = jpeg_read_scanlines(ci, rows, n);
		if (n == 0) /* only a suspending source returns nothing; ours never should */
			return err_set(job->err, "truncated JPEG: no more rows after %u", first);
		if (cmyk)
			jpegdec_cmyk_to_rgb(job->cmyk_row, img->rgb + (size_t)first * img->w * 3,
			                    img->w, ci->saw_Adobe_marker);
		if (job->stream != NULL)
			resize_stream_rows(job->stream, (int)ci->output_scanline);
	}
	return 0;
}

/* The part that libjpeg may leave by longjmp; returns -1 with job->err set. */
static int jpegdec_run(struct jpegdec_job *job)
{
	struct jpeg_decompress_struct *ci = &job->cinfo;

	if (setjmp(job->jump))
		return -1;
	ci->err = jpeg_std_error(&job->jerr);
	job->jerr.error_exit = jpegdec_error_exit;
	job->jerr.emit_message = jpegdec_emit_message;
	job->jerr.output_message = jpegdec_output_message;
	ci->client_data = job;
	jpeg_create_decompress(ci);
	job->created = 1;
	job->progress.progress_monitor = jpegdec_progress;
	ci->progress = &job->progress;
	jpeg_mem_src(ci, job->data, (unsigned long)job->len);
	jpeg_read_header(ci, TRUE);
	if (render_size_check(ci->image_width, ci->image_height, job->err) < 0 ||
	    jpegdec_choose_colors(job) < 0)
		return -1;
	jpegdec_choose_scale(job);
	jpeg_start_decompress(ci);
	if (image_alloc(&job->decoded, (int)ci->output_width, (int)ci->output_height, job->err) < 0)
		return -1;
	if (ci->out_color_space == JCS_CMYK) {
		job->cmyk_row = malloc((size_t)ci->output_width * 4);
		if (job->cmyk_row == NULL)
			return err_set(job->err, "out of memory decoding JPEG");
	}
	job->stream = resize_stream_start(&job->decoded, job->target_w, job->target_h, &job->small);
	/* no jpeg_finish_decompress: every row is in, and a missing EOI marker alone is harmless */
	return jpegdec_read_rows(job);
}

int render_jpeg_decode(const unsigned char *data, size_t len, int max_w, int max_h, int declared_w,
                       int declared_h, struct image *out, struct render_decoded *info,
                       struct err *err)
{
	struct jpegdec_job job;
	struct image_probe probe;
	int rc = -1, swap, sw, sh;

	memset(&job, 0, sizeof job);
	job.err = err;
	job.data = data;
	job.len = len;
	job.max_w = max_w;
	job.max_h = max_h;
	info->orientation = imgprobe_mem(data, len, &probe, NULL) == 0 ? probe.orientation : 1;
	job.orientation = render_orientation_for(info->orientation, probe.width, probe.height,
	                                         declared_w, declared_h);
	info->as_stored = job.orientation != info->orientation;
	rc = jpegdec_run(&job);
	if (job.stream != NULL) {
		resize_stream_end(job.stream, rc == 0);
		if (rc == 0) {
			image_free(&job.decoded);
			job.decoded = job.small;
		}
	}
	if (rc < 0)
		goto out;
	rc = -1;
	swap = job.orientation >= 5;
	sw = (int)job.cinfo.image_width;
	sh = (int)job.cinfo.image_height;
	info->src_w = swap ? sh : sw;
	info->src_h = swap ? sw : sh;
	jpeg_destroy_decompress(&job.cinfo); /* its buffers go before the resize allocates */
	job.created = 0;
	if (render_shrink(&job.decoded, job.target_w, job.target_h, err) < 0 ||
	    render_orient(&job.decoded, job.orientation, err) < 0)
		goto out;
	*out = job.decoded;
	job.decoded.rgb = NULL;
	rc = 0;
out:
	if (job.created)
		jpeg_destroy_decompress(&job.cinfo);
	image_free(&job.decoded);
	free(job.cmyk_row);
	return rc;
}
