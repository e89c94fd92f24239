/* Strings from outside data: making them safe for a terminal, measuring and fitting them in
 * columns, small allocation helpers. */
#ifndef ANNOTTY_CORE_STR_H
#define ANNOTTY_CORE_STR_H

#include <stddef.h>
#include <stdint.h>

/* Copies src into dst (size dstsz, always NUL-terminated) so that it is safe to show on a
 * terminal: C0 and C1 control characters and DEL become visible escapes (ESC as "^[", tab as
 * a space, other controls as "^X" or "\u0085"), bidirectional override and isolate marks are
 * dropped, invalid UTF-8 bytes become U+FFFD. Valid UTF-8 text, wide and right-to-left
 * characters included, is kept as it is. Returns dst. */
char *str_sanitize(const char *src, char *dst, size_t dstsz);

/* Display width in terminal columns of UTF-8 text that has been through str_sanitize. */
int str_width(const char *s);

/* Copies s (already sanitized) into dst so that it takes exactly `cols` columns: cut with an
 * ellipsis when too wide, padded with spaces when narrower (pad != 0). Returns dst. */
char *str_fit(const char *s, int cols, int pad, char *dst, size_t dstsz);

/* strdup that accepts NULL. */
char *str_dup(const char *s);
/* Bounded copy, always NUL-terminated; returns the length of src. */
size_t str_copy(char *dst, const char *src, size_t dstsz);
/* Case-insensitive substring test over ASCII letters (UTF-8 passes through unchanged). */
int str_icontains(const char *haystack, const char *needle);
/* Decodes one UTF-8 character at s (with len bytes available). Returns the number of bytes it
 * takes (1 for an invalid byte, with *cp set to 0xFFFD). */
int str_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* 64-bit FNV-1a, for fingerprints of content (not for security). */
uint64_t str_hash64(const void *data, size_t len, uint64_t seed);
#define STR_HASH_SEED 0xcbf29ce484222325ULL

#endif
