/* COCO JSON read as a stream, for opening large datasets in bounded memory: the file goes
 * through yajl in chunks, each element of "categories", "images" and "annotations" becomes a
 * small cJSON value read by the same functions as the whole-document reader (so the warnings
 * are the same), and is handed to a sink and freed.
 *
 * Why yajl: it is an event parser (no document is built), packaged by Debian (libyajl-dev
 * 2.1) and stable for years; json-c's incremental tokener and jansson both build the whole
 * document (jansson has no event interface), as does cJSON, which peaked at 4.7 GB on a
 * generated 1M-image / 3M-box file (406 MB). The parsers were chosen on their designs; the
 * figures of the import as a whole are bench/scale.sh's.
 *
 * Two passes over the file: the first reads the categories, the top-level fields and every
 * image id (annotations may come before the images, and categories come last in the COCO
 * files people download); the second reads the images and the annotations in file order. */
#include "api/local/coco.h"
#include "api/local/coco_internal.h"
#include "core/doc_sink.h"
#include "core/err.h"
#include "core/model.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_parse.h>

#define STREAM_CHUNK     (256 * 1024)
#define STREAM_DEPTH_MAX 1000 /* the nesting cJSON itself accepts */
#define PROGRESS_EVERY   (4 * 1024 * 1024)

enum section { SEC_NONE, SEC_CATEGORIES, SEC_IMAGES, SEC_ANNOTATIONS, SEC_COUNT };

static const char *const section_names[SEC_COUNT] = {
    [SEC_CATEGORIES] = "categories", [SEC_IMAGES] = "images", [SEC_ANNOTATIONS] = "annotations"};

struct stream {
	struct coco_parse *p; /* p->doc is the head: labels, top-level fields, warnings */
	const struct doc_sink *sink;
	void *ctx;
	struct err *err;
	const char *json_path;
	int pass;
	int failed; /* err is filled: stop */
	int depth;
	int root_kind; /* 0: nothing yet, 1: an object, 2: a list, 3: a single value */
	int root_done; /* the top-level object has ended */
	char *top_key; /* the member of the top-level object being read */
	enum section sec;
	int seen[SEC_COUNT];    /* a section repeated in the file is read once, like cJSON does */
	int kind_of[SEC_COUNT]; /* pass 1: 1 when the section's value is a list */
	/* the value being built */
	cJSON *stack[STREAM_DEPTH_MAX];
	int nstack;
	int building;
	char *key;  /* the member name for the next value inside the built object */
	cJSON *top; /* pass 1: the top-level members other than the sections' lists */
	int nimages;
	int *sizes; /* 2 a image: width, height */
	size_t nsizes;
	size_t capsizes;
	struct coco_ann_ctx ann;
	int64_t bytes;
	int64_t total;
	int64_t next_progress;
	int64_t shapes;
};

static int fail_oom(struct stream *s)
{
	s->failed = 1;
	err_set(s->err, "out of memory reading %s", s->p->source);
	return 0;
}

/* ---- each element, by pass -------------------------------------------------------------- */

static int sizes_put(struct stream *s, int index, int w, int h)
{
	if ((size_t)index >= s->capsizes) {
		size_t cap = s->capsizes ? s->capsizes * 2 : 4096;
		int *grown = realloc(s->sizes, cap * 2 * sizeof *grown);

		if (grown == NULL)
			return -1;
		s->sizes = grown;
		s->capsizes = cap;
	}
	s->sizes[2 * (size_t)index] = w;
	s->sizes[2 * (size_t)index + 1] = h;
	if ((size_t)index >= s->nsizes)
		s->nsizes = (size_t)index + 1;
	return 0;
}

static int declared_side(const cJSON *v)
{
	double d = cJSON_IsNumber(v) ? v->valuedouble : 0;

	return d >= 1 && d <= COCO_MAX_SIDE ? (int)round(d) : 0;
}

/* Pass 1: the image's id into the index, and its declared size for annotations that come
 * before the images. */
