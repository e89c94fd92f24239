/* `annotty export --format coco SOURCE OUT.json`: the dataset with its review and edits, to a
 * file (written whole or not at all) or, for OUT "-", to standard output. */
#include "cli/cli.h"
#include "api/backend.h"
#include "api/local/coco.h"
#include "cache/cache.h"
#include "core/err.h"
#include "core/model.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int export_stdout(const struct dataset_doc *doc, struct err *err)
{
	char *text = NULL;
	int rc = -1;

	if (coco_serialize(doc, &text, err) < 0)
		goto out;
	if (term_write_all(STDOUT_FILENO, text, strlen(text)) < 0) {
		err_setk(err, ERR_IO, "cannot write the export to standard output");
		goto out;
	}
	rc = 0;
out:
	free(text);
	return rc;
}

static int export_write(struct cli_session *s, const char *out_path, struct err *err)
{
	struct dataset_doc *doc = NULL;
	int rc = -1;

	if (cache_export_doc(s->cache, s->dataset_id, &doc, err) < 0)
		goto out;
	if (strcmp(out_path, "-") == 0 ? export_stdout(doc, err) < 0
	                               : backend_save(s->backend, doc, out_path, err) < 0)
		goto out;
	/* for a local dataset the export is where its edits go: they are no longer pending */
	if (cache_outbox_mark_pushed(s->cache, s->dataset_id, NULL, err) < 0)
		goto out;
	rc = 0;
out:
	dataset_doc_free(&doc);
	return rc;
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
