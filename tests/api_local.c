/* Unit tests of the local backend: opening a file or a folder, the locator and fingerprint,
 * loading and saving through struct backend. */
#include "api/backend.h"
#include "api/local/coco.h"
#include "core/err.h"
#include "core/model.h"
#include "api_fixture.h"
#include "tap.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char one_image[] =
    "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}],"
    " \"categories\": [{\"id\": 1, \"name\": \"x\"}],"
    " \"annotations\": [{\"id\": 1, \"image_id\": 1, \"category_id\": 1,"
    " \"bbox\": [1, 2, 3, 4]}]}";

static char *real(const char *path)
{
	static char out[PATH_MAX];

	return realpath(path, out) != NULL ? out : NULL;
}

static void test_open_file(void)
{
	const char *dir = fx_tmpdir();
	struct backend *b = NULL;
	struct dataset_doc *doc = NULL;
	struct err err;
	char cwd[PATH_MAX];

	fx_write(dir, "set.json", one_image);
	fx_jpeg(dir, "images/a.jpg", 6, 4);
	err_clear(&err);
	if (!ok(backend_open_local(fx_path(dir, "set.json"), NULL, &b, &err) == 0,
	        "opens a JSON file (%s)", err.msg))
		return;
	is_str(b->ops->kind, "coco", "kind");
	is_str(b->locator, real(fx_path(dir, "set.json")), "locator is the real path");
	ok(b->fingerprint != NULL && strstr(b->fingerprint, "size=") != NULL, "fingerprint set");
	ok(strstr(b->fingerprint, "images=0000000000000000") != NULL, "no images folder");
	if (ok(backend_load(b, &doc, &err) == 0, "loads (%s)", err.msg)) {
		is_int(doc->nassets, 1, "one asset");
		is_str(doc->assets[0].path, real(fx_path(dir, "images/a.jpg")),
		       "image found, with an absolute path");
		is_int(doc->assets[0].width, 6, "size from the file");
		is_str(doc->name, "set", "name from the file name");
	}
	dataset_doc_free(&doc);
	backend_close(&b);
	ok(b == NULL, "close clears the pointer");

	/* a relative path still gives an absolute locator */
	if (getcwd(cwd, sizeof cwd) != NULL && chdir(dir) == 0) {
		ok(backend_open_local("set.json", NULL, &b, &err) == 0 && b->locator[0] == '/',
		   "relative path, absolute locator");
		backend_close(&b);
		ok(chdir(cwd) == 0, "back to the first folder");
	}
}

static void expect_found(const char *what, const char *dir, const char *want_rel)
{
	struct backend *b = NULL;
	struct err err;

	err_clear(&err);
	if (ok(backend_open_local(dir, NULL, &b, &err) == 0, "%s: opens (%s)", what, err.msg))
		is_str(b->locator, real(fx_path(dir, want_rel)), "%s: finds %s", what, want_rel);
	backend_close(&b);
}

static void test_open_folder(void)
{
	const char *dir;
	struct backend *b = NULL;
	struct err err;

	dir = fx_tmpdir();
	fx_write(dir, "whatever.json", one_image);
	expect_found("single JSON", dir, "whatever.json");

	dir = fx_tmpdir();
	fx_write(dir, "_annotations.coco.json", one_image);
	fx_write(dir, "other.json", "{}");
	expect_found("Roboflow layout", dir, "_annotations.coco.json");

	dir = fx_tmpdir();
	fx_write(dir, "annotations/instances_train.json", one_image);
	fx_write(dir, "annotations/captions_train.json", one_image);
	fx_write(dir, "readme.txt", "");
	expect_found("COCO layout", dir, "annotations/instances_train.json");

	dir = fx_tmpdir();
	fx_write(dir, "TOY.JSON", one_image);
	expect_found("upper-case extension", dir, "TOY.JSON");

	dir = fx_tmpdir();
	fx_write(dir, "annotations/instances_train.json", one_image);
	fx_write(dir, "annotations/instances_val.json", one_image);
	err_clear(&err);
	ok(backend_open_local(dir, NULL, &b, &err) < 0 && strstr(err.msg, "instances_train.json") &&
	       strstr(err.msg, "instances_val.json"),
	   "two candidates: an error that lists them (%s)", err.msg);

	dir = fx_tmpdir();
	fx_write(dir, "notes.txt", "");
	ok(backend_open_local(dir, NULL, &b, &err) < 0 && strstr(err.msg, "no COCO JSON"),
	   "no JSON: %s", err.msg);
	ok(b == NULL, "nothing returned on error");
}

