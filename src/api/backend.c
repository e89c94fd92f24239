/* Opening a source through the table of backends, and the calls every backend is used
 * through (see backend.h). */
#include "api/backend.h"
#include "api/registry.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/model.h"
#include "core/paths.h"
#include "core/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct backend_factory {
	const char *kind;
	const char *what;                /* for the list of formats in messages */
	int remote;                      /* opened from a host, else from a path */
	int (*detect)(const char *path); /* local formats: 1 when the path looks like it */
	int (*open)(const struct backend_locator *loc, struct backend **out, struct err *err);
};

/* Local formats first, the more specific before the more general: a path is tried against
 * each detect in turn (a labelme folder is JSON files, as a COCO folder may be; a plain image
 * folder is whatever has images and no annotations). */
static const struct backend_factory factories[] = {
    {.kind = "cvat",
     .what = "CVAT for images 1.1 XML",
     .detect = backend_cvat_detect,
     .open = backend_cvat_open},
    {.kind = "voc",
     .what = "Pascal VOC XML",
     .detect = backend_voc_detect,
     .open = backend_voc_open},
    {.kind = "yolo",
     .what = "YOLO (darknet, v5/v8 data.yaml)",
     .detect = backend_yolo_detect,
     .open = backend_yolo_open},
    {.kind = "labelme",
     .what = "labelme JSON",
     .detect = backend_labelme_detect,
     .open = backend_labelme_open},
    {.kind = "coco",
     .what = "COCO JSON",
     .detect = backend_coco_detect,
     .open = backend_local_open},
    {.kind = "images",
     .what = "a folder of images",
     .detect = backend_images_detect,
     .open = backend_images_open},
    {.kind = "picsellia", .what = "Picsellia", .remote = 1, .open = backend_picsellia_open},
};

#define NFACTORIES (sizeof factories / sizeof factories[0])

static const struct backend_factory *factory_find(const char *kind)
{
	for (size_t i = 0; i < NFACTORIES; i++)
		if (strcmp(factories[i].kind, kind) == 0)
			return &factories[i];
	return NULL;
}

const char *backend_local_formats(void)
{
	static char text[512];

	if (text[0] != '\0')
		return text;
	for (size_t i = 0; i < NFACTORIES; i++) {
		size_t n = strlen(text);
		if (factories[i].remote)
			continue;
		snprintf(text + n, sizeof text - n, "%s%s (%s)", n ? ", " : "", factories[i].kind,
		         factories[i].what);
	}
	return text;
}

/* No format recognised the path: COCO's own message for a folder or a .json (what the user
 * most likely meant), with what was found and the formats annotty reads. */
static int open_unknown(const struct backend_locator *loc, struct backend **out, struct err *err)
{
	char found[256], first[ERR_MSG_MAX];
	size_t n = strlen(loc->path);
	enum err_kind kind;

	if ((n > 5 && strcasecmp(loc->path + n - 5, ".json") == 0) || paths_is_dir(loc->path)) {
		if (backend_local_open(loc, out, err) == 0)
			return 0;
	} else {
		err_setk(err, ERR_USAGE, "annotty cannot read %s", loc->path);
	}
	backend_local_describe(loc->path, found, sizeof found);
	kind = err_kind_of(err);
	str_copy(first, err->msg, sizeof first);
	return err_setk(err, kind, "%s (found %s); annotty reads %s", first, found,
	                backend_local_formats());
}

int backend_open(const struct backend_locator *loc, struct backend **out, struct err *err)
{
	const struct backend_factory *f;

	*out = NULL;
	if (loc->kind != NULL && strcmp(loc->kind, "auto") != 0) {
		f = factory_find(loc->kind);
		if (f == NULL)
			return err_setk(err, ERR_USAGE, "unknown source kind %s; annotty reads %s",
			                loc->kind, backend_local_formats());
		return f->open(loc, out, err);
	}
	if (loc->path == NULL && loc->host != NULL)
		return backend_picsellia_open(loc, out, err); /* the one platform so far */
	if (loc->path == NULL)
		return err_setk(err, ERR_USAGE, "no source given");
	for (size_t i = 0; i < NFACTORIES; i++)
		if (!factories[i].remote && factories[i].detect(loc->path))
			return factories[i].open(loc, out, err);
	if (!paths_is_file(loc->path) && !paths_is_dir(loc->path))
		return backend_local_open(loc, out, err); /* names the missing path */
	return open_unknown(loc, out, err);
}

