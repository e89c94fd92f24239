/* The Picsellia client's transport against the stand-in server: the ping, the organization by
 * id, name or default, our user id, the headers it sends, a wrong token, a server that is down
 * and a body that stalls. */
#include "api/picsellia/picsellia.h"
#include "api_fixture.h"
#include "api_standin.h"
#include "tap.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct standin srv;

static struct picsellia *client(const char *url, const char *token, const char *org_id,
                                const char *org_name, struct err *err)
{
	struct picsellia_config cfg = {0};
	struct picsellia *p = NULL;

	cfg.host = url;
	cfg.token = token;
	cfg.org_id = org_id;
	cfg.org_name = org_name;
	cfg.retry_budget_ms = 10000;
	if (picsellia_new(&cfg, &p, err) < 0)
		return NULL;
	if (picsellia_connect(p, err) < 0)
		picsellia_free(&p);
	return p;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_default_org(char *org_id, size_t sz)
{
	struct err err = {0};
	struct picsellia *p = client(srv.url, "alice-token", NULL, NULL, &err);
	const struct picsellia_session *s;
	const char *uid;

	if (!ok(p != NULL, "alice connects with the ping's default organization (%s)", err.msg))
		return;
	s = picsellia_session(p);
	is_str(s->username, "alice", "the ping names the user");
	is_str(s->org_name, "demo-org", "the default organization is demo-org");
	ok(s->default_org_id && strcmp(s->default_org_id, s->org_id) == 0,
	   "the organization in use is the ping's default");
	snprintf(org_id, sz, "%s", s->org_id);
	uid = picsellia_user_id(p, &err);
	ok(uid && strlen(uid) > 8, "our own user id is looked up (%s)", uid ? uid : err.msg);
	ok(picsellia_user_id(p, &err) == uid, "and asked for only once");
	picsellia_free(&p);
}

static void test_org_choice(const char *org_id)
{
	struct err err = {0};
	struct picsellia *p = client(srv.url, "bob-token", NULL, "demo-org", &err);

	ok(p && strcmp(picsellia_session(p)->org_id, org_id) == 0,
	   "bob finds demo-org by name (%s)", err.msg);
	picsellia_free(&p);
	p = client(srv.url, "alice-token", org_id, NULL, &err);
	ok(p && strcmp(picsellia_session(p)->org_name, "demo-org") == 0,
	   "the organization is read by id (%s)", err.msg);
	picsellia_free(&p);
	p = client(srv.url, "alice-token", NULL, "no-such-org", &err);
	ok(p == NULL && err.kind == ERR_NOT_FOUND, "an unknown organization name: not found");
	ok(strstr(err.msg, "no-such-org") != NULL, "and the message names it: %s", err.msg);
}

/* Every API request after the organization is known carries it, and the token. */
static void test_headers(const char *org_id)
{
	cJSON *log = standin_log(&srv);
	const cJSON *it, *items = cJSON_GetObjectItemCaseSensitive(log, "items");
	int api = 0, with_org = 0, with_token = 0;

	cJSON_ArrayForEach(it, items)
	{
		const char *path = cJSON_GetObjectItemCaseSensitive(it, "path")->valuestring;
		const cJSON *org = cJSON_GetObjectItemCaseSensitive(it, "organization");

		if (strncmp(path, "/api/", 5) != 0 || strcmp(path, "/api/home/ping") == 0 ||
		    strcmp(path, "/api/organizations/find") == 0 ||
		    strncmp(path, "/api/organization/", 18) == 0)
			continue;
		api++;
		with_org += cJSON_IsString(org) && strcmp(org->valuestring, org_id) == 0;
		with_token += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "token"));
	}
	ok(api > 0 && with_org == api, "X-Picsellia-Organization on every later request (%d/%d)",
	   with_org, api);
	is_int(with_token, api, "the token on every API request");
	cJSON_Delete(log);
}

static void test_wrong_token(void)
{
	struct err err = {0};
	struct picsellia *p = client(srv.url, "not-a-token-xyz", NULL, NULL, &err);

	ok(p == NULL && err.kind == ERR_AUTH, "a wrong token is an auth error (%s)",
	   err_kind_name(err.kind));
	ok(strstr(err.msg, "GET /api/home/ping") && strstr(err.msg, "401"),
	   "the message names the route and the status: %s", err.msg);
	ok(strstr(err.msg, "not-a-token-xyz") == NULL, "and not the token");
	p = NULL;
	ok(picsellia_new(&(struct picsellia_config){.host = srv.url, .token = "a b"}, &p, &err) <
	           0 &&
	       err.kind == ERR_USAGE,
	   "a token with a space cannot smuggle a header in");
}

/* A port nobody listens on: offline, and quickly. */
static void test_down(void)
{
	char url[160];
	struct err err = {0};
	struct picsellia *p;
	double t0;

	snprintf(url, sizeof url, "%s", srv.url);
	standin_stop(&srv);
	t0 = now_s();
	p = client(url, "alice-token", NULL, NULL, &err);
	ok(p == NULL && err.kind == ERR_OFFLINE, "a server that is down: offline (%s)", err.msg);
	ok(now_s() - t0 < 2.0, "and known within 2 s (%.2f s)", now_s() - t0);
}

/* A server that sends headers and a first byte, then nothing. */
static void *stall_serve(void *arg)
{
	int lfd = *(int *)arg, fd;
	char req[4096];
	const char *head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
	                   "Content-Length: 1000\r\n\r\n{";

	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		return NULL;
	if (read(fd, req, sizeof req) > 0 && write(fd, head, strlen(head)) > 0)
		sleep(6);
	close(fd);
	return NULL;
}

static void test_stall(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct picsellia_config cfg = {0};
	struct picsellia *p = NULL;
	struct err err = {0};
	char url[64];
	pthread_t t;
	double t0;

	if (bind(lfd, (struct sockaddr *)&a, sizeof a) < 0 || listen(lfd, 4) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&a, &len) < 0) {
		ok(0, "a listening socket for the stalled body");
		return;
	}
	snprintf(url, sizeof url, "http://127.0.0.1:%d", ntohs(a.sin_port));
	pthread_create(&t, NULL, stall_serve, &lfd);
	cfg.host = url;
	cfg.token = "alice-token";
	cfg.low_speed_time_s = 1;
	cfg.max_attempts = 1;
	t0 = now_s();
	if (picsellia_new(&cfg, &p, &err) == 0)
		picsellia_connect(p, &err);
	ok(err.kind == ERR_RETRY && strstr(err.msg, "timed out"), "a stalled body times out: %s",
	   err.msg);
	ok(now_s() - t0 < 4.0, "after the low-speed limit, not the whole timeout (%.2f s)",
	   now_s() - t0);
	picsellia_free(&p);
	pthread_join(t, NULL);
	close(lfd);
}

int main(void)
{
	char org_id[128] = "";

	standin_start(&srv, NULL);
	test_default_org(org_id, sizeof org_id);
	test_org_choice(org_id);
	test_headers(org_id);
	test_wrong_token();
	test_down();
	test_stall();
	standin_stop(&srv);
	fx_cleanup();
	return done_testing();
}
