/* `annotty campaign start [--rate R] SOURCE`: a local campaign on a local dataset, as the
 * review screen's `:campaign start` makes it (cache_campaign_start_local): an annotate and a
 * review step for the user running annotty, and a task for a share of the assets. */
#include "cli/cli.h"
#include "cache/cache.h"
#include "core/err.h"
#include "core/str.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* The words the campaign screen's :campaign start gives a local campaign, so that one started
 * here reads the same in task mode. */
#define LOCAL_INSTRUCTIONS                                                                         \
	"Annotate: fix each shape's extent and label, add what is missing, then s submits. "       \
	"Review: A accepts, R sends it back with a reason."

static int rate_parse(const char *text, double *rate, struct err *err)
{
	char *end = NULL;

	*rate = 1;
	if (text == NULL)
		return 0;
	errno = 0;
	*rate = strtod(text, &end);
	if (errno != 0 || end == text || *end != '\0' || !isfinite(*rate) || *rate <= 0 ||
	    *rate > 1)
		return err_setk(err, ERR_USAGE,
		                "--rate takes the share of the assets to put in the campaign, "
		                "above 0 and at most 1 (0.25 for a quarter), not %s",
		                text);
	return 0;
}

/* The local user: the login name, as the campaign screen takes it. */
static const char *local_user(void)
{
	const char *user = getenv("USER");

	return user != NULL && user[0] != '\0' ? user : "me";
}

int cli_run_campaign(const struct cli_call *call, struct err *err)
{
	struct cli_target t;
	struct campaign_local_spec spec = {.user = local_user(),
	                                   .instructions = LOCAL_INSTRUCTIONS};
	char name[1024], who[256];
	int64_t id;
	int made = 0, rc = -1;

	if (rate_parse(call->value[OPT_RATE], &spec.sample_rate, err) < 0)
		return -1;
	if (cli_target_open(&t, call, 0, err) < 0)
		goto out;
	if (cache_campaign_start_local(t.cache, t.dataset_id, &spec, &id, &made, err) < 0) {
		err_wrap(err, "%s", t.name);
		goto out;
	}
	printf("local campaign started on %s: %d %s for %s in Annotate, then Review\n",
	       str_sanitize(t.name, name, sizeof name), made, cli_plural(made, "task", "tasks"),
	       str_sanitize(spec.user, who, sizeof who));
	printf("annotty ls tasks SOURCE lists them; the review screen's :campaign opens them\n");
	rc = cli_flush_stdout(err) < 0 ? -1 : EXIT_OK;
out:
	cli_target_close(&t);
	return rc;
}
