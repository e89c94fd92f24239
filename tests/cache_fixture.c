/* Scratch folders, in-memory datasets and dataset comparison for the cache tests. */
#include "cache_fixture.h"
#include "core/model.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

char *fixture_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[4096];

	snprintf(tmpl, sizeof tmpl, "%s/annotty-cache-XXXXXX", base && *base ? base : "/tmp");
	if (mkdtemp(tmpl) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	return strdup(tmpl);
}

void fixture_rmdir(char **dirp)
{
	char path[4096];
	struct dirent *e;
	DIR *d;

	if (*dirp == NULL)
		return;
	if (getenv("ANNOTTY_KEEP_TMP") != NULL) { /* to look at a failing test's databases */
		printf("# kept %s\n", *dirp);
		free(*dirp);
		*dirp = NULL;
		return;
	}
	d = opendir(*dirp);
	while (d != NULL && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		fixture_path(path, sizeof path, *dirp, e->d_name);
		unlink(path);
	}
	if (d != NULL)
		closedir(d);
	rmdir(*dirp);
	free(*dirp);
	*dirp = NULL;
}

void fixture_path(char *out, size_t outsz, const char *dir, const char *name)
{
	snprintf(out, outsz, "%s/%s", dir, name);
}

double fixture_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void rich_labels(struct dataset_doc *doc)
{
	static const char *const names[] = {"car", "person", "Traffic Light", "dog"};
	char buf[64];

	for (int i = 0; i < 4; i++) {
		struct label *l = dataset_doc_add_label(doc);

		l->name = strdup(names[i]);
		snprintf(buf, sizeof buf, "%d", i + 1);
		l->ext_id = strdup(buf);
		snprintf(buf, sizeof buf, "{\"supercategory\":\"s%d\"}", i);
		l->extra_json = strdup(buf);
	}
}

static void rich_shape(struct asset *a, int i, int k)
{
	struct shape *s = asset_add_shape(a);
	char buf[64];

	s->kind = (enum shape_kind)(k % SHAPE_KIND_COUNT);
	s->label = (i + k) % 5 - 1; /* -1 now and then: a shape without a label */
	snprintf(buf, sizeof buf, "%d", i * 100 + k + 1);
	s->ext_id = strdup(buf);
	s->box = (struct rect){i + k + 0.25, k * 2.5, 10 + k, 20.125};
	if (s->kind == SHAPE_POLYGON || s->kind == SHAPE_LINE) {
		for (int p = 0; p < 2 + k % 3; p++) {
			for (int v = 0; v < 3 + p; v++)
				shape_add_point(s, v * 1.5 + p, (v + i) * 0.1 / 3);
			shape_end_part(s);
		}
		shape_update_bounds(s);
	} else if (s->kind == SHAPE_POINT) {
		shape_add_point(s, i + 0.5, k + 0.75);
	}
	if (k % 3 == 0)
		s->text = strdup(k % 2 ? "" : "OCR \"quoted\" text");
	if (k % 2 == 0) {
		snprintf(buf, sizeof buf, "{\"iscrowd\":0,\"area\":%d.5}", k);
		s->extra_json = strdup(buf);
	}
}

struct dataset_doc *fixture_doc_rich(int nassets)
{
	struct dataset_doc *doc = dataset_doc_new();
	char buf[64];

	doc->name = strdup("rich dataset");
	doc->format = strdup("coco");
	doc->extra_json = strdup("{\"info\":{\"year\":2024},\"licenses\":[]}");
	rich_labels(doc);
	for (int i = 0; i < nassets; i++) {
		struct asset *a = dataset_doc_add_asset(doc);

		snprintf(buf, sizeof buf, "%d", i + 1);
		a->ext_id = strdup(buf);
		snprintf(buf, sizeof buf, "img_%d.jpg", i);
		a->filename = strdup(buf);
		snprintf(buf, sizeof buf, "/data/images/img_%d.jpg", i);
		a->path = i % 4 == 3 ? NULL : strdup(buf);
		a->width = 640 + i;
		a->height = 480;
		a->status = (enum review_status)(i % REVIEW_STATUS_COUNT);
		if (i % 2 == 0)
			asset_add_tag(a, "night");
		if (i % 3 == 0)
			asset_add_tag(a, "blurry");
		if (i % 5 == 1)
			a->extra_json = strdup("{\"license\":1,\"flickr_url\":\"x\"}");
		for (int k = 0; k < i % 7; k++)
			rich_shape(a, i, k);
	}
	return doc;
}

