/* The worker thread's queue: jobs of a level run in the order given, a lower level first; a
 * queued job can be cancelled or moved, a running one is told; the bound of a level drops the
 * oldest; messages (progress, then a result) come back in order and the wake-up fd says so;
 * stopping with jobs queued and messages uncollected releases all of them. */
#include "core/err.h"
#include "core/workq.h"
#include "tap.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct tjob {
	struct workq_job link;
	int id;
	int gate;  /* read a byte from this fd before running (-1: none) */
	int until; /* run until cancelled (at most 5 s) */
};

enum { MSG_PROGRESS, MSG_DONE, MSG_CANCELLED };

struct tmsg {
	struct workq_msg link;
	int id, kind;
};

static atomic_int jobs_freed, msgs_freed;

static void post(struct workq *q, int id, int kind)
{
	struct tmsg *m = calloc(1, sizeof *m);

	m->id = id;
	m->kind = kind;
	workq_post(q, &m->link);
}

static void trun(struct workq *q, struct workq_job *link, void *ctx)
{
	struct tjob *j = WORKQ_OF(link, struct tjob, link);
	char c;

	(void)ctx;
	if (j->gate >= 0 && read(j->gate, &c, 1) != 1)
		return;
	post(q, j->id, MSG_PROGRESS);
	for (int i = 0; j->until && i < 5000 && !workq_cancelled(q, link); i++)
		usleep(1000);
	post(q, j->id, j->until && workq_cancelled(q, link) ? MSG_CANCELLED : MSG_DONE);
}

static void tjob_free(struct workq_job *link, void *ctx)
{
	(void)ctx;
	atomic_fetch_add(&jobs_freed, 1);
	free(WORKQ_OF(link, struct tjob, link));
}

static void tmsg_free(struct workq_msg *m, void *ctx)
{
	(void)ctx;
	atomic_fetch_add(&msgs_freed, 1);
	free(WORKQ_OF(m, struct tmsg, link));
}

static const struct workq_ops ops = {trun, tjob_free, tmsg_free};

static struct workq_job *job(int id, int level, int gate, int until)
{
	struct tjob *j = calloc(1, sizeof *j);

	j->id = id;
	j->gate = gate;
	j->until = until;
	j->link.level = level;
	return &j->link;
}

static int readable(int fd, int ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	return poll(&p, 1, ms) == 1;
}

static int jobs_free_list(struct workq_job *list)
{
	int n = 0;

	while (list != NULL) {
		struct workq_job *next = list->next;
		tjob_free(list, NULL);
		list = next;
		n++;
	}
	return n;
}

/* The ids of the MSG_DONE messages, in the order they came, until n came or 10 s passed. */
static int collect_done(struct workq *q, int *ids, int n)
{
	int got = 0;

	for (int t = 0; t < 100 && got < n; t++) {
		struct workq_msg *m;
		if (!readable(workq_fd(q), 100))
			continue;
		m = workq_collect(q);
		while (m != NULL) {
			struct tmsg *tm = WORKQ_OF(m, struct tmsg, link);
			m = m->next;
			if (tm->kind == MSG_DONE && got < n)
				ids[got++] = tm->id;
			tmsg_free(&tm->link, NULL);
		}
	}
	return got;
}

static int match_id(const struct workq_job *link, void *arg)
{
	return WORKQ_OF(link, const struct tjob, link)->id == *(int *)arg;
}

static int match_1_or_5(const struct workq_job *link, void *arg)
{
	int id = WORKQ_OF(link, const struct tjob, link)->id;

	(void)arg;
	return id == 1 || id == 5;
}

/* Held at a gate, the thread lets the test queue everything first. */
static void test_order(void)
{
	struct workq *q;
	struct err err;
	int gate[2], ids[8] = {0}, id = 7, moved, n;

	if (pipe(gate) < 0 || (q = workq_start(&ops, NULL, &err)) == NULL) {
		ok(0, "the queue starts");
		return;
	}
	ok(!readable(workq_fd(q), 0), "nothing waits at the start");
	workq_submit(q, job(0, 0, gate[0], 0)); /* runs at once and waits at the gate */
	usleep(20000);
	workq_submit(q, job(4, 2, -1, 0));
	workq_submit(q, job(5, 2, -1, 0));
	workq_submit(q, job(1, 0, -1, 0));
	workq_submit(q, job(2, 0, -1, 0));
	workq_submit(q, job(3, 1, -1, 0));
	workq_submit(q, job(7, 3, -1, 0));
	moved = workq_move(q, match_id, &id, 0); /* 7 goes behind 1 and 2 */
	id = 99;
	ok(moved && !workq_move(q, match_id, &id, 0), "a queued job is moved, an absent one not");
	is_int(jobs_free_list(workq_cancel(q, match_1_or_5, NULL)), 2,
	       "cancelling hands the queued jobs it meant back");
	(void)!write(gate[1], "x", 1);
	n = collect_done(q, ids, 5);
	is_int(n, 5, "the others ran");
	ok(ids[0] == 0 && ids[1] == 2 && ids[2] == 7 && ids[3] == 3 && ids[4] == 4,
	   "a lower level first, first in first out within one: %d %d %d %d %d", ids[0], ids[1],
	   ids[2], ids[3], ids[4]);
	for (int t = 0; t < 1000 && workq_runs(q) < 5; t++) /* counted once each run returns */
		usleep(1000);
	is_int((int)workq_runs(q), 5, "five runs counted");
	/* a byte may outlive its message (posted between the drain and the take): one more
	 * collect finds nothing and leaves the fd quiet */
	ok(workq_collect(q) == NULL && !readable(workq_fd(q), 50),
	   "all collected: the fd is quiet again");
	workq_stop(&q);
	ok(q == NULL, "workq_stop clears the handle");
	close(gate[0]);
	close(gate[1]);
}

