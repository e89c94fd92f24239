/* One interface for every source of datasets: a table of functions, one implementation per
 * platform or local format. It is shaped for paged remote sources first (Picsellia, and later
 * Segments.ai and Pictograph: see docs/ARCHITECTURE.md); a whole-file local format is the simple
 * case of it (one container, one page). Backends turn a source into domain values
 * (core/model.h) and platform-neutral changes (core/change.h) into their own requests; they
 * never touch SQLite or the screen. */
#ifndef ANNOTTY_API_BACKEND_H
#define ANNOTTY_API_BACKEND_H

#include <stdint.h>

#include "core/campaign.h"
#include "core/change.h"
#include "core/err.h"

struct buf;
struct dataset_doc;
struct doc_sink;
struct backend;

/* The containers a platform can list. */
enum container_kind {
	CONTAINER_DATALAKE = 0,
	CONTAINER_DATASET,
	CONTAINER_VERSION, /* what a pull goes through: a dataset version (a local file has one) */
	CONTAINER_CAMPAIGN,
	CONTAINER_STEP,
	CONTAINER_KIND_COUNT
};

/* Where the platform keeps the review state of an image. */
enum review_model {
	REVIEW_ON_ANNOTATION = 0, /* Picsellia: the annotation's status */
	REVIEW_ON_LABEL,          /* Segments.ai: the label's status per labelset */
	REVIEW_ON_IMAGE,          /* Pictograph: the image's status */
	REVIEW_LOCAL,             /* a local file: kept in the cache, written by export */
};

/* What a source has and takes. Bits are 1u << the enum value. */
struct backend_caps {
	unsigned containers;  /* enum container_kind */
	unsigned changes;     /* enum change_kind that push accepts */
	unsigned shape_kinds; /* enum shape_kind the source stores */
	enum review_model review;
	int page_max; /* the most items one page may ask for */
	int remote;   /* reached over the network: it can be offline */
	int tags;     /* assets carry tags */
};

/* A container as the platform lists it. */
struct container {
	enum container_kind kind;
	char *ext_id;
	char *parent_ext_id; /* a version's dataset, a step's campaign; NULL for none */
	char *name;          /* a dataset's or version's name, a step's name */
	char *type;          /* a version's inference type, a step's type; may be NULL */
	int64_t count;       /* items in it when the platform says, else -1 */
	int position;        /* a step's order */
	char *extra_json;    /* fields kept as they came (a campaign's instructions) */
};

struct container_list {
	struct container *items;
	int n;
};

/* One page of a pull: labels and assets with their shapes, tags and review state. */
struct backend_page {
	struct dataset_doc *doc; /* owned by the page; the labels are the container's, complete */
	char *next_cursor;       /* where the next page starts; NULL after the last one */
	int64_t total;           /* assets in the whole container when known, else -1 */
};

/* One page of a datalake's items. */
struct data_page {
	struct data_item *items; /* owned by the page */
	int n;
	char *next_cursor; /* NULL after the last page */
	int64_t total;     /* items in the datalake when known, else -1 */
};

/* One page of a campaign step's assignments: the current task of each asset in the step. */
struct task_page {
	struct assignment *items; /* owned by the page */
	int n;
	char *next_cursor;
	int64_t total;
};

/* Who the token belongs to on the platform. */
struct backend_user {
	char *ext_id;
	char *username;
};

/* Where an image's bytes are: the backend fills what it knows when it pulls the asset. */
struct image_ref {
	const char *asset_ext_id;
	const char *data_ext_id;
	const char *path; /* a local file; NULL for remote images */
};

enum push_outcome {
	PUSH_DONE = 0, /* the source has the change */
	PUSH_CONFLICT, /* the source changed the same object: theirs holds its value */
	PUSH_RETRY,    /* not now (offline, rate limit, 5xx): retry_after seconds, 0 = back off */
	PUSH_REFUSED,  /* never: the source will not take it (reason says why) */
};

struct push_answer {
	enum push_outcome outcome;
	int retry_after;
	char *created_ext_id; /* PUSH_DONE of a create: the id the source gave the object */
	char *theirs_json;    /* PUSH_CONFLICT: the source's current value, as change JSON */
	char reason[ERR_MSG_MAX];
};

