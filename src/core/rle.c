/* COCO run-length masks (see rle.h). */
#include "core/rle.h"
#include "core/err.h"
#include "core/num.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A count never exceeds h*w <= RLE_MAX_SIDE^2 < 2^32, so eight 5-bit groups (40 bits) are
 * more than any valid count needs; more than that is garbage. */
#define RLE_MAX_GROUPS 8

/* Reads one count of the compressed form at *p: little-endian groups of 5 bits, each stored in
 * a character offset by 48, with 0x20 meaning "another group follows" and 0x10 in the last
 * group meaning the value is negative (sign extension). */
static int rle_read_varint(const char **p, int64_t *out, struct err *err)
{
	uint64_t x = 0;
	int shift = 0, c;

	for (int groups = 0;; groups++) {
		if (groups == RLE_MAX_GROUPS)
			return err_set(err, "RLE count is too long");
		if (**p == '\0')
			return err_set(err, "RLE counts string ends inside a count");
		c = (unsigned char)**p - 48;
		if (c < 0 || c > 63)
			return err_set(err, "RLE counts string has an invalid character 0x%02x",
			               (unsigned char)**p);
		(*p)++;
		x |= (uint64_t)(c & 0x1f) << shift;
		shift += 5;
		if (c & 0x20)
			continue;
		if (c & 0x10)
			x |= ~(uint64_t)0 << shift;
		break;
	}
	*out = (int64_t)x;
	return 0;
}

int rle_decode_compressed(const char *s, int64_t **counts, size_t *n, struct err *err)
{
	size_t len = strlen(s), k = 0;
	int64_t *c = malloc((len ? len : 1) * sizeof *c); /* at most one count per character */
	const char *p = s;
	int rc = -1;

	if (c == NULL) {
		err_set(err, "out of memory");
		goto out;
	}
	while (*p != '\0') {
		int64_t x = 0;
		if (rle_read_varint(&p, &x, err) < 0)
			goto out;
		/* from the fourth count on, the string stores the difference from the count
		 * two places back (the previous run of the same colour) */
		if (k > 2)
			x += c[k - 2];
		if (x < 0) {
			err_set(err, "RLE count %zu is negative", k);
			goto out;
		}
		c[k++] = x;
	}
	*counts = c;
	*n = k;
	c = NULL;
	rc = 0;
out:
	free(c);
	return rc;
}

static int rle_read_size(const cJSON *size, struct rle *rle, struct err *err)
{
	const cJSON *h = cJSON_GetArrayItem(size, 0), *w = cJSON_GetArrayItem(size, 1);

	if (!cJSON_IsArray(size) || cJSON_GetArraySize(size) != 2 || !cJSON_IsNumber(h) ||
	    !cJSON_IsNumber(w))
		return err_set(err, "RLE size is not [height, width]");
	/* NaN fails the conversion too, where a comparison would have let it through */
	if (num_to_int64(h->valuedouble, 1, RLE_MAX_SIDE, &rle->h) < 0 ||
	    num_to_int64(w->valuedouble, 1, RLE_MAX_SIDE, &rle->w) < 0)
		return err_set(err, "RLE size %gx%g is out of range", w->valuedouble,
		               h->valuedouble);
	return 0;
}

static int rle_read_list(const cJSON *list, struct rle *rle, struct err *err)
{
	const cJSON *item;
	size_t k = 0;

	rle->counts = malloc(((size_t)cJSON_GetArraySize(list) + 1) * sizeof *rle->counts);
	if (rle->counts == NULL)
		return err_set(err, "out of memory");
	cJSON_ArrayForEach(item, list)
	{
		double v = item->valuedouble;
		if (!cJSON_IsNumber(item) || v != floor(v) ||
		    num_to_int64(v, 0, (int64_t)1e12, &rle->counts[k]) < 0)
			return err_set(err, "RLE count %zu is not a non-negative integer", k);
		k++;
	}
	rle->n = k;
	return 0;
}

int rle_read(const cJSON *seg, struct rle *rle, struct err *err)
{
	const cJSON *counts = cJSON_GetObjectItemCaseSensitive(seg, "counts");
	int64_t total = 0;
	int rc = -1;

	memset(rle, 0, sizeof *rle);
	if (rle_read_size(cJSON_GetObjectItemCaseSensitive(seg, "size"), rle, err) < 0)
		goto out;
	if (cJSON_IsString(counts)) {
		if (rle_decode_compressed(counts->valuestring, &rle->counts, &rle->n, err) < 0)
			goto out;
	} else if (cJSON_IsArray(counts)) {
		if (rle_read_list(counts, rle, err) < 0)
			goto out;
	} else {
		err_set(err, "RLE has no counts");
		goto out;
	}
	/* each count is at most h*w (checked above), so the sum cannot overflow */
	for (size_t i = 0; i < rle->n; i++) {
		total += rle->counts[i];
		if (total > rle->h * rle->w) {
			err_set(err, "RLE counts cover more than its %lldx%lld pixels",
			        (long long)rle->w, (long long)rle->h);
			goto out;
		}
	}
	rc = 0;
out:
	if (rc < 0)
		rle_clear(rle);
	return rc;
}

int rle_from_extras(const char *extra_json, struct rle *rle, struct err *err)
{
	cJSON *extras = extra_json != NULL ? cJSON_Parse(extra_json) : NULL;
	int rc;

	memset(rle, 0, sizeof *rle);
	if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(extras, "segmentation")))
		rc = err_set(err, "no RLE segmentation");
	else
		rc = rle_read(cJSON_GetObjectItemCaseSensitive(extras, "segmentation"), rle, err);
	cJSON_Delete(extras);
	return rc;
}

void rle_bounds(const struct rle *rle, struct rect *box, double *area)
{
	int64_t pos = 0, xmin = INT64_MAX, xmax = -1, ymin = INT64_MAX, ymax = -1;
	double set = 0;

	for (size_t i = 0; i < rle->n; pos += rle->counts[i], i++) {
		int64_t start = pos, end = pos + rle->counts[i] - 1;
		if (i % 2 == 0 || rle->counts[i] == 0)
			continue; /* even runs are background */
		set += (double)rle->counts[i];
		xmin = start / rle->h < xmin ? start / rle->h : xmin;
		xmax = end / rle->h > xmax ? end / rle->h : xmax;
		if (start / rle->h != end / rle->h) {
			/* a run that wraps into the next column touches both the bottom row (of
			 * its first column) and the top row (of its last) */
			ymin = 0;
			ymax = rle->h - 1;
			continue;
		}
		ymin = start % rle->h < ymin ? start % rle->h : ymin;
		ymax = end % rle->h > ymax ? end % rle->h : ymax;
	}
	memset(box, 0, sizeof *box);
	if (xmax >= 0) {
		box->x = (double)xmin;
		box->y = (double)ymin;
		box->w = (double)(xmax - xmin + 1);
		box->h = (double)(ymax - ymin + 1);
	}
	if (area != NULL)
		*area = set;
}

void rle_clear(struct rle *rle)
{
	free(rle->counts);
	memset(rle, 0, sizeof *rle);
}
