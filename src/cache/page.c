/* The asset list, keyset-paged: a page is read with index range scans that start at the
 * cursor (the sort key and id of a row), so scrolling costs the same at row ten and at row a
 * million. Queries are put together from the fixed fragments below; filter text is only ever
 * bound, never pasted. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SQL_MAX 4096

/* The sort key of each order and the index that scans it in that order. */
static const char *const sort_key[SORT_COUNT] = {
    [SORT_FILENAME] = "a.filename",
    [SORT_STATUS] = "a.status",
    [SORT_SHAPES] = "a.shape_count",
    [SORT_SIZE] = "a.pixels",
};
static const char *const sort_index[SORT_COUNT] = {
    [SORT_FILENAME] = "asset_filename",
    [SORT_STATUS] = "asset_status",
    [SORT_SHAPES] = "asset_shapes",
    [SORT_SIZE] = "asset_size",
};

/* :pattern is the filter text escaped for LIKE and wrapped in %; :text is the text itself. */
static const char sql_filter_filename[] = " AND a.filename LIKE :pattern ESCAPE '\\'";
static const char sql_filter_label[] =
    " AND EXISTS (SELECT 1 FROM shape s WHERE s.asset_id = a.id AND s.label_id IN"
    " (SELECT l.id FROM label l WHERE l.dataset_id = :ds AND l.name = :text COLLATE NOCASE))";
static const char sql_filter_tag[] =
    " AND EXISTS (SELECT 1 FROM asset_tag t WHERE t.asset_id = a.id AND t.tag_id IN"
    " (SELECT g.id FROM tag g WHERE g.dataset_id = :ds AND g.name = :text))";
/* The unary + keeps this term out of index selection: with the status sort, the planner would
 * otherwise trade the keyset range for the equality and sort the page itself. */
static const char sql_filter_status[] = " AND +a.status = :status";
static const char sql_filter_any[] =
    " AND (a.filename LIKE :pattern ESCAPE '\\' OR a.status = :status"
    " OR EXISTS (SELECT 1 FROM shape s WHERE s.asset_id = a.id AND s.label_id IN"
    " (SELECT l.id FROM label l WHERE l.dataset_id = :ds"
    " AND l.name LIKE :pattern ESCAPE '\\'))"
    " OR EXISTS (SELECT 1 FROM asset_tag t WHERE t.asset_id = a.id AND t.tag_id IN"
    " (SELECT g.id FROM tag g WHERE g.dataset_id = :ds"
    " AND g.name LIKE :pattern ESCAPE '\\')))";

static const char *const filter_sql[] = {
    [FILTER_NONE] = "",
    [FILTER_ANY] = sql_filter_any,
    [FILTER_FILENAME] = sql_filter_filename,
    [FILTER_LABEL] = sql_filter_label,
    [FILTER_TAG] = sql_filter_tag,
    [FILTER_STATUS] = sql_filter_status,
};
#define NFILTERS ((int)(sizeof filter_sql / sizeof filter_sql[0]))

/* The terms of a combined filter, each with its own parameters (%d: the term's index): :pN is
 * the term's prefix pattern (its text, for an exact term), :cN its substring pattern, :sN_K the
 * statuses it takes. A label
 * or tag term is an uncorrelated IN, so that SQLite reads its assets once from shape_label or
 * asset_tag_tag rather than looking each listed asset up. */
static const char sql_term_label[] =
    " AND a.id IN (SELECT s.asset_id FROM shape s WHERE s.label_id IN"
    " (SELECT l.id FROM label l WHERE l.dataset_id = :ds AND l.name LIKE :p%d ESCAPE '\\'))";
static const char sql_term_tag[] =
    " AND a.id IN (SELECT t.asset_id FROM asset_tag t WHERE t.tag_id IN"
    " (SELECT g.id FROM tag g WHERE g.dataset_id = :ds AND g.name LIKE :p%d ESCAPE '\\'))";
static const char sql_term_label_exact[] =
    " AND a.id IN (SELECT s.asset_id FROM shape s WHERE s.label_id IN"
    " (SELECT l.id FROM label l WHERE l.dataset_id = :ds AND l.name = :p%d COLLATE NOCASE))";
static const char sql_term_tag_exact[] =
    " AND a.id IN (SELECT t.asset_id FROM asset_tag t WHERE t.tag_id IN"
    " (SELECT g.id FROM tag g WHERE g.dataset_id = :ds AND g.name = :p%d))";
