/* YOLO reader: darknet (obj.data, obj.names or classes.txt, train.txt) and YOLOv5/v8
 * (data.yaml: names as a list or a map, path and train/val/test as folders, list files or
 * lists, relative or absolute; images/ and labels/ side by side). Each label line is a box
 * (5 numbers), a polygon (an odd count above 5: oriented boxes are 4-point polygons), or a
 * pose (5 + keypoints as data.yaml's kpt_shape says), with a confidence when one number is
 * left over. Coordinates are fractions of the image, whose size is read from its header. */
#include "api/local/local_format.h"
#include "api/local/yolo_internal.h"
#include "core/err.h"
#include "core/model.h"
#include "core/paths.h"
#include "core/str.h"

#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define YOLO_LINE_MAX (1 << 20) /* a polygon of 50 000 points */
#define YOLO_NUMS_MAX (1 << 17)
#define YOLO_DEPTH    3

static const char *const txt_exts[] = {"txt", NULL};

/* ---- finding the pieces ---- */

static int join_is(char *out, const char *dir, const char *name, int want_dir)
{
	if (paths_join(out, PATH_MAX, dir, name) < 0)
		return 0;
	return want_dir ? paths_is_dir(out) : paths_is_file(out);
}

/* The data.yaml of a folder (data.yaml, else the one *.yaml with names), or the file itself. */
static int find_yaml(const char *path, char *out)
{
	static const char *const yaml[] = {"yaml", "yml", NULL};
	struct local_files f;
	struct err e;
	int found = 0;

	if (paths_is_file(path)) {
		str_copy(out, path, PATH_MAX);
		return local_has_ext(path, "yaml") || local_has_ext(path, "yml");
	}
	if (join_is(out, path, "data.yaml", 0) || join_is(out, path, "data.yml", 0))
		return 1;
	if (local_files_list(path, yaml, 0, &f, &e) < 0)
		return 0;
	for (size_t i = 0; i < f.n && !found; i++) {
		char head[4096];
		found = paths_join(out, PATH_MAX, path, f.names[i]) == 0 &&
		        local_peek(out, head, sizeof head) > 0 && strstr(head, "names") != NULL;
	}
	local_files_clear(&f);
	return found;
}

static int find_names_file(const char *dir, char *out)
{
	return join_is(out, dir, "obj.names", 0) || join_is(out, dir, "classes.txt", 0) ||
	       join_is(out, dir, "classes.names", 0);
}

static int yolo_detect(const char *path)
{
	char p[PATH_MAX];

	if (paths_is_file(path))
		return find_yaml(path, p) || strcmp(path_base(path), "obj.data") == 0;
	if (!paths_is_dir(path))
		return 0;
	if (find_yaml(path, p) || join_is(p, path, "obj.data", 0) || find_names_file(path, p))
		return 1;
	/* images/ and labels/ side by side, even without a names file */
	return join_is(p, path, "labels", 1) && local_dir_has(p, txt_exts, YOLO_DEPTH) &&
	       join_is(p, path, "images", 1);
}

/* ---- the source's description: names, splits and where their images are ---- */

static void config_clear(struct yolo_config *c)
{
	for (int i = 0; i < c->nnames; i++)
		free(c->names[i]);
	free(c->names);
	for (int i = 0; i < c->nsplits; i++) {
		free(c->splits[i].name);
		local_files_clear(&c->splits[i].entries);
	}
	memset(c, 0, sizeof *c);
}

/* names from a text file, one a line */
static int names_from_file(struct yolo_config *c, const char *path, struct err *err)
{
	char *text = NULL, *line, *save = NULL;

	if (local_read_text(path, &text, NULL, err) < 0)
		return -1;
	for (line = strtok_r(text, "\r\n", &save); line != NULL;
	     line = strtok_r(NULL, "\r\n", &save)) {
		size_t n = strlen(line);
		while (n > 0 && isspace((unsigned char)line[n - 1]))
			line[--n] = '\0';
		if (n == 0)
			continue;
		if (yolo_config_name(c, c->nnames, line) < 0) {
			free(text);
			return err_set(err, "out of memory");
		}
	}
	free(text);
	return 0;
}

