/* A scripted in-memory backend for the sync engine's tests: a remote-like source of n assets
 * served in pages, which can be told to fail a page, to answer pushes with conflicts or
 * retries, and whose "server state" the tests read and change. It goes through the same
 * struct backend as the platforms do. */
#ifndef ANNOTTY_TESTS_BACKEND_SCRIPT_H
#define ANNOTTY_TESTS_BACKEND_SCRIPT_H

#include "api/backend.h"
#include "core/model.h"

#define SCRIPT_MAX_ASSETS 200
#define SCRIPT_MAX_LOG    200

/* What the server holds per asset. */
struct script_asset {
	enum review_status status;
	struct rect box; /* its one shape, label "car" */
	char label[32];
	int tagged; /* carries the tag "night" */
	int gone;   /* deleted on the server */
};

struct script {
	int nassets;
	int page_size;
	int fail_page;        /* the page index (from 0) whose next request fails once; -1 none */
	int cursors_asked;    /* requests made */
	char cursors[32][16]; /* the cursor of each request ("-" for the start) */
	/* pushes, in the order received */
	int npushed;
	enum change_kind pushed[SCRIPT_MAX_LOG];
	char pushed_ext[SCRIPT_MAX_LOG][40]; /* the shape or asset id each addressed */
	/* the answer to give to the next push instead of applying it */
	enum push_outcome next_answer;
	int next_retry_after;
	int next_shape_id;
	struct script_asset assets[SCRIPT_MAX_ASSETS];
};

/* A backend over s (which the caller keeps alive until backend_close). */
int script_backend_open(struct script *s, struct backend **out);
void script_init(struct script *s, int nassets, int page_size);

#endif
