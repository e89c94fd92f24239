/* The command line's shared part: the one command table (names, words, arguments, options,
 * summaries, handlers) that parsing, the usage text, completion and the man page's synopsis all
 * read, what a parsed command line holds, and the helpers the subcommands share. */
#ifndef ANNOTTY_CLI_CLI_H
#define ANNOTTY_CLI_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "ui/term.h"

struct backend;
struct cache;
struct err;

/* Exit codes */
enum {
	EXIT_OK = 0,
	EXIT_FAILURE_GENERIC = 1, /* the operation failed (bad input, I/O) */
	EXIT_USAGE = 2,           /* the command line is wrong */
	EXIT_SIGNAL_BASE = 128,   /* 128 + N: ended by signal N (SIGTERM, SIGINT, SIGHUP) */
};

/* The options, in the order the usage text lists them. */
enum cli_opt {
	OPT_IMAGES,
	OPT_GRAPHICS,
	OPT_LOW_BANDWIDTH,
	OPT_DEMO,
	OPT_FORMAT,
	OPT_FROM,
	OPT_IMAGES_LINK,
	OPT_IMAGES_COPY,
	OPT_JSON,
	OPT_WIDTH,
	OPT_ASSET,
	OPT_HELP,
	OPT_VERSION,
	OPT_LIST_ACTIONS,
	OPT_COUNT
};
#define CLI_OPT(o) (1u << (o))
/* Options every command takes: they answer instead of running it. */
#define CLI_OPTS_GLOBAL (CLI_OPT(OPT_HELP) | CLI_OPT(OPT_VERSION) | CLI_OPT(OPT_LIST_ACTIONS))

/* What a word completes to, and what an option's value is. */
enum cli_kind {
	CLI_KIND_NONE,    /* a switch (options), or nothing to complete (free text) */
	CLI_KIND_DIR,     /* a folder */
	CLI_KIND_FILE,    /* any file */
	CLI_KIND_SOURCE,  /* a dataset: a JSON file or a folder */
	CLI_KIND_IMAGE,   /* an image file */
	CLI_KIND_CHOICE,  /* one word of a list */
	CLI_KIND_NUMBER,  /* an integer in a range */
	CLI_KIND_TEXT,    /* free text (nothing to offer) */
	CLI_KIND_COMMAND, /* a command name */
};

struct cli_option {
	const char *name;           /* the long name, without "--" */
	char letter;                /* the short form (-h), or 0 */
	enum cli_kind value;        /* CLI_KIND_NONE for a switch */
	const char *metavar;        /* "DIR", "MODE" */
	int joined;                 /* documented (and completed) as --name=VALUE */
	const char *const *choices; /* CHOICE: the words offered, NULL-terminated */
	const char *const *aliases; /* CHOICE: also accepted, never offered */
	const char *noun;           /* CHOICE: "format" of "unknown format yolo" */
	const char *choices_are;    /* CHOICE: "formats annotty writes" */
	int min, max;               /* NUMBER */
	const char *unit;           /* NUMBER: "pixels" */
	const char *help;
	int hidden; /* neither listed nor completed */
};

/* A word after the command's name (and sub-word). */
struct cli_arg {
	const char *name; /* "SOURCE" */
	enum cli_kind kind;
	int optional;
	const char *what; /* for help and for the message when it is missing */
};

#define CLI_ARGS_MAX  3
#define CLI_WORDS_MAX 16

struct cli_call;

/* One row per form of a command. Rows of one name sit together; the parser takes the first
 * whose sub-word matches and whose required options are all given, so that `show --asset NAME
 * SOURCE` and `show IMAGE` are two rows. */
struct cli_command {
	const char *name;      /* "" for the review screen (annotty [SOURCE]) */
	const char *word;      /* the sub-word ("assets" of "ls assets"), or NULL */
	const char *words_are; /* with word: what the sub-word names ("what to list") */
	struct cli_arg args[CLI_ARGS_MAX];
	unsigned options;  /* CLI_OPT bits it takes (the global ones always) */
	unsigned required; /* CLI_OPT bits it needs */
	const char *summary;
	/* Returns an exit status, or -1 with err filled (an ERR_USAGE error exits 2). */
	int (*run)(const struct cli_call *call, struct err *err);
	int hidden; /* not listed, not completed, not in the synopsis */
	int raw;    /* takes every word after its name as it is (no option parsing) */
};

/* The tables (src/cli/table.c); the command table ends with a row whose name is NULL. */
extern const struct cli_option cli_options[OPT_COUNT];
extern const struct cli_command cli_commands[];