static int image_id_note(struct stream *s, const cJSON *img)
{
	char key[COCO_KEY_MAX];
	int index;

	if (coco_id_text(cJSON_GetObjectItemCaseSensitive(img, "id"), key, sizeof key) < 0)
		return 0;
	index = s->nimages++;
	if (coco_index_add(&s->p->images, key, index) < 0)
		return -1;
	return sizes_put(s, index, declared_side(cJSON_GetObjectItemCaseSensitive(img, "width")),
	                 declared_side(cJSON_GetObjectItemCaseSensitive(img, "height")));
}

/* Pass 2: the image read in full, handed to the sink, and dropped. */
static int image_emit(struct stream *s, const cJSON *img)
{
	struct dataset_doc *doc = s->p->doc;
	char key[COCO_KEY_MAX];
	struct asset *a;
	int r = coco_image_add(s->p, img, key), index;

	if (r <= 0)
		return r < 0 ? fail_oom(s) - 1 : 0;
	a = &doc->assets[doc->nassets - 1];
	index = s->nimages++;
	if (sizes_put(s, index, a->width, a->height) < 0)
		r = fail_oom(s) - 1;
	else if (s->sink->asset(s->ctx, index, a, s->err) < 0)
		r = -1;
	asset_clear(a);
	doc->nassets--;
	return r < 0 ? -1 : 0;
}

static int shape_emit(void *arg, int image, const struct shape *shape, struct err *err)
{
	struct stream *s = arg;

	s->shapes++;
	return s->sink->shape(s->ctx, image, shape, err);
}

static int element(struct stream *s, const cJSON *v)
{
	int rc = 0;

	if (s->pass == 1 && s->sec == SEC_CATEGORIES)
		rc = coco_read_category(s->p, v) < 0 ? fail_oom(s) - 1 : 0;
	else if (s->pass == 1 && s->sec == SEC_IMAGES)
		rc = image_id_note(s, v) < 0 ? fail_oom(s) - 1 : 0;
	else if (s->pass == 2 && s->sec == SEC_IMAGES)
		rc = image_emit(s, v);
	else if (s->pass == 2 && s->sec == SEC_ANNOTATIONS && cJSON_IsObject(v))
		rc = coco_ann_read(&s->ann, v, s->err);
	if (rc < 0)
		s->failed = 1;
	return rc;
}

/* Whether an element of the current section is built in this pass (else only walked). */
static int element_wanted(const struct stream *s)
{
	if (s->pass == 1)
		return s->sec == SEC_CATEGORIES || s->sec == SEC_IMAGES;
	return s->sec == SEC_IMAGES || s->sec == SEC_ANNOTATIONS;
}

/* ---- building values from events --------------------------------------------------------- */

/* A finished value: a top-level member (pass 1) or an element of a section. */
static int value_done(struct stream *s, cJSON *v)
{
	int rc = 1;

	s->building = 0;
	if (s->depth == 1) {
		cJSON_AddItemToObject(s->top, s->top_key != NULL ? s->top_key : "", v);
		return 1;
	}
	if (element(s, v) < 0)
		rc = 0;
	cJSON_Delete(v);
	return rc;
}

static int attach(struct stream *s, cJSON *v)
{
	cJSON *parent = s->stack[s->nstack - 1];

	if (cJSON_IsArray(parent)) {
		cJSON_AddItemToArray(parent, v);
		return 1;
	}
	cJSON_AddItemToObject(parent, s->key != NULL ? s->key : "", v);
	free(s->key);
	s->key = NULL;
	return 1;
}

static int section_of(const char *key)
{
	for (int i = 1; i < SEC_COUNT; i++)
		if (key != NULL && strcmp(key, section_names[i]) == 0)
			return i;
	return SEC_NONE;
}

/* A value starts at the current depth: decides whether it is built. Returns 0 to stop. */
static int value_start(struct stream *s, int is_array, int is_map)
{
	int sec;

	if (s->building)
		return 1;
	if (s->depth == 0) {
		s->root_kind = is_map ? 1 : is_array ? 2 : 3;
		return is_map;
	}
	if (s->depth == 1) {
		sec = section_of(s->top_key);
		if (sec != SEC_NONE && !s->seen[sec]) {
			s->seen[sec] = 1;
			s->kind_of[sec] = is_array;
			if (is_array) {
				s->sec = sec;
				return 1;
			}
		}
		s->building = s->pass == 1;
		return 1;
	}
	if (s->depth == 2 && s->sec != SEC_NONE)
		s->building = element_wanted(s);
	return 1;
}

