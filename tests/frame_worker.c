/* The render worker, the frame store and the frame pipe: the thread's frames are frame_build's
 * bytes; a frame nobody waits for any more is kept but not delivered as current; showing a
 * stored frame builds nothing; the store keeps to its bound, least recently used out first; a
 * frame that differs only in what is drawn over the picture is not decoded again; frames that
 * would pass 1 MiB are made smaller, and say so. */
#include "core/buf.h"
#include "core/palette.h"
#include "render_fixtures.h"
#include "tap.h"
#include "frame/frame.h"
#include "frame/store.h"
#include "frame/worker.h"

#include <math.h>
#include <poll.h>
#include <unistd.h>

#undef PACKAGE_VERSION /* sixel.h defines its own */
#include <sixel.h>

static char dir[] = "/tmp/annotty-worker-XXXXXX";

struct fixture {
	struct asset_detail a;
	struct shape box;
	char *labels[1];
};

/* An 800x600 JPEG of one colour with a box at (200,150) 300x200, label index 0. */
static void fixture_make(struct fixture *f, int64_t id, const char *file, uint32_t rgb)
{
	struct image img;
	unsigned char *jpg;
	size_t len;

	image_alloc(&img, 800, 600, NULL);
	fx_fill(&img, 0, 0, 800, 600, rgb);
	jpg = fx_jpeg_of(&img, &len);
	fx_write_file(dir, file, jpg, len);
	free(jpg);
	image_free(&img);
	memset(f, 0, sizeof *f);
	f->box.kind = SHAPE_BOX;
	f->box.label = 0;
	f->box.box = (struct rect){200, 150, 300, 200};
	f->labels[0] = "car";
	f->a.id = id;
	f->a.width = 800;
	f->a.height = 600;
	snprintf(f->a.filename, sizeof f->a.filename, "%s", file);
	snprintf(f->a.path, sizeof f->a.path, "%s/%s", dir, file);
	f->a.shapes = &f->box;
	f->a.shape_labels = f->labels;
	f->a.nshapes = 1;
}

static struct frame_spec sixel_spec(void)
{
	struct frame_spec s = {0};

	s.mode = GRAPHICS_SIXEL;
	s.top = 2;
	s.left = 1;
	s.cols = 40;
	s.rows = 15;
	s.cell_w = 10;
	s.cell_h = 20; /* a 400x300 pixel pane */
	s.overlays = 1;
	s.selected = -1;
	return s;
}

static int built(const struct asset_detail *a, const struct frame_spec *s, struct buf *out)
{
	struct frame_result res;
	struct err err;

	buf_init(out, RENDER_MAX_FRAME_BYTES);
	return frame_build(a, s, out, &res, &err);
}

static int same_bytes(const unsigned char *p, size_t n, const struct buf *b)
{
	return p != NULL && n == b->len && memcmp(p, b->data, n) == 0;
}

static int wait_fd(int fd, int ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	return poll(&pfd, 1, ms) == 1;
}

/* Every result until one with that key came, or 20 s passed. */
static struct worker_result *wait_for_key(struct worker *w, const struct frame_key *key)
{
	struct worker_result *list, *r, *found = NULL;

	for (int i = 0; i < 200 && found == NULL; i++) {
		if (!wait_fd(worker_fd(w), 100))
			continue;
		list = worker_collect(w);
		while (list != NULL) {
			r = list;
			list = r->next;
			r->next = NULL;
			if (found == NULL && frame_key_equal(&r->key, key))
				found = r;
			else
				worker_results_free(&r);
		}
	}
	return found;
}

/* Collects until the pane's frame is ready; *arrivals counts the collects that said it came. */
static const struct frame_entry *pipe_wait(struct frame_pipe *p, const struct asset_detail *a,
                                           const struct frame_spec *s, int *arrivals)
{
	const struct frame_entry *e = NULL;

	for (int i = 0; i < 200; i++) {
		if (frame_pipe_want(p, a, s, &e) != FRAME_WAITING)
			return e;
		if (wait_fd(worker_fd(p->worker), 100))
			*arrivals += frame_pipe_collect(p);
	}
	return NULL;
}

static struct worker_result *worker_frame(struct worker *w, const struct asset_detail *a,
                                          const struct frame_spec *s, uint64_t gen)
{
	struct frame_key key;
	struct err err;

	frame_key_make(a, s, &key);
	if (worker_submit(w, a, s, &key, gen, WORKER_NOW, &err) < 0)
		return NULL;
	return wait_for_key(w, &key);
}

