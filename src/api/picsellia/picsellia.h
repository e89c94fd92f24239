/* The Picsellia platform client: its REST API (spec/picsellia-api.md) turned into domain values
 * and typed answers. No SQLite, no screen; one client is used by one thread at a time (only
 * picsellia_cancel may be called from another). */
#ifndef ANNOTTY_API_PICSELLIA_H
#define ANNOTTY_API_PICSELLIA_H

#include "core/err.h"
#include "core/model.h"

#include <stddef.h>

/* The largest page the platform is ever asked for (spec §1.6, §11.2). */
#define PICSELLIA_PAGE_MAX 1000
/* The most image downloads run at once by picsellia_download_many. */
#define PICSELLIA_PARALLEL_MAX 16

struct picsellia;

/* How to reach the platform. Strings are copied by picsellia_new; zero numbers mean the
 * defaults given beside them. */
struct picsellia_config {
	const char *host;     /* "https://app.picsellia.com"; a path part is dropped (spec §1.1) */
	const char *token;    /* the API token, required */
	const char *org_id;   /* the organization to use, or NULL */
	const char *org_name; /* looked up with /api/organizations/find when org_id is NULL */
	const char *ca_bundle; /* a CA bundle file for TLS verification, or NULL for the system's */
	long connect_timeout_ms;  /* 10000 */
	long timeout_ms;          /* one API request at most, 300000 */
	long low_speed_time_s;    /* a body stalled (under 1 byte/s) this long fails, 20 */
	int max_attempts;         /* attempts of one call, retries included, 5 */
	long retry_budget_ms;     /* all attempts of one call together, 120000 */
	int retry_after_cap_s;    /* the longest Retry-After honoured in a call, 30 */
	size_t max_body;          /* an API response body at most, 64 MiB */
	size_t max_image;         /* an image at most, 256 MiB */
	long download_timeout_ms; /* one image download at most, 120000 */
};

/* Who we are once connected. Owned by the client. */
struct picsellia_session {
	char *username;
	char *sdk_version;    /* what the ping announced */
	char *default_org_id; /* the ping's default organization, or NULL */
	char *org_id;         /* the organization in use */
	char *org_name;
	char *default_connector_id; /* or NULL */
	char *user_id;              /* our own user id in the organization, or NULL until asked */
};

/* Counters for benchmarks and tests. */
struct picsellia_stats {
	long requests; /* HTTP attempts, retries included */
	long retries;
	long long bytes_in; /* response bytes (decompressed) */
};

/* Creates a client without touching the network. The caller owns *out (picsellia_free). */
int picsellia_new(const struct picsellia_config *cfg, struct picsellia **out, struct err *err);
void picsellia_free(struct picsellia **p);

/* Pings, chooses the organization (the config's id, else its name, else the ping's default;
 * spec §2.2), reads it, and from then on sends X-Picsellia-Organization. */
int picsellia_connect(struct picsellia *p, struct err *err);
/* Valid after picsellia_connect; owned by the client. */
const struct picsellia_session *picsellia_session(const struct picsellia *p);
/* Looks up (once) and returns our own user id in the organization; owned by the client. */
const char *picsellia_user_id(struct picsellia *p, struct err *err);

/* Makes the call in progress, and every later one until picsellia_cancel_reset, fail soon
 * (ERR_FAILED, "cancelled"). Safe from any thread. */
void picsellia_cancel(struct picsellia *p);
void picsellia_cancel_reset(struct picsellia *p);
void picsellia_stats_get(const struct picsellia *p, struct picsellia_stats *out);

/* ---- Browse: small structs for what core/model.h does not hold ------------------------- */

struct picsellia_datalake {
	char *id;
	char *name;
	char *connector_id; /* or NULL */
};

struct picsellia_tag {
	char *id;
	char *name;
	char *target_type; /* "DATA", "ASSET", ... */
};

