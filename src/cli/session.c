/* Opening a source for a subcommand: the demo when asked for, the cache, the local backend,
 * and a pull that imports the source when it changed. */
#include "cli/cli.h"
#include "api/backend.h"
#include "cache/cache.h"
#include "cache/sync.h"
#include "core/doc_sink.h"
#include "core/err.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/str.h"
#include "demo/demo.h"

#include <limits.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void on_warning(const char *msg, void *ctx)
{
	struct cli_session *s = ctx;
	char clean[512];

	if (s->warnings++ == 0)
		str_copy(s->first_warning, msg, sizeof s->first_warning);
	log_msg(LOG_INFO, "source: %s", msg);
	if (!s->quiet)
		fprintf(stderr, "annotty: warning: %s\n", str_sanitize(msg, clean, sizeof clean));
}

static void demo_progress(int done, int total, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "\rannotty: preparing the demo dataset: %d/%d %s", done, total,
	        cli_plural(total, "image", "images"));
	if (done == total)
		fputc('\n', stderr);
}

static double now_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A progress line on stderr (a terminal): a bar, the counts, the rate and the time left. */
static int import_progress(void *ctx, const struct doc_progress *p)
{
	struct cli_session *s = ctx;
	double now = now_seconds(), frac, rate, left;
	char bar[21];

	if (s->progress_started == 0 || s->progress_phase != p->phase) {
		s->progress_started = now;
		s->progress_phase = p->phase;
	}
	frac = p->total > 0 ? (double)p->done / (double)p->total : 0;
	frac = frac > 1 ? 1 : frac;
	for (int i = 0; i < 20; i++)
		bar[i] = i < (int)(frac * 20) ? '#' : '.';
	bar[20] = '\0';
	rate = now > s->progress_started ? (double)p->assets / (now - s->progress_started) : 0;
	left = frac > 0.01 ? (now - s->progress_started) * (1 - frac) / frac : -1;
	fprintf(stderr, "\rannotty: %s [%s] %3d%%  %lld images, %lld shapes, %.0f images/s",
	        p->phase, bar, (int)(frac * 100), (long long)p->assets, (long long)p->shapes, rate);
	if (left >= 0)
		fprintf(stderr, ", %.0f s left ", left);
	else
		fputs("            ", stderr);
	s->progress_shown = 1;
	return 0;
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

/* "demo" names the demo unless a file or folder of that name is there. */
static int wants_demo(const char *source, const struct cli_call *call)
{
	if (call->value[OPT_DEMO] != NULL || source == NULL)
		return 1;
	return strcmp(source, "demo") == 0 && !paths_is_file(source) && !paths_is_dir(source);
}

/* The format the source is read as: --from on export (whose --format is what it writes),
 * --format elsewhere; NULL: detected. */
static const char *source_format(const struct cli_call *call)
{
	if (call->cmd != NULL && strcmp(call->cmd->name, "export") == 0)
		return call->value[OPT_FROM];
	return call->value[OPT_FORMAT];
}

int cli_session_open(struct cli_session *s, const char *source, const struct cli_call *call,
                     struct err *err)
{
	char db[PATH_MAX], demo_json[PATH_MAX];
	struct pull_result pull = {0};
	struct import_stats stats = {0};
	int rc;

	if (wants_demo(source, call)) {
		if (resolve_demo(demo_json, sizeof demo_json, err) < 0)
			return -1;
		source = demo_json;
	}
	if (paths_cache_db(db, sizeof db, err) < 0 || cache_open(db, &s->cache, err) < 0)
		return -1;
	if (backend_open_local_as(source, source_format(call), call->value[OPT_IMAGES], &s->backend,
	                          err) < 0)
		return -1;
	struct sync_pull_opts o = {.warn = on_warning, .warn_ctx = s};

	if (isatty(STDERR_FILENO)) {
		o.progress = import_progress;
		o.progress_ctx = s;
	}
	rc = sync_pull_with(s->cache, s->backend, &pull, &stats, &o, err);
	if (s->progress_shown)
		fputs("\r\033[K", stderr); /* the line is cleared: what follows starts clean */
	if (rc < 0)
		return -1;
	s->dataset_id = pull.dataset_id;
	s->imported = pull.imported;
	s->imported_shapes = stats.shapes;
	s->stats = stats;
	return 0;
}

void cli_session_close(struct cli_session *s)
{
	backend_close(&s->backend);
	cache_close(&s->cache);
}
