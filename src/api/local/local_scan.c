/* Files and folders of local sources: walking a folder for files of some extensions, finding
 * an image beside an annotation, reading a text file within a cap, a folder's fingerprint. */
#include "api/local/local_format.h"
#include "core/err.h"
#include "core/imgprobe.h"
#include "core/model.h"
#include "core/paths.h"
#include "core/str.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const local_image_exts[] = {"jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff", NULL};

int local_has_ext(const char *name, const char *ext)
{
	size_t n = strlen(name), e = strlen(ext);

	return n > e + 1 && name[n - e - 1] == '.' && strcasecmp(name + n - e, ext) == 0;
}

static int has_any_ext(const char *name, const char *const *exts)
{
	for (int i = 0; exts[i] != NULL; i++)
		if (local_has_ext(name, exts[i]))
			return 1;
	return 0;
}

int local_is_image_name(const char *name)
{
	return has_any_ext(name, local_image_exts);
}

int local_files_add(struct local_files *f, const char *name)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 64;
		char **grown = realloc(f->names, cap * sizeof *grown);

		if (grown == NULL)
			return -1;
		f->names = grown;
		f->cap = cap;
	}
	if ((f->names[f->n] = strdup(name)) == NULL)
		return -1;
	f->n++;
	return 0;
}

void local_files_clear(struct local_files *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->names[i]);
	free(f->names);
	memset(f, 0, sizeof *f);
}

struct walk {
	const char *const *exts;
	struct local_files *out;
	int stop_at_first; /* local_dir_has: one is enough */
	int found;
	struct err *err;
};

