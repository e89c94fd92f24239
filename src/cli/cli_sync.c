/* `annotty sync [--images] [--dataset NAME/VERSION]`: the queued edits sent to the Picsellia
 * organization and its content brought into the cache (sync_source), with a progress bar on a
 * terminal and plain lines otherwise. The exit status says how far it got: 0 everything pulled
 * and pushed, 1 a failure or edits still waiting, 3 done but conflicts left to settle. */
#include "cli/cli.h"
#include "api/backend.h"
#include "cache/cache.h"
#include "cache/sync.h"
#include "core/err.h"
#include "core/log.h"
#include "core/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXIT_CONFLICTS 3
#define BAR_WIDTH      24

struct progress {
	int tty;
	char what[64];    /* what the counts are of ("assets", "edits") */
	double started;   /* when that began */
	double last_draw; /* terminals are redrawn at most 10 times a second */
	int drawn;        /* a bar is on the line */
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void bar_draw(struct progress *p, int64_t done, int64_t total, double rate)
{
	char bar[BAR_WIDTH + 1];
	int fill = total > 0 ? (int)(done * BAR_WIDTH / (total > done ? total : done)) : 0;

	for (int i = 0; i < BAR_WIDTH; i++)
		bar[i] = i < fill ? '#' : (total > 0 ? '.' : ' ');
	bar[BAR_WIDTH] = '\0';
	if (total > 0)
		fprintf(stderr, "\r\033[K%-8s [%s] %lld/%lld %.0f/s", p->what, bar, (long long)done,
		        (long long)total, rate);
	else
		fprintf(stderr, "\r\033[K%-8s %lld %.0f/s", p->what, (long long)done, rate);
	p->drawn = 1;
}

static void progress_end_line(struct progress *p)
{
	if (p->drawn)
		fputc('\n', stderr);
	p->drawn = 0;
}

static void on_progress(const char *what, int64_t done, int64_t total, void *ctx)
{
	struct progress *p = ctx;
	double t = now_seconds(), rate;
	char clean[64];

	str_sanitize(what, clean, sizeof clean);
	if (strcmp(clean, p->what) != 0) {
		progress_end_line(p);
		str_copy(p->what, clean, sizeof p->what);
		p->started = t;
		p->last_draw = 0;
	}
	rate = t > p->started ? (double)done / (t - p->started) : 0;
	if (!p->tty) {
		if (total >= 0)
			fprintf(stderr, "annotty: %s %lld/%lld\n", p->what, (long long)done,
			        (long long)total);
		else
			fprintf(stderr, "annotty: %s %lld\n", p->what, (long long)done);
		return;
	}
	if (t - p->last_draw < 0.1 && done != total)
		return;
	p->last_draw = t;
	bar_draw(p, done, total, rate);
}

static void on_warning(const char *msg, void *ctx)
{
	struct progress *p = ctx;
	char clean[512];

	progress_end_line(p);
	log_msg(LOG_INFO, "sync: %s", msg);
	fprintf(stderr, "annotty: warning: %s\n", str_sanitize(msg, clean, sizeof clean));
}

/* Conflicts waiting for a choice in the organization's datasets, old ones included. */
static int count_conflicts(const struct cache_version_row *r, void *ctx)
{
	*(int *)ctx += r->conflicts;
	return 0;
}

static void report_text(const struct cli_remote_session *s, const struct sync_report *r,
                        int conflicts_left)
{
	printf("synced %s: %d %s, %lld %s, %lld data; %d %s pushed, %d waiting, %d new %s, %d "
	       "%s fetched\n",
	       s->label, r->versions, cli_plural(r->versions, "version", "versions"),
	       (long long)r->assets, cli_plural(r->assets, "asset", "assets"), (long long)r->data,
	       r->pushed, cli_plural(r->pushed, "edit", "edits"), r->waiting, r->conflicts,
	       cli_plural(r->conflicts, "conflict", "conflicts"), r->images,
	       cli_plural(r->images, "image", "images"));
	if (conflicts_left > 0)
		printf("%d %s to settle: annotty ls conflicts, then annotty conflicts "
		       "keep-mine|take-theirs ID\n",
		       conflicts_left, cli_plural(conflicts_left, "conflict", "conflicts"));
}

static void report_json(const struct sync_report *r, int complete, int conflicts_left,
                        const struct err *err)
{
	printf("{\"complete\": %s, \"versions\": %d, \"assets\": %lld, \"data\": %lld, "
	       "\"pushed\": %d, \"waiting\": %d, \"new_conflicts\": %d, \"conflicts\": %d, "
	       "\"images\": %d, \"error\": ",
	       complete ? "true" : "false", r->versions, (long long)r->assets, (long long)r->data,
	       r->pushed, r->waiting, r->conflicts, conflicts_left, r->images);
	if (err != NULL) {
		fputs("{\"kind\": ", stdout);
		cli_json_string(stdout, err_kind_name(err_kind_of(err)));
		fputs(", \"message\": ", stdout);
		cli_json_string(stdout, err->msg);
		fputs("}", stdout);
	} else {
		fputs("null", stdout);
	}
	fputs("}\n", stdout);
}

/* 0 everything done, 1 a failure or edits left waiting, EXIT_CONFLICTS conflicts to settle
 * (those of earlier syncs included). */
static int sync_status(const struct sync_report *r, int failed, int conflicts_left)
{
	if (failed || r->waiting > 0)
		return EXIT_FAILURE_GENERIC;
	return conflicts_left > 0 ? EXIT_CONFLICTS : EXIT_OK;
}

/* "500M", "2G", "1048576": bytes; -1 for what is none of them. */
static int64_t size_parse(const char *s)
{
	char *end = NULL;
	double v = s != NULL ? strtod(s, &end) : -1;
	int64_t unit = 1;

	if (s == NULL || end == s || !(v > 0))
		return -1;
	switch (*end) {
	case 'k':
	case 'K':
		unit = 1LL << 10;
		end++;
		break;
	case 'm':
	case 'M':
		unit = 1LL << 20;
		end++;
		break;
	case 'g':
	case 'G':
		unit = 1LL << 30;
		end++;
		break;
	case 't':
	case 'T':
		unit = 1LL << 40;
		end++;
		break;
	default:
		break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end != '\0' || v * (double)unit > 9e18)
		return -1;
	return (int64_t)(v * (double)unit);
}

int cli_run_sync(const struct cli_call *call, struct err *err)
{
	struct cli_remote_session s;
	struct progress p = {.tty = isatty(STDERR_FILENO)};
	struct sync_hooks hooks = {
	    .warn = on_warning, .progress = on_progress, .ctx = &p, .eager = 1};
	struct sync_scope scope = {
	    .dataset = call->value[OPT_DATASET],
	    .pull = 1,
	    .push = 1,
	    .images = call->value[OPT_FETCH_IMAGES] != NULL,
	    .datalake = call->value[OPT_DATASET] == NULL,
	};
	struct sync_report rep = {0};
	int json = call->value[OPT_JSON] != NULL, failed, left = 0, rc = -1;

	if (call->value[OPT_CACHE_SIZE] != NULL &&
	    (scope.image_budget = size_parse(call->value[OPT_CACHE_SIZE])) < 0)
		return err_setk(err, ERR_USAGE,
		                "--cache-size takes a size such as 500M or 2G, not %s",
		                call->value[OPT_CACHE_SIZE]);
	if (cli_remote_open(&s, call, err) < 0)
		goto out;
	failed = sync_source(s.cache, s.backend, &scope, &hooks, &rep, err) < 0;
	progress_end_line(&p);
	if (failed)
		err_wrap(err, "sync of %s", s.label);
	if (cache_source_find(s.cache, s.backend->locator, &s.source_id, NULL) > 0)
		cache_versions_each(s.cache, s.source_id, NULL, count_conflicts, &left, NULL);
	if (json)
		report_json(&rep, !failed && rep.waiting == 0 && left == 0, left,
		            failed ? err : NULL);
	else if (!failed)
		report_text(&s, &rep, left);
	rc = sync_status(&rep, failed, left);
	if (!failed && rc == EXIT_FAILURE_GENERIC) {
		char clean[512];

		fprintf(stderr, "annotty: not everything was synced (%d %s waiting): %s\n",
		        rep.waiting, cli_plural(rep.waiting, "edit", "edits"),
		        str_sanitize(rep.last_error[0] ? rep.last_error : "the source did not say",
		                     clean, sizeof clean));
	}
	/* a failure is said on stderr too (as JSON with --json), after what was done */
	if (cli_flush_stdout(failed ? NULL : err) < 0)
		rc = -1;
	else if (failed)
		rc = -1;
out:
	cli_remote_close(&s);
	return rc;
}