static void test_errors(void)
{
	const char *dir = fx_tmpdir();
	struct backend *b = NULL;
	struct err err;

	err_clear(&err);
	ok(backend_open_local(fx_path(dir, "nope.json"), NULL, &b, &err) < 0 &&
	       strstr(err.msg, "nope.json"),
	   "missing file named: %s", err.msg);
	fx_write(dir, "set.json", one_image);
	ok(backend_open_local(fx_path(dir, "set.json"), fx_path(dir, "pics"), &b, &err) < 0 &&
	       strstr(err.msg, "pics"),
	   "missing images folder named: %s", err.msg);
	fx_write(dir, "bad/set.json", "{\"images\": [}");
	if (ok(backend_open_local(fx_path(dir, "bad/set.json"), NULL, &b, &err) == 0,
	       "opening does not parse")) {
		struct dataset_doc *doc = NULL;
		ok(backend_load(b, &doc, &err) < 0 && strstr(err.msg, "line 1") && doc == NULL,
		   "loading does: %s", err.msg);
	}
	backend_close(&b);
}

static char *fingerprint_of(const char *path, const char *images_dir)
{
	struct backend *b = NULL;
	struct err err;
	char *fp = NULL;

	if (backend_open_local(path, images_dir, &b, &err) == 0)
		fp = strdup(b->fingerprint);
	backend_close(&b);
	return fp;
}

static void test_fingerprint(void)
{
	const char *dir = fx_tmpdir();
	const char *path = fx_path(dir, "set.json");
	struct timespec times[2] = {{0, UTIME_OMIT}, {1700000000, 5}};
	char *fp1, *fp2, *fp3, *fp4;
	struct backend *b = NULL;
	struct dataset_doc *doc = NULL;
	struct err err;

	fx_write(dir, "set.json", one_image);
	fx_mkdirs(dir, "pics");
	utimensat(AT_FDCWD, path, times, 0);
	fp1 = fingerprint_of(path, NULL);
	fp2 = fingerprint_of(path, NULL);
	ok(fp1 != NULL && fp2 != NULL && strcmp(fp1, fp2) == 0, "same file, same fingerprint");
	/* same size, a nanosecond later */
	fx_write(dir, "set.json", one_image);
	times[1].tv_nsec = 6;
	utimensat(AT_FDCWD, path, times, 0);
	fp3 = fingerprint_of(path, NULL);
	ok(fp3 != NULL && strcmp(fp1, fp3) != 0, "changed mtime, new fingerprint");
	fp4 = fingerprint_of(path, fx_path(dir, "pics"));
	ok(fp4 != NULL && strcmp(fp3, fp4) != 0, "another images folder, new fingerprint");

	/* a change between open and load shows in the fingerprint after load */
	if (backend_open_local(path, NULL, &b, &err) == 0) {
		times[1].tv_nsec = 7;
		utimensat(AT_FDCWD, path, times, 0);
		ok(backend_load(b, &doc, &err) == 0 && strcmp(b->fingerprint, fp3) != 0,
		   "load takes the fingerprint of what it read");
	}
	dataset_doc_free(&doc);
	backend_close(&b);
	free(fp1);
	free(fp2);
	free(fp3);
	free(fp4);
}

static void test_save(void)
{
	const char *dir = fx_tmpdir();
	struct backend *b = NULL, *b2 = NULL;
	struct dataset_doc *doc = NULL, *doc2 = NULL;
	struct err err;
	char *fp = NULL;

	fx_write(dir, "set.json", one_image);
	err_clear(&err);
	if (!ok(backend_open_local(fx_path(dir, "set.json"), NULL, &b, &err) == 0 &&
	            backend_load(b, &doc, &err) == 0,
	        "open and load (%s)", err.msg))
		goto out;
	doc->assets[0].status = REVIEW_ACCEPTED;
	asset_add_tag(&doc->assets[0], "checked");
	ok(backend_save(b, doc, fx_path(dir, "export.json"), &err) == 0, "saves elsewhere (%s)",
	   err.msg);
	if (ok(backend_open_local(fx_path(dir, "export.json"), NULL, &b2, &err) == 0 &&
	           backend_load(b2, &doc2, &err) == 0,
	       "the export opens")) {
		ok(doc2->nassets == 1 && doc2->assets[0].nshapes == 1 &&
		       doc2->assets[0].status == REVIEW_ACCEPTED && doc2->assets[0].ntags == 1,
		   "with the review state");
	}
	fp = strdup(b->fingerprint);
	ok(backend_save(b, doc, NULL, &err) == 0, "saves over the source (%s)", err.msg);
	ok(strcmp(fp, b->fingerprint) != 0, "and takes the new fingerprint");
out:
	free(fp);
	dataset_doc_free(&doc);
	dataset_doc_free(&doc2);
	backend_close(&b);
	backend_close(&b2);
}

int main(void)
{
	test_open_file();
	test_open_folder();
	test_errors();
	test_fingerprint();
	test_save();
	fx_cleanup();
	return done_testing();
}
