/* GNU Unifont from its .hex file (see unifont.h): one line a glyph, "XXXX:" and 32 or 64 hex
 * digits (16 rows of 8 or 16 pixels), sorted by code point. The file is mapped once and each
 * glyph is found by a binary search over its lines: nothing is parsed ahead, so a picture
 * whose captions are all ASCII never touches it, and one that needs a few glyphs costs a few
 * dozen line reads. */
#include "render/unifont.h"
#include "core/str.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define UNIFONT_MAX_BYTES ((size_t)64 << 20) /* the whole of plane 0 takes under 4 MiB */

static pthread_mutex_t unifont_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	int tried;
	char path[1024];
	const char *data; /* the mapped file, or NULL */
	size_t size;
} unifont;

static const char *unifont_wanted(void)
{
	const char *env = getenv("ANNOTTY_UNIFONT");

	return env != NULL ? env : UNIFONT_HEX;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	                              : -1;
}

/* Maps path when it looks like a .hex font (its first line a glyph). */
static const char *unifont_map(const char *path, size_t *size)
{
	struct stat st;
	void *p = MAP_FAILED;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 40 &&
	    (size_t)st.st_size <= UNIFONT_MAX_BYTES)
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return NULL;
	if (memchr(p, ':', 8) == NULL || hex_digit(((const char *)p)[0]) < 0) {
		munmap(p, (size_t)st.st_size);
		return NULL;
	}
	*size = (size_t)st.st_size;
	return p;
}

/* The mapping for the wanted path. A mapping is never unmapped (another thread may be reading
 * a glyph from it): a change of ANNOTTY_UNIFONT within one process, which only tests make,
 * keeps the old one. */
static const char *unifont_data(size_t *size)
{
	const char *want = unifont_wanted(), *data;

	pthread_mutex_lock(&unifont_lock);
	if (!unifont.tried || strcmp(unifont.path, want) != 0) {
		unifont.tried = 1;
		str_copy(unifont.path, want, sizeof unifont.path);
		unifont.data = unifont_map(want, &unifont.size);
	}
	data = unifont.data;
	*size = unifont.size;
	pthread_mutex_unlock(&unifont_lock);
	return data;
}

int unifont_available(char *path, size_t n)
{
	size_t size;
	int ok = unifont_data(&size) != NULL;

	str_copy(path, unifont_wanted(), n);
	return ok;
}

/* The code point of the line at p (up to end), or -1 when it is not a glyph line. */
static long line_cp(const char *p, const char *end, const char **bits)
{
	long cp = 0;
	int d, k = 0;

	for (; p < end && *p != ':'; p++, k++) {
		if ((d = hex_digit(*p)) < 0 || k >= 6)
			return -1;
		cp = cp * 16 + d;
	}
	*bits = p + 1;
	return p < end && k > 0 ? cp : -1;
}

static int glyph_parse(const char *bits, const char *end, struct unifont_glyph *g)
{
	size_t n = 0;

	while (bits + n < end && hex_digit(bits[n]) >= 0)
		n++;
	if (n != 32 && n != 64)
		return -1;
	g->w = n == 32 ? 8 : 16;
	for (int r = 0; r < UNIFONT_H; r++) {
		unsigned v = 0;
		for (int k = 0; k < g->w / 4; k++)
			v = v * 16 + (unsigned)hex_digit(bits[r * (g->w / 4) + k]);
		g->rows[r] = (uint16_t)v;
	}
	return 0;
}

int unifont_glyph(uint32_t cp, struct unifont_glyph *g)
{
	size_t size, lo = 0, hi;
	const char *data = unifont_data(&size);

	if (data == NULL)
		return -1;
	hi = size;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, start = mid;
		const char *nl, *bits;
		long at;
		while (start > lo && data[start - 1] != '\n')
			start--;
		nl = memchr(data + start, '\n', size - start);
		if (nl == NULL)
			nl = data + size;
		if ((at = line_cp(data + start, nl, &bits)) < 0)
			return -1; /* not a sorted glyph file after all */
		if ((uint32_t)at == cp)
			return glyph_parse(bits, nl, g);
		if ((uint32_t)at < cp)
			lo = (size_t)(nl - data) + 1;
		else
			hi = start;
	}
	return -1;
}