static int walk_dir(struct walk *w, const char *root, const char *rel, int depth)
{
	char dir[PATH_MAX], sub[PATH_MAX];
	struct dirent *e;
	DIR *d;
	int rc = 0;

	if (paths_join(dir, sizeof dir, root, rel[0] ? rel : ".") < 0 || (d = opendir(dir)) == NULL)
		return 0; /* an unreadable folder inside holds nothing we can read */
	while (rc == 0 && !(w->stop_at_first && w->found) && (e = readdir(d)) != NULL) {
		struct stat st;
		char full[PATH_MAX];

		if (e->d_name[0] == '.')
			continue;
		if (snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name) >=
		        (int)sizeof sub ||
		    paths_join(full, sizeof full, root, sub) < 0 || stat(full, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth > 0)
			rc = walk_dir(w, root, sub, depth - 1);
		else if (S_ISREG(st.st_mode) && has_any_ext(e->d_name, w->exts)) {
			w->found++;
			if (w->out != NULL && w->out->n >= LOCAL_FILES_MAX)
				rc = err_setk(w->err, ERR_TOO_LARGE, "more than %d files under %s",
				              LOCAL_FILES_MAX, root);
			else if (w->out != NULL && local_files_add(w->out, sub) < 0)
				rc = err_set(w->err, "out of memory listing %s", root);
		}
	}
	closedir(d);
	return rc;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int local_files_list(const char *dir, const char *const *exts, int depth, struct local_files *out,
                     struct err *err)
{
	struct walk w = {.exts = exts, .out = out, .err = err};

	memset(out, 0, sizeof *out);
	if (walk_dir(&w, dir, "", depth) < 0) {
		local_files_clear(out);
		return -1;
	}
	if (out->n > 1)
		qsort(out->names, out->n, sizeof *out->names, name_cmp);
	return 0;
}

int local_dir_has(const char *dir, const char *const *exts, int depth)
{
	struct walk w = {.exts = exts, .stop_at_first = 1};

	walk_dir(&w, dir, "", depth);
	return w.found > 0;
}

int local_read_text(const char *path, char **out, size_t *len, struct err *err)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t cap = 0, n = 0;
	int rc = -1;

	*out = NULL;
	if (f == NULL)
		return err_setk(err, ERR_IO, "cannot open %s: %s", path, strerror(errno));
	for (;;) {
		if (n + 4096 + 1 > cap) {
			char *grown;
			cap = cap ? 2 * cap : 8192;
			if (cap > (size_t)LOCAL_TEXT_MAX + 4097) {
				err_setk(err, ERR_TOO_LARGE, "%s is larger than %d MiB", path,
				         LOCAL_TEXT_MAX >> 20);
				goto out;
			}
			if ((grown = realloc(text, cap)) == NULL) {
				err_set(err, "out of memory reading %s", path);
				goto out;
			}
			text = grown;
		}
		size_t got = fread(text + n, 1, 4096, f);
		n += got;
		if (got < 4096)
			break;
	}
	if (ferror(f)) {
		err_setk(err, ERR_IO, "cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	text[n] = '\0';
	*out = text;
	text = NULL;
	if (len != NULL)
		*len = n;
	rc = 0;
out:
	free(text);
	fclose(f);
	return rc;
}

long local_peek(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd < 0)
		return -1;
	got = read(fd, buf, n - 1);
	close(fd);
	if (got < 0)
		return -1;
	buf[got] = '\0';
	return (long)got;
}

char *local_find_image(const char *dir, const char *stem)
{
	char path[PATH_MAX], upper[16];

	for (int i = 0; local_image_exts[i] != NULL; i++) {
		size_t k = 0;

		if (snprintf(path, sizeof path, "%s/%s.%s", dir, stem, local_image_exts[i]) <
		        (int)sizeof path &&
		    paths_is_file(path))
			return strdup(path);
		for (; local_image_exts[i][k] != '\0' && k < sizeof upper - 1; k++)
			upper[k] = (char)(local_image_exts[i][k] - 'a' + 'A');
		upper[k] = '\0';
		if (snprintf(path, sizeof path, "%s/%s.%s", dir, stem, upper) < (int)sizeof path &&
		    paths_is_file(path))
			return strdup(path);
	}
	return NULL;
}

int local_image_size(const char *path, int *width, int *height)
{
	struct image_probe p;
	struct err e;

	if (path == NULL || imgprobe_file(path, &p, &e) < 0 || p.width <= 0 || p.height <= 0)
		return -1;
	*width = p.width;
	*height = p.height;
	return 0;
}

struct asset *local_add_asset(struct dataset_doc *doc, const char *filename, const char *path)
{
	struct asset *a = dataset_doc_add_asset(doc);

	if (a == NULL)
		return NULL;
	a->filename = strdup(filename);
	a->ext_id = strdup(filename);
	if (path != NULL)
		a->path = strdup(path);
	if (a->filename == NULL || a->ext_id == NULL || (path != NULL && a->path == NULL))
		return NULL;
	if (path != NULL)
		local_image_size(path, &a->width, &a->height);
	return a;
}

struct dataset_doc *local_doc_new(const char *path, const char *format)
{
	struct dataset_doc *doc = dataset_doc_new();
	char clean[PATH_MAX];
	size_t n;

	if (doc == NULL)
		return NULL;
	/* "data/voc/" names itself "voc", and so does "data/voc/data.yaml"'s folder */
	str_copy(clean, path, sizeof clean);
	n = strlen(clean);
	while (n > 1 && clean[n - 1] == '/')
		clean[--n] = '\0';
	doc->name = strdup(path_base(clean));
	doc->format = strdup(format);
	if (doc->name == NULL || doc->format == NULL)
		dataset_doc_free(&doc);
	return doc;
}

int local_label(struct dataset_doc *doc, const char *name)
{
	int i = dataset_doc_find_label(doc, name);
	struct label *l;

	if (i >= 0)
		return i;
	l = dataset_doc_add_label(doc);
	if (l == NULL || (l->name = strdup(name)) == NULL || (l->ext_id = strdup(name)) == NULL)
		return -1;
	return doc->nlabels - 1;
}

void local_stem(const char *name, char *out, size_t outsz)
{
	const char *base = strrchr(name, '/'), *dot;

	base = base != NULL ? base + 1 : name;
	str_copy(out, base, outsz);
	dot = strrchr(out, '.');
	if (dot != NULL && dot != out)
		out[dot - out] = '\0';
}

/* ---- fingerprints ---- */

struct fp {
	uint64_t hash;
	long files;
};

static void fp_add(struct fp *fp, const char *name, const struct stat *st)
{
	char line[PATH_MAX + 96];
	int n = snprintf(line, sizeof line, "%s %lld %lld.%09ld", name, (long long)st->st_size,
	                 (long long)st->st_mtim.tv_sec, (long)st->st_mtim.tv_nsec);

	fp->hash = str_hash64(line, (size_t)(n > 0 ? n : 0), fp->hash);
	fp->files++;
}

/* Sorted, so that the order readdir gives does not change the fingerprint. */
static int fp_dir(struct fp *fp, const char *root, int depth, struct err *err)
{
	static const char *const texts[] = {"xml", "txt",   "json", "yaml",
	                                    "yml", "names", "data", NULL};
	struct local_files files;
	char full[PATH_MAX];
	struct stat st;

	if (local_files_list(root, texts, depth, &files, err) < 0)
		return -1;
	for (size_t i = 0; i < files.n; i++)
		if (paths_join(full, sizeof full, root, files.names[i]) == 0 &&
		    stat(full, &st) == 0)
			fp_add(fp, files.names[i], &st);
	local_files_clear(&files);
	if (local_files_list(root, local_image_exts, depth, &files, err) < 0)
		return -1;
	/* images count by name only: their bytes are not what was imported */
	for (size_t i = 0; i < files.n; i++)
		fp->hash = str_hash64(files.names[i], strlen(files.names[i]), fp->hash);
	fp->files += (long)files.n;
	local_files_clear(&files);
	return 0;
}

int local_fingerprint_tree(const char *path, int depth, const char *images_dir, char **out,
                           struct err *err)
{
	struct fp fp = {.hash = STR_HASH_SEED};
	struct stat st;
	char text[160], *copy;

	if (stat(path, &st) < 0)
		return err_set(err, "cannot open %s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		if (fp_dir(&fp, path, depth, err) < 0)
			return -1;
	} else {
		fp_add(&fp, path_base(path), &st);
	}
	if (images_dir != NULL)
		fp.hash = str_hash64(images_dir, strlen(images_dir), fp.hash);
	snprintf(text, sizeof text, "tree files=%ld hash=%016llx", fp.files,
	         (unsigned long long)fp.hash);
	if ((copy = strdup(text)) == NULL)
		return err_set(err, "out of memory");
	free(*out);
	*out = copy;
	return 0;
}

void local_splits_clear(struct local_splits *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->names[i]);
	memset(s, 0, sizeof *s);
}

int local_splits_add(struct local_splits *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->names[i], name) == 0)
			return 0;
	if (s->n == LOCAL_SPLITS_MAX)
		return 0; /* more splits than anyone uses: the rest stay in the whole */
	if ((s->names[s->n] = strdup(name)) == NULL)
		return -1;
	s->n++;
	return 0;
}