static const char sql_term_filename[] = " AND a.filename LIKE :c%d ESCAPE '\\'";
/* %s is "+" in a keyset scan, for the reason given at sql_filter_status, and "" in a count,
 * which may then start from asset_status. */
static const char sql_term_status[] = " AND %sa.status IN (:s%d_0, :s%d_1, :s%d_2, :s%d_3)";
static const char sql_term_any[] =
    " AND (a.filename LIKE :c%d ESCAPE '\\' OR a.status = :s%d_0"
    " OR a.id IN (SELECT s.asset_id FROM shape s WHERE s.label_id IN"
    " (SELECT l.id FROM label l WHERE l.dataset_id = :ds AND l.name LIKE :c%d ESCAPE '\\'))"
    " OR a.id IN (SELECT t.asset_id FROM asset_tag t WHERE t.tag_id IN"
    " (SELECT g.id FROM tag g WHERE g.dataset_id = :ds AND g.name LIKE :c%d ESCAPE '\\')))";
_Static_assert(REVIEW_STATUS_COUNT == 4, "sql_term_status names one parameter per status");

static const char sql_row_head[] =
    "SELECT a.id, a.filename, a.width, a.height, a.shape_count, a.status,"
    " (SELECT group_concat(name, ',') FROM (SELECT g.name FROM asset_tag t"
    " JOIN tag g ON g.id = t.tag_id WHERE t.asset_id = a.id ORDER BY g.name)),"
    " %s FROM asset a";
static const char sql_count_head[] = "SELECT count(*) FROM asset a";
static const char sql_indexed[] = " INDEXED BY %s";
static const char sql_where[] = " WHERE a.dataset_id = :ds";
/* Rows past the cursor, in two ranges: the rest of the cursor's key, then the keys after it.
 * A single (key, id) > (:key, :id) would be neater, but SQLite narrows the index range on the
 * key alone and then walks every row of the cursor's key from its start. */
static const char sql_same_key[] = " AND %s = :key AND a.id %s :id";
static const char sql_after_key[] = " AND %s %s :key";
static const char sql_order[] = " ORDER BY %s %s, a.id %s LIMIT :lim";
static const char sql_one[] = " AND a.id = :aid";
/* A search inside the list: :spat is the search text as a "contains" LIKE pattern. */
static const char sql_search[] =
    " AND (a.filename LIKE :spat ESCAPE '\\'"
    " OR EXISTS (SELECT 1 FROM shape s WHERE s.asset_id = a.id AND s.label_id IN"
    " (SELECT l.id FROM label l WHERE l.dataset_id = :ds AND l.name LIKE :spat ESCAPE '\\'))"
    " OR EXISTS (SELECT 1 FROM asset_tag t WHERE t.asset_id = a.id AND t.tag_id IN"
    " (SELECT g.id FROM tag g WHERE g.dataset_id = :ds AND g.name LIKE :spat ESCAPE '\\')))";
static const char sql_filename_of[] = "SELECT filename FROM asset WHERE id = ?1";

enum row_col { COL_ID, COL_FILENAME, COL_W, COL_H, COL_SHAPES, COL_STATUS, COL_TAGS, COL_KEY };

/* What a query needs besides the asset_query: which rows, in which direction. */
enum page_kind { PAGE_ROWS, PAGE_COUNT, PAGE_BEFORE, PAGE_ONE };
enum page_range { RANGE_ALL, RANGE_SAME_KEY, RANGE_AFTER_KEY };

struct page_spec {
	enum page_kind kind;
	enum page_range range; /* which rows past the cursor */
	int reverse;           /* scan against the display order */
	const char *search;    /* NULL, or rows whose file name, a label or a tag contain it */
};

static enum asset_filter_field filter_of(const struct asset_query *q)
{
	/* an empty filter shows everything, whatever field it is set on */
	if (q->filter_text[0] == '\0' || (int)q->filter < 0 || (int)q->filter >= NFILTERS)
		return FILTER_NONE;
	return q->filter;
}

static int nterms_of(const struct asset_query *q)
{
	return q->nterms < 0 ? 0 : q->nterms > ASSET_QUERY_TERMS ? ASSET_QUERY_TERMS : q->nterms;
}

int cache_query_filtered(const struct asset_query *q)
{
	if (filter_of(q) != FILTER_NONE)
		return 1;
	for (int i = 0; i < nterms_of(q); i++)
		if (q->terms[i].field > FILTER_NONE && q->terms[i].field <= FILTER_STATUS &&
		    q->terms[i].text[0] != '\0')
			return 1;
	return 0;
}

