/* JSON text for strict readers: what cJSON prints passes DEL, the C1 controls and invalid
 * UTF-8 through inside strings; every writer of machine-readable output runs its text through
 * json_out_strict before it leaves annotty. */
#ifndef ANNOTTY_CORE_JSON_OUT_H
#define ANNOTTY_CORE_JSON_OUT_H

#include <stddef.h>

/* What json_out_strict had to replace. */
struct json_out_report {
	long fields;     /* strings (values or keys) that held invalid UTF-8 */
	char first[160]; /* the first of them by its path: "images[3].file_name", "[0].tags[1]" */
};

/* Rewrites JSON text (valid JSON, as cJSON prints it) so that a strict reader takes it and a
 * terminal showing it is safe: inside strings, DEL, the C1 controls (U+0080 to U+009F) and
 * U+2028, U+2029 become \u escapes, and each byte that is not part of valid UTF-8 becomes
 * U+FFFD. Text outside strings is copied as it is. report (may be NULL) says which strings
 * held invalid UTF-8. Returns a new NUL-terminated string the caller frees, or NULL when out
 * of memory. */
char *json_out_strict(const char *text, struct json_out_report *report);

/* Logs a warning naming the fields when report counts any: what says whose output it was
 * ("export to out.json", "ls --json"). */
void json_out_warn(const struct json_out_report *report, const char *what);

#endif
