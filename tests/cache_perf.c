/* Times a large import, re-import and export, and prints the figures as TAP comments. The
 * assertions are about the results only: a slow machine never fails this test.
 * ANNOTTY_PERF_ASSETS sets the size (20000 assets of 10 shapes each by default). */
#include "cache/cache.h"
#include "cache_fixture.h"
#include "core/err.h"
#include "core/model.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SHAPES_PER_ASSET 10

static struct dataset_doc *build(int n)
{
	struct dataset_doc *doc = dataset_doc_new();
	char buf[64];

	doc->name = strdup("perf");
	for (int l = 0; l < 80; l++) {
		snprintf(buf, sizeof buf, "label_%d", l);
		dataset_doc_add_label(doc)->name = strdup(buf);
	}
	for (int i = 0; i < n; i++) {
		struct asset *a = dataset_doc_add_asset(doc);

		snprintf(buf, sizeof buf, "%d", i + 1);
		a->ext_id = strdup(buf);
		snprintf(buf, sizeof buf, "images/%07d.jpg", i);
		a->filename = strdup(buf);
		a->width = 1920;
		a->height = 1080;
		for (int k = 0; k < SHAPES_PER_ASSET; k++) {
			struct shape *s = asset_add_shape(a);

			snprintf(buf, sizeof buf, "%d", i * SHAPES_PER_ASSET + k);
			s->ext_id = strdup(buf);
			s->label = (i + k) % 80;
			s->box = (struct rect){k * 10.0, k * 5.0, 100, 50};
			if (k % 3 == 0) { /* every third a polygon, as segmentation sets have */
				s->kind = SHAPE_POLYGON;
				for (int v = 0; v < 8; v++)
					shape_add_point(s, k * 10.0 + v, k * 5.0 + v * v);
				shape_end_part(s);
				shape_update_bounds(s);
			}
		}
	}
	return doc;
}

/* Wall and CPU seconds since a start, as "1.23 s (cpu 1.10 s)": other processes on the
 * machine stretch the first but hardly the second. */
struct stopwatch {
	double wall;
	clock_t cpu;
};

static void stopwatch_start(struct stopwatch *w)
{
	w->wall = fixture_now();
	w->cpu = clock();
}

static const char *stopwatch_read(const struct stopwatch *w)
{
	static char text[64];

	snprintf(text, sizeof text, "%.2f s (cpu %.2f s)", fixture_now() - w->wall,
	         (double)(clock() - w->cpu) / CLOCKS_PER_SEC);
	return text;
}

int main(void)
{
	const char *env = getenv("ANNOTTY_PERF_ASSETS");
	int n = env != NULL ? atoi(env) : 20000, nshapes;
	struct dataset_doc *doc = build(n), *out = NULL;
	struct import_stats st = {0};
	struct cache *c = NULL;
	struct err err = {0};
	char path[4096], *dir = fixture_tmpdir();
	int64_t ds = 0;
	struct stopwatch t0;

	nshapes = n * SHAPES_PER_ASSET;
	fixture_path(path, sizeof path, dir, "perf.db");
	if (cache_open(path, &c, &err) < 0) {
		printf("# %s\n", err.msg);
		return 1;
	}
	stopwatch_start(&t0);
	ok(cache_import(c, "coco", "/perf.json", "1", doc, &ds, &st, &err) == 0 &&
	       st.assets_added == n && st.shapes == nshapes,
	   "import of %d assets, %d shapes (%s)", n, nshapes, err.msg);
	printf("# import of %d assets with %d shapes: %s\n", n, nshapes, stopwatch_read(&t0));

	stopwatch_start(&t0);
	ok(cache_import(c, "coco", "/perf.json", "2", doc, &ds, &st, &err) == 0 &&
	       st.assets_unchanged == n,
	   "re-import of the same content (%s)", err.msg);
	printf("# re-import, nothing changed: %s\n", stopwatch_read(&t0));

	for (int i = 0; i < n; i += 10)
		doc->assets[i].shapes[0].box.x += 1;
	stopwatch_start(&t0);
	ok(cache_import(c, "coco", "/perf.json", "3", doc, &ds, &st, &err) == 0 &&
	       st.assets_updated == (n + 9) / 10,
	   "re-import with every tenth asset changed (%s)", err.msg);
	printf("# re-import, a tenth changed: %s\n", stopwatch_read(&t0));

	stopwatch_start(&t0);
	ok(cache_export_doc(c, ds, &out, &err) == 0, "export (%s)", err.msg);
	printf("# export: %s\n", stopwatch_read(&t0));
	is_int(out != NULL ? out->nassets : -1, n, "every asset exported");
	is_str(out != NULL ? out->name : NULL, "perf", "with the dataset's name");

	dataset_doc_free(&out);
	dataset_doc_free(&doc);
	cache_close(&c);
	fixture_rmdir(&dir);
	return done_testing();
}
