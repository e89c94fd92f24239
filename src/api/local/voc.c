/* Pascal VOC XML reader: Annotations/ XML files with JPEGImages/ (or the XML files beside their
 * images, as LabelImg and Roboflow write them), ImageSets/Main/ lists as splits; boxes with
 * difficult, truncated, occluded, pose, parts (boxes of their own) and segmented. XML is read
 * with libxml2, without the network and without expanding entities. */
#include "api/local/local_format.h"
#include "core/err.h"
#include "core/model.h"
#include "core/paths.h"
#include "core/str.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const xml_exts[] = {"xml", NULL};

/* ---- the layout ---- */

/* Where a VOC source keeps its files. */
struct voc_layout {
	char ann_dir[PATH_MAX];  /* the XML files (or split folders of them) */
	char img_dir[PATH_MAX];  /* JPEGImages/, or the XML folder itself */
	char sets_dir[PATH_MAX]; /* ImageSets/Main/, or "" */
	int split_dirs;          /* splits are subfolders of ann_dir (train/, val/) */
	char single[PATH_MAX];   /* one XML file opened by itself, or "" */
};

/* An XML file whose root element is <annotation> (not CVAT's <annotations>). */
static int is_voc_xml(const char *path)
{
	char head[2048];
	const char *p;

	if (local_peek(path, head, sizeof head) <= 0)
		return 0;
	for (p = strstr(head, "<annotation"); p != NULL; p = strstr(p + 1, "<annotation"))
		if (p[11] == '>' || isspace((unsigned char)p[11]))
			return 1;
	return 0;
}

static int first_xml_is_voc(const char *dir, int depth)
{
	struct local_files f;
	struct err e;
	char path[PATH_MAX];
	int r = 0;

	if (local_files_list(dir, xml_exts, depth, &f, &e) < 0)
		return 0;
	/* a folder of VOC files may hold an odd one out (VOC's own "@.xml"): look at a few */
	for (size_t i = 0; i < f.n && i < 4 && !r; i++)
		r = paths_join(path, sizeof path, dir, f.names[i]) == 0 && is_voc_xml(path);
	local_files_clear(&f);
	return r;
}

static int sub_dir(char *out, const char *root, const char *name)
{
	return paths_join(out, PATH_MAX, root, name) == 0 && paths_is_dir(out);
}

/* Subfolders of dir that hold VOC XML files (Roboflow's train/, valid/, test/). */
static int split_folders(const char *dir, struct local_splits *out, struct err *err)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	char sub[PATH_MAX];
	int rc = 0;

	if (d == NULL)
		return 0;
	while (rc == 0 && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && paths_join(sub, sizeof sub, dir, e->d_name) == 0 &&
		    paths_is_dir(sub) && first_xml_is_voc(sub, 0))
			rc = local_splits_add(out, e->d_name) < 0 ? err_set(err, "out of memory")
			                                          : 0;
	closedir(d);
	/* sorted, for a stable order of versions */
	for (int i = 1; i < out->n; i++)
		for (int j = i; j > 0 && strcmp(out->names[j - 1], out->names[j]) > 0; j--) {
			char *t = out->names[j];
			out->names[j] = out->names[j - 1];
			out->names[j - 1] = t;
		}
	return rc;
}

