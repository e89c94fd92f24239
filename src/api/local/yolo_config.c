/* A YOLO source's description: data.yaml read with libyaml (a small, well-known subset: a
 * mapping of scalars, lists and one map of names), the splits, and each split's images listed
 * from a folder, a list file, or the paths data.yaml gives. Paths written on another machine
 * (an exporter's absolute /Users/... path, a ../valid/images that is val/ here) are looked for
 * under the folder of data.yaml too. */
#include "api/local/yolo_internal.h"
#include "core/err.h"
#include "core/paths.h"
#include "core/str.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

int yolo_config_name(struct yolo_config *c, int index, const char *name)
{
	if (index < 0 || index >= YOLO_NAMES_MAX)
		return -1;
	if (index >= c->nnames) {
		char **grown = realloc(c->names, (size_t)(index + 1) * sizeof *grown);
		if (grown == NULL)
			return -1;
		memset(grown + c->nnames, 0, (size_t)(index + 1 - c->nnames) * sizeof *grown);
		c->names = grown;
		c->nnames = index + 1;
	}
	free(c->names[index]);
	return (c->names[index] = strdup(name)) != NULL ? 0 : -1;
}

int yolo_config_split(struct yolo_config *c, const char *name, const char *where, struct err *err)
{
	struct yolo_split *s;

	for (int i = 0; i < c->nsplits; i++)
		if (name != NULL && c->splits[i].name != NULL &&
		    strcmp(c->splits[i].name, name) == 0)
			return 0;
	if (c->nsplits == LOCAL_SPLITS_MAX)
		return 0;
	s = &c->splits[c->nsplits];
	memset(s, 0, sizeof *s);
	if (name != NULL && (s->name = strdup(name)) == NULL)
		return err_set(err, "out of memory");
	str_copy(s->where, where != NULL ? where : "", sizeof s->where);
	c->nsplits++;
	return 0;
}

static int split_rank(const char *name)
{
	static const char *const order[] = {"train", "val", "valid", "test", NULL};

	for (int i = 0; name != NULL && order[i] != NULL; i++)
		if (strcmp(name, order[i]) == 0)
			return i;
	return 10;
}

void yolo_config_sort(struct yolo_config *c)
{
	for (int i = 1; i < c->nsplits; i++)
		for (int j = i; j > 0; j--) {
			struct yolo_split *a = &c->splits[j - 1], *b = &c->splits[j], t;
			int ra = split_rank(a->name), rb = split_rank(b->name);
			if (ra < rb || (ra == rb && strcmp(a->name ? a->name : "",
			                                   b->name ? b->name : "") <= 0))
				break;
			t = *a;
			*a = *b;
			*b = t;
		}
}

/* ---- where a path written in data.yaml is here ---- */

/* The path as written (absolute, or under base), else its last parts under the folder of
 * data.yaml: "/Users/x/data/train/images" -> "train/images" -> "images". */
static int locate_raw(const char *root, const char *base, const char *v, char *out);

/* The same, as a clean absolute path ("a/./b" and "a/x/../b" are "a/b"). */
static int locate(const char *root, const char *base, const char *v, char *out)
{
	char clean[PATH_MAX];

	if (!locate_raw(root, base, v, out))
		return 0;
	if (paths_normalize(out, clean, sizeof clean) == 0)
		str_copy(out, clean, PATH_MAX);
	return 1;
}

static int locate_raw(const char *root, const char *base, const char *v, char *out)
{
	const char *p;

	if (v[0] == '/')
		str_copy(out, v, PATH_MAX);
	else if (paths_join(out, PATH_MAX, base, v) < 0)
		return 0;
	if (paths_is_dir(out) || paths_is_file(out))
		return 1;
	for (p = v; (p = strchr(p, '/')) != NULL; p++) {
		const char *rest = p + 1;
		if (rest[0] == '\0' || strncmp(rest, "../", 3) == 0)
			continue;
		if (paths_join(out, PATH_MAX, root, rest) == 0 &&
		    (paths_is_dir(out) || paths_is_file(out)))
			return 1;
	}
	return 0;
}

