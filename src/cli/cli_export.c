/* `annotty export --format FORMAT SOURCE OUT`: the dataset with its review and edits, as COCO
 * (a file written whole or not at all, or for OUT "-" standard output) or as a VOC, YOLO or
 * labelme folder, with the images linked or copied beside it on request. */
#include "cli/cli.h"
#include "api/backend.h"
#include "cache/cache.h"
#include "cache/sync.h"
#include "core/err.h"
#include "core/model.h"

#include <stdio.h>

/* The file (or standard output) with the user's review, through a writer of the format
 * asked; the sync engine marks as written exactly the edits it holds. */
static int export_write(struct cli_session *s, const struct cli_call *call, struct err *err)
{
	struct export_options o = {.format = call->value[OPT_FORMAT]};
	struct backend *writer = NULL;
	int rc, written = 0;

	if (call->value[OPT_IMAGES_LINK] != NULL && call->value[OPT_IMAGES_COPY] != NULL)
		return err_setk(err, ERR_USAGE, "--images-link and --images-copy: choose one");
	o.images = call->value[OPT_IMAGES_LINK] != NULL   ? EXPORT_IMAGES_LINK
	           : call->value[OPT_IMAGES_COPY] != NULL ? EXPORT_IMAGES_COPY
	                                                  : EXPORT_IMAGES_NONE;
	if (backend_writer_open(&o, s->backend, &writer, err) < 0)
		return -1;
	rc = sync_export(s->cache, writer, s->dataset_id, call->args[1], &written, err);
	backend_close(&writer);
	if (rc == 0 && written < 0)
		fputs("annotty: the export is complete; the cache cannot be written, so its edits "
		      "stay"
		      " counted as not exported\n",
		      stderr);
	return rc;
}

int cli_run_export(const struct cli_call *call, struct err *err)
{
	struct cli_session s = {0};
	int rc = -1;

	/* the parser checked the format against the table; the writer refuses one it cannot
	 * write (cvat, images) before anything is read */
	struct export_options o = {.format = call->value[OPT_FORMAT]};
	struct backend *probe = NULL;

	if (backend_writer_open(&o, NULL, &probe, err) < 0)
		goto out;
	backend_close(&probe);
	if (cli_session_open(&s, call->args[0], call, err) < 0)
		goto out;
	rc = export_write(&s, call, err);
out:
	cli_session_close(&s);
	return rc;
}
