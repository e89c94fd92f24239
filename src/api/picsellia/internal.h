/* What the Picsellia client's files share: the client itself, the HTTP transport (http.c), the
 * validating JSON readers (json.c) and the readers of the platform's objects (objects.c). */
#ifndef ANNOTTY_API_PICSELLIA_INTERNAL_H
#define ANNOTTY_API_PICSELLIA_INTERNAL_H

#include "api/picsellia/picsellia.h"
#include "core/buf.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdatomic.h>
#include <stdint.h>

#define PXL_ROUTE_MAX 160 /* "GET /api/dataset/version/…/assets" */
#define PXL_WHERE_MAX 256 /* a route and an item: "GET …/assets: item 3" */

struct picsellia {
	char *host; /* scheme://host[:port], no path, no trailing slash */
	char *auth; /* "Authorization: Bearer <token>": only ever in a header list */
	char *ca_bundle;
	struct picsellia_config cfg; /* numbers with defaults applied; string members NULL */
	char *cfg_org_id;
	char *cfg_org_name;
	CURL *api;                  /* kept for connection reuse */
	struct curl_slist *headers; /* the API headers, rebuilt when the organization is known */
	CURL *store[PICSELLIA_PARALLEL_MAX]; /* storage handles: no API headers, ever */
	CURLM *multi;
	atomic_int cancel;
	uint64_t rng;
	struct picsellia_session session;
	struct picsellia_stats stats;
};

/* ---- http.c ----------------------------------------------------------------------------- */

/* Whether a request may be sent again after a failure that could have come after the server
 * acted on it (a dropped connection, a 502 or 504, an unreadable answer). */
enum pxl_replay { PXL_REPLAY_SAFE = 0, PXL_REPLAY_UNSAFE };

struct pxl_request {
	const char *method; /* GET, XGET, POST, PATCH, DELETE */
	const char *path;   /* "/api/..." with ids already in it */
	const char *query;  /* "a=b&c=d" (escaped), or NULL */
	const char *body;   /* JSON text, or NULL */
	enum pxl_replay replay;
};

struct pxl_response {
	long status;
	cJSON *json;       /* the parsed body of a 2xx answer (NULL when it had none) */
	int maybe_applied; /* the call failed in a way that leaves open whether the server acted
	                      on it (an answer lost or unreadable after the request went out) */
};

/* Sends an API request with the client's headers, retrying as the transport allows, and parses
 * a 2xx body as JSON. Returns 0 on a 2xx (not 208); -1 otherwise, with resp->status set when
 * the server answered and err naming the route. The caller owns resp->json (cJSON_Delete). */
int pxl_call(struct picsellia *p, const struct pxl_request *req, struct pxl_response *resp,
             struct err *err);
/* The route for messages: the method and the path with ids shown as "…". */
void pxl_route(const char *method, const char *path, char *out, size_t outsz);
/* Rebuilds the API header list (after the organization is chosen). */
int pxl_headers_build(struct picsellia *p, struct err *err);
/* Sleeps ms unless cancelled; returns -1 when cancelled. */
int pxl_sleep(struct picsellia *p, long ms);
/* The wait before attempt `attempt` (1 = the first retry): exponential with jitter. */
long pxl_backoff_ms(struct picsellia *p, int attempt);
int pxl_cancelled(struct picsellia *p);
/* Applies the options every handle shares (TLS, timeouts, proxies from the environment). */
void pxl_handle_common(struct picsellia *p, CURL *h);
/* Milliseconds of a monotonic clock. */
long long pxl_now_ms(void);
/* The err kind and message of a libcurl failure. */
int pxl_curl_error(CURLcode rc, const char *route, const char *detail, struct err *err);

/* A query string under construction (escaped keys and values). */
struct pxl_query {
	struct buf b;
};
void pxl_query_init(struct pxl_query *q);
int pxl_query_add(struct pxl_query *q, const char *key, const char *value);
int pxl_query_addl(struct pxl_query *q, const char *key, long value);
const char *pxl_query_str(struct pxl_query *q);
void pxl_query_free(struct pxl_query *q);
/* "/api/x/<escaped id>/y" from a format with %s for escaped segments; NULL when out of memory
 * or an id holds a character that must not be in a path. */
char *pxl_path(const char *fmt, ...);

/* ---- json.c: every read names the route, the item and the field ------------------------ */

/* Where a value came from, for messages: "GET /api/…/assets: item 3". */
struct pxl_at {
	char where[PXL_WHERE_MAX];
	const char *prefix; /* put before field names ("data."), or NULL */
};
void pxl_at_set(struct pxl_at *at, const char *route, int item);