/* Decoded sixel pixels of a frame (libsixel), or NULL; the caller frees idx and pal. */
static int sixel_pixels(const unsigned char *bytes, size_t len, unsigned char **idx,
                        unsigned char **pal, int *w, int *h, int *ncolors)
{
	const unsigned char *dcs = (const unsigned char *)strstr((const char *)bytes, "\033P");

	*idx = *pal = NULL;
	return dcs != NULL && SIXEL_SUCCEEDED(sixel_decode_raw((unsigned char *)dcs,
	                                                       (int)(len - (size_t)(dcs - bytes)),
	                                                       idx, w, h, pal, ncolors, NULL));
}

static void test_worker_equals_build(struct fixture *f)
{
	struct frame_spec spec = sixel_spec();
	struct worker_result *r;
	struct worker *w;
	struct buf want;
	struct err err;

	w = worker_start(&err);
	ok(w != NULL, "the worker starts");
	if (w == NULL)
		return;
	built(&f->a, &spec, &want);
	r = worker_frame(w, &f->a, &spec, 7);
	ok(r != NULL && r->ok, "the worker builds a sixel frame");
	ok(r && same_bytes(r->bytes, r->len, &want), "byte for byte the frame frame_build makes");
	ok(r && r->generation == 7 && r->priority == WORKER_NOW,
	   "the result carries its request's generation");
	worker_results_free(&r);
	buf_free(&want);

	spec.mode = GRAPHICS_BLOCKS;
	spec.cols = 60;
	spec.truecolor = 1;
	built(&f->a, &spec, &want);
	r = worker_frame(w, &f->a, &spec, 8);
	ok(r && r->ok && same_bytes(r->bytes, r->len, &want), "and the same half-block frame");
	worker_results_free(&r);
	buf_free(&want);
	worker_stop(&w);
	ok(w == NULL, "worker_stop clears the handle");
}

/* The request is a deep copy: the caller may change or free its asset and marks at once. */
static void test_deep_copy(struct fixture *f)
{
	struct frame_spec spec = sixel_spec();
	struct overlay_marks marks = {0};
	struct point draft[3] = {{600, 100}, {700, 120}, {650, 200}};
	struct worker_result *r;
	struct worker *w;
	struct buf want;
	struct err err;
	struct fixture g = *f;
	char label[] = "car";
	struct point *heap = malloc(sizeof draft), kp = {620, 420};
	int kp_owner = 0;

	g.a.shapes = &g.box;
	g.a.keypoints = &kp;
	g.a.keypoint_shape = &kp_owner;
	g.a.nkeypoints = 1;
	g.labels[0] = label;
	g.a.shape_labels = g.labels;
	memcpy(heap, draft, sizeof draft);
	marks.vertex = marks.handle = -1;
	marks.crosshair = 1;
	marks.cursor = (struct point){100, 500};
	marks.draft = heap;
	marks.ndraft = 3;
	marks.rgb = 0xffff00;
	spec.marks = &marks;
	built(&g.a, &spec, &want);
	if ((w = worker_start(&err)) == NULL) {
		ok(0, "the worker starts");
		buf_free(&want);
		free(heap);
		return;
	}
	r = NULL;
	{
		struct frame_key key;
		frame_key_make(&g.a, &spec, &key);
		worker_submit(w, &g.a, &spec, &key, 1, WORKER_NOW, &err);
		/* scribble over everything the request pointed at */
		memset(heap, 0x7f, sizeof draft);
		free(heap);
		g.box.box = (struct rect){0, 0, 5, 5};
		kp = (struct point){5, 5};
		kp_owner = 7;
		label[0] = 'X';
		snprintf(g.a.path, sizeof g.a.path, "/nonexistent");
		r = wait_for_key(w, &key);
	}
	ok(r && r->ok && same_bytes(r->bytes, r->len, &want),
	   "a request keeps its own copy of the asset, its shapes, keypoints and marks");
	worker_results_free(&r);
	worker_stop(&w);
	buf_free(&want);
}

