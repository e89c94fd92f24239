/* Bounded growable byte buffers (see buf.h). */
#include "core/buf.h"
#include "core/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

void buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

static int buf_reserve(struct buf *b, size_t extra)
{
	size_t need, cap;
	unsigned char *p;

	if (extra > b->max || b->len > b->max - extra)
		return -1;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (p == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int buf_append(struct buf *b, const void *data, size_t n)
{
	if (buf_reserve(b, n) < 0)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int buf_putc(struct buf *b, unsigned char c)
{
	return buf_append(b, &c, 1);
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof small)
		return buf_append(b, small, (size_t)n);
	if (buf_reserve(b, (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

unsigned char *buf_steal(struct buf *b, size_t *len)
{
	unsigned char *p = b->data;

	if (len != NULL)
		*len = b->len;
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}

int buf_read_file(struct buf *b, const char *path, struct err *err)
{
	unsigned char chunk[65536];
	struct stat st;
	FILE *f;
	size_t n;
	int rc = -1;

	f = fopen(path, "rb");
	if (f == NULL)
		return err_setk(err, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO, "cannot open %s: %s",
		                path, strerror(errno));
	/* a file over the cap is refused before a byte of it is read; the loop below still
	 * holds the cap for what has no size (a pipe) or grows meanwhile */
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_size > b->max - b->len) {
		err_setk(err, ERR_TOO_LARGE, "%s is larger than the %zu MiB limit", path,
		         b->max >> 20);
		goto out;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (buf_append(b, chunk, n) < 0) {
			err_setk(err, ERR_TOO_LARGE, "%s is larger than the %zu MiB limit", path,
			         b->max >> 20);
			goto out;
		}
	}
	if (ferror(f)) {
		err_set(err, "cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	if (b->data == NULL && buf_append(b, "", 0) < 0) {
		err_set(err, "out of memory reading %s", path);
		goto out;
	}
	rc = 0;
out:
	fclose(f);
	return rc;
}

/* Writes all of fd's part; -1 with errno set on failure. */
static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int buf_write_file(const struct buf *b, const char *path, struct err *err)
{
	char tmp[4096];
	int fd, rc = -1;

	if (snprintf(tmp, sizeof tmp, "%s.part", path) >= (int)sizeof tmp)
		return err_setk(err, ERR_TOO_LARGE, "the file name %s is too long", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return err_setk(err, ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
	if (write_all(fd, b->data, b->len) < 0 || fsync(fd) < 0) {
		err_setk(err, ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		goto out;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		err_setk(err, ERR_IO, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		unlink(tmp);
	return rc;
}
