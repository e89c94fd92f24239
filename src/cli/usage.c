/* The usage text, each command's help and the man page's synopsis, all written from the
 * command table so that none of them can say something the parser does not do. */
#include "cli/cli.h"

#include <stdarg.h>
#include <string.h>

#define LINE_MAX_LEN 1024

struct text {
	char *buf;
	size_t n, len;
	int roff; /* man page markup instead of plain text */
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (t->len >= t->n)
		return;
	va_start(ap, fmt);
	w = vsnprintf(t->buf + t->len, t->n - t->len, fmt, ap);
	va_end(ap);
	if (w > 0)
		t->len = t->len + (size_t)w < t->n ? t->len + (size_t)w : t->n - 1;
}

/* A word in man page markup: dashes escaped. */
static void put_roff(struct text *t, const char *font, const char *s)
{
	put(t, "\\f%s", font);
	for (; *s; s++)
		put(t, *s == '-' ? "\\-" : "%c", *s);
	put(t, "\\fR");
}

static void put_word(struct text *t, const char *font, const char *s)
{
	if (t->roff)
		put_roff(t, font, s);
	else
		put(t, "%s", s);
}

/* "--format coco", "--graphics=MODE", "--json": a one-choice option shows its choice. */
static void put_option(struct text *t, int o, int optional)
{
	const struct cli_option *opt = &cli_options[o];
	int fixed = opt->value == CLI_KIND_CHOICE && opt->choices[1] == NULL;
	char name[64];

	snprintf(name, sizeof name, "--%s", opt->name);
	put(t, " %s", optional ? "[" : "");
	put_word(t, "B", name);
	if (opt->value != CLI_KIND_NONE) {
		put(t, "%s", opt->joined ? "=" : " ");
		put_word(t, fixed ? "B" : "I", fixed ? opt->choices[0] : opt->metavar);
	}
	put(t, "%s", optional ? "]" : "");
}

/* What follows the name: the needed options, the others, the arguments. */
static void put_form_tail(struct text *t, const struct cli_command *c)
{
	for (int pass = 0; pass < 2; pass++)
		for (int o = 0; o < OPT_COUNT; o++) {
			unsigned bit = CLI_OPT(o);
			int need = (c->required & bit) != 0;

			if ((c->options & bit) && !cli_options[o].hidden && need == (pass == 0))
				put_option(t, o, !need);
		}
	for (int i = 0; i < CLI_ARGS_MAX && c->args[i].name != NULL; i++) {
		put(t, " %s", c->args[i].optional ? "[" : "");
		put_word(t, "I", c->args[i].name);
		put(t, "%s%s", c->args[i].many ? "..." : "", c->args[i].optional ? "]" : "");
	}
}

static void put_form_head(struct text *t, const struct cli_command *c)
{
	put(t, "annotty");
	if (c->name[0] != '\0')
		put(t, " %s", c->name);
	if (c->word != NULL)
		put(t, " %s", c->word);
}

void cli_synopsis_line(const struct cli_command *c, char *buf, size_t n)
{
	struct text t = {buf, n, 0, 0};

	buf[0] = '\0';
	put_form_head(&t, c);
	put_form_tail(&t, c);
}

void cli_synopsis_roff(FILE *out)
{
	char head[LINE_MAX_LEN], tail[LINE_MAX_LEN];
	int first = 1;

	for (const struct cli_command *c = cli_commands; c->name != NULL; c++) {
		struct text h = {head, sizeof head, 0, 1}, r = {tail, sizeof tail, 0, 1};

		if (c->hidden)
			continue;
		head[0] = tail[0] = '\0';
		put_form_head(&h, c);
		put_form_tail(&r, c);
		if (!first)
			fputs(".br\n", out);
		first = 0;
		/* the head is bold as a whole; a dash in it is escaped like any other */
		fputs(".B ", out);
		for (const char *s = head; *s; s++)
			if (*s == '-')
				fputs("\\-", out);
			else
				fputc(*s, out);
		fputc('\n', out);
		if (tail[0] != '\0')
			fprintf(out, "%s\n", tail + 1);
	}
}

