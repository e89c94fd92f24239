/* The worker thread, its job queue and its way back (see workq.h). One lock guards the levels,
 * the running job and the posted messages; the thread waits on a condition variable, the main
 * thread on the pipe. */
#include "core/workq.h"
#include "core/err.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct workq {
	const struct workq_ops *ops;
	void *ctx;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct workq_job *level[WORKQ_LEVELS]; /* queued, oldest first */
	int limit[WORKQ_LEVELS];
	struct workq_job *running;
	struct workq_msg *posted, **posted_tail;
	int quit;
	int wake[2]; /* the thread writes a byte per message; the main loop polls the read end */
	unsigned long runs;
};

/* ---- the levels (under the lock) ---------------------------------------------------------- */

static int level_of(const struct workq_job *job)
{
	return job->level < 0 ? 0 : job->level >= WORKQ_LEVELS ? WORKQ_LEVELS - 1 : job->level;
}

static void level_push(struct workq *q, struct workq_job *job)
{
	struct workq_job **p = &q->level[level_of(job)];

	while (*p != NULL)
		p = &(*p)->next;
	job->next = NULL;
	*p = job;
}

static int level_len(const struct workq_job *j)
{
	int n = 0;

	for (; j != NULL; j = j->next)
		n++;
	return n;
}

/* Appends job to the list whose last link is *tail. */
static void list_append(struct workq_job ***tail, struct workq_job *job)
{
	job->next = NULL;
	**tail = job;
	*tail = &job->next;
}

/* The oldest jobs of a level past its limit, taken out. */
static struct workq_job *level_trim(struct workq *q, int lv)
{
	struct workq_job *out = NULL, **tail = &out, *job;
	int over = q->limit[lv] > 0 ? level_len(q->level[lv]) - q->limit[lv] : 0;

	while (over-- > 0) {
		job = q->level[lv];
		q->level[lv] = job->next;
		list_append(&tail, job);
	}
	return out;
}

static void levels_free(struct workq *q)
{
	for (int lv = 0; lv < WORKQ_LEVELS; lv++)
		while (q->level[lv] != NULL) {
			struct workq_job *job = q->level[lv];
			q->level[lv] = job->next;
			q->ops->job_free(job, q->ctx);
		}
}

/* ---- the thread --------------------------------------------------------------------------- */

static struct workq_job *next_job(struct workq *q)
{
	for (int lv = 0; lv < WORKQ_LEVELS; lv++) {
		struct workq_job *job = q->level[lv];
		if (job != NULL) {
			q->level[lv] = job->next;
			job->next = NULL;
			return job;
		}
	}
	return NULL;
}

static void *workq_main(void *arg)
{
	struct workq *q = arg;
	struct workq_job *job;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		while (!q->quit && (job = next_job(q)) == NULL)
			pthread_cond_wait(&q->cond, &q->lock);
		if (q->quit)
			break;
		q->running = job;
		pthread_mutex_unlock(&q->lock);
		q->ops->run(q, job, q->ctx);
		pthread_mutex_lock(&q->lock);
		q->running = NULL;
		q->runs++;
		pthread_mutex_unlock(&q->lock);
		q->ops->job_free(job, q->ctx);
		pthread_mutex_lock(&q->lock);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

static int wake_pipe_open(int fds[2])
{
	if (pipe(fds) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
		fcntl(fds[i], F_SETFD, FD_CLOEXEC);
	}
	return 0;
}

/* The thread takes no signals sent to the process: they go to the main thread, whose handlers
 * wake its poll(). The ones a fault raises stay open, so that the crash handler still runs. */
static int thread_start(struct workq *q)
{
	static const int faults[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS};
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++)
		sigdelset(&all, faults[i]);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&q->thread, NULL, workq_main, q);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

struct workq *workq_start(const struct workq_ops *ops, void *ctx, struct err *err)
{
	struct workq *q = calloc(1, sizeof *q);
	int rc;

	if (q == NULL) {
		err_set(err, "out of memory for a worker thread");
		return NULL;
	}
	q->ops = ops;
	q->ctx = ctx;
	q->posted_tail = &q->posted;
	if (wake_pipe_open(q->wake) < 0) {
		err_setk(err, ERR_IO, "worker thread: pipe: %s", strerror(errno));
		free(q);
		return NULL;
	}
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->cond, NULL);
	if ((rc = thread_start(q)) != 0) {
		err_set(err, "worker thread: %s", strerror(rc));
		close(q->wake[0]);
		close(q->wake[1]);
		pthread_mutex_destroy(&q->lock);
		pthread_cond_destroy(&q->cond);
		free(q);
		return NULL;
	}
	return q;
}