static int voc_layout_of(const char *path, struct voc_layout *l)
{
	struct local_splits s = {0};
	struct err e;

	memset(l, 0, sizeof *l);
	if (paths_is_file(path)) {
		if (!local_has_ext(path, "xml") || !is_voc_xml(path))
			return -1;
		str_copy(l->single, path, sizeof l->single);
		str_copy(l->ann_dir, path, sizeof l->ann_dir);
		*strrchr(l->ann_dir, '/') = '\0';
		str_copy(l->img_dir, l->ann_dir, sizeof l->img_dir);
		return 0;
	}
	if (sub_dir(l->ann_dir, path, "Annotations") && first_xml_is_voc(l->ann_dir, 0)) {
		if (!sub_dir(l->img_dir, path, "JPEGImages"))
			str_copy(l->img_dir, path, sizeof l->img_dir);
		if (!sub_dir(l->sets_dir, path, "ImageSets/Main"))
			l->sets_dir[0] = '\0';
		return 0;
	}
	str_copy(l->ann_dir, path, sizeof l->ann_dir);
	str_copy(l->img_dir, path, sizeof l->img_dir);
	if (first_xml_is_voc(path, 0))
		return 0;
	if (split_folders(path, &s, &e) == 0 && s.n > 0) {
		l->split_dirs = 1;
		local_splits_clear(&s);
		return 0;
	}
	local_splits_clear(&s);
	return -1;
}

static int voc_detect(const char *path)
{
	struct voc_layout l;

	return voc_layout_of(path, &l) == 0;
}

/* ---- splits ---- */

/* The split a list file names: "train.txt" -> train, "cat_train.txt" -> train. */
static int split_of_file(const char *name, char *out, size_t outsz)
{
	const char *us;

	if (!local_has_ext(name, "txt") || strchr(name, '/') != NULL)
		return -1;
	local_stem(name, out, outsz);
	us = strrchr(out, '_');
	if (us != NULL)
		memmove(out, us + 1, strlen(us + 1) + 1);
	return out[0] != '\0' ? 0 : -1;
}

static int voc_splits(const char *path, struct local_splits *out, struct err *err)
{
	static const char *const txt[] = {"txt", NULL};
	struct voc_layout l;
	struct local_files f;
	char name[256];
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (voc_layout_of(path, &l) < 0)
		return err_setk(err, ERR_PARSE, "%s is not a Pascal VOC dataset", path);
	if (l.split_dirs)
		return split_folders(l.ann_dir, out, err);
	if (l.sets_dir[0] == '\0')
		return 0;
	if (local_files_list(l.sets_dir, txt, 0, &f, err) < 0)
		return -1;
	for (size_t i = 0; i < f.n && rc == 0; i++)
		if (split_of_file(f.names[i], name, sizeof name) == 0 &&
		    local_splits_add(out, name) < 0)
			rc = err_set(err, "out of memory");
	local_files_clear(&f);
	return rc;
}

/* ---- one XML file ---- */

static const xmlNode *child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n != NULL ? n->children : NULL; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

/* The trimmed text of an element into out; "" when it has none. */
static const char *text_of(const xmlNode *n, char *out, size_t outsz)
{
	xmlChar *t = n != NULL ? xmlNodeGetContent(n) : NULL;
	const char *s = (const char *)t;
	size_t len;

	out[0] = '\0';
	if (s == NULL)
		return out;
	while (isspace((unsigned char)*s))
		s++;
	str_copy(out, s, outsz);
	len = strlen(out);
	while (len > 0 && isspace((unsigned char)out[len - 1]))
		out[--len] = '\0';
	xmlFree(t);
	return out;
}

static int number_of(const xmlNode *n, double *out)
{
	char text[64], *end;

	text_of(n, text, sizeof text);
	if (text[0] == '\0')
		return -1;
	*out = strtod(text, &end);
	return *end == '\0' && isfinite(*out) ? 0 : -1;
}

/* <bndbox> with its four corners in any order. */
static int bndbox_of(const xmlNode *obj, struct rect *r)
{
	const xmlNode *bb = child(obj, "bndbox");
	double x0, y0, x1, y1;

	if (bb == NULL || number_of(child(bb, "xmin"), &x0) < 0 ||
	    number_of(child(bb, "ymin"), &y0) < 0 || number_of(child(bb, "xmax"), &x1) < 0 ||
	    number_of(child(bb, "ymax"), &y1) < 0)
		return -1;
	r->x = fmin(x0, x1);
	r->y = fmin(y0, y1);
	r->w = fabs(x1 - x0);
	r->h = fabs(y1 - y0);
	return 0;
}

