/* The frame pipe (see worker.h): the main thread's side of the render worker. It keeps the
 * finished frames in a frame store and knows which one the pane waits for. */
#include "frame/worker.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"

#include <stdio.h>
#include <string.h>

int frame_pipe_init(struct frame_pipe *p, size_t max_bytes, int threaded, struct err *err)
{
	memset(p, 0, sizeof *p);
	frame_store_init(&p->store, max_bytes);
	if (threaded && (p->worker = worker_start(err)) == NULL)
		return -1;
	return 0;
}

void frame_pipe_free(struct frame_pipe *p)
{
	worker_stop(&p->worker);
	frame_bases_free(&p->bases);
	frame_store_free(&p->store);
}

static void pipe_fail(struct frame_pipe *p, const struct frame_key *key, const char *why)
{
	p->failed = *key;
	p->has_failed = 1;
	p->wanting = 0;
	snprintf(p->failure, sizeof p->failure, "%s", why);
}

/* Without a thread: build now, on this one. */
static enum frame_state pipe_build_inline(struct frame_pipe *p, const struct asset_detail *asset,
                                          const struct frame_spec *spec,
                                          const struct frame_key *key,
                                          const struct frame_entry **entry)
{
	struct frame_result res;
	unsigned char *bytes;
	struct buf out;
	struct err err;
	size_t len;

	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	if (frame_build_reusing(asset, spec, &p->bases, &out, &res, &err) < 0) {
		buf_free(&out);
		pipe_fail(p, key, err.msg);
		return FRAME_FAILED;
	}
	bytes = buf_steal(&out, &len);
	if (frame_store_put(&p->store, key, bytes, len, &res) < 0 ||
	    (*entry = frame_store_get(&p->store, key)) == NULL) {
		pipe_fail(p, key, "out of memory for a frame");
		return FRAME_FAILED;
	}
	return FRAME_READY;
}

enum frame_state frame_pipe_want(struct frame_pipe *p, const struct asset_detail *asset,
                                 const struct frame_spec *spec, const struct frame_entry **entry)
{
	struct frame_key key;
	struct err err;

	frame_key_make(asset, spec, &key);
	*entry = frame_store_get(&p->store, &key);
	if (*entry != NULL) {
		p->wanting = 0;
		return FRAME_READY;
	}
	if (p->has_failed && frame_key_equal(&p->failed, &key)) {
		p->wanting = 0;
		return FRAME_FAILED;
	}
	if (p->worker == NULL)
		return pipe_build_inline(p, asset, spec, &key, entry);
	if (p->wanting && frame_key_equal(&p->want, &key) && worker_has(p->worker, &key))
		return FRAME_WAITING;
	p->generation++;
	p->want = key;
	p->wanting = 1;
	if (worker_submit(p->worker, asset, spec, &key, p->generation, WORKER_NOW, &err) < 0) {
		pipe_fail(p, &key, err.msg);
		return FRAME_FAILED;
	}
	return FRAME_WAITING;
}

void frame_pipe_prefetch(struct frame_pipe *p, const struct asset_detail *asset,
                         const struct frame_spec *spec)
{
	struct frame_key key;
	struct err err;

	if (p->worker == NULL)
		return;
	frame_key_make(asset, spec, &key);
	if (frame_store_get(&p->store, &key) != NULL || worker_has(p->worker, &key))
		return;
	if (worker_submit(p->worker, asset, spec, &key, 0, WORKER_PREFETCH, &err) < 0)
		log_msg(LOG_WARN, "prefetch: %s", err.msg);
}

int frame_pipe_collect(struct frame_pipe *p)
{
	struct worker_result *list, *r;
	int arrived = 0, current;

	if (p->worker == NULL)
		return 0;
	list = worker_collect(p->worker);
	for (r = list; r != NULL; r = r->next) {
		current = p->wanting && r->generation == p->generation &&
		          frame_key_equal(&r->key, &p->want);
		if (r->ok) {
			frame_store_put(&p->store, &r->key, r->bytes, r->len, &r->res);
			r->bytes = NULL;
		} else if (current) {
			pipe_fail(p, &r->key, r->error);
		} else {
			log_msg(LOG_WARN, "prefetch: %s", r->error);
		}
		if (current) {
			p->wanting = 0;
			arrived = 1;
		}
	}
	worker_results_free(&list);
	return arrived;
}

void frame_pipe_forget(struct frame_pipe *p)
{
	p->generation++;
	p->wanting = 0;
	p->has_failed = 0;
}
