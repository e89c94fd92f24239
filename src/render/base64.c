/* Base64 encoding for the kitty and iTerm2 image protocols, straight into bounded buffers. */
#include "render/base64.h"

#include "core/buf.h"

static const char base64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t render_base64_len(size_t n)
{
	return (n + 2) / 3 * 4;
}

void render_base64_encode(const unsigned char *src, size_t n, char *dst)
{
	size_t i = 0;

	for (; i + 3 <= n; i += 3, dst += 4) {
		unsigned long v =
		    (unsigned long)src[i] << 16 | (unsigned long)src[i + 1] << 8 | src[i + 2];
		dst[0] = base64_alphabet[v >> 18 & 63];
		dst[1] = base64_alphabet[v >> 12 & 63];
		dst[2] = base64_alphabet[v >> 6 & 63];
		dst[3] = base64_alphabet[v & 63];
	}
	if (i < n) {
		/* one or two bytes left: a padded final group */
		unsigned long v = (unsigned long)src[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)src[i + 1] << 8;
		dst[0] = base64_alphabet[v >> 18 & 63];
		dst[1] = base64_alphabet[v >> 12 & 63];
		dst[2] = i + 1 < n ? base64_alphabet[v >> 6 & 63] : '=';
		dst[3] = '=';
	}
}

int render_base64_append(struct buf *out, const unsigned char *src, size_t n)
{
	char piece[RENDER_BASE64_PIECE_IN / 3 * 4];

	/* in pieces through the stack: no second copy of a frame-sized payload on the heap */
	for (size_t i = 0; i < n; i += RENDER_BASE64_PIECE_IN) {
		size_t k = n - i < RENDER_BASE64_PIECE_IN ? n - i : RENDER_BASE64_PIECE_IN;
		render_base64_encode(src + i, k, piece);
		if (buf_append(out, piece, render_base64_len(k)) < 0)
			return -1;
	}
	return 0;
}