/* keyset: the statement scans a sort index in order (its status terms keep out of the way) */
static int term_sql(const struct asset_term *t, int i, int keyset, struct buf *b)
{
	if (t->text[0] == '\0')
		return 0;
	switch (t->field) {
	case FILTER_LABEL:
		return buf_printf(b, t->exact ? sql_term_label_exact : sql_term_label, i);
	case FILTER_TAG:
		return buf_printf(b, t->exact ? sql_term_tag_exact : sql_term_tag, i);
	case FILTER_FILENAME:
		return buf_printf(b, sql_term_filename, i);
	case FILTER_STATUS:
		return buf_printf(b, sql_term_status, keyset ? "+" : "", i, i, i, i);
	case FILTER_ANY:
		return buf_printf(b, sql_term_any, i, i, i, i);
	default:
		return 0;
	}
}

static int where_build(const struct asset_query *q, int keyset, struct buf *b)
{
	int rc = buf_puts(b, sql_where);

	if (rc == 0)
		rc = buf_puts(b, filter_sql[filter_of(q)]);
	for (int i = 0; rc == 0 && i < nterms_of(q); i++)
		rc = term_sql(&q->terms[i], i, keyset, b);
	return rc;
}

static int sql_build(const struct asset_query *q, const struct page_spec *p, struct buf *b)
{
	const char *key = sort_key[q->sort];
	/* descending display XOR a backward scan: the direction the index is walked */
	int desc = !!q->descending ^ !!p->reverse;
	int rc;

	if (p->kind == PAGE_ROWS || p->kind == PAGE_ONE)
		rc = buf_printf(b, sql_row_head, key);
	else
		rc = buf_puts(b, sql_count_head);
	if (rc == 0 && (p->kind == PAGE_ROWS || p->kind == PAGE_BEFORE))
		rc = buf_printf(b, sql_indexed, sort_index[q->sort]);
	if (rc == 0 && p->kind != PAGE_ONE)
		rc = where_build(q, p->kind != PAGE_COUNT, b);
	if (rc == 0 && p->kind == PAGE_ONE)
		rc = buf_puts(b, sql_where);
	if (rc == 0 && p->kind == PAGE_ONE)
		rc = buf_puts(b, sql_one);
	if (rc == 0 && p->search != NULL)
		rc = buf_puts(b, sql_search);
	if (rc == 0 && p->range == RANGE_SAME_KEY)
		rc = buf_printf(b, sql_same_key, key, desc ? "<" : ">");
	if (rc == 0 && p->range == RANGE_AFTER_KEY)
		rc = buf_printf(b, sql_after_key, key, desc ? "<" : ">");
	if (rc == 0 && p->kind == PAGE_ROWS)
		rc = buf_printf(b, sql_order, key, desc ? "DESC" : "ASC", desc ? "DESC" : "ASC");
	return rc;
}

/* LIKE pattern for "contains text" (or "starts with" when prefix is set): % and _ in the
 * text match themselves. */
static void like_build(const char *text, int prefix, char *out, size_t outsz)
{
	size_t at = 0;

	if (!prefix)
		out[at++] = '%';
	for (const char *p = text; *p != '\0' && at + 4 < outsz; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			out[at++] = '\\';
		out[at++] = *p;
	}
	out[at++] = '%';
	out[at] = '\0';
}

static void like_pattern(const char *text, char *out, size_t outsz)
{
	like_build(text, 0, out, outsz);
}

static int status_of(const char *text)
{
	enum review_status st;

	return review_status_parse(text, &st) == 0 ? (int)st : -1;
}

/* The statuses a term takes, one a slot (-1: none): by prefix for a status term, "refused"
 * being Picsellia's name for rejected; the one the text names for FILTER_ANY or an exact term. */
static void term_statuses(const struct asset_term *t, int64_t out[REVIEW_STATUS_COUNT])
{
	size_t n = strlen(t->text);

	for (int k = 0; k < REVIEW_STATUS_COUNT; k++)
		out[k] = -1;
	if (t->field == FILTER_ANY || t->exact) {
		out[0] = status_of(t->text);
		return;
	}
	for (int k = 0; k < REVIEW_STATUS_COUNT; k++)
		if (strncasecmp(review_status_name((enum review_status)k), t->text, n) == 0)
			out[k] = k;
	if (strncasecmp("refused", t->text, n) == 0)
		out[REVIEW_REJECTED] = REVIEW_REJECTED;
}

