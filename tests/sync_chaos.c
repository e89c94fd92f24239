/* The fixed edits, the sync-until-complete loop and the state dumps of the sync engine's chaos
 * tests (see sync_chaos.h). */
#include "sync_chaos.h"
#include "api/backend.h"
#include "api/picsellia/picsellia.h"
#include "api_standin.h"
#include "cache/cache.h"
#include "cache/internal.h"
#include "cache/sync.h"
#include "core/buf.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STATE_MAX      (64u << 20)
#define STATE_LINES    8192
#define V2_ASSETS      40
#define ROUND_ASSETS   7
#define SHAPE_TEXT_MAX 4096

struct backend *chaos_backend(const struct standin *s, const char *token)
{
	struct backend_locator loc = {
	    .kind = "picsellia", .host = s->url, .organization = "demo-org", .token = token};
	struct backend *b = NULL;
	struct err err = {0};

	if (backend_open(&loc, &b, &err) < 0)
		printf("# backend_open: %s\n", err.msg);
	return b;
}

/* ---- edits ---------------------------------------------------------------------------------- */

/* Up to max row ids the query gives (one int64 column; ?1 bound to arg). */
static int ids_of(struct cache *c, const char *sql, const char *arg, int64_t *ids, int max)
{
	sqlite3_stmt *st = NULL;
	int n = 0;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	while (n < max && sqlite3_step(st) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static int64_t one_id(struct cache *c, const char *sql, const char *arg)
{
	int64_t id = 0;

	return ids_of(c, sql, arg, &id, 1) == 1 ? id : 0;
}

static const char assets_sql[] =
    "SELECT a.id FROM asset a JOIN dataset d ON d.id = a.dataset_id WHERE d.name = ?1"
    " ORDER BY a.filename, a.id";
static const char shaped_sql[] =
    "SELECT a.id FROM asset a JOIN dataset d ON d.id = a.dataset_id WHERE d.name = ?1"
    " AND a.shape_count > 0 ORDER BY a.filename, a.id";

static int box_create(struct cache *c, int64_t asset, int label, double x, double y,
                      struct err *err)
{
	struct shape s = {.kind = SHAPE_BOX, .label = label, .box = {x, y, 40, 25}};
	int64_t id;

	return cache_shape_create(c, asset, &s, &id, err);
}

/* Moves the asset's first shape 10 pixels sideways (left when it would leave the image). */
static int shape_move(struct cache *c, int64_t asset, struct err *err)
{
	struct asset_detail d = {0};
	int rc = -1;

	if (cache_asset_get(c, asset, &d, err) < 0)
		return -1;
	if (d.nshapes > 0 && d.shapes[0].kind == SHAPE_BOX) {
		struct shape *s = &d.shapes[0];
		double dx = s->box.x + s->box.w + 10 <= d.width ? 10 : -10;

		s->box.x += dx;
		rc = cache_shape_update(c, d.shape_ids[0], s, 0, err);
	} else {
		err_setk(err, ERR_USAGE, "asset %lld has no box to move", (long long)asset);
	}
	cache_asset_detail_free(&d);
	return rc;
}

static int shape_drop(struct cache *c, int64_t asset, struct err *err)
{
	struct asset_detail d = {0};
	int rc = -1;

	if (cache_asset_get(c, asset, &d, err) < 0)
		return -1;
	if (d.nshapes > 0)
		rc = cache_shape_delete(c, d.shape_ids[0], err);
	else
		err_setk(err, ERR_USAGE, "asset %lld has no shape", (long long)asset);
	cache_asset_detail_free(&d);
	return rc;
}

static int round_edits(struct cache *c, int r, const int64_t *ids, const int64_t *shaped,
                       struct err *err)
{
	const int64_t *a = ids + ROUND_ASSETS * r;
	int64_t ds = one_id(c, "SELECT id FROM dataset WHERE name = ?1", "cars/v2");
	char label[32];
	int index = -1;

	snprintf(label, sizeof label, "truck-%d", r);
	if (cache_review_set(c, a[0], REVIEW_ACCEPTED, err) < 0 ||
	    cache_review_set(c, a[1], REVIEW_REJECTED, err) < 0 ||
	    cache_tag_add(c, a[2], "chaos", err) < 0 ||
	    cache_label_ensure(c, ds, label, &index, err) < 0 ||
	    box_create(c, a[3], index, 20 + 5 * r, 30, err) < 0 ||
	    box_create(c, a[4], 0, 60, 40 + 5 * r, err) < 0 ||
	    shape_move(c, shaped[2 * r], err) < 0 || shape_drop(c, shaped[2 * r + 1], err) < 0)
		return -1;
	return 0;
}

/* cars/v1: a tag removed, and a box and an accept where there was no annotation. */
static int v1_edits(struct cache *c, struct err *err)
{
	char tag[256] = "";
	int64_t tagged = one_id(c,
	                        "SELECT a.id FROM asset a JOIN dataset d ON d.id = a.dataset_id"
	                        " WHERE d.name = ?1 AND EXISTS (SELECT 1 FROM asset_tag t WHERE"
	                        " t.asset_id = a.id) ORDER BY a.filename LIMIT 1",
	                        "cars/v1");
	int64_t bare = one_id(c,
	                      "SELECT a.id FROM asset a JOIN dataset d ON d.id = a.dataset_id"
	                      " WHERE d.name = ?1 AND NOT EXISTS (SELECT 1 FROM annotation n WHERE"
	                      " n.asset_id = a.id AND n.ext_id IS NOT NULL) ORDER BY a.filename"
	                      " LIMIT 1",
	                      "cars/v1");
	sqlite3_stmt *st = NULL;

	if (tagged == 0 || bare == 0)
		return err_setk(err, ERR_NOT_FOUND, "cars/v1 has no tagged or no bare asset");
	sqlite3_prepare_v2(c->db,
	                   "SELECT t.name FROM asset_tag x JOIN tag t ON t.id = x.tag_id WHERE"
	                   " x.asset_id = ?1 ORDER BY t.name LIMIT 1",
	                   -1, &st, NULL);
	sqlite3_bind_int64(st, 1, tagged);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(tag, sizeof tag, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (cache_tag_remove(c, tagged, tag, err) < 0 || box_create(c, bare, 0, 15, 15, err) < 0 ||
	    cache_review_set(c, bare, REVIEW_ACCEPTED, err) < 0)
		return -1;
	return 0;
}

int chaos_edits(struct cache *c, int rounds, int *entries, struct err *err)
{
	int64_t ids[V2_ASSETS], shaped[V2_ASSETS];
	int nids = ids_of(c, assets_sql, "cars/v2", ids, V2_ASSETS);
	int nshaped = ids_of(c, shaped_sql, "cars/v2", shaped, V2_ASSETS);
	int64_t before = one_id(c, "SELECT count(*) FROM outbox WHERE ?1 = ?1", "");

	if (rounds < 1 || nids < ROUND_ASSETS * rounds || nshaped < 2 * rounds)
		return err_setk(err, ERR_USAGE,
		                "cars/v2 has %d assets (%d with shapes) for %d rounds", nids,
		                nshaped, rounds);
	for (int r = 0; r < rounds; r++)
		if (round_edits(c, r, ids, shaped, err) < 0)
			return -1;
	if (v1_edits(c, err) < 0)
		return -1;
	*entries = (int)(one_id(c, "SELECT count(*) FROM outbox WHERE ?1 = ?1", "") - before);
	return 0;
}

/* ---- syncing ------------------------------------------------------------------------------ */

int chaos_sync_until(struct cache *c, struct backend *b, const struct sync_scope *scope, int max,
                     struct err *err)
{
	static const struct sync_hooks asked = {.eager = 1};
	struct sync_report rep;

	for (int i = 0; i < max; i++) {
		err_clear(err);
		if (sync_source(c, b, scope, &asked, &rep, err) == 0 && rep.complete)
			return i + 1;
		if (err->msg[0] == '\0')
			err_setk(err, ERR_FAILED, "incomplete: %d waiting, %d conflicts (%s)",
			         rep.waiting, rep.conflicts, rep.last_error);
	}
	return -1;
}

/* ---- states ------------------------------------------------------------------------------- */

struct lines {
	char *v[STATE_LINES];
	int n;
};

static void lines_add(struct lines *l, const char *text)
{
	if (l->n < STATE_LINES)
		l->v[l->n++] = strdup(text);
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts and joins the lines into out->text, freeing them. */
static int lines_finish(struct lines *l, struct chaos_state *out)
{
	struct buf b;

	buf_init(&b, STATE_MAX);
	qsort(l->v, (size_t)l->n, sizeof *l->v, by_text);
	for (int i = 0; i < l->n; i++) {
		buf_printf(&b, "%s\n", l->v[i]);
		free(l->v[i]);
	}
	l->n = 0;
	buf_putc(&b, '\0');
	out->text = (char *)buf_steal(&b, NULL);
	return out->text != NULL ? 0 : -1;
}

static void shape_text(const struct shape *s, const char *label, char *out, size_t outsz)
{
	int n = snprintf(out, outsz, "%s:%s:%.1f,%.1f,%.1f,%.1f", shape_kind_name(s->kind), label,
	                 s->box.x, s->box.y, s->box.w, s->box.h);

	for (int i = 0; i < s->npoints && n > 0 && (size_t)n < outsz; i++)
		n += snprintf(out + n, outsz - (size_t)n, " %.1f,%.1f", s->points[i].x,
		              s->points[i].y);
	if (s->text != NULL && n > 0 && (size_t)n < outsz)
		snprintf(out + n, outsz - (size_t)n, " \"%s\"", s->text);
}

/* One asset of a server listing as a line; duplicates counted into st. */
static void server_line(const char *version, const struct picsellia_asset *pa,
                        const struct label *labels, int nlabels, struct chaos_state *st,
                        struct lines *l)
{
	const struct asset *a = &pa->asset;
	struct lines shapes = {.n = 0};
	struct buf b;
	char one[SHAPE_TEXT_MAX];
	char **tags = malloc(sizeof *tags * (size_t)(a->ntags + 1));

	buf_init(&b, STATE_MAX);
	for (int i = 0; i < a->ntags; i++)
		tags[i] = a->tags[i];
	qsort(tags, (size_t)a->ntags, sizeof *tags, by_text);
	buf_printf(&b, "%s %s %s n=%d [", version, a->filename, review_status_name(a->status),
	           pa->nannotations);
	for (int i = 0; i < a->ntags; i++)
		buf_printf(&b, "%s%s", i ? "," : "", tags[i]);
	buf_puts(&b, "] {");
	for (int i = 0; i < a->nshapes; i++) {
		int li = a->shapes[i].label;

		shape_text(&a->shapes[i], li >= 0 && li < nlabels ? labels[li].name : "", one,
		           sizeof one);
		lines_add(&shapes, one);
	}
	qsort(shapes.v, (size_t)shapes.n, sizeof *shapes.v, by_text);
	for (int i = 0; i < shapes.n; i++) {
		st->duplicates += i > 0 && strcmp(shapes.v[i], shapes.v[i - 1]) == 0;
		buf_printf(&b, "%s%s", i ? ";" : "", shapes.v[i]);
	}
	for (int i = 0; i < shapes.n; i++) /* after the loop: it compares with the one before */
		free(shapes.v[i]);
	buf_puts(&b, "}");
	lines_add(l, (const char *)b.data);
	st->assets++;
	st->shapes += a->nshapes;
	st->annotations_extra += pa->nannotations > 1;
	buf_free(&b);
	free(tags);
}

static void labels_line(const char *version, const struct label *labels, int n, struct lines *l)
{
	struct lines names = {.n = 0};
	struct buf b;

	buf_init(&b, STATE_MAX);
	for (int i = 0; i < n; i++)
		lines_add(&names, labels[i].name);
	qsort(names.v, (size_t)names.n, sizeof *names.v, by_text);
	buf_printf(&b, "%s labels:", version);
	for (int i = 0; i < names.n; i++) {
		buf_printf(&b, " %s", names.v[i]);
		free(names.v[i]);
	}
	lines_add(l, (const char *)b.data);
	buf_free(&b);
}

static int server_version(struct picsellia *p, const struct picsellia_version *v,
                          struct chaos_state *st, struct lines *l, struct err *err)
{
	struct label *labels = NULL;
	char name[512];
	int nlabels = 0, rc = -1;
	long from = 0;

	snprintf(name, sizeof name, "%s/%s", v->origin_name, v->version);
	if (picsellia_labels(p, v->id, &labels, &nlabels, err) < 0)
		return -1;
	labels_line(name, labels, nlabels, l);
	while (from >= 0) {
		struct picsellia_asset_page page;

		if (picsellia_assets_extended_page(p, v->id, NULL, from, PICSELLIA_PAGE_MAX, labels,
		                                   nlabels, &page, err) < 0)
			goto out;
		for (int i = 0; i < page.n; i++)
			server_line(name, &page.items[i], labels, nlabels, st, l);
		from = page.next;
		picsellia_asset_page_clear(&page);
	}
	rc = 0;
out:
	picsellia_label_list_free(&labels, nlabels);
	return rc;
}

static int server_walk(struct picsellia *p, const char *dataset, struct chaos_state *st,
                       struct lines *l, struct err *err)
{
	struct picsellia_dataset *ds = NULL;
	struct picsellia_version *vs = NULL;
	int nds = 0, nvs = 0, rc = 0;

	if (picsellia_datasets(p, &ds, &nds, err) < 0)
		return -1;
	for (int i = 0; i < nds && rc == 0; i++) {
		if (strcmp(ds[i].name, dataset) != 0)
			continue;
		rc = picsellia_versions(p, ds[i].id, &vs, &nvs, err);
		for (int j = 0; j < nvs && rc == 0; j++)
			rc = server_version(p, &vs[j], st, l, err);
		picsellia_version_list_free(&vs, nvs);
	}
	picsellia_dataset_list_free(&ds, nds);
	return rc;
}

int chaos_server_state(const struct standin *s, const char *dataset, struct chaos_state *out,
                       struct err *err)
{
	struct picsellia_config cfg = {
	    .host = s->url, .token = "bob-token", .org_name = "demo-org"};
	struct picsellia *p = NULL;
	static struct lines l;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (picsellia_new(&cfg, &p, err) < 0 || picsellia_connect(p, err) < 0 ||
	    server_walk(p, dataset, out, &l, err) < 0)
		goto out;
	rc = lines_finish(&l, out);
out:
	for (int i = 0; i < l.n; i++)
		free(l.v[i]);
	l.n = 0;
	picsellia_free(&p);
	return rc;
}

static const char cache_assets_sql[] =
    "SELECT d.name || ' ' || a.filename || ' ' || a.status || ' ['"
    " || coalesce((SELECT group_concat(name, ',') FROM (SELECT t.name FROM asset_tag x JOIN tag t"
    "  ON t.id = x.tag_id WHERE x.asset_id = a.id ORDER BY t.name)), '') || '] {'"
    " || coalesce((SELECT group_concat(v, ';') FROM (SELECT printf('%d:%s:%.1f,%.1f,%.1f,%.1f:%s',"
    "  s.kind, coalesce(l.name, ''), s.x, s.y, s.w, s.h, hex(s.points)) AS v FROM shape s"
    "  LEFT JOIN label l ON l.id = s.label_id WHERE s.asset_id = a.id ORDER BY v)), '') || '}'"
    " FROM asset a JOIN dataset d ON d.id = a.dataset_id WHERE d.name LIKE ?1 || '/%'";
static const char cache_labels_sql[] =
    "SELECT d.name || ' labels:' || coalesce((SELECT group_concat(' ' || name, '') FROM (SELECT"
    " l.name FROM label l WHERE l.dataset_id = d.id ORDER BY l.name)), '') FROM dataset d"
    " WHERE d.name LIKE ?1 || '/%'";
static const char cache_counts_sql[] =
    "SELECT (SELECT count(*) FROM asset a JOIN dataset d ON d.id = a.dataset_id WHERE d.name"
    " LIKE ?1 || '/%'), (SELECT count(*) FROM shape s JOIN asset a ON a.id = s.asset_id JOIN"
    " dataset d ON d.id = a.dataset_id WHERE d.name LIKE ?1 || '/%'), (SELECT coalesce(sum(n - 1),"
    " 0) FROM (SELECT count(*) AS n FROM shape GROUP BY asset_id, kind, label_id, round(x, 1),"
    " round(y, 1), round(w, 1), round(h, 1), points, text HAVING n > 1))";

static int cache_rows(struct cache *c, const char *sql, const char *arg, struct lines *l,
                      struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return err_setk(err, ERR_IO, "state query: %s", sqlite3_errmsg(c->db));
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		lines_add(l, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0
	                         : err_setk(err, ERR_IO, "state query: %s", sqlite3_errmsg(c->db));
}

int chaos_cache_state(struct cache *c, const char *dataset, struct chaos_state *out,
                      struct err *err)
{
	static struct lines l;
	sqlite3_stmt *st = NULL;

	memset(out, 0, sizeof *out);
	if (cache_rows(c, cache_assets_sql, dataset, &l, err) < 0 ||
	    cache_rows(c, cache_labels_sql, dataset, &l, err) < 0)
		goto fail;
	if (sqlite3_prepare_v2(c->db, cache_counts_sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_text(st, 1, dataset, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		out->assets = sqlite3_column_int64(st, 0);
		out->shapes = sqlite3_column_int64(st, 1);
		out->duplicates = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	return lines_finish(&l, out);
fail:
	for (int i = 0; i < l.n; i++)
		free(l.v[i]);
	l.n = 0;
	return -1;
}

void chaos_state_clear(struct chaos_state *st)
{
	free(st->text);
	memset(st, 0, sizeof *st);
}

/* The next line of *p (cut at the newline, which is put back by the caller), or NULL. */
static const char *line_at(const char *p, size_t *len)
{
	const char *nl;

	if (p == NULL || *p == '\0')
		return NULL;
	nl = strchr(p, '\n');
	*len = nl ? (size_t)(nl - p) : strlen(p);
	return p;
}

int chaos_state_same(const struct chaos_state *a, const struct chaos_state *b)
{
	const char *x = a->text, *y = b->text;
	size_t nx = 0, ny = 0;
	int shown = 0;

	if (x != NULL && y != NULL && strcmp(x, y) == 0)
		return 1;
	/* a merge of the two sorted lists: lines only in one of them */
	while (shown < 8 && (line_at(x, &nx) || line_at(y, &ny))) {
		int cmp;

		x = line_at(x, &nx);
		y = line_at(y, &ny);
		cmp = x == NULL ? 1 : y == NULL ? -1 : strncmp(x, y, nx < ny ? nx : ny);
		if (cmp == 0 && nx != ny)
			cmp = nx < ny ? -1 : 1;
		if (cmp < 0)
			printf("# - %.*s\n", (int)(nx > 300 ? 300 : nx), x), shown++;
		else if (cmp > 0)
			printf("# + %.*s\n", (int)(ny > 300 ? 300 : ny), y), shown++;
		if (cmp <= 0)
			x += nx + (x[nx] == '\n');
		if (cmp >= 0)
			y += ny + (y[ny] == '\n');
	}
	return 0;
}

static int64_t count_of(struct cache *c, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

int64_t chaos_pending(struct cache *c)
{
	return count_of(c, "SELECT count(*) FROM outbox WHERE state = 'pending'");
}

int64_t chaos_conflicts(struct cache *c)
{
	struct conflict_row rows[64];
	struct err err = {0};
	int n = 0;

	if (cache_conflicts_list(c, 0, rows, 64, &n, &err) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		printf("# conflict %s on %s: %s\n", rows[i].op, rows[i].filename, rows[i].reason);
	cache_conflict_rows_clear(rows, n);
	return n;
}

int64_t chaos_images(struct cache *c, const char *dataset)
{
	int64_t ids[V2_ASSETS * 4];
	int n = ids_of(c,
	               "SELECT a.id FROM asset a JOIN dataset d ON d.id = a.dataset_id WHERE"
	               " d.name = ?1 AND a.path LIKE '%/images/%'",
	               dataset, ids, (int)(sizeof ids / sizeof *ids));
	int64_t found = 0;

	for (int i = 0; i < n; i++) {
		struct asset_detail d = {0};
		struct err err = {0};

		if (cache_asset_get(c, ids[i], &d, &err) == 0 && d.path[0] != '\0' &&
		    access(d.path, R_OK) == 0)
			found++;
		cache_asset_detail_free(&d);
	}
	return found;
}

char *chaos_outbox_text(struct cache *c)
{
	struct lines l = {.n = 0};
	struct chaos_state st = {0};
	struct err err = {0};

	if (cache_rows(c,
	               "SELECT printf('%d %s %d %d %s', id, state, attempts,"
	               " coalesce(next_attempt_at, 0), coalesce(last_error, '')) FROM outbox"
	               " WHERE ?1 IS NULL",
	               NULL, &l, &err) < 0 ||
	    lines_finish(&l, &st) < 0)
		return NULL;
	return st.text;
}

int chaos_integrity_ok(struct cache *c)
{
	sqlite3_stmt *st = NULL;
	int ok = 0;

	if (sqlite3_prepare_v2(c->db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0 &&
		     sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	return ok;
}
