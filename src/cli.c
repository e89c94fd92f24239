/* The command line: `annotty [SOURCE]` opens the TUI; `ls`, `export`, `show` and
 * `doctor` are for scripts. */
#include "cli.h"
#include "cli_show.h"
#include "api/backend.h"
#include "cache/cache.h"
#include "cache/sync.h"
#include "core/err.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/str.h"
#include "demo/demo.h"
#include "ui/actions.h"
#include "ui/app.h"
#include "ui/term.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct options {
	const char *images_dir;
	const char *format;
	enum graphics_mode graphics;
	int json;
	int demo;
	int width;
	const char *asset;
	int low_bandwidth;
};

/* An opened source: the cache and the dataset it holds. */
struct session {
	struct cache *cache;
	struct backend *backend;
	int64_t dataset_id;
	struct pull_result pull;
	struct import_stats stats;
	int warnings;
	char first_warning[512];
	int quiet; /* the TUI shows warnings itself */
};

static void usage(FILE *out)
{
	fputs("usage: annotty [OPTIONS] [SOURCE]      review a dataset in the terminal\n"
	      "       annotty --demo                  open the bundled demo dataset\n"
	      "       annotty ls assets [--json] [--images DIR] SOURCE\n"
	      "       annotty ls labels [--json] SOURCE\n"
	      "       annotty export --format coco [--images DIR] SOURCE OUT.json\n"
	      "       annotty show [--graphics=MODE] [--width PX] [--low-bandwidth] IMAGE\n"
	      "       annotty show [--graphics=MODE] [--width PX] [--low-bandwidth] --asset NAME "
	      "SOURCE\n"
	      "       annotty doctor                  what annotty detects, its files\n"
	      "\n"
	      "SOURCE is a COCO JSON file or a folder holding one (or 'demo').\n"
	      "\n"
	      "options:\n"
	      "  --images DIR        where the images are, when not beside the JSON\n"
	      "  --graphics=MODE     sixel, kitty, kitty-tmux, iterm2, blocks, none or auto (env "
	      "ANNOTTY_GRAPHICS)\n"
	      "  --json              machine-readable output (ls)\n"
	      "  --format FORMAT     export format (coco)\n"
	      "  --width PX          show: the image width in pixels (default: the terminal's)\n"
	      "  --asset NAME        show: the asset of SOURCE with that filename\n"
	      "  --low-bandwidth     smaller frames for slow links (env ANNOTTY_LOW_BANDWIDTH=1)\n"
	      "  -h, --help          this help\n"
	      "  -V, --version       the version\n"
	      "\n"
	      "The cache lives in $XDG_CACHE_HOME/annotty/cache.db (override: ANNOTTY_CACHE).\n"
	      "Press ? inside annotty for the keys. Exit status: 0 ok, 1 failure, 2 usage.\n",
	      out);
}

static void on_warning(const char *msg, void *ctx)
{
	struct session *s = ctx;
	char clean[512];

	if (s->warnings++ == 0)
		str_copy(s->first_warning, msg, sizeof s->first_warning);
	log_msg(LOG_INFO, "source: %s", msg);
	if (!s->quiet)
		fprintf(stderr, "annotty: warning: %s\n", str_sanitize(msg, clean, sizeof clean));
}

static void demo_progress(int done, int total, void *ctx)
{
	fprintf(stderr, "\rannotty: preparing the demo dataset: %d/%d images", done, total);
	if (done == total)
		fputc('\n', stderr);
}

static int resolve_demo(char *json, size_t jsonsz, struct err *err)
{
	char dir[PATH_MAX];
	int show = isatty(STDERR_FILENO);

	if (paths_data_dir("demo", dir, sizeof dir, err) < 0)
		return -1;
	if (show && !demo_is_complete(dir))
		fprintf(stderr, "annotty: writing the demo dataset to %s (once)\n", dir);
	return demo_ensure_progress(dir, json, jsonsz, show ? demo_progress : NULL, NULL, err);
}

static int session_open(struct session *s, const char *source, const struct options *opt,
                        struct err *err)
{
	char db[PATH_MAX], demo_json[PATH_MAX];

