/* Generating the demo dataset on disk (see demo.h): images painted in parallel, the COCO file,
 * and the folder moved into place only once everything in it is written. */
#include "demo/demo.h"
#include "api/local/coco.h"
#include "core/err.h"
#include "core/model.h"
#include "core/paths.h"
#include "core/str.h"
#include "demo/catalog.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEMO_MARKER ".complete"
/* Bump the number whenever the generated files change, so that older demos are redone. */
#define DEMO_MARKER_TEXT "annotty demo 1\n"
#define DEMO_SEED        0x616e6e6f74747931ULL
#define DEMO_QUALITY     85
#define DEMO_MAX_THREADS 4

/* Grain of the sensor: more in the dark, as a camera has. */
static const int mood_grain[] = {
    [MOOD_DAY] = 6, [MOOD_OVERCAST] = 7, [MOOD_SUNSET] = 7, [MOOD_NIGHT] = 11, [MOOD_FOG] = 7,
};

struct demo_run {
	struct dataset_doc *doc;
	char images_dir[PATH_MAX];
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int next;   /* the next image to paint */
	int done;   /* images painted (or failed) */
	int exited; /* workers that have stopped */
	int failed;
	struct err err; /* the first failure */
};

static uint64_t demo_image_seed(int index)
{
	struct rng r = {DEMO_SEED + (uint64_t)index * 0x9e3779b97f4a7c15ULL};

	return rng_u64(&r);
}

static void demo_scene_init(struct scene *sc, struct canvas *cv, struct asset *asset, int index)
{
	const struct demo_recipe *r = &demo_recipes[index];

	memset(sc, 0, sizeof *sc);
	sc->cv = cv;
	sc->asset = asset;
	sc->label_names = demo_label_names;
	sc->rng.state = demo_image_seed(index);
	sc->w = r->width;
	sc->h = r->height;
	sc->u = fmin(r->width * 0.75, r->height);
	sc->mood = r->mood;
	sc->crowded = (r->flags & RECIPE_CROWDED) != 0;
	sc->flaw = r->flaw;
	backdrop_air(sc);
}

static int demo_paint_image(struct demo_run *run, int index, struct err *err)
{
	const struct demo_recipe *r = &demo_recipes[index];
	struct asset *asset = &run->doc->assets[index];
	char path[PATH_MAX];
	struct canvas cv;
	struct scene sc;
	int rc = -1;

	if (paint_canvas_init(&cv, r->width, r->height, err) < 0)
		return -1;
	demo_scene_init(&sc, &cv, asset, index);
	catalog_painter(r->theme)(&sc);
	scene_apply_flaw(&sc);
	if ((r->flags & RECIPE_BLURRY) && paint_blur(&cv, (int)(sc.u * 0.006), err) < 0)
		goto out;
	paint_finish(&cv, 0.35, mood_grain[r->mood], rng_u64(&sc.rng));
	if (sc.oom || catalog_note_flaw(asset, &sc) < 0) {
		err_set(err, "out of memory painting %s", r->filename);
		goto out;
	}
	if (paths_join(path, sizeof path, run->images_dir, r->filename) < 0) {
		err_set(err, "path too long: %s/%s", run->images_dir, r->filename);
		goto out;
	}
	rc = paint_save_jpeg(&cv, path, DEMO_QUALITY, err);
out:
	paint_canvas_free(&cv);
	return rc;
}

static void *demo_worker(void *arg)
{
	struct demo_run *run = arg;
	struct err err = {0};

	pthread_mutex_lock(&run->lock);
	while (!run->failed && run->next < demo_recipe_count) {
		int index = run->next++, rc;
		pthread_mutex_unlock(&run->lock);
		rc = demo_paint_image(run, index, &err);
		pthread_mutex_lock(&run->lock);
		if (rc < 0 && !run->failed) {
			run->failed = 1;
			run->err = err;
		}
		run->done++;
		pthread_cond_signal(&run->changed);
	}
	run->exited++;
	pthread_cond_signal(&run->changed);
	pthread_mutex_unlock(&run->lock);
	return NULL;
}

static int demo_thread_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > DEMO_MAX_THREADS ? DEMO_MAX_THREADS : (int)n;
}

/* Paints every image on worker threads; this thread reports progress as images complete. */
static int demo_paint_all(struct demo_run *run, void (*progress)(int, int, void *), void *ctx,
                          struct err *err)
{
	pthread_t threads[DEMO_MAX_THREADS];
	int want = demo_thread_count(), started = 0, reported = 0;