struct picsellia_data {
	char *id;
	char *filename;
	char *object_name;
	char *content_type;
	char *type;          /* "IMAGE" or "VIDEO" */
	char *upload_status; /* "PENDING", "COMPUTING", "ERROR", "DONE" */
	char *presigned_url; /* or NULL */
	int width;           /* 0 unless upload_status is DONE */
	int height;
	char **tags; /* tag names, when the listing carried them */
	int ntags;
	char *extra_json; /* {"metadata":..., "custom_metadata":...} when present, or NULL */
};

struct picsellia_dataset {
	char *id;
	char *name;
};

struct picsellia_version {
	char *id;
	char *origin_id;
	char *origin_name; /* the dataset's name */
	char *version;     /* the version's name */
	char *type;        /* "OBJECT_DETECTION", ... */
	char *campaign_id; /* annotation_campaign_id, or NULL */
};

/* A campaign task (spec §12.1, the project's assumption). */
struct picsellia_assignment {
	char *id;
	char *asset_id; /* or NULL when the server did not say */
	char *step_id;
	char *user_id; /* NULL when assigned to nobody (skipped) */
	char *status;  /* "PENDING", "SUBMITTED", "ACCEPTED", "REJECTED", "SKIPPED" */
	int rejected_count;
	char *comment; /* or NULL */
};

/* An asset of a dataset version. asset.ext_id is the asset id; asset.status, asset.shapes and
 * the annotation fields come from assets/extended only (plain listings leave them empty);
 * a shape's label is an index into the labels given to the listing call, -1 when its
 * label_id is not among them (the id is then kept in the shape's extra_json). */
struct picsellia_asset {
	struct asset asset;
	char *data_id;
	char *presigned_url; /* or NULL */
	char *content_type;
	char *annotation_id; /* the latest annotation, or NULL */
	double duration;
	int nannotations; /* how many annotations the asset has (only the latest is read) */
	char **data_tags; /* the data item's tags (the asset's own are in asset.tags) */
	int ndata_tags;
	int has_assignment;
	struct picsellia_assignment assignment; /* listings filtered by assignment (§12.1) */
};

struct picsellia_campaign {
	char *id;
	char *dataset_version_id;
	char *name;              /* or NULL (deprecated on the platform) */
	char *instructions_text; /* or NULL */
};

struct picsellia_step {
	char *id;
	char *name;
	char *type; /* "ANNOTATION", "REVIEW", "QUALITY_CONTROL" */
	int order;
	char *description; /* or NULL */
	char **assignees;  /* the users' ids (the step's "assignees"), or NULL */
	int nassignees;
};

/* Filters of the datalake listing (spec §3.3, §3.4). Any of it may be zero/NULL. */
struct picsellia_data_filter {
	const char *const *tags; /* tag names */
	int ntags;
	int all_of;                         /* every tag (intersect) rather than any of them */
	const char *q;                      /* the platform's query language, passed through */
	const char *const *upload_statuses; /* NULL: all four, as the SDK sends */
	int nupload_statuses;
	const char *const *types; /* NULL: IMAGE and VIDEO */
	int ntypes;
};

/* Filters of a version's asset listing (spec §6.4, §12.3). */
struct picsellia_asset_filter {
	const char *const *tags; /* asset tags */
	int ntags;
	int all_of;
	const char *const *data_tags;
	int ndata_tags;
	int data_all_of;
	const char *q;
	const char *assignment_step_id;
	const char *assignment_user_id;
	const char *assignment_status;
};

/* One page of a listing: items[0..n), the total count the server reported, and the cursor to
 * resume from (an offset, opaque to callers: store it, pass it back), -1 after the last page. */
/* One page of a listing: items[0..n), the total count the server reported, and the cursor to
 * resume from (an offset, opaque to callers: store it, pass it back), -1 after the last page. */
struct picsellia_data_page {
	struct picsellia_data *items;
	int n;
	long count;
	long next;
};
struct picsellia_asset_page {
	struct picsellia_asset *items;
	int n;
	long count;
	long next;
};

