/* Image names from a COCO file stay inside the dataset: ../../../../etc/passwd is not opened
 * unless ANNOTTY_IMAGES_ANYWHERE=1 allows it. */
#include "api/local/coco.h"
#include "core/err.h"
#include "core/model.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char coco[] =
    "{\"images\":[{\"id\":1,\"file_name\":\"../../../../../../../../etc/passwd\","
    "\"width\":10,\"height\":10},"
    "{\"id\":2,\"file_name\":\"/etc/hostname\",\"width\":10,\"height\":10},"
    "{\"id\":3,\"file_name\":\"images/a.jpg\",\"width\":10,\"height\":10},"
    "{\"id\":4,\"file_name\":\"../ds/images/a.jpg\",\"width\":10,\"height\":10}],"
    "\"annotations\":[],\"categories\":[]}";

static const struct dataset_doc *read_ds(const char *json, struct dataset_doc **doc)
{
	struct err err = {0};

	dataset_doc_free(doc);
	if (coco_read_file(json, NULL, doc, &err) < 0) {
		printf("# %s\n", err.msg);
		return NULL;
	}
	return *doc;
}

static int warned(const struct dataset_doc *d, const char *what)
{
	for (int i = 0; i < d->nwarnings; i++)
		if (strstr(d->warnings[i], what) != NULL)
			return 1;
	return 0;
}

int main(void)
{
	char dir[] = "/tmp/annotty-paths-XXXXXX", ds[4096], json[4096], img[4096];
	struct dataset_doc *doc = NULL;
	const struct dataset_doc *d;
	FILE *f;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(ds, sizeof ds, "%s/ds", dir);
	snprintf(img, sizeof img, "%s/images", ds);
	mkdir(ds, 0700);
	mkdir(img, 0700);
	snprintf(img, sizeof img, "%s/images/a.jpg", ds);
	snprintf(json, sizeof json, "%s/annotations.json", ds);
	if ((f = fopen(img, "w")) != NULL)
		fclose(f);
	if ((f = fopen(json, "w")) != NULL) {
		fputs(coco, f);
		fclose(f);
	}
	unsetenv("ANNOTTY_IMAGES_ANYWHERE");
	d = read_ds(json, &doc);
	ok(d != NULL && d->nassets == 4, "the dataset reads");
	if (d != NULL && d->nassets == 4) {
		ok(d->assets[0].path == NULL, "../../etc/passwd is not opened (%s)",
		   d->assets[0].path ? d->assets[0].path : "none");
		ok(d->assets[1].path == NULL, "nor an absolute path elsewhere");
		ok(d->assets[2].path != NULL && d->assets[3].path != NULL,
		   "names inside the dataset's folders still are");
		ok(warned(d, "ANNOTTY_IMAGES_ANYWHERE") && warned(d, "2 image names"),
		   "a warning counts them and says how to allow it");
	}
	setenv("ANNOTTY_IMAGES_ANYWHERE", "1", 1);
	d = read_ds(json, &doc);
	ok(d != NULL && d->nassets == 4 && d->assets[0].path != NULL &&
	       strstr(d->assets[0].path, "etc/passwd") != NULL,
	   "with ANNOTTY_IMAGES_ANYWHERE=1 the user allows it");
	unsetenv("ANNOTTY_IMAGES_ANYWHERE");
	dataset_doc_free(&doc);
	unlink(img);
	unlink(json);
	snprintf(img, sizeof img, "%s/images", ds);
	rmdir(img);
	rmdir(ds);
	rmdir(dir);
	return done_testing();
}
