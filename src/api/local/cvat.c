/* CVAT for images 1.1 XML reader: boxes (a rotated box becomes its 4-corner polygon that
 * remembers the box and angle), polygons, polylines, points, tags (labels of the whole image)
 * and attributes; the labels of <meta>; each image's subset as its split. libxml2, without the
 * network or entity expansion. */
#include "api/local/local_format.h"
#include "core/err.h"
#include "core/model.h"
#include "core/paths.h"
#include "core/str.h"

#include <cjson/cJSON.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_cvat_xml(const char *path)
{
	char head[4096];

	return local_has_ext(path, "xml") && local_peek(path, head, sizeof head) > 0 &&
	       strstr(head, "<annotations") != NULL &&
	       (strstr(head, "<version>1.1") != NULL || strstr(head, "<meta") != NULL ||
	        strstr(head, "<image ") != NULL);
}

/* The XML of a source: the file, or annotations.xml in the folder. */
static int cvat_file(const char *path, char *out)
{
	if (paths_is_file(path)) {
		str_copy(out, path, PATH_MAX);
		return is_cvat_xml(out);
	}
	return paths_join(out, PATH_MAX, path, "annotations.xml") == 0 && paths_is_file(out) &&
	       is_cvat_xml(out);
}

static int cvat_detect(const char *path)
{
	char f[PATH_MAX];

	return cvat_file(path, f);
}

static const char *attr(const xmlNode *n, const char *name, char *out, size_t outsz)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);

	out[0] = '\0';
	if (v == NULL)
		return NULL;
	str_copy(out, (const char *)v, outsz);
	xmlFree(v);
	return out;
}

static int attr_num(const xmlNode *n, const char *name, double *out)
{
	char text[64], *end;

	if (attr(n, name, text, sizeof text) == NULL)
		return -1;
	*out = strtod(text, &end);
	return end != text && isfinite(*out) ? 0 : -1;
}