/* "key = value" of obj.data */
static int data_value(const char *text, const char *key, char *out, size_t outsz)
{
	const char *p = text;
	size_t k = strlen(key);

	while ((p = strstr(p, key)) != NULL) {
		const char *v = p + k;
		if ((p == text || p[-1] == '\n') && (*v == ' ' || *v == '=' || *v == '\t')) {
			while (*v == ' ' || *v == '\t' || *v == '=')
				v++;
			size_t n = strcspn(v, "\r\n");
			while (n > 0 && isspace((unsigned char)v[n - 1]))
				n--;
			snprintf(out, outsz, "%.*s", (int)n, v);
			return 0;
		}
		p = v;
	}
	return -1;
}

/* A path written in obj.data or train.txt: darknet runs from the folder above data/, so
 * "data/x" is tried as written, then without its "data/". */
static int darknet_path(const char *root, const char *rel, char *out)
{
	if (rel[0] == '/') {
		str_copy(out, rel, PATH_MAX);
		return paths_is_file(out) || paths_is_dir(out);
	}
	if (paths_join(out, PATH_MAX, root, rel) == 0 && (paths_is_file(out) || paths_is_dir(out)))
		return 1;
	if (strncmp(rel, "data/", 5) == 0 && paths_join(out, PATH_MAX, root, rel + 5) == 0 &&
	    (paths_is_file(out) || paths_is_dir(out)))
		return 1;
	return 0;
}

static int darknet_config(struct yolo_config *c, const char *root, struct err *err)
{
	static const char *const keys[] = {"train", "valid", "test", NULL};
	static const char *const split_names[] = {"train", "val", "test"};
	char data[PATH_MAX], value[PATH_MAX], path[PATH_MAX], *text = NULL;

	if (join_is(data, root, "obj.data", 0) && local_read_text(data, &text, NULL, err) < 0)
		return -1;
	if (text != NULL && data_value(text, "names", value, sizeof value) == 0 &&
	    darknet_path(root, value, path))
		;
	else if (!find_names_file(root, path))
		path[0] = '\0';
	if (path[0] != '\0' && names_from_file(c, path, err) < 0)
		goto fail;
	for (int i = 0; text != NULL && keys[i] != NULL; i++) {
		if (data_value(text, keys[i], value, sizeof value) < 0 ||
		    !darknet_path(root, value, path))
			continue;
		if (yolo_config_split(c, split_names[i], path, err) < 0)
			goto fail;
	}
	if (c->nsplits == 0 && join_is(path, root, "train.txt", 0) &&
	    yolo_config_split(c, "train", path, err) < 0)
		goto fail;
	free(text);
	return 0;
fail:
	free(text);
	return -1;
}

/* No list of splits: the folders of images/ (images/train, images/val), else images/, else
 * the whole folder. */
static int folder_config(struct yolo_config *c, const char *root, struct err *err)
{
	char images[PATH_MAX], sub[PATH_MAX];
	struct dirent *e;
	DIR *d;
	int rc = 0;

	if (!join_is(images, root, "images", 1))
		return yolo_config_split(c, NULL, root, err);
	if ((d = opendir(images)) == NULL)
		return yolo_config_split(c, NULL, images, err);
	while (rc == 0 && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && join_is(sub, images, e->d_name, 1))
			rc = yolo_config_split(c, e->d_name, sub, err);
	closedir(d);
	if (rc == 0 && c->nsplits == 0)
		rc = yolo_config_split(c, NULL, images, err);
	yolo_config_sort(c);
	return rc;
}

