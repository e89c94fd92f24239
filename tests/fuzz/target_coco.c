/* Fuzz target: the COCO JSON reader, as it reads a file a user points annotty at. */
#include "fuzz.h"

#include "api/local/coco.h"
#include "core/err.h"
#include "core/model.h"

#include <stdlib.h>
#include <string.h>

const char fuzz_target_name[] = "coco";
const int fuzz_smoke_runs = 5000;

int fuzz_parse(const uint8_t *data, size_t len, struct err *err)
{
	struct dataset_doc *doc = NULL;
	char *text = malloc(len + 1);
	int rc;

	if (text == NULL)
		return err_set(err, "out of memory");
	memcpy(text, data, len);
	text[len] = '\0';
	/* a folder that does not exist: image lookups fail fast and become warnings */
	rc = coco_parse(text, len, "/nonexistent/annotty-fuzz/annotations.json", NULL, &doc, err);
	dataset_doc_free(&doc);
	free(text);
	return rc;
}

/* Every kind of shape and extension field the reader understands. */
static const char seed_full[] =
    "{\"info\":{\"description\":\"fuzz\"},\"licenses\":[{\"id\":1}],"
    "\"images\":[{\"id\":1,\"file_name\":\"a.jpg\",\"width\":640,\"height\":480,"
    "\"annotty_status\":\"accepted\",\"annotty_tags\":[\"x\",\"y\"]},"
    "{\"id\":2,\"file_name\":\"b.png\",\"width\":100,\"height\":80}],"
    "\"categories\":[{\"id\":1,\"name\":\"cat\",\"supercategory\":\"animal\"},"
    "{\"id\":7,\"name\":\"dog\"}],"
    "\"annotations\":["
    "{\"id\":1,\"image_id\":1,\"category_id\":1,\"bbox\":[10,20,30,40],\"area\":1200,"
    "\"iscrowd\":0},"
    "{\"id\":2,\"image_id\":1,\"category_id\":7,\"bbox\":[1,2,50,60],"
    "\"segmentation\":[[1,2,51,2,51,62,1,62],[5,5,9,5,9,9]]},"
    "{\"id\":3,\"image_id\":2,\"category_id\":1,\"bbox\":[0,0,10,10],\"iscrowd\":1,"
    "\"segmentation\":{\"counts\":[0,5,95,5,95],\"size\":[80,100]}},"
    "{\"id\":4,\"image_id\":2,\"category_id\":7,\"bbox\":[3,3,0,0],\"annotty_type\":\"point\","
    "\"annotty_points\":[[3,3]]},"
    "{\"id\":5,\"image_id\":2,\"category_id\":7,\"annotty_type\":\"line\","
    "\"annotty_points\":[[1,1],[20,30],[40,5]],\"annotty_text\":\"ocr\"},"
    "{\"id\":6,\"image_id\":1,\"category_id\":1,\"annotty_type\":\"classification\"}]}";

static const char seed_minimal[] = "{\"images\":[],\"annotations\":[],\"categories\":[]}";

static const char seed_rle_string[] =
    "{\"images\":[{\"id\":9,\"file_name\":\"c.jpg\",\"width\":4,\"height\":4}],"
    "\"categories\":[{\"id\":1,\"name\":\"m\"}],"
    "\"annotations\":[{\"id\":1,\"image_id\":9,\"category_id\":1,\"iscrowd\":1,"
    "\"segmentation\":{\"counts\":\"0;4\",\"size\":[4,4]},\"bbox\":[0,0,4,1]}]}";

static int seed_add(struct fuzz_seed *s, const char *name, const char *text)
{
	s->name = name;
	s->len = strlen(text);
	s->data = malloc(s->len);
	if (s->data == NULL)
		return -1;
	memcpy(s->data, text, s->len);
	return 0;
}

int fuzz_seeds(struct fuzz_seed *seeds, int max)
{
	if (max < 3 || seed_add(&seeds[0], "every shape kind", seed_full) < 0 ||
	    seed_add(&seeds[1], "empty dataset", seed_minimal) < 0 ||
	    seed_add(&seeds[2], "string RLE", seed_rle_string) < 0)
		return -1;
	return 3;
}
