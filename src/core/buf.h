/* Bounded growable byte buffers: every buffer holding outside data has a hard cap. */
#ifndef ANNOTTY_CORE_BUF_H
#define ANNOTTY_CORE_BUF_H

#include <stddef.h>

struct buf {
	unsigned char *data; /* always NUL-terminated after a successful append */
	size_t len;
	size_t cap;
	size_t max; /* appends that would grow len past max fail */
};

void buf_init(struct buf *b, size_t max);
/* Returns 0, or -1 when the cap would be exceeded or memory is short (the buffer is unchanged). */
int buf_append(struct buf *b, const void *data, size_t n);
int buf_putc(struct buf *b, unsigned char c);
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
/* Hands the bytes to the caller (who frees them) and leaves the buffer empty. */
unsigned char *buf_steal(struct buf *b, size_t *len);

/* Reads a whole file into b, within b's cap: a file larger than the cap is refused with
 * ERR_TOO_LARGE before any of it is read. */
struct err;
int buf_read_file(struct buf *b, const char *path, struct err *err);
/* Writes b to path whole or not at all (through path.part, synced, then renamed). */
int buf_write_file(const struct buf *b, const char *path, struct err *err);

#endif