void workq_stop(struct workq **qp)
{
	struct workq *q = *qp;
	struct workq_msg *m;

	if (q == NULL)
		return;
	pthread_mutex_lock(&q->lock);
	q->quit = 1;
	if (q->running != NULL)
		q->running->cancelled = 1;
	pthread_cond_broadcast(&q->cond);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->thread, NULL);
	levels_free(q);
	while ((m = q->posted) != NULL) {
		q->posted = m->next;
		q->ops->msg_free(m, q->ctx);
	}
	close(q->wake[0]);
	close(q->wake[1]);
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->cond);
	free(q);
	*qp = NULL;
}

int workq_fd(const struct workq *q)
{
	return q->wake[0];
}

/* ---- the main thread's side --------------------------------------------------------------- */

struct workq_job *workq_submit(struct workq *q, struct workq_job *job)
{
	struct workq_job *dropped;

	pthread_mutex_lock(&q->lock);
	job->cancelled = 0;
	level_push(q, job);
	dropped = level_trim(q, level_of(job));
	pthread_cond_signal(&q->cond);
	pthread_mutex_unlock(&q->lock);
	return dropped;
}

void workq_set_limit(struct workq *q, int level, int max)
{
	if (level < 0 || level >= WORKQ_LEVELS)
		return;
	pthread_mutex_lock(&q->lock);
	q->limit[level] = max > 0 ? max : 0;
	pthread_mutex_unlock(&q->lock);
}

struct workq_job *workq_cancel(struct workq *q, workq_match match, void *arg)
{
	struct workq_job *out = NULL, **tail = &out, **p, *job;

	pthread_mutex_lock(&q->lock);
	/* oldest first within a level, the levels in their order */
	for (int lv = 0; lv < WORKQ_LEVELS; lv++)
		for (p = &q->level[lv]; (job = *p) != NULL;) {
			if (match != NULL && !match(job, arg)) {
				p = &job->next;
				continue;
			}
			*p = job->next;
			list_append(&tail, job);
		}
	if (q->running != NULL && (match == NULL || match(q->running, arg)))
		q->running->cancelled = 1;
	pthread_mutex_unlock(&q->lock);
	return out;
}

int workq_move(struct workq *q, workq_match match, void *arg, int level)
{
	struct workq_job **p, *job = NULL;

	pthread_mutex_lock(&q->lock);
	for (int lv = 0; lv < WORKQ_LEVELS && job == NULL; lv++)
		for (p = &q->level[lv]; *p != NULL; p = &(*p)->next)
			if (match(*p, arg)) {
				job = *p;
				*p = job->next;
				break;
			}
	if (job != NULL) {
		job->level = level;
		level_push(q, job);
	}
	pthread_mutex_unlock(&q->lock);
	return job != NULL;
}

int workq_cancelled(struct workq *q, const struct workq_job *job)
{
	int c;

	pthread_mutex_lock(&q->lock);
	c = q->quit || job->cancelled;
	pthread_mutex_unlock(&q->lock);
	return c;
}

void workq_post(struct workq *q, struct workq_msg *msg)
{
	pthread_mutex_lock(&q->lock);
	msg->next = NULL;
	*q->posted_tail = msg;
	q->posted_tail = &msg->next;
	/* a full pipe already says that messages wait */
	(void)!write(q->wake[1], "m", 1);
	pthread_mutex_unlock(&q->lock);
}

struct workq_msg *workq_collect(struct workq *q)
{
	struct workq_msg *list;
	char sink[64];

	/* drain first: a message posted after the drain leaves its byte for the next poll() */
	while (read(q->wake[0], sink, sizeof sink) > 0)
		;
	pthread_mutex_lock(&q->lock);
	list = q->posted;
	q->posted = NULL;
	q->posted_tail = &q->posted;
	pthread_mutex_unlock(&q->lock);
	return list;
}

unsigned long workq_runs(struct workq *q)
{
	unsigned long n;

	pthread_mutex_lock(&q->lock);
	n = q->runs;
	pthread_mutex_unlock(&q->lock);
	return n;
}
