/* Read-only walks over what the cache holds of a source, for the command line's listings
 * (annotty sources, annotty ls): one SELECT per walk, read in one snapshot, a row at a time. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A datalake is mirrored by a dataset row (format 'datalake') that holds the outbox of its tag
 * edits: it is no dataset version to list. */
#define NOT_DATALAKE "coalesce(d.format, '') <> 'datalake'"

static const char sql_sources[] =
    "SELECT s.id, s.kind, s.locator, coalesce(s.imported_at, 0),"
    " (SELECT count(*) FROM dataset d WHERE d.source_id = s.id AND " NOT_DATALAKE "),"
    " (SELECT count(*) FROM asset a JOIN dataset d ON d.id = a.dataset_id"
    "  WHERE d.source_id = s.id),"
    " (SELECT count(*) FROM outbox o JOIN dataset d ON d.id = o.dataset_id"
    "  WHERE d.source_id = s.id AND o.state = 'pending'),"
    " (SELECT count(*) FROM outbox o JOIN dataset d ON d.id = o.dataset_id"
    "  WHERE d.source_id = s.id AND o.state = 'conflict')"
    " FROM source s ORDER BY s.kind, s.locator";
static const char sql_source_find[] = "SELECT id FROM source WHERE locator = ?1";

/* A cache dataset of a remote source is one platform version; its dataset's name is the
 * shown name without the "/VERSION" the pull appended. */
#define VERSION_COLS                                                                               \
	"d.id, d.name, coalesce(v.name, ''), d.ext_id, v.type,"                                    \
	" CASE WHEN v.name IS NOT NULL AND length(d.name) > length(v.name) + 1"                    \
	" AND substr(d.name, length(d.name) - length(v.name)) = '/' || v.name"                     \
	" THEN substr(d.name, 1, length(d.name) - length(v.name) - 1) ELSE d.name END AS dsname"
static const char sql_versions[] =
    "SELECT " VERSION_COLS ","
    " (SELECT count(*) FROM asset a WHERE a.dataset_id = d.id AND a.status = 0),"
    " (SELECT count(*) FROM asset a WHERE a.dataset_id = d.id AND a.status = 1),"
    " (SELECT count(*) FROM asset a WHERE a.dataset_id = d.id AND a.status = 2),"
    " (SELECT count(*) FROM asset a WHERE a.dataset_id = d.id AND a.status = 3),"
    " (SELECT count(*) FROM label l WHERE l.dataset_id = d.id),"
    " (SELECT count(*) FROM outbox o WHERE o.dataset_id = d.id AND o.state = 'pending'),"
    " (SELECT count(*) FROM outbox o WHERE o.dataset_id = d.id AND o.state = 'conflict'),"
    " (SELECT p.finished_at IS NOT NULL AND p.cursor IS NULL FROM pull_state p"
    "  WHERE p.dataset_id = d.id)"
    " FROM dataset d LEFT JOIN dataset_version v ON v.id ="
    "  (SELECT min(x.id) FROM dataset_version x WHERE x.dataset_id = d.id)"
    " WHERE d.source_id = ?1 AND " NOT_DATALAKE " AND (?2 IS NULL OR dsname = ?2)"
    " ORDER BY dsname, v.name, d.id";
static const char sql_version_find[] =
    "SELECT d.id FROM dataset d WHERE d.source_id = ?1 AND d.name = ?2 AND " NOT_DATALAKE
    " ORDER BY d.id LIMIT 1";

static const char sql_assets[] =
    "SELECT a.id, a.ext_id, a.data_ext_id, a.filename, a.width, a.height, a.shape_count,"
    " a.status FROM asset a WHERE a.dataset_id = ?1 ORDER BY a.filename, a.id";
static const char sql_asset_tags[] =
    "SELECT g.name FROM asset_tag t JOIN tag g ON g.id = t.tag_id WHERE t.asset_id = ?1"
    " ORDER BY g.name";
static const char sql_asset_by_ext[] =
    "SELECT id FROM asset WHERE dataset_id = ?1 AND ext_id = ?2 ORDER BY id LIMIT 1";
