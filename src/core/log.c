/* The log file (see log.h). Thread-safe: one fprintf per message on a line-buffered stream. */
#include "core/log.h"
#include "core/str.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static FILE *log_file;

int log_open(const char *path)
{
	/* the log holds file names and messages of the user's datasets: theirs alone, whatever
	 * the umask (fopen would create it 0666 under umask 000) */
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	struct stat st;
	FILE *f;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && st.st_uid == geteuid() && (st.st_mode & 077) != 0)
		fchmod(fd, st.st_mode & 0700);
	f = fdopen(fd, "a");
	if (f == NULL) {
		close(fd);
		return -1;
	}
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
