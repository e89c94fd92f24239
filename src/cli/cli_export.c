/* `annotty export --format coco SOURCE OUT.json`: the dataset with its review and edits, to a
 * file (written whole or not at all) or, for OUT "-", to standard output. */
#include "cli/cli.h"
#include "api/backend.h"
#include "cache/cache.h"
#include "cache/sync.h"
#include "core/err.h"
#include "core/model.h"

#include <stdio.h>

/* The file (or standard output) with the user's review; the sync engine marks as written
 * exactly the edits it holds. */
static int export_write(struct cli_session *s, const char *out_path, struct err *err)
{
	int written = 0;

	if (sync_export(s->cache, s->backend, s->dataset_id, out_path, &written, err) < 0)
		return -1;
	if (written < 0)
		fputs("annotty: the export is complete; the cache cannot be written, so its edits "
		      "stay"
		      " counted as not exported\n",
		      stderr);
	return 0;
}

int cli_run_export(const struct cli_call *call, struct err *err)
{
	struct cli_session s = {0};
	int rc = -1;

	/* the parser checked the format against the table; coco is the one there is */
	if (cli_session_open(&s, call->args[0], call, err) < 0)
		goto out;
	rc = export_write(&s, call->args[1], err);
out:
	cli_session_close(&s);
	return rc;
}
