/* Tests of the keyset-paged asset list over 20k assets: every sort, both directions, every
 * filter (with %, _, quotes and backslashes in the text), counts and positions, each checked
 * against a reference computed in memory; then combined filters (terms by prefix) the same way,
 * and the plans they run. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "cache_fixture.h"
#include "core/err.h"
#include "core/model.h"
#include "core/str.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NLABELS       5
#define NTAGS         5
#define PAGE          97 /* not a divisor of anything, so that the last page is partial */
#define SQL_TRACE_MAX 8192

static const char *const label_names[NLABELS] = {"car", "Person", "traffic_light", "100%", "dog's"};
/* in byte order, as the list joins them */
static const char *const tag_names[NTAGS] = {"50%_off", "day", "night", "o'clock", "rain"};

struct ref {
	char filename[64];
	int width;
	int height;
	int shapes;
	int status;
	unsigned labels; /* bit per label used */
	unsigned tags;   /* bit per tag */
};

static struct ref *refs;
static int nrefs;
static int64_t id_base;
static char *dir;

static unsigned rnd_state = 12345;

static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 16) % n;
}

static void ref_filename(int i, char *out, size_t outsz)
{
	if (i % 997 == 5)
		snprintf(out, outsz, "100%%_done_%d.jpg", i);
	else if (i % 991 == 7)
		snprintf(out, outsz, "it's_%d.jpg", i);
	else if (i % 983 == 9)
		snprintf(out, outsz, "back\\slash_%d.jpg", i);
	else if (i % 977 == 11)
		snprintf(out, outsz, "quote\"d_%d.jpg", i);
	else if (i % 971 == 13)
		snprintf(out, outsz, "esc\\%%_%d.jpg", i);
	else if (i % 1000 == 1)
		memcpy(out, refs[i - 1].filename, outsz); /* the same name: ties go by id */
	else
		snprintf(out, outsz, i % 2 ? "Img_%05d.JPG" : "img%05d.jpg", (i * 7919) % 100000);
}

static void build_asset(struct dataset_doc *doc, int i)
{
	struct asset *a = dataset_doc_add_asset(doc);
	struct ref *r = &refs[i];
	char ext[16];

	ref_filename(i, r->filename, sizeof r->filename);
	r->width = 100 * (1 + (int)rnd(3)) * (rnd(50) != 0); /* a few unknown sizes */
	r->height = 100 * (1 + (int)rnd(2));
	r->status = (int)rnd(REVIEW_STATUS_COUNT);
	r->shapes = (int)rnd(5);
	snprintf(ext, sizeof ext, "%d", i);
	a->ext_id = strdup(ext);
	a->filename = strdup(r->filename);
	a->width = r->width;
	a->height = r->height;
	a->status = (enum review_status)r->status;
	for (int k = 0; k < r->shapes; k++) {
		struct shape *s = asset_add_shape(a);

		s->label = (int)rnd(NLABELS);
		s->box = (struct rect){k, k, 5, 5};
		r->labels |= 1u << s->label;
	}
	for (int t = 0; t < NTAGS; t++)
		if (rnd(4) == 0) {
			asset_add_tag(a, tag_names[t]);
			r->tags |= 1u << t;
		}
}

static struct dataset_doc *build_doc(int n)
{
	struct dataset_doc *doc = dataset_doc_new();

	doc->name = strdup("paging");
	for (int i = 0; i < NLABELS; i++)
		dataset_doc_add_label(doc)->name = strdup(label_names[i]);
	refs = calloc((size_t)n, sizeof *refs);
	nrefs = n;
	for (int i = 0; i < n; i++)
		build_asset(doc, i);
	return doc;
}

/* ---- the reference list ---------------------------------------------------------------- */

static int status_of(const char *text)
{
	enum review_status st;

	return review_status_parse(text, &st) == 0 ? (int)st : -1;
}