static int yolo_config_of(const char *path, struct yolo_config *c, struct err *err)
{
	char yaml[PATH_MAX];
	int rc;

	memset(c, 0, sizeof *c);
	if (paths_is_file(path) && strcmp(path_base(path), "obj.data") == 0) {
		str_copy(c->root, path, sizeof c->root);
		*strrchr(c->root, '/') = '\0';
		return darknet_config(c, c->root, err);
	}
	if (find_yaml(path, yaml)) {
		str_copy(c->root, yaml, sizeof c->root);
		*strrchr(c->root, '/') = '\0';
		rc = yolo_yaml_read(yaml, c, err);
		if (rc == 0 && c->nsplits == 0)
			rc = folder_config(c, c->root, err);
		return rc;
	}
	str_copy(c->root, path, sizeof c->root);
	if (join_is(yaml, path, "obj.data", 0) || join_is(yaml, path, "train.txt", 0))
		return darknet_config(c, path, err);
	if (find_names_file(path, yaml) && names_from_file(c, yaml, err) < 0)
		return -1;
	return folder_config(c, path, err);
}

static int yolo_splits(const char *path, struct local_splits *out, struct err *err)
{
	struct yolo_config c;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (yolo_config_of(path, &c, err) < 0) {
		config_clear(&c);
		return -1;
	}
	for (int i = 0; i < c.nsplits && rc == 0; i++)
		if (c.splits[i].name != NULL && local_splits_add(out, c.splits[i].name) < 0)
			rc = err_set(err, "out of memory");
	if (out->n == 1)
		local_splits_clear(out); /* one split is the whole */
	config_clear(&c);
	return rc;
}

/* ---- label files ---- */

struct yolo_read {
	struct dataset_doc *doc;
	const struct yolo_config *c;
	const char *images_dir;
	long no_size, bad_lines, missing_images;
	char no_size_example[256], bad_example[320], missing_example[256];
};

/* The label file of an image: .../images/... -> .../labels/..., else beside it, else
 * Images/ -> Annotations/ (as some tools name them). */
static int label_path_of(const char *image, char *out)
{
	static const char *const pairs[][2] = {
	    {"/images/", "/labels/"}, {"/Images/", "/Annotations/"}, {"/JPEGImages/", "/labels/"}};
	char stem_path[PATH_MAX];
	const char *dot = strrchr(image, '.'), *slash = strrchr(image, '/');

	str_copy(stem_path, image, sizeof stem_path);
	if (dot != NULL && (slash == NULL || dot > slash))
		stem_path[dot - image] = '\0';
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		const char *at = NULL, *p = stem_path;
		while ((p = strstr(p, pairs[i][0])) != NULL)
			at = p++;
		if (at == NULL)
			continue;
		if (snprintf(out, PATH_MAX, "%.*s%s%s.txt", (int)(at - stem_path), stem_path,
		             pairs[i][1], at + strlen(pairs[i][0])) < PATH_MAX &&
		    paths_is_file(out))
			return 1;
	}
	return snprintf(out, PATH_MAX, "%s.txt", stem_path) < PATH_MAX && paths_is_file(out);
}

static int parse_numbers(const char *line, double *nums, int max)
{
	int n = 0;
	char *end;

	while (*line != '\0') {
		while (isspace((unsigned char)*line) || *line == ',')
			line++;
		if (*line == '\0')
			break;
		if (n == max)
			return -1;
		nums[n] = strtod(line, &end);
		if (end == line || !isfinite(nums[n]))
			return -1;
		n++;
		line = end;
	}
	return n;
}

static int class_label(struct yolo_read *r, double cls)
{
	int k = (int)cls;
	char name[32];

	if (k >= 0 && k < r->c->nnames && r->c->names[k] != NULL)
		return local_label(r->doc, r->c->names[k]);
	snprintf(name, sizeof name, "%d", k);
	return local_label(r->doc, name);
}

static int add_confidence(struct shape *s, double conf, const char *more)
{
	char text[160];

	snprintf(text, sizeof text, "{\"confidence\":%.17g%s}", conf, more != NULL ? more : "");
	return (s->extra_json = strdup(text)) != NULL ? 0 : -1;
}