int backend_open_local(const char *path, const char *images_dir, struct backend **out,
                       struct err *err)
{
	return backend_open_local_as(path, "coco", images_dir, out, err);
}

int backend_open_local_as(const char *path, const char *format, const char *images_dir,
                          struct backend **out, struct err *err)
{
	struct backend_locator loc = {.path = path, .kind = format, .images_dir = images_dir};

	return backend_open(&loc, out, err);
}

void backend_caps_get(const struct backend *b, struct backend_caps *out)
{
	memset(out, 0, sizeof *out);
	b->ops->caps(b, out);
}

int backend_list(struct backend *b, enum container_kind kind, const char *parent_ext_id,
                 struct container_list *out, struct err *err)
{
	memset(out, 0, sizeof *out);
	if (b->ops->list == NULL)
		return err_setk(err, ERR_USAGE, "a %s source has no containers to list",
		                b->ops->kind);
	return b->ops->list(b, kind, parent_ext_id, out, err);
}

int backend_pull(struct backend *b, const char *version_ext_id, const char *cursor,
                 struct backend_page *out, struct err *err)
{
	memset(out, 0, sizeof *out);
	out->total = -1;
	if (b->ops->pull(b, version_ext_id, cursor, out, err) < 0) {
		backend_page_clear(out);
		return -1;
	}
	if (out->doc == NULL) {
		backend_page_clear(out);
		return err_set(err, "the %s source gave no page", b->ops->kind);
	}
	return 0;
}

int backend_fetch_image(struct backend *b, const struct image_ref *ref, struct buf *out,
                        struct err *err)
{
	if (b->ops->fetch_image == NULL)
		return err_setk(err, ERR_NOT_FOUND, "a %s source has no image bytes", b->ops->kind);
	return b->ops->fetch_image(b, ref, out, err);
}

int backend_fetch_images(struct backend *b, const struct image_ref *refs, const char *const *paths,
                         int n, int *ok, struct err *err)
{
	struct buf bytes;
	int got = 0;

	if (b->ops->fetch_images != NULL)
		return b->ops->fetch_images(b, refs, paths, n, ok, err);
	buf_init(&bytes, 256u << 20);
	for (int i = 0; i < n; i++) {
		buf_reset(&bytes);
		ok[i] = backend_fetch_image(b, &refs[i], &bytes, err) == 0 &&
		        buf_write_file(&bytes, paths[i], err) == 0;
		got += ok[i];
	}
	buf_free(&bytes);
	return got > 0 || n == 0 ? 0 : -1;
}

int backend_pull_data(struct backend *b, const char *datalake_ext_id, const char *cursor,
                      struct data_page *out, struct err *err)
{
	memset(out, 0, sizeof *out);
	out->total = -1;
	if (b->ops->pull_data == NULL)
		return err_setk(err, ERR_USAGE, "a %s source has no datalake", b->ops->kind);
	if (b->ops->pull_data(b, datalake_ext_id, cursor, out, err) < 0) {
		data_page_clear(out);
		return -1;
	}
	return 0;
}

int backend_whoami(struct backend *b, struct backend_user *out, struct err *err)
{
	memset(out, 0, sizeof *out);
	if (b->ops->whoami == NULL)
		return err_setk(err, ERR_USAGE, "a %s source has no users", b->ops->kind);
	return b->ops->whoami(b, out, err);
}

int backend_campaign_of(struct backend *b, const char *version_ext_id, struct campaign *cp,
                        struct campaign_step **steps, int *nsteps, struct err *err)
{
	memset(cp, 0, sizeof *cp);
	*steps = NULL;
	*nsteps = 0;
	if (b->ops->campaign_of == NULL)
		return 1; /* no campaigns there */
	return b->ops->campaign_of(b, version_ext_id, cp, steps, nsteps, err);
}

int backend_pull_tasks(struct backend *b, const char *version_ext_id, const char *step_ext_id,
                       const char *cursor, struct task_page *out, struct err *err)
{
	memset(out, 0, sizeof *out);
	out->total = -1;
	if (b->ops->pull_tasks == NULL)
		return err_setk(err, ERR_USAGE, "a %s source has no tasks", b->ops->kind);
	if (b->ops->pull_tasks(b, version_ext_id, step_ext_id, cursor, out, err) < 0) {
		task_page_clear(out);
		return -1;
	}
	return 0;
}