static int ref_matches(const struct ref *r, enum asset_filter_field f, const char *text)
{
	int hit = 0;

	if (text[0] == '\0')
		return 1;
	switch (f) {
	case FILTER_NONE:
		return 1;
	case FILTER_FILENAME:
		return str_icontains(r->filename, text);
	case FILTER_STATUS:
		return r->status == status_of(text);
	case FILTER_LABEL:
		for (int l = 0; l < NLABELS; l++)
			hit |= (r->labels >> l & 1) && strcasecmp(label_names[l], text) == 0;
		return hit;
	case FILTER_TAG:
		for (int t = 0; t < NTAGS; t++)
			hit |= (r->tags >> t & 1) && strcmp(tag_names[t], text) == 0;
		return hit;
	case FILTER_ANY:
		hit = str_icontains(r->filename, text) || r->status == status_of(text);
		for (int l = 0; l < NLABELS; l++)
			hit |= (r->labels >> l & 1) && str_icontains(label_names[l], text);
		for (int t = 0; t < NTAGS; t++)
			hit |= (r->tags >> t & 1) && str_icontains(tag_names[t], text);
		return hit;
	}
	return 0;
}

/* A term of a combined filter: labels and tags by prefix in any case (or the whole name when
 * exact), statuses by the prefix of their name or of Picsellia's "refused". */
static int ref_term(const struct ref *r, const struct asset_term *t)
{
	size_t n = strlen(t->text);
	const char *st = review_status_name((enum review_status)r->status);
	int hit = 0;

	if (n == 0)
		return 1;
	switch (t->field) {
	case FILTER_LABEL:
		for (int l = 0; l < NLABELS; l++)
			hit |= (r->labels >> l & 1) &&
			       (t->exact ? strcasecmp(label_names[l], t->text)
			                 : strncasecmp(label_names[l], t->text, n)) == 0;
		return hit;
	case FILTER_TAG:
		for (int g = 0; g < NTAGS; g++)
			hit |= (r->tags >> g & 1) &&
			       (t->exact ? strcmp(tag_names[g], t->text)
			                 : strncasecmp(tag_names[g], t->text, n)) == 0;
		return hit;
	case FILTER_STATUS:
		if (t->exact)
			return r->status == status_of(t->text);
		return strncasecmp(st, t->text, n) == 0 ||
		       (r->status == REVIEW_REJECTED && strncasecmp("refused", t->text, n) == 0);
	default:
		return ref_matches(r, t->field, t->text);
	}
}

static int ref_query(const struct ref *r, const struct asset_query *q)
{
	if (!ref_matches(r, q->filter, q->filter_text))
		return 0;
	/* as the cache does: a count past the array means the whole array */
	for (int i = 0; i < q->nterms && i < ASSET_QUERY_TERMS; i++)
		if (!ref_term(r, &q->terms[i]))
			return 0;
	return 1;
}

static const struct asset_query *cmp_q;

static int ref_cmp(const void *pa, const void *pb)
{
	int a = *(const int *)pa, b = *(const int *)pb, c = 0;
	const struct ref *x = &refs[a], *y = &refs[b];

	switch (cmp_q->sort) {
	case SORT_FILENAME:
		c = strcmp(x->filename, y->filename);
		break;
	case SORT_STATUS:
		c = (x->status > y->status) - (x->status < y->status);
		break;
	case SORT_SHAPES:
		c = (x->shapes > y->shapes) - (x->shapes < y->shapes);
		break;
	default:
		c = (x->width * x->height > y->width * y->height) -
		    (x->width * x->height < y->width * y->height);
	}
	if (c == 0)
		c = (a > b) - (a < b); /* ids follow the doc order */
	return cmp_q->descending ? -c : c;
}

/* Indexes into refs of the rows the query should show, in display order. */
static int *expected(const struct asset_query *q, int *n)
{
	int *idx = malloc((size_t)nrefs * sizeof *idx);

	*n = 0;
	for (int i = 0; i < nrefs; i++)
		if (ref_query(&refs[i], q))
			idx[(*n)++] = i;
	cmp_q = q;
	qsort(idx, (size_t)*n, sizeof *idx, ref_cmp);
	return idx;
}

