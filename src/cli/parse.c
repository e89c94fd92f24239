/* Parsing a command line against the tables: options anywhere among the words (as getopt
 * permutes them), the command from the first words, then its arguments and the values. Every
 * wrong line is one ERR_USAGE message saying what is wrong. */
#include "cli/cli.h"
#include "core/err.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LIST_MAX 256

struct words {
	const char *w[CLI_WORDS_MAX];
	int n;
};

/* Two options may share a long name when no command takes both (sync's --images switch, the
 * --images folder of the others): takes, the options of the command being parsed, decides. */
static int option_long(const char *name, size_t len, unsigned takes)
{
	int found = -1, exact = -1;

	for (int o = 0; o < OPT_COUNT; o++) {
		if (strncmp(cli_options[o].name, name, len) != 0)
			continue;
		if (cli_options[o].name[len] == '\0') {
			if (exact < 0 || (takes & CLI_OPT(o)))
				exact = o;
			continue;
		}
		/* a unique prefix names the option, as getopt_long allows */
		if (found == -1 ||
		    (found >= 0 && strcmp(cli_options[found].name, cli_options[o].name) == 0)) {
			if (found == -1 || (takes & CLI_OPT(o)))
				found = o;
		} else {
			found = -2;
		}
	}
	if (exact >= 0)
		return exact;
	return found < 0 ? -1 : found;
}

int cli_option_find_in(const char *name, size_t len, unsigned takes)
{
	if (len >= 2 && name[0] == '-' && name[1] == '-')
		return len > 2 ? option_long(name + 2, len - 2, takes) : -1;
	if (len != 2 || name[0] != '-')
		return -1;
	for (int o = 0; o < OPT_COUNT; o++)
		if (cli_options[o].letter != 0 && cli_options[o].letter == name[1])
			return o;
	return -1;
}

int cli_option_find(const char *name, size_t len)
{
	return cli_option_find_in(name, len, 0);
}

unsigned cli_command_takes(const char *name)
{
	unsigned takes = CLI_OPTS_GLOBAL;

	if (name == NULL || !cli_command_known(name, 1))
		name = "";
	for (const struct cli_command *c = cli_commands; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			takes |= c->options;
	return takes;
}

const struct cli_command *cli_command_first(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

int cli_command_known(const char *name, int hidden)
{
	const struct cli_command *c = cli_command_first(name);

	return c != NULL && c->name[0] != '\0' && (hidden || !c->hidden);
}

/* Keeps an option's value; a repeatable one keeps each. */
static int keep_value(struct cli_call *call, int o, const char *v, struct err *err)
{
	call->value[o] = v;
	if (!cli_options[o].repeat)
		return 0;
	if (call->nrepeated[o] == CLI_REPEAT_MAX)
		return err_setk(err, ERR_USAGE, "--%s is given more than %d times",
		                cli_options[o].name, CLI_REPEAT_MAX);
	call->repeated[o][call->nrepeated[o]++] = v;
	return 0;
}

static int take_option(int argc, char **argv, int *i, unsigned takes, struct cli_call *call,
                       struct err *err)
{
	const char *arg = argv[*i], *eq = strchr(arg, '=');
	size_t len = eq != NULL && arg[1] == '-' ? (size_t)(eq - arg) : strlen(arg);
	int o = cli_option_find_in(arg, len, takes);
	const struct cli_option *opt;

	if (o < 0)
		return err_setk(err, ERR_USAGE, "unknown option %.*s", (int)len, arg);
	opt = &cli_options[o];
	if (opt->value == CLI_KIND_NONE) {
		if (arg[len] == '=')
			return err_setk(err, ERR_USAGE, "--%s takes no value", opt->name);
		call->value[o] = "";
		return 0;
	}
	if (arg[len] == '=')
		return keep_value(call, o, arg + len + 1, err);
	if (*i + 1 >= argc)
		return err_setk(err, ERR_USAGE, "--%s needs a value (%s)", opt->name, opt->metavar);
	return keep_value(call, o, argv[++*i], err);
}

/* Splits the line into options (into call->value) and the other words. */
static int split_line(int argc, char **argv, struct cli_call *call, struct words *ws,
                      struct err *err)
{
	unsigned takes = cli_command_takes(argc > 1 ? argv[1] : NULL);
	int only_words = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!only_words && strcmp(a, "--") == 0) {
			only_words = 1;
		} else if (!only_words && a[0] == '-' && a[1] != '\0') {
			if (take_option(argc, argv, &i, takes, call, err) < 0)
				return -1;
		} else if (ws->n == CLI_WORDS_MAX) {
			return err_setk(err, ERR_USAGE, "too many words on the command line");
		} else {
			ws->w[ws->n++] = a;
		}
	}
	return 0;
}