/* The images of a split whose path could not be found: the usual places for that name. */
static int guess(const char *root, const char *split, char *out)
{
	const char *alt = strcmp(split, "val") == 0     ? "valid"
	                  : strcmp(split, "valid") == 0 ? "val"
	                                                : split;
	char rel[256];
	const char *forms[] = {"%s/images", "images/%s", "%s"};

	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
			snprintf(rel, sizeof rel, forms[i], k == 0 ? split : alt);
			if (paths_join(out, PATH_MAX, root, rel) == 0 && paths_is_dir(out))
				return 1;
		}
	return 0;
}

/* ---- data.yaml ---- */

static const char *scalar(yaml_document_t *d, yaml_node_t *n)
{
	return n != NULL && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *map_get(yaml_document_t *d, yaml_node_t *map, const char *key)
{
	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		const char *k = scalar(d, yaml_document_get_node(d, p->key));
		if (k != NULL && strcmp(k, key) == 0)
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

static int read_names(yaml_document_t *d, yaml_node_t *n, struct yolo_config *c, struct err *err)
{
	int i = 0;

	if (n == NULL)
		return 0;
	if (n->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++, i++) {
			const char *s = scalar(d, yaml_document_get_node(d, *it));
			if (s != NULL && yolo_config_name(c, i, s) < 0)
				return err_set(err, "out of memory");
		}
		return 0;
	}
	if (n->type != YAML_MAPPING_NODE)
		return err_setk(err, ERR_PARSE, "names in data.yaml is neither a list nor a map");
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		const char *k = scalar(d, yaml_document_get_node(d, p->key));
		const char *v = scalar(d, yaml_document_get_node(d, p->value));
		char *end;
		long idx = k != NULL ? strtol(k, &end, 10) : -1;
		if (k == NULL || *end != '\0' || v == NULL || idx < 0)
			return err_setk(err, ERR_PARSE,
			                "names in data.yaml: \"%s\" is not a class index",
			                k != NULL ? k : "?");
		if (yolo_config_name(c, (int)idx, v) < 0)
			return err_set(err, "out of memory or a class index above %d",
			               YOLO_NAMES_MAX);
	}
	return 0;
}

static void read_kpt(yaml_document_t *d, yaml_node_t *n, struct yolo_config *c)
{
	const char *k, *dims;

	if (n == NULL || n->type != YAML_SEQUENCE_NODE ||
	    n->data.sequence.items.top - n->data.sequence.items.start != 2)
		return;
	k = scalar(d, yaml_document_get_node(d, n->data.sequence.items.start[0]));
	dims = scalar(d, yaml_document_get_node(d, n->data.sequence.items.start[1]));
	if (k == NULL || dims == NULL || atoi(k) <= 0 || atoi(k) > 1000 ||
	    (atoi(dims) != 2 && atoi(dims) != 3))
		return;
	c->kpt_count = atoi(k);
	c->kpt_dims = atoi(dims);
}

/* train: a folder, a list file, or a list of either. */
static int read_split_value(yaml_document_t *d, yaml_node_t *n, const char *name, const char *base,
                            struct yolo_config *c, struct err *err)
{
	char where[PATH_MAX];
	struct yolo_split *s;
	const char *v = scalar(d, n);

	if (v != NULL && v[0] != '\0') {
		if (!locate(c->root, base, v, where) && !guess(c->root, name, where))
			return 0; /* named but not here: nothing to read */
		return yolo_config_split(c, name, where, err);
	}
	if (n == NULL || n->type != YAML_SEQUENCE_NODE)
		return 0;
	if (yolo_config_split(c, name, "", err) < 0)
		return -1;
	s = &c->splits[c->nsplits - 1];
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		const char *e = scalar(d, yaml_document_get_node(d, *it));
		if (e != NULL && locate(c->root, base, e, where) &&
		    local_files_add(&s->entries, where) < 0)
			return err_set(err, "out of memory");
	}
	return 0;
}