	while (started < want && pthread_create(&threads[started], NULL, demo_worker, run) == 0)
		started++;
	if (started == 0) /* no thread to be had: paint here */
		demo_worker(run);
	pthread_mutex_lock(&run->lock);
	for (;;) {
		int done = run->done;
		if (progress != NULL && done > reported && !run->failed) {
			reported = done;
			pthread_mutex_unlock(&run->lock);
			progress(done, demo_recipe_count, ctx);
			pthread_mutex_lock(&run->lock);
			continue;
		}
		if (run->exited >= started)
			break;
		pthread_cond_wait(&run->changed, &run->lock);
	}
	pthread_mutex_unlock(&run->lock);
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	if (run->failed) {
		*err = run->err;
		return -1;
	}
	return 0;
}

/* Annotation ids in order, image by image, so that the JSON is the same on every run. */
static int demo_number_shapes(struct dataset_doc *doc, struct err *err)
{
	char id[24];
	long next = 1;

	for (int i = 0; i < doc->nassets; i++)
		for (int j = 0; j < doc->assets[i].nshapes; j++) {
			snprintf(id, sizeof id, "%ld", next++);
			doc->assets[i].shapes[j].ext_id = str_dup(id);
			if (doc->assets[i].shapes[j].ext_id == NULL)
				return err_set(err, "out of memory numbering the demo annotations");
		}
	return 0;
}

static void demo_remove_files(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (paths_join(path, sizeof path, dir, e->d_name) < 0 || lstat(path, &st) < 0)
			continue;
		if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))
			unlink(path);
	}
	closedir(d);
}

/* Removes a demo folder: its files and those of its images folder, then the folders. Anything
 * else found there (a folder somebody added) is left, and so is the folder holding it. */
static void demo_remove_tree(const char *dir)
{
	char images[PATH_MAX];

	if (paths_join(images, sizeof images, dir, DEMO_IMAGES_DIR) == 0) {
		demo_remove_files(images);
		rmdir(images);
	}
	demo_remove_files(dir);
	rmdir(dir);
}

/* Whether a folder may be replaced by a new demo: missing, empty, or an earlier demo. */
static int demo_replaceable(const char *dir)
{
	static const char *const ours[] = {DEMO_MARKER, DEMO_JSON_NAME, DEMO_IMAGES_DIR};
	char path[PATH_MAX];
	struct dirent *e;
	int empty = 1;
	DIR *d;

	if (!paths_is_dir(dir))
		return access(dir, F_OK) != 0;
	for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++)
		if (paths_join(path, sizeof path, dir, ours[i]) == 0 && access(path, F_OK) == 0)
			return 1;
	d = opendir(dir);
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	return empty;
}

/* Whether name is base.tmp-PID or base.old-PID for a process that no longer runs. */
static int demo_is_stale(const char *name, const char *base)
{
	size_t n = strlen(base);
	char *end;
	long pid;

	if (strncmp(name, base, n) != 0 ||
	    (strncmp(name + n, ".tmp-", 5) != 0 && strncmp(name + n, ".old-", 5) != 0))
		return 0;
	errno = 0;
	pid = strtol(name + n + 5, &end, 10);
	if (errno != 0 || *end != '\0' || pid <= 0 || pid == (long)getpid())
		return 0;
	return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

/* Folders left by generations that were killed half-way. */
static void demo_remove_stale(const char *parent, const char *base)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(parent);

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (demo_is_stale(e->d_name, base) &&
		    paths_join(path, sizeof path, parent, e->d_name) == 0)
			demo_remove_tree(path);
	closedir(d);
}

/* Moves the finished folder over dir, putting a previous demo aside first when there is one. */
static int demo_swap_in(const char *tmp, const char *dir, struct err *err)
{
	char old[PATH_MAX];
	int e;

	if (rename(tmp, dir) == 0)
		return 0;
	if (errno != ENOTEMPTY && errno != EEXIST)
		return err_set(err, "cannot move the demo dataset to %s: %s", dir, strerror(errno));
	if (snprintf(old, sizeof old, "%s.old-%ld", dir, (long)getpid()) >= (int)sizeof old)
		return err_set(err, "path too long: %s", dir);
	if (rename(dir, old) < 0)
		return err_set(err, "cannot replace %s: %s", dir, strerror(errno));
	if (rename(tmp, dir) < 0) {
		e = errno;
		rename(old, dir);
		return err_set(err, "cannot move the demo dataset to %s: %s", dir, strerror(e));
	}
	demo_remove_tree(old);
	return 0;
}

static int demo_write_marker(const char *dir, struct err *err)
{
	char path[PATH_MAX];
	FILE *f;

	if (paths_join(path, sizeof path, dir, DEMO_MARKER) < 0)
		return err_set(err, "path too long: %s", dir);
	f = fopen(path, "w");
	if (f == NULL)
		return err_set(err, "cannot create %s: %s", path, strerror(errno));
	if (fputs(DEMO_MARKER_TEXT, f) == EOF || fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fclose(f);
		return err_set(err, "cannot write %s: %s", path, strerror(errno));
	}
	if (fclose(f) != 0)
		return err_set(err, "cannot write %s: %s", path, strerror(errno));
	return 0;
}

