/* The command table and the option table: the one place a subcommand is declared. Parsing,
 * `annotty help`, the bash completion (through `annotty __complete`) and the man page's
 * synopsis are all read from here. */
#include "cli/cli.h"
#include "cli/config.h"

#include <stddef.h>

static const char *const graphics_modes[] = {
    "auto", "sixel", "kitty", "kitty-tmux", "iterm2", "blocks", "none", NULL,
};
static const char *const graphics_aliases[] = {"halfblocks", "half-blocks", NULL};
/* --format: what export writes, or what a source is read as (open, ls, show) */
static const char *const formats[] = {"coco", "voc", "yolo", "labelme", "cvat", "images", NULL};

const struct cli_option cli_options[OPT_COUNT] = {
    [OPT_IMAGES] = {.name = "images",
                    .value = CLI_KIND_DIR,
                    .metavar = "DIR",
                    .help = "where the images are, when not beside the JSON"},
    [OPT_GRAPHICS] = {.name = "graphics",
                      .value = CLI_KIND_CHOICE,
                      .metavar = "MODE",
                      .joined = 1,
                      .choices = graphics_modes,
                      .aliases = graphics_aliases,
                      .noun = "graphics mode",
                      .choices_are = "modes",
                      .help = "sixel, kitty, kitty-tmux, iterm2, blocks, none or auto "
                              "(env ANNOTTY_GRAPHICS)"},
    [OPT_LOW_BANDWIDTH] = {.name = "low-bandwidth",
                           .help = "smaller frames for slow links (env "
                                   "ANNOTTY_LOW_BANDWIDTH=1)"},
    [OPT_DEMO] = {.name = "demo", .help = "open the bundled demo dataset"},
    [OPT_FORMAT] = {.name = "format",
                    .value = CLI_KIND_CHOICE,
                    .metavar = "FORMAT",
                    .choices = formats,
                    .noun = "format",
                    .choices_are = "formats",
                    .help = "export: the format written (coco, voc, yolo, labelme); else the "
                            "format SOURCE is read as (also cvat, images)"},
    [OPT_FROM] = {.name = "from",
                  .value = CLI_KIND_CHOICE,
                  .metavar = "FORMAT",
                  .choices = formats,
                  .noun = "format",
                  .choices_are = "formats",
                  .help = "export: the format SOURCE is read as (default: detected)"},
    [OPT_IMAGES_LINK] = {.name = "images-link",
                         .help = "export: a symbolic link to each image beside the annotations"},
    [OPT_IMAGES_COPY] = {.name = "images-copy",
                         .help = "export: a copy of each image beside the annotations"},
    [OPT_JSON] = {.name = "json",
                  .help = "machine-readable output (ls, sources, sync, doctor), errors as JSON "
                          "too"},
    [OPT_WIDTH] = {.name = "width",
                   .value = CLI_KIND_NUMBER,
                   .metavar = "PX",
                   .min = 16,
                   .max = 10000,
                   .unit = "pixels",
                   .help = "show: the image width in pixels (default: the terminal's)"},
    [OPT_ASSET] = {.name = "asset",
                   .value = CLI_KIND_TEXT,
                   .metavar = "NAME",
                   .help = "show: the asset of SOURCE with that filename"},
    [OPT_DATASET] = {.name = "dataset",
                     .value = CLI_KIND_TEXT,
                     .metavar = "NAME/VERSION",
                     .help = "a dataset version of the Picsellia organization (cars/v1)"},
    [OPT_TAG] = {.name = "tag",
                 .value = CLI_KIND_TEXT,
                 .metavar = "TAG",
                 .repeat = 1,
                 .help = "ls data: only data with this tag (repeat it: any of them)"},
    [OPT_ALL_TAGS] = {.name = "all-tags", .help = "ls data: only data with every --tag given"},
    [OPT_COMMENT] = {.name = "comment",
                     .value = CLI_KIND_TEXT,
                     .metavar = "TEXT",
                     .help = "task reject: the reason, shown to the annotator with the task"},
    [OPT_DURATION] = {.name = "duration",
                      .value = CLI_KIND_NUMBER,
                      .metavar = "SECONDS",
                      .min = 0,
                      .max = 86400,
                      .unit = "seconds",
                      .help = "task: the time spent on the task, sent as the annotation's "
                              "duration (default 0)"},
    [OPT_RATE] = {.name = "rate",
                  .value = CLI_KIND_TEXT,
                  .metavar = "R",
                  .help = "campaign start: the share of the assets to put in it, 0 to 1 "
                          "(default 1: all)"},
    [OPT_FETCH_IMAGES] = {.name = "images",
                          .help = "sync: also fetch the images of the pulled assets"},
    [OPT_CACHE_SIZE] = {.name = "cache-size",
                        .value = CLI_KIND_TEXT,
                        .metavar = "SIZE",
                        .help = "sync: the most the image store may hold (500M, 2G; default 2G)"},
    [OPT_HOST] = {.name = "host",
                  .value = CLI_KIND_TEXT,
                  .metavar = "URL",
                  .help = "the Picsellia host (default " CLI_DEFAULT_HOST "; env PICSELLIA_HOST)"},
    [OPT_ORGANIZATION] = {.name = "organization",
                          .value = CLI_KIND_TEXT,
                          .metavar = "NAME",
                          .help = "the Picsellia organization (env PICSELLIA_ORGANIZATION)"},
    [OPT_ASCII] = {.name = "ascii",
                   .help = "ASCII in place of the glyphs a font may lack (the default when the "
                           "locale has no UTF-8)"},
    [OPT_HELP] = {.name = "help", .letter = 'h', .help = "this help (with a command: its help)"},
    [OPT_VERSION] = {.name = "version", .letter = 'V', .help = "the version"},
    [OPT_LIST_ACTIONS] = {.name = "list-actions",
                          .hidden = 1,
                          .help = "the review screen's actions, one per line, tab-separated"},
};