static void ref_tags(const struct ref *r, char *out, size_t outsz)
{
	out[0] = '\0';
	for (int t = 0; t < NTAGS; t++)
		if (r->tags >> t & 1)
			snprintf(out + strlen(out), outsz - strlen(out), "%s%s", out[0] ? "," : "",
			         tag_names[t]);
}

static int row_matches_ref(const struct asset_row *row)
{
	const struct ref *r = &refs[row->id - id_base];
	char tags[128];

	ref_tags(r, tags, sizeof tags);
	return strcmp(row->filename, r->filename) == 0 && row->width == r->width &&
	       row->height == r->height && row->shape_count == r->shapes &&
	       (int)row->status == r->status && strcmp(row->tags, tags) == 0;
}

/* ---- walking the list ------------------------------------------------------------------ */

/* Every row of the list, in display order, read a page at a time from one end. Returns the
 * number of rows, or -1 when a page failed or a row disagrees with the reference. */
static int walk(struct cache *c, const struct asset_query *q, int backward, int *ids, int max)
{
	struct asset_row rows[PAGE];
	struct asset_cursor cur = {0};
	struct err err = {0};
	int total = 0, n;

	do {
		if (cache_assets_page(c, q, &cur, backward, rows, PAGE, &n, &err) < 0) {
			printf("# page: %s\n", err.msg);
			return -1;
		}
		for (int i = 0; i < n; i++) {
			int k = backward ? n - 1 - i : i; /* backward: collect bottom-up */

			if (total >= max || !row_matches_ref(&rows[k]))
				return -1;
			ids[total++] = (int)(rows[k].id - id_base);
		}
		if (n > 0)
			cur = rows[backward ? 0 : n - 1].cursor;
	} while (n == PAGE);
	if (backward)
		for (int i = 0, j = total - 1; i < j; i++, j--) {
			int t = ids[i];

			ids[i] = ids[j];
			ids[j] = t;
		}
	return total;
}

static int positions_right(struct cache *c, const struct asset_query *q, const int *want, int n)
{
	struct asset_row row;
	struct err err = {0};
	int pos;

	for (int i = 0; i < n; i += (n / 7) + 1) {
		if (cache_asset_row(c, q, id_base + want[i], &row, &err) < 0 ||
		    cache_assets_position(c, q, &row.cursor, &pos, &err) < 0 || pos != i) {
			printf("# position of row %d: %s\n", i, err.msg);
			return 0;
		}
	}
	return 1;
}

static void check_query(struct cache *c, const struct asset_query *q, const char *name)
{
	int nwant, count = -1, *want = expected(q, &nwant);
	int *fwd = malloc(((size_t)nrefs + 1) * sizeof *fwd);
	int *bwd = malloc(((size_t)nrefs + 1) * sizeof *bwd);
	int nf = walk(c, q, 0, fwd, nrefs + 1), nb = walk(c, q, 1, bwd, nrefs + 1);
	int pr = positions_right(c, q, want, nwant);
	int same = nf == nwant && nb == nwant &&
	           memcmp(fwd, want, (size_t)nwant * sizeof *want) == 0 &&
	           memcmp(bwd, want, (size_t)nwant * sizeof *want) == 0;

	cache_assets_count(c, q, &count, NULL);
	ok(same && count == nwant && pr,
	   "%s sort %d %s: %d rows forward, %d backward, count %d, want %d", name, q->sort,
	   q->descending ? "desc" : "asc", nf, nb, count, nwant);
	free(want);
	free(fwd);
	free(bwd);
}

struct filter_case {
	enum asset_filter_field field;
	const char *text;
	const char *name;
};

