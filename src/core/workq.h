/* A worker thread with a job queue and a way back: the main thread hands it jobs (in priority
 * levels, each first in first out, cancellable while queued), the thread runs them one at a
 * time and posts what it makes (results, progress) as messages, and a wake-up pipe whose read
 * end the main loop polls says that messages wait. The render worker builds frames on it; a
 * thread that owns the network can post progress and results the same way. */
#ifndef ANNOTTY_CORE_WORKQ_H
#define ANNOTTY_CORE_WORKQ_H

#include <stddef.h>

struct err;
struct workq;

/* Priority levels: 0 runs first. */
#define WORKQ_LEVELS 4

/* The queue's part of a job: a member of the caller's own job struct (WORKQ_OF finds it). */
struct workq_job {
	struct workq_job *next; /* the queue's (also links the lists it hands back) */
	int level;              /* 0 .. WORKQ_LEVELS - 1, set before workq_submit */
	int cancelled;          /* the queue's: read it with workq_cancelled */
};

/* The queue's part of a message: a member of the caller's message struct. */
struct workq_msg {
	struct workq_msg *next; /* the queue's (links the list workq_collect hands back) */
};

/* The struct of type that holds member at ptr. */
#define WORKQ_OF(ptr, type, member) ((type *)(void *)((char *)(ptr)-offsetof(type, member)))

struct workq_ops {
	/* On the thread, one job at a time: does the job, posting any number of messages. */
	void (*run)(struct workq *q, struct workq_job *job, void *ctx);
	/* Releases a job: on the thread after run, or in workq_stop for jobs never run. */
	void (*job_free)(struct workq_job *job, void *ctx);
	/* Releases a message nobody collected, in workq_stop. */
	void (*msg_free)(struct workq_msg *msg, void *ctx);
};

/* Starts the thread (it takes no signals but those a fault raises). ops and ctx must outlive
 * the queue; ctx is handed to every callback (the thread's own state: it is used on the thread
 * only, but in workq_stop after the thread ended). The caller owns the queue and ends it with
 * workq_stop. NULL on failure, with err filled. */
struct workq *workq_start(const struct workq_ops *ops, void *ctx, struct err *err);
/* Cancels the running job (workq_cancelled says so), waits for it to end, and releases the
 * queued jobs and the messages not collected. Sets *q to NULL; a NULL *q is allowed. */
void workq_stop(struct workq **q);
/* Readable when messages wait: for the main loop's poll(). */
int workq_fd(const struct workq *q);

/* Queues job (the queue owns it from now on) behind the others of its level. When the level
 * then holds more than its limit, the oldest of that level are taken out and handed back
 * (linked through next, the caller releases them); else NULL. */
struct workq_job *workq_submit(struct workq *q, struct workq_job *job);
/* At most max queued jobs of a level (0: no limit, the default). */
void workq_set_limit(struct workq *q, int level, int max);

/* Decides whether a job is meant (called under the queue's lock: no calls into the queue). */
typedef int (*workq_match)(const struct workq_job *job, void *arg);

/* Takes every queued job that match accepts (all when match is NULL) out of the queue and hands
 * them back, oldest first, linked through next, for the caller to release; the running job, when
 * it matches, is marked cancelled (it is its run's business to stop early) and is not handed
 * back. NULL when no queued job matched. */
struct workq_job *workq_cancel(struct workq *q, workq_match match, void *arg);
/* Moves the first queued job that match accepts to the back of level: 1 when there was one, 0
 * (nothing changed) when none is queued, running or not. */
int workq_move(struct workq *q, workq_match match, void *arg, int level);

/* On the thread: whether the running job was cancelled or the queue is stopping. */
int workq_cancelled(struct workq *q, const struct workq_job *job);
/* On the thread: hands msg (owned by the queue until collected) to the main thread and wakes
 * its poll(). Never fails: the message is allocated by the caller. */
void workq_post(struct workq *q, struct workq_msg *msg);
/* Takes every posted message, oldest first (linked through next), after draining the wake-up
 * pipe; the caller owns them. NULL when none waits. */
struct workq_msg *workq_collect(struct workq *q);
/* Jobs whose run has returned since the start. */
unsigned long workq_runs(struct workq *q);

#endif
