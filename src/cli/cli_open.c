/* `annotty [SOURCE]`, `annotty --demo` and `annotty --dataset NAME/VERSION`: the review screen
 * over a local source, or over a Picsellia dataset version as the last sync left it in the cache
 * (its edits are queued for annotty sync). */
#include "cli/cli.h"
#include "cache/cache.h"
#include "core/err.h"
#include "core/log.h"
#include "ui/app.h"
#include "ui/term.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	/* replies come as soon as the terminal has them; the wait only matters over a slow link
	 * or with a terminal that never answers */
	term_detect(STDOUT_FILENO, 800, &app->caps);
	app->graphics = term_choose_graphics(wanted, &app->caps);
	app->low_bandwidth = call->low_bandwidth;
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

static int open_review(struct cli_session *s, const struct cli_call *call, struct err *err)
{
	struct app app;
	int rc, sig;

	memset(&app, 0, sizeof app);
	app.cache = s->cache;
	app.dataset_id = s->dataset_id;
	if (cache_dataset_get(s->cache, s->dataset_id, &app.dataset, err) < 0)
		return -1;
	if (open_prepare(&app, s, call, err) < 0)
		return -1;
	rc = app_run(&app);
	if (rc < 0)
		return err_set(err, "the terminal went away");
	/* a quit asked by a signal ends as shells expect of it, the terminal already restored */
	sig = term_quit_signal();
	return sig > 0 ? EXIT_SIGNAL_BASE + sig : EXIT_OK;
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
	rc = open_review(&s, call, err);
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
	if (cli_session_open(&s, call->nargs > 0 ? call->args[0] : NULL, call, err) < 0)
		goto out;
	rc = open_review(&s, call, err);
out:
	cli_session_close(&s);
	return rc;
}