static const struct filter_case filter_cases[] = {
    {FILTER_NONE, "", "no filter"},
    {FILTER_FILENAME, "IMG_0", "filename, any case"},
    {FILTER_FILENAME, "%", "filename with a literal %"},
    {FILTER_FILENAME, "_d", "filename with a literal _"},
    {FILTER_FILENAME, "it's", "filename with a quote"},
    {FILTER_FILENAME, "\"", "filename with a double quote"},
    {FILTER_FILENAME, "\\s", "filename with a backslash"},
    {FILTER_FILENAME, "\\%_", "filename with an escape sequence"},
    {FILTER_LABEL, "PERSON", "label, any case"},
    {FILTER_LABEL, "100%", "label with a %"},
    {FILTER_LABEL, "dog's", "label with a quote"},
    {FILTER_LABEL, "pers", "label prefix (exact names only)"},
    {FILTER_TAG, "o'clock", "tag with a quote"},
    {FILTER_TAG, "50%_off", "tag with % and _"},
    {FILTER_TAG, "NIGHT", "tag in another case (exact)"},
    {FILTER_STATUS, "accepted", "status"},
    {FILTER_STATUS, "REFUSED", "status by Picsellia's name"},
    {FILTER_ANY, "rain", "any: a tag"},
    {FILTER_ANY, "skipped", "any: a status"},
    {FILTER_ANY, "light", "any: a label"},
    {FILTER_ANY, "%", "any with a %"},
    {FILTER_ANY, "'; DROP TABLE asset; --", "any with SQL in it"},
};

static void test_paging(struct cache *c, int64_t ds, size_t first, size_t end)
{
	for (size_t f = first; f < end; f++) {
		for (int sort = 0; sort < SORT_COUNT; sort++) {
			for (int desc = 0; desc < 2; desc++) {
				struct asset_query q = {.dataset_id = ds,
				                        .sort = sort,
				                        .descending = desc,
				                        .filter = filter_cases[f].field};

				snprintf(q.filter_text, sizeof q.filter_text, "%s",
				         filter_cases[f].text);
				check_query(c, &q, filter_cases[f].name);
			}
		}
	}
}

static void test_edges(struct cache *c, int64_t ds)
{
	struct asset_query q = {.dataset_id = ds};
	struct asset_row rows[4], row;
	struct asset_cursor none = {0};
	struct err err = {0};
	int n = -1, pos = -1, count = -1;

	ok(cache_assets_page(c, &q, NULL, 0, rows, 0, &n, &err) == 0 && n == 0,
	   "a page of zero rows is empty");
	ok(cache_assets_position(c, &q, &none, &pos, &err) == 0, "position of an invalid cursor");
	is_int(pos, 0, "is 0");
	q.dataset_id = ds + 100;
	ok(cache_assets_page(c, &q, NULL, 1, rows, 4, &n, &err) == 0 && n == 0 &&
	       cache_assets_count(c, &q, &count, &err) == 0 && count == 0,
	   "an unknown dataset lists nothing");
	ok(cache_asset_row(c, &q, id_base, &row, &err) < 0, "nor finds a row of another dataset");
	q.dataset_id = ds;
	q.sort = SORT_COUNT;
	ok(cache_assets_page(c, &q, NULL, 0, rows, 4, &n, &err) < 0 && strstr(err.msg, "sort"),
	   "an unknown sort is an error: %s", err.msg);
}

/* ---- combined filters ------------------------------------------------------------------ */

/* "label:ca tag:ni" as terms: a word is field:value, a value in quotes is exact. */
struct term_case {
	const char *terms[ASSET_QUERY_TERMS]; /* "l:car", "L:car" (exact), t, s, f, a */
	const char *name;
	int empty; /* 1: the reference must find no row, so that the case proves an empty list */
};