void task_page_clear(struct task_page *p)
{
	for (int i = 0; i < p->n; i++)
		assignment_clear(&p->items[i]);
	free(p->items);
	free(p->next_cursor);
	memset(p, 0, sizeof *p);
	p->total = -1;
}

int backend_users(struct backend *b, struct backend_user **out, int *n, struct err *err)
{
	*out = NULL;
	*n = 0;
	if (b->ops->users == NULL)
		return 0; /* nobody to name */
	return b->ops->users(b, out, n, err);
}

void backend_users_free(struct backend_user **users, int n)
{
	for (int i = 0; *users != NULL && i < n; i++)
		backend_user_clear(&(*users)[i]);
	free(*users);
	*users = NULL;
}

void backend_user_clear(struct backend_user *u)
{
	free(u->ext_id);
	free(u->username);
	memset(u, 0, sizeof *u);
}

void data_page_clear(struct data_page *p)
{
	for (int i = 0; i < p->n; i++)
		data_item_clear(&p->items[i]);
	free(p->items);
	free(p->next_cursor);
	memset(p, 0, sizeof *p);
	p->total = -1;
}

int backend_current(struct backend *b, const struct change *ch, struct change *theirs,
                    struct err *err)
{
	memset(theirs, 0, sizeof *theirs);
	theirs->value.label = theirs->base.label = -1;
	if (b->ops->current == NULL)
		return err_setk(err, ERR_USAGE, "a %s source cannot tell its current values",
		                b->ops->kind);
	return b->ops->current(b, ch, theirs, err);
}

int backend_push(struct backend *b, const struct change *ch, struct push_answer *ans,
                 struct err *err)
{
	memset(ans, 0, sizeof *ans);
	if (b->ops->push == NULL)
		return push_answer_set(ans, PUSH_REFUSED, "a %s source takes no changes",
		                       b->ops->kind);
	return b->ops->push(b, ch, ans, err);
}

int backend_save(struct backend *b, const struct dataset_doc *doc, const char *out_path,
                 struct err *err)
{
	if (b->ops->save == NULL)
		return err_setk(err, ERR_USAGE, "a %s source cannot be written", b->ops->kind);
	return b->ops->save(b, doc, out_path, err);
}

int backend_load(struct backend *b, struct dataset_doc **out, struct err *err)
{
	struct backend_page page;

	*out = NULL;
	if (backend_pull(b, NULL, NULL, &page, err) < 0)
		return -1;
	if (page.next_cursor != NULL) {
		backend_page_clear(&page);
		return err_setk(err, ERR_USAGE, "a %s source is read in pages, not whole",
		                b->ops->kind);
	}
	*out = page.doc;
	page.doc = NULL;
	backend_page_clear(&page);
	return 0;
}

void backend_close(struct backend **bp)
{
	struct backend *b = *bp;

	if (b == NULL)
		return;
	if (b->ops != NULL && b->ops->close != NULL)
		b->ops->close(b);
	free(b->locator);
	free(b->fingerprint);
	free(b);
	*bp = NULL;
}

void container_list_clear(struct container_list *l)
{
	for (int i = 0; i < l->n; i++) {
		struct container *c = &l->items[i];

		free(c->ext_id);
		free(c->parent_ext_id);
		free(c->name);
		free(c->type);
		free(c->extra_json);
	}
	free(l->items);
	memset(l, 0, sizeof *l);
}

void backend_page_clear(struct backend_page *p)
{
	dataset_doc_free(&p->doc);
	free(p->next_cursor);
	memset(p, 0, sizeof *p);
	p->total = -1;
}

void push_answer_clear(struct push_answer *a)
{
	free(a->created_ext_id);
	free(a->theirs_json);
	memset(a, 0, sizeof *a);
}

int push_answer_set(struct push_answer *ans, enum push_outcome outcome, const char *fmt, ...)
{
	va_list ap;

	ans->outcome = outcome;
	va_start(ap, fmt);
	vsnprintf(ans->reason, sizeof ans->reason, fmt, ap);
	va_end(ap);
	return 0;
}