static const char sql_asset_by_name[] =
    "SELECT id FROM asset WHERE dataset_id = ?1 AND filename = ?2 ORDER BY id LIMIT 2";

static const char sql_datalakes[] =
    "SELECT k.id, k.ext_id, k.name,"
    " (SELECT count(*) FROM data x WHERE x.datalake_id = k.id),"
    " (SELECT count(*) FROM datalake_tag g WHERE g.datalake_id = k.id)"
    " FROM datalake k WHERE k.source_id = ?1 ORDER BY k.name, k.id";

/* Data with any of the tags (?3 = 0) or with all of them (?3 = the number of names): the tag
 * names are given as one JSON array (?2), so that one statement serves any number of them. */
static const char sql_data[] =
    "SELECT x.id, k.name, x.ext_id, x.filename, x.type, x.upload_status, x.width, x.height"
    " FROM data x JOIN datalake k ON k.id = x.datalake_id WHERE k.source_id = ?1"
    " AND (?2 IS NULL OR (SELECT count(DISTINCT g.name) FROM data_tag t"
    "  JOIN datalake_tag g ON g.id = t.tag_id WHERE t.data_id = x.id"
    "  AND g.name IN (SELECT value FROM json_each(?2))) >= max(?3, 1))"
    " ORDER BY x.filename, x.id";
static const char sql_data_tags[] =
    "SELECT g.name FROM data_tag t JOIN datalake_tag g ON g.id = t.tag_id WHERE t.data_id = ?1"
    " ORDER BY g.name";

static const char sql_datalake_tag_counts[] =
    "SELECT g.name, k.name, (SELECT count(*) FROM data_tag t WHERE t.tag_id = g.id)"
    " FROM datalake_tag g JOIN datalake k ON k.id = g.datalake_id WHERE k.source_id = ?1"
    " ORDER BY g.name, k.name";
static const char sql_asset_tag_counts[] =
    "SELECT g.name, d.name, (SELECT count(*) FROM asset_tag t WHERE t.tag_id = g.id)"
    " FROM tag g JOIN dataset d ON d.id = g.dataset_id WHERE d.source_id = ?1"
    " AND d.id = ?2 ORDER BY g.name";

static const char sql_campaigns[] =
    "SELECT m.id, m.ext_id, m.name, m.kind, d.name, m.closed,"
    " (SELECT count(*) FROM step s WHERE s.campaign_id = m.id),"
    " (SELECT count(*) FROM assignment g JOIN step s ON s.id = g.step_id"
    "  WHERE s.campaign_id = m.id), m.instructions, m.origin = 'local'"
    " FROM campaign m LEFT JOIN dataset_version v ON v.id = m.version_id"
    " LEFT JOIN dataset d ON d.id = v.dataset_id"
    " WHERE (?1 = 0 OR m.source_id = ?1) AND (?2 = 0 OR v.dataset_id = ?2)"
    " ORDER BY m.name, m.id";
/* who "me" is: the user of the campaign's source working here */
#define ME_OF(m) "(SELECT u.id FROM app_user u WHERE u.source_id = " m ".source_id AND u.is_me = 1)"
static const char sql_steps[] =
    "SELECT s.id, m.id, m.ext_id, m.name, s.ext_id, s.name, s.type, s.position,"
    " coalesce(" ME_OF("m") ", 0), d.name"
                            " FROM step s JOIN campaign m ON m.id = s.campaign_id"
                            " LEFT JOIN dataset_version v ON v.id = m.version_id"
                            " LEFT JOIN dataset d ON d.id = v.dataset_id"
                            " WHERE (?1 = 0 OR m.source_id = ?1) AND (?2 = 0 OR v.dataset_id = ?2)"
                            " ORDER BY m.name, m.id, s.position, s.id";
/* one walk of the step's part of the assignment_step index */
static const char sql_step_counts[] =
    "SELECT status, coalesce(user_id = ?2, 0), count(*) FROM assignment WHERE step_id = ?1"
    " GROUP BY 1, 2";
static const char sql_step_assignees[] =
    "SELECT coalesce(u.username, u.ext_id) FROM step_assignee a JOIN app_user u"
    " ON u.id = a.user_id WHERE a.step_id = ?1 ORDER BY 1";
