/* `annotty cache rebuild`: a damaged cache moved aside (never deleted) and rebuilt with every
 * row that can still be read, the pending edits first among them, with a report of what was
 * kept and lost. */
#include "cli/cli.h"
#include "cache/cache.h"
#include "core/err.h"
#include "core/paths.h"
#include "core/str.h"

#include <limits.h>
#include <stdio.h>

static void report_print(const struct cache_rebuild_report *r, int json)
{
	if (json) {
		fputs("{\"aside\": ", stdout);
		cli_json_string(stdout, r->aside);
		printf(", \"rows_kept\": %ld, \"rows_lost\": %ld, \"pending_kept\": %d,"
		       " \"pending_lost\": %d, \"edits_kept\": %d, \"edits_lost\": %d}\n",
		       r->rows_kept, r->rows_lost, r->pending_kept, r->pending_lost, r->edits_kept,
		       r->edits_lost);
		return;
	}
	printf("rebuilt the cache: %ld %s kept, %ld lost; %d %s not exported or pushed kept, %d "
	       "lost; %d undo %s kept, %d lost\n",
	       r->rows_kept, cli_plural(r->rows_kept, "row", "rows"), r->rows_lost, r->pending_kept,
	       cli_plural(r->pending_kept, "edit", "edits"), r->pending_lost, r->edits_kept,
	       cli_plural(r->edits_kept, "step", "steps"), r->edits_lost);
	printf("the damaged file is kept at %s\n", r->aside);
	puts("open the dataset again to read its source anew");
}

int cli_run_cache_rebuild(const struct cli_call *call, struct err *err)
{
	struct cache_rebuild_report r = {0};
	char path[PATH_MAX];

	if (paths_cache_db(path, sizeof path, err) < 0 || cache_rebuild(path, &r, err) < 0)
		return -1;
	report_print(&r, call->value[OPT_JSON] != NULL);
	return 0;
}
