/* labelme JSON reader: a folder of one JSON file per image (or one file), with rectangles,
 * polygons, lines, linestrips, points and circles (kept as polygons that remember their
 * circle), the image's flags as tags, and the embedded imageData used when the image file is
 * absent: decoded into a folder beside the cache, never beside the user's data. */
#include "api/local/labelme_internal.h"
#include "api/local/local_format.h"
#include "core/err.h"
#include "core/model.h"
#include "core/paths.h"
#include "core/str.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const json_exts[] = {"json", NULL};

static int is_labelme_file(const char *path)
{
	char head[65536];

	return local_has_ext(path, "json") && local_peek(path, head, sizeof head) > 0 &&
	       strstr(head, "\"imagePath\"") != NULL;
}

static int labelme_detect(const char *path)
{
	struct local_files f;
	struct err e;
	char full[PATH_MAX];
	int r = 0;

	if (paths_is_file(path))
		return is_labelme_file(path);
	if (!paths_is_dir(path) || local_files_list(path, json_exts, 1, &f, &e) < 0)
		return 0;
	for (size_t i = 0; i < f.n && i < 3 && !r; i++)
		r = paths_join(full, sizeof full, path, f.names[i]) == 0 && is_labelme_file(full);
	local_files_clear(&f);
	return r;
}

static int labelme_splits(const char *path, struct local_splits *out, struct err *err)
{
	(void)path, (void)err;
	memset(out, 0, sizeof *out); /* a labelme folder is one set of images */
	return 0;
}

/* ---- embedded images ---- */

static int b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' || c == '-' ? 62 : c == '/' || c == '_' ? 63 : -1;
}

/* Decodes base64 (whitespace skipped); the caller frees *out. */
static int b64_decode(const char *s, unsigned char **out, size_t *len)
{
	size_t n = strlen(s), k = 0;
	unsigned char *b = malloc(n / 4 * 3 + 4);
	unsigned acc = 0;
	int bits = 0;

	if (b == NULL)
		return -1;
	for (; *s != '\0' && *s != '='; s++) {
		int v = b64_value((unsigned char)*s);
		if (v < 0)
			continue;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			b[k++] = (unsigned char)(acc >> bits);
		}
	}
	*out = b;
	*len = k;
	return 0;
}

/* The folder of embedded images: beside the cache database. */
static int embed_dir(char *out, struct err *err)
{
	char db[PATH_MAX], *slash;

	if (paths_cache_db(db, sizeof db, err) < 0)
		return -1;
	slash = strrchr(db, '/');
	if (slash == NULL)
		return err_set(err, "no folder for the cache");
	*slash = '\0';
	if (paths_join(out, PATH_MAX, db, "embedded") < 0)
		return err_set(err, "path too long");
	return paths_mkdirs(out, err);
}

/* Writes the decoded imageData once (named by its hash) and returns its path in out. */
static int embed_image(const char *data, const char *name, char *out, struct err *err)
{
	unsigned char *bytes = NULL;
	size_t len = 0;
	char dir[PATH_MAX];
	const char *ext;
	int rc = -1;

	if (b64_decode(data, &bytes, &len) < 0)
		return err_set(err, "out of memory");
	ext = len > 3 && bytes[0] == 0x89 && bytes[1] == 'P' ? "png" : "jpg";
	if (embed_dir(dir, err) < 0)
		goto out;
	if (snprintf(out, PATH_MAX, "%s/%016llx.%s", dir,
	             (unsigned long long)str_hash64(bytes, len, STR_HASH_SEED), ext) >= PATH_MAX) {
		err_set(err, "path too long");
		goto out;
	}
	if (!paths_is_file(out) && local_write_text(out, (const char *)bytes, len, err) < 0) {
		err_wrap(err, "the image embedded in %s", name);
		goto out;
	}
	rc = 0;
out:
	free(bytes);
	return rc;
}

/* ---- shapes ---- */

int labelme_circle_points(struct shape *s, struct point c, struct point e)
{
	double r = hypot(e.x - c.x, e.y - c.y);

	for (int i = 0; i < LABELME_CIRCLE_POINTS; i++) {
		double t = 2 * M_PI * i / LABELME_CIRCLE_POINTS;
		if (shape_add_point(s, c.x + r * cos(t), c.y + r * sin(t)) < 0)
			return -1;
	}
	return 0;
}

static int points_into(struct shape *s, const cJSON *pts)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, pts)
	{
		const cJSON *x = cJSON_GetArrayItem(p, 0), *y = cJSON_GetArrayItem(p, 1);
		if (!cJSON_IsNumber(x) || !cJSON_IsNumber(y) || !isfinite(x->valuedouble) ||
		    !isfinite(y->valuedouble))
			return 0;
		if (shape_add_point(s, x->valuedouble, y->valuedouble) < 0)
			return -1;
	}
	return 1;
}