/* A parsed command line. The strings point into argv. */
struct cli_call {
	const struct cli_command *cmd; /* NULL when only a global option was asked */
	const char *topic;             /* the command name its help is under, or NULL */
	const char *args[CLI_ARGS_MAX];
	int nargs;
	const char *value[OPT_COUNT]; /* as given (the last one wins); NULL when absent */
	char **raw;                   /* for a raw command: the words after its name */
	int nraw;
	/* the typed values */
	enum graphics_mode graphics;
	int width;
	int low_bandwidth;
};

/* ---- parse.c ---- */
/* Parses argv against the tables. A wrong line is an ERR_USAGE error saying in one line what
 * is wrong, with call->topic set to the command whose help says more. */
int cli_parse(int argc, char **argv, struct cli_call *call, struct err *err);
/* The option named by "--name" or "-x" (a unique prefix of a long name is taken, as getopt
 * does), or -1. name_len counts the characters of the name. */
int cli_option_find(const char *name, size_t name_len);
/* Whether a row of that name exists (hidden ones included when hidden is set). */
int cli_command_known(const char *name, int hidden);
/* The first row of a name ("" for the review screen), or NULL. */
const struct cli_command *cli_command_first(const char *name);

/* The row of name (and word, for a command that has sub-words) that the given options
 * (CLI_OPT bits) select, or NULL. */
const struct cli_command *cli_command_form(const char *name, const char *word, unsigned given);

/* ---- usage.c ---- */
/* `annotty --help`: every form, the commands, the options. */
void cli_usage(FILE *out);
/* `annotty help NAME`: the forms of that command with their words and options. */
void cli_usage_command(FILE *out, const char *name);
/* One form as the usage text writes it ("annotty ls assets [--json] SOURCE"), into buf. */
void cli_synopsis_line(const struct cli_command *c, char *buf, size_t n);
/* The man page's SYNOPSIS section body (roff), as share/annotty.1 must hold it. */
void cli_synopsis_roff(FILE *out);

/* ---- output.c ---- */
/* "image" or "images" as n asks. */
const char *cli_plural(long n, const char *one, const char *many);
/* Writes s as a JSON string (quotes included) with every control character escaped (C0, DEL
 * and C1) and invalid UTF-8 replaced by U+FFFD. */
void cli_json_string(FILE *out, const char *s);
/* Flushes stdout; -1 with err filled when it could not be written (a full disk, a closed
 * pipe). */
int cli_flush_stdout(struct err *err);

/* ---- libversions.c: static strings, for doctor ---- */
const char *cli_version_jpeg(void);
const char *cli_version_png(void);
const char *cli_version_zlib(void);
const char *cli_version_cjson(void);
const char *cli_version_sixel(void);

/* ---- session.c: an opened source, the cache and the dataset it holds ---- */
struct cli_session {
	struct cache *cache;
	struct backend *backend;
	int64_t dataset_id;
	int imported;        /* the source was (re)imported on opening */
	int imported_shapes; /* shapes read when it was */
	int warnings;
	char first_warning[512];
	int quiet; /* the review screen shows warnings itself */
};
/* Opens the source (a COCO file, a folder holding one, "demo" or --demo) into the cache,
 * importing it when it changed. Warnings go to stderr unless s->quiet. Close with
 * cli_session_close, also after a failure. */
int cli_session_open(struct cli_session *s, const char *source, const struct cli_call *call,
                     struct err *err);
void cli_session_close(struct cli_session *s);

/* ---- the handlers, one file each ---- */
int cli_run_open(const struct cli_call *call, struct err *err);       /* cli_open.c */
int cli_run_ls_assets(const struct cli_call *call, struct err *err);  /* cli_ls.c */
int cli_run_ls_labels(const struct cli_call *call, struct err *err);  /* cli_ls.c */
int cli_run_export(const struct cli_call *call, struct err *err);     /* cli_export.c */
int cli_run_show_asset(const struct cli_call *call, struct err *err); /* cli_show.c */
int cli_run_show_file(const struct cli_call *call, struct err *err);  /* cli_show.c */
int cli_run_doctor(const struct cli_call *call, struct err *err);     /* cli_doctor.c */
int cli_run_help(const struct cli_call *call, struct err *err);       /* cli_help.c */
int cli_run_synopsis(const struct cli_call *call, struct err *err);   /* cli_help.c */
int cli_run_complete(const struct cli_call *call, struct err *err);   /* cli_complete.c */

/* main.c's entry */
int cli_main(int argc, char **argv);

#endif