#define SOURCE_ARG                                                                                 \
	{                                                                                          \
		.name = "SOURCE", .kind = CLI_KIND_SOURCE,                                         \
		.what = "the dataset (a COCO, VOC, YOLO, labelme or CVAT file or folder, a "       \
		        "folder of images, or demo)"                                               \
	}
#define ASSET_ARG                                                                                  \
	{                                                                                          \
		.name = "ASSET", .kind = CLI_KIND_TEXT,                                            \
		.what = "an asset: its id or its file name"                                        \
	}
#define ASSETS_ARG                                                                                 \
	{                                                                                          \
		.name = "ASSET", .kind = CLI_KIND_TEXT, .many = 1,                                 \
		.what = "one or more assets: ids or file names"                                    \
	}
#define TAGS_ARG                                                                                   \
	{                                                                                          \
		.name = "TAG", .kind = CLI_KIND_TEXT, .many = 1, .what = "one or more tags"        \
	}
#define TASK_ARG                                                                                   \
	{                                                                                          \
		.name = "ID", .kind = CLI_KIND_TEXT,                                               \
		.what = "the task: its id (annotty ls tasks) or its asset's file name"             \
	}
#define ID_ARG                                                                                     \
	{                                                                                          \
		.name = "ID", .kind = CLI_KIND_TEXT,                                               \
		.what = "the conflict's number (annotty ls conflicts)"                             \
	}
/* (one token each, so that they pass through EDIT_ROWS as one argument) */
#define TAG_ARGS_LOCAL                                                                             \
	{                                                                                          \
		SOURCE_ARG, ASSET_ARG, TAGS_ARG                                                    \
	}
#define TAG_ARGS_REMOTE                                                                            \
	{                                                                                          \
		ASSET_ARG, TAGS_ARG                                                                \
	}
#define REVIEW_ARGS_LOCAL                                                                          \
	{                                                                                          \
		SOURCE_ARG, ASSETS_ARG                                                             \
	}
#define REVIEW_ARGS_REMOTE                                                                         \
	{                                                                                          \
		ASSETS_ARG                                                                         \
	}
/* A platform source: the organization the environment or the credentials choose. */
#define REMOTE_OPTS (CLI_OPT(OPT_HOST) | CLI_OPT(OPT_ORGANIZATION))
#define LS_REMOTE(w, opts, sum)                                                                    \
	{                                                                                          \
		.name = "ls", .word = (w), .words_are = "what to list",                            \
		.options = CLI_OPT(OPT_JSON) | REMOTE_OPTS | (opts), .summary = (sum),             \
		.run = cli_run_ls_remote                                                           \
	}