struct backend_ops {
	const char *kind; /* "coco", "picsellia", ... */
	void (*caps)(const struct backend *b, struct backend_caps *out);
	/* The containers of a kind, inside parent_ext_id (NULL: the top level). The caller owns
	 * out (container_list_clear). */
	int (*list)(struct backend *b, enum container_kind kind, const char *parent_ext_id,
	            struct container_list *out, struct err *err);
	/* One page of a version's content, from cursor (NULL: the start). The caller owns out
	 * (backend_page_clear). A cursor is the backend's own text, stored by the cache so that
	 * an interrupted pull resumes where it stopped. */
	int (*pull)(struct backend *b, const char *version_ext_id, const char *cursor,
	            struct backend_page *out, struct err *err);
	/* The whole dataset delivered piece by piece to sink (core/doc_sink.h), in bounded
	 * memory; *head (the caller frees it) holds the labels and the warnings. NULL when the
	 * source has no such reader (pull it instead). */
	int (*stream)(struct backend *b, const struct doc_sink *sink, void *ctx,
	              struct dataset_doc **head, struct err *err);
	/* One page of a datalake's items with their tags, from cursor (NULL: the start). NULL
	 * when the source has no datalake. The caller owns out (data_page_clear). */
	int (*pull_data)(struct backend *b, const char *datalake_ext_id, const char *cursor,
	                 struct data_page *out, struct err *err);
	/* The user the source knows us as (the caller clears it with backend_user_clear). */
	int (*whoami)(struct backend *b, struct backend_user *out, struct err *err);
	/* The people of the organization, so that assignees show by name (the caller frees the
	 * list with backend_users_free). NULL when the source has none. */
	int (*users)(struct backend *b, struct backend_user **out, int *n, struct err *err);
	/* The campaign of a version with its steps in order: 0 with *cp and *steps (the caller
	 * clears them), 1 when the version has none. */
	int (*campaign_of)(struct backend *b, const char *version_ext_id, struct campaign *cp,
	                   struct campaign_step **steps, int *nsteps, struct err *err);
	/* One page of a step's assignments (of every user), from cursor (NULL: the start). */
	int (*pull_tasks)(struct backend *b, const char *version_ext_id, const char *step_ext_id,
	                  const char *cursor, struct task_page *out, struct err *err);
	/* Several images at once into the files paths[i] (each written whole or not at all), as
	 * many in parallel as the backend allows; ok[i] says which came. -1 when none could be
	 * tried (offline, refused); NULL when the backend fetches one at a time. */
	int (*fetch_images)(struct backend *b, const struct image_ref *refs,
	                    const char *const *paths, int n, int *ok, struct err *err);
	/* The bytes of one image into out (within out's cap). */
	int (*fetch_image)(struct backend *b, const struct image_ref *ref, struct buf *out,
	                   struct err *err);
	/* The source's current value of what ch changes, as a change of the same kind (status,
	 * shape, tags) in *theirs (the caller clears it); 0 when found, 1 when the object is gone
	 * on the source, -1 on failure. NULL when the source keeps revisions or cannot tell. */
	int (*current)(struct backend *b, const struct change *ch, struct change *theirs,
	               struct err *err);
	/* Sends one change. Fails (-1) only when it could not tell what happened; every answer
	 * of the source, good or bad, is in *ans (the caller clears it with push_answer_clear). */
	int (*push)(struct backend *b, const struct change *ch, struct push_answer *ans,
	            struct err *err);
	/* Writes a whole dataset in the backend's format to out_path (local formats; NULL when
	 * the backend has no file to write). */
	int (*save)(struct backend *b, const struct dataset_doc *doc, const char *out_path,
	            struct err *err);
	void (*close)(struct backend *b);
};

struct backend {
	const struct backend_ops *ops;
	char *locator;     /* what identifies the source: an absolute file path, a platform URL */
	char *fingerprint; /* changes when the content changes (local files); NULL for remote */
	void *priv;        /* the implementation's own state */
};