static const struct term_case term_cases[] = {
    {{"l:ca"}, "label prefix", 0},
    {{"l:PERS"}, "label prefix, any case", 0},
    {{"l:traffic_"}, "label prefix with a literal _", 0},
    {{"l:100%"}, "label prefix with a literal %", 0},
    {{"l:100_"}, "label prefix: _ is no wildcard", 1},
    {{"t:ni"}, "tag prefix", 0},
    {{"t:NI"}, "tag prefix, any case", 0},
    {{"t:50%_"}, "tag prefix with % and _", 0},
    {{"T:nigh"}, "exact tag: no prefix", 1},
    {{"T:night"}, "exact tag", 0},
    {{"L:car", "T:rain"}, "exact label and exact tag", 0},
    {{"s:rej"}, "status prefix", 0},
    {{"s:REF"}, "status by a prefix of Picsellia's name", 0},
    {{"s:"}, "a term with no text holds everywhere", 0},
    {{"S:pend"}, "exact status: no prefix", 1},
    {{"l:car", "t:night", "s:pending"}, "label, tag and status", 0},
    {{"l:ca", "t:ni", "s:pe"}, "label, tag and status by prefix", 0},
    {{"l:p", "l:d", "t:r"}, "two labels and a tag", 0},
    {{"f:img_0", "a:rain"}, "file name and plain text", 0},
    {{"a:img", "a:light"}, "two plain words", 0},
    {{"l:zzz", "t:ni"}, "a label no asset has", 1},
    {{"s:zz"}, "a status that is none", 1},
    {{"l:c", "l:P", "t:n", "t:r", "s:a", "f:g", "a:i", "a:'; DROP TABLE asset; --"},
     "eight terms",
     1},
    {{"l:c", "l:P", "t:n", "t:r", "s:a", "f:g", "a:i", "a:JPG"}, "eight terms with rows", 0},
};

static void term_set(struct asset_term *t, const char *word)
{
	static const char fields[] = "ltsfa";
	static const enum asset_filter_field field_of[] = {FILTER_LABEL, FILTER_TAG, FILTER_STATUS,
	                                                   FILTER_FILENAME, FILTER_ANY};
	const char *f = strchr(fields, word[0] | 0x20);

	memset(t, 0, sizeof *t);
	t->field = field_of[f - fields];
	t->exact = word[0] >= 'A' && word[0] <= 'Z';
	snprintf(t->text, sizeof t->text, "%s", word + 2);
}

static void query_terms(struct asset_query *q, const struct term_case *tc)
{
	q->nterms = 0;
	while (q->nterms < ASSET_QUERY_TERMS && tc->terms[q->nterms] != NULL) {
		term_set(&q->terms[q->nterms], tc->terms[q->nterms]);
		q->nterms++;
	}
}

static void test_terms(struct cache *c, int64_t ds)
{
	for (size_t k = 0; k < sizeof term_cases / sizeof term_cases[0]; k++) {
		struct asset_query q = {.dataset_id = ds};
		int nwant;

		query_terms(&q, &term_cases[k]);
		free(expected(&q, &nwant));
		ok((nwant == 0) == term_cases[k].empty, "%s: the reference finds %d rows",
		   term_cases[k].name, nwant);
		for (int sort = 0; sort < SORT_COUNT; sort++)
			for (int desc = 0; desc < 2; desc++) {
				q.sort = sort;
				q.descending = desc;
				check_query(c, &q, term_cases[k].name);
			}
	}
}

/* The single field and the terms hold together. */
static void test_terms_with_field(struct cache *c, int64_t ds)
{
	struct asset_query q = {.dataset_id = ds, .filter = FILTER_TAG, .nterms = 1};

	snprintf(q.filter_text, sizeof q.filter_text, "night");
	term_set(&q.terms[0], "l:p");
	check_query(c, &q, "single field and a term");
	q.nterms = ASSET_QUERY_TERMS + 5; /* out of range: as many as there can be */
	for (int i = 1; i < ASSET_QUERY_TERMS; i++)
		term_set(&q.terms[i], "s:");
	check_query(c, &q, "nterms past the array");
}

/* ---- what the statements walk -------------------------------------------------------------- */

static char traced[4][SQL_TRACE_MAX];
static int ntraced;

