/* Statistics of a dataset, or of the rows one filter shows: review status counts, the labels
 * (shapes and images of each), shapes per image, box sizes and tags, each counted by SQLite
 * over the filter's rows without reading them. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"

#include <string.h>

#define SQL_MAX 8192

/* The filter's rows, in front of each query (%s: its WHERE clause). */
static const char sql_sel[] = "WITH sel AS (SELECT a.id, a.status, a.shape_count FROM asset a%s) ";
static const char sql_status[] = "SELECT status, count(*) FROM sel GROUP BY status";
static const char sql_per_image[] =
    "SELECT CASE WHEN shape_count <= 2 THEN shape_count WHEN shape_count <= 5 THEN 3"
    " WHEN shape_count <= 10 THEN 4 WHEN shape_count <= 20 THEN 5 WHEN shape_count <= 50"
    " THEN 6 ELSE 7 END AS bin, count(*), sum(shape_count) FROM sel GROUP BY bin";
static const char sql_labels[] =
    "SELECT l.name, l.position, coalesce(n.shapes, 0), coalesce(n.images, 0) FROM label l"
    " LEFT JOIN (SELECT s.label_id, count(*) AS shapes, count(DISTINCT s.asset_id) AS images"
    " FROM shape s JOIN sel ON sel.id = s.asset_id GROUP BY s.label_id) n"
    " ON n.label_id = l.id WHERE l.dataset_id = :ds ORDER BY 3 DESC, l.position";
static const char sql_unlabelled[] =
    "SELECT count(*) FROM shape s JOIN sel ON sel.id = s.asset_id WHERE s.label_id IS NULL";
/* a box's size is the side of the square of its area: bins at 16, 32, ... 512 pixels */
static const char sql_boxes[] =
    "SELECT CASE WHEN s.w * s.h < 256 THEN 0 WHEN s.w * s.h < 1024 THEN 1"
    " WHEN s.w * s.h < 4096 THEN 2 WHEN s.w * s.h < 16384 THEN 3 WHEN s.w * s.h < 65536"
    " THEN 4 WHEN s.w * s.h < 262144 THEN 5 ELSE 6 END AS bin, count(*)"
    " FROM shape s JOIN sel ON sel.id = s.asset_id WHERE s.kind = 0 GROUP BY bin";
static const char sql_tags[] =
    "SELECT g.name, count(*) FROM asset_tag t JOIN sel ON sel.id = t.asset_id"
    " JOIN tag g ON g.id = t.tag_id GROUP BY g.id ORDER BY 2 DESC, g.name";

const char *const cache_stats_per_image_bins[CACHE_STATS_BINS] = {"0",    "1",     "2",     "3-5",
                                                                  "6-10", "11-20", "21-50", "51+"};
const char *const cache_stats_box_bins[CACHE_STATS_BINS] = {"<16",     "16-31",   "32-63", "64-127",
                                                            "128-255", "256-511", "512+",  NULL};

/* Prepares the query body with the filter's rows in front of it. */
static int stats_prepare(struct cache *c, const struct asset_query *q, const char *body,
                         sqlite3_stmt **st, struct err *err)
{
	struct buf where, sql;
	int rc = -1;

	buf_init(&where, SQL_MAX);
	buf_init(&sql, 2 * SQL_MAX);
	if (cache_query_where(q, &where) < 0 ||
	    buf_printf(&sql, sql_sel, (const char *)where.data) < 0 || buf_puts(&sql, body) < 0) {
		err_setk(err, ERR_TOO_LARGE, "statistics: the filter makes too long a query");
		goto out;
	}
	if (cache_db_prepare(c, (const char *)sql.data, st, err) < 0)
		goto out;
	cache_query_bind(*st, q);
	rc = 0;
out:
	buf_free(&where);
	buf_free(&sql);
	return rc;
}

/* Runs one query, handing each row to the reader. */
static int stats_rows(struct cache *c, const struct asset_query *q, const char *body,
                      void (*read)(sqlite3_stmt *st, struct cache_stats *out),
                      struct cache_stats *out, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int step;

	if (stats_prepare(c, q, body, &st, err) < 0)
		return -1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		read(st, out);
	if (step != SQLITE_DONE)
		cache_db_fail(c, err, "counting the statistics");
	sqlite3_finalize(st);
	return step == SQLITE_DONE ? 0 : -1;
}

static void read_status(sqlite3_stmt *st, struct cache_stats *out)
{
	int status = sqlite3_column_int(st, 0), n = sqlite3_column_int(st, 1);

	if (status >= 0 && status < REVIEW_STATUS_COUNT)
		out->status[status] = n;
	out->assets += n;
}

static void read_per_image(sqlite3_stmt *st, struct cache_stats *out)
{
	int bin = sqlite3_column_int(st, 0);

	if (bin >= 0 && bin < CACHE_STATS_BINS)
		out->per_image[bin] = sqlite3_column_int(st, 1);
	out->shapes += sqlite3_column_int(st, 2);
	if (bin == 0)
		out->no_shapes = sqlite3_column_int(st, 1);
}

static void read_label(sqlite3_stmt *st, struct cache_stats *out)
{
	struct cache_stats_label *l;

	if (out->nlabels == CACHE_STATS_LABELS_MAX) {
		out->labels_more++;
		return;
	}
	l = &out->labels[out->nlabels++];
	str_copy(l->name, cache_db_text(st, 0), sizeof l->name);
	l->index = sqlite3_column_int(st, 1);
	l->shapes = sqlite3_column_int(st, 2);
	l->images = sqlite3_column_int(st, 3);
}

static void read_unlabelled(sqlite3_stmt *st, struct cache_stats *out)
{
	out->unlabelled = sqlite3_column_int(st, 0);
}

static void read_box(sqlite3_stmt *st, struct cache_stats *out)
{
	int bin = sqlite3_column_int(st, 0);

	if (bin >= 0 && bin < CACHE_STATS_BINS) {
		out->box_sizes[bin] = sqlite3_column_int(st, 1);
		out->boxes += out->box_sizes[bin];
	}
}

static void read_tag(sqlite3_stmt *st, struct cache_stats *out)
{
	struct cache_stats_tag *t;

	if (out->ntags == CACHE_STATS_TAGS_MAX) {
		out->tags_more++;
		return;
	}
	t = &out->tags[out->ntags++];
	str_copy(t->name, cache_db_text(st, 0), sizeof t->name);
	t->images = sqlite3_column_int(st, 1);
}

int cache_stats(struct cache *c, const struct asset_query *q, struct cache_stats *out,
                struct err *err)
{
	memset(out, 0, sizeof *out);
	if (stats_rows(c, q, sql_status, read_status, out, err) < 0 ||
	    stats_rows(c, q, sql_per_image, read_per_image, out, err) < 0 ||
	    stats_rows(c, q, sql_labels, read_label, out, err) < 0 ||
	    stats_rows(c, q, sql_unlabelled, read_unlabelled, out, err) < 0 ||
	    stats_rows(c, q, sql_boxes, read_box, out, err) < 0 ||
	    stats_rows(c, q, sql_tags, read_tag, out, err) < 0)
		return -1;
	return 0;
}