static void test_stale(struct fixture *fa, struct fixture *fb)
{
	struct frame_spec spec = sixel_spec();
	const struct frame_entry *e = NULL;
	struct frame_pipe p;
	struct buf want;
	struct err err;
	int arrivals = 0;
	unsigned long builds;

	if (frame_pipe_init(&p, FRAME_STORE_DEFAULT_BYTES, 1, &err) < 0) {
		ok(0, "the pipe starts: %s", err.msg);
		return;
	}
	is_int(frame_pipe_want(&p, &fa->a, &spec, &e), FRAME_WAITING,
	       "a frame not built yet is waited for");
	ok(wait_fd(worker_fd(p.worker), 20000), "the worker says when it is done");
	frame_pipe_forget(&p); /* the pane went away before the frame was collected */
	is_int(frame_pipe_collect(&p), 0,
	       "a frame of an older generation is not delivered as current");
	builds = worker_builds(p.worker);
	is_int(frame_pipe_want(&p, &fa->a, &spec, &e), FRAME_READY, "but it was kept");
	built(&fa->a, &spec, &want);
	ok(e && same_bytes(e->bytes, e->len, &want), "with frame_build's bytes");
	buf_free(&want);

	/* the pane wants A, then at once B: only B is delivered */
	spec.selected = 0;
	frame_pipe_want(&p, &fa->a, &spec, &e);
	frame_pipe_want(&p, &fb->a, &spec, &e);
	e = pipe_wait(&p, &fb->a, &spec, &arrivals);
	ok(e != NULL, "B arrives");
	is_int(arrivals, 1, "one delivery: B's, not A's");
	ok(worker_builds(p.worker) - builds <= 2, "nothing built more than once");

	/* a stored frame again: a lookup, no build */
	builds = worker_builds(p.worker);
	{
		const struct frame_entry *again = NULL;
		struct frame_key k;
		is_int(frame_pipe_want(&p, &fb->a, &spec, &again), FRAME_READY,
		       "showing B again is a cache hit");
		frame_key_make(&fb->a, &spec, &k);
		ok(again && frame_key_equal(&again->key, &k) && again->bytes == e->bytes,
		   "the same stored bytes");
		ok(!worker_has(p.worker, &k), "nothing was asked of the worker");
	}
	is_int((int)(worker_builds(p.worker) - builds), 0, "and nothing was built");
	frame_pipe_free(&p);
}

/* A frame the worker has finished but the pane has not collected yet is not built again when
 * the pane asks for it: the finished one is delivered as the current frame. */
static void test_done_not_rebuilt(struct fixture *f)
{
	struct frame_spec spec = sixel_spec();
	const struct frame_entry *e = NULL;
	struct frame_pipe p;
	struct err err;
	unsigned long builds;
	int arrivals = 0;

	if (frame_pipe_init(&p, FRAME_STORE_DEFAULT_BYTES, 1, &err) < 0) {
		ok(0, "the pipe starts: %s", err.msg);
		return;
	}
	spec.selected = 0;
	frame_pipe_prefetch(&p, &f->a, &spec);
	for (int i = 0; i < 200 && worker_builds(p.worker) == 0; i++)
		usleep(10000);
	builds = worker_builds(p.worker);
	is_int((int)builds, 1, "the prefetched frame is built");
	frame_pipe_prefetch(&p, &f->a, &spec);
	is_int(frame_pipe_want(&p, &f->a, &spec, &e), FRAME_WAITING,
	       "not collected yet: the pane waits for it");
	e = pipe_wait(&p, &f->a, &spec, &arrivals);
	ok(e != NULL && arrivals == 1, "it is delivered as the current frame (%d)", arrivals);
	is_int((int)(worker_builds(p.worker) - builds), 0, "and was not built a second time");
	frame_pipe_free(&p);
}

static void put(struct frame_store *s, int64_t id, size_t len)
{
	struct frame_key k = {0};
	unsigned char *b = malloc(len + 1);

	memset(b, 'x', len);
	b[len] = '\0';
	k.asset_id = id;
	frame_store_put(s, &k, b, len, NULL);
}

static int has(struct frame_store *s, int64_t id)
{
	struct frame_key k = {0};

	k.asset_id = id;
	return frame_store_get(s, &k) != NULL;
}

static void test_lru(void)
{
	struct frame_store s;
	int bound_ok = 1;

	frame_store_init(&s, 1000);
	put(&s, 1, 300);
	put(&s, 2, 300);
	put(&s, 3, 300);
	is_int((int)s.bytes, 900, "three frames of 300 bytes take 900");
	ok(has(&s, 1), "the oldest is used again");
	put(&s, 4, 300);
	ok(has(&s, 1) && !has(&s, 2) && has(&s, 3) && has(&s, 4),
	   "the least recently used goes, not the oldest stored");
	ok(s.bytes <= 1000, "within the bound (%zu bytes)", s.bytes);
	put(&s, 3, 500);
	ok(has(&s, 3) && s.n <= 2 && s.bytes <= 1000,
	   "a frame stored again under its key replaces it, evicting to fit (%zu bytes)", s.bytes);
	put(&s, 9, 1001);
	ok(!has(&s, 9), "a frame larger than the bound is not kept");
	for (int i = 10; i < 200; i++) {
		put(&s, i, 37 + (size_t)(i * 13) % 300);
		bound_ok &= s.bytes <= 1000;
	}
	ok(bound_ok, "the bound holds through many frames");
	ok(has(&s, 199), "the newest is there");
	frame_store_free(&s);
}