/* Splits dir (without trailing slashes) into its parent folder and its last name. */
static int demo_split(const char *dir, char *clean, char *parent, const char **base,
                      struct err *err)
{
	size_t n = strlen(dir);
	char *slash;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n == 0 || n >= PATH_MAX - 32)
		return err_set(err, "invalid demo folder: '%s'", dir);
	memcpy(clean, dir, n);
	clean[n] = '\0';
	strcpy(parent, clean);
	slash = strrchr(parent, '/');
	if (slash == NULL) {
		strcpy(parent, ".");
		*base = clean;
	} else {
		*base = clean + (slash - parent) + 1;
		slash[slash == parent ? 1 : 0] = '\0';
	}
	if (**base == '\0' || strcmp(*base, ".") == 0 || strcmp(*base, "..") == 0)
		return err_set(err, "invalid demo folder: '%s'", dir);
	return 0;
}

/* Creates the folders, paints the images, writes the JSON and the marker, all inside tmp. */
static int demo_fill(struct demo_run *run, const char *tmp, void (*progress)(int, int, void *),
                     void *ctx, struct err *err)
{
	char json[PATH_MAX];

	if (mkdir(tmp, 0755) < 0)
		return err_set(err, "cannot create %s: %s", tmp, strerror(errno));
	if (paths_join(run->images_dir, sizeof run->images_dir, tmp, DEMO_IMAGES_DIR) < 0 ||
	    paths_join(json, sizeof json, tmp, DEMO_JSON_NAME) < 0)
		return err_set(err, "path too long: %s", tmp);
	if (mkdir(run->images_dir, 0755) < 0)
		return err_set(err, "cannot create %s: %s", run->images_dir, strerror(errno));
	if (catalog_doc_new(&run->doc, err) < 0)
		return -1;
	if (demo_paint_all(run, progress, ctx, err) < 0 || demo_number_shapes(run->doc, err) < 0)
		return -1;
	if (coco_write_file(run->doc, json, err) < 0)
		return -1;
	return demo_write_marker(tmp, err);
}

int demo_generate(const char *dir, void (*progress)(int done, int total, void *ctx), void *ctx,
                  struct err *err)
{
	char clean[PATH_MAX], parent[PATH_MAX], tmp[PATH_MAX];
	struct demo_run run = {.doc = NULL};
	const char *base = NULL;
	int rc = -1;

	tmp[0] = '\0';
	pthread_mutex_init(&run.lock, NULL);
	pthread_cond_init(&run.changed, NULL);
	if (demo_split(dir, clean, parent, &base, err) < 0)
		goto out;
	if (!demo_replaceable(clean)) {
		err_set(err, "%s exists and is not an annotty demo folder: not replacing it",
		        clean);
		goto out;
	}
	if (paths_mkdirs(parent, err) < 0)
		goto out;
	demo_remove_stale(parent, base);
	snprintf(tmp, sizeof tmp, "%s.tmp-%ld", clean, (long)getpid());
	demo_remove_tree(tmp);
	if (demo_fill(&run, tmp, progress, ctx, err) < 0 || demo_swap_in(tmp, clean, err) < 0)
		goto out;
	tmp[0] = '\0';
	rc = 0;
out:
	if (tmp[0] != '\0')
		demo_remove_tree(tmp);
	dataset_doc_free(&run.doc);
	pthread_cond_destroy(&run.changed);
	pthread_mutex_destroy(&run.lock);
	return rc;
}

int demo_is_complete(const char *dir)
{
	char path[PATH_MAX], text[64];
	size_t n;
	FILE *f;

	if (paths_join(path, sizeof path, dir, DEMO_JSON_NAME) < 0 || !paths_is_file(path))
		return 0;
	if (paths_join(path, sizeof path, dir, DEMO_MARKER) < 0 || (f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	return strcmp(text, DEMO_MARKER_TEXT) == 0;
}

int demo_ensure_progress(const char *dir, char *json_path, size_t json_pathsz,
                         void (*progress)(int done, int total, void *ctx), void *ctx,
                         struct err *err)
{
	if (paths_join(json_path, json_pathsz, dir, DEMO_JSON_NAME) < 0)
		return err_set(err, "path too long: %s", dir);
	if (demo_is_complete(dir))
		return 0;
	return demo_generate(dir, progress, ctx, err);
}

int demo_ensure(const char *dir, char *json_path, size_t json_pathsz, struct err *err)
{
	return demo_ensure_progress(dir, json_path, json_pathsz, NULL, NULL, err);
}