static int scalar(struct stream *s, cJSON *v)
{
	if (!value_start(s, 0, 0)) {
		cJSON_Delete(v);
		return 0;
	}
	if (!s->building) {
		cJSON_Delete(v);
		return 1;
	}
	if (v == NULL)
		return fail_oom(s);
	if (s->nstack == 0)
		return value_done(s, v);
	return attach(s, v);
}

static int on_null(void *ctx)
{
	return scalar(ctx, cJSON_CreateNull());
}

static int on_bool(void *ctx, int b)
{
	return scalar(ctx, cJSON_CreateBool(b));
}

static int on_number(void *ctx, const char *text, size_t len)
{
	char buf[64];

	/* cJSON keeps numbers as doubles, and so does the whole-document reader */
	if (len >= sizeof buf)
		len = sizeof buf - 1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	return scalar(ctx, cJSON_CreateNumber(strtod(buf, NULL)));
}

static int on_string(void *ctx, const unsigned char *text, size_t len)
{
	struct stream *s = ctx;
	char *copy;
	cJSON *v;

	int need = s->building || s->depth <= 1 ||
	           (s->depth == 2 && s->sec != SEC_NONE && element_wanted(s));

	if (need) {
		copy = strndup((const char *)text, len); /* a \u0000 ends it, as in cJSON */
		if (copy == NULL)
			return fail_oom(s);
		v = cJSON_CreateString(copy);
		free(copy);
		return scalar(s, v);
	}
	return scalar(s, NULL);
}

static int on_key(void *ctx, const unsigned char *text, size_t len)
{
	struct stream *s = ctx;
	char **slot = s->building ? &s->key : &s->top_key;

	if (!s->building && s->depth != 1)
		return 1;
	free(*slot);
	*slot = strndup((const char *)text, len);
	return *slot != NULL ? 1 : fail_oom(s);
}

static int open_container(struct stream *s, int is_array)
{
	cJSON *v;

	if (!value_start(s, is_array, !is_array))
		return 0;
	if (++s->depth > STREAM_DEPTH_MAX) {
		s->failed = 1;
		err_set(s->err, "%s is not valid JSON: nested deeper than %d", s->p->source,
		        STREAM_DEPTH_MAX);
		return 0;
	}
	if (!s->building)
		return 1;
	v = is_array ? cJSON_CreateArray() : cJSON_CreateObject();
	if (v == NULL)
		return fail_oom(s);
	if (s->nstack > 0)
		attach(s, v);
	s->stack[s->nstack++] = v;
	return 1;
}

static int close_container(struct stream *s)
{
	cJSON *v;

	s->depth--;
	s->root_done = s->depth == 0;
	if (s->depth == 1 && s->sec != SEC_NONE && !s->building) {
		s->sec = SEC_NONE; /* the end of a section's list */
		return 1;
	}
	if (!s->building)
		return 1;
	v = s->stack[--s->nstack];
	return s->nstack == 0 ? value_done(s, v) : 1;
}

static int on_start_map(void *ctx)
{
	return open_container(ctx, 0);
}

static int on_start_array(void *ctx)
{
	return open_container(ctx, 1);
}

static int on_end(void *ctx)
{
	return close_container(ctx);
}

static const yajl_callbacks callbacks = {
    .yajl_null = on_null,
    .yajl_boolean = on_bool,
    .yajl_number = on_number,
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_key,
    .yajl_end_map = on_end,
    .yajl_start_array = on_start_array,
    .yajl_end_array = on_end,
};

/* ---- one pass over the file ------------------------------------------------------------- */

struct position {
	int line;
	int col;
	int any; /* a byte other than white space was seen */
};

/* Lines by memchr and characters (UTF-8 lead bytes) by a loop the compiler vectorizes: this
 * runs over every byte of the file. */