static void test_limit_and_progress(void)
{
	struct workq *q;
	struct workq_job *d;
	struct workq_msg *m;
	struct err err;
	int gate[2], ids[4] = {0}, n = 0, progress = 0, dropped;

	if (pipe(gate) < 0 || (q = workq_start(&ops, NULL, &err)) == NULL) {
		ok(0, "the queue starts");
		return;
	}
	workq_set_limit(q, 1, 2);
	workq_submit(q, job(0, 0, gate[0], 0));
	usleep(20000);
	dropped = jobs_free_list(workq_submit(q, job(1, 1, -1, 0)));
	dropped += jobs_free_list(workq_submit(q, job(2, 1, -1, 0)));
	is_int(dropped, 0, "within the bound nothing is dropped");
	d = workq_submit(q, job(3, 1, -1, 0));
	ok(d != NULL && WORKQ_OF(d, struct tjob, link)->id == 1 && d->next == NULL,
	   "past it the oldest of the level is handed back");
	jobs_free_list(d);
	(void)!write(gate[1], "x", 1);
	ok(readable(workq_fd(q), 10000), "the fd says when a message waits");
	for (int t = 0; t < 100 && n < 3; t++) {
		if (!readable(workq_fd(q), 100))
			continue;
		for (m = workq_collect(q); m != NULL;) {
			struct tmsg *tm = WORKQ_OF(m, struct tmsg, link);
			m = m->next;
			if (tm->kind == MSG_PROGRESS)
				progress++;
			else if (n < 3)
				ids[n++] = tm->id;
			tmsg_free(&tm->link, NULL);
		}
	}
	ok(n == 3 && ids[0] == 0 && ids[1] == 2 && ids[2] == 3, "2 and 3 ran after 0");
	is_int(progress, 3, "each posted its progress before its result");
	workq_stop(&q);
	close(gate[0]);
	close(gate[1]);
}

/* A running job is told it is cancelled; its run decides how to end. */
static void test_cancel_running(void)
{
	struct workq *q;
	struct workq_msg *m;
	struct err err;
	int id = 1, kind = -1;

	if ((q = workq_start(&ops, NULL, &err)) == NULL) {
		ok(0, "the queue starts");
		return;
	}
	workq_submit(q, job(1, 0, -1, 1));
	for (int t = 0; t < 100 && (m = workq_collect(q)) == NULL; t++) /* its progress: it runs */
		readable(workq_fd(q), 100);
	if (m != NULL)
		tmsg_free(m, NULL);
	ok(workq_cancel(q, match_id, &id) == NULL, "a running job is not handed back");
	for (int t = 0; t < 100 && kind < 0; t++) {
		if (!readable(workq_fd(q), 100))
			continue;
		for (m = workq_collect(q); m != NULL;) {
			struct tmsg *tm = WORKQ_OF(m, struct tmsg, link);
			m = m->next;
			kind = tm->kind;
			tmsg_free(&tm->link, NULL);
		}
	}
	is_int(kind, MSG_CANCELLED, "but it sees the cancellation and ends early");
	workq_stop(&q);
}

/* Stopping with a job running, jobs queued and messages not collected: everything released. */
static void test_stop_pending(void)
{
	struct workq *q;
	struct err err;
	int before_jobs, before_msgs;
	double t0, t1;
	struct timespec ts;

	if ((q = workq_start(&ops, NULL, &err)) == NULL) {
		ok(0, "the queue starts");
		return;
	}
	before_jobs = atomic_load(&jobs_freed);
	before_msgs = atomic_load(&msgs_freed);
	workq_submit(q, job(1, 0, -1, 1)); /* runs until cancelled */
	for (int i = 2; i <= 6; i++)
		workq_submit(q, job(i, i % WORKQ_LEVELS, -1, 0));
	readable(workq_fd(q), 10000); /* the first one's progress */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
	workq_stop(&q);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t1 = ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
	ok(q == NULL && t1 - t0 < 2000, "stop ends the running job early (%.0f ms)", t1 - t0);
	is_int(atomic_load(&jobs_freed) - before_jobs, 6,
	       "the running and the five queued released");
	is_int(atomic_load(&msgs_freed) - before_msgs, 2,
	       "and the messages nobody collected (progress, cancelled)");
	workq_stop(&q);
	ok(1, "stopping a stopped queue is harmless");
}

int main(void)
{
	test_order();
	test_limit_and_progress();
	test_cancel_running();
	test_stop_pending();
	return done_testing();
}