	if (opt->demo || (source != NULL && strcmp(source, "demo") == 0 && !paths_is_file(source) &&
	                  !paths_is_dir(source))) {
		if (resolve_demo(demo_json, sizeof demo_json, err) < 0)
			return -1;
		source = demo_json;
	}
	if (paths_cache_db(db, sizeof db, err) < 0 || cache_open(db, &s->cache, err) < 0)
		return -1;
	if (backend_open_local(source, opt->images_dir, &s->backend, err) < 0)
		return -1;
	if (sync_pull(s->cache, s->backend, &s->pull, &s->stats, on_warning, s, err) < 0)
		return -1;
	s->dataset_id = s->pull.dataset_id;
	return 0;
}

static void session_close(struct session *s)
{
	backend_close(&s->backend);
	cache_close(&s->cache);
}

static void json_add_tags(cJSON *obj, const struct asset_detail *d)
{
	cJSON *tags = cJSON_AddArrayToObject(obj, "tags");

	for (int i = 0; i < d->ntags; i++)
		cJSON_AddItemToArray(tags, cJSON_CreateString(d->tags[i]));
}

static cJSON *asset_json(const struct asset_detail *d)
{
	cJSON *obj = cJSON_CreateObject();

	cJSON_AddStringToObject(obj, "filename", d->filename);
	cJSON_AddNumberToObject(obj, "width", d->width);
	cJSON_AddNumberToObject(obj, "height", d->height);
	cJSON_AddNumberToObject(obj, "shape_count", d->nshapes);
	cJSON_AddStringToObject(obj, "status", review_status_name(d->status));
	json_add_tags(obj, d);
	if (d->path[0])
		cJSON_AddStringToObject(obj, "path", d->path);
	else
		cJSON_AddNullToObject(obj, "path");
	return obj;
}

static void print_asset_line(const struct asset_detail *d)
{
	char name[1024], tags[1024] = "", clean[1024];

	for (int i = 0; i < d->ntags; i++) {
		if (i)
			strncat(tags, ",", sizeof tags - strlen(tags) - 1);
		strncat(tags, d->tags[i], sizeof tags - strlen(tags) - 1);
	}
	printf("%s\t%dx%d\t%d\t%s\t%s\n", str_sanitize(d->filename, name, sizeof name), d->width,
	       d->height, d->nshapes, review_status_name(d->status),
	       str_sanitize(tags, clean, sizeof clean));
}

/* Visits every asset of the dataset in filename order, a page at a time. */
static int for_each_asset(struct session *s, int (*fn)(const struct asset_detail *, void *),
                          void *ctx, struct err *err)
{
	struct asset_query q = {.dataset_id = s->dataset_id};
	struct asset_cursor from = {0};
	struct asset_row rows[256];
	struct asset_detail d;
	int n;

	do {
		if (cache_assets_page(s->cache, &q, &from, 0, rows, 256, &n, err) < 0)
			return -1;
		for (int i = 0; i < n; i++) {
			if (cache_asset_get(s->cache, rows[i].id, &d, err) < 0)
				return -1;
			fn(&d, ctx);
			cache_asset_detail_free(&d);
		}
		if (n > 0)
			from = rows[n - 1].cursor;
	} while (n == 256);
	return 0;
}

static int add_json_asset(const struct asset_detail *d, void *ctx)
{
	cJSON_AddItemToArray(ctx, asset_json(d));
	return 0;
}

static int print_text_asset(const struct asset_detail *d, void *ctx)
{
	print_asset_line(d);
	return 0;
}

static int cmd_ls_assets(struct session *s, const struct options *opt, struct err *err)
{
	cJSON *arr;
	char *text;

	if (!opt->json)
		return for_each_asset(s, print_text_asset, NULL, err);
	arr = cJSON_CreateArray();
	if (for_each_asset(s, add_json_asset, arr, err) < 0) {
		cJSON_Delete(arr);
		return -1;
	}
	text = cJSON_Print(arr);
	cJSON_Delete(arr);
	if (text == NULL)
		return err_set(err, "out of memory");
	puts(text);
	free(text);
	return 0;
}

static int cmd_ls_labels(struct session *s, const struct options *opt, struct err *err)
{
	static struct label_row rows[4096];
	char clean[512];
	int n;
	cJSON *arr;
	char *text;

	if (cache_labels_list(s->cache, s->dataset_id, rows, 4096, &n, err) < 0)
		return -1;
	if (!opt->json) {
		for (int i = 0; i < n; i++)
			printf("%s\t%d\n", str_sanitize(rows[i].name, clean, sizeof clean),
			       rows[i].shape_count);
		return 0;
	}
	arr = cJSON_CreateArray();
	for (int i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", rows[i].name);
		cJSON_AddNumberToObject(o, "shape_count", rows[i].shape_count);
		cJSON_AddItemToArray(arr, o);
	}
	text = cJSON_Print(arr);
	cJSON_Delete(arr);
	puts(text ? text : "[]");
	free(text);
	return 0;
}