static int is_el(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* ---- parsing the whole file ---- */

struct cvat {
	xmlDoc *x;
	const xmlNode *root;
	char path[PATH_MAX];
};

static int cvat_load(const char *path, struct cvat *c, struct err *err)
{
	char *text = NULL;
	size_t len = 0;

	memset(c, 0, sizeof *c);
	if (!cvat_file(path, c->path))
		return err_setk(err, ERR_PARSE, "%s is not a CVAT for images XML", path);
	if (local_read_text(c->path, &text, &len, err) < 0)
		return -1;
	c->x = xmlReadMemory(text, (int)len, c->path, NULL,
	                     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	                         XML_PARSE_HUGE);
	free(text);
	c->root = c->x != NULL ? xmlDocGetRootElement(c->x) : NULL;
	if (c->root == NULL || strcmp((const char *)c->root->name, "annotations") != 0) {
		xmlFreeDoc(c->x);
		c->x = NULL;
		return err_setk(err, ERR_PARSE, "%s: not well-formed CVAT XML", c->path);
	}
	return 0;
}

static int cvat_splits(const char *path, struct local_splits *out, struct err *err)
{
	struct cvat c;
	char subset[256];
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (cvat_load(path, &c, err) < 0)
		return -1;
	for (const xmlNode *n = c.root->children; n != NULL && rc == 0; n = n->next)
		if (is_el(n, "image") && attr(n, "subset", subset, sizeof subset) != NULL &&
		    subset[0] != '\0' && local_splits_add(out, subset) < 0)
			rc = err_set(err, "out of memory");
	xmlFreeDoc(c.x);
	if (out->n == 1)
		local_splits_clear(out);
	return rc;
}

/* ---- shapes ---- */

/* The attributes of a shape besides its geometry and label, with its <attribute>s. */
static char *shape_extras(const xmlNode *n, double rotation, const struct rect *box)
{
	static const char *const keep[] = {"occluded", "source",  "z_order",
	                                   "group_id", "outside", NULL};
	cJSON *o = cJSON_CreateObject(), *attrs = NULL;
	char text[1024], *out = NULL;

	if (o == NULL)
		return NULL;
	for (int i = 0; keep[i] != NULL; i++)
		if (attr(n, keep[i], text, sizeof text) != NULL)
			cJSON_AddStringToObject(o, keep[i], text);
	for (const xmlNode *a = n->children; a != NULL; a = a->next) {
		xmlChar *v;
		if (!is_el(a, "attribute") || attr(a, "name", text, sizeof text) == NULL)
			continue;
		if (attrs == NULL && (attrs = cJSON_AddObjectToObject(o, "attributes")) == NULL)
			break;
		v = xmlNodeGetContent(a);
		cJSON_AddStringToObject(attrs, text, v != NULL ? (const char *)v : "");
		xmlFree(v);
	}
	if (rotation != 0) {
		cJSON_AddNumberToObject(o, "rotation", rotation);
		cJSON *b = cJSON_AddArrayToObject(o, "box");
		double v[4] = {box->x, box->y, box->x + box->w, box->y + box->h};
		for (int i = 0; b != NULL && i < 4; i++)
			cJSON_AddItemToArray(b, cJSON_CreateNumber(v[i]));
	}
	if (o->child != NULL)
		out = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return out;
}

/* "x1,y1;x2,y2;..." */
static int parse_points(struct shape *s, const char *text)
{
	const char *p = text;
	char *end;

	while (*p != '\0') {
		double x = strtod(p, &end), y;
		if (end == p || *end != ',')
			return 0;
		p = end + 1;
		y = strtod(p, &end);
		if (end == p || !isfinite(x) || !isfinite(y))
			return 0;
		if (shape_add_point(s, x, y) < 0)
			return -1;
		p = end;
		while (*p == ';' || *p == ' ')
			p++;
	}
	return s->npoints > 0;
}

/* A box turned by deg degrees (clockwise, about its centre) as its four corners. */
static int rotated_box(struct shape *s, const struct rect *b, double deg)
{
	double cx = b->x + b->w / 2, cy = b->y + b->h / 2, t = deg * M_PI / 180;
	const double corners[4][2] = {
	    {b->x, b->y}, {b->x + b->w, b->y}, {b->x + b->w, b->y + b->h}, {b->x, b->y + b->h}};

	for (int i = 0; i < 4; i++) {
		double dx = corners[i][0] - cx, dy = corners[i][1] - cy;
		if (shape_add_point(s, cx + dx * cos(t) - dy * sin(t),
		                    cy + dx * sin(t) + dy * cos(t)) < 0)
			return -1;
	}
	return 0;
}

static int box_geometry(struct shape *s, const xmlNode *n, double *rotation, struct rect *box)
{
	double x0, y0, x1, y1;

	if (attr_num(n, "xtl", &x0) < 0 || attr_num(n, "ytl", &y0) < 0 ||
	    attr_num(n, "xbr", &x1) < 0 || attr_num(n, "ybr", &y1) < 0)
		return 0;
	*box = (struct rect){fmin(x0, x1), fmin(y0, y1), fabs(x1 - x0), fabs(y1 - y0)};
	if (attr_num(n, "rotation", rotation) < 0 || fmod(*rotation, 360) == 0) {
		*rotation = 0;
		s->kind = SHAPE_BOX;
		s->box = *box;
		return 1;
	}
	s->kind = SHAPE_POLYGON;
	if (rotated_box(s, box, *rotation) < 0 || shape_end_part(s) < 0)
		return -1;
	shape_update_bounds(s);
	return 1;
}

/* The geometry of one element: 1 done, 0 not a shape we draw, -1 out of memory. */
static int geometry_of(struct shape *s, const xmlNode *n, double *rotation, struct rect *box)
{
	char pts[1 << 16];
	int r = 0;

	if (is_el(n, "box"))
		return box_geometry(s, n, rotation, box);
	if (is_el(n, "tag")) {
		s->kind = SHAPE_CLASSIFICATION;
		return 1;
	}
	if (!is_el(n, "polygon") && !is_el(n, "polyline") && !is_el(n, "points"))
		return 0;
	s->kind = is_el(n, "polygon")    ? SHAPE_POLYGON
	          : is_el(n, "polyline") ? SHAPE_LINE
	                                 : SHAPE_POINT;
	if (attr(n, "points", pts, sizeof pts) == NULL || (r = parse_points(s, pts)) <= 0)
		return r;
	if ((s->kind == SHAPE_POLYGON && s->npoints < 3) ||
	    (s->kind == SHAPE_LINE && s->npoints < 2))
		return 0;
	if (shape_end_part(s) < 0)
		return -1;
	shape_update_bounds(s);
	return 1;
}

struct cvat_read {
	struct dataset_doc *doc;
	long skipped;
	char skipped_example[160];
	int counter;
};

static int add_shape(struct cvat_read *r, struct asset *a, const xmlNode *n)
{
	struct shape s = {.label = -1};
	double rotation = 0;
	struct rect box = {0, 0, 0, 0};
	char label[512], id[320];
	int g = geometry_of(&s, n, &rotation, &box);
	struct shape *slot;

	if (g <= 0) {
		shape_clear(&s);
		if (g == 0 && r->skipped++ == 0)
			snprintf(r->skipped_example, sizeof r->skipped_example, "<%s> on %s",
			         (const char *)n->name, a->filename);
		return g;
	}
	if (s.kind == SHAPE_CLASSIFICATION)
		s.box = (struct rect){0, 0, a->width, a->height};
	attr(n, "label", label, sizeof label);
	snprintf(id, sizeof id, "%s/%d", a->ext_id, r->counter++);
	if ((s.label = local_label(r->doc, label[0] ? label : "unnamed")) < 0 ||
	    (s.ext_id = strdup(id)) == NULL || (slot = asset_add_shape(a)) == NULL) {
		shape_clear(&s);
		return -1;
	}
	s.extra_json = shape_extras(n, rotation, &box); /* NULL: nothing to keep */
	*slot = s;
	return 1;
}

static int add_image(struct cvat_read *r, const xmlNode *n, const char *dir, const char *images_dir,
                     struct err *err)
{
	char name[PATH_MAX], id[64], path[PATH_MAX];
	double w = 0, h = 0;
	struct asset *a;
	int found;

	attr(n, "name", name, sizeof name);
	attr(n, "id", id, sizeof id);
	found = name[0] != '\0' && strstr(name, "..") == NULL && name[0] != '/' &&
	        ((images_dir != NULL && paths_join(path, sizeof path, images_dir, name) == 0 &&
	          paths_is_file(path)) ||
	         (paths_join(path, sizeof path, dir, name) == 0 && paths_is_file(path)) ||
	         (snprintf(path, sizeof path, "%s/images/%s", dir, name) < (int)sizeof path &&
	          paths_is_file(path)));
	if ((a = local_add_asset(r->doc, name[0] ? name : id, found ? path : NULL)) == NULL)
		return err_set(err, "out of memory");
	if (id[0] != '\0') {
		free(a->ext_id);
		if ((a->ext_id = strdup(id)) == NULL)
			return err_set(err, "out of memory");
	}
	if (attr_num(n, "width", &w) == 0 && attr_num(n, "height", &h) == 0 && w >= 1 && h >= 1 &&
	    w < 65536 && h < 65536) {
		a->width = (int)w;
		a->height = (int)h;
	}
	r->counter = 0;
	for (const xmlNode *c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && add_shape(r, a, c) < 0)
			return err_set(err, "out of memory");
	return 0;
}

/* The labels <meta> declares, in its order, so that unused ones are there too. */
static int meta_labels(struct cvat_read *r, const xmlNode *root)
{
	for (const xmlNode *m = root->children; m != NULL; m = m->next) {
		if (!is_el(m, "meta"))
			continue;
		for (const xmlNode *t = m->children; t != NULL; t = t->next) {
			const xmlNode *labels = NULL;
			for (const xmlNode *c = t->children; c != NULL; c = c->next)
				if (is_el(c, "labels"))
					labels = c;
			for (const xmlNode *l = labels ? labels->children : NULL; l != NULL;
			     l = l->next) {
				for (const xmlNode *nm = l->children;
				     is_el(l, "label") && nm != NULL; nm = nm->next) {
					xmlChar *v;
					if (!is_el(nm, "name"))
						continue;
					v = xmlNodeGetContent(nm);
					if (v != NULL && v[0] != '\0' &&
					    local_label(r->doc, (const char *)v) < 0) {
						xmlFree(v);
						return -1;
					}
					xmlFree(v);
				}
			}
		}
	}
	return 0;
}

static int cvat_read(const char *path, const char *split, const char *images_dir,
                     struct dataset_doc **out, struct err *err)
{
	struct cvat c;
	struct cvat_read r = {0};
	char dir[PATH_MAX], subset[256];
	int rc = -1;

	*out = NULL;
	if (cvat_load(path, &c, err) < 0)
		return -1;
	str_copy(dir, c.path, sizeof dir);
	*strrchr(dir, '/') = '\0';
	if ((r.doc = local_doc_new(paths_is_dir(path) ? path : dir, "cvat")) == NULL ||
	    meta_labels(&r, c.root) < 0) {
		err_set(err, "out of memory");
		goto out;
	}
	for (const xmlNode *n = c.root->children; n != NULL; n = n->next) {
		if (!is_el(n, "image"))
			continue;
		attr(n, "subset", subset, sizeof subset);
		if (split != NULL && strcmp(subset, split) != 0)
			continue;
		if (add_image(&r, n, dir, images_dir, err) < 0)
			goto out;
	}
	if (r.skipped > 0 &&
	    dataset_doc_warn(r.doc,
	                     "%ld CVAT shape(s) of a kind annotty does not draw (masks, "
	                     "ellipses, cuboids, skeletons) were skipped, e.g. %s",
	                     r.skipped, r.skipped_example) < 0) {
		err_set(err, "out of memory");
		goto out;
	}
	*out = r.doc;
	r.doc = NULL;
	rc = 0;
out:
	dataset_doc_free(&r.doc);
	xmlFreeDoc(c.x);
	return rc;
}

const struct local_format local_format_cvat = {
    .name = "cvat",
    .what = "CVAT for images 1.1 XML",
    .detect = cvat_detect,
    .splits = cvat_splits,
    .read = cvat_read,
};