/* The object's fields besides name and box, as JSON kept for the round trip. */
static char *object_extras(const xmlNode *obj, const char *part_of)
{
	static const char *const flags[] = {"truncated", "difficult", "occluded", NULL};
	cJSON *o = cJSON_CreateObject();
	char text[256], *out = NULL;
	const xmlNode *n;

	if (o == NULL)
		return NULL;
	if ((n = child(obj, "pose")) != NULL)
		cJSON_AddStringToObject(o, "pose", text_of(n, text, sizeof text));
	for (int i = 0; flags[i] != NULL; i++)
		if ((n = child(obj, flags[i])) != NULL)
			cJSON_AddNumberToObject(o, flags[i], atoi(text_of(n, text, sizeof text)));
	if ((n = child(obj, "actions")) != NULL) {
		cJSON *acts = cJSON_AddObjectToObject(o, "actions");
		for (const xmlNode *c = n->children; acts != NULL && c != NULL; c = c->next)
			if (c->type == XML_ELEMENT_NODE)
				cJSON_AddNumberToObject(acts, (const char *)c->name,
				                        atoi(text_of(c, text, sizeof text)));
	}
	if (part_of != NULL)
		cJSON_AddStringToObject(o, "voc_part_of", part_of);
	if (o->child != NULL)
		out = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return out;
}

struct voc_file {
	struct dataset_doc *doc;
	struct asset *asset;
	char stem[256];
	int nobj;
	long no_box;
};

static int add_box(struct voc_file *vf, const xmlNode *obj, const char *part_of, char *id_out)
{
	char name[256], id[300];
	struct shape *s;
	struct rect r;
	int label;

	if (bndbox_of(obj, &r) < 0) {
		vf->no_box++;
		return 0;
	}
	text_of(child(obj, "name"), name, sizeof name);
	label = local_label(vf->doc, name[0] ? name : "unnamed");
	snprintf(id, sizeof id, "%s/%d", vf->stem, vf->nobj++);
	if (label < 0 || (s = asset_add_shape(vf->asset)) == NULL)
		return -1;
	s->kind = SHAPE_BOX;
	s->label = label;
	s->box = r;
	if ((s->ext_id = strdup(id)) == NULL)
		return -1;
	s->extra_json = object_extras(obj, part_of);
	if (id_out != NULL)
		str_copy(id_out, id, 300);
	return 0;
}

static int add_objects(struct voc_file *vf, const xmlNode *root)
{
	for (const xmlNode *o = root->children; o != NULL; o = o->next) {
		char id[300] = "";

		if (o->type != XML_ELEMENT_NODE || strcmp((const char *)o->name, "object") != 0)
			continue;
		if (add_box(vf, o, NULL, id) < 0)
			return -1;
		for (const xmlNode *p = o->children; id[0] && p != NULL; p = p->next)
			if (p->type == XML_ELEMENT_NODE &&
			    strcmp((const char *)p->name, "part") == 0 &&
			    add_box(vf, p, id, NULL) < 0)
				return -1;
	}
	return 0;
}

/* The annotty element an export wrote: the review status and the tags. */
static int read_review(struct asset *a, const xmlNode *root)
{
	const xmlNode *an = child(root, "annotty"), *tags = child(an, "tags");
	char text[512];

	if (an == NULL)
		return 0;
	review_status_parse(text_of(child(an, "status"), text, sizeof text), &a->status);
	for (const xmlNode *t = tags != NULL ? tags->children : NULL; t != NULL; t = t->next)
		if (t->type == XML_ELEMENT_NODE && text_of(t, text, sizeof text)[0] != '\0' &&
		    asset_add_tag(a, text) < 0)
			return -1;
	return 0;
}

