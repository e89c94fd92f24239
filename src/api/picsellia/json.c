/* Reading the platform's JSON as it is validated: every required field is checked for
 * presence and type, and a failure names the route, the item and the field, never crashes. */
#include "api/picsellia/internal.h"
#include "core/err.h"
#include "core/str.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pxl_at_set(struct pxl_at *at, const char *route, int item)
{
	at->prefix = NULL;
	if (item >= 0)
		snprintf(at->where, sizeof at->where, "%s: item %d", route, item);
	else
		str_copy(at->where, route, sizeof at->where);
}

/* Follows "a.b.c"; NULL when a step is missing or not an object. */
static const cJSON *lookup(const cJSON *obj, const char *path)
{
	char key[64];

	while (obj && *path) {
		size_t n = strcspn(path, ".");

		if (n >= sizeof key || !cJSON_IsObject(obj))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		obj = cJSON_GetObjectItemCaseSensitive(obj, key);
		path += n + (path[n] == '.');
	}
	return obj;
}

static const char *type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsObject(v))
		return "an object";
	return "null";
}

static int missing(const struct pxl_at *at, const char *path, struct err *err)
{
	return err_setk(err, ERR_PARSE, "%s: \"%s%s\" is missing", at->where,
	                at->prefix ? at->prefix : "", path);
}

static int mistyped(const struct pxl_at *at, const char *path, const char *want, const cJSON *v,
                    struct err *err)
{
	return err_setk(err, ERR_PARSE, "%s: \"%s%s\" is %s, not %s", at->where,
	                at->prefix ? at->prefix : "", path, type_name(v), want);
}

/* 1 when present, 0 when missing or null. */
static int present(const cJSON *v)
{
	return v != NULL && !cJSON_IsNull(v);
}

static int str_read(const cJSON *obj, const char *path, const struct pxl_at *at, int required,
                    char **out, struct err *err)
{
	const cJSON *v = lookup(obj, path);

	*out = NULL;
	if (!present(v))
		return required ? missing(at, path, err) : 0;
	if (!cJSON_IsString(v))
		return mistyped(at, path, "a string", v, err);
	*out = strdup(v->valuestring);
	return *out ? 0 : err_set(err, "%s: out of memory", at->where);
}

int pxl_jstr(const cJSON *obj, const char *path, const struct pxl_at *at, char **out,
             struct err *err)
{
	return str_read(obj, path, at, 1, out, err);
}

int pxl_jstr_opt(const cJSON *obj, const char *path, const struct pxl_at *at, char **out,
                 struct err *err)
{
	return str_read(obj, path, at, 0, out, err);
}

static int num_read(const cJSON *obj, const char *path, const struct pxl_at *at, int required,
                    double *out, struct err *err)
{
	const cJSON *v = lookup(obj, path);

	if (!present(v))
		return required ? missing(at, path, err) : 1;
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return mistyped(at, path, "a number", v, err);
	*out = v->valuedouble;
	return 0;
}

int pxl_jnum(const cJSON *obj, const char *path, const struct pxl_at *at, double *out,
             struct err *err)
{
	return num_read(obj, path, at, 1, out, err);
}

int pxl_jnum_opt(const cJSON *obj, const char *path, const struct pxl_at *at, double def,
                 double *out, struct err *err)
{
	int rc = num_read(obj, path, at, 0, out, err);

	if (rc == 1)
		*out = def;
	return rc < 0 ? -1 : 0;
}

static int int_of(double d, const struct pxl_at *at, const char *path, long *out, struct err *err)
{
	if (d != floor(d) || d < -2147483647.0 || d > 2147483647.0)
		return err_setk(err, ERR_PARSE, "%s: \"%s\" is not a whole number (%g)", at->where,
		                path, d);
	*out = (long)d;
	return 0;
}

int pxl_jint(const cJSON *obj, const char *path, const struct pxl_at *at, long *out,
             struct err *err)
{
	double d;

