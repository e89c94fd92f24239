/* Pascal VOC writer: OUT/Annotations/NAME.xml per image, OUT/ImageSets/Main/default.txt, and
 * the images in OUT/JPEGImages/ when asked. Boxes with their pose, truncated, difficult,
 * occluded, actions and parts as they were read; other shapes as the boxes around them (VOC
 * has nothing else); the review status and tags in an <annotty> element VOC tools ignore. */
#include "api/backend.h"
#include "api/local/local_format.h"
#include "core/err.h"
#include "core/log.h"
#include "core/model.h"
#include "core/paths.h"
#include "core/str.h"

#include <cjson/cJSON.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_text(xmlNode *parent, const char *name, const char *text)
{
	xmlNewTextChild(parent, NULL, (const xmlChar *)name, (const xmlChar *)text);
}

static void add_num(xmlNode *parent, const char *name, double v)
{
	char text[64];

	snprintf(text, sizeof text, "%.17g", v);
	/* the shortest form that reads back the same: 5.5, not 5.5000000000000000 */
	for (int p = 1; p <= 17; p++) {
		char t[64];
		snprintf(t, sizeof t, "%.*g", p, v);
		if (strtod(t, NULL) == v) {
			str_copy(text, t, sizeof text);
			break;
		}
	}
	add_text(parent, name, text);
}

static void add_bndbox(xmlNode *obj, const struct rect *r)
{
	xmlNode *bb = xmlNewChild(obj, NULL, (const xmlChar *)"bndbox", NULL);

	add_num(bb, "xmin", r->x);
	add_num(bb, "ymin", r->y);
	add_num(bb, "xmax", r->x + r->w);
	add_num(bb, "ymax", r->y + r->h);
}

/* The object's kept fields, in VOC's order. */
static void add_object_fields(xmlNode *obj, const cJSON *x)
{
	static const char *const flags[] = {"truncated", "difficult", "occluded", NULL};
	const cJSON *pose = cJSON_GetObjectItemCaseSensitive(x, "pose");

	add_text(obj, "pose", cJSON_IsString(pose) ? pose->valuestring : "Unspecified");
	for (int i = 0; flags[i] != NULL; i++) {
		const cJSON *f = cJSON_GetObjectItemCaseSensitive(x, flags[i]);
		add_num(obj, flags[i], cJSON_IsNumber(f) ? f->valuedouble : 0);
	}
}

static void add_actions(xmlNode *obj, const cJSON *x)
{
	const cJSON *acts = cJSON_GetObjectItemCaseSensitive(x, "actions"), *a;
	xmlNode *n;

	if (!cJSON_IsObject(acts))
		return;
	n = xmlNewChild(obj, NULL, (const xmlChar *)"actions", NULL);
	cJSON_ArrayForEach(a, acts)
	{
		add_num(n, a->string, cJSON_IsNumber(a) ? a->valuedouble : 0);
	}
}

static const char *label_name(const struct dataset_doc *doc, int label)
{
	return label >= 0 && label < doc->nlabels && doc->labels[label].name
	           ? doc->labels[label].name
	           : "unlabelled";
}

static const char *part_of(const cJSON *x)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(x, "voc_part_of");

	return cJSON_IsString(p) ? p->valuestring : NULL;
}

/* The parts whose parent is s, nested in obj. */
static void add_parts(xmlNode *obj, const struct dataset_doc *doc, const struct asset *a,
                      const struct shape *s)
{
	for (int i = 0; s->ext_id != NULL && i < a->nshapes; i++) {
		cJSON *x = cJSON_Parse(a->shapes[i].extra_json ? a->shapes[i].extra_json : "{}");
		const char *of = part_of(x);
		if (of != NULL && strcmp(of, s->ext_id) == 0) {
			xmlNode *p = xmlNewChild(obj, NULL, (const xmlChar *)"part", NULL);
			add_text(p, "name", label_name(doc, a->shapes[i].label));
			add_bndbox(p, &a->shapes[i].box);
		}
		cJSON_Delete(x);
	}
}

static void add_objects(xmlNode *root, const struct dataset_doc *doc, const struct asset *a,
                        long *boxed)
{
	for (int i = 0; i < a->nshapes; i++) {
		const struct shape *s = &a->shapes[i];
		cJSON *x = cJSON_Parse(s->extra_json ? s->extra_json : "{}");
		xmlNode *obj;

		if (part_of(x) == NULL && s->kind != SHAPE_CLASSIFICATION) {
			*boxed += s->kind != SHAPE_BOX;
			obj = xmlNewChild(root, NULL, (const xmlChar *)"object", NULL);
			add_text(obj, "name", label_name(doc, s->label));
			add_object_fields(obj, x);
			add_bndbox(obj, &s->box);
			add_parts(obj, doc, a, s);
			add_actions(obj, x);
		}
		cJSON_Delete(x);
	}
}

static void add_review(xmlNode *root, const struct asset *a)
{
	xmlNode *an, *tags;

	if (a->status == REVIEW_PENDING && a->ntags == 0)
		return;
	an = xmlNewChild(root, NULL, (const xmlChar *)"annotty", NULL);
	add_text(an, "status", review_status_name(a->status));
	tags = xmlNewChild(an, NULL, (const xmlChar *)"tags", NULL);
	for (int t = 0; t < a->ntags; t++)
		add_text(tags, "tag", a->tags[t]);
}