#define EDIT_ROWS(cmd, w, args_local, args_remote, sum, fn)                                        \
	{.name = (cmd),                                                                            \
	 .word = (w),                                                                              \
	 .words_are = "what to do",                                                                \
	 .args = args_local,                                                                       \
	 .options = CLI_OPT(OPT_IMAGES),                                                           \
	 .summary = sum " (a local SOURCE)",                                                       \
	 .run = (fn)},                                                                             \
	{                                                                                          \
		.name = (cmd), .word = (w), .words_are = "what to do", .args = args_remote,        \
		.options = CLI_OPT(OPT_DATASET) | REMOTE_OPTS, .required = CLI_OPT(OPT_DATASET),   \
		.summary = sum " (queued for annotty sync)", .run = (fn)                           \
	}
/* A campaign listing: a local SOURCE, or without it the organization's synced campaigns. */
#define LS_CAMPAIGN(w, sum)                                                                        \
	{                                                                                          \
		.name = "ls", .word = (w), .words_are = "what to list",                            \
		.args = {{.name = "SOURCE",                                                        \
		          .kind = CLI_KIND_SOURCE,                                                 \
		          .optional = 1,                                                           \
		          .what = "a local dataset (without it: the Picsellia organization)"}},    \
		.options =                                                                         \
		    CLI_OPT(OPT_JSON) | CLI_OPT(OPT_DATASET) | CLI_OPT(OPT_IMAGES) | REMOTE_OPTS,  \
		.summary = (sum), .run = cli_run_ls_campaign                                       \
	}
/* A task decision, on a local SOURCE or on a synced version (queued for sync). */
#define TASK_ROWS(w, opts, sum)                                                                    \
	{.name = "task",                                                                           \
	 .word = (w),                                                                              \
	 .words_are = "the decision",                                                              \
	 .args = {SOURCE_ARG, TASK_ARG},                                                           \
	 .options = CLI_OPT(OPT_IMAGES) | CLI_OPT(OPT_DURATION) | (opts),                          \
	 .summary = sum " (a local SOURCE)",                                                       \
	 .run = cli_run_task},                                                                     \
	{                                                                                          \
		.name = "task", .word = (w), .words_are = "the decision", .args = {TASK_ARG},      \
		.options = CLI_OPT(OPT_DATASET) | REMOTE_OPTS | CLI_OPT(OPT_DURATION) | (opts),    \
		.required = CLI_OPT(OPT_DATASET), .summary = sum " (queued for annotty sync)",     \
		.run = cli_run_task                                                                \
	}
#define SHOW_OPTS (CLI_OPT(OPT_GRAPHICS) | CLI_OPT(OPT_WIDTH) | CLI_OPT(OPT_LOW_BANDWIDTH))

