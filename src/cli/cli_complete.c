/* `annotty __complete CWORD WORD...` (hidden): what the bash completion offers, read from the
 * command table. The first line says what kind of word is wanted (none, dirs, files, source,
 * image); the lines after it are the words to offer, already matched against the one being
 * typed. share/bash-completion/annotty does nothing but ask. */
#include "cli/cli.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

struct comp {
	const char *pos[CLI_WORDS_MAX]; /* the words before the cursor that are not options */
	int npos;
	unsigned given;
	const char *cur;
	int value_of; /* the option whose value the cursor is on, or -1 */
	int value_ok;
};

/* Offers word when it starts with what is typed. */
static void offer(const struct comp *k, const char *word)
{
	if (strncmp(word, k->cur, strlen(k->cur)) == 0)
		printf("%s\n", word);
}

static const char *kind_name(enum cli_kind kind)
{
	switch (kind) {
	case CLI_KIND_DIR:
		return "dirs";
	case CLI_KIND_FILE:
		return "files";
	case CLI_KIND_SOURCE:
		return "source";
	case CLI_KIND_IMAGE:
		return "image";
	default:
		return "none";
	}
}

/* Reads the words before the cursor as the parser would, without judging them. */
static void comp_scan(struct comp *k, char **words, int cword)
{
	int only_words = 0;

	k->value_of = -1;
	unsigned takes = cli_command_takes(cword > 1 ? words[1] : NULL);

	for (int i = 1; i < cword; i++) {
		const char *w = words[i], *eq = strchr(w, '=');
		int o;

		if (!only_words && strcmp(w, "--") == 0) {
			only_words = 1;
			continue;
		}
		if (only_words || w[0] != '-' || w[1] == '\0') {
			if (k->npos < CLI_WORDS_MAX)
				k->pos[k->npos++] = w;
			continue;
		}
		o = cli_option_find_in(w, eq != NULL ? (size_t)(eq - w) : strlen(w), takes);
		if (o < 0)
			continue;
		k->given |= CLI_OPT(o);
		if (cli_options[o].value != CLI_KIND_NONE && eq == NULL && ++i == cword)
			k->value_of = o;
	}
}

static void offer_commands(const struct comp *k)
{
	const char *last = "";

	for (const struct cli_command *c = cli_commands; c->name != NULL; c++) {
		if (c->hidden || c->name[0] == '\0' || strcmp(c->name, last) == 0)
			continue;
		offer(k, c->name);
		last = c->name;
	}
}

static void offer_value(const struct comp *k, int o)
{
	const struct cli_option *opt = &cli_options[o];

	printf("%s\n", kind_name(opt->value));
	for (int i = 0; opt->value == CLI_KIND_CHOICE && opt->choices[i] != NULL; i++)
		offer(k, opt->choices[i]);
}

/* The options of every form of the command (those of the review screen before a command). */
static void offer_options(const struct comp *k, const struct cli_command *c)
{
	unsigned takes = CLI_OPTS_GLOBAL;
	char word[64];

	for (const struct cli_command *r = cli_commands; c != NULL && r->name != NULL; r++)
		if (strcmp(r->name, c->name) == 0 &&
		    (c->word == NULL || r->word == NULL || strcmp(r->word, c->word) == 0))
			takes |= r->options;
	puts("none");
	for (int o = 0; o < OPT_COUNT; o++) {
		const struct cli_option *opt = &cli_options[o];

		if (opt->hidden || !(takes & CLI_OPT(o)) || (k->given & CLI_OPT(o)))
			continue;
		snprintf(word, sizeof word, "--%s%s", opt->name, opt->joined ? "=" : "");
		offer(k, word);
	}
}

/* The command the positional words name so far, and the index of the next argument. */
static const struct cli_command *comp_command(const struct comp *k, int *arg)
{
	const struct cli_command *c;

	*arg = k->npos;
	if (k->npos == 0 || !cli_command_known(k->pos[0], 0))
		return cli_command_form("", NULL, k->given);
	c = cli_command_first(k->pos[0]);
	*arg = k->npos - (c->word != NULL ? 2 : 1);
	if (c->word != NULL && k->npos < 2)
		return c;
	return cli_command_form(c->name, c->word != NULL ? k->pos[1] : NULL, k->given);
}

static void offer_words(const struct comp *k)
{
	int arg;
	const struct cli_command *c = comp_command(k, &arg);
	enum cli_kind kind = CLI_KIND_NONE;

	while (c != NULL && arg > 0 && (arg >= CLI_ARGS_MAX || c->args[arg].name == NULL) &&
	       c->args[arg - 1].many)
		arg--; /* TAG...: every word after it is one more */
	if (c != NULL && arg >= 0 && arg < CLI_ARGS_MAX && c->args[arg].name != NULL)
		kind = c->args[arg].kind;
	if (c != NULL && c->word != NULL && k->npos == 1) {
		puts("none");
		for (const struct cli_command *r = c; r->name && !strcmp(r->name, c->name); r++)
			if (r == c ||
			    strcmp(r[-1].word, r->word) != 0) /* forms of a word sit together */
				offer(k, r->word);
		return;
	}
	printf("%s\n", kind_name(kind));
	if (k->npos == 0 || kind == CLI_KIND_COMMAND)
		offer_commands(k);
}

int cli_run_complete(const struct cli_call *call, struct err *err)
{
	struct comp k = {0};
	char **words = call->raw + 1;
	int nwords = call->nraw - 1, cword, arg;
	const char *eq;

	if (call->nraw < 2 || (cword = atoi(call->raw[0])) < 1 || cword > nwords)
		return err_setk(err, ERR_USAGE, "__complete takes CWORD and the words");
	comp_scan(&k, words, cword);
	k.cur = cword < nwords ? words[cword] : "";
	eq = strchr(k.cur, '=');
	if (k.value_of >= 0) {
		offer_value(&k, k.value_of);
	} else if (k.cur[0] == '-' && k.cur[1] == '-' && eq != NULL) {
		int o = cli_option_find(k.cur, (size_t)(eq - k.cur));
		k.cur = eq + 1;
		if (o >= 0 && !cli_options[o].hidden)
			offer_value(&k, o);
		else
			puts("none");
	} else if (k.cur[0] == '-') {
		offer_options(&k, comp_command(&k, &arg));
	} else {
		offer_words(&k);
	}
	return cli_flush_stdout(err) < 0 ? -1 : EXIT_OK;
}