static void position_advance(struct position *pos, const unsigned char *b, size_t n)
{
	const unsigned char *nl, *end = b + n;
	int chars = 0;

	for (size_t i = 0; !pos->any && i < n; i++)
		pos->any = b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r';
	while ((nl = memchr(b, '\n', (size_t)(end - b))) != NULL) {
		pos->line++;
		pos->col = 1;
		b = nl + 1;
	}
	for (const unsigned char *p = b; p < end; p++)
		chars += (*p & 0xC0) != 0x80;
	pos->col += chars;
}

static int report_progress(struct stream *s)
{
	struct doc_progress pr = {
	    .phase = "reading",
	    .done = s->bytes + (s->pass == 2 ? s->total : 0),
	    .total = 2 * s->total,
	    .assets = s->nimages,
	    .shapes = s->shapes,
	};

	if (s->sink->progress == NULL || s->bytes < s->next_progress)
		return 0;
	s->next_progress = s->bytes + PROGRESS_EVERY;
	if (s->sink->progress(s->ctx, &pr) == 0)
		return 0;
	s->failed = 1;
	return err_setk(s->err, ERR_RETRY, "reading %s was stopped", s->p->source);
}

/* The parser's complaint as the whole-document reader words it. */
static int syntax_error(struct stream *s, yajl_handle h, struct position *pos,
                        const unsigned char *chunk, size_t n)
{
	size_t at = chunk != NULL ? yajl_get_bytes_consumed(h) : 0;

	if (s->failed)
		return -1;
	if (s->root_kind == 2 || s->root_kind == 3)
		return err_set(s->err, "not a COCO file: %s is %s, not an object with \"images\"",
		               s->p->source,
		               s->root_kind == 2 ? "a list (detection results?)"
		                                 : "a single value");
	/* where the whole-document reader says it stopped: on text after the value and at the
	 * end of a cut file, the byte before yajl's count; inside the value, yajl's count */
	if (chunk != NULL)
		position_advance(pos, chunk, at > n ? n : at);
	if ((chunk == NULL || s->root_done) && pos->col > 1)
		pos->col--;
	if (!pos->any)
		return err_set(s->err, "%s is empty", s->p->source);
	return err_set(s->err, "%s is not valid JSON: parsing stopped at line %d, column %d",
	               s->p->source, pos->line, pos->col);
}