static int trace_list(unsigned type, void *ctx, void *p, void *x)
{
	const char *sql = sqlite3_sql(p);

	(void)type;
	(void)ctx;
	(void)x;
	if (sql != NULL && ntraced < 4 &&
	    (strncmp(sql, "SELECT a.id", 11) == 0 || strncmp(sql, "SELECT count", 12) == 0))
		snprintf(traced[ntraced++], sizeof traced[0], "%s", sql);
	return 0;
}

/* The plan of a statement, its rows joined by "; ". Returns 1 when the statement itself sorts
 * (the tag list of each row is sorted in its own tiny subquery; that is fine). */
static int plan_of(sqlite3 *db, const char *sql, char *plan, size_t plansz)
{
	int sorts = 0;

	char eqp[SQL_TRACE_MAX + 32];
	sqlite3_stmt *st = NULL;
	size_t at = 0;

	snprintf(eqp, sizeof eqp, "EXPLAIN QUERY PLAN %s", sql);
	plan[0] = '\0';
	if (sqlite3_prepare_v2(db, eqp, -1, &st, NULL) != SQLITE_OK) {
		snprintf(plan, plansz, "(%s)", sqlite3_errmsg(db));
		return 1;
	}
	while (sqlite3_step(st) == SQLITE_ROW && at < plansz) {
		const char *row = (const char *)sqlite3_column_text(st, 3);

		sorts |= sqlite3_column_int(st, 1) == 0 && strstr(row, "TEMP B-TREE") != NULL;
		at += (size_t)snprintf(plan + at, plansz - at, "%s; ", row);
	}
	sqlite3_finalize(st);
	return sorts;
}

static void test_term_plans(struct cache *c, int64_t ds)
{
	struct asset_query q = {.dataset_id = ds, .sort = SORT_STATUS};
	static const struct term_case tc = {{"l:ca", "t:ni", "s:pe"}, "", 0};
	struct asset_row rows[8];
	char plan[8192];
	int n = 0, count = 0, sorts;

	query_terms(&q, &tc);
	sqlite3_trace_v2(c->db, SQLITE_TRACE_STMT, trace_list, NULL);
	ntraced = 0;
	cache_assets_count(c, &q, &count, NULL);
	plan_of(c->db, traced[0], plan, sizeof plan);
	printf("# count: %s\n", plan);
	ok(ntraced == 1 && strstr(plan, "SEARCH s USING INDEX shape_label (label_id=?)") &&
	       strstr(plan, "SEARCH t USING COVERING INDEX asset_tag_tag (tag_id=?)") &&
	       strstr(plan, "INDEX asset_status (dataset_id=? AND status=?"),
	   "a count walks shape_label, asset_tag_tag and asset_status");
	ntraced = 0;
	cache_assets_page(c, &q, NULL, 0, rows, 8, &n, NULL);
	sorts = plan_of(c->db, traced[0], plan, sizeof plan);
	printf("# page: %s\n", plan);
	ok(ntraced == 1 && !sorts &&
	       strncmp(plan, "SEARCH a USING INDEX asset_status (dataset_id=?);", 49) == 0 &&
	       strstr(plan, "SEARCH s USING INDEX shape_label (label_id=?)") &&
	       strstr(plan, "SEARCH t USING COVERING INDEX asset_tag_tag (tag_id=?)"),
	   "a page keeps to its sort index, the terms read from shape_label and asset_tag_tag");
	sqlite3_trace_v2(c->db, 0, NULL, NULL);
}

/* Filenames longer than a cursor's key_text: stepping one row at a time must neither repeat
 * nor skip a row, in either direction. */
