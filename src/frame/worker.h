/* The render worker: one thread (a core/workq queue) that turns frame requests into terminal
 * bytes with frame_build's code, so that the main loop never waits on a decode; and the frame
 * pipe, the main thread's side of it, which keeps finished frames in a frame_store and knows
 * which one the pane wants. The worker never touches SQLite, curses or the terminal: each
 * request carries deep copies of what it draws, and results come back as the queue's messages,
 * announced on its wake-up pipe. Main thread only, but for the thread inside. */
#ifndef ANNOTTY_FRAME_WORKER_H
#define ANNOTTY_FRAME_WORKER_H

#include <stdint.h>

#include "core/workq.h"
#include "frame/frame.h"
#include "frame/store.h"

struct err;

/* Frames the pane waits for go before prefetches of the neighbours. */
enum worker_priority { WORKER_NOW = 0, WORKER_PREFETCH = 1 };

/* A finished request. */
struct worker_result {
	struct worker_result *next;
	struct frame_key key;
	uint64_t generation; /* the request's, as last submitted (a later submit may raise it) */
	enum worker_priority priority;
	int ok;               /* 0: no frame at all; error says why */
	unsigned char *bytes; /* the frame (malloc'ed, NUL-terminated), owned by the result */
	size_t len;
	struct frame_result res;
	char error[256];
	struct workq_msg link; /* the worker's */
};

struct worker;

/* Starts the thread. The caller owns the worker and ends it with worker_stop, which waits for
 * the frame being built and drops the rest. */
struct worker *worker_start(struct err *err);
void worker_stop(struct worker **w);
/* Readable when results wait: for the main loop's poll(). */
int worker_fd(const struct worker *w);

/* Queues a frame of asset drawn as spec (both deep-copied, marks included). A request with
 * the same key already queued or being built is not built twice: it takes the new generation
 * (and, for WORKER_NOW, moves ahead of the prefetches). A WORKER_NOW request drops the older
 * WORKER_NOW ones still queued: the pane wants one frame at a time. */
int worker_submit(struct worker *w, const struct asset_detail *asset, const struct frame_spec *spec,
                  const struct frame_key *key, uint64_t generation, enum worker_priority prio,
                  struct err *err);
/* Whether a frame with that key is queued, being built, or built and not collected yet. */
int worker_has(struct worker *w, const struct frame_key *key);
/* Forgets the queued prefetches (the neighbours of an asset no longer shown). */
void worker_drop_prefetch(struct worker *w);
/* Takes every finished result (oldest first), after draining the wake-up pipe; the caller
 * frees the list with worker_results_free. */
struct worker_result *worker_collect(struct worker *w);
void worker_results_free(struct worker_result **list);
/* Frames built since the start: for tests. */
unsigned long worker_builds(struct worker *w);

/* ---- The main thread's side --------------------------------------------------------------- */

enum frame_state { FRAME_READY, FRAME_WAITING, FRAME_FAILED };

struct frame_pipe {
	struct worker *worker;    /* NULL: frames are built inline (no thread could be started) */
	struct frame_bases bases; /* for inline builds */
	struct frame_store store;
	uint64_t generation;   /* raised each time the pane wants another frame */
	struct frame_key want; /* the frame the pane waits for */
	int wanting;
	struct frame_key failed; /* the last frame that could not be made at all */
	int has_failed;
	char failure[256];
};

int frame_pipe_init(struct frame_pipe *p, size_t max_bytes, int threaded, struct err *err);
void frame_pipe_free(struct frame_pipe *p);

/* The frame of asset as spec draws it, for the pane now. READY: *entry is it (valid until the
 * pipe is next used). WAITING: it was asked of the worker (or already was); it comes back
 * through frame_pipe_collect. FAILED: no frame can be made; p->failure says why. */
enum frame_state frame_pipe_want(struct frame_pipe *p, const struct asset_detail *asset,
                                 const struct frame_spec *spec, const struct frame_entry **entry);
/* Asks for a frame the user may want next, behind the ones the pane waits for; nothing when it
 * is stored or on its way already. */
void frame_pipe_prefetch(struct frame_pipe *p, const struct asset_detail *asset,
                         const struct frame_spec *spec);
/* Moves the finished frames into the store. Returns 1 when the frame the pane waits for came
 * (or failed) in the current generation, else 0: frames nobody waits for are kept, not shown. */
int frame_pipe_collect(struct frame_pipe *p);
/* The pane went away or changed (resize, another screen): nothing that is on its way is
 * wanted any more. */
void frame_pipe_forget(struct frame_pipe *p);

#endif