static void bind_term(sqlite3_stmt *st, const struct asset_term *t, int i)
{
	char pattern[2 * sizeof t->text + 3], name[32];
	int64_t statuses[REVIEW_STATUS_COUNT];

	like_build(t->text, 1, pattern, sizeof pattern);
	snprintf(name, sizeof name, ":p%d", i);
	cache_db_bind_named_text(st, name, t->exact ? t->text : pattern);
	like_build(t->text, 0, pattern, sizeof pattern);
	snprintf(name, sizeof name, ":c%d", i);
	cache_db_bind_named_text(st, name, pattern);
	term_statuses(t, statuses);
	for (int k = 0; k < REVIEW_STATUS_COUNT; k++) {
		snprintf(name, sizeof name, ":s%d_%d", i, k);
		cache_db_bind_named_int64(st, name, statuses[k]);
	}
}

static void bind_query(sqlite3_stmt *st, const struct asset_query *q,
                       const struct asset_cursor *cur)
{
	char pattern[2 * sizeof q->filter_text + 3];

	for (int i = 0; i < nterms_of(q); i++)
		bind_term(st, &q->terms[i], i);
	like_pattern(q->filter_text, pattern, sizeof pattern);
	cache_db_bind_named_int64(st, ":ds", q->dataset_id);
	cache_db_bind_named_text(st, ":text", q->filter_text);
	cache_db_bind_named_text(st, ":pattern", pattern);
	cache_db_bind_named_int64(st, ":status", status_of(q->filter_text));
	if (cur == NULL)
		return;
	if (q->sort == SORT_FILENAME)
		cache_db_bind_named_text(st, ":key", cur->key_text);
	else
		cache_db_bind_named_int64(st, ":key", cur->key_num);
	cache_db_bind_named_int64(st, ":id", cur->id);
}

/* A filename longer than the cursor's key_text was cut when the cursor was made, and a cut
 * key would bring the cursor's own row back; the row's stored name is the key then. A row
 * deleted since keeps the cut key, which is the best left to go by. */
static int bind_long_key(struct cache *c, sqlite3_stmt *st, const struct asset_query *q,
                         const struct asset_cursor *cur, struct err *err)
{
	sqlite3_stmt *look = NULL;
	int rc = -1, step;

	if (cur == NULL || q->sort != SORT_FILENAME ||
	    strlen(cur->key_text) < sizeof cur->key_text - 1)
		return 0;
	if (cache_db_prepare(c, sql_filename_of, &look, err) < 0)
		goto out;
	sqlite3_bind_int64(look, 1, cur->id);
	step = sqlite3_step(look);
	if (step == SQLITE_ROW)
		cache_db_bind_named_text(st, ":key", cache_db_text(look, 0));
	else if (step != SQLITE_DONE) {
		cache_db_fail(c, err, "listing assets");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(look);
	return rc;
}

static int query_prepare(struct cache *c, const struct asset_query *q, const struct page_spec *p,
                         const struct asset_cursor *cur, sqlite3_stmt **st, struct err *err)
{
	struct buf b;
	int rc;

	*st = NULL;
	if ((int)q->sort < 0 || q->sort >= SORT_COUNT)
		return err_set(err, "listing assets: unknown sort order %d", (int)q->sort);
	buf_init(&b, SQL_MAX);
	rc = sql_build(q, p, &b);
	if (rc < 0)
		err_set(err, "listing assets: query too long");
	else
		rc = cache_db_prepare(c, (const char *)b.data, st, err);
	buf_free(&b);
	if (rc < 0)
		return -1;
	bind_query(*st, q, cur);
	if (p->search != NULL) {
		char pattern[2 * sizeof q->filter_text + 3];
		like_pattern(p->search, pattern, sizeof pattern);
		cache_db_bind_named_text(*st, ":spat", pattern);
	}
	if (bind_long_key(c, *st, q, cur, err) < 0) {
		sqlite3_finalize(*st);
		*st = NULL;
		return -1;
	}
	return 0;
}

/* Copies a comma-joined tag list, cut at a character boundary with an ellipsis. */
static void tags_fit(char *dst, size_t dstsz, const char *src)
{
	size_t n = strlen(src), cut;

	if (n < dstsz) {
		memcpy(dst, src, n + 1);
		return;
	}
	cut = dstsz - 4;
	while (cut > 0 && ((unsigned char)src[cut] & 0xC0) == 0x80)
		cut--;
	memcpy(dst, src, cut);
	memcpy(dst + cut, "\xE2\x80\xA6", 4);
}

static void row_read(sqlite3_stmt *st, enum asset_sort sort, struct asset_row *r)
{
	int status = sqlite3_column_int(st, COL_STATUS);

	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, COL_ID);
	str_copy(r->filename, cache_db_text(st, COL_FILENAME), sizeof r->filename);
	r->width = sqlite3_column_int(st, COL_W);
	r->height = sqlite3_column_int(st, COL_H);
	r->shape_count = sqlite3_column_int(st, COL_SHAPES);
	r->status = status >= 0 && status < REVIEW_STATUS_COUNT ? (enum review_status)status
	                                                        : REVIEW_PENDING;
	tags_fit(r->tags, sizeof r->tags, cache_db_text(st, COL_TAGS));
	r->cursor.valid = 1;
	r->cursor.id = r->id;
	if (sort == SORT_FILENAME)
		str_copy(r->cursor.key_text, cache_db_text(st, COL_KEY), sizeof r->cursor.key_text);
	else
		r->cursor.key_num = sqlite3_column_int64(st, COL_KEY);
}