static void test_long_names(struct cache *c)
{
	static const char *const tails[] = {"2.jpg", "1.jpg", "", "1.jpg", "0.jpg"};
	struct dataset_doc *doc = dataset_doc_new();
	struct asset_row row;
	struct err err = {0};
	char name[700];
	int64_t ds = 0, seen[2][8];
	int n[2] = {0, 0}, k, right = 1;

	for (int i = 0; i < 5; i++) {
		memset(name, 'L', 600);
		snprintf(name + 600, sizeof name - 600, "%s", tails[i]);
		dataset_doc_add_asset(doc)->filename = strdup(name);
	}
	ok(cache_import(c, "coco", "/long.json", "fp", doc, &ds, NULL, &err) == 0,
	   "names of 600 bytes import (%s)", err.msg);
	for (int desc = 0; desc < 2; desc++) {
		struct asset_query q = {.dataset_id = ds, .descending = desc};
		struct asset_cursor cur = {0};

		while (n[desc] < 8 && cache_assets_page(c, &q, &cur, 0, &row, 1, &k, &err) == 0 &&
		       k == 1) {
			int pos = -1;

			cache_assets_position(c, &q, &row.cursor, &pos, &err);
			right &= pos == n[desc];
			seen[desc][n[desc]++] = row.id;
			cur = row.cursor;
		}
	}
	ok(n[0] == 5 && n[1] == 5, "one row at a time, every row once (%d, %d)", n[0], n[1]);
	for (int i = 0; i < 5 && n[0] == 5 && n[1] == 5; i++)
		right &= seen[0][i] == seen[1][4 - i];
	ok(right, "descending is the reverse of ascending, and positions match");
	dataset_doc_free(&doc);
}

static void test_tags_cut(struct cache *c, int64_t ds)
{
	struct asset_query q = {.dataset_id = ds};
	struct asset_row row;
	struct err err = {0};
	char tag[CACHE_TAG_MAX + 1];

	for (int i = 0; i < 4; i++) {
		memset(tag, 'a' + i, 60);
		memcpy(tag + 60, "\xc3\xa9\xc3\xa9\xc3\xa9", 7); /* multibyte at the cut */
		cache_tag_add(c, id_base + 3, tag, &err);
	}
	ok(cache_asset_row(c, &q, id_base + 3, &row, &err) == 0, "row with long tags");
	ok(strlen(row.tags) < sizeof row.tags &&
	       strcmp(row.tags + strlen(row.tags) - 3, "\xe2\x80\xa6") == 0,
	   "the joined tags are cut to fit, with an ellipsis");
	ok(str_width(row.tags) > 0 && strstr(row.tags, "\xef\xbf\xbd") == NULL,
	   "and cut on a character boundary");
	{
		char clean[512];

		str_sanitize(row.tags, clean, sizeof clean);
		is_str(clean, row.tags, "the cut leaves valid UTF-8");
	}
}

/* Whether the reference row holds text in its file name, a label or a tag. */
static int ref_holds(const struct ref *r, const char *text)
{
	if (str_icontains(r->filename, text))
		return 1;
	for (int k = 0; k < NLABELS; k++)
		if ((r->labels & (1u << k)) && str_icontains(label_names[k], text))
			return 1;
	for (int k = 0; k < NTAGS; k++)
		if ((r->tags & (1u << k)) && str_icontains(tag_names[k], text))
			return 1;
	return 0;
}

/* n and N over the list: each step from the last row found is the next (previous) matching
 * row of the whole list in its order, and the walk wraps around once, saying so. */
static void search_walk(struct cache *c, const struct asset_query *q, const char *text)
{
	int total = 0, n = 0, nwant = 0, bad = 0, wrapped = 0, steps = 0;
	struct asset_row *all, found;
	int64_t *want;
	struct err err = {0};

	cache_assets_count(c, q, &total, &err);
	all = calloc((size_t)total + 1, sizeof *all);
	want = calloc((size_t)total + 1, sizeof *want);
	cache_assets_page(c, q, NULL, 0, all, total, &n, &err);
	for (int i = 0; i < n; i++)
		if (ref_holds(&refs[all[i].id - id_base], text))
			want[nwant++] = all[i].id;
	for (int back = 0; back < 2; back++) {
		struct asset_cursor at = {0};
		for (int k = 0; k <= nwant; k++) {
			int rc = cache_assets_find(c, q, text, &at, back, &found, &wrapped, &err);
			int64_t expect =
			    nwant ? want[back ? (nwant - 1 - k % nwant + nwant) % nwant : k % nwant]
			          : 0;
			bad += rc != (nwant > 0) || (rc == 1 && found.id != expect) ||
			       wrapped != (nwant > 0 && k == nwant);
			if (rc != 1)
				break;
			at = found.cursor;
			steps++;
		}
	}
	ok(bad == 0 && n == total,
	   "search \"%s\" (sort %d%s, filter %d): %d matches, %d steps, "
	   "both ways, wrapping once",
	   text, (int)q->sort, q->descending ? " desc" : "", (int)q->filter, nwant, steps);
	free(all);
	free(want);
}