static void list_add(char *buf, size_t n, const char *word)
{
	size_t len = strlen(buf);

	snprintf(buf + len, n - len, "%s%s", len > 0 ? ", " : "", word);
}

/* The sub-words of the command that c starts, "assets, labels". */
static void sub_words(const struct cli_command *c, char *buf, size_t n)
{
	const char *name = c->name;

	buf[0] = '\0';
	for (; c->name != NULL && strcmp(c->name, name) == 0; c++)
		if (c->word != NULL &&
		    (c == cli_commands || c[-1].word == NULL || strcmp(c[-1].word, c->word) != 0))
			list_add(buf, n, c->word);
}

/* The row of the sub-word that follows the command's name. */
static const struct cli_command *choose_word(const struct cli_command *c, const struct words *ws,
                                             struct err *err)
{
	const char *name = c->name;
	char list[LIST_MAX];

	sub_words(c, list, sizeof list);
	if (ws->n < 2) {
		err_setk(err, ERR_USAGE, "%s needs %s: %s", name, c->words_are, list);
		return NULL;
	}
	for (; c->name != NULL && strcmp(c->name, name) == 0; c++)
		if (strcmp(c->word, ws->w[1]) == 0)
			return c;
	err_setk(err, ERR_USAGE, "%s %s is not a command; %s: %s", name, ws->w[1],
	         cli_command_first(name)->words_are, list);
	return NULL;
}

static unsigned given_bits(const struct cli_call *call)
{
	unsigned bits = 0;

	for (int o = 0; o < OPT_COUNT; o++)
		if (call->value[o] != NULL)
			bits |= CLI_OPT(o);
	return bits;
}

static int same_form(const struct cli_command *a, const struct cli_command *b)
{
	if (strcmp(a->name, b->name) != 0)
		return 0;
	return a->word == NULL ? b->word == NULL : b->word != NULL && strcmp(a->word, b->word) == 0;
}

static int bit_count(unsigned bits)
{
	int n = 0;

	for (; bits != 0; bits &= bits - 1)
		n++;
	return n;
}

/* Of the rows with first's name and word, the one that needs the most of the options given
 * and nothing else (`show --asset NAME SOURCE` over `show IMAGE` when --asset is there); else
 * the first, whose missing option is then reported. */
static const struct cli_command *choose_form_given(const struct cli_command *first, unsigned given)
{
	const struct cli_command *best = NULL;

	for (const struct cli_command *c = first; c->name != NULL && same_form(c, first); c++)
		if ((given & c->required) == c->required &&
		    (best == NULL || bit_count(c->required) > bit_count(best->required)))
			best = c;
	return best != NULL ? best : first;
}

static const struct cli_command *choose_form(const struct cli_command *first,
                                             const struct cli_call *call)
{
	return choose_form_given(first, given_bits(call));
}

const struct cli_command *cli_command_form(const char *name, const char *word, unsigned given)
{
	for (const struct cli_command *c = cli_commands; c->name != NULL; c++) {
		if (strcmp(c->name, name) != 0)
			continue;
		if (c->word == NULL || (word != NULL && strcmp(c->word, word) == 0))
			return choose_form_given(c, given);
	}
	return NULL;
}

/* The command the words name; *used is how many words its name took. */
static const struct cli_command *choose_command(const struct words *ws, struct cli_call *call,
                                                int *used, struct err *err)
{
	const struct cli_command *c = ws->n > 0 ? cli_command_first(ws->w[0]) : NULL;

	*used = 0;
	if (c == NULL || c->name[0] == '\0') {
		c = cli_command_first("");
	} else {
		*used = 1;
		call->topic = c->name;
		if (c->word != NULL) {
			if ((c = choose_word(c, ws, err)) == NULL)
				return NULL;
			*used = 2;
		}
	}
	return choose_form(c, call);
}

static const char *command_label(const struct cli_command *c, char *buf, size_t n)
{
	if (c->name[0] == '\0')
		return "the review screen";
	snprintf(buf, n, "%s%s%s", c->name, c->word ? " " : "", c->word ? c->word : "");
	return buf;
}

static void choices_list(const struct cli_option *opt, char *buf, size_t n)
{
	buf[0] = '\0';
	for (int i = 0; opt->choices[i] != NULL; i++)
		list_add(buf, n, opt->choices[i]);
}

/* The options given are ones the command takes, and the ones it needs are there. */
static int check_options(const struct cli_command *c, const struct cli_call *call, struct err *err)
{
	char label[128], list[LIST_MAX];

	for (int o = 0; o < OPT_COUNT; o++) {
		const struct cli_option *opt = &cli_options[o];
		unsigned bit = CLI_OPT(o);

		if (call->value[o] != NULL && !((c->options | CLI_OPTS_GLOBAL) & bit))
			return err_setk(err, ERR_USAGE, "--%s is not an option of %s", opt->name,
			                command_label(c, label, sizeof label));
		if (call->value[o] != NULL || !(c->required & bit))
			continue;
		if (opt->value == CLI_KIND_CHOICE)
			choices_list(opt, list, sizeof list);
		return err_setk(err, ERR_USAGE, "%s needs --%s (%s)",
		                command_label(c, label, sizeof label), opt->name,
		                opt->value == CLI_KIND_CHOICE ? list : opt->metavar);
	}
	return 0;
}