static xmlDoc *asset_xml(const struct dataset_doc *doc, const struct asset *a, const char *file,
                         long *boxed)
{
	xmlDoc *x = xmlNewDoc((const xmlChar *)"1.0");
	xmlNode *root = xmlNewNode(NULL, (const xmlChar *)"annotation"), *size;
	cJSON *ex = cJSON_Parse(a->extra_json ? a->extra_json : "{}");
	const cJSON *folder = cJSON_GetObjectItemCaseSensitive(ex, "folder");
	const cJSON *depth = cJSON_GetObjectItemCaseSensitive(ex, "depth");
	const cJSON *seg = cJSON_GetObjectItemCaseSensitive(ex, "segmented");

	xmlDocSetRootElement(x, root);
	add_text(root, "folder", cJSON_IsString(folder) ? folder->valuestring : "JPEGImages");
	add_text(root, "filename", file);
	size = xmlNewChild(root, NULL, (const xmlChar *)"size", NULL);
	add_num(size, "width", a->width);
	add_num(size, "height", a->height);
	add_num(size, "depth", cJSON_IsNumber(depth) ? depth->valuedouble : 3);
	add_num(root, "segmented", cJSON_IsNumber(seg) ? seg->valuedouble : 0);
	add_objects(root, doc, a, boxed);
	add_review(root, a);
	cJSON_Delete(ex);
	return x;
}

static const char *file_of(const struct asset *a)
{
	if (a->filename != NULL && a->filename[0] != '\0')
		return path_base(a->filename);
	return a->path != NULL ? path_base(a->path) : "image";
}

static int write_one(const struct dataset_doc *doc, const struct asset *a, const char *dir,
                     const struct export_options *o, long *boxed, struct err *err)
{
	char stem[256], path[PATH_MAX], jpeg[PATH_MAX];
	xmlChar *text = NULL;
	int len = 0, rc;
	xmlDoc *x = asset_xml(doc, a, file_of(a), boxed);

	local_stem(file_of(a), stem, sizeof stem);
	xmlDocDumpFormatMemoryEnc(x, &text, &len, "UTF-8", 1);
	xmlFreeDoc(x);
	if (text == NULL)
		return err_set(err, "out of memory writing the VOC XML of %s", file_of(a));
	if (snprintf(path, sizeof path, "%s/Annotations/%s.xml", dir, stem) >= (int)sizeof path)
		rc = err_set(err, "path too long");
	else
		rc = local_write_text(path, (const char *)text, (size_t)len, err);
	xmlFree(text);
	if (rc == 0 && snprintf(jpeg, sizeof jpeg, "%s/JPEGImages", dir) < (int)sizeof jpeg)
		rc = local_place_image(a, jpeg, file_of(a), o, err);
	return rc;
}

int voc_write_dir(const struct dataset_doc *doc, const char *dir, const struct export_options *o,
                  struct err *err)
{
	char sub[PATH_MAX];
	struct buf_list {
		char *text;
		size_t len, cap;
	} list = {0};
	long boxed = 0;
	int rc = -1;

	if (local_out_dir(dir, err) < 0)
		return -1;
	if (snprintf(sub, sizeof sub, "%s/Annotations", dir) >= (int)sizeof sub ||
	    paths_mkdirs(sub, err) < 0 ||
	    snprintf(sub, sizeof sub, "%s/ImageSets/Main", dir) >= (int)sizeof sub ||
	    paths_mkdirs(sub, err) < 0 ||
	    (o->images != EXPORT_IMAGES_NONE &&
	     (snprintf(sub, sizeof sub, "%s/JPEGImages", dir) >= (int)sizeof sub ||
	      paths_mkdirs(sub, err) < 0)))
		return -1;
	for (int i = 0; i < doc->nassets; i++) {
		char stem[256];
		size_t n;
		if (write_one(doc, &doc->assets[i], dir, o, &boxed, err) < 0)
			goto out;
		local_stem(file_of(&doc->assets[i]), stem, sizeof stem);
		n = strlen(stem);
		if (list.len + n + 2 > list.cap) {
			size_t cap = (list.cap + n + 2) * 2;
			char *grown = realloc(list.text, cap);
			if (grown == NULL) {
				err_set(err, "out of memory");
				goto out;
			}
			list.text = grown;
			list.cap = cap;
		}
		memcpy(list.text + list.len, stem, n);
		list.len += n;
		list.text[list.len++] = '\n';
	}
	snprintf(sub, sizeof sub, "%s/ImageSets/Main/default.txt", dir);
	if (local_write_text(sub, list.text != NULL ? list.text : "", list.len, err) < 0)
		goto out;
	if (boxed > 0)
		log_msg(LOG_WARN,
		        "VOC export to %s: %ld shape(s) that are not boxes were written as "
		        "the boxes around them",
		        dir, boxed);
	rc = 0;
out:
	free(list.text);
	return rc;
}
