/* Errors as values: a caller-owned message buffer that data layers fill instead of printing. */
#ifndef ANNOTTY_CORE_ERR_H
#define ANNOTTY_CORE_ERR_H

#include <stddef.h>

#define ERR_MSG_MAX 512

struct err {
	char msg[ERR_MSG_MAX];
};

/* Sets the message (printf format). A NULL err is allowed and ignored. Always returns -1 so that
 * callers can write `return err_set(err, "...")`. */
int err_set(struct err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefixes the existing message with more context: "context: old message". Returns -1. */
int err_wrap(struct err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void err_clear(struct err *err);

#endif