static int cmd_export(struct session *s, const char *out_path, struct err *err)
{
	struct dataset_doc *doc = NULL;
	int rc = -1;

	if (cache_export_doc(s->cache, s->dataset_id, &doc, err) < 0)
		goto out;
	if (backend_save(s->backend, doc, out_path, err) < 0)
		goto out;
	/* for a local dataset the export is where its edits go: they are no longer pending */
	if (cache_outbox_mark_pushed(s->cache, s->dataset_id, NULL, err) < 0)
		goto out;
	rc = 0;
out:
	dataset_doc_free(&doc);
	return rc;
}

static void open_log(void)
{
	char logpath[PATH_MAX];
	struct err err;

	if (paths_log_file(logpath, sizeof logpath, &err) == 0)
		log_open(logpath);
}

static int cmd_tui(struct session *s, const struct options *opt, struct err *err)
{
	struct app app;
	const char *env = getenv("ANNOTTY_GRAPHICS");
	enum graphics_mode wanted = opt->graphics;
	int rc;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return err_set(err,
		               "the review screen needs a terminal (try annotty ls for scripts)");
	memset(&app, 0, sizeof app);
	app.cache = s->cache;
	app.dataset_id = s->dataset_id;
	if (cache_dataset_get(s->cache, s->dataset_id, &app.dataset, err) < 0)
		return -1;
	if (wanted == GRAPHICS_AUTO && env != NULL && env[0] != '\0' &&
	    graphics_mode_parse(env, &wanted) < 0)
		return err_set(err, "ANNOTTY_GRAPHICS must be sixel, kitty, kitty-tmux, iterm2, "
		                    "blocks, none or auto");
	/* replies come as soon as the terminal has them; the wait only matters over a slow link
	 * or with a terminal that never answers */
	term_detect(STDOUT_FILENO, 800, &app.caps);
	app.graphics = term_choose_graphics(wanted, &app.caps);
	app.low_bandwidth = opt->low_bandwidth;
	log_msg(LOG_INFO, "terminal: DA1 %s, sixel %d, cell %dx%d, graphics %s", app.caps.da1,
	        app.caps.sixel, app.caps.cell_w, app.caps.cell_h, graphics_mode_name(app.graphics));
	if (s->warnings > 0)
		app_error(&app, "%d problem%s in the source (see the log); first: %s", s->warnings,
		          s->warnings == 1 ? "" : "s", s->first_warning);
	else if (s->pull.imported)
		app_message(&app, "imported %d assets, %d shapes", app.dataset.asset_count,
		            s->stats.shapes);
	rc = app_run(&app);
	return rc < 0 ? err_set(err, "the terminal went away") : 0;
}

/* An environment switch: set, and not "0", "no" or "off". */
static int env_says_yes(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' && strcmp(v, "0") != 0 && strcasecmp(v, "no") != 0 &&
	       strcasecmp(v, "off") != 0;
}