/* The steps where I may have pending work, in listing order; then each step's queue, one part
 * (returned or not) at a time, in the order the queue index keeps it (no sort). */
static const char sql_task_steps[] = "SELECT s.id, " ME_OF(
    "m") ", d.name, s.name, s.type FROM step s"
         " JOIN campaign m ON m.id = s.campaign_id JOIN dataset_version v ON v.id = m.version_id"
         " JOIN dataset d ON d.id = v.dataset_id"
         " WHERE (?1 = 0 OR m.source_id = ?1) AND (?2 = 0 OR d.id = ?2) AND " ME_OF(
             "m") " IS NOT NULL"
                  " ORDER BY d.name, d.id, m.id, s.position, s.id";
static const char sql_task_part[] =
    "SELECT t.id, t.ext_id, a.id, a.ext_id, a.filename, t.status, t.rejected_count, t.comment"
    " FROM assignment t INDEXED BY assignment_queue JOIN asset a ON a.id = t.asset_id"
    " WHERE t.step_id = ?1 AND t.user_id = ?2 AND t.status = 'PENDING'"
    " AND (t.rejected_count > 0) = ?3 ORDER BY t.id";
static const char sql_task_by_ext[] =
    "SELECT t.id FROM assignment t JOIN asset a ON a.id = t.asset_id"
    " WHERE t.ext_id = ?2 AND a.dataset_id = ?1 ORDER BY t.current DESC, t.id DESC LIMIT 1";
static const char sql_task_by_row[] =
    "SELECT t.id FROM assignment t JOIN asset a ON a.id = t.asset_id"
    " WHERE t.id = ?2 AND a.dataset_id = ?1";
/* An asset's task: its current one when it is mine, else the latest of mine (so that a task
 * decided already says so), else its current one (someone else's). */
static const char sql_task_of_asset[] =
    "SELECT t.id, coalesce(t.user_id = (SELECT u.id FROM app_user u JOIN dataset d"
    " ON d.source_id = u.source_id JOIN asset a ON a.dataset_id = d.id WHERE a.id = ?1"
    " AND u.is_me = 1), 0) AS mine"
    " FROM assignment t WHERE t.asset_id = ?1 AND (t.current = 1 OR mine)"
    " ORDER BY t.current AND mine DESC, mine DESC, t.id DESC LIMIT 1";

static const char sql_conflicts_count[] =
    "SELECT count(*) FROM outbox WHERE state = 'conflict' AND (?1 = 0 OR dataset_id = ?1)";

/* The text of a column, NULL for SQL NULL. */
static const char *text_or_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? NULL : cache_db_text(st, col);
}

/* Steps a walk: 1 for a row, 0 at the end, -1 on failure (err filled). */
static int walk_step(struct cache *c, sqlite3_stmt *st, struct err *err, const char *doing)
{
	int step = sqlite3_step(st);

	if (step == SQLITE_ROW)
		return 1;
	if (step == SQLITE_DONE)
		return 0;
	return cache_db_fail(c, err, doing);
}

/* A walk reads one snapshot: BEGIN before it, COMMIT (of nothing) after. */
static int walk_begin(struct cache *c, struct err *err, const char *doing)
{
	return cache_db_exec(c, "BEGIN", err, doing);
}

static int walk_end(struct cache *c, int rc)
{
	sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

/* The names of a row's tags, from st (bound to the row's id) into names[], strings copied. */
struct tag_names {
	char *names[CACHE_BROWSE_TAGS_MAX];
	int n, total;
};

static void tag_names_clear(struct tag_names *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->names[i]);
	t->n = t->total = 0;
}

static int tag_names_read(struct cache *c, sqlite3_stmt *st, int64_t id, struct tag_names *t,
                          struct err *err)
{
	int more;

	tag_names_clear(t);
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
	while ((more = walk_step(c, st, err, "reading tags")) == 1) {
		t->total++;
		if (t->n == CACHE_BROWSE_TAGS_MAX)
			continue;
		t->names[t->n] = strdup(cache_db_text(st, 0));
		if (t->names[t->n] == NULL)
			return err_set(err, "reading tags: out of memory");
		t->n++;
	}
	return more;
}