/* Whole (small) lists, fetched page by page. The caller owns *items and frees them with the
 * matching *_list_free. */
int picsellia_datalakes(struct picsellia *p, struct picsellia_datalake **items, int *n,
                        struct err *err);
/* The organization's default datalake. The caller owns *out (picsellia_datalake_clear). */
int picsellia_datalake_default(struct picsellia *p, struct picsellia_datalake *out,
                               struct err *err);
int picsellia_data_tags(struct picsellia *p, const char *datalake_id, struct picsellia_tag **items,
                        int *n, struct err *err);
int picsellia_asset_tags_list(struct picsellia *p, const char *version_id,
                              struct picsellia_tag **items, int *n, struct err *err);
int picsellia_datasets(struct picsellia *p, struct picsellia_dataset **items, int *n,
                       struct err *err);
int picsellia_versions(struct picsellia *p, const char *dataset_id,
                       struct picsellia_version **items, int *n, struct err *err);
int picsellia_version_get(struct picsellia *p, const char *version_id,
                          struct picsellia_version *out, struct err *err);
/* Labels as domain labels: ext_id the label id, extra_json {"group_id":...} when set. */
int picsellia_labels(struct picsellia *p, const char *version_id, struct label **items, int *n,
                     struct err *err);
int picsellia_campaigns(struct picsellia *p, struct picsellia_campaign **items, int *n,
                        struct err *err);
int picsellia_campaign_get(struct picsellia *p, const char *campaign_id,
                           struct picsellia_campaign *out, struct err *err);
int picsellia_steps(struct picsellia *p, const char *campaign_id, struct picsellia_step **items,
                    int *n, struct err *err);

/* One page (limit clamped to 1..PICSELLIA_PAGE_MAX) from cursor `from` (0 for the start).
 * The caller owns out's items (picsellia_*_page_clear). */
int picsellia_data_page(struct picsellia *p, const char *datalake_id,
                        const struct picsellia_data_filter *f, long from, int limit,
                        struct picsellia_data_page *out, struct err *err);
int picsellia_assets_page(struct picsellia *p, const char *version_id,
                          const struct picsellia_asset_filter *f, long from, int limit,
                          const struct label *labels, int nlabels, struct picsellia_asset_page *out,
                          struct err *err);
/* Assets with their latest annotation and its shapes (assets/extended): the efficient pull,
 * one request per PICSELLIA_PAGE_MAX assets, filtered as picsellia_assets_page is. labels
 * resolve the shapes' label ids. */
int picsellia_assets_extended_page(struct picsellia *p, const char *version_id,
                                   const struct picsellia_asset_filter *f, long from, int limit,
                                   const struct label *labels, int nlabels,
                                   struct picsellia_asset_page *out, struct err *err);
/* One asset by id (GET /api/asset/{id}, with its tags). The caller owns *out. */
int picsellia_asset_get(struct picsellia *p, const char *asset_id, struct picsellia_asset *out,
                        struct err *err);
/* One data item by id (with its tags). The caller owns *out. */
int picsellia_data_get(struct picsellia *p, const char *data_id, struct picsellia_data *out,
                       struct err *err);

/* The platform query text for tag filters (spec §3.4): any-of `tags.name in ("a","b")`, all-of
 * `tags.name = "a" and tags.name = "b"`, prefix "data." for data tags. NULL for no tags. The
 * caller owns the string (free). */
char *picsellia_q_tags(const char *prefix, const char *const *names, int n, int all_of);

