/* tmux DCS passthrough: tmux keeps its own picture of each pane and drops the escape sequences
 * it does not understand, graphics among them. A sequence wrapped as ESC P tmux ; ... ESC \,
 * with every ESC inside doubled so that none of them ends the wrapper early, is handed as it is
 * to the terminal outside tmux (tmux 3.3 and later only with allow-passthrough on). */
#include "core/buf.h"
#include "render/render.h"

#include <string.h>

#define TMUX_WRAP_HEAD "\033Ptmux;"
#define TMUX_WRAP_TAIL "\033\\"

size_t render_tmux_wrap_len(const void *seq, size_t len)
{
	const unsigned char *s = seq;
	size_t n = sizeof TMUX_WRAP_HEAD - 1 + len + sizeof TMUX_WRAP_TAIL - 1;

	for (size_t i = 0; i < len; i++)
		n += s[i] == 0x1b;
	return n;
}

int render_tmux_wrap(const void *seq, size_t len, struct buf *out)
{
	const unsigned char *s = seq;
	size_t start = out->len, run = 0;

	/* checked first, so that a sequence too large for out leaves it untouched */
	if (render_tmux_wrap_len(seq, len) > out->max - out->len)
		return -1;
	if (buf_puts(out, TMUX_WRAP_HEAD) < 0)
		goto fail;
	/* copy runs without ESC in one append each; an ESC goes out twice */
	for (size_t i = 0; i < len; i++) {
		if (s[i] != 0x1b)
			continue;
		if (buf_append(out, s + run, i + 1 - run) < 0 || buf_putc(out, 0x1b) < 0)
			goto fail;
		run = i + 1;
	}
	if (buf_append(out, s + run, len - run) < 0 || buf_puts(out, TMUX_WRAP_TAIL) < 0)
		goto fail;
	return 0;
fail:
	out->len = start; /* out of memory half-way: no half sequence */
	if (out->data != NULL)
		out->data[start] = '\0';
	return -1;
}
