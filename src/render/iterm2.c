/* iTerm2 inline images (OSC 1337 File=): the frame as an in-memory PNG (png_write.c),
 * base64-encoded, sized to the pane in cells. */
#include "core/buf.h"
#include "core/err.h"
#include "render/base64.h"
#include "render/render.h"

#define ITERM2_MAX_CELLS 1000 /* per side; far beyond any terminal */

int render_encode_iterm2(const struct image *img, int cols, int rows, int colors, struct buf *out,
                         struct err *err)
{
	struct buf png;
	size_t start = out->len;
	int rc = -1;

	if (img == NULL || img->rgb == NULL || img->w <= 0 || img->h <= 0)
		return err_set(err, "iterm2: no image");
	if (cols < 1 || rows < 1 || cols > ITERM2_MAX_CELLS || rows > ITERM2_MAX_CELLS)
		return err_set(err, "iterm2: invalid area %dx%d", cols, rows);
	buf_init(&png, out->max);
	if (render_png_encode(img, colors, &png, err) < 0)
		goto out;
	/* size= is the decoded file's byte count, which iTerm2 uses for its progress and limits */
	if (buf_printf(out,
	               "\033]1337;File=inline=1;size=%zu;width=%d;height=%d;"
	               "preserveAspectRatio=1:",
	               png.len, cols, rows) < 0 ||
	    render_base64_append(out, png.data, png.len) < 0 || buf_putc(out, '\a') < 0) {
		err_setk(err, ERR_TOO_LARGE, "frame larger than %zu bytes", out->max);
		goto out;
	}
	rc = 0;
out:
	if (rc < 0 && out->len > start) {
		out->len = start; /* no half frame for the terminal */
		out->data[start] = '\0';
	}
	buf_free(&png);
	return rc;
}
