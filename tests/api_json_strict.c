/* Machine-readable output for strict readers: a COCO export and a cJSON listing whose names
 * are full of C1 controls, DEL, ESC and bytes that are not UTF-8, read back with Python's
 * strict JSON parser. */
#include "api/local/coco.h"
#include "core/err.h"
#include "core/json_out.h"
#include "core/model.h"
#include "tap.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ESC [31m, DEL, NEL (C1, U+0085), CSI (U+009B), then 0xff and a cut UTF-8 sequence. */
static const char hostile[] = "car\x1b[31m\x7f\xc2\x85\xc2\x9b\xff\xe2\x82.jpg";

static struct dataset_doc *doc_hostile(void)
{
	struct dataset_doc *doc = dataset_doc_new();
	struct label *l = dataset_doc_add_label(doc);
	struct asset *a = dataset_doc_add_asset(doc);
	struct shape *s = asset_add_shape(a);

	doc->name = strdup("strict");
	doc->format = strdup("coco");
	l->name = strdup(hostile);
	a->filename = strdup(hostile);
	a->width = 10;
	a->height = 10;
	asset_add_tag(a, hostile);
	s->kind = SHAPE_BOX;
	s->label = 0;
	s->box = (struct rect){1, 1, 2, 2};
	return doc;
}

/* 0 when python3 reads the file as strict UTF-8 JSON with no raw DEL or C1 character. */
static int python_strict(const char *path)
{
	const char *py = getenv("PYTHON3");
	char cmd[8192];

	snprintf(cmd, sizeof cmd,
	         "'%s' -c 'import json,sys\n"
	         "t = open(sys.argv[1], encoding=\"utf-8\", errors=\"strict\").read()\n"
	         "json.loads(t, strict=True)\n"
	         "sys.exit(1 if any(0x7f <= ord(c) <= 0x9f for c in t) else 0)' '%s' 2>/dev/null",
	         py && *py ? py : "python3", path);
	return system(cmd) == 0 ? 0 : -1;
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void test_export(const char *dir)
{
	struct dataset_doc *doc = doc_hostile(), *back = NULL;
	struct err err = {0};
	char path[4096];

	snprintf(path, sizeof path, "%s/out.json", dir);
	ok(coco_write_file(doc, path, &err) == 0, "the export is written (%s)", err.msg);
	ok(python_strict(path) == 0, "python3 reads it as strict JSON, no raw DEL or C1");
	ok(coco_read_file(path, NULL, &back, &err) == 0 && back->nlabels == 1 && back->nassets == 1,
	   "and annotty reads it back (%s)", err.msg);
	if (back != NULL && back->nlabels == 1 && back->nassets == 1) {
		is_str(back->labels[0].name,
		       "car\x1b[31m\x7f\xc2\x85\xc2\x9b\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd.jpg",
		       "the label keeps its controls (escaped on the way) and the bad bytes are "
		       "U+FFFD");
		is_str(back->assets[0].filename, back->labels[0].name, "so does the file name");
	}
	dataset_doc_free(&back);
	dataset_doc_free(&doc);
	unlink(path);
}

static void test_listing(const char *dir)
{
	cJSON *arr = cJSON_CreateArray(), *o = cJSON_CreateObject();
	struct json_out_report rep;
	char path[4096], *raw, *strict;

	cJSON_AddStringToObject(o, "filename", "plain.jpg");
	cJSON_AddStringToObject(o, "label", hostile);
	cJSON_AddItemToArray(arr, cJSON_CreateObject());
	cJSON_AddItemToArray(arr, o);
	raw = cJSON_Print(arr);
	strict = json_out_strict(raw, &rep);
	snprintf(path, sizeof path, "%s/ls.json", dir);
	ok(strict != NULL && write_text(path, raw) == 0 && python_strict(path) < 0,
	   "cJSON's own text is refused by the strict reader");
	ok(strict != NULL && write_text(path, strict) == 0 && python_strict(path) == 0,
	   "after json_out_strict it is read");
	is_int(rep.fields, 1, "one field held bytes that are not UTF-8");
	is_str(rep.first, "[1].label", "and it is named by its path");
	ok(strict != NULL &&
	       strstr(strict, "\\u007f\\u0085\\u009b\\ufffd\\ufffd\\ufffd.jpg") != NULL,
	   "DEL and C1 are escaped, each bad byte is U+FFFD");
	free(strict);
	strict = json_out_strict("{\"a\":\"caf\xc3\xa9 \xef\xbf\xbd\",\"b\":[1,2]}", &rep);
	is_str(strict, "{\"a\":\"caf\xc3\xa9 \xef\xbf\xbd\",\"b\":[1,2]}",
	       "valid UTF-8 (a real U+FFFD too) is left as it is");
	is_int(rep.fields, 0, "and nothing is reported");
	free(strict);
	free(raw);
	cJSON_Delete(arr);
	unlink(path);
}

int main(void)
{
	char dir[] = "/tmp/annotty-strict-XXXXXX";

	if (mkdtemp(dir) == NULL)
		return 1;
	test_export(dir);
	test_listing(dir);
	rmdir(dir);
	return done_testing();
}
