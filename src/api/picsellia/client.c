/* The Picsellia client's life: its handles and settings, the ping, the choice of the
 * organization (spec §2) and our own user id (§4.1). */
#include "api/picsellia/internal.h"
#include "core/err.h"
#include "core/str.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc;

static void global_init(void)
{
	global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void defaults(struct picsellia_config *c)
{
	if (c->connect_timeout_ms <= 0)
		c->connect_timeout_ms = 10000;
	if (c->timeout_ms <= 0)
		c->timeout_ms = 300000;
	if (c->low_speed_time_s <= 0)
		c->low_speed_time_s = 20;
	if (c->max_attempts <= 0)
		c->max_attempts = 5;
	if (c->retry_budget_ms <= 0)
		c->retry_budget_ms = 120000;
	if (c->retry_after_cap_s <= 0)
		c->retry_after_cap_s = 30;
	if (c->max_body == 0)
		c->max_body = (size_t)64 << 20;
	if (c->max_image == 0)
		c->max_image = (size_t)256 << 20;
	if (c->download_timeout_ms <= 0)
		c->download_timeout_ms = 120000;
	c->host = c->token = c->org_id = c->org_name = c->ca_bundle = NULL;
}

/* scheme://host[:port] of the configured host: the API is at the root (spec §1.1). */
static int host_of(const char *host, char **out, struct err *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *name = NULL, *port = NULL;
	int rc = -1;

	if (u == NULL)
		return err_set(err, "out of memory");
	if (curl_url_set(u, CURLUPART_URL, host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &name, 0) != CURLUE_OK) {
		err_setk(err, ERR_USAGE, "the host \"%s\" is not a URL (https://host[:port])",
		         host);
		goto out;
	}
	if (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0) {
		err_setk(err, ERR_USAGE, "the host must be an http or https URL, not %s:", scheme);
		goto out;
	}
	curl_url_get(u, CURLUPART_PORT, &port, 0);
	*out = malloc(strlen(scheme) + strlen(name) + (port ? strlen(port) : 0) + 8);
	if (*out == NULL) {
		err_set(err, "out of memory");
		goto out;
	}
	strcpy(*out, scheme);
	strcat(*out, "://");
	strcat(*out, name);
	if (port) {
		strcat(*out, ":");
		strcat(*out, port);
	}
	rc = 0;
out:
	curl_free(scheme);
	curl_free(name);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

/* A token goes into a header line: it must not be able to add a header of its own. */
static int token_ok(const char *t)
{
	if (t == NULL || *t == '\0' || strlen(t) > 4096)
		return 0;
	for (; *t; t++)
		if ((unsigned char)*t < 0x21 || (unsigned char)*t == 0x7f)
			return 0;
	return 1;
}

static int handles_new(struct picsellia *p, struct err *err)
{
	p->api = curl_easy_init();
	p->multi = curl_multi_init();
	if (p->api == NULL || p->multi == NULL)
		return err_set(err, "cannot start libcurl");
	pxl_handle_common(p, p->api);
	/* Compressed API answers: pages of a thousand assets shrink tenfold. */
	curl_easy_setopt(p->api, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(p->api, CURLOPT_CONNECTTIMEOUT_MS, p->cfg.connect_timeout_ms);
	curl_multi_setopt(p->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)PICSELLIA_PARALLEL_MAX);
	return pxl_headers_build(p, err);
}

static int config_copy(struct picsellia *p, const struct picsellia_config *cfg, struct err *err)
{
	size_t n = strlen(cfg->token) + 32;

	p->cfg = *cfg;
	defaults(&p->cfg);
	p->auth = malloc(n);
	if (p->auth == NULL)
		return err_set(err, "out of memory");
	snprintf(p->auth, n, "Authorization: Bearer %s", cfg->token);
	p->cfg_org_id = str_dup(cfg->org_id);
	p->cfg_org_name = str_dup(cfg->org_name);
	p->ca_bundle = str_dup(cfg->ca_bundle);
	if ((cfg->org_id && !p->cfg_org_id) || (cfg->org_name && !p->cfg_org_name) ||
	    (cfg->ca_bundle && !p->ca_bundle))
		return err_set(err, "out of memory");
	return 0;
}

int picsellia_new(const struct picsellia_config *cfg, struct picsellia **out, struct err *err)
{
	struct picsellia *p;

	*out = NULL;
	if (cfg->host == NULL || *cfg->host == '\0')
		return err_setk(err, ERR_USAGE, "no Picsellia host given");
	if (!token_ok(cfg->token))
		return err_setk(err, ERR_USAGE,
		                "no usable API token given (empty, too long, or "
		                "holding spaces or control characters)");
	pthread_once(&global_once, global_init);
	if (global_rc != CURLE_OK)
		return err_set(err, "cannot start libcurl: %s", curl_easy_strerror(global_rc));
	p = calloc(1, sizeof *p);
	if (p == NULL)
		return err_set(err, "out of memory");
	atomic_init(&p->cancel, 0);
	p->rng = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid() ^
	         (uint64_t)(uintptr_t)p;
	if (p->rng == 0)
		p->rng = 1;
	if (host_of(cfg->host, &p->host, err) < 0 || config_copy(p, cfg, err) < 0 ||
	    handles_new(p, err) < 0) {
		picsellia_free(&p);
		return -1;
	}
	*out = p;
	return 0;
}

static void session_clear(struct picsellia_session *s)
{
	free(s->username);
	free(s->sdk_version);
	free(s->default_org_id);
	free(s->org_id);
	free(s->org_name);
	free(s->default_connector_id);
	free(s->user_id);
	memset(s, 0, sizeof *s);
}

void picsellia_free(struct picsellia **pp)
{
	struct picsellia *p = *pp;

	if (p == NULL)
		return;
	for (int i = 0; i < PICSELLIA_PARALLEL_MAX; i++)
		if (p->store[i])
			curl_easy_cleanup(p->store[i]);
	if (p->multi)
		curl_multi_cleanup(p->multi);
	if (p->api)
		curl_easy_cleanup(p->api);
	curl_slist_free_all(p->headers);
	if (p->auth) {
		/* The token does not outlive the client in freed memory. */
		volatile char *t = p->auth;

		while (*t)
			*t++ = '\0';
		free(p->auth);
	}
	free(p->host);
	free(p->ca_bundle);
	free(p->cfg_org_id);
	free(p->cfg_org_name);
	session_clear(&p->session);
	free(p);
	*pp = NULL;
}

static int ping(struct picsellia *p, struct err *err)
{
	struct pxl_request req = {"GET", "/api/home/ping", NULL, NULL, PXL_REPLAY_SAFE};
	struct pxl_response resp;
	struct pxl_at at;
	int rc = -1;

	if (pxl_call(p, &req, &resp, err) < 0)
		return -1;
	pxl_at_set(&at, "GET /api/home/ping", -1);
	free(p->session.username);
	free(p->session.sdk_version);
	free(p->session.default_org_id);
	p->session.username = p->session.sdk_version = p->session.default_org_id = NULL;
	if (pxl_jstr(resp.json, "username", &at, &p->session.username, err) < 0 ||
	    pxl_jstr_opt(resp.json, "sdk_version", &at, &p->session.sdk_version, err) < 0 ||
	    pxl_jstr_opt(resp.json, "default_organization", &at, &p->session.default_org_id, err) <
	        0)
		goto out;
	rc = 0;
out:
	cJSON_Delete(resp.json);
	return rc;
}

static int org_find(struct picsellia *p, const char *name, char **id, struct err *err)
{
	struct pxl_query q;
	struct pxl_request req = {"GET", "/api/organizations/find", NULL, NULL, PXL_REPLAY_SAFE};
	struct pxl_response resp = {0};
	struct pxl_at at;
	int rc = -1;

	pxl_query_init(&q);
	if (pxl_query_add(&q, "name", name) < 0) {
		err_set(err, "out of memory");
		goto out;
	}
	req.query = pxl_query_str(&q);
	if (pxl_call(p, &req, &resp, err) < 0) {
		if (resp.status == 404)
			err_setk(err, ERR_NOT_FOUND, "no organization named \"%s\" for this user",
			         name);
		goto out;
	}
	pxl_at_set(&at, "GET /api/organizations/find", -1);
	rc = pxl_jstr(resp.json, "id", &at, id, err);
out:
	cJSON_Delete(resp.json);
	pxl_query_free(&q);
	return rc;
}

static int org_read(struct picsellia *p, const char *id, struct err *err)
{
	struct pxl_request req = {"GET", NULL, NULL, NULL, PXL_REPLAY_SAFE};
	struct pxl_response resp = {0};
	struct pxl_at at;
	char *path = pxl_path("/api/organization/%s", id);
	struct picsellia_session *s = &p->session;
	int rc = -1;

	if (path == NULL)
		return err_setk(err, ERR_USAGE, "the organization id \"%s\" is not usable", id);
	req.path = path;
	if (pxl_call(p, &req, &resp, err) < 0)
		goto out;
	pxl_at_set(&at, "GET /api/organization/\xe2\x80\xa6", -1);
	free(s->org_id);
	free(s->org_name);
	free(s->default_connector_id);
	s->org_id = s->org_name = s->default_connector_id = NULL;
	if (pxl_jstr(resp.json, "id", &at, &s->org_id, err) < 0 ||
	    pxl_jstr(resp.json, "name", &at, &s->org_name, err) < 0 ||
	    pxl_jstr_opt(resp.json, "default_connector_id", &at, &s->default_connector_id, err) < 0)
		goto out;
	/* Unlike the SDK (§2.2 quirk), the header goes out whether or not there is a connector. */
	rc = pxl_headers_build(p, err);
out:
	cJSON_Delete(resp.json);
	free(path);
	return rc;
}

int picsellia_connect(struct picsellia *p, struct err *err)
{
	char *found = NULL;
	const char *id = p->cfg_org_id;
	int rc;

	if (ping(p, err) < 0)
		return -1;
	if (id == NULL && p->cfg_org_name) {
		if (org_find(p, p->cfg_org_name, &found, err) < 0)
			return -1;
		id = found;
	}
	if (id == NULL)
		id = p->session.default_org_id;
	if (id == NULL)
		return err_setk(err, ERR_USAGE,
		                "no organization chosen, and user %s has no default "
		                "organization: give one by name or id",
		                p->session.username);
	rc = org_read(p, id, err);
	free(found);
	return rc;
}

const struct picsellia_session *picsellia_session(const struct picsellia *p)
{
	return &p->session;
}

static int user_find(const cJSON *json, const char *username, char **id, struct err *err)
{
	const char *route = "GET /api/access/organization/\xe2\x80\xa6/users";
	const cJSON *users, *u;
	struct pxl_at at;
	int i = 0;

	pxl_at_set(&at, route, -1);
	if ((users = pxl_jarr(json, "users", &at, err)) == NULL)
		return -1;
	cJSON_ArrayForEach(u, users)
	{
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(u, "username");

		pxl_at_set(&at, route, i++);
		if (cJSON_IsString(name) && strcmp(name->valuestring, username) == 0)
			return pxl_jstr(u, "id", &at, id, err);
	}
	return err_setk(err, ERR_NOT_FOUND, "%s: user %s is not in the organization", route,
	                username);
}

const char *picsellia_user_id(struct picsellia *p, struct err *err)
{
	struct pxl_request req = {"GET", NULL, NULL, NULL, PXL_REPLAY_SAFE};
	struct pxl_response resp = {0};
	struct pxl_query q;
	char *path;

	if (p->session.user_id)
		return p->session.user_id;
	if (p->session.org_id == NULL || p->session.username == NULL) {
		err_setk(err, ERR_USAGE, "not connected");
		return NULL;
	}
	path = pxl_path("/api/access/organization/%s/users", p->session.org_id);
	pxl_query_init(&q);
	if (path == NULL || pxl_query_add(&q, "username", p->session.username) < 0) {
		err_set(err, "out of memory");
		goto out;
	}
	req.path = path;
	req.query = pxl_query_str(&q);
	if (pxl_call(p, &req, &resp, err) == 0)
		user_find(resp.json, p->session.username, &p->session.user_id, err);
out:
	cJSON_Delete(resp.json);
	pxl_query_free(&q);
	free(path);
	return p->session.user_id;
}

/* One user of the users listing into *out (its strings copied). */
static int user_take(const cJSON *u, const struct pxl_at *at, struct picsellia_user *out,
                     struct err *err)
{
	return pxl_jstr(u, "id", at, &out->id, err) < 0 ||
	               pxl_jstr(u, "username", at, &out->username, err) < 0
	           ? -1
	           : 0;
}

int picsellia_users(struct picsellia *p, struct picsellia_user **items, int *n, struct err *err)
{
	const char *route = "GET /api/access/organization/\xe2\x80\xa6/users";
	struct pxl_request req = {"GET", NULL, NULL, NULL, PXL_REPLAY_SAFE};
	struct pxl_response resp = {0};
	const cJSON *users, *u;
	struct pxl_at at;
	char *path;
	int rc = -1, i = 0;

	*items = NULL;
	*n = 0;
	if (p->session.org_id == NULL)
		return err_setk(err, ERR_USAGE, "not connected");
	path = pxl_path("/api/access/organization/%s/users", p->session.org_id);
	req.path = path;
	if (path == NULL || pxl_call(p, &req, &resp, err) < 0)
		goto out;
	pxl_at_set(&at, route, -1);
	if ((users = pxl_jarr(resp.json, "users", &at, err)) == NULL ||
	    (*items = calloc((size_t)cJSON_GetArraySize(users) + 1, sizeof **items)) == NULL)
		goto out;
	cJSON_ArrayForEach(u, users)
	{
		pxl_at_set(&at, route, i++);
		if (user_take(u, &at, &(*items)[*n], err) < 0)
			goto out;
		(*n)++;
	}
	rc = 0;
out:
	if (rc < 0)
		picsellia_user_list_free(items, *n);
	cJSON_Delete(resp.json);
	free(path);
	return rc;
}

void picsellia_user_list_free(struct picsellia_user **items, int n)
{
	/* one past n: the entry a failed read left half filled (the array has room for it) */
	for (int i = 0; *items != NULL && i <= n; i++) {
		free((*items)[i].id);
		free((*items)[i].username);
	}
	free(*items);
	*items = NULL;
}

void picsellia_cancel(struct picsellia *p)
{
	atomic_store(&p->cancel, 1);
}

void picsellia_cancel_reset(struct picsellia *p)
{
	atomic_store(&p->cancel, 0);
}

void picsellia_stats_get(const struct picsellia *p, struct picsellia_stats *out)
{
	*out = p->stats;
}