void picsellia_datalake_clear(struct picsellia_datalake *d);
void picsellia_tag_clear(struct picsellia_tag *t);
void picsellia_data_clear(struct picsellia_data *d);
void picsellia_dataset_clear(struct picsellia_dataset *d);
void picsellia_version_clear(struct picsellia_version *v);
void picsellia_assignment_clear(struct picsellia_assignment *a);
void picsellia_asset_clear(struct picsellia_asset *a);
void picsellia_campaign_clear(struct picsellia_campaign *c);
void picsellia_step_clear(struct picsellia_step *s);
void picsellia_datalake_list_free(struct picsellia_datalake **items, int n);
void picsellia_tag_list_free(struct picsellia_tag **items, int n);
void picsellia_dataset_list_free(struct picsellia_dataset **items, int n);
void picsellia_version_list_free(struct picsellia_version **items, int n);
void picsellia_label_list_free(struct label **items, int n);
void picsellia_campaign_list_free(struct picsellia_campaign **items, int n);
void picsellia_step_list_free(struct picsellia_step **items, int n);
void picsellia_data_page_clear(struct picsellia_data_page *page);
void picsellia_asset_page_clear(struct picsellia_asset_page *page);

/* ---- Image bytes ------------------------------------------------------------------------ */

/* One image to fetch through its presigned URL, never with the API token (spec §5.3). */
struct picsellia_download {
	const char *data_id;  /* to ask for a fresh URL (on 403 or when url is NULL) */
	const char *url;      /* the listing's presigned_url, or NULL */
	const char *path;     /* write here (through path.part, renamed when complete), or */
	unsigned char *bytes; /* NULL: the bytes end up here, owned by the caller (free) */
	size_t len;
	int status;     /* out: 0 done, -1 failed (err says why) */
	struct err err; /* out */
};

/* Fetches items[0..n) with at most `parallel` (1..PICSELLIA_PARALLEL_MAX) at once. Each item
 * succeeds or fails alone; returns 0 when every item succeeded, -1 otherwise (err then holds
 * the first failure). */
int picsellia_download_many(struct picsellia *p, struct picsellia_download *items, int n,
                            int parallel, struct err *err);
/* A fresh presigned URL for a data item. The caller owns *url (free). */
int picsellia_presigned_url(struct picsellia *p, const char *data_id, char **url, struct err *err);

/* ---- Pushes: typed answers -------------------------------------------------------------- */

enum picsellia_outcome {
	PICSELLIA_DONE = 0, /* the server confirmed it */
	PICSELLIA_CONFLICT, /* the object changed or is locked beside us (409, 423), or is gone
	                       (404 on an update); current_json holds the server's value when known
	                     */
	PICSELLIA_RETRY,    /* not applied now (network, 429, 5xx): try again after retry_after s;
	                       for a create it may have been applied: compare before resending */
	PICSELLIA_REFUSED,  /* the server will not do it: err says why (ERR_AUTH means the token is
	                       refused: keep the edit and stop, ERR_FORBIDDEN, ERR_USAGE, ...) */
};

struct picsellia_answer {
	enum picsellia_outcome outcome;
	int retry_after;    /* PICSELLIA_RETRY: seconds, 0 when the server did not say */
	struct err err;     /* why, for every outcome but DONE */
	int maybe_applied;  /* PICSELLIA_RETRY of a create or a task decision: the server may have
	                       acted on it (its answer was lost); see picsellia_shape_create */
	char *new_id;       /* a created object's id (shape, label, annotation), or NULL */
	char *current_json; /* PICSELLIA_CONFLICT: the server's current value, or NULL */
};

void picsellia_answer_clear(struct picsellia_answer *a);

/* Sets the latest annotation's status (creating the annotation when the asset has none).
 * annotation_id may be NULL (it is then looked up). */
enum picsellia_outcome picsellia_status_push(struct picsellia *p, const char *asset_id,
                                             const char *annotation_id, enum review_status status,
                                             struct picsellia_answer *ans);
/* Attaches (attach != 0) or detaches a tag by name on an asset of version_id; the tag is
 * created in the version when missing. */
enum picsellia_outcome picsellia_asset_tag_push(struct picsellia *p, const char *version_id,
                                                const char *asset_id, const char *tag, int attach,
                                                struct picsellia_answer *ans);