/* ---- comparison ------------------------------------------------------------------------ */

#define DIFF(...) (snprintf(why, whysz, __VA_ARGS__), -1)

static int str_eq(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

static int tags_have(const struct asset *a, const char *tag)
{
	for (int i = 0; i < a->ntags; i++)
		if (strcmp(a->tags[i], tag) == 0)
			return 1;
	return 0;
}

int fixture_shapes_compare(const struct shape *x, const struct shape *y, char *why, size_t whysz)
{
	if (x->kind != y->kind || x->label != y->label)
		return DIFF("kind %d/%d label %d/%d", x->kind, y->kind, x->label, y->label);
	if (!str_eq(x->ext_id, y->ext_id) || !str_eq(x->text, y->text) ||
	    !str_eq(x->extra_json, y->extra_json))
		return DIFF("ext_id, text or extra_json differ (%s/%s)",
		            x->ext_id ? x->ext_id : "-", y->ext_id ? y->ext_id : "-");
	if (memcmp(&x->box, &y->box, sizeof x->box) != 0)
		return DIFF("box differs");
	if (x->npoints != y->npoints || x->nparts != y->nparts)
		return DIFF("points %d/%d parts %d/%d", x->npoints, y->npoints, x->nparts,
		            y->nparts);
	for (int i = 0; i < x->npoints; i++)
		if (x->points[i].x != y->points[i].x || x->points[i].y != y->points[i].y)
			return DIFF("point %d differs", i);
	for (int i = 0; i < x->nparts; i++)
		if (x->part_ends[i] != y->part_ends[i])
			return DIFF("part %d differs", i);
	return 0;
}

static int assets_compare(const struct asset *x, const struct asset *y, char *why, size_t whysz)
{
	if (!str_eq(x->ext_id, y->ext_id) || !str_eq(x->filename, y->filename) ||
	    !str_eq(x->path, y->path) || !str_eq(x->extra_json, y->extra_json))
		return DIFF("asset %s: ext_id, filename, path or extra_json differ", x->filename);
	if (x->width != y->width || x->height != y->height || x->status != y->status)
		return DIFF("asset %s: size or status differ (%d/%d)", x->filename, x->status,
		            y->status);
	if (x->ntags != y->ntags)
		return DIFF("asset %s: %d/%d tags", x->filename, x->ntags, y->ntags);
	for (int i = 0; i < x->ntags; i++)
		if (!tags_have(y, x->tags[i]))
			return DIFF("asset %s: tag %s missing", x->filename, x->tags[i]);
	if (x->nshapes != y->nshapes)
		return DIFF("asset %s: %d/%d shapes", x->filename, x->nshapes, y->nshapes);
	for (int i = 0; i < x->nshapes; i++)
		if (fixture_shapes_compare(&x->shapes[i], &y->shapes[i], why, whysz) < 0) {
			char inner[256];

			snprintf(inner, sizeof inner, "%s", why);
			return DIFF("asset %s shape %d: %s", x->filename, i, inner);
		}
	return 0;
}

int fixture_docs_compare(const struct dataset_doc *a, const struct dataset_doc *b, char *why,
                         size_t whysz)
{
	if (!str_eq(a->name, b->name) || !str_eq(a->format, b->format) ||
	    !str_eq(a->extra_json, b->extra_json))
		return DIFF("name, format or extra_json differ");
	if (a->nlabels != b->nlabels)
		return DIFF("%d/%d labels", a->nlabels, b->nlabels);
	for (int i = 0; i < a->nlabels; i++)
		if (!str_eq(a->labels[i].name, b->labels[i].name) ||
		    !str_eq(a->labels[i].ext_id, b->labels[i].ext_id) ||
		    !str_eq(a->labels[i].extra_json, b->labels[i].extra_json))
			return DIFF("label %d differs", i);
	if (a->nassets != b->nassets)
		return DIFF("%d/%d assets", a->nassets, b->nassets);
	for (int i = 0; i < a->nassets; i++)
		if (assets_compare(&a->assets[i], &b->assets[i], why, whysz) < 0)
			return -1;
	return 0;
}
