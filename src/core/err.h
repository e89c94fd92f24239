/* Errors as values: a caller-owned message buffer that data layers fill instead of printing,
 * with a kind that callers decide on (never the text). */
#ifndef ANNOTTY_CORE_ERR_H
#define ANNOTTY_CORE_ERR_H

#include <stddef.h>

#define ERR_MSG_MAX 512

/* What went wrong, for code to act on; the message is for people. */
enum err_kind {
	ERR_FAILED = 0, /* anything not classified below */
	ERR_USAGE,      /* the caller or the user asked for something malformed */
	ERR_NOT_FOUND,
	ERR_IO,
	ERR_PARSE,     /* outside data that does not read as what it claims to be */
	ERR_AUTH,      /* no or a wrong token (HTTP 401) */
	ERR_FORBIDDEN, /* known but not allowed (HTTP 403) */
	ERR_CONFLICT,  /* the object changed beside us (HTTP 409, 423, a revision mismatch) */
	ERR_RETRY,     /* try again later (HTTP 429, 5xx, a dropped connection) */
	ERR_TOO_LARGE, /* over a size cap */
	ERR_OFFLINE,   /* the network or the server cannot be reached */
	ERR_DAMAGED,   /* a file of ours (the cache) fails its integrity check: rebuild it */
	ERR_KIND_COUNT
};

struct err {
	enum err_kind kind;
	int retry_after; /* ERR_RETRY: seconds the other side asked to wait, 0 when it did not say
	                  */
	char msg[ERR_MSG_MAX];
};

/* Sets the message (printf format) with kind ERR_FAILED. A NULL err is allowed and ignored.
 * Always returns -1 so that callers can write `return err_set(err, "...")`. */
int err_set(struct err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same with a kind. */
int err_setk(struct err *err, enum err_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefixes the existing message with more context: "context: old message". The kind stays.
 * Returns -1. */
int err_wrap(struct err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void err_clear(struct err *err);

/* The kind of err (ERR_FAILED for NULL). */
enum err_kind err_kind_of(const struct err *err);
/* A short name of a kind ("not found", "retry later"), for logs and JSON output. */
const char *err_kind_name(enum err_kind kind);

#endif