/* What to open: a local path, or a configured remote source. */
struct backend_locator {
	const char *kind;       /* NULL or "auto": decided from the path */
	const char *path;       /* local sources */
	const char *images_dir; /* local sources: the --images override, or NULL */
	const char *host;       /* remote sources: base URL */
	const char *organization;
	const char *token; /* remote sources; never logged or shown */
	const char *ca_bundle;
};

/* How an export puts the images beside the annotations it writes. */
enum export_images {
	EXPORT_IMAGES_NONE = 0, /* the annotations name the images where they are */
	EXPORT_IMAGES_LINK,     /* a symbolic link to each image */
	EXPORT_IMAGES_COPY,     /* a copy of each image */
};

/* What an export writes. */
struct export_options {
	const char *format; /* coco, voc, yolo, labelme */
	enum export_images images;
};

/* Opens a source through the table of known backends. The caller owns *out (backend_close). */
int backend_open(const struct backend_locator *loc, struct backend **out, struct err *err);
/* Opens a local COCO dataset: a COCO JSON file, or a folder holding one. images_dir may be
 * NULL. (backend_open_local_as detects the format.) */
int backend_open_local(const char *path, const char *images_dir, struct backend **out,
                       struct err *err);
/* The same, read as format (NULL: detected from the path; else coco, voc, yolo, labelme, cvat
 * or images: a --format forcing it). */
int backend_open_local_as(const char *path, const char *format, const char *images_dir,
                          struct backend **out, struct err *err);
/* A backend that writes a dataset in o->format: its save takes a file (coco: "-" is standard
 * output) or a folder (voc, yolo, labelme). source (may be NULL) is where the dataset came from:
 * a COCO export from a COCO source writes every value the user did not change as the source
 * had it. The caller owns *out (backend_close); source must outlive it. */
int backend_writer_open(const struct export_options *o, const struct backend *source,
                        struct backend **out, struct err *err);
/* The local formats annotty reads, for messages: "coco (COCO JSON), voc (...), ...". The
 * text is static. */
const char *backend_local_formats(void);
void backend_close(struct backend **b);

void backend_caps_get(const struct backend *b, struct backend_caps *out);
int backend_list(struct backend *b, enum container_kind kind, const char *parent_ext_id,
                 struct container_list *out, struct err *err);
int backend_pull(struct backend *b, const char *version_ext_id, const char *cursor,
                 struct backend_page *out, struct err *err);
int backend_fetch_image(struct backend *b, const struct image_ref *ref, struct buf *out,
                        struct err *err);
/* Images into files, in parallel where the backend can (one at a time otherwise). */
int backend_fetch_images(struct backend *b, const struct image_ref *refs, const char *const *paths,
                         int n, int *ok, struct err *err);
int backend_pull_data(struct backend *b, const char *datalake_ext_id, const char *cursor,
                      struct data_page *out, struct err *err);
void data_page_clear(struct data_page *p);
int backend_whoami(struct backend *b, struct backend_user *out, struct err *err);
int backend_campaign_of(struct backend *b, const char *version_ext_id, struct campaign *cp,
                        struct campaign_step **steps, int *nsteps, struct err *err);
int backend_pull_tasks(struct backend *b, const char *version_ext_id, const char *step_ext_id,
                       const char *cursor, struct task_page *out, struct err *err);
void task_page_clear(struct task_page *p);
void backend_user_clear(struct backend_user *u);
int backend_users(struct backend *b, struct backend_user **out, int *n, struct err *err);
void backend_users_free(struct backend_user **users, int n);
int backend_current(struct backend *b, const struct change *ch, struct change *theirs,
                    struct err *err);
int backend_push(struct backend *b, const struct change *ch, struct push_answer *ans,
                 struct err *err);
int backend_save(struct backend *b, const struct dataset_doc *doc, const char *out_path,
                 struct err *err);
/* Reads a whole local source: its one version's one page. The caller owns *out. */
int backend_load(struct backend *b, struct dataset_doc **out, struct err *err);

void container_list_clear(struct container_list *l);
void backend_page_clear(struct backend_page *p);
void push_answer_clear(struct push_answer *a);
/* Fills ans as an answer of that outcome, reason formatted; returns 0. */
int push_answer_set(struct push_answer *ans, enum push_outcome outcome, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