static void test_search(struct cache *c, int64_t ds)
{
	static const char *const texts[] = {"night", "PERSON", "img_0", "100%",
	                                    "o'c",   "zzz",    "s_1"};
	struct asset_query q = {.dataset_id = ds};

	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		search_walk(c, &q, texts[i]);
	q.sort = SORT_STATUS;
	q.descending = 1;
	search_walk(c, &q, "day");
	q.sort = SORT_SIZE;
	q.filter = FILTER_STATUS;
	str_copy(q.filter_text, "accepted", sizeof q.filter_text);
	search_walk(c, &q, "car");
}

/* Rows are inserted in doc order, so an id less the first id is the doc index; every row
 * read is checked against the reference under that assumption. */
static int64_t find_id_base(struct cache *c, int64_t ds)
{
	struct asset_query q = {.dataset_id = ds};
	struct asset_row first;
	int k = 0, min = 0;

	for (int i = 1; i < nrefs; i++)
		if (strcmp(refs[i].filename, refs[min].filename) < 0)
			min = i;
	if (cache_assets_page(c, &q, NULL, 0, &first, 1, &k, NULL) < 0 || k != 1)
		return 0;
	return first.id - min;
}

/* Imports n assets as another dataset and checks the filter cases [first, end) on it; an
 * empty range checks the combined filters instead. */
static void phase(struct cache *c, int n, const char *locator, size_t first, size_t end)
{
	struct dataset_doc *doc = build_doc(n);
	struct err err = {0};
	int64_t ds = 0;
	double t0 = fixture_now();

	ok(cache_import(c, "coco", locator, "fp", doc, &ds, NULL, &err) == 0,
	   "%d assets imported (%s)", n, err.msg);
	printf("# import of %d assets: %.2f s\n", n, fixture_now() - t0);
	id_base = find_id_base(c, ds);
	t0 = fixture_now();
	test_paging(c, ds, first, end);
	printf("# paging: %.2f s\n", fixture_now() - t0);
	if (end > 1)
		test_search(c, ds);
	if (first == end) {
		test_terms(c, ds);
		test_terms_with_field(c, ds);
		test_term_plans(c, ds);
	}
	if (end == 1) {
		test_edges(c, ds);
		test_tags_cut(c, ds);
		test_long_names(c);
	}
	dataset_doc_free(&doc);
	free(refs);
	refs = NULL;
}

int main(void)
{
	const char *env = getenv("ANNOTTY_PAGE_ASSETS");
	int n = env != NULL ? atoi(env) : 20000;
	struct cache *c = NULL;
	struct err err = {0};
	char path[4096];

	dir = fixture_tmpdir();
	fixture_path(path, sizeof path, dir, "page.db");
	if (cache_open(path, &c, &err) < 0) {
		printf("# %s\n", err.msg);
		return 1;
	}
	/* every order over the whole big list; every filter over a smaller one */
	phase(c, n, "/paging.json", 0, 1);
	phase(c, n / 8, "/filters.json", 1, sizeof filter_cases / sizeof filter_cases[0]);
	phase(c, n / 8, "/terms.json", 0, 0);
	cache_close(&c);
	fixture_rmdir(&dir);
	return done_testing();
}
