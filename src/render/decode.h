/* Inside src/render: the format decoders and the steps they share (size limits, fitting,
 * downscaling, EXIF orientation). */
#ifndef ANNOTTY_RENDER_DECODE_H
#define ANNOTTY_RENDER_DECODE_H

#include <stddef.h>

struct err;
struct image;
struct render_decoded;

/* Refuses declared sizes beyond RENDER_MAX_SIDE or RENDER_MAX_SOURCE_PIXELS, before anything
 * that large is allocated: "image too large: WxH". */
int render_size_check(long long w, long long h, struct err *err);

/* The largest size with the aspect ratio of sw x sh that fits in max_w x max_h, never larger
 * than the source, at least 1x1. */
void render_fit(int sw, int sh, int max_w, int max_h, int *w, int *h);

/* Replaces *img by its area-averaged downscale to w x h (nothing to do when equal). */
int render_shrink(struct image *img, int w, int h, struct err *err);

/* Replaces *img by the picture as EXIF orientation 1..8 says it is shown (5..8 swap the
 * sides). Other values are treated as 1. */
int render_orient(struct image *img, int orientation, struct err *err);

/* A downscale of src to w x h into *out that runs on a thread of its own while src's rows are
 * decoded: each output row is made once the source rows under it are in. NULL when it would not
 * pay (a small picture, one core) or cannot start: the caller then shrinks afterwards. The
 * decoder says how many rows are in with resize_stream_rows, and ends with resize_stream_end
 * (ok 1: every row is in, *out is the caller's; ok 0: the decode failed, *out is freed), which
 * waits for the thread and frees the stream. */
struct resize_stream;
struct resize_stream *resize_stream_start(const struct image *src, int w, int h, struct image *out);
void resize_stream_rows(struct resize_stream *s, int ready);
void resize_stream_end(struct resize_stream *s, int ok);

/* The EXIF orientation to apply to a picture stored as w x h with the file's orientation, for
 * shapes declared on declared_w x declared_h (see render_decode_declared): orientation, or 1
 * when the declared size is the stored one of a non-square picture that 5..8 would turn. */
int render_orientation_for(int orientation, int w, int h, int declared_w, int declared_h);

/* The format decoders behind render_decode_declared, with the same contract. */
int render_jpeg_decode(const unsigned char *data, size_t len, int max_w, int max_h, int declared_w,
                       int declared_h, struct image *out, struct render_decoded *info,
                       struct err *err);
int render_png_decode(const unsigned char *data, size_t len, int max_w, int max_h,
                      struct image *out, int *src_w, int *src_h, struct err *err);

#endif
