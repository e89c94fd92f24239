/* COCO keypoints: the "keypoints" [x, y, v, ...] a source gave a box or a polygon (kept among
 * the shape's extras) become markers, and the "skeleton" of its category (kept among the
 * label's extras) the lines between them. Shown, not edited: malformed parts are passed over. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/err.h"
#include "core/log.h"
#include "core/num.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#define KEYPOINTS_MAX 4096 /* per asset: far more than any skeleton needs */
#define SKELETON_MAX  256  /* links per shape */

static const char sql_label_extra[] =
    "SELECT l.extra_json FROM shape s JOIN label l ON l.id = s.label_id WHERE s.id = ?1";

static int keypoint_add(struct asset_detail *d, int shape, double x, double y)
{
	struct point *p;
	int *owner;

	p = realloc(d->keypoints, (size_t)(d->nkeypoints + 1) * sizeof *p);
	if (p == NULL)
		return -1;
	d->keypoints = p;
	owner = realloc(d->keypoint_shape, (size_t)(d->nkeypoints + 1) * sizeof *owner);
	if (owner == NULL)
		return -1;
	d->keypoint_shape = owner;
	d->keypoints[d->nkeypoints] = (struct point){x, y};
	d->keypoint_shape[d->nkeypoints++] = shape;
	return 0;
}

static int link_add(struct asset_detail *d, int a, int b)
{
	int(*grown)[2] = realloc(d->keypoint_links, (size_t)(d->nlinks + 1) * sizeof *grown);

	if (grown == NULL)
		return -1;
	d->keypoint_links = grown;
	d->keypoint_links[d->nlinks][0] = a;
	d->keypoint_links[d->nlinks][1] = b;
	d->nlinks++;
	return 0;
}

/* The label's skeleton as parsed JSON (NULL when it has none); the caller deletes it. */
static cJSON *label_skeleton(struct cache *c, int64_t shape_id)
{
	sqlite3_stmt *st = NULL;
	cJSON *extras = NULL, *skeleton = NULL;

	if (cache_db_prepare(c, sql_label_extra, &st, NULL) < 0)
		return NULL;
	sqlite3_bind_int64(st, 1, shape_id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT)
		extras = cJSON_Parse(cache_db_text(st, 0));
	sqlite3_finalize(st);
	skeleton = cJSON_DetachItemFromObjectCaseSensitive(extras, "skeleton");
	cJSON_Delete(extras);
	return skeleton;
}

/* COCO numbers the keypoints of a skeleton from 1; some tools write them from 0, which shows
 * as a 0 somewhere in the pairs. */
static int skeleton_base(const cJSON *skeleton)
{
	const cJSON *pair;

	int n = 0;

	/* only the pairs skeleton_links reads count */
	cJSON_ArrayForEach(pair, skeleton)
	{
		const cJSON *a = cJSON_GetArrayItem(pair, 0), *b = cJSON_GetArrayItem(pair, 1);

		if (n++ == SKELETON_MAX)
			break;
		if ((cJSON_IsNumber(a) && a->valuedouble == 0) ||
		    (cJSON_IsNumber(b) && b->valuedouble == 0))
			return 0;
	}
	return 1;
}

/* Links between the markers of one shape: marker[k] is the marker of its keypoint k, or -1. */
static int skeleton_links(struct asset_detail *d, const cJSON *skeleton, const int *marker, int nk)
{
	int base = skeleton_base(skeleton), n = 0;
	const cJSON *pair;

	cJSON_ArrayForEach(pair, skeleton)
	{
		const cJSON *a = cJSON_GetArrayItem(pair, 0), *b = cJSON_GetArrayItem(pair, 1);
		int ia, ib;

		if (n >= SKELETON_MAX)
			break;
		if (!cJSON_IsNumber(a) || !cJSON_IsNumber(b))
			continue;
		/* an index no keypoint has (1e20, -3, NaN) joins nothing */
		if (num_to_int(a->valuedouble, base, nk - 1 + base, &ia) < 0 ||
		    num_to_int(b->valuedouble, base, nk - 1 + base, &ib) < 0)
			continue;
		ia -= base;
		ib -= base;
		if (marker[ia] < 0 || marker[ib] < 0)
			continue;
		if (link_add(d, marker[ia], marker[ib]) < 0)
			return -1;
		n++;
	}
	return 0;
}

