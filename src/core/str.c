/* Terminal-safe strings and column arithmetic (see str.h). */
#include "core/str.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

int str_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c;
	int n;

	if (len == 0) {
		*cp = 0xFFFD;
		return 1;
	}
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2;
		c = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3;
		c = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if ((size_t)n > len)
		goto bad;
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		c = (c << 6) | (s[i] & 0x3F);
	}
	/* overlong forms, surrogates and out-of-range values are not text */
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = 0xFFFD;
	return 1;
}

static int is_bidi_control(uint32_t c)
{
	return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
	       c == 0x200F || c == 0x061C;
}

/* Appends n bytes if they fit (leaving room for the NUL); returns 0 or -1 when full. */
static int put(char *dst, size_t dstsz, size_t *at, const char *bytes, size_t n)
{
	if (*at + n + 1 > dstsz)
		return -1;
	memcpy(dst + *at, bytes, n);
	*at += n;
	return 0;
}

static int put_escaped(char *dst, size_t dstsz, size_t *at, uint32_t c)
{
	char tmp[16];

	if (c == '\t' || c == '\n' || c == '\r')
		return put(dst, dstsz, at, " ", 1);
	if (c < 0x20 || c == 0x7F) {
		tmp[0] = '^';
		tmp[1] = (char)(c == 0x7F ? '?' : c + '@');
		return put(dst, dstsz, at, tmp, 2);
	}
	snprintf(tmp, sizeof tmp, "\\u%04X", (unsigned)c);
	return put(dst, dstsz, at, tmp, strlen(tmp));
}

char *str_sanitize(const char *src, char *dst, size_t dstsz)
{
	const unsigned char *s = (const unsigned char *)(src ? src : "");
	size_t len = strlen((const char *)s), at = 0;
	uint32_t c;
	int n, rc;

	if (dstsz == 0)
		return dst;
	while (len > 0) {
		n = str_utf8_decode(s, len, &c);
		if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0))
			rc = put_escaped(dst, dstsz, &at, c);
		else if (is_bidi_control(c))
			rc = 0;
		else if (c == 0xFFFD && !(n == 3 && s[0] == 0xEF))
			rc = put(dst, dstsz, &at, "\xEF\xBF\xBD", 3);
		else
			rc = put(dst, dstsz, &at, (const char *)s, (size_t)n);
		if (rc < 0)
			break;
		s += n;
		len -= (size_t)n;
	}
	dst[at] = '\0';
	return dst;
}

static int char_width(uint32_t c)
{
	int w = wcwidth((wchar_t)c);

	return w < 0 ? 1 : w;
}

int str_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	uint32_t c;
	int w = 0, n;

	while (len > 0) {
		n = str_utf8_decode(p, len, &c);
		w += char_width(c);
		p += n;
		len -= (size_t)n;
	}
	return w;
}

char *str_fit(const char *s, int cols, int pad, char *dst, size_t dstsz)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), at = 0;
	int used = 0, total = str_width(s), limit = cols, n, w;
	uint32_t c;

	if (dstsz == 0)
		return dst;
	if (total > cols)
		limit = cols - 1; /* room for the ellipsis */
	while (len > 0) {
		n = str_utf8_decode(p, len, &c);
		w = char_width(c);
		if (used + w > limit || put(dst, dstsz, &at, (const char *)p, (size_t)n) < 0)
			break;
		used += w;
		p += n;
		len -= (size_t)n;
	}
	if (total > cols && cols > 0 && put(dst, dstsz, &at, "\xE2\x80\xA6", 3) == 0)
		used++;
	while (pad && used < cols && put(dst, dstsz, &at, " ", 1) == 0)
		used++;
	dst[at] = '\0';
	return dst;
}

char *str_dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

size_t str_copy(char *dst, const char *src, size_t dstsz)
{
	size_t n = strlen(src);

	if (dstsz > 0) {
		size_t k = n < dstsz - 1 ? n : dstsz - 1;
		memcpy(dst, src, k);
		dst[k] = '\0';
	}
	return n;
}

int str_icontains(const char *haystack, const char *needle)
{
	size_t hn = strlen(haystack), nn = strlen(needle);

	if (nn == 0)
		return 1;
	for (size_t i = 0; i + nn <= hn; i++) {
		size_t j = 0;
		while (j < nn &&
		       tolower((unsigned char)haystack[i + j]) == tolower((unsigned char)needle[j]))
			j++;
		if (j == nn)
			return 1;
	}
	return 0;
}

uint64_t str_hash64(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}
