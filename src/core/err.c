/* Error message buffers (see err.h). */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const kind_names[ERR_KIND_COUNT] = {
    [ERR_FAILED] = "failed",       [ERR_USAGE] = "usage",
    [ERR_NOT_FOUND] = "not found", [ERR_IO] = "i/o",
    [ERR_PARSE] = "parse",         [ERR_AUTH] = "auth",
    [ERR_FORBIDDEN] = "forbidden", [ERR_CONFLICT] = "conflict",
    [ERR_RETRY] = "retry later",   [ERR_TOO_LARGE] = "too large",
    [ERR_OFFLINE] = "offline",     [ERR_DAMAGED] = "damaged",
};

static void err_vset(struct err *err, enum err_kind kind, const char *fmt, va_list ap)
{
	err->kind = kind;
	err->retry_after = 0;
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

int err_set(struct err *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	err_vset(err, ERR_FAILED, fmt, ap);
	va_end(ap);
	return -1;
}

int err_setk(struct err *err, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	err_vset(err, kind, fmt, ap);
	va_end(ap);
	return -1;
}

int err_wrap(struct err *err, const char *fmt, ...)
{
	char prefix[ERR_MSG_MAX], old[ERR_MSG_MAX];
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	snprintf(err->msg, sizeof err->msg, "%s: %s", prefix, old);
	return -1;
}

void err_clear(struct err *err)
{
	if (err != NULL) {
		err->kind = ERR_FAILED;
		err->retry_after = 0;
		err->msg[0] = '\0';
	}
}

enum err_kind err_kind_of(const struct err *err)
{
	return err != NULL ? err->kind : ERR_FAILED;
}

const char *err_kind_name(enum err_kind kind)
{
	return kind >= 0 && kind < ERR_KIND_COUNT ? kind_names[kind] : "failed";
}
