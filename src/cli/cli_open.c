/* `annotty [SOURCE]`, `annotty --demo` and `annotty --dataset NAME/VERSION`: the review screen
 * over a local source, or over a Picsellia dataset version as the last sync left it in the cache;
 * `annotty` alone opens the sources screen when a platform is configured or the cache holds a
 * dataset (the demo otherwise). With a platform, the sync worker gets its own backends (one
 * per thread) and syncs at the start, on S and every few minutes. */
#include "cli/cli.h"
#include "cli/config.h"
#include "api/backend.h"
#include "cache/cache.h"
#include "cache/sync_worker.h"
#include "core/err.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/str.h"
#include "ui/app.h"
#include "ui/config.h"
#include "ui/term.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IMAGE_LANES 2 /* images fetched at once: the opened one, and the neighbours' */

/* Waits for the terminal's answers, chooses the graphics, says what the import found. */
static int open_prepare(struct app *app, const struct cli_session *s, const struct cli_call *call,
                        struct err *err)
{
	const char *env = getenv("ANNOTTY_GRAPHICS");
	enum graphics_mode wanted = call->graphics;

	if (wanted == GRAPHICS_AUTO && env != NULL && env[0] != '\0' &&
	    graphics_mode_parse(env, &wanted) < 0)
		return err_set(err, "ANNOTTY_GRAPHICS must be sixel, kitty, kitty-tmux, iterm2, "
		                    "blocks, none or auto");
	if (wanted == GRAPHICS_AUTO && (env == NULL || env[0] == '\0'))
		wanted = app->config->graphics; /* the configuration's, under the others */
	theme_set_ascii(call->value[OPT_ASCII] != NULL || theme_locale_ascii());
	/* replies come as soon as the terminal has them; the wait only matters over a slow link
	 * or with a terminal that never answers */
	term_detect(STDOUT_FILENO, 800, &app->caps);
	app->graphics = term_choose_graphics(wanted, &app->caps);
	app->low_bandwidth = call->low_bandwidth || app->config->low_bandwidth;
	log_msg(LOG_INFO, "terminal: DA1 %s, sixel %d, cell %dx%d, graphics %s", app->caps.da1,
	        app->caps.sixel, app->caps.cell_w, app->caps.cell_h,
	        graphics_mode_name(app->graphics));
	if (s->warnings > 0)
		app_error(app, "%d %s in the source (see the log); first: %s", s->warnings,
		          cli_plural(s->warnings, "problem", "problems"), s->first_warning);
	else if (s->imported && s->stats.assets_unchanged + s->stats.assets_updated > 0)
		/* a re-import: say what the source changed, and what of the user's work met it */
		app_message(app, "the source changed: %d updated, %d new, %d gone; %s",
		            s->stats.assets_updated, s->stats.assets_added, s->stats.assets_removed,
		            s->stats.conflicts > 0 ? "edits that met it are conflicts (C)"
		                                   : "your reviews and tags are kept");
	else if (s->imported)
		app_message(app, "imported %d %s, %d %s", app->dataset.asset_count,
		            cli_plural(app->dataset.asset_count, "asset", "assets"),
		            s->imported_shapes, cli_plural(s->imported_shapes, "shape", "shapes"));
	return 0;
}

static int backend_of(const struct cli_remote *r, struct backend **out, struct err *err)
{
	struct backend_locator loc = {
	    .kind = "picsellia",
	    .host = r->host,
	    .organization = r->organization[0] != '\0' ? r->organization : NULL,
	    .token = r->token,
	};

	return backend_open(&loc, out, err);
}

/* The configured platform's sync worker for the review screen, with sync (when not NULL, taken
 * over) as the syncs' backend. 0 without a platform configured and not required. */
static int remote_attach(struct app *app, const struct cli_call *call, struct backend **sync,
                         int required, struct err *err)
{
	struct sync_worker_config cfg = {.nimage = IMAGE_LANES};
	char db[PATH_MAX];
	struct cli_remote r;
	struct err why = {0};
	int rc = -1;

	if (cli_remote_resolve(call, &r, &why) < 0) {
		cli_wipe(&r, sizeof r);
		if (!required && err_kind_of(&why) == ERR_NOT_FOUND)
			return 0;
		*err = why;
		return -1;
	}
	cfg.backend = sync != NULL ? *sync : NULL;
	if (sync != NULL)
		*sync = NULL;
	if ((cfg.backend == NULL && backend_of(&r, &cfg.backend, err) < 0) ||
	    paths_cache_db(db, sizeof db, err) < 0)
		goto out;
	for (int i = 0; i < IMAGE_LANES; i++)
		if (backend_of(&r, &cfg.image_backends[i], err) < 0)
			goto out;
	str_copy(app->remote.label, r.organization[0] ? r.organization : "default organization",
	         sizeof app->remote.label);
	str_copy(app->remote.host, r.host, sizeof app->remote.host);
	str_copy(app->remote.locator, cfg.backend->locator, sizeof app->remote.locator);
	cfg.cache_path = db;
	rc = sync_worker_start(&cfg, &app->remote.worker, err); /* it owns the backends now */
out:
	backend_close(&cfg.backend);
	for (int i = 0; i < IMAGE_LANES; i++)
		backend_close(&cfg.image_backends[i]);
	cli_wipe(&r, sizeof r);
	return rc;
}

