/* How a shape sits in its row: the box in four columns, vertices and part ends as compact
 * little-endian blobs (exact doubles, the same bytes on every machine). */
#include "cache/internal.h"
#include "core/err.h"
#include "core/str.h"

#include <stdlib.h>
#include <string.h>

#define POINT_BYTES 16
#define PART_BYTES  4

static void put_le64(unsigned char *p, double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof u);
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(u >> (8 * i));
}

static double get_le64(const unsigned char *p)
{
	uint64_t u = 0;
	double d;

	for (int i = 0; i < 8; i++)
		u |= (uint64_t)p[i] << (8 * i);
	memcpy(&d, &u, sizeof d);
	return d;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int bind_points(sqlite3_stmt *st, int col, const struct shape *s)
{
	unsigned char *blob;

	if (s->npoints <= 0)
		return sqlite3_bind_null(st, col);
	blob = malloc((size_t)s->npoints * POINT_BYTES);
	if (blob == NULL)
		return SQLITE_NOMEM;
	for (int i = 0; i < s->npoints; i++) {
		put_le64(blob + (size_t)i * POINT_BYTES, s->points[i].x);
		put_le64(blob + (size_t)i * POINT_BYTES + 8, s->points[i].y);
	}
	/* SQLite owns the blob from here, and frees it even when binding fails */
	return sqlite3_bind_blob(st, col, blob, s->npoints * POINT_BYTES, free);
}

static int bind_parts(sqlite3_stmt *st, int col, const struct shape *s)
{
	unsigned char *blob;

	if (s->nparts <= 0)
		return sqlite3_bind_null(st, col);
	blob = malloc((size_t)s->nparts * PART_BYTES);
	if (blob == NULL)
		return SQLITE_NOMEM;
	for (int i = 0; i < s->nparts; i++)
		put_le32(blob + (size_t)i * PART_BYTES, (uint32_t)s->part_ends[i]);
	return sqlite3_bind_blob(st, col, blob, s->nparts * PART_BYTES, free);
}

int cache_shape_bind(sqlite3_stmt *st, int c, const struct shape *s, struct err *err)
{
	int rc = sqlite3_bind_int(st, c, (int)s->kind);

	if (rc == SQLITE_OK)
		rc = sqlite3_bind_double(st, c + 1, s->box.x);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_double(st, c + 2, s->box.y);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_double(st, c + 3, s->box.w);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_double(st, c + 4, s->box.h);
	if (rc == SQLITE_OK)
		rc = bind_points(st, c + 5, s);
	if (rc == SQLITE_OK)
		rc = bind_parts(st, c + 6, s);
	if (rc == SQLITE_OK)
		rc = cache_db_bind_text(st, c + 7, s->text);
	if (rc == SQLITE_OK)
		rc = cache_db_bind_text(st, c + 8, s->ext_id);
	if (rc == SQLITE_OK)
		rc = cache_db_bind_text(st, c + 9, s->extra_json);
	if (rc != SQLITE_OK)
		return err_set(err, "storing a shape: %s", sqlite3_errstr(rc));
	return 0;
}

static int read_points(sqlite3_stmt *st, int col, struct shape *s)
{
	const unsigned char *blob = sqlite3_column_blob(st, col);
	int len = sqlite3_column_bytes(st, col);

	if (blob == NULL || len == 0)
		return 0;
	if (len % POINT_BYTES != 0)
		return -1;
	s->points = malloc((size_t)len / POINT_BYTES * sizeof *s->points);
	if (s->points == NULL)
		return -1;
	s->npoints = len / POINT_BYTES;
	for (int i = 0; i < s->npoints; i++) {
		s->points[i].x = get_le64(blob + (size_t)i * POINT_BYTES);
		s->points[i].y = get_le64(blob + (size_t)i * POINT_BYTES + 8);
	}
	return 0;
}

static int read_parts(sqlite3_stmt *st, int col, struct shape *s)
{
	const unsigned char *blob = sqlite3_column_blob(st, col);
	int len = sqlite3_column_bytes(st, col), prev = 0;

	if (blob == NULL || len == 0)
		return 0;
	if (len % PART_BYTES != 0)
		return -1;
	s->part_ends = malloc((size_t)len / PART_BYTES * sizeof *s->part_ends);
	if (s->part_ends == NULL)
		return -1;
	s->nparts = len / PART_BYTES;
	for (int i = 0; i < s->nparts; i++) {
		uint32_t end = get_le32(blob + (size_t)i * PART_BYTES);

		/* parts index into the points: anything else would send a reader out of bounds */
		if (end > (uint32_t)s->npoints || (int)end < prev)
			return -1;
		s->part_ends[i] = prev = (int)end;
	}
	return 0;
}

static int read_text(sqlite3_stmt *st, int col, char **out)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return 0;
	*out = strdup(cache_db_text(st, col));
	return *out != NULL ? 0 : -1;
}

int cache_shape_read(sqlite3_stmt *st, int c, struct shape *s, struct err *err)
{
	int kind = sqlite3_column_int(st, c);

	memset(s, 0, sizeof *s);
	s->label = -1;
	s->kind = kind >= 0 && kind < SHAPE_KIND_COUNT ? (enum shape_kind)kind : SHAPE_BOX;
	s->box.x = sqlite3_column_double(st, c + 1);
	s->box.y = sqlite3_column_double(st, c + 2);
	s->box.w = sqlite3_column_double(st, c + 3);
	s->box.h = sqlite3_column_double(st, c + 4);
	if (read_points(st, c + 5, s) < 0 || read_parts(st, c + 6, s) < 0 ||
	    read_text(st, c + 7, &s->text) < 0 || read_text(st, c + 8, &s->ext_id) < 0 ||
	    read_text(st, c + 9, &s->extra_json) < 0) {
		shape_clear(s);
		return err_set(err, "reading a shape from the cache: damaged row or out of memory");
	}
	return 0;
}