/* The skeletons read so far for this asset, one per label: a dozen people share one. */
struct skeletons {
	int label[32];
	cJSON *skeleton[32]; /* NULL: the label has none */
	int n;
};

/* The skeleton of shape i's label: read once per label, kept in memo (NULL: none). */
static const cJSON *skeleton_of(struct cache *c, const struct asset_detail *d, int i,
                                struct skeletons *memo)
{
	int label = d->shapes[i].label;

	if (label < 0 || d->shape_ids == NULL)
		return NULL;
	for (int k = 0; k < memo->n; k++)
		if (memo->label[k] == label)
			return memo->skeleton[k];
	if (memo->n == (int)(sizeof memo->label / sizeof memo->label[0]))
		return NULL; /* more labels with keypoints than any dataset has: markers alone */
	memo->label[memo->n] = label;
	memo->skeleton[memo->n] = label_skeleton(c, d->shape_ids[i]);
	return memo->skeleton[memo->n++];
}

/* The labelled keypoints (v > 0) of shape i, and the links of its label's skeleton; 1 when the
 * list was cut at the cap, -1 when out of memory. The list
 * is walked once (cJSON's index lookup is linear, so indexing it in a loop is quadratic) and
 * no further than the cap: a hostile file cannot make this cost more than the cap. */
static int shape_keypoints(struct asset_detail *d, int i, const cJSON *skeleton)
{
	cJSON *extras = cJSON_Parse(d->shapes[i].extra_json);
	const cJSON *kp = cJSON_GetObjectItemCaseSensitive(extras, "keypoints"), *item;
	const cJSON *triple[3];
	int nk = 0, rc = 0, *marker = NULL, t = 0, cut = 0;

	if (!cJSON_IsArray(kp) || kp->child == NULL)
		goto out;
	if ((marker = malloc(KEYPOINTS_MAX * sizeof *marker)) == NULL) {
		rc = -1;
		goto out;
	}
	cJSON_ArrayForEach(item, kp)
	{
		triple[t++] = item;
		if (t < 3)
			continue;
		t = 0;
		if (nk == KEYPOINTS_MAX || d->nkeypoints >= KEYPOINTS_MAX) {
			cut = 1;
			break;
		}
		marker[nk] = -1;
		if (cJSON_IsNumber(triple[0]) && cJSON_IsNumber(triple[1]) &&
		    cJSON_IsNumber(triple[2]) && triple[2]->valuedouble > 0) {
			marker[nk] = d->nkeypoints;
			if (keypoint_add(d, i, triple[0]->valuedouble, triple[1]->valuedouble) <
			    0) {
				rc = -1;
				goto out;
			}
		}
		nk++;
	}
	if (skeleton != NULL)
		rc = skeleton_links(d, skeleton, marker, nk);
	if (rc == 0)
		rc = cut;
out:
	cJSON_Delete(extras);
	free(marker);
	return rc;
}

int cache_detail_keypoints(struct cache *c, struct asset_detail *d, struct err *err)
{
	struct skeletons memo = {.n = 0};
	int rc = 0, cut = 0, one;

	for (int i = 0; i < d->nshapes && rc == 0; i++) {
		const struct shape *s = &d->shapes[i];

		if (s->kind == SHAPE_POINT || s->extra_json == NULL ||
		    strstr(s->extra_json, "\"keypoints\"") == NULL)
			continue;
		one = shape_keypoints(d, i, skeleton_of(c, d, i, &memo));
		if (one < 0)
			rc = err_set(err, "reading an asset's keypoints: out of memory");
		cut |= one > 0;
	}
	if (cut)
		log_msg(LOG_WARN, "%s has more keypoints than the %d shown: the rest are not drawn",
		        d->filename, KEYPOINTS_MAX);
	for (int k = 0; k < memo.n; k++)
		cJSON_Delete(memo.skeleton[k]);
	return rc;
}