static int pass_feed(struct stream *s, int fd, yajl_handle h, unsigned char *buf)
{
	struct position pos = {1, 1, 0};
	ssize_t n;
	size_t skip;
	int first = 1;

	while ((n = read(fd, buf, STREAM_CHUNK)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_setk(s->err, ERR_IO, "cannot read %s: %s", s->p->source,
			                strerror(errno));
		/* a byte-order mark, as some Windows tools write */
		skip = first && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		first = 0;
		if (yajl_parse(h, buf + skip, (size_t)n - skip) != yajl_status_ok)
			return syntax_error(s, h, &pos, buf + skip, (size_t)n - skip);
		position_advance(&pos, buf + skip, (size_t)n - skip);
		s->bytes += n;
		if (report_progress(s) < 0)
			return -1;
	}
	if (yajl_complete_parse(h) != yajl_status_ok || s->root_kind == 0)
		return syntax_error(s, h, &pos, NULL, 0);
	return 0;
}

static int stream_pass(struct stream *s, int pass)
{
	unsigned char *buf = malloc(STREAM_CHUNK);
	yajl_handle h = yajl_alloc(&callbacks, NULL, s);
	int fd = -1, rc = -1;

	s->pass = pass;
	s->depth = 0;
	s->nimages = 0;
	s->bytes = 0;
	s->next_progress = 0;
	s->root_kind = 0;
	s->root_done = 0;
	memset(s->seen, 0, sizeof s->seen);
	if (buf == NULL || h == NULL) {
		err_set(s->err, "out of memory reading %s", s->p->source);
		goto out;
	}
	/* cJSON does not check strings for UTF-8 either: the same files are accepted */
	yajl_config(h, yajl_dont_validate_strings, 1);
	fd = open(s->json_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_setk(s->err, ERR_IO, "cannot open %s: %s", s->json_path, strerror(errno));
		goto out;
	}
	rc = pass_feed(s, fd, h, buf);
out:
	if (fd >= 0)
		close(fd);
	if (h != NULL)
		yajl_free(h);
	free(buf);
	if (s->nstack > 0)
		cJSON_Delete(s->stack[0]); /* a value cut short: the rest hangs off it */
	s->nstack = 0;
	s->building = 0;
	return rc;
}

/* ---- the whole ------------------------------------------------------------------------- */

/* After the first pass: the head is complete and goes to the sink. */
static int head_finish(struct stream *s)
{
	if (coco_read_top(s->p, s->top, s->json_path) < 0 || coco_categories_done(s->p) < 0)
		return err_set(s->err, "out of memory reading %s", s->p->source);
	if (!s->kind_of[SEC_IMAGES])
		return err_set(s->err, "not a COCO file: %s has no \"images\" list", s->p->source);
	if (s->seen[SEC_CATEGORIES] && !s->kind_of[SEC_CATEGORIES] &&
	    dataset_doc_warn(s->p->doc, "\"categories\" is not a list; ignored") < 0)
		return err_set(s->err, "out of memory");
	if (s->seen[SEC_ANNOTATIONS] && !s->kind_of[SEC_ANNOTATIONS] &&
	    dataset_doc_warn(s->p->doc, "\"annotations\" is not a list; ignored") < 0)
		return err_set(s->err, "out of memory");
	return s->sink->head(s->ctx, s->p->doc, s->err);
}

static int stream_all(struct stream *s)
{
	if (stream_pass(s, 1) < 0 || head_finish(s) < 0)
		return -1;
	s->ann.sizes = s->sizes;
	s->ann.nsizes = s->nsizes;
	if (stream_pass(s, 2) < 0)
		return -1;
	if (coco_images_done(s->p) < 0 || coco_images_finish(s->p) < 0)
		return err_set(s->err, "out of memory reading %s", s->p->source);
	return coco_ann_finish(&s->ann, s->err);
}

static int stream_check_file(const char *json_path, int64_t *size, struct err *err)
{
	struct stat st;

	if (stat(json_path, &st) < 0)
		return err_set(err, "cannot open %s: %s", json_path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return err_set(err, "%s is a folder, not a COCO file", json_path);
	if ((unsigned long long)st.st_size > COCO_MAX_BYTES)
		return err_setk(err, ERR_TOO_LARGE, "%s is larger than the %zu MiB limit",
		                json_path, COCO_MAX_BYTES >> 20);
	*size = (int64_t)st.st_size;
	return 0;
}

int coco_stream_file(const char *json_path, const char *images_dir, const struct doc_sink *sink,
                     void *ctx, struct dataset_doc **head, struct err *err)
{
	struct coco_parse p = {.source = json_path};
	struct stream s = {.p = &p, .sink = sink, .ctx = ctx, .err = err, .json_path = json_path};
	int rc = -1;

	*head = NULL;
	if (stream_check_file(json_path, &s.total, err) < 0)
		return -1;
	p.doc = dataset_doc_new();
	s.top = cJSON_CreateObject();
	if (p.doc == NULL || s.top == NULL ||
	    coco_finder_init(&p.finder, json_path, images_dir, err) < 0) {
		err_set(err, "out of memory");
		goto out;
	}
	p.images_dir_given = images_dir != NULL;
	s.ann = (struct coco_ann_ctx){.doc = p.doc,
	                              .images = &p.images,
	                              .labels = &p.labels,
	                              .emit = shape_emit,
	                              .emit_arg = &s};
	if (stream_all(&s) < 0)
		goto out;
	*head = p.doc;
	p.doc = NULL;
	rc = 0;
out:
	cJSON_Delete(s.top);
	free(s.top_key);
	free(s.key);
	free(s.sizes);
	coco_index_free(&p.images);
	coco_index_free(&p.labels);
	coco_finder_clear(&p.finder);
	dataset_doc_free(&p.doc);
	return rc;
}
