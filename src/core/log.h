/* A log file for what the user does not need to see on screen (stderr is redirected there
 * while curses runs). */
#ifndef ANNOTTY_CORE_LOG_H
#define ANNOTTY_CORE_LOG_H

enum log_level { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Opens (appends to) the log file; without it, messages at LOG_WARN and above go to stderr. */
int log_open(const char *path);
void log_close(void);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
