/* COCO ids as text keys with a hash table to look them up (datasets of a million annotations
 * need better than a search per annotation), and the JSON members a reader keeps without
 * interpreting. */
#include "api/local/coco_internal.h"
#include "core/str.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int coco_id_text(const cJSON *id, char *out, size_t outsz)
{
	int n;

	if (cJSON_IsString(id))
		n = snprintf(out, outsz, "%s", id->valuestring);
	else if (cJSON_IsNumber(id) && id->valuedouble == floor(id->valuedouble) &&
	         fabs(id->valuedouble) < 9e15) /* exact in a double: the common case, kept fast */
		n = snprintf(out, outsz, "%lld", (long long)id->valuedouble);
	else if (cJSON_IsNumber(id) && id->valuedouble == floor(id->valuedouble) &&
	         fabs(id->valuedouble) < 1e17)
		n = snprintf(out, outsz, "%.0f", id->valuedouble);
	else if (cJSON_IsNumber(id) && isfinite(id->valuedouble))
		n = snprintf(out, outsz, "%.17g", id->valuedouble);
	else
		return -1;
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

/* Open addressing with linear probing; the table doubles before it is half full. */
static int index_grow(struct coco_index *ix)
{
	size_t cap = ix->cap ? ix->cap * 2 : 256;
	struct coco_key *slots = calloc(cap, sizeof *slots);

	if (slots == NULL)
		return -1;
	for (size_t i = 0; i < ix->cap; i++) {
		size_t h;
		if (ix->slots[i].key == NULL)
			continue;
		h = (size_t)str_hash64(ix->slots[i].key, strlen(ix->slots[i].key), STR_HASH_SEED);
		while (slots[h & (cap - 1)].key != NULL)
			h++;
		slots[h & (cap - 1)] = ix->slots[i];
	}
	free(ix->slots);
	ix->slots = slots;
	ix->cap = cap;
	return 0;
}

/* The slot holding key, or the empty slot where it would go. */
static struct coco_key *index_slot(const struct coco_index *ix, const char *key)
{
	size_t h = (size_t)str_hash64(key, strlen(key), STR_HASH_SEED);

	while (ix->slots[h & (ix->cap - 1)].key != NULL &&
	       strcmp(ix->slots[h & (ix->cap - 1)].key, key) != 0)
		h++;
	return &ix->slots[h & (ix->cap - 1)];
}

int coco_index_add(struct coco_index *ix, const char *key, int index)
{
	struct coco_key *slot;

	if ((ix->n + 1) * 2 > ix->cap && index_grow(ix) < 0)
		return -1;
	slot = index_slot(ix, key);
	if (slot->key != NULL) {
		ix->dups++; /* the first one stays */
		return 0;
	}
	slot->key = strdup(key);
	if (slot->key == NULL)
		return -1;
	slot->index = index;
	ix->n++;
	return 0;
}

int coco_index_find(const struct coco_index *ix, const char *key)
{
	const struct coco_key *slot;

	if (ix->cap == 0)
		return -1;
	slot = index_slot(ix, key);
	return slot->key != NULL ? slot->index : -1;
}

void coco_index_free(struct coco_index *ix)
{
	for (size_t i = 0; i < ix->cap; i++)
		free(ix->slots[i].key);
	free(ix->slots);
	memset(ix, 0, sizeof *ix);
}

static int name_in(const char *name, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(name, *list) == 0)
			return 1;
	return 0;
}

int coco_extras(const cJSON *obj, const char *const *skip, char **out)
{
	cJSON *extras = NULL, *item;
	int rc = -1, kept = 0;

	*out = NULL;
	extras = cJSON_CreateObject();
	if (extras == NULL)
		goto out;
	cJSON_ArrayForEach(item, obj)
	{
		if (item->string == NULL || name_in(item->string, skip))
			continue;
		/* references: the members are printed, never copied */
		if (!cJSON_AddItemReferenceToObject(extras, item->string, item))
			goto out;
		kept++;
	}
	if (kept > 0) {
		*out = cJSON_PrintUnformatted(extras);
		if (*out == NULL)
			goto out;
	}
	rc = 0;
out:
	cJSON_Delete(extras);
	return rc;
}