static int add_pose(struct yolo_read *r, struct asset *a, const struct shape *box, const double *kp,
                    int label)
{
	int k = r->c->kpt_count, d = r->c->kpt_dims;
	char of[64];

	/* box is one of the asset's shapes: adding a shape may move them, so its id is copied */
	snprintf(of, sizeof of, "%s", box->ext_id != NULL ? box->ext_id : "");
	for (int i = 0; i < k; i++) {
		const double *p = kp + i * d;
		double v = d >= 3 ? p[2] : 2;
		char text[256];
		struct shape *s;

		if (v == 0 && p[0] == 0 && p[1] == 0)
			continue; /* not labelled */
		if ((s = asset_add_shape(a)) == NULL)
			return -1;
		s->kind = SHAPE_POINT;
		s->label = label;
		snprintf(text, sizeof text, "{\"keypoint\":%d,\"of\":\"%s\",\"visibility\":%g}", i,
		         of, v);
		if ((s->extra_json = strdup(text)) == NULL ||
		    shape_add_point(s, p[0] * a->width, p[1] * a->height) < 0 ||
		    shape_end_part(s) < 0)
			return -1;
		shape_update_bounds(s);
	}
	return 0;
}

/* One label line as a shape (and its keypoints); 0 when the line is not YOLO (counted). */
static int read_line(struct yolo_read *r, struct asset *a, const char *line, double *nums,
                     int lineno, const char *file)
{
	int n = parse_numbers(line, nums, YOLO_NUMS_MAX), label, pose = r->c->kpt_count > 0;
	int pose_n = 5 + r->c->kpt_count * r->c->kpt_dims;
	char id[300];
	struct shape *s;
	double w = a->width, h = a->height;

	if (n == 0)
		return 1; /* a blank line */
	if (n < 5 || nums[0] < 0 || nums[0] != floor(nums[0]) ||
	    (pose && n != pose_n && n != pose_n + 1)) {
		if (r->bad_lines++ == 0)
			snprintf(r->bad_example, sizeof r->bad_example, "%s line %d", file, lineno);
		return 0;
	}
	if ((label = class_label(r, nums[0])) < 0 || (s = asset_add_shape(a)) == NULL)
		return -1;
	snprintf(id, sizeof id, "%s:%d", a->filename, lineno);
	s->label = label;
	if ((s->ext_id = strdup(id)) == NULL)
		return -1;
	if (n <= 6 || pose) {
		s->kind = SHAPE_BOX;
		s->box = (struct rect){(nums[1] - nums[3] / 2) * w, (nums[2] - nums[4] / 2) * h,
		                       nums[3] * w, nums[4] * h};
		if ((n == 6 || (pose && n == pose_n + 1)) &&
		    add_confidence(s, nums[n - 1], NULL) < 0)
			return -1;
		return pose ? (add_pose(r, a, &a->shapes[a->nshapes - 1], nums + 5, label) < 0 ? -1
		                                                                               : 1)
		            : 1;
	}
	s->kind = SHAPE_POLYGON;
	for (int i = 1; i + 1 < n; i += 2)
		if (shape_add_point(s, nums[i] * w, nums[i + 1] * h) < 0)
			return -1;
	if (shape_end_part(s) < 0 || (n % 2 == 0 && add_confidence(s, nums[n - 1], NULL) < 0))
		return -1;
	shape_update_bounds(s);
	return 1;
}

static int read_labels(struct yolo_read *r, struct asset *a, const char *label_path,
                       struct err *err)
{
	char *text = NULL, *line, *save = NULL;
	double *nums = malloc(YOLO_NUMS_MAX * sizeof *nums);
	int lineno = 0, rc = -1;

	if (nums == NULL)
		return err_set(err, "out of memory");
	if (local_read_text(label_path, &text, NULL, err) < 0)
		goto out;
	if (a->width <= 0 || a->height <= 0) {
		/* fractions of an unknown size cannot be placed */
		if (r->no_size++ == 0)
			str_copy(r->no_size_example, a->filename, sizeof r->no_size_example);
		rc = 0;
		goto out;
	}
	for (line = text; line != NULL; line = save) {
		save = strchr(line, '\n');
		if (save != NULL)
			*save++ = '\0';
		lineno++;
		if (read_line(r, a, line, nums, lineno, path_base(label_path)) < 0) {
			err_set(err, "out of memory reading %s", label_path);
			goto out;
		}
	}
	rc = 0;
out:
	free(text);
	free(nums);
	return rc;
}

