/* Tests of the demo dataset generator: the files and their sizes, labels and shape kinds, the
 * deliberate mistakes, byte-for-byte determinism, and when demo_ensure regenerates. */
#include "api/local/coco.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/imgprobe.h"
#include "core/model.h"
#include "core/paths.h"
#include "core/str.h"
#include "demo/catalog.h"
#include "demo/demo.h"
#include "tap.h"

#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <locale.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char root[PATH_MAX];
static char dir[PATH_MAX];

struct progress_seen {
	int calls;
	int last;
	int ordered;
};

static void on_progress(int done, int total, void *ctx)
{
	struct progress_seen *p = ctx;

	p->ordered &= done > p->last && done <= total && total == DEMO_IMAGE_COUNT;
	p->last = done;
	p->calls++;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the regular files in a folder; the caller frees them. */
static int list_files(const char *folder, char **names, int max)
{
	char path[PATH_MAX];
	struct dirent *e;
	int n = 0;
	DIR *d = opendir(folder);

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL && n < max)
		if (paths_join(path, sizeof path, folder, e->d_name) == 0 && paths_is_file(path))
			names[n++] = str_dup(e->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof names[0], cmp_str);
	return n;
}

static int count_entries(const char *folder)
{
	struct dirent *e;
	int n = 0;
	DIR *d = opendir(folder);

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* One fingerprint over the names and bytes of every image and the JSON. */
static uint64_t hash_dataset(const char *base)
{
	char images[PATH_MAX], path[PATH_MAX], *names[128];
	uint64_t h = STR_HASH_SEED;
	struct buf b;
	int n;

	paths_join(images, sizeof images, base, DEMO_IMAGES_DIR);
	n = list_files(images, names, 128);
	for (int i = 0; i < n; i++) {
		buf_init(&b, (size_t)64 << 20);
		paths_join(path, sizeof path, images, names[i]);
		if (buf_read_file(&b, path, NULL) == 0)
			h = str_hash64(b.data, b.len, str_hash64(names[i], strlen(names[i]), h));
		buf_free(&b);
		free(names[i]);
	}
	buf_init(&b, (size_t)64 << 20);
	paths_join(path, sizeof path, base, DEMO_JSON_NAME);
	if (buf_read_file(&b, path, NULL) == 0)
		h = str_hash64(b.data, b.len, h);
	buf_free(&b);
	return h;
}

static void test_generate(void)
{
	struct progress_seen seen = {0, 0, 1};
	struct err err = {0};
	char line[128], images[PATH_MAX], *names[128];
	double t0, took;
	int rc, n;

	/* the data folder exists, empty, before the first run */
	mkdir(dir, 0700);
	t0 = now();
	rc = demo_generate(dir, on_progress, &seen, &err);
	took = now() - t0;
	ok(rc == 0, "the demo dataset is generated (%s)", rc == 0 ? "ok" : err.msg);
	snprintf(line, sizeof line, "generating %d images took %.2f s", DEMO_IMAGE_COUNT, took);
	tap_diag(line);
	ok(seen.calls > 0 && seen.ordered && seen.last == DEMO_IMAGE_COUNT,
	   "progress counts up to %d (%d calls, last %d)", DEMO_IMAGE_COUNT, seen.calls, seen.last);
	ok(demo_is_complete(dir), "the empty folder is filled and marked complete");
	paths_join(images, sizeof images, dir, DEMO_IMAGES_DIR);
	n = list_files(images, names, 128);
	is_int(n, DEMO_IMAGE_COUNT, "one file per image in images/");
	for (int i = 0; i < n; i++)
		free(names[i]);
	is_int(count_entries(root), 1, "no temporary folder is left beside it");
}

/* Every image is a JPEG whose header says the size the JSON says. */
static void test_images(const struct dataset_doc *doc)
{
	int same = 0, huge = 0, portrait = 0, found = 0, wide_name = 0;

	for (int i = 0; i < doc->nassets; i++) {
		const struct asset *a = &doc->assets[i];
		struct image_probe probe;
		if (a->path == NULL)
			continue;
		found++;
		if (imgprobe_file(a->path, &probe, NULL) == 0 &&
		    probe.format == IMAGE_FORMAT_JPEG && probe.width == a->width &&
		    probe.height == a->height)
			same++;
		huge += a->width == 4000 && a->height == 3000;
		portrait += a->height > a->width;
		wide_name +=
		    strcmp(a->filename, "\xe8\xa1\x97\xe9\x81\x93_\xe5\xa4\x9c.jpg") == 0 ||
		    strcmp(a->filename, "caf\xc3\xa9_terrasse.jpg") == 0 ||
		    strchr(a->filename, ' ') != NULL;
	}
	is_int(doc->nassets, DEMO_IMAGE_COUNT, "the JSON lists every image");
	is_int(found, DEMO_IMAGE_COUNT, "the reader finds every image file");
	is_int(same, DEMO_IMAGE_COUNT, "every JPEG header has the size written in the JSON");
	ok(huge >= 4, "at least four 4000x3000 images (%d)", huge);
	ok(portrait >= 3, "some portrait images (%d)", portrait);
	ok(wide_name >= 3, "names with spaces, accents and CJK (%d)", wide_name);
	is_int(doc->nwarnings, 0, "reading it back raises no warning");
}

static int inside(const struct asset *a, double x, double y)
{
	return x >= -0.01 && y >= -0.01 && x <= a->width + 0.01 && y <= a->height + 0.01;
}

static int shape_inside(const struct asset *a, const struct shape *s)
{
	if (s->kind == SHAPE_CLASSIFICATION)
		return 1;
	if (!inside(a, s->box.x, s->box.y) || !inside(a, s->box.x + s->box.w, s->box.y + s->box.h))
		return 0;
	for (int i = 0; i < s->npoints; i++)
		if (!inside(a, s->points[i].x, s->points[i].y))
			return 0;
	return 1;
}

static void test_shapes(const struct dataset_doc *doc)
{
	int kinds[SHAPE_KIND_COUNT] = {0}, outside = 0, unlabelled = 0, split = 0, total = 0;

	for (int i = 0; i < doc->nassets; i++)
		for (int j = 0; j < doc->assets[i].nshapes; j++) {
			const struct shape *s = &doc->assets[i].shapes[j];
			kinds[s->kind]++;
			total++;
			outside += !shape_inside(&doc->assets[i], s);
			unlabelled += s->label < 0;
			split += s->kind == SHAPE_POLYGON && s->nparts > 1;
		}
	ok(doc->nlabels >= 8, "at least 8 labels (%d)", doc->nlabels);
	ok(dataset_doc_find_label(doc, "v\xc3\xa9lo") >= 0, "one label name is not ASCII");
	ok(kinds[SHAPE_BOX] > 0 && kinds[SHAPE_POLYGON] > 0 && kinds[SHAPE_LINE] > 0 &&
	       kinds[SHAPE_POINT] > 0 && kinds[SHAPE_CLASSIFICATION] > 0,
	   "boxes %d, polygons %d, lines %d, points %d, classifications %d", kinds[SHAPE_BOX],
	   kinds[SHAPE_POLYGON], kinds[SHAPE_LINE], kinds[SHAPE_POINT],
	   kinds[SHAPE_CLASSIFICATION]);
	ok(split > 0, "polygons of several parts (%d)", split);
	is_int(outside, 0, "all %d shapes lie inside their image", total);
	is_int(unlabelled, 0, "every shape has a label");
}

static void test_review_fields(const struct dataset_doc *doc)
{
	int flawed = 0, noted = 0, accepted = 0, night = 0, blurry = 0, crowded = 0;

	for (int i = 0; i < doc->nassets; i++) {
		const struct asset *a = &doc->assets[i];
		int note = a->extra_json != NULL && strstr(a->extra_json, "demo_flaw") != NULL;
		flawed += demo_recipes[i].flaw.kind != FLAW_NONE;
		noted += note && demo_recipes[i].flaw.kind != FLAW_NONE;
		accepted += a->status == REVIEW_ACCEPTED;
		for (int t = 0; t < a->ntags; t++) {
			night += strcmp(a->tags[t], "night") == 0;
			blurry += strcmp(a->tags[t], "blurry") == 0;
			crowded += strcmp(a->tags[t], "crowded") == 0;
		}
	}
	ok(flawed * 100 >= DEMO_IMAGE_COUNT * 12 && flawed * 100 <= DEMO_IMAGE_COUNT * 20,
	   "about 15%% of the images carry a deliberate mistake (%d)", flawed);
	is_int(noted, flawed, "every deliberate mistake was made and noted in demo_flaw");
	ok(accepted >= 3, "a handful of images are already accepted (%d)", accepted);
	ok(night > 0 && blurry > 0 && crowded > 0, "tags night %d, blurry %d, crowded %d", night,
	   blurry, crowded);
	is_str(doc->name, "annotty demo", "the dataset is named");
}

static void test_read_back(void)
{
	char json[PATH_MAX];
	struct dataset_doc *doc = NULL;
	struct err err = {0};

	paths_join(json, sizeof json, dir, DEMO_JSON_NAME);
	if (!ok(coco_read_file(json, NULL, &doc, &err) == 0, "the COCO file reads back (%s)",
	        err.msg[0] ? err.msg : "ok"))
		return;
	test_images(doc);
	test_shapes(doc);
	test_review_fields(doc);
	dataset_doc_free(&doc);
}

/* What a generation killed half-way leaves: dir.tmp-PID of a process that is gone. */
static void make_leftover(char *path, size_t pathsz)
{
	char file[PATH_MAX];
	pid_t pid = fork();
	FILE *f;

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	snprintf(path, pathsz, "%s.tmp-%ld", dir, (long)pid);
	mkdir(path, 0700);
	paths_join(file, sizeof file, path, DEMO_IMAGES_DIR);
	mkdir(file, 0700);
	paths_join(file, sizeof file, path, DEMO_IMAGES_DIR "/street_0001.jpg");
	f = fopen(file, "w");
	if (f != NULL)
		fclose(f);
}

/* demo_ensure leaves a complete folder alone and redoes an incomplete one, identically. */
static void test_ensure(void)
{
	char json[PATH_MAX], marker[PATH_MAX], expect[PATH_MAX], leftover[PATH_MAX];
	struct stat before, after;
	struct err err = {0};
	uint64_t first = hash_dataset(dir);

	paths_join(expect, sizeof expect, dir, DEMO_JSON_NAME);
	paths_join(marker, sizeof marker, dir, ".complete");
	stat(expect, &before);
	ok(demo_ensure(dir, json, sizeof json, &err) == 0, "ensure on a complete folder succeeds");
	is_str(json, expect, "ensure gives the path of annotations.json");
	stat(expect, &after);
	ok(after.st_ino == before.st_ino && after.st_mtim.tv_sec == before.st_mtim.tv_sec &&
	       after.st_mtim.tv_nsec == before.st_mtim.tv_nsec,
	   "a complete folder is not regenerated");
	unlink(marker);
	ok(!demo_is_complete(dir), "without its marker the folder is incomplete");
	make_leftover(leftover, sizeof leftover);
	ok(demo_ensure(dir, json, sizeof json, &err) == 0, "ensure regenerates it (%s)",
	   err.msg[0] ? err.msg : "ok");
	stat(expect, &after);
	ok(demo_is_complete(dir) && after.st_ino != before.st_ino, "the folder was redone");
	ok(hash_dataset(dir) == first, "regenerating gives byte-identical files");
	ok(!paths_is_dir(leftover), "the leftover of a killed generation is cleaned away");
}

/* A folder that is not a demo is never replaced. */
static void test_foreign_folder(void)
{
	char other[PATH_MAX], note[PATH_MAX];
	struct err err = {0};
	FILE *f;

	paths_join(other, sizeof other, root, "mine");
	paths_join(note, sizeof note, other, "notes.txt");
	mkdir(other, 0700);
	f = fopen(note, "w");
	if (f != NULL)
		fclose(f);
	ok(demo_generate(other, NULL, NULL, &err) < 0 && err.msg[0] != '\0',
	   "a folder holding other files is refused (%s)", err.msg);
	ok(paths_is_file(note), "and its files are left alone");
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");

	setlocale(LC_ALL, "C.UTF-8");
	snprintf(root, sizeof root, "%s/annotty-demo-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	if (mkdtemp(root) == NULL)
		skip_all("cannot create a temporary folder");
	paths_join(dir, sizeof dir, root, "demo");
	test_generate();
	test_read_back();
	test_ensure();
	test_foreign_folder();
	nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return done_testing();
}
