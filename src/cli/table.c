/* The command table and the option table: the one place a subcommand is declared. Parsing,
 * `annotty help`, the bash completion (through `annotty __complete`) and the man page's
 * synopsis are all read from here. */
#include "cli/cli.h"

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
    [OPT_JSON] = {.name = "json", .help = "machine-readable output (ls, doctor)"},
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
#define SHOW_OPTS (CLI_OPT(OPT_GRAPHICS) | CLI_OPT(OPT_WIDTH) | CLI_OPT(OPT_LOW_BANDWIDTH))

const struct cli_command cli_commands[] = {
    {.name = "",
     .args = {{.name = "SOURCE",
               .kind = CLI_KIND_SOURCE,
               .optional = 1,
               .what = "the dataset (a COCO JSON file, a folder holding one, or demo, the "
                       "default)"}},
     .options = CLI_OPT(OPT_IMAGES) | CLI_OPT(OPT_GRAPHICS) | CLI_OPT(OPT_LOW_BANDWIDTH) |
                CLI_OPT(OPT_FORMAT),
     .summary = "review a dataset in the terminal",
     .run = cli_run_open},
    {.name = "",
     .options = CLI_OPT(OPT_DEMO) | CLI_OPT(OPT_GRAPHICS) | CLI_OPT(OPT_LOW_BANDWIDTH),
     .required = CLI_OPT(OPT_DEMO),
     .summary = "review the bundled demo dataset (written on first use)",
     .run = cli_run_open},
    {.name = "ls",
     .word = "assets",
     .words_are = "what to list",
     .args = {SOURCE_ARG},
     .options = CLI_OPT(OPT_JSON) | CLI_OPT(OPT_IMAGES) | CLI_OPT(OPT_FORMAT),
     .summary = "list the assets: file name, size, shapes, review status, tags",
     .run = cli_run_ls_assets},
    {.name = "ls",
     .word = "labels",
     .words_are = "what to list",
     .args = {SOURCE_ARG},
     .options = CLI_OPT(OPT_JSON) | CLI_OPT(OPT_IMAGES) | CLI_OPT(OPT_FORMAT),
     .summary = "list the labels with the number of shapes of each",
     .run = cli_run_ls_labels},
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