/* How many pixels differ between two decoded frames, and whether all lie within the box
 * (x0,y0)-(x1,y1). */
static int diff_pixels(const unsigned char *ia, const unsigned char *pa, const unsigned char *ib,
                       const unsigned char *pb, int w, int h, int x0, int y0, int x1, int y1,
                       int *outside)
{
	int n = 0;

	*outside = 0;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			const unsigned char *ca = pa + 3 * ia[(size_t)y * w + x];
			const unsigned char *cb = pb + 3 * ib[(size_t)y * w + x];
			if (abs(ca[0] - cb[0]) + abs(ca[1] - cb[1]) + abs(ca[2] - cb[2]) <= 24)
				continue;
			n++;
			if (x < x0 || x > x1 || y < y0 || y > y1)
				(*outside)++;
		}
	return n;
}

static void test_reuse(struct fixture *f)
{
	struct frame_spec spec = sixel_spec();
	struct overlay_marks marks = {0};
	struct worker_result *r0, *r1, *r2;
	unsigned char *i0, *p0, *i1, *p1, *i2, *p2;
	int w0, h0, w1, h1, w2, h2, nc, outside;
	unsigned long d0, d1, d2, d3;
	double t0, t1, t2;
	struct worker *w;
	struct buf want;
	struct err err;
	char msg[160];

	if ((w = worker_start(&err)) == NULL) {
		ok(0, "the worker starts");
		return;
	}
	d0 = frame_decode_count();
	t0 = fx_now_ms();
	r0 = worker_frame(w, &f->a, &spec, 1);
	t1 = fx_now_ms();
	d1 = frame_decode_count();
	spec.selected = 0;
	r1 = worker_frame(w, &f->a, &spec, 2);
	t2 = fx_now_ms();
	d2 = frame_decode_count();
	is_int((int)(d1 - d0), 1, "the first frame decodes the image once");
	is_int((int)(d2 - d1), 0, "a frame that differs only in the selection does not decode");
	snprintf(msg, sizeof msg, "first frame %.1f ms, selection change %.1f ms", t1 - t0,
	         t2 - t1);
	tap_diag(msg);
	built(&f->a, &spec, &want);
	d2 = frame_decode_count(); /* frame_build decodes every time */
	ok(r1 && r1->ok && same_bytes(r1->bytes, r1->len, &want),
	   "and its bytes are those of a fresh decode");
	buf_free(&want);
	i0 = p0 = i1 = p1 = NULL;
	if (r0 && r1 && sixel_pixels(r0->bytes, r0->len, &i0, &p0, &w0, &h0, &nc) &&
	    sixel_pixels(r1->bytes, r1->len, &i1, &p1, &w1, &h1, &nc) && w0 == w1 && h0 == h1) {
		/* the box is (100,75)-(250,175) in the 400x300 frame, its caption just above */
		int n = diff_pixels(i0, p0, i1, p1, w0, h0, 100 - 12, 75 - 30, 250 + 12, 175 + 12,
		                    &outside);
		ok(n > 20, "the selected box is drawn differently (%d pixels)", n);
		is_int(outside, 0, "and nothing changed away from it");
	} else {
		ok(0, "both frames decode");
	}

	/* editing aids: a crosshair at (325,240) in the frame, away from the box */
	marks.vertex = marks.handle = -1;
	marks.crosshair = 1;
	marks.cursor = (struct point){650, 480};
	marks.rgb = 0xffff00;
	spec.marks = &marks;
	r2 = worker_frame(w, &f->a, &spec, 3);
	d3 = frame_decode_count();
	is_int((int)(d3 - d2), 0, "a frame that differs only in its marks does not decode");
	if (i1 && r2 && sixel_pixels(r2->bytes, r2->len, &i2, &p2, &w2, &h2, &nc) && w2 == w1 &&
	    h2 == h1) {
		int out_cursor, out_box;
		int all = diff_pixels(i1, p1, i2, p2, w1, h1, 315, 230, 335, 250, &out_cursor);
		diff_pixels(i1, p1, i2, p2, w1, h1, 90, 65, 260, 185, &out_box);
		ok(all - out_cursor > 0, "the marks are drawn at the cursor (%d pixels near it)",
		   all - out_cursor);
		is_int(all - out_box, 0, "and the selected box is left as it was");
		free(i2);
		free(p2);
	} else {
		ok(0, "the marked frame decodes");
	}
	free(i0);
	free(p0);
	free(i1);
	free(p1);
	worker_results_free(&r0);
	worker_results_free(&r1);
	worker_results_free(&r2);
	worker_stop(&w);
}