static int read_doc(yaml_document_t *d, struct yolo_config *c, struct err *err)
{
	static const char *const splits[] = {"train", "val", "test", NULL};
	yaml_node_t *root = yaml_document_get_root_node(d);
	const char *path = scalar(d, map_get(d, root, "path"));
	char base[PATH_MAX];

	if (root == NULL || root->type != YAML_MAPPING_NODE)
		return err_setk(err, ERR_PARSE, "data.yaml is not a mapping of keys");
	str_copy(base, c->root, sizeof base);
	if (path != NULL && path[0] != '\0' && !locate(c->root, c->root, path, base))
		str_copy(base, c->root, sizeof base); /* an exporter's machine: here instead */
	if (read_names(d, map_get(d, root, "names"), c, err) < 0)
		return -1;
	read_kpt(d, map_get(d, root, "kpt_shape"), c);
	for (int i = 0; splits[i] != NULL; i++)
		if (read_split_value(d, map_get(d, root, splits[i]), splits[i], base, c, err) < 0)
			return -1;
	yolo_config_sort(c);
	return 0;
}

int yolo_yaml_read(const char *path, struct yolo_config *c, struct err *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	char *text = NULL;
	size_t len = 0;
	int rc = -1, loaded = 0;

	if (local_read_text(path, &text, &len, err) < 0)
		return -1;
	if (!yaml_parser_initialize(&parser)) {
		free(text);
		return err_set(err, "out of memory");
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		err_setk(err, ERR_PARSE, "%s: %s at line %lu", path,
		         parser.problem != NULL ? parser.problem : "not YAML",
		         (unsigned long)parser.problem_mark.line + 1);
		goto out;
	}
	loaded = 1;
	rc = read_doc(&doc, c, err);
	if (rc < 0)
		err_wrap(err, "%s", path);
out:
	if (loaded)
		yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	free(text);
	return rc;
}

/* ---- each split's images ---- */

static int list_folder(struct yolo_split *s, struct err *err)
{
	struct local_files f;
	char full[PATH_MAX];

	if (local_files_list(s->where, local_image_exts, 3, &f, err) < 0)
		return -1;
	for (size_t i = 0; i < f.n; i++)
		if (paths_join(full, sizeof full, s->where, f.names[i]) == 0 &&
		    local_files_add(&s->entries, full) < 0) {
			local_files_clear(&f);
			return err_set(err, "out of memory");
		}
	local_files_clear(&f);
	return 0;
}

/* A list file: one image path a line, relative to the list's folder or the root (darknet's
 * "data/obj_train_data/x.jpg" is relative to the folder above data/). */
static int list_file(const struct yolo_config *c, struct yolo_split *s, struct err *err)
{
	char *text = NULL, *line, *save = NULL, dir[PATH_MAX], path[PATH_MAX];
	int rc = 0;

	if (local_read_text(s->where, &text, NULL, err) < 0)
		return -1;
	str_copy(dir, s->where, sizeof dir);
	*strrchr(dir, '/') = '\0';
	for (line = strtok_r(text, "\r\n", &save); line != NULL && rc == 0;
	     line = strtok_r(NULL, "\r\n", &save)) {
		while (isspace((unsigned char)*line))
			line++;
		size_t n = strlen(line);
		while (n > 0 && isspace((unsigned char)line[n - 1]))
			line[--n] = '\0';
		if (n == 0)
			continue;
		if (!locate(c->root, dir, line, path) && !locate(c->root, c->root, line, path) &&
		    !(strncmp(line, "data/", 5) == 0 && locate(c->root, c->root, line + 5, path))) {
			/* kept where the list says, so that --images can find it by name */
			if (line[0] == '/')
				str_copy(path, line, sizeof path);
			else if (paths_join(path, sizeof path, c->root,
			                    strncmp(line, "data/", 5) == 0 ? line + 5 : line) < 0)
				continue;
		}
		if (local_files_add(&s->entries, path) < 0)
			rc = err_set(err, "out of memory");
	}
	free(text);
	return rc;
}

int yolo_config_resolve(struct yolo_config *c, struct err *err)
{
	for (int i = 0; i < c->nsplits; i++) {
		struct yolo_split *s = &c->splits[i];
		if (s->where[0] == '\0')
			continue; /* listed in data.yaml itself */
		if ((paths_is_dir(s->where) ? list_folder(s, err) : list_file(c, s, err)) < 0)
			return -1;
	}
	return 0;
}