/* The geometry by shape_type; 1 done, 0 not drawable, -1 out of memory. */
static int shape_geometry(struct shape *s, const char *type, const cJSON *pts)
{
	int r = points_into(s, pts), n = s->npoints;

	if (r <= 0)
		return r;
	if (strcmp(type, "rectangle") == 0 && n == 2) {
		struct point a = s->points[0], b = s->points[1];
		s->kind = SHAPE_BOX;
		s->npoints = 0;
		s->box =
		    (struct rect){fmin(a.x, b.x), fmin(a.y, b.y), fabs(b.x - a.x), fabs(b.y - a.y)};
		return 1;
	}
	if (strcmp(type, "circle") == 0 && n == 2) {
		struct point c = s->points[0], e = s->points[1];
		s->npoints = 0;
		s->kind = SHAPE_POLYGON;
		if (labelme_circle_points(s, c, e) < 0)
			return -1;
	} else if (strcmp(type, "polygon") == 0 && n >= 3) {
		s->kind = SHAPE_POLYGON;
	} else if ((strcmp(type, "line") == 0 || strcmp(type, "linestrip") == 0) && n >= 2) {
		s->kind = SHAPE_LINE;
	} else if (strcmp(type, "point") == 0 && n >= 1) {
		s->kind = SHAPE_POINT;
		s->npoints = 1;
	} else {
		return 0;
	}
	if (shape_end_part(s) < 0)
		return -1;
	shape_update_bounds(s);
	return 1;
}

/* What labelme keeps on a shape besides label and points, and which type it was. */
static int shape_extras(struct shape *s, const cJSON *js, const char *type)
{
	static const char *const skip[] = {"label", "points", "shape_type", NULL};
	cJSON *o = cJSON_CreateObject();
	const cJSON *m;
	int rc = 0;

	if (o == NULL)
		return -1;
	cJSON_ArrayForEach(m, js)
	{
		int skipped = 0;
		for (int i = 0; skip[i] != NULL; i++)
			skipped |= strcmp(m->string, skip[i]) == 0;
		if (!skipped && !cJSON_AddItemToObject(o, m->string, cJSON_Duplicate(m, 1)))
			rc = -1;
	}
	/* a linestrip and a line read the same; a circle remembers its centre and edge point */
	if (strcmp(type, "linestrip") == 0 || strcmp(type, "circle") == 0)
		cJSON_AddStringToObject(o, "shape_type", type);
	if (strcmp(type, "circle") == 0)
		cJSON_AddItemToObject(o, "points",
		                      cJSON_Duplicate(cJSON_GetObjectItem(js, "points"), 1));
	if (rc == 0 && o->child != NULL && (s->extra_json = cJSON_PrintUnformatted(o)) == NULL)
		rc = -1;
	cJSON_Delete(o);
	return rc;
}

struct lm_read {
	struct dataset_doc *doc;
	long skipped;
	char skipped_example[160];
	long embedded;
};

static int read_shape(struct lm_read *r, struct asset *a, const cJSON *js, int k)
{
	const cJSON *label = cJSON_GetObjectItemCaseSensitive(js, "label");
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(js, "shape_type");
	const char *t = cJSON_IsString(type) ? type->valuestring : "polygon";
	struct shape s = {.label = -1};
	char id[320];
	int g;

	if ((g = shape_geometry(&s, t, cJSON_GetObjectItemCaseSensitive(js, "points"))) <= 0) {
		shape_clear(&s);
		if (g == 0 && r->skipped++ == 0)
			snprintf(r->skipped_example, sizeof r->skipped_example, "%s shape %d (%s)",
			         a->filename, k, t);
		return g;
	}
	snprintf(id, sizeof id, "%s/%d", a->ext_id, k);
	s.label = local_label(r->doc, cJSON_IsString(label) ? label->valuestring : "unnamed");
	if (s.label < 0 || (s.ext_id = strdup(id)) == NULL || shape_extras(&s, js, t) < 0) {
		shape_clear(&s);
		return -1;
	}
	struct shape *slot = asset_add_shape(a);
	if (slot == NULL) {
		shape_clear(&s);
		return -1;
	}
	*slot = s;
	return 1;
}

/* flags {"name": true} are the image's tags; the false ones are kept for the round trip */
static int read_flags(struct asset *a, const cJSON *root)
{
	const cJSON *flags = cJSON_GetObjectItemCaseSensitive(root, "flags"), *f;

	cJSON_ArrayForEach(f, flags)
	{
		if (cJSON_IsTrue(f) && asset_add_tag(a, f->string) < 0)
			return -1;
	}
	return 0;
}

static char *asset_extras(const cJSON *root)
{
	static const char *const skip[] = {"shapes",     "imagePath",   "imageData",
	                                   "imageWidth", "imageHeight", "annotty_status",
	                                   NULL};
	cJSON *o = cJSON_CreateObject();
	const cJSON *m;
	char *out = NULL;

	if (o == NULL)
		return NULL;
	cJSON_ArrayForEach(m, root)
	{
		int skipped = 0;
		for (int i = 0; skip[i] != NULL; i++)
			skipped |= strcmp(m->string, skip[i]) == 0;
		if (!skipped)
			cJSON_AddItemToObject(o, m->string, cJSON_Duplicate(m, 1));
	}
	if (o->child != NULL)
		out = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return out;
}

