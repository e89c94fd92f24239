/* The command line's shared part: the one command table (names, words, arguments, options,
 * summaries, handlers) that parsing, the usage text, completion and the man page's synopsis all
 * read, what a parsed command line holds, and the helpers the subcommands share. */
#ifndef ANNOTTY_CLI_CLI_H
#define ANNOTTY_CLI_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "cache/cache.h"
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
	OPT_DATASET,
	OPT_TAG,
	OPT_ALL_TAGS,
	OPT_COMMENT,
	OPT_DURATION,
	OPT_RATE,
	OPT_FETCH_IMAGES,
	OPT_CACHE_SIZE,
	OPT_HOST,
	OPT_ORGANIZATION,
	OPT_ASCII,
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
	int repeat; /* may be given several times (--tag a --tag b): every value is kept */
};

/* A word after the command's name (and sub-word). */
struct cli_arg {
	const char *name; /* "SOURCE" */
	enum cli_kind kind;
	int optional;
	const char *what; /* for help and for the message when it is missing */
	int many;         /* the last argument: one or more words (TAG...) */
};

#define CLI_ARGS_MAX   3
#define CLI_WORDS_MAX  1024 /* words on one command line besides the options */
#define CLI_REPEAT_MAX 32   /* values of one repeatable option */

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
	const struct cli_command *cmd;   /* NULL when only a global option was asked */
	const char *topic;               /* the command name its help is under, or NULL */
	const char *args[CLI_WORDS_MAX]; /* an argument that takes many words fills the rest */
	int nargs;
	const char *value[OPT_COUNT]; /* as given (the last one wins); NULL when absent */
	const char *repeated[OPT_COUNT][CLI_REPEAT_MAX]; /* every value of a repeatable option */
	int nrepeated[OPT_COUNT];
	char **raw; /* for a raw command: the words after its name */
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
/* The same, choosing among options of one name the one in takes (CLI_OPT bits). */
int cli_option_find_in(const char *name, size_t name_len, unsigned takes);
/* The options (CLI_OPT bits) of every form of the command name (the review screen's for NULL or
 * a word that names no command), the global ones included. */
unsigned cli_command_takes(const char *name);
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
/* Writes err to stderr as {"error": {"kind": ..., "message": ...}} on one line. */
void cli_json_error(FILE *out, const struct err *err);
/* Writes JSON text (as cJSON prints it) through the strict writer (core/json_out.h). */
int cli_json_raw(FILE *out, const char *json, struct err *err);

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
	int imported;              /* the source was (re)imported on opening */
	int imported_shapes;       /* shapes read when it was */
	struct import_stats stats; /* what the (re)import found */
	int warnings;
	char first_warning[512];
	int quiet; /* the review screen shows warnings itself */
	/* the import's progress line on stderr */
	double progress_started;
	const char *progress_phase;
	int progress_shown;
};
/* Opens the source (a COCO file, a folder holding one, "demo" or --demo) into the cache,
 * importing it when it changed. Warnings go to stderr unless s->quiet. Close with
 * cli_session_close, also after a failure. */
int cli_session_open(struct cli_session *s, const char *source, const struct cli_call *call,
                     struct err *err);
void cli_session_close(struct cli_session *s);

/* ---- cli_ls.c ---- */
/* Writes the dataset's labels with their shape counts (text lines, or the objects of a JSON
 * array without its brackets); *count is how many. */
int cli_ls_labels(struct cache *cache, int64_t dataset_id, int json, long *count, struct err *err);

/* ---- remote.c: a configured platform source and what the cache holds of it ---- */
struct cli_remote_session {
	struct cache *cache;
	struct backend *backend;
	int64_t source_id; /* 0 until something of it was synced */
	char label[1400];  /* "demo-org at https://app.picsellia.com", for messages */
};
/* Opens the organization cli_remote_resolve chooses (the token is wiped from annotty's own
 * buffers once the backend holds it) and the cache. Nothing goes over the network. Close
 * with cli_remote_close, also after a failure. */