/* The same for a data item of a datalake. */
enum picsellia_outcome picsellia_data_tag_push(struct picsellia *p, const char *datalake_id,
                                               const char *data_id, const char *tag, int attach,
                                               struct picsellia_answer *ans);
/* Creates a shape (image pixels) with label label_id on the asset's latest annotation (made
 * when there is none); ans->new_id is the new shape's id. resend: an earlier call for this
 * same shape answered RETRY with maybe_applied, or is replayed after a crash: the annotation
 * is looked at first, and an identical shape there is taken as the one that call made. */
enum picsellia_outcome picsellia_shape_create(struct picsellia *p, const char *asset_id,
                                              const struct shape *s, const char *label_id,
                                              int resend, struct picsellia_answer *ans);
/* Updates a shape with only what differs between base and mine (geometry, text, label id). */
enum picsellia_outcome picsellia_shape_update(struct picsellia *p, const char *shape_id,
                                              const struct shape *base, const char *base_label,
                                              const struct shape *mine, const char *label_id,
                                              struct picsellia_answer *ans);
/* Deletes a shape; one already gone counts as done (a replay must not fail). */
enum picsellia_outcome picsellia_shape_delete(struct picsellia *p, enum shape_kind kind,
                                              const char *shape_id, struct picsellia_answer *ans);
/* Creates a label; when it exists already (409) its id is looked up. ans->new_id is the id. */
enum picsellia_outcome picsellia_label_push(struct picsellia *p, const char *version_id,
                                            const char *name, struct picsellia_answer *ans);

/* ---- The server's current values, to compare with the base an edit was made on ------------ */

/* The latest annotation of an asset: *annotation_id (caller frees; NULL when the asset has
 * none, which is not an error) and its status. */
int picsellia_annotation_current(struct picsellia *p, const char *asset_id, char **annotation_id,
                                 enum review_status *status, struct err *err);
/* A shape as the server has it; out is the caller's (shape_clear), *label_id too (free).
 * ERR_NOT_FOUND when it is gone. */
int picsellia_shape_current(struct picsellia *p, enum shape_kind kind, const char *shape_id,
                            struct shape *out, char **label_id, struct err *err);
/* An asset's tag names; the caller owns *tags (each and the array). */
int picsellia_asset_tags_current(struct picsellia *p, const char *asset_id, char ***tags,
                                 int *ntags, struct err *err);
int picsellia_data_tags_current(struct picsellia *p, const char *data_id, char ***tags, int *ntags,
                                struct err *err);
void picsellia_names_free(char ***names, int n);

/* ---- Campaign tasks (spec §12: the project's assumption; see tasks.c) -------------------- */

enum picsellia_task_action {
	PICSELLIA_TASK_SUBMIT = 0, /* ANNOTATION step; sends duration */
	PICSELLIA_TASK_ACCEPT,     /* REVIEW step */
	PICSELLIA_TASK_REJECT,     /* REVIEW step; sends comment */
	PICSELLIA_TASK_SKIP,
};

/* Decides a task. On DONE, *next (when not NULL) holds the asset's new current assignment
 * (has_next set to 0 when the asset is done); the caller owns it. A 409 (someone acted first)
 * and a 403 (no longer ours) are conflicts. */
enum picsellia_outcome picsellia_task_decide(struct picsellia *p, const char *assignment_id,
                                             enum picsellia_task_action action, double duration,
                                             const char *comment, struct picsellia_assignment *next,
                                             int *has_next, struct picsellia_answer *ans);
/* "My tasks" of a step: the filter for picsellia_assets_page (assignment status PENDING and
 * our own user id), filled into *f; user_id must stay alive while f is used. */
int picsellia_tasks_filter(struct picsellia *p, const char *step_id,
                           struct picsellia_asset_filter *f, struct err *err);

#endif