/* The colour of frame pixel (x, y) of a decoded sixel. */
static const unsigned char *pixel_at(const unsigned char *idx, const unsigned char *pal, int w,
                                     int x, int y)
{
	return pal + 3 * idx[(size_t)y * w + x];
}

/* A nudge: the box moved by (40, 20) source pixels, 20 and 10 at the frame's half scale. The
 * frame comes from the kept decode, and its pixels show the box at the new place only. */
static void test_moved(struct fixture *f)
{
	struct frame_spec spec = sixel_spec();
	struct worker_result *r0, *r1;
	unsigned char *i0 = NULL, *p0 = NULL, *i1 = NULL, *p1 = NULL;
	int w0, h0, w1, h1, nc, col_old = 0, col_new = 0, row_new = 0, bg_old = 0;
	uint32_t edge = palette_rgb(0), bg = 0x303030;
	unsigned long d0, d1;
	struct worker *w;
	struct err err;

	if ((w = worker_start(&err)) == NULL) {
		ok(0, "the worker starts");
		return;
	}
	r0 = worker_frame(w, &f->a, &spec, 1);
	d0 = frame_decode_count();
	f->box.box.x += 40;
	f->box.box.y += 20;
	r1 = worker_frame(w, &f->a, &spec, 2);
	d1 = frame_decode_count();
	f->box.box.x -= 40;
	f->box.box.y -= 20;
	is_int((int)(d1 - d0), 0, "a moved box is drawn on the kept picture, not decoded again");
	if (r0 && r1 && sixel_pixels(r0->bytes, r0->len, &i0, &p0, &w0, &h0, &nc) &&
	    sixel_pixels(r1->bytes, r1->len, &i1, &p1, &w1, &h1, &nc) && w0 == w1 && h0 == h1) {
		/* left edge: column 100 before, 120 after; top edge: row 75 before, 85 after */
		for (int y = 100; y < 150; y++) {
			col_old += fx_near(pixel_at(i0, p0, w0, 100, y), edge, 8);
			col_new += fx_near(pixel_at(i1, p1, w1, 120, y), edge, 8);
			bg_old += fx_near(pixel_at(i1, p1, w1, 100, y), bg, 8);
		}
		for (int x = 130; x < 250; x++)
			row_new += fx_near(pixel_at(i1, p1, w1, x, 85), edge, 8);
		ok(col_old == 50, "before: the left edge is on column 100 (%d of 50)", col_old);
		ok(col_new == 50, "after: it is on column 120 (%d of 50)", col_new);
		ok(row_new == 120, "and the top edge on row 85 (%d of 120)", row_new);
		ok(bg_old == 50, "where the edge was, the picture shows again (%d of 50)", bg_old);
	} else {
		ok(0, "both frames decode");
	}
	free(i0);
	free(p0);
	free(i1);
	free(p1);
	worker_results_free(&r0);
	worker_results_free(&r1);
	worker_stop(&w);
}

/* 1000x750 of noise: at 256 colours, and even at 16, far more than 1 MiB of sixel. */
static void write_noise_jpeg(const char *name)
{
	struct image img;
	unsigned char *jpg;
	size_t len;
	unsigned s = 12345;

	image_alloc(&img, 1000, 750, NULL);
	for (size_t i = 0; i < (size_t)1000 * 750 * 3; i++) {
		s = s * 1103515245u + 12345u;
		img.rgb[i] = (unsigned char)(s >> 16);
	}
	jpg = fx_jpeg_of(&img, &len);
	fx_write_file(dir, name, jpg, len);
	free(jpg);
	image_free(&img);
}