int cli_remote_open(struct cli_remote_session *s, const struct cli_call *call, struct err *err);
void cli_remote_close(struct cli_remote_session *s);
/* The cache dataset of "NAME/VERSION" in the source: ERR_NOT_FOUND, saying what to sync, when
 * the cache has none. */
int cli_remote_dataset(struct cli_remote_session *s, const char *name, int64_t *dataset_id,
                       struct err *err);
/* The source as it is cached: ERR_NOT_FOUND, saying to sync, when nothing of it is. */
int cli_remote_need_cached(const struct cli_remote_session *s, struct err *err);

/* ---- target.c: a local SOURCE or a synced dataset version of the organization ---- */
struct cli_target {
	struct cli_session local;
	struct cli_remote_session remote;
	int is_remote;
	struct cache *cache;
	int64_t source_id;  /* remote: the organization's source; local: 0 (any) */
	int64_t dataset_id; /* 0: every dataset of the organization (no --dataset given) */
	int first;          /* the index in call->args of the first word after SOURCE */
	char name[512];     /* the dataset's name ("cars/v1", the file's), or the organization's */
};
/* Opens what the command line names: a local SOURCE when the row's first argument is one and
 * it was given, else the organization's cache (with --dataset, its version; with need_dataset
 * set, --dataset is required). SOURCE and --dataset together are an ERR_USAGE error. Close with
 * cli_target_close, also after a failure. */
int cli_target_open(struct cli_target *t, const struct cli_call *call, int need_dataset,
                    struct err *err);
void cli_target_close(struct cli_target *t);

/* ---- the handlers, one file each ---- */
int cli_run_open(const struct cli_call *call, struct err *err);          /* cli_open.c */
int cli_run_ls_assets(const struct cli_call *call, struct err *err);     /* cli_ls.c */
int cli_run_ls_labels(const struct cli_call *call, struct err *err);     /* cli_ls.c */
int cli_run_export(const struct cli_call *call, struct err *err);        /* cli_export.c */
int cli_run_show_asset(const struct cli_call *call, struct err *err);    /* cli_show.c */
int cli_run_show_file(const struct cli_call *call, struct err *err);     /* cli_show.c */
int cli_run_doctor(const struct cli_call *call, struct err *err);        /* cli_doctor.c */
int cli_run_help(const struct cli_call *call, struct err *err);          /* cli_help.c */
int cli_run_synopsis(const struct cli_call *call, struct err *err);      /* cli_help.c */
int cli_run_complete(const struct cli_call *call, struct err *err);      /* cli_complete.c */
int cli_run_login(const struct cli_call *call, struct err *err);         /* cli_login.c */
int cli_run_logout(const struct cli_call *call, struct err *err);        /* cli_login.c */
int cli_run_sources(const struct cli_call *call, struct err *err);       /* cli_sources.c */
int cli_run_sync(const struct cli_call *call, struct err *err);          /* cli_sync.c */
int cli_run_ls_remote(const struct cli_call *call, struct err *err);     /* cli_ls_remote.c */
int cli_run_ls_conflicts(const struct cli_call *call, struct err *err);  /* cli_conflicts.c */
int cli_run_conflicts(const struct cli_call *call, struct err *err);     /* cli_conflicts.c */
int cli_run_tag(const struct cli_call *call, struct err *err);           /* cli_edit.c */
int cli_run_review(const struct cli_call *call, struct err *err);        /* cli_edit.c */
int cli_run_ls_campaign(const struct cli_call *call, struct err *err);   /* cli_ls_campaign.c */
int cli_run_task(const struct cli_call *call, struct err *err);          /* cli_task.c */
int cli_run_campaign(const struct cli_call *call, struct err *err);      /* cli_campaign.c */
int cli_run_cache_rebuild(const struct cli_call *call, struct err *err); /* cli_cache.c */
int cli_run_stats(const struct cli_call *call, struct err *err);         /* cli_stats.c */
int cli_run_config(const struct cli_call *call, struct err *err);        /* cli_config.c */

/* main.c's entry */
int cli_main(int argc, char **argv);

#endif