static int parse_options(int argc, char **argv, struct options *opt)
{
	static const struct option longopts[] = {
	    {"images", required_argument, NULL, 'i'}, {"graphics", required_argument, NULL, 'g'},
	    {"json", no_argument, NULL, 'j'},         {"format", required_argument, NULL, 'f'},
	    {"demo", no_argument, NULL, 'd'},         {"width", required_argument, NULL, 'w'},
	    {"asset", required_argument, NULL, 'a'},  {"low-bandwidth", no_argument, NULL, 'b'},
	    {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
	    {"list-actions", no_argument, NULL, 'L'}, {NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			opt->images_dir = optarg;
			break;
		case 'g':
			if (graphics_mode_parse(optarg, &opt->graphics) < 0) {
				fprintf(
				    stderr,
				    "annotty: --graphics takes sixel, kitty, kitty-tmux, iterm2, "
				    "blocks, none or auto\n");
				return EXIT_USAGE;
			}
			break;
		case 'j':
			opt->json = 1;
			break;
		case 'f':
			opt->format = optarg;
			break;
		case 'd':
			opt->demo = 1;
			break;
		case 'w':
			opt->width = atoi(optarg);
			if (opt->width < 16 || opt->width > 10000) {
				fprintf(stderr, "annotty: --width takes 16 to 10000 pixels\n");
				return EXIT_USAGE;
			}
			break;
		case 'a':
			opt->asset = optarg;
			break;
		case 'b':
			opt->low_bandwidth = 1;
			break;
		case 'h':
			usage(stdout);
			return -1;
		case 'V':
			printf("annotty %s\n", PACKAGE_VERSION);
			return -1;
		case 'L':
			actions_print(stdout);
			return -1;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	return 0;
}

/* What the words after the options ask for. */
struct command {
	enum { CMD_TUI, CMD_LS_ASSETS, CMD_LS_LABELS, CMD_EXPORT, CMD_SHOW, CMD_DOCTOR } kind;
	const char *source;
	const char *out;
};

static int parse_command(int argc, char **argv, const struct options *opt, struct command *cmd)
{
	int n = argc - optind;
	char **w = argv + optind;

	memset(cmd, 0, sizeof *cmd);
	if (n >= 1 && strcmp(w[0], "ls") == 0) {
		if (n != 3 || (strcmp(w[1], "assets") != 0 && strcmp(w[1], "labels") != 0))
			return -1;
		cmd->kind = strcmp(w[1], "assets") == 0 ? CMD_LS_ASSETS : CMD_LS_LABELS;
		cmd->source = w[2];
		return 0;
	}
	if (n >= 1 && strcmp(w[0], "export") == 0) {
		if (n != 3 || opt->format == NULL || strcmp(opt->format, "coco") != 0)
			return -1;
		cmd->kind = CMD_EXPORT;
		cmd->source = w[1];
		cmd->out = w[2];
		return 0;
	}
	if (n >= 1 && (strcmp(w[0], "show") == 0 || strcmp(w[0], "doctor") == 0)) {
		cmd->kind = w[0][0] == 's' ? CMD_SHOW : CMD_DOCTOR;
		cmd->source = w[n - 1];
		return n == (cmd->kind == CMD_SHOW ? 2 : 1) ? 0 : -1;
	}
	if (n > 1)
		return -1;
	cmd->kind = CMD_TUI;
	cmd->source = n == 1 ? w[0] : "demo"; /* with no source, the demo */
	return 0;
}

static int run_command(const struct command *cmd, const struct options *opt, struct err *err)
{
	struct session s = {0};
	struct show_options show = {opt->graphics, opt->width, opt->low_bandwidth};
	int rc = -1;

	s.quiet = cmd->kind == CMD_TUI;
	if (cmd->kind == CMD_DOCTOR)
		return cli_doctor(opt->graphics, err);
	if (cmd->kind == CMD_SHOW && opt->asset == NULL)
		return cli_show_file(cmd->source, &show, err);
	if (session_open(&s, cmd->source, opt, err) < 0)
		goto out;
	switch (cmd->kind) {
	case CMD_LS_ASSETS:
		rc = cmd_ls_assets(&s, opt, err);
		break;
	case CMD_LS_LABELS:
		rc = cmd_ls_labels(&s, opt, err);
		break;
	case CMD_EXPORT:
		rc = cmd_export(&s, cmd->out, err);
		break;
	case CMD_SHOW:
		rc = cli_show_asset(s.cache, s.dataset_id, opt->asset, &show, err);
		break;
	default:
		rc = cmd_tui(&s, opt, err);
		break;
	}
out:
	session_close(&s);
	return rc;
}

int cli_main(int argc, char **argv)
{
	struct options opt = {0};
	struct command cmd;
	struct err err;
	char clean[ERR_MSG_MAX * 2];
	int rc;

	setlocale(LC_ALL, "");
	rc = parse_options(argc, argv, &opt);
	if (env_says_yes("ANNOTTY_LOW_BANDWIDTH"))
		opt.low_bandwidth = 1;
	if (rc != 0)
		return rc < 0 ? EXIT_OK : rc;
	if (parse_command(argc, argv, &opt, &cmd) < 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	open_log();
	err_clear(&err);
	if (run_command(&cmd, &opt, &err) < 0) {
		fprintf(stderr, "annotty: %s\n", str_sanitize(err.msg, clean, sizeof clean));
		log_close();
		return EXIT_FAILURE_GENERIC;
	}
	log_close();
	return EXIT_OK;
}