/* "ls assets SOURCE", "show --asset NAME SOURCE", "--demo": a form by what it needs. */
static void command_label(const struct cli_command *c, char *buf, size_t n)
{
	struct text t = {buf, n, 0, 0};

	buf[0] = '\0';
	put(&t, "%s%s%s", c->name, c->word ? " " : "", c->word ? c->word : "");
	for (int o = 0; o < OPT_COUNT; o++)
		if (c->required & CLI_OPT(o))
			put_option(&t, o, 0);
	for (int i = 0; i < CLI_ARGS_MAX && c->args[i].name != NULL; i++)
		put(&t, c->args[i].optional ? " [%s%s]" : " %s%s", c->args[i].name,
		    c->args[i].many ? "..." : "");
	if (buf[0] == ' ')
		memmove(buf, buf + 1, strlen(buf));
}

/* "  label   summary", the summary on a line of its own after a long label */
static void usage_summary(FILE *out, const char *label, const char *summary)
{
	if (strlen(label) > 26)
		fprintf(out, "  %s\n  %-26s %s\n", label, "", summary);
	else
		fprintf(out, "  %-26s %s\n", label, summary);
}

static void usage_forms(FILE *out, const char *name)
{
	char line[LINE_MAX_LEN];
	int first = 1;

	for (const struct cli_command *c = cli_commands; c->name != NULL; c++) {
		if (c->hidden || (name != NULL && strcmp(c->name, name) != 0))
			continue;
		cli_synopsis_line(c, line, sizeof line);
		fprintf(out, "%s%s\n", first ? "usage: " : "       ", line);
		first = 0;
	}
}

static void usage_option(FILE *out, int o)
{
	const struct cli_option *opt = &cli_options[o];
	char left[64];

	if (opt->letter)
		snprintf(left, sizeof left, "-%c, --%s", opt->letter, opt->name);
	else if (opt->value == CLI_KIND_NONE)
		snprintf(left, sizeof left, "--%s", opt->name);
	else
		snprintf(left, sizeof left, "--%s%s%s", opt->name, opt->joined ? "=" : " ",
		         opt->metavar);
	fprintf(out, "  %-18s %s\n", left, opt->help);
}

static void usage_options(FILE *out, unsigned which)
{
	fputs("\noptions:\n", out);
	for (int o = 0; o < OPT_COUNT; o++)
		if ((which & CLI_OPT(o)) && !cli_options[o].hidden)
			usage_option(out, o);
}

void cli_usage(FILE *out)
{
	char label[128];

	usage_forms(out, NULL);
	fputs("\ncommands:\n", out);
	for (const struct cli_command *c = cli_commands; c->name != NULL; c++) {
		if (c->hidden)
			continue;
		command_label(c, label, sizeof label);
		usage_summary(out, label, c->summary);
	}
	fputs("\nSOURCE is a COCO JSON file or a folder holding one (or 'demo').\n", out);
	usage_options(out, ~0u);
	fputs("\n'annotty help COMMAND' tells more about one command; press ? inside annotty for "
	      "the keys.\n"
	      "The cache lives in $XDG_CACHE_HOME/annotty/cache.db (override: ANNOTTY_CACHE).\n"
	      "Exit status: 0 ok, 1 failure, 2 usage, 128+N ended by signal N.\n",
	      out);
}

void cli_usage_command(FILE *out, const char *name)
{
	unsigned opts = CLI_OPTS_GLOBAL;
	char label[128];

	usage_forms(out, name);
	fputc('\n', out);
	for (const struct cli_command *c = cli_commands; c->name != NULL; c++) {
		if (c->hidden || strcmp(c->name, name) != 0)
			continue;
		command_label(c, label, sizeof label);
		usage_summary(out, label, c->summary);
		opts |= c->options;
		for (int i = 0; i < CLI_ARGS_MAX && c->args[i].name != NULL; i++)
			fprintf(out, "    %-16s %s\n", c->args[i].name, c->args[i].what);
	}
	usage_options(out, opts);
}