/* The asset's name: its path under the dataset's root, so that splits do not collide. */
static const char *name_under(const char *root, const char *path)
{
	size_t n = strlen(root);

	if (strncmp(path, root, n) == 0 && path[n] == '/')
		return path + n + 1;
	return path_base(path);
}

static int add_image(struct yolo_read *r, const char *image, struct err *err)
{
	char label[PATH_MAX], found[PATH_MAX];
	const char *on_disk = image;
	struct asset *a;

	/* an image listed where it is not (darknet lists): by its name in --images */
	if (!paths_is_file(image)) {
		if (r->images_dir != NULL &&
		    paths_join(found, sizeof found, r->images_dir, path_base(image)) == 0 &&
		    paths_is_file(found))
			on_disk = found;
		else if (r->missing_images++ == 0)
			str_copy(r->missing_example, path_base(image), sizeof r->missing_example);
	}
	a = local_add_asset(r->doc, name_under(r->c->root, image),
	                    paths_is_file(on_disk) ? on_disk : NULL);
	if (a == NULL)
		return err_set(err, "out of memory");
	if (!label_path_of(image, label))
		return 0; /* an image without labels: nothing on it yet */
	return read_labels(r, a, label, err);
}

static int read_split(struct yolo_read *r, const struct yolo_split *sp, struct err *err)
{
	for (size_t i = 0; i < sp->entries.n; i++)
		if (add_image(r, sp->entries.names[i], err) < 0)
			return -1;
	return 0;
}

static int yolo_finish(struct yolo_read *r)
{
	if (r->no_size > 0 &&
	    dataset_doc_warn(r->doc,
	                     "%ld image(s) of unknown size: their labels were not read, "
	                     "e.g. %s",
	                     r->no_size, r->no_size_example) < 0)
		return -1;
	if (r->bad_lines > 0 &&
	    dataset_doc_warn(r->doc, "%ld label line(s) that are not YOLO were skipped, e.g. %s",
	                     r->bad_lines, r->bad_example) < 0)
		return -1;
	if (r->missing_images > 0 &&
	    dataset_doc_warn(r->doc, "%ld image(s) not found, e.g. %s (use --images DIR)",
	                     r->missing_images, r->missing_example) < 0)
		return -1;
	return 0;
}

static int yolo_read(const char *path, const char *split, const char *images_dir,
                     struct dataset_doc **out, struct err *err)
{
	struct yolo_config c;
	struct yolo_read r = {.images_dir = images_dir};
	int rc = -1, found = split == NULL;

	*out = NULL;
	if (yolo_config_of(path, &c, err) < 0)
		goto out;
	if (yolo_config_resolve(&c, err) < 0)
		goto out;
	r.c = &c;
	if ((r.doc = local_doc_new(c.root, "yolo")) == NULL) {
		err_set(err, "out of memory");
		goto out;
	}
	for (int i = 0; i < c.nnames; i++)
		if (c.names[i] != NULL && local_label(r.doc, c.names[i]) < 0) {
			err_set(err, "out of memory");
			goto out;
		}
	for (int i = 0; i < c.nsplits; i++) {
		if (split != NULL && (c.splits[i].name == NULL || strcmp(c.splits[i].name, split)))
			continue;
		found = 1;
		if (read_split(&r, &c.splits[i], err) < 0)
			goto out;
	}
	if (!found) {
		err_setk(err, ERR_NOT_FOUND, "%s has no split named %s", path, split);
		goto out;
	}
	if (yolo_finish(&r) < 0 || local_read_side(r.doc, c.root, NULL, err) < 0) {
		err_set(err, "out of memory");
		goto out;
	}
	*out = r.doc;
	r.doc = NULL;
	rc = 0;
out:
	dataset_doc_free(&r.doc);
	config_clear(&c);
	return rc;
}

const struct local_format local_format_yolo = {
    .name = "yolo",
    .what = "YOLO",
    .detect = yolo_detect,
    .splits = yolo_splits,
    .read = yolo_read,
};