	if (num_read(obj, path, at, 1, &d, err) < 0)
		return -1;
	return int_of(d, at, path, out, err);
}

int pxl_jint_opt(const cJSON *obj, const char *path, const struct pxl_at *at, long def, long *out,
                 struct err *err)
{
	double d;
	int rc = num_read(obj, path, at, 0, &d, err);

	if (rc < 0)
		return -1;
	if (rc == 1) {
		*out = def;
		return 0;
	}
	return int_of(d, at, path, out, err);
}

const cJSON *pxl_jobj(const cJSON *obj, const char *path, const struct pxl_at *at, struct err *err)
{
	const cJSON *v = lookup(obj, path);

	if (!present(v)) {
		missing(at, path, err);
		return NULL;
	}
	if (!cJSON_IsObject(v)) {
		mistyped(at, path, "an object", v, err);
		return NULL;
	}
	return v;
}

const cJSON *pxl_jarr(const cJSON *obj, const char *path, const struct pxl_at *at, struct err *err)
{
	const cJSON *v = lookup(obj, path);

	if (!present(v)) {
		missing(at, path, err);
		return NULL;
	}
	if (!cJSON_IsArray(v)) {
		mistyped(at, path, "an array", v, err);
		return NULL;
	}
	return v;
}

int pxl_jarr_opt(const cJSON *obj, const char *path, const struct pxl_at *at, const cJSON **out,
                 struct err *err)
{
	const cJSON *v = lookup(obj, path);

	*out = NULL;
	if (!present(v))
		return 0;
	if (!cJSON_IsArray(v))
		return mistyped(at, path, "an array", v, err);
	*out = v;
	return 0;
}

int pxl_envelope(const cJSON *json, const char *route, int need_count, const cJSON **items,
                 long *count, struct err *err)
{
	struct pxl_at at;

	pxl_at_set(&at, route, -1);
	if (!cJSON_IsObject(json))
		return err_setk(err, ERR_PARSE,
		                "%s: the answer is %s, not an object with \"items\"", route,
		                json ? type_name(json) : "empty");
	*items = pxl_jarr(json, "items", &at, err);
	if (*items == NULL)
		return -1;
	if (need_count)
		return pxl_jint(json, "count", &at, count, err);
	return pxl_jint_opt(json, "count", &at, cJSON_GetArraySize(*items), count, err);
}

int pxl_tag_names(const cJSON *arr, const char *field, const struct pxl_at *at, char ***names,
                  int *n, struct err *err)
{
	int size = cJSON_GetArraySize(arr), i = 0;
	const cJSON *it;
	char path[64];

	*names = NULL;
	*n = 0;
	if (size == 0)
		return 0;
	*names = calloc((size_t)size, sizeof **names);
	if (*names == NULL)
		return err_set(err, "%s: out of memory", at->where);
	cJSON_ArrayForEach(it, arr)
	{
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(it, "name");

		snprintf(path, sizeof path, "%s.%d.name", field, i);
		if (!cJSON_IsString(name)) {
			picsellia_names_free(names, i);
			return present(name) ? mistyped(at, path, "a string", name, err)
			                     : missing(at, path, err);
		}
		(*names)[i] = strdup(name->valuestring);
		if ((*names)[i] == NULL) {
			picsellia_names_free(names, i);
			return err_set(err, "%s: out of memory", at->where);
		}
		i++;
	}
	*n = i;
	return 0;
}

char *pxl_json_quote(const char *s)
{
	cJSON *j = cJSON_CreateString(s);
	char *out = j ? cJSON_PrintUnformatted(j) : NULL;

	cJSON_Delete(j);
	return out;
}

void picsellia_names_free(char ***names, int n)
{
	if (*names == NULL)
		return;
	for (int i = 0; i < n; i++)
		free((*names)[i]);
	free(*names);
	*names = NULL;
}