static int check_args(const struct cli_command *c, const struct words *ws, int used,
                      struct cli_call *call, struct err *err)
{
	char label[128];
	int i, spec = 0;

	for (i = used; i < ws->n; i++) {
		spec = i - used < CLI_ARGS_MAX ? i - used : CLI_ARGS_MAX;
		/* the last word of a command that takes many (TAG...) takes the rest */
		while (spec > 0 && (spec == CLI_ARGS_MAX || c->args[spec].name == NULL) &&
		       c->args[spec - 1].many)
			spec--;
		if (spec >= CLI_ARGS_MAX || c->args[spec].name == NULL ||
		    (spec < i - used && !c->args[spec].many))
			return err_setk(err, ERR_USAGE, "too many words for %s: %s",
			                command_label(c, label, sizeof label), ws->w[i]);
		call->args[call->nargs++] = ws->w[i];
	}
	i -= used;
	if (i < CLI_ARGS_MAX && c->args[i].name != NULL && !c->args[i].optional)
		return err_setk(err, ERR_USAGE, "%s needs %s: %s",
		                command_label(c, label, sizeof label), c->args[i].name,
		                c->args[i].what);
	return 0;
}

static int in_list(const char *const *list, const char *v)
{
	for (int i = 0; list != NULL && list[i] != NULL; i++)
		if (strcasecmp(list[i], v) == 0)
			return 1;
	return 0;
}

static int check_value(int o, const char *v, struct cli_call *call, struct err *err)
{
	const struct cli_option *opt = &cli_options[o];
	char list[LIST_MAX], *end;
	long n;

	if (opt->value == CLI_KIND_CHOICE && !in_list(opt->choices, v) &&
	    !in_list(opt->aliases, v)) {
		choices_list(opt, list, sizeof list);
		return err_setk(err, ERR_USAGE, "unknown %s %s; %s: %s", opt->noun, v,
		                opt->choices_are, list);
	}
	if (opt->value != CLI_KIND_NUMBER)
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < opt->min || n > opt->max)
		return err_setk(err, ERR_USAGE, "--%s takes %d to %d %s", opt->name, opt->min,
		                opt->max, opt->unit);
	if (o == OPT_WIDTH)
		call->width = (int)n;
	return 0;
}

/* An environment switch: set, and not "0", "no" or "off". */
static int env_says_yes(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' && strcmp(v, "0") != 0 && strcasecmp(v, "no") != 0 &&
	       strcasecmp(v, "off") != 0;
}

static int check_values(struct cli_call *call, struct err *err)
{
	for (int o = 0; o < OPT_COUNT; o++)
		if (call->value[o] != NULL && check_value(o, call->value[o], call, err) < 0)
			return -1;
	if (call->value[OPT_GRAPHICS] != NULL &&
	    graphics_mode_parse(call->value[OPT_GRAPHICS], &call->graphics) < 0)
		return err_setk(err, ERR_USAGE, "unknown graphics mode %s",
		                call->value[OPT_GRAPHICS]);
	call->low_bandwidth =
	    call->value[OPT_LOW_BANDWIDTH] != NULL || env_says_yes("ANNOTTY_LOW_BANDWIDTH");
	return 0;
}

static int asks_global(const struct cli_call *call)
{
	return call->value[OPT_HELP] || call->value[OPT_VERSION] || call->value[OPT_LIST_ACTIONS];
}

int cli_parse(int argc, char **argv, struct cli_call *call, struct err *err)
{
	const struct cli_command *c = argc > 1 ? cli_command_first(argv[1]) : NULL;
	struct words ws = {0};
	int used = 0, rc;

	memset(call, 0, sizeof *call);
	if (c != NULL && c->raw) {
		call->cmd = c;
		call->raw = argv + 2;
		call->nraw = argc - 2;
		return 0;
	}
	rc = split_line(argc, argv, call, &ws, err);
	if (ws.n > 0 && cli_command_known(ws.w[0], 0))
		call->topic = cli_command_first(ws.w[0])->name;
	if (rc < 0 || asks_global(call))
		return rc;
	if ((c = choose_command(&ws, call, &used, err)) == NULL)
		return -1;
	if (check_options(c, call, err) < 0 || check_args(c, &ws, used, call, err) < 0 ||
	    check_values(call, err) < 0)
		return -1;
	call->cmd = c;
	return 0;
}