/* The image file: imagePath beside the JSON (or in --images), else the embedded data. */
static int image_of(const cJSON *root, const char *json_dir, const char *images_dir,
                    const char *name, char *out, struct err *err)
{
	const cJSON *ip = cJSON_GetObjectItemCaseSensitive(root, "imagePath");
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "imageData");
	const char *p = cJSON_IsString(ip) ? ip->valuestring : "";

	out[0] = '\0';
	if (p[0] != '\0' && strstr(p, "..") == NULL && p[0] != '/' &&
	    paths_join(out, PATH_MAX, json_dir, p) == 0 && paths_is_file(out))
		return 1;
	if (p[0] != '\0' && images_dir != NULL &&
	    paths_join(out, PATH_MAX, images_dir, path_base(p)) == 0 && paths_is_file(out))
		return 1;
	if (cJSON_IsString(data) && data->valuestring[0] != '\0')
		return embed_image(data->valuestring, name, out, err) < 0 ? -1 : 2;
	out[0] = '\0';
	return 0;
}

static int read_root(struct lm_read *r, const cJSON *root, const char *json_dir, const char *rel,
                     const char *images_dir, struct err *err)
{
	const cJSON *ip = cJSON_GetObjectItemCaseSensitive(root, "imagePath");
	const cJSON *w = cJSON_GetObjectItemCaseSensitive(root, "imageWidth");
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(root, "imageHeight");
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(root, "annotty_status"), *js;
	char image[PATH_MAX];
	struct asset *a;
	int found = image_of(root, json_dir, images_dir, rel, image, err), k = 0;

	if (found < 0)
		return -1;
	r->embedded += found == 2;
	a = local_add_asset(r->doc, cJSON_IsString(ip) ? path_base(ip->valuestring) : rel,
	                    found ? image : NULL);
	if (a == NULL)
		return err_set(err, "out of memory");
	free(a->ext_id);
	if ((a->ext_id = strdup(rel)) == NULL)
		return err_set(err, "out of memory");
	if (cJSON_IsNumber(w) && cJSON_IsNumber(h) && w->valuedouble >= 1 && h->valuedouble >= 1 &&
	    w->valuedouble < 65536 && h->valuedouble < 65536) {
		a->width = (int)w->valuedouble;
		a->height = (int)h->valuedouble;
	}
	if (cJSON_IsString(st))
		review_status_parse(st->valuestring, &a->status);
	a->extra_json = asset_extras(root);
	if (read_flags(a, root) < 0)
		return err_set(err, "out of memory");
	cJSON_ArrayForEach(js, cJSON_GetObjectItemCaseSensitive(root, "shapes"))
	{
		if (read_shape(r, a, js, k++) < 0)
			return err_set(err, "out of memory");
	}
	return 0;
}

static int read_file(struct lm_read *r, const char *path, const char *rel, const char *images_dir,
                     struct err *err)
{
	char *text = NULL, dir[PATH_MAX];
	cJSON *root = NULL;
	int rc = -1;

	if (local_read_text(path, &text, NULL, err) < 0)
		return -1;
	root = cJSON_Parse(text);
	if (!cJSON_IsObject(root) ||
	    !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "shapes"))) {
		rc = dataset_doc_warn(r->doc, "%s is not a labelme file; skipped", rel) < 0
		         ? err_set(err, "out of memory")
		         : 0;
		goto out;
	}
	str_copy(dir, path, sizeof dir);
	*strrchr(dir, '/') = '\0';
	rc = read_root(r, root, dir, rel, images_dir, err);
out:
	cJSON_Delete(root);
	free(text);
	return rc;
}

static int labelme_read(const char *path, const char *split, const char *images_dir,
                        struct dataset_doc **out, struct err *err)
{
	struct lm_read r = {0};
	struct local_files f = {0};
	char full[PATH_MAX];
	int rc = -1;

	(void)split;
	*out = NULL;
	if ((r.doc = local_doc_new(path, "labelme")) == NULL)
		return err_set(err, "out of memory");
	if (paths_is_file(path)) {
		if (read_file(&r, path, path_base(path), images_dir, err) < 0)
			goto out;
	} else {
		if (local_files_list(path, json_exts, 1, &f, err) < 0)
			goto out;
		for (size_t i = 0; i < f.n; i++)
			if (paths_join(full, sizeof full, path, f.names[i]) == 0 &&
			    strcmp(path_base(f.names[i]), "annotty.json") != 0 &&
			    read_file(&r, full, f.names[i], images_dir, err) < 0)
				goto out;
	}
	if (r.skipped > 0 &&
	    dataset_doc_warn(r.doc,
	                     "%ld labelme shape(s) of a kind annotty does not draw were "
	                     "skipped, e.g. %s",
	                     r.skipped, r.skipped_example) < 0) {
		err_set(err, "out of memory");
		goto out;
	}
	*out = r.doc;
	r.doc = NULL;
	rc = 0;
out:
	local_files_clear(&f);
	dataset_doc_free(&r.doc);
	return rc;
}

const struct local_format local_format_labelme = {
    .name = "labelme",
    .what = "labelme JSON",
    .detect = labelme_detect,
    .splits = labelme_splits,
    .read = labelme_read,
};