static char *asset_extras(const xmlNode *root)
{
	cJSON *o = cJSON_CreateObject();
	const xmlNode *n, *size = child(root, "size");
	char text[PATH_MAX], *out = NULL;

	if (o == NULL)
		return NULL;
	if ((n = child(root, "folder")) != NULL)
		cJSON_AddStringToObject(o, "folder", text_of(n, text, sizeof text));
	if ((n = child(size, "depth")) != NULL)
		cJSON_AddNumberToObject(o, "depth", atoi(text_of(n, text, sizeof text)));
	if ((n = child(root, "segmented")) != NULL)
		cJSON_AddNumberToObject(o, "segmented", atoi(text_of(n, text, sizeof text)));
	if (o->child != NULL)
		out = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return out;
}

/* A file in dir whose name matches without case, newly allocated, or NULL. */
static char *find_nocase(const char *dir, const char *name, const char *stem)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	char *found = NULL, s[256];

	if (d == NULL)
		return NULL;
	while (found == NULL && (e = readdir(d)) != NULL) {
		local_stem(e->d_name, s, sizeof s);
		if (strcasecmp(e->d_name, name) == 0 ||
		    (local_is_image_name(e->d_name) && strcasecmp(s, stem) == 0)) {
			char p[PATH_MAX];
			if (paths_join(p, sizeof p, dir, e->d_name) == 0)
				found = strdup(p);
		}
	}
	closedir(d);
	return found;
}

/* The image of an annotation: its <filename> in the images folder (with or without an
 * extension, in any case), else the image named like the XML file. */
static char *locate_image(const char *img_dir, const char *filename, const char *xml_stem)
{
	char path[PATH_MAX], stem[256];
	char *found;

	if (filename[0] != '\0' && strstr(filename, "..") == NULL && filename[0] != '/' &&
	    paths_join(path, sizeof path, img_dir, filename) == 0 && paths_is_file(path))
		return strdup(path);
	local_stem(filename[0] ? filename : xml_stem, stem, sizeof stem);
	if ((found = local_find_image(img_dir, stem)) != NULL ||
	    (found = local_find_image(img_dir, xml_stem)) != NULL)
		return found;
	return find_nocase(img_dir, filename, stem[0] ? stem : xml_stem);
}

struct voc_read {
	struct dataset_doc *doc;
	const char *img_dir;
	long unreadable;
	char unreadable_example[256];
	long missing;
	char missing_example[256];
	char split_dir[PATH_MAX]; /* the split folder being read, when splits are folders */
};

static int read_root(struct voc_read *r, const xmlNode *root, const char *xml_name)
{
	struct voc_file vf = {.doc = r->doc};
	char filename[PATH_MAX], *image;
	const xmlNode *size = child(root, "size");
	double w = 0, h = 0;

	local_stem(xml_name, vf.stem, sizeof vf.stem);
	text_of(child(root, "filename"), filename, sizeof filename);
	image = locate_image(r->img_dir, filename, vf.stem);
	if (image == NULL && r->missing++ == 0)
		str_copy(r->missing_example, filename[0] ? filename : xml_name,
		         sizeof r->missing_example);
	/* the image's own name when it was found: <filename> may lack the extension */
	vf.asset = local_add_asset(
	    r->doc, image != NULL ? path_base(image) : (filename[0] ? filename : vf.stem), image);
	free(image);
	if (vf.asset == NULL)
		return -1;
	if (number_of(child(size, "width"), &w) == 0 && number_of(child(size, "height"), &h) == 0 &&
	    w >= 1 && h >= 1 && w < 65536 && h < 65536) {
		vf.asset->width = (int)w;
		vf.asset->height = (int)h;
	}
	vf.asset->extra_json = asset_extras(root);
	if (read_review(vf.asset, root) < 0 || add_objects(&vf, root) < 0)
		return -1;
	if (vf.no_box > 0 &&
	    dataset_doc_warn(r->doc, "%s: %ld object(s) without a usable bndbox skipped", xml_name,
	                     vf.no_box) < 0)
		return -1;
	return 0;
}