static void test_too_large(void)
{
	struct frame_spec spec = sixel_spec();
	struct frame_result res;
	struct worker_result *r;
	struct fixture f;
	struct worker *w;
	struct buf out;
	struct err err;
	unsigned char *idx, *pal;
	int iw, ih, nc;

	write_noise_jpeg("noise.jpg");
	fixture_make(&f, 50, "grey50.jpg", 0x808080);
	snprintf(f.a.path, sizeof f.a.path, "%s/noise.jpg", dir);
	f.a.width = 1000;
	f.a.height = 750;
	spec.cols = 100;
	spec.rows = 38; /* 1000x760 pixels */
	if ((w = worker_start(&err)) == NULL) {
		ok(0, "the worker starts");
		return;
	}
	r = worker_frame(w, &f.a, &spec, 1);
	ok(r && r->ok, "a frame of noise is still made");
	ok(r && r->len <= RENDER_MAX_FRAME_BYTES, "within 1 MiB (%zu bytes)", r ? r->len : 0);
	ok(r && r->res.reduced >= 2, "by fewer colours, then fewer pixels (step %d)",
	   r ? r->res.reduced : -1);
	if (r && r->ok && sixel_pixels(r->bytes, r->len, &idx, &pal, &iw, &ih, &nc)) {
		ok(iw < 1000 && iw == r->res.img_w, "the frame is smaller: %dx%d", iw, ih);
		ok(nc <= 16, "in at most 16 colours (%d)", nc);
		free(idx);
		free(pal);
	} else {
		ok(0, "the smaller frame decodes");
	}
	worker_results_free(&r);
	worker_stop(&w);

	buf_init(&out, 4096);
	ok(frame_build(&f.a, &spec, &out, &res, &err) < 0, "when nothing fits the build fails");
	ok(strstr(err.msg, "frame larger than 4096 bytes") != NULL, "saying why: %s", err.msg);
	is_int((int)out.len, 0, "with no half frame in the buffer");
	buf_free(&out);

	buf_init(&out, (size_t)8 << 20);
	spec.low_bandwidth = 1;
	ok(frame_build(&f.a, &spec, &out, &res, &err) == 0 && res.reduced == 0,
	   "with room, a frame is made as asked");
	if (sixel_pixels(out.data, out.len, &idx, &pal, &iw, &ih, &nc)) {
		ok(nc <= 16 && iw == 1000, "low_bandwidth: at most 16 colours (%d), full size (%d)",
		   nc, iw);
		free(idx);
		free(pal);
	} else {
		ok(0, "the low-bandwidth frame decodes");
	}
	buf_free(&out);
}

static void test_hash(struct fixture *f)
{
	struct frame_spec spec = sixel_spec(), s2;
	struct overlay_marks m = {0};
	uint64_t h = frame_hash(&f->a, &spec);
	struct shape box = f->box;
	struct asset_detail a = f->a;
	char *labels[1] = {"truck"};

	s2 = spec;
	s2.selected = 0;
	ok(frame_hash(&f->a, &s2) != h, "the selection changes the hash");
	s2 = spec;
	s2.low_bandwidth = 1;
	ok(frame_hash(&f->a, &s2) != h, "so does low_bandwidth");
	s2 = spec;
	s2.marks = &m;
	ok(frame_hash(&f->a, &s2) != h, "and marks");
	m.cursor.x = 3;
	ok(frame_hash(&f->a, &s2) != frame_hash(&f->a, &(struct frame_spec){0}),
	   "and where the marks are");
	a.shapes = &box;
	box.box.x += 1;
	ok(frame_hash(&a, &spec) != h, "a moved shape changes it");
	box = f->box;
	a.shape_labels = labels;
	ok(frame_hash(&a, &spec) != h, "so does a shape's label");
	a.shape_labels = f->a.shape_labels;
	is_int(frame_hash(&a, &spec) == h, 1, "an equal copy hashes the same");
	s2 = spec;
	s2.overlays = 0;
	s2.selected = 0;
	spec.overlays = 0;
	is_int(frame_hash(&f->a, &s2) == frame_hash(&f->a, &spec), 1,
	       "with overlays hidden the selection draws nothing and changes nothing");
}

int main(void)
{
	struct fixture a, b;
	char cmd[128];

	if (mkdtemp(dir) == NULL)
		skip_all("no temporary folder");
	fixture_make(&a, 1, "grey.jpg", 0x303030);
	fixture_make(&b, 2, "blue.jpg", 0x203060);
	test_worker_equals_build(&a);
	test_deep_copy(&a);
	test_stale(&a, &b);
	test_done_not_rebuilt(&b);
	test_lru();
	test_reuse(&a);
	test_moved(&a);
	test_too_large();
	test_hash(&a);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		tap_diag("could not remove the temporary folder");
	return done_testing();
}