static int run_app(struct app *app)
{
	int rc = app_run(app), sig;

	remote_stop(app);
	if (rc < 0)
		return -1;
	/* a quit asked by a signal ends as shells expect of it, the terminal already restored */
	sig = term_quit_signal();
	return sig > 0 ? EXIT_SIGNAL_BASE + sig : EXIT_OK;
}

/* A fresh app on the cache, with the user's configuration (read once per run; --ascii wins
 * over the file). */
static void app_init(struct app *app, struct cache *cache, const struct cli_call *call)
{
	static struct ui_config cfg; /* large: not on the stack */
	static int loaded;

	memset(app, 0, sizeof *app);
	app->cache = cache;
	app->remote.timer_fd = -1;
	if (!loaded) {
		config_load(&cfg);
		loaded = 1;
	}
	if (call->value[OPT_ASCII] != NULL)
		cfg.ascii = 1;
	app->config = &cfg;
}

static int open_review(struct cli_session *s, const struct cli_call *call, struct err *err)
{
	struct app app;
	int rc;

	app_init(&app, s->cache, call);
	app.dataset_id = s->dataset_id;
	if (cache_dataset_get(s->cache, s->dataset_id, &app.dataset, err) < 0)
		return -1;
	if (open_prepare(&app, s, call, err) < 0)
		return -1;
	rc = run_app(&app);
	return rc < 0 ? err_set(err, "the terminal went away") : rc;
}

static int count_source(const struct cache_source_row *r, void *ctx)
{
	(void)r;
	++*(int *)ctx;
	return 0;
}

/* `annotty` alone: the sources screen, when there is something to show on it; 1 (nothing
 * done) when neither a platform is configured nor the cache holds a source. */
static int open_sources(const struct cli_call *call, struct err *err)
{
	struct cli_session s = {.quiet = 1};
	char db[PATH_MAX];
	struct app app;
	int sources = 0, rc = -1;

	if (paths_cache_db(db, sizeof db, err) < 0 || cache_open(db, &s.cache, err) < 0 ||
	    cache_sources_each(s.cache, count_source, &sources, err) < 0)
		goto out;
	app_init(&app, s.cache, call);
	app.start_screen = SCREEN_INDEX_SOURCES;
	if (remote_attach(&app, call, NULL, 0, err) < 0)
		goto out;
	if (app.remote.worker == NULL && sources == 0) {
		rc = 1;
		goto out;
	}
	if (open_prepare(&app, &s, call, err) < 0) {
		remote_stop(&app);
		goto out;
	}
	rc = run_app(&app);
	if (rc < 0)
		err_set(err, "the terminal went away");
out:
	cache_close(&s.cache);
	return rc;
}

/* The synced dataset version from the cache: the review screen works on the cache alone. */
static int open_synced(const struct cli_call *call, struct err *err)
{
	struct cli_remote_session r;
	struct cli_session s = {.quiet = 1};
	int rc = -1;

	if (cli_remote_open(&r, call, err) < 0 ||
	    cli_remote_dataset(&r, call->value[OPT_DATASET], &s.dataset_id, err) < 0)
		goto out;
	s.cache = r.cache;
	{
		struct app app;

		app_init(&app, s.cache, call);
		app.dataset_id = s.dataset_id;
		if (cache_dataset_get(s.cache, s.dataset_id, &app.dataset, err) < 0 ||
		    remote_attach(&app, call, &r.backend, 1, err) < 0)
			goto out;
		if (open_prepare(&app, &s, call, err) < 0) {
			remote_stop(&app);
			goto out;
		}
		rc = run_app(&app);
		if (rc < 0)
			err_set(err, "the terminal went away");
	}
out:
	cli_remote_close(&r);
	return rc;
}

int cli_run_open(const struct cli_call *call, struct err *err)
{
	struct cli_session s = {.quiet = 1};
	int rc = -1;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return err_set(err,
		               "the review screen needs a terminal (try annotty ls for scripts)");
	if (call->value[OPT_DATASET] != NULL)
		return open_synced(call, err);
	if (call->nargs == 0 && call->value[OPT_DEMO] == NULL &&
	    (rc = open_sources(call, err)) != 1)
		return rc;
	rc = -1;
	if (cli_session_open(&s, call->nargs > 0 ? call->args[0] : NULL, call, err) < 0)
		goto out;
	rc = open_review(&s, call, err);
out:
	cli_session_close(&s);
	return rc;
}
