/* The log file (see log.h). Thread-safe: one fprintf per message on a line-buffered stream. */
#include "core/log.h"
#include "core/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static FILE *log_file;

int log_open(const char *path)
{
	FILE *f = fopen(path, "a");

	if (f == NULL)
		return -1;
	setvbuf(f, NULL, _IOLBF, 0);
	log_close();
	log_file = f;
	return 0;
}

void log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const names[] = {"debug", "info", "warn", "error"};
	char line[1024], clean[2048], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	if (log_file == NULL && level < LOG_WARN)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
	/* messages carry names from datasets: the log is read on terminals too */
	str_sanitize(line, clean, sizeof clean);
	fprintf(log_file ? log_file : stderr, "%s %s: %s\n", stamp, names[level], clean);
}
