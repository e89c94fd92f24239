/* The stand-in Picsellia server for the client's tests: started on a free loopback port with
 * its own state folder, asked about what it saw (/_standin/log, /_standin/violations), and
 * stopped. A test is skipped when the server or python3 is not there. */
#ifndef ANNOTTY_TESTS_API_STANDIN_H
#define ANNOTTY_TESTS_API_STANDIN_H

#include <cjson/cJSON.h>
#include <sys/types.h>

struct standin {
	pid_t pid;
	char url[128]; /* http://127.0.0.1:PORT */
	char state[512];
};

/* Starts it with `--seed small` and the extra arguments (NULL-terminated, may be empty);
 * skips the whole test when the script or python3 is missing; exits on other failures. */
void standin_start(struct standin *s, const char *const *extra);
/* Starts it again on the same state (a fresh port), with other arguments. */
void standin_restart(struct standin *s, const char *const *extra);
void standin_stop(struct standin *s);
/* GET (or POST when post) of an introspection path; the caller owns the JSON (cJSON_Delete);
 * NULL on failure. */
cJSON *standin_get(const struct standin *s, const char *path, int post);
/* Empties the server's request log and violations. */
void standin_reset(const struct standin *s);
/* The request log entries as an array inside the returned object ("items"). */
cJSON *standin_log(const struct standin *s);
/* Number of violations the server recorded (-1 when it cannot be asked). */
int standin_violations(const struct standin *s);
/* Entries of the log whose method is `method` (or any when NULL) and whose path starts with
 * `prefix`. */
int standin_count(const cJSON *log, const char *method, const char *prefix);

/* An API request as `token` (body may be NULL); returns the HTTP status, or -1. */
int standin_api(const struct standin *s, const char *method, const char *path, const char *token,
                const char *body);
/* Log entries with that method and path prefix whose token flag is set. */
int standin_count_token(const cJSON *log, const char *prefix);

/* A one-request server on loopback that answers every request with `response` (a whole HTTP
 * message), for answers the stand-in would never give. Returns its URL (static). */
const char *canned_start(const char *response);
void canned_stop(void);
#endif