static void rows_reverse(struct asset_row *rows, int n)
{
	struct asset_row tmp;

	for (int i = 0, j = n - 1; i < j; i++, j--) {
		tmp = rows[i];
		rows[i] = rows[j];
		rows[j] = tmp;
	}
}

/* Appends the rows of one range, in scan order, to rows. */
static int page_fetch(struct cache *cache, const struct asset_query *q, const struct page_spec *p,
                      const struct asset_cursor *cur, struct asset_row *rows, int max, int *n,
                      struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step = SQLITE_DONE;

	if (max <= *n)
		return 0;
	if (query_prepare(cache, q, p, cur, &st, err) < 0)
		goto out;
	cache_db_bind_named_int64(st, ":lim", max - *n);
	while (*n < max && (step = sqlite3_step(st)) == SQLITE_ROW)
		row_read(st, q->sort, &rows[(*n)++]);
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		cache_db_fail(cache, err, "listing assets");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

int cache_assets_page(struct cache *cache, const struct asset_query *q,
                      const struct asset_cursor *from, int backward, struct asset_row *rows,
                      int max, int *n, struct err *err)
{
	struct page_spec p = {.kind = PAGE_ROWS, .reverse = !!backward};

	*n = 0;
	if (max <= 0)
		return 0;
	if (from == NULL || !from->valid) {
		if (page_fetch(cache, q, &p, NULL, rows, max, n, err) < 0)
			return -1;
	} else {
		p.range = RANGE_SAME_KEY;
		if (page_fetch(cache, q, &p, from, rows, max, n, err) < 0)
			return -1;
		p.range = RANGE_AFTER_KEY;
		if (page_fetch(cache, q, &p, from, rows, max, n, err) < 0)
			return -1;
	}
	/* a backward page was read bottom-up; it is handed back top to bottom */
	if (backward)
		rows_reverse(rows, *n);
	return 0;
}

int cache_assets_find(struct cache *cache, const struct asset_query *q, const char *text,
                      const struct asset_cursor *from, int backward, struct asset_row *out,
                      int *wrapped, struct err *err)
{
	struct page_spec p = {.kind = PAGE_ROWS, .reverse = !!backward, .search = text};
	int n = 0;

	*wrapped = 0;
	if (text == NULL || text[0] == '\0')
		return 0;
	if (from != NULL && from->valid) {
		p.range = RANGE_SAME_KEY;
		if (page_fetch(cache, q, &p, from, out, 1, &n, err) < 0)
			return -1;
		p.range = RANGE_AFTER_KEY;
		if (page_fetch(cache, q, &p, from, out, 1, &n, err) < 0)
			return -1;
		if (n == 1)
			return 1;
		*wrapped = 1;
	}
	/* nothing past the cursor: the first match from the other end */
	p.range = RANGE_ALL;
	if (page_fetch(cache, q, &p, NULL, out, 1, &n, err) < 0)
		return -1;
	if (n == 0)
		*wrapped = 0;
	return n;
}

static int count_run(struct cache *cache, const struct asset_query *q, const struct page_spec *p,
                     const struct asset_cursor *cur, int *count, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (query_prepare(cache, q, p, cur, &st, err) < 0)
		goto out;
	if (sqlite3_step(st) != SQLITE_ROW) {
		cache_db_fail(cache, err, "counting assets");
		goto out;
	}
	*count += sqlite3_column_int(st, 0);
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

int cache_assets_count(struct cache *cache, const struct asset_query *q, int *count,
                       struct err *err)
{
	struct page_spec p = {.kind = PAGE_COUNT};

	*count = 0;
	return count_run(cache, q, &p, NULL, count, err);
}

int cache_assets_position(struct cache *cache, const struct asset_query *q,
                          const struct asset_cursor *at, int *position, struct err *err)
{
	/* the rows before it in display order: those strictly past it scanning backwards */
	struct page_spec p = {.kind = PAGE_BEFORE, .range = RANGE_SAME_KEY, .reverse = 1};

	*position = 0;
	if (at == NULL || !at->valid)
		return 0;
	if (count_run(cache, q, &p, at, position, err) < 0)
		return -1;
	p.range = RANGE_AFTER_KEY;
	return count_run(cache, q, &p, at, position, err);
}

int cache_asset_row(struct cache *cache, const struct asset_query *q, int64_t asset_id,
                    struct asset_row *out, struct err *err)
{
	struct page_spec p = {.kind = PAGE_ONE};
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	memset(out, 0, sizeof *out);
	if (query_prepare(cache, q, &p, NULL, &st, err) < 0)
		goto out;
	cache_db_bind_named_int64(st, ":aid", asset_id);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE)
		err_set(err, "asset %lld is not in this dataset", (long long)asset_id);
	else if (step != SQLITE_ROW)
		cache_db_fail(cache, err, "reading an asset's row");
	if (step != SQLITE_ROW)
		goto out;
	row_read(st, q->sort, out);
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* ---- every asset, for scripts -------------------------------------------------------------- */

/* One statement for the whole list: tags come joined by NUL bytes, in name order. */
static const char sql_assets_each[] =
    "SELECT a.id, a.filename, a.width, a.height, a.shape_count, a.status,"
    " coalesce(a.path, (SELECT dt.local_path FROM data dt WHERE dt.id = a.data_id), ''),"
    " (SELECT group_concat(name, char(0)) FROM (SELECT g.name FROM asset_tag t"
    "  JOIN tag g ON g.id = t.tag_id WHERE t.asset_id = a.id ORDER BY g.name))"
    " FROM asset a WHERE a.dataset_id = ?1 ORDER BY a.filename, a.id";

#define EACH_TAGS_MAX 256

static void each_row(sqlite3_stmt *st, struct asset_detail *d, char **tags)
{
	const char *t = (const char *)sqlite3_column_text(st, 7);
	int len = sqlite3_column_bytes(st, 7), at = 0;

	d->id = sqlite3_column_int64(st, 0);
	str_copy(d->filename, cache_db_text(st, 1), sizeof d->filename);
	d->width = sqlite3_column_int(st, 2);
	d->height = sqlite3_column_int(st, 3);
	d->nshapes = sqlite3_column_int(st, 4);
	d->status = (enum review_status)sqlite3_column_int(st, 5);
	str_copy(d->path, cache_db_text(st, 6), sizeof d->path);
	d->ntags = 0;
	while (t != NULL && at < len && d->ntags < EACH_TAGS_MAX) {
		tags[d->ntags++] = (char *)t + at;
		at += (int)strlen(t + at) + 1;
	}
	d->tags = tags;
}

int cache_assets_detail_each(struct cache *cache, int64_t dataset_id, cache_detail_fn fn, void *ctx,
                             struct err *err)
{
	/* on the heap (4 KB of path), not static: callers may be on any thread */
	struct asset_detail *d = malloc(sizeof *d);
	char *tags[EACH_TAGS_MAX];
	sqlite3_stmt *st = NULL;
	int step, rc = -1;

	if (d == NULL)
		return err_set(err, "listing the assets: out of memory");
	if (cache_db_prepare(cache, sql_assets_each, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, dataset_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		memset(d, 0, sizeof *d);
		d->dataset_id = dataset_id;
		each_row(st, d, tags);
		if (fn(ctx, d) < 0)
			goto out;
	}
	if (step != SQLITE_DONE) {
		cache_db_fail(cache, err, "listing the assets");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	free(d);
	return rc;
}

int cache_query_where(const struct asset_query *q, struct buf *b)
{
	return where_build(q, 0, b);
}

void cache_query_bind(sqlite3_stmt *st, const struct asset_query *q)
{
	bind_query(st, q, NULL);
}