/* ---- sources and versions --------------------------------------------------------------- */

int cache_sources_each(struct cache *c, cache_source_fn fn, void *ctx, struct err *err)
{
	sqlite3_stmt *st = NULL;
	struct cache_source_row r;
	int more, rc = -1;

	if (walk_begin(c, err, "listing sources") < 0)
		return -1;
	if (cache_db_prepare(c, sql_sources, &st, err) < 0)
		goto out;
	while ((more = walk_step(c, st, err, "listing sources")) == 1) {
		r = (struct cache_source_row){
		    .id = sqlite3_column_int64(st, 0),
		    .kind = cache_db_text(st, 1),
		    .locator = cache_db_text(st, 2),
		    .imported_at = sqlite3_column_int64(st, 3),
		    .datasets = sqlite3_column_int(st, 4),
		    .assets = sqlite3_column_int64(st, 5),
		    .pending = sqlite3_column_int(st, 6),
		    .conflicts = sqlite3_column_int(st, 7),
		};
		if (fn(&r, ctx) < 0)
			goto out;
	}
	rc = more;
out:
	sqlite3_finalize(st);
	return walk_end(c, rc);
}

int cache_source_find(struct cache *c, const char *locator, int64_t *source_id, struct err *err)
{
	*source_id = 0;
	return CACHE_DB_DO(c, sql_source_find, source_id, err, "looking up a source",
	                   DB_TEXT(locator));
}

static void version_row_read(sqlite3_stmt *st, struct cache_version_row *r)
{
	memset(r, 0, sizeof *r);
	r->dataset_id = sqlite3_column_int64(st, 0);
	r->name = cache_db_text(st, 1);
	r->version_name = cache_db_text(st, 2);
	r->ext_id = text_or_null(st, 3);
	r->type = text_or_null(st, 4);
	r->dataset_name = cache_db_text(st, 5);
	for (int s = 0; s < REVIEW_STATUS_COUNT; s++) {
		r->status[s] = sqlite3_column_int64(st, 6 + s);
		r->assets += r->status[s];
	}
	r->labels = sqlite3_column_int(st, 10);
	r->pending = sqlite3_column_int(st, 11);
	r->conflicts = sqlite3_column_int(st, 12);
	r->pulled = sqlite3_column_int(st, 13);
}

