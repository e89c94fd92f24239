/* Strict JSON text (see json_out.h): one pass over the text, tracking where in the document
 * each string is so that a replacement can name its field. */
#include "core/json_out.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/str.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_DEPTH 32 /* deeper members are named by their first 32 levels */

/* Where the scan is: one entry per open object or array. */
struct json_path {
	struct {
		char is_array;
		long index;    /* arrays: the element */
		char key[48];  /* objects: the member, cut to fit */
		char want_key; /* objects: the next string is a key */
	} level[PATH_DEPTH];
	int depth; /* may run past PATH_DEPTH: those levels are not recorded */
};

static void path_name(const struct json_path *p, char *out, size_t outsz)
{
	size_t used = 0;

	out[0] = '\0';
	for (int i = 0; i < p->depth && i < PATH_DEPTH && used < outsz; i++)
		used += (size_t)(p->level[i].is_array ? snprintf(out + used, outsz - used, "[%ld]",
		                                                 p->level[i].index)
		                                      : snprintf(out + used, outsz - used, "%s%s",
		                                                 used ? "." : "", p->level[i].key));
}

static void path_punct(struct json_path *p, char c)
{
	int top = p->depth - 1;

	if ((c == '{' || c == '[') && p->depth++ < PATH_DEPTH) {
		p->level[p->depth - 1].is_array = c == '[';
		p->level[p->depth - 1].index = 0;
		p->level[p->depth - 1].key[0] = '\0';
		p->level[p->depth - 1].want_key = c == '{';
	} else if ((c == '}' || c == ']') && p->depth > 0) {
		p->depth--;
	} else if (c == ',' && top >= 0 && top < PATH_DEPTH) {
		if (p->level[top].is_array)
			p->level[top].index++;
		else
			p->level[top].want_key = 1;
	}
}

/* Copies one string (s at its opening quote; the text ends at end) into out; returns the
 * byte after its closing quote, NULL when out of memory. *bad is set when it held bytes that
 * are not UTF-8. */
static const char *copy_string(const char *s, const char *end, struct buf *out, int *bad)
{
	const unsigned char *p = (const unsigned char *)s + 1;
	int rc = buf_putc(out, '"');

	while (*p != '\0' && *p != '"' && rc == 0) {
		uint32_t cp;
		int n;

		if (*p == '\\' && p[1] != '\0') {
			rc = buf_append(out, p, 2);
			p += 2;
			continue;
		}
		n = str_utf8_decode(p, (size_t)((const unsigned char *)end - p), &cp);
		if (cp == 0xFFFD && n == 1) { /* a U+FFFD written as such takes three bytes */
			*bad = 1;
			rc = buf_puts(out, "\\ufffd");
		} else if (cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 ||
		           cp == 0x2029) {
			rc = buf_printf(out, "\\u%04x", (unsigned)cp);
		} else {
			rc = buf_append(out, p, (size_t)n);
		}
		p += n;
	}
	if (*p == '"')
		p++;
	if (rc == 0)
		rc = buf_putc(out, '"');
	return rc == 0 ? (const char *)p : NULL;
}

/* The key that starts at s (its opening quote), as text for a path. */
static void key_of(const char *s, char *key, size_t keysz)
{
	size_t n = 0;

	for (s++; *s != '\0' && *s != '"' && n + 1 < keysz; s++)
		if (*s == '\\' && s[1] != '\0')
			s++;
		else
			key[n++] = *s;
	key[n] = '\0';
}

static int needs_rewrite(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++)
		if (*p >= 0x7f)
			return 1;
	return 0;
}

static void report_bad(struct json_out_report *report, const struct json_path *path)
{
	if (report == NULL)
		return;
	if (report->fields++ == 0)
		path_name(path, report->first, sizeof report->first);
}

char *json_out_strict(const char *text, struct json_out_report *report)
{
	struct json_path path = {.depth = 0};
	size_t len = strlen(text);
	const char *s = text;
	struct buf out;

	if (report != NULL)
		memset(report, 0, sizeof *report);
	if (!needs_rewrite(text))
		return str_dup(text); /* plain ASCII, the common case */
	buf_init(&out, len > SIZE_MAX / 8 ? SIZE_MAX : len * 6 + 16);
	while (s != NULL && *s != '\0') {
		int top = path.depth - 1, bad = 0;

		if (*s != '"') {
			path_punct(&path, *s);
			s = buf_putc(&out, (unsigned char)*s) == 0 ? s + 1 : NULL;
			continue;
		}
		if (top >= 0 && top < PATH_DEPTH && path.level[top].want_key) {
			key_of(s, path.level[top].key, sizeof path.level[top].key);
			path.level[top].want_key = 0;
		}
		s = copy_string(s, text + len, &out, &bad);
		if (bad)
			report_bad(report, &path);
	}
	if (s == NULL || out.data == NULL) {
		buf_free(&out);
		return NULL;
	}
	return (char *)buf_steal(&out, NULL);
}

void json_out_warn(const struct json_out_report *report, const char *what)
{
	if (report == NULL || report->fields == 0)
		return;
	log_msg(LOG_WARN,
	        "%s: %ld text field%s held bytes that are not UTF-8, written as U+FFFD "
	        "(the first: %s)",
	        what, report->fields, report->fields == 1 ? "" : "s", report->first);
}
