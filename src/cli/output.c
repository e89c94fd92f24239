/* Output helpers the subcommands share: plural words, JSON strings safe for strict readers,
 * and a checked flush of standard output. */
#include "cli/cli.h"
#include "core/err.h"
#include "core/json_out.h"
#include "core/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *cli_plural(long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* C0, DEL and C1 controls are written as \u escapes; so are the line and paragraph
 * separators, which some JavaScript readers take as line ends. */
static int json_needs_escape(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029;
}

void cli_json_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s);

	fputc('"', out);
	while (left > 0) {
		uint32_t cp;
		int len = str_utf8_decode(p, left, &cp);

		if (cp == '"' || cp == '\\')
			fprintf(out, "\\%c", (int)cp);
		else if (cp == '\n')
			fputs("\\n", out);
		else if (cp == '\t')
			fputs("\\t", out);
		else if (json_needs_escape(cp) || cp == 0xFFFD)
			fprintf(out, "\\u%04x", (unsigned)cp);
		else
			fwrite(p, 1, (size_t)len, out);
		p += len;
		left -= (size_t)len;
	}
	fputc('"', out);
}

int cli_flush_stdout(struct err *err)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		return err_setk(err, ERR_IO, "cannot write to standard output: %s",
		                strerror(errno ? errno : EIO));
	return 0;
}

void cli_json_error(FILE *out, const struct err *err)
{
	fputs("{\"error\": {\"kind\": ", out);
	cli_json_string(out, err_kind_name(err_kind_of(err)));
	fputs(", \"message\": ", out);
	cli_json_string(out, err->msg);
	fputs("}}\n", out);
	fflush(out);
}

int cli_json_raw(FILE *out, const char *json, struct err *err)
{
	struct json_out_report report = {0};
	char *strict = json_out_strict(json, &report);

	if (strict == NULL)
		return err_set(err, "out of memory writing JSON");
	fputs(strict, out);
	free(strict);
	json_out_warn(&report, "ls --json");
	return 0;
}