int cache_versions_each(struct cache *c, int64_t source_id, const char *dataset_name,
                        cache_version_fn fn, void *ctx, struct err *err)
{
	sqlite3_stmt *st = NULL;
	struct cache_version_row r;
	int more, rc = -1;

	if (walk_begin(c, err, "listing datasets") < 0)
		return -1;
	if (cache_db_prepare(c, sql_versions, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, source_id);
	cache_db_bind_text(st, 2, dataset_name);
	while ((more = walk_step(c, st, err, "listing datasets")) == 1) {
		version_row_read(st, &r);
		if (fn(&r, ctx) < 0)
			goto out;
	}
	rc = more;
out:
	sqlite3_finalize(st);
	return walk_end(c, rc);
}

int cache_version_find(struct cache *c, int64_t source_id, const char *name, int64_t *dataset_id,
                       struct err *err)
{
	*dataset_id = 0;
	return CACHE_DB_DO(c, sql_version_find, dataset_id, err, "looking up a dataset",
	                   DB_INT(source_id), DB_TEXT(name));
}

/* ---- assets ----------------------------------------------------------------------------- */

static void asset_brief_read(sqlite3_stmt *st, const struct tag_names *t,
                             struct cache_asset_brief *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->ext_id = text_or_null(st, 1);
	r->data_ext_id = text_or_null(st, 2);
	r->filename = cache_db_text(st, 3);
	r->width = sqlite3_column_int(st, 4);
	r->height = sqlite3_column_int(st, 5);
	r->shape_count = sqlite3_column_int(st, 6);
	r->status = (enum review_status)sqlite3_column_int(st, 7);
	r->tags = (const char *const *)t->names;
	r->ntags = t->n;
	r->ntags_total = t->total;
}

int cache_assets_each(struct cache *c, int64_t dataset_id, cache_asset_fn fn, void *ctx,
                      struct err *err)
{
	sqlite3_stmt *st = NULL, *tags = NULL;
	struct tag_names t = {0};
	struct cache_asset_brief r;
	int more, rc = -1;

	if (walk_begin(c, err, "listing assets") < 0)
		return -1;
	if (cache_db_prepare(c, sql_assets, &st, err) < 0 ||
	    cache_db_prepare(c, sql_asset_tags, &tags, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, dataset_id);
	while ((more = walk_step(c, st, err, "listing assets")) == 1) {
		if (tag_names_read(c, tags, sqlite3_column_int64(st, 0), &t, err) < 0)
			goto out;
		asset_brief_read(st, &t, &r);
		if (fn(&r, ctx) < 0)
			goto out;
	}
	rc = more;
out:
	tag_names_clear(&t);
	sqlite3_finalize(tags);
	sqlite3_finalize(st);
	return walk_end(c, rc);
}

/* 1 with *id when one asset has that file name, 2 when several have, 0 for none. */
static int asset_by_name(struct cache *c, int64_t dataset_id, const char *name, int64_t *id,
                         struct err *err)
{
	sqlite3_stmt *st = NULL;
	int more, found = 0;

	if (cache_db_prepare(c, sql_asset_by_name, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, dataset_id);
	cache_db_bind_text(st, 2, name);
	while ((more = walk_step(c, st, err, "looking up an asset")) == 1)
		if (found++ == 0)
			*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return more < 0 ? -1 : found;
}

int cache_asset_lookup(struct cache *c, int64_t dataset_id, const char *key, int64_t *asset_id,
                       struct err *err)
{
	int found;

	*asset_id = 0;
	found = CACHE_DB_DO(c, sql_asset_by_ext, asset_id, err, "looking up an asset",
	                    DB_INT(dataset_id), DB_TEXT(key));
	if (found != 0)
		return found < 0 ? -1 : 0;
	found = asset_by_name(c, dataset_id, key, asset_id, err);
	if (found < 0)
		return -1;
	if (found == 0)
		return err_setk(err, ERR_NOT_FOUND, "no asset has the id or file name %s", key);
	if (found > 1) {
		*asset_id = 0;
		return err_setk(
		    err, ERR_USAGE,
		    "several assets are named %s; name one by its id (annotty ls assets "
		    "--json)",
		    key);
	}
	return 0;
}

/* ---- the datalake ----------------------------------------------------------------------- */

int cache_datalakes_each(struct cache *c, int64_t source_id, cache_datalake_fn fn, void *ctx,
                         struct err *err)
{
	sqlite3_stmt *st = NULL;
	struct cache_datalake_row r;
	int more, rc = -1;

	if (walk_begin(c, err, "listing datalakes") < 0)
		return -1;
	if (cache_db_prepare(c, sql_datalakes, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, source_id);
	while ((more = walk_step(c, st, err, "listing datalakes")) == 1) {
		r = (struct cache_datalake_row){
		    .id = sqlite3_column_int64(st, 0),
		    .ext_id = text_or_null(st, 1),
		    .name = cache_db_text(st, 2),
		    .data = sqlite3_column_int64(st, 3),
		    .tags = sqlite3_column_int(st, 4),
		};
		if (fn(&r, ctx) < 0)
			goto out;
	}
	rc = more;
out:
	sqlite3_finalize(st);
	return walk_end(c, rc);
}

/* The tag names as a JSON array of strings for json_each, or NULL for none (caller frees).
 * Tag names hold no control characters the cache would keep, but are escaped regardless. */
static char *names_json(const char *const *names, int n)
{
	size_t cap = 3, len = 0;
	char *out;

	if (n <= 0)
		return NULL;
	for (int i = 0; i < n; i++)
		cap += strlen(names[i]) * 6 + 3;
	if ((out = malloc(cap)) == NULL)
		return NULL;
	out[len++] = '[';
	for (int i = 0; i < n; i++) {
		if (i > 0)
			out[len++] = ',';
		out[len++] = '"';
		for (const unsigned char *p = (const unsigned char *)names[i]; *p; p++) {
			if (*p == '"' || *p == '\\' || *p < 0x20)
				len += (size_t)snprintf(out + len, cap - len, "\\u%04x", *p);
			else
				out[len++] = (char)*p;
		}
		out[len++] = '"';
	}
	out[len++] = ']';
	out[len] = '\0';
	return out;
}

static void data_row_read(sqlite3_stmt *st, const struct tag_names *t, struct cache_data_row *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->datalake = cache_db_text(st, 1);
	r->ext_id = text_or_null(st, 2);
	r->filename = cache_db_text(st, 3);
	r->type = cache_db_text(st, 4);
	r->upload_status = text_or_null(st, 5);
	r->width = sqlite3_column_int(st, 6);
	r->height = sqlite3_column_int(st, 7);
	r->tags = (const char *const *)t->names;
	r->ntags = t->n;
	r->ntags_total = t->total;
}

int cache_data_each(struct cache *c, const struct cache_data_query *q, cache_data_fn fn, void *ctx,
                    struct err *err)
{
	sqlite3_stmt *st = NULL, *tags = NULL;
	struct tag_names t = {0};
	struct cache_data_row r;
	char *want = names_json(q->tags, q->ntags);
	int more, rc = -1;

	if (q->ntags > 0 && want == NULL)
		return err_set(err, "listing data: out of memory");
	if (walk_begin(c, err, "listing data") < 0)
		goto done;
	if (cache_db_prepare(c, sql_data, &st, err) < 0 ||
	    cache_db_prepare(c, sql_data_tags, &tags, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, q->source_id);
	cache_db_bind_text(st, 2, want);
	sqlite3_bind_int(st, 3, q->all_of ? q->ntags : 0);
	while ((more = walk_step(c, st, err, "listing data")) == 1) {
		if (tag_names_read(c, tags, sqlite3_column_int64(st, 0), &t, err) < 0)
			goto out;
		data_row_read(st, &t, &r);
		if (fn(&r, ctx) < 0)
			goto out;
	}
	rc = more;
out:
	tag_names_clear(&t);
	sqlite3_finalize(tags);
	sqlite3_finalize(st);
	rc = walk_end(c, rc);
done:
	free(want);
	return rc;
}

int cache_tag_counts_each(struct cache *c, int64_t source_id, int64_t dataset_id, cache_tag_fn fn,
                          void *ctx, struct err *err)
{
	sqlite3_stmt *st = NULL;
	struct cache_tag_row r;
	int more, rc = -1;

	if (walk_begin(c, err, "listing tags") < 0)
		return -1;
	if (cache_db_prepare(c, dataset_id != 0 ? sql_asset_tag_counts : sql_datalake_tag_counts,
	                     &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, source_id);
	sqlite3_bind_int64(st, 2, dataset_id);
	while ((more = walk_step(c, st, err, "listing tags")) == 1) {
		r = (struct cache_tag_row){
		    .name = cache_db_text(st, 0),
		    .scope = cache_db_text(st, 1),
		    .uses = sqlite3_column_int64(st, 2),
		};
		if (fn(&r, ctx) < 0)
			goto out;
	}
	rc = more;
out:
	sqlite3_finalize(st);
	return walk_end(c, rc);
}

/* ---- campaigns -------------------------------------------------------------------------- */

int cache_campaigns_each(struct cache *c, int64_t source_id, int64_t dataset_id,
                         cache_campaign_fn fn, void *ctx, struct err *err)
{
	sqlite3_stmt *st = NULL;
	struct cache_campaign_row r;
	int more, rc = -1;

	if (walk_begin(c, err, "listing campaigns") < 0)
		return -1;
	if (cache_db_prepare(c, sql_campaigns, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, source_id);
	sqlite3_bind_int64(st, 2, dataset_id);
	while ((more = walk_step(c, st, err, "listing campaigns")) == 1) {
		r = (struct cache_campaign_row){
		    .id = sqlite3_column_int64(st, 0),
		    .ext_id = text_or_null(st, 1),
		    .name = text_or_null(st, 2),
		    .kind = cache_db_text(st, 3),
		    .dataset = text_or_null(st, 4),
		    .closed = sqlite3_column_int(st, 5),
		    .steps = sqlite3_column_int(st, 6),
		    .assignments = sqlite3_column_int64(st, 7),
		    .instructions = text_or_null(st, 8),
		    .local = sqlite3_column_int(st, 9),
		};
		if (fn(&r, ctx) < 0)
			goto out;
	}
	rc = more;
out:
	sqlite3_finalize(st);
	return walk_end(c, rc);
}

/* ---- steps -------------------------------------------------------------------------------- */

static void step_count_add(struct cache_step_row *r, const char *status, int mine, int64_t n)
{
	enum assignment_status s;

	if (assignment_status_parse(status, &s) < 0)
		return;
	r->assignments += n;
	switch (s) {
	case ASSIGNMENT_PENDING:
		*(mine ? &r->pending_mine : &r->pending_others) += n;
		break;
	case ASSIGNMENT_SUBMITTED:
		r->submitted += n;
		break;
	case ASSIGNMENT_ACCEPTED:
		r->accepted += n;
		break;
	case ASSIGNMENT_REJECTED:
		r->rejected += n;
		break;
	default:
		r->skipped += n;
		break;
	}
}

static int step_counts_read(struct cache *c, sqlite3_stmt *st, int64_t me, struct cache_step_row *r,
                            struct err *err)
{
	int more;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, me);
	while ((more = walk_step(c, st, err, "counting the tasks")) == 1)
		step_count_add(r, cache_db_text(st, 0), sqlite3_column_int(st, 1),
		               sqlite3_column_int64(st, 2));
	return more;
}

static void step_row_read(sqlite3_stmt *st, const struct tag_names *who, struct cache_step_row *r)
{
	*r = (struct cache_step_row){
	    .id = sqlite3_column_int64(st, 0),
	    .campaign_id = sqlite3_column_int64(st, 1),
	    .campaign_ext_id = text_or_null(st, 2),
	    .campaign = text_or_null(st, 3),
	    .ext_id = text_or_null(st, 4),
	    .name = cache_db_text(st, 5),
	    .type = cache_db_text(st, 6),
	    .position = sqlite3_column_int(st, 7),
	    .dataset = text_or_null(st, 9),
	    .assignees = (const char *const *)who->names,
	    .nassignees = who->n,
	    .nassignees_total = who->total,
	};
}

/* The three statements of a steps walk. */
struct step_walk {
	sqlite3_stmt *steps, *counts, *who;
	struct tag_names names;
};

static void step_walk_end(struct step_walk *w)
{
	tag_names_clear(&w->names);
	sqlite3_finalize(w->steps);
	sqlite3_finalize(w->counts);
	sqlite3_finalize(w->who);
}

int cache_steps_each(struct cache *c, int64_t source_id, int64_t dataset_id, cache_step_fn fn,
                     void *ctx, struct err *err)
{
	struct step_walk w = {0};
	struct cache_step_row r;
	int more, rc = -1;

	if (walk_begin(c, err, "listing steps") < 0)
		return -1;
	if (cache_db_prepare(c, sql_steps, &w.steps, err) < 0 ||
	    cache_db_prepare(c, sql_step_counts, &w.counts, err) < 0 ||
	    cache_db_prepare(c, sql_step_assignees, &w.who, err) < 0)
		goto out;
	sqlite3_bind_int64(w.steps, 1, source_id);
	sqlite3_bind_int64(w.steps, 2, dataset_id);
	while ((more = walk_step(c, w.steps, err, "listing steps")) == 1) {
		if (tag_names_read(c, w.who, sqlite3_column_int64(w.steps, 0), &w.names, err) < 0)
			goto out;
		step_row_read(w.steps, &w.names, &r);
		if (step_counts_read(c, w.counts, sqlite3_column_int64(w.steps, 8), &r, err) < 0 ||
		    fn(&r, ctx) < 0)
			goto out;
	}
	rc = more;
out:
	step_walk_end(&w);
	return walk_end(c, rc);
}

/* ---- my tasks ----------------------------------------------------------------------------- */

/* One part of one step's queue: my pending tasks, returned ones or the others. */
static int task_part_walk(struct cache *c, sqlite3_stmt *part, sqlite3_stmt *step, int returned,
                          cache_task_fn fn, void *ctx, struct err *err)
{
	struct cache_task_brief r;
	int more;

	sqlite3_reset(part);
	sqlite3_bind_int64(part, 1, sqlite3_column_int64(step, 0));
	sqlite3_bind_int64(part, 2, sqlite3_column_int64(step, 1));
	sqlite3_bind_int(part, 3, returned);
	while ((more = walk_step(c, part, err, "listing tasks")) == 1) {
		r = (struct cache_task_brief){
		    .id = sqlite3_column_int64(part, 0),
		    .ext_id = text_or_null(part, 1),
		    .asset_id = sqlite3_column_int64(part, 2),
		    .asset_ext_id = text_or_null(part, 3),
		    .filename = cache_db_text(part, 4),
		    .status = cache_db_text(part, 5),
		    .rejected_count = sqlite3_column_int(part, 6),
		    .comment = text_or_null(part, 7),
		    .dataset = cache_db_text(step, 2),
		    .step = cache_db_text(step, 3),
		    .step_type = cache_db_text(step, 4),
		};
		if (fn(&r, ctx) < 0)
			return -1;
	}
	return more;
}

int cache_tasks_each(struct cache *c, int64_t source_id, int64_t dataset_id, cache_task_fn fn,
                     void *ctx, struct err *err)
{
	sqlite3_stmt *steps = NULL, *part = NULL;
	int more, rc = -1;

	if (walk_begin(c, err, "listing tasks") < 0)
		return -1;
	if (cache_db_prepare(c, sql_task_steps, &steps, err) < 0 ||
	    cache_db_prepare(c, sql_task_part, &part, err) < 0)
		goto out;
	sqlite3_bind_int64(steps, 1, source_id);
	sqlite3_bind_int64(steps, 2, dataset_id);
	while ((more = walk_step(c, steps, err, "listing tasks")) == 1)
		if (task_part_walk(c, part, steps, 1, fn, ctx, err) < 0 ||
		    task_part_walk(c, part, steps, 0, fn, ctx, err) < 0)
			goto out;
	rc = more;
out:
	sqlite3_finalize(part);
	sqlite3_finalize(steps);
	return walk_end(c, rc);
}

/* Whether key is a row number as a listing prints one: digits only, no sign, no zero first. */
static int row_number(const char *key, int64_t *n)
{
	int64_t v = 0;

	if (key[0] < '1' || key[0] > '9' || strlen(key) > 18)
		return 0;
	for (const char *p = key; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		v = v * 10 + (*p - '0');
	}
	*n = v;
	return 1;
}

int cache_task_lookup(struct cache *c, int64_t dataset_id, const char *key, int64_t *assignment_id,
                      struct err *err)
{
	int64_t asset_id, row;
	int found;

	*assignment_id = 0;
	found = CACHE_DB_DO(c, sql_task_by_ext, assignment_id, err, "looking up a task",
	                    DB_INT(dataset_id), DB_TEXT(key));
	if (found == 0 && row_number(key, &row))
		found = CACHE_DB_DO(c, sql_task_by_row, assignment_id, err, "looking up a task",
		                    DB_INT(dataset_id), DB_INT(row));
	if (found != 0)
		return found < 0 ? -1 : 0;
	if (cache_asset_lookup(c, dataset_id, key, &asset_id, err) < 0) {
		if (err_kind_of(err) == ERR_NOT_FOUND)
			err_setk(err, ERR_NOT_FOUND, "no task or asset has the id or file name %s",
			         key);
		return -1;
	}
	found = CACHE_DB_DO(c, sql_task_of_asset, assignment_id, err, "looking up a task",
	                    DB_INT(asset_id));
	if (found == 0)
		return err_setk(err, ERR_NOT_FOUND, "asset %s is in no task of a campaign", key);
	return found < 0 ? -1 : 0;
}

int cache_conflicts_count(struct cache *c, int64_t dataset_id, int *count, struct err *err)
{
	int64_t n = 0;

	*count = 0;
	if (CACHE_DB_DO(c, sql_conflicts_count, &n, err, "counting conflicts", DB_INT(dataset_id)) <
	    0)
		return -1;
	*count = (int)n;
	return 0;
}