const struct cli_command cli_commands[] = {
    {.name = "",
     .args = {{.name = "SOURCE",
               .kind = CLI_KIND_SOURCE,
               .optional = 1,
               .what = "the dataset (a COCO JSON file, a folder holding one, or demo, the "
                       "default)"}},
     .options = CLI_OPT(OPT_IMAGES) | CLI_OPT(OPT_GRAPHICS) | CLI_OPT(OPT_LOW_BANDWIDTH) |
                CLI_OPT(OPT_ASCII) | CLI_OPT(OPT_FORMAT),
     .summary = "review a dataset in the terminal",
     .run = cli_run_open},
    {.name = "",
     .options = CLI_OPT(OPT_DEMO) | CLI_OPT(OPT_GRAPHICS) | CLI_OPT(OPT_LOW_BANDWIDTH) |
                CLI_OPT(OPT_ASCII),
     .required = CLI_OPT(OPT_DEMO),
     .summary = "review the bundled demo dataset (written on first use)",
     .run = cli_run_open},
    {.name = "",
     .options = CLI_OPT(OPT_DATASET) | REMOTE_OPTS | CLI_OPT(OPT_GRAPHICS) |
                CLI_OPT(OPT_LOW_BANDWIDTH) | CLI_OPT(OPT_ASCII),
     .required = CLI_OPT(OPT_DATASET),
     .summary = "review a synced Picsellia dataset version (synced while it is open)",
     .run = cli_run_open},
    {.name = "ls",
     .word = "assets",
     .words_are = "what to list",
     .args = {SOURCE_ARG},
     .options = CLI_OPT(OPT_JSON) | CLI_OPT(OPT_IMAGES) | CLI_OPT(OPT_FORMAT),
     .summary = "list the assets: file name, size, shapes, review status, tags",
     .run = cli_run_ls_assets},
    {.name = "ls",
     .word = "assets",
     .words_are = "what to list",
     .options = CLI_OPT(OPT_JSON) | CLI_OPT(OPT_DATASET) | REMOTE_OPTS,
     .required = CLI_OPT(OPT_DATASET),
     .summary = "list a synced dataset version's assets: id, file name, size, shapes, status, "
                "tags",
     .run = cli_run_ls_remote},
    {.name = "ls",
     .word = "labels",
     .words_are = "what to list",
     .args = {SOURCE_ARG},
     .options = CLI_OPT(OPT_JSON) | CLI_OPT(OPT_IMAGES) | CLI_OPT(OPT_FORMAT),
     .summary = "list the labels with the number of shapes of each",
     .run = cli_run_ls_labels},
    {.name = "ls",
     .word = "labels",
     .words_are = "what to list",
     .options = CLI_OPT(OPT_JSON) | CLI_OPT(OPT_DATASET) | REMOTE_OPTS,
     .required = CLI_OPT(OPT_DATASET),
     .summary = "list a synced dataset version's labels with their shape counts",
     .run = cli_run_ls_remote},
    LS_REMOTE("datasets", 0,
              "list the synced datasets: versions, type, assets, review status counts"),
    LS_REMOTE("versions", CLI_OPT(OPT_DATASET),
              "list the synced dataset versions (of one dataset with --dataset NAME)"),
    LS_REMOTE("datalakes", 0, "list the synced datalakes with their data and tag counts"),
    LS_REMOTE("data", CLI_OPT(OPT_TAG) | CLI_OPT(OPT_ALL_TAGS),
              "list the synced datalake data with their tags (--tag: any of, --all-tags: all of)"),
    LS_REMOTE("tags", CLI_OPT(OPT_DATASET),
              "list the datalake's tags, or a dataset version's, with their use counts"),
    LS_CAMPAIGN("campaigns", "list the campaigns: name, version, steps, tasks, instructions"),
    LS_CAMPAIGN("steps", "list the campaign steps in order: type, assignees, tasks per status"),
    LS_CAMPAIGN("tasks", "list my pending tasks, returned ones first, with the reviewer's comment"),
    {.name = "ls",
     .word = "conflicts",
     .words_are = "what to list",
     .args = {{.name = "SOURCE",
               .kind = CLI_KIND_SOURCE,
               .optional = 1,
               .what = "a local dataset (without it: the Picsellia organization)"}},
     .options = CLI_OPT(OPT_JSON) | CLI_OPT(OPT_DATASET) | CLI_OPT(OPT_IMAGES) | REMOTE_OPTS,
     .summary = "list the edits that met a change of the source, with both versions",
     .run = cli_run_ls_conflicts},
    {.name = "ls",
     .word = "sources",
     .words_are = "what to list",
     .options = CLI_OPT(OPT_JSON),
     .summary = "the same as annotty sources",
     .run = cli_run_sources},
    {.name = "export",
     .args = {SOURCE_ARG,
              {.name = "OUT.json",
               .kind = CLI_KIND_FILE,
               .what = "the file to write, or - for standard output"}},
     .options = CLI_OPT(OPT_FORMAT) | CLI_OPT(OPT_IMAGES) | CLI_OPT(OPT_FROM) |
                CLI_OPT(OPT_IMAGES_LINK) | CLI_OPT(OPT_IMAGES_COPY),
     .required = CLI_OPT(OPT_FORMAT),
     .summary = "write the dataset with its review and edits",
     .run = cli_run_export},
    {.name = "show",
     .args = {{.name = "IMAGE", .kind = CLI_KIND_IMAGE, .what = "a JPEG or PNG file"}},
     .options = SHOW_OPTS,
     .summary = "draw an image file on standard output, as the review screen would",
     .run = cli_run_show_file},
    {.name = "show",
     .args = {SOURCE_ARG},
     .options = SHOW_OPTS | CLI_OPT(OPT_ASSET) | CLI_OPT(OPT_IMAGES) | CLI_OPT(OPT_FORMAT),
     .required = CLI_OPT(OPT_ASSET),
     .summary = "draw one asset of SOURCE with its shapes on standard output",
     .run = cli_run_show_asset},
    {.name = "sync",
     .options = CLI_OPT(OPT_FETCH_IMAGES) | CLI_OPT(OPT_CACHE_SIZE) | CLI_OPT(OPT_DATASET) |
                CLI_OPT(OPT_JSON) | REMOTE_OPTS,
     .summary = "send the queued edits to Picsellia and bring its content into the cache",
     .run = cli_run_sync},
    EDIT_ROWS("tag", "add", TAG_ARGS_LOCAL, TAG_ARGS_REMOTE, "add tags to an asset", cli_run_tag),
    EDIT_ROWS("tag", "rm", TAG_ARGS_LOCAL, TAG_ARGS_REMOTE, "remove tags from an asset",
              cli_run_tag),
    EDIT_ROWS("review", "accept", REVIEW_ARGS_LOCAL, REVIEW_ARGS_REMOTE, "accept assets",
              cli_run_review),
    EDIT_ROWS("review", "reject", REVIEW_ARGS_LOCAL, REVIEW_ARGS_REMOTE, "reject assets",
              cli_run_review),
    EDIT_ROWS("review", "reset", REVIEW_ARGS_LOCAL, REVIEW_ARGS_REMOTE,
              "set assets back to pending", cli_run_review),
    TASK_ROWS("submit", 0, "submit an annotate step's task"),
    TASK_ROWS("accept", 0, "accept a review step's task"),
    TASK_ROWS("reject", CLI_OPT(OPT_COMMENT), "send a review step's task back to its annotator"),
    TASK_ROWS("skip", 0, "skip a task (it stays in its step, for nobody)"),
    {.name = "campaign",
     .word = "start",
     .words_are = "what to do",
     .args = {SOURCE_ARG},
     .options = CLI_OPT(OPT_RATE) | CLI_OPT(OPT_IMAGES),
     .summary = "start a local campaign on SOURCE: an annotate and a review step, both yours",
     .run = cli_run_campaign},
    {.name = "conflicts",
     .word = "keep-mine",
     .words_are = "the choice",
     .args = {ID_ARG},
     .summary = "settle a conflict with your version (sent again by the next sync)",
     .run = cli_run_conflicts},
    {.name = "conflicts",
     .word = "take-theirs",
     .words_are = "the choice",
     .args = {ID_ARG},
     .summary = "settle a conflict with the source's version",
     .run = cli_run_conflicts},
    {.name = "cache",
     .word = "rebuild",
     .words_are = "what to do with the cache",
     .options = CLI_OPT(OPT_JSON),
     .summary = "rebuild a damaged cache, keeping what can be read (the old file is kept aside)",
     .run = cli_run_cache_rebuild},
    {.name = "sources",
     .options = CLI_OPT(OPT_JSON),
     .summary = "the datasets opened before and the Picsellia organizations configured",
     .run = cli_run_sources},
    {.name = "login",
     .options = REMOTE_OPTS,
     .summary = "check a Picsellia API token (asked without echo, or read from standard "
                "input) and store it",
     .run = cli_run_login},
    {.name = "logout",
     .options = REMOTE_OPTS,
     .summary = "forget a stored Picsellia token (the latest login's without options)",
     .run = cli_run_logout},
    {.name = "stats",
     .args = {SOURCE_ARG},
     .options = CLI_OPT(OPT_JSON) | CLI_OPT(OPT_IMAGES),
     .summary = "what the dataset holds: review counts, labels, shapes per image, box sizes, tags",
     .run = cli_run_stats},
    {.name = "config",
     .summary = "the configuration in effect (keys, colours, settings) and where it is read from",
     .run = cli_run_config},
    {.name = "doctor",
     .options = CLI_OPT(OPT_GRAPHICS) | CLI_OPT(OPT_JSON),
     .summary = "what annotty detects in the terminal, its files and libraries",
     .run = cli_run_doctor},
    {.name = "help",
     .args = {{.name = "COMMAND",
               .kind = CLI_KIND_COMMAND,
               .optional = 1,
               .what = "the command to explain"}},
     .summary = "this help, or a command's",
     .run = cli_run_help},
    {.name = "__complete", .hidden = 1, .raw = 1, .run = cli_run_complete},
    {.name = "__synopsis", .hidden = 1, .run = cli_run_synopsis},
    {.name = NULL},
};