static int read_xml(struct voc_read *r, const char *path, const char *name, struct err *err)
{
	char *text = NULL;
	size_t len = 0;
	xmlDoc *x = NULL;
	const xmlNode *root;
	int rc = -1;

	if (local_read_text(path, &text, &len, err) < 0)
		return -1;
	x = xmlReadMemory(text, (int)len, path, NULL,
	                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	root = x != NULL ? xmlDocGetRootElement(x) : NULL;
	if (root == NULL || strcmp((const char *)root->name, "annotation") != 0) {
		/* not one of ours (VOC's own "@.xml" sits there to catch that): say so, go on */
		if (r->unreadable++ == 0)
			str_copy(r->unreadable_example, name, sizeof r->unreadable_example);
		rc = 0;
		goto out;
	}
	rc = read_root(r, root, name);
	if (rc < 0)
		err_set(err, "out of memory reading %s", path);
out:
	xmlFreeDoc(x);
	free(text);
	return rc;
}

/* ---- the whole source ---- */

/* The image ids a split lists (ImageSets/Main/SPLIT.txt and every CLASS_SPLIT.txt). */
static int split_members(const struct voc_layout *l, const char *split, struct local_files *ids,
                         struct err *err)
{
	static const char *const txt[] = {"txt", NULL};
	struct local_files f;
	char name[256], path[PATH_MAX], line[1024];
	int rc = 0;

	memset(ids, 0, sizeof *ids);
	if (local_files_list(l->sets_dir, txt, 0, &f, err) < 0)
		return -1;
	for (size_t i = 0; i < f.n && rc == 0; i++) {
		FILE *fp;
		if (split_of_file(f.names[i], name, sizeof name) < 0 || strcmp(name, split) != 0 ||
		    paths_join(path, sizeof path, l->sets_dir, f.names[i]) < 0 ||
		    (fp = fopen(path, "r")) == NULL)
			continue;
		while (rc == 0 && fgets(line, sizeof line, fp) != NULL) {
			char id[512];
			if (sscanf(line, "%511s", id) == 1 && local_files_add(ids, id) < 0)
				rc = err_set(err, "out of memory");
		}
		fclose(fp);
	}
	local_files_clear(&f);
	return rc;
}

static int in_list(const struct local_files *ids, const char *stem)
{
	for (size_t i = 0; i < ids->n; i++)
		if (strcmp(ids->names[i], stem) == 0)
			return 1;
	return 0;
}

static int voc_finish(struct voc_read *r)
{
	if (r->unreadable > 0 &&
	    dataset_doc_warn(r->doc,
	                     "%ld XML file(s) that are not VOC annotations were skipped, "
	                     "e.g. %s",
	                     r->unreadable, r->unreadable_example) < 0)
		return -1;
	if (r->missing > 0 &&
	    dataset_doc_warn(r->doc, "%ld image(s) not found in %s, e.g. %s (use --images DIR)",
	                     r->missing, r->img_dir, r->missing_example) < 0)
		return -1;
	return 0;
}

static int lower_cmp(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/* Images with no XML file yet: assets without shapes, to annotate. The stems of the XML files
 * and of the images found are sorted once, so that this stays one lookup per image. */
static int add_unannotated(struct voc_read *r, const struct local_files *xmls)
{
	struct local_files imgs, seen = {0};
	struct err e;
	char stem[256];
	int rc = -1;

	if (local_files_list(r->img_dir, local_image_exts, 0, &imgs, &e) < 0)
		return 0;
	for (size_t k = 0; k < xmls->n; k++) {
		local_stem(xmls->names[k], stem, sizeof stem);
		if (local_files_add(&seen, stem) < 0)
			goto out;
	}
	for (int k = 0; k < r->doc->nassets; k++) {
		local_stem(r->doc->assets[k].filename, stem, sizeof stem);
		if (local_files_add(&seen, stem) < 0)
			goto out;
	}
	qsort(seen.names, seen.n, sizeof *seen.names, lower_cmp);
	for (size_t i = 0; i < imgs.n; i++) {
		char path[PATH_MAX], *key = stem;
		local_stem(imgs.names[i], stem, sizeof stem);
		if (bsearch(&key, seen.names, seen.n, sizeof *seen.names, lower_cmp) != NULL ||
		    paths_join(path, sizeof path, r->img_dir, imgs.names[i]) < 0)
			continue;
		if (local_add_asset(r->doc, imgs.names[i], path) == NULL)
			goto out;
	}
	rc = 0;
out:
	local_files_clear(&seen);
	local_files_clear(&imgs);
	return rc;
}

static int read_folder(struct voc_read *r, const char *dir, const struct local_files *only,
                       int unannotated, struct err *err)
{
	struct local_files xmls;
	char path[PATH_MAX], stem[256];
	int rc = -1;

	if (local_files_list(dir, xml_exts, 0, &xmls, err) < 0)
		return -1;
	for (size_t i = 0; i < xmls.n; i++) {
		local_stem(xmls.names[i], stem, sizeof stem);
		if (only != NULL && !in_list(only, stem))
			continue;
		if (paths_join(path, sizeof path, dir, xmls.names[i]) < 0 ||
		    read_xml(r, path, xmls.names[i], err) < 0)
			goto out;
	}
	if (unannotated && add_unannotated(r, &xmls) < 0) {
		err_set(err, "out of memory");
		goto out;
	}
	rc = 0;
out:
	local_files_clear(&xmls);
	return rc;
}

static int voc_read_split(struct voc_read *r, const struct voc_layout *l, const char *split,
                          struct err *err)
{
	struct local_files ids;
	int rc;

	if (l->split_dirs) {
		if (paths_join(r->split_dir, sizeof r->split_dir, l->ann_dir, split) < 0)
			return err_set(err, "path too long");
		r->img_dir = r->split_dir;
		return read_folder(r, r->split_dir, NULL, 1, err);
	}
	if (split_members(l, split, &ids, err) < 0)
		return -1;
	rc = read_folder(r, l->ann_dir, &ids, 0, err);
	local_files_clear(&ids);
	return rc;
}

static int voc_read(const char *path, const char *split, const char *images_dir,
                    struct dataset_doc **out, struct err *err)
{
	struct voc_read r = {0};
	struct voc_layout l;
	struct local_splits s = {0};
	int rc = -1;

	*out = NULL;
	if (voc_layout_of(path, &l) < 0)
		return err_setk(err, ERR_PARSE, "%s is not a Pascal VOC dataset", path);
	if ((r.doc = local_doc_new(path, "voc")) == NULL)
		return err_set(err, "out of memory");
	r.img_dir = images_dir != NULL ? images_dir : l.img_dir;
	if (l.single[0] != '\0')
		rc = read_xml(&r, l.single, path_base(l.single), err);
	else if (split != NULL)
		rc = voc_read_split(&r, &l, split, err);
	else if (l.split_dirs) {
		rc = split_folders(l.ann_dir, &s, err);
		for (int i = 0; i < s.n && rc == 0; i++)
			rc = voc_read_split(&r, &l, s.names[i], err);
		local_splits_clear(&s);
	} else
		rc = read_folder(&r, l.ann_dir, NULL, 1, err);
	if (rc == 0 && voc_finish(&r) < 0)
		rc = err_set(err, "out of memory");
	if (rc == 0) {
		*out = r.doc;
		r.doc = NULL;
	}
	dataset_doc_free(&r.doc);
	return rc;
}

const struct local_format local_format_voc = {
    .name = "voc",
    .what = "Pascal VOC XML",
    .detect = voc_detect,
    .splits = voc_splits,
    .read = voc_read,
};
