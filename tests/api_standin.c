/* Starting, asking and stopping the stand-in Picsellia server (see api_standin.h). */
#include "api_fixture.h"
#include "api_standin.h"

#include <curl/curl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define STANDIN_ARGS_MAX 32

static const char *script_path(void)
{
	static char path[1024];
	const char *top = getenv("top_srcdir");

	snprintf(path, sizeof path, "%s/tests/standin/picsellia.py", top ? top : ".");
	return path;
}

static void spawn(struct standin *s, const char *const *extra, int seed)
{
	const char *py = getenv("PYTHON3");
	const char *argv[STANDIN_ARGS_MAX];
	char line[256] = "";
	int fds[2], n = 0;
	FILE *in;

	if (py == NULL || *py == '\0')
		py = "python3";
	argv[n++] = py;
	argv[n++] = script_path();
	argv[n++] = "--port";
	argv[n++] = "0";
	argv[n++] = "--state";
	argv[n++] = s->state;
	if (seed) {
		argv[n++] = "--seed";
		argv[n++] = "small";
	}
	for (int i = 0; extra && extra[i] && n < STANDIN_ARGS_MAX - 1; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	if (pipe(fds) < 0) {
		perror("pipe");
		exit(1);
	}
	s->pid = fork();
	if (s->pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execvp(py, (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	if (in == NULL || fgets(line, sizeof line, in) == NULL ||
	    sscanf(line, "listening on %127s", s->url) != 1) {
		printf("Bail out! the stand-in did not start (%s)\n", line);
		exit(1);
	}
	fclose(in);
}

void standin_start(struct standin *s, const char *const *extra)
{
	char why[1200];

	memset(s, 0, sizeof *s);
	if (access(script_path(), R_OK) != 0) {
		snprintf(why, sizeof why, "the stand-in server %s is not there", script_path());
		printf("1..0 # SKIP %s\n", why);
		exit(0);
	}
	if (system("\"${PYTHON3:-python3}\" -c 'import sqlite3' >/dev/null 2>&1") != 0) {
		printf("1..0 # SKIP python3 with sqlite3 is needed for the stand-in server\n");
		exit(0);
	}
	snprintf(s->state, sizeof s->state, "%s", fx_tmpdir());
	spawn(s, extra, 1);
}

void standin_restart(struct standin *s, const char *const *extra)
{
	standin_stop(s);
	spawn(s, extra, 0);
}

void standin_stop(struct standin *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
	}
	s->pid = 0;
}

struct sink {
	char *data;
	size_t len;
};

static size_t on_data(char *d, size_t size, size_t n, void *ctx)
{
	struct sink *k = ctx;
	char *grown = realloc(k->data, k->len + size * n + 1);

	if (grown == NULL)
		return 0;
	memcpy(grown + k->len, d, size * n);
	k->len += size * n;
	grown[k->len] = '\0';
	k->data = grown;
	return size * n;
}

cJSON *standin_get(const struct standin *s, const char *path, int post)
{
	char url[512];
	struct sink k = {0};
	CURL *h = curl_easy_init();
	cJSON *j = NULL;

	snprintf(url, sizeof url, "%s%s", s->url, path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &k);
	if (post)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
	if (curl_easy_perform(h) == CURLE_OK && k.data)
		j = cJSON_Parse(k.data);
	curl_easy_cleanup(h);
	free(k.data);
	return j;
}

cJSON *standin_log(const struct standin *s)
{
	/* The server records a request after its answer is sent: let the last one land. */
	usleep(200000);
	return standin_get(s, "/_standin/log", 0);
}

int standin_violations(const struct standin *s)
{
	cJSON *j = standin_get(s, "/_standin/violations", 0);
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(j, "items"), *it;
	int n = cJSON_IsArray(items) ? cJSON_GetArraySize(items) : -1;

	cJSON_ArrayForEach(it, items)
	{
		char *text = cJSON_PrintUnformatted(it);

		printf("# violation: %s\n", text ? text : "?");
		free(text);
	}
	cJSON_Delete(j);
	return n;
}

int standin_count(const cJSON *log, const char *method, const char *prefix)
{
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(log, "items"), *it;
	int n = 0;

	cJSON_ArrayForEach(it, items)
	{
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(it, "method");
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(it, "path");

		if (!cJSON_IsString(m) || !cJSON_IsString(p))
			continue;
		if ((method == NULL || strcmp(m->valuestring, method) == 0) &&
		    strncmp(p->valuestring, prefix, strlen(prefix)) == 0)
			n++;
	}
	return n;
}

static int canned_fd = -1;
static pthread_t canned_thread;
static const char *canned_text;

static void *canned_serve(void *arg)
{
	char req[8192];
	int fd;

	while ((fd = accept(canned_fd, NULL, NULL)) >= 0) {
		if (read(fd, req, sizeof req) > 0 &&
		    write(fd, canned_text, strlen(canned_text)) < 0)
			perror("write");
		close(fd);
	}
	return NULL;
}

const char *canned_start(const char *response)
{
	static char url[64];
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;

	canned_text = response;
	canned_fd = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(canned_fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(canned_fd, 8) < 0 ||
	    getsockname(canned_fd, (struct sockaddr *)&a, &len) < 0) {
		printf("Bail out! no loopback socket\n");
		exit(1);
	}
	snprintf(url, sizeof url, "http://127.0.0.1:%d", ntohs(a.sin_port));
	pthread_create(&canned_thread, NULL, canned_serve, NULL);
	return url;
}

void canned_stop(void)
{
	shutdown(canned_fd, SHUT_RDWR);
	close(canned_fd);
	pthread_join(canned_thread, NULL);
	canned_fd = -1;
}

int standin_api(const struct standin *s, const char *method, const char *path, const char *token,
                const char *body)
{
	char url[512], auth[256];
	struct sink k = {0};
	struct curl_slist *h = NULL;
	CURL *c = curl_easy_init();
	long status = -1;

	snprintf(url, sizeof url, "%s%s", s->url, path);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
	h = curl_slist_append(h, auth);
	h = curl_slist_append(h, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "{}");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &k);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	free(k.data);
	return (int)status;
}

int standin_count_token(const cJSON *log, const char *prefix)
{
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(log, "items"), *it;
	int n = 0;

	cJSON_ArrayForEach(it, items)
	{
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(it, "path");

		n += cJSON_IsString(p) && strncmp(p->valuestring, prefix, strlen(prefix)) == 0 &&
		     cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "token"));
	}
	return n;
}

void standin_reset(const struct standin *s)
{
	cJSON_Delete(standin_get(s, "/_standin/reset", 1));
}