/* Each reader follows a dotted path ("data.meta.width") from obj. The required ones fail with
 * ERR_PARSE on a missing, null or mistyped value; the optional ones (_opt) accept a missing or
 * null value (leaving *out NULL / the default) and fail only on a mistyped one. Strings are
 * copied: the caller owns *out (free). */
int pxl_jstr(const cJSON *obj, const char *path, const struct pxl_at *at, char **out,
             struct err *err);
int pxl_jstr_opt(const cJSON *obj, const char *path, const struct pxl_at *at, char **out,
                 struct err *err);
int pxl_jint(const cJSON *obj, const char *path, const struct pxl_at *at, long *out,
             struct err *err);
int pxl_jint_opt(const cJSON *obj, const char *path, const struct pxl_at *at, long def, long *out,
                 struct err *err);
int pxl_jnum(const cJSON *obj, const char *path, const struct pxl_at *at, double *out,
             struct err *err);
int pxl_jnum_opt(const cJSON *obj, const char *path, const struct pxl_at *at, double def,
                 double *out, struct err *err);
/* Borrowed pointers into obj. */
const cJSON *pxl_jobj(const cJSON *obj, const char *path, const struct pxl_at *at, struct err *err);
const cJSON *pxl_jarr(const cJSON *obj, const char *path, const struct pxl_at *at, struct err *err);
/* NULL without an error when missing or null; NULL with err set when mistyped (check
 * err->msg[0] after clearing, or use the _arr_opt form's return). */
int pxl_jarr_opt(const cJSON *obj, const char *path, const struct pxl_at *at, const cJSON **out,
                 struct err *err);
/* The {"items": [...], "count": N} envelope (count optional unless need_count). */
int pxl_envelope(const cJSON *json, const char *route, int need_count, const cJSON **items,
                 long *count, struct err *err);
/* The names of a tag array ([{"name": ...}, ...]); the caller owns *names. */
int pxl_tag_names(const cJSON *arr, const char *field, const struct pxl_at *at, char ***names,
                  int *n, struct err *err);
/* A JSON string literal of s (quoted, escaped); the caller owns it. */
char *pxl_json_quote(const char *s);

/* ---- objects.c: the platform's objects as the client's structs ------------------------- */

int pxl_parse_tag(const cJSON *j, const struct pxl_at *at, struct picsellia_tag *out,
                  struct err *err);
int pxl_parse_data(const cJSON *j, const struct pxl_at *at, struct picsellia_data *out,
                   struct err *err);
int pxl_parse_version(const cJSON *j, const struct pxl_at *at, struct picsellia_version *out,
                      struct err *err);
int pxl_parse_label(const cJSON *j, const struct pxl_at *at, struct label *out, struct err *err);
int pxl_parse_assignment(const cJSON *j, const struct pxl_at *at, struct picsellia_assignment *out,
                         struct err *err);
/* An asset; with_annotations reads "annotations" (assets/extended). */
int pxl_parse_asset(const cJSON *j, const struct pxl_at *at, int with_annotations,
                    const struct label *labels, int nlabels, struct picsellia_asset *out,
                    struct err *err);

/* ---- shapes.c --------------------------------------------------------------------------- */

/* The JSON array key of a kind's shapes ("rectangles"), its singular route ("rectangle"), or
 * NULL for a kind the platform has no route for. */
const char *pxl_shape_plural(enum shape_kind kind);
const char *pxl_shape_route(enum shape_kind kind);
/* One shape of kind from its JSON (§7.3; label_id or a label object); *label_id is the
 * caller's (free). */
int pxl_shape_parse(const cJSON *j, enum shape_kind kind, const struct pxl_at *at,
                    struct shape *out, char **label_id, struct err *err);
/* Every shape of an annotation object (its per-kind arrays), appended to asset. */
int pxl_annotation_shapes(const cJSON *ann, const struct pxl_at *at, const struct label *labels,
                          int nlabels, struct asset *asset, struct err *err);
/* The create body element of a shape ({"x":..,"label_id":..}); the caller owns it. */
cJSON *pxl_shape_create_json(const struct shape *s, const char *label_id);
/* The PATCH body with only what changed; NULL when out of memory. *changed tells whether
 * anything did. */
cJSON *pxl_shape_patch_json(const struct shape *base, const char *base_label,
                            const struct shape *mine, const char *label_id, int *changed);

/* ---- push.c helpers shared with tasks.c ------------------------------------------------- */

/* Turns a failed call into an answer's outcome (the kinds of §1.4). */
enum picsellia_outcome pxl_answer_from(struct picsellia_answer *ans, const struct err *err);
enum picsellia_outcome pxl_answer_done(struct picsellia_answer *ans);

#endif
