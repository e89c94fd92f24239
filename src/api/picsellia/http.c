/* The Picsellia transport: one kept-alive libcurl handle for the API, the standard headers,
 * bounded bodies, retries with backoff and jitter, and error bodies turned into one-line
 * messages with a kind. The token lives only in the header list, never in a URL or a message. */
#include "api/picsellia/internal.h"
#include "core/err.h"
#include "core/log.h"
#include "core/str.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* An error body's text shown at most this long. */
#define PXL_ERRTEXT_MAX 300

/* What one attempt left behind. */
struct attempt {
	struct buf body;
	long status;
	long retry_after; /* seconds, -1 when absent */
	int too_large;
	CURLcode rc;
	char curl_msg[CURL_ERROR_SIZE];
};

long long pxl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int pxl_cancelled(struct picsellia *p)
{
	return atomic_load(&p->cancel) != 0;
}

int pxl_sleep(struct picsellia *p, long ms)
{
	while (ms > 0) {
		long step = ms < 50 ? ms : 50;
		struct timespec ts = {step / 1000, (step % 1000) * 1000000L};

		if (pxl_cancelled(p))
			return -1;
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		ms -= step;
	}
	return pxl_cancelled(p) ? -1 : 0;
}

static uint64_t rng_next(struct picsellia *p)
{
	uint64_t x = p->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	p->rng = x;
	return x;
}

/* 500 ms doubled per attempt, capped at 8 s, then a random half to full of it, so that many
 * clients retrying after the same failure do not come back at the same instant. */
long pxl_backoff_ms(struct picsellia *p, int attempt)
{
	long base = 500;

	for (int i = 1; i < attempt && base < 8000; i++)
		base *= 2;
	if (base > 8000)
		base = 8000;
	return base / 2 + (long)(rng_next(p) % (uint64_t)(base / 2 + 1));
}

/* A path segment that is an id (hex digits and dashes, a digit among them, 8 or more). */
static int segment_is_id(const char *s, size_t n)
{
	int digit = 0;

	if (n < 8)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digit = 1;
		else if (!strchr("abcdefABCDEF-", s[i]))
			return 0;
	}
	return digit;
}

void pxl_route(const char *method, const char *path, char *out, size_t outsz)
{
	struct buf b;
	const char *s = path;

	buf_init(&b, outsz > 1 ? outsz - 1 : 1);
	buf_printf(&b, "%s ", method);
	while (*s) {
		size_t n = strcspn(s + 1, "/?") + 1;

		if (*s == '?')
			break;
		if (*s == '/' && segment_is_id(s + 1, n - 1))
			buf_puts(&b, "/\xe2\x80\xa6");
		else
			buf_append(&b, s, n);
		s += n;
	}
	str_copy(out, b.data ? (const char *)b.data : method, outsz);
	buf_free(&b);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct attempt *a = ctx;
	size_t n = size * nmemb;

	if (buf_append(&a->body, data, n) < 0) {
		a->too_large = 1;
		return 0;
	}
	return n;
}

/* Retry-After as seconds; an HTTP date is turned into seconds from now. */
static long retry_after_parse(const char *v)
{
	char *end;
	long s;
	time_t t;

	while (*v == ' ' || *v == '\t')
		v++;
	s = strtol(v, &end, 10);
	if (end != v && (*end == '\0' || *end == '\r' || *end == '\n' || *end == ' '))
		return s < 0 ? 0 : s;
	t = curl_getdate(v, NULL);
	if (t == (time_t)-1)
		return -1;
	return t > time(NULL) ? (long)(t - time(NULL)) : 0;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct attempt *a = ctx;
	size_t n = size * nmemb;
	char line[128];

	if (n > 12 && n < sizeof line && strncasecmp(data, "retry-after:", 12) == 0) {
		memcpy(line, data + 12, n - 12);
		line[n - 12] = '\0';
		a->retry_after = retry_after_parse(line);
	}
	return n;
}

static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
	return pxl_cancelled(ctx) ? 1 : 0;
}

void pxl_handle_common(struct picsellia *p, CURL *h)
{
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, p->cfg.connect_timeout_ms);
	/* A body that stalls fails instead of holding the worker for the whole timeout. */
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, p->cfg.low_speed_time_s);
	/* Verification is libcurl's default and stays on; only the CA bundle can be chosen. */
	if (p->ca_bundle)
		curl_easy_setopt(h, CURLOPT_CAINFO, p->ca_bundle);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "annotty/" PACKAGE_VERSION);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, p);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
}

int pxl_headers_build(struct picsellia *p, struct err *err)
{
	struct curl_slist *list = NULL, *next;
	char org[160];
	const char *fixed[] = {"Content-Type: application/json", "Accept: application/json",
	                       "Expect:", p->auth};

	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		next = curl_slist_append(list, fixed[i]);
		if (next == NULL)
			goto oom;
		list = next;
	}
	if (p->session.org_id) {
		snprintf(org, sizeof org, "X-Picsellia-Organization: %s", p->session.org_id);
		next = curl_slist_append(list, org);
		if (next == NULL)
			goto oom;
		list = next;
	}
	curl_slist_free_all(p->headers);
	p->headers = list;
	return 0;
oom:
	curl_slist_free_all(list);
	return err_set(err, "out of memory");
}

int pxl_curl_error(CURLcode rc, const char *route, const char *detail, struct err *err)
{
	const char *why = detail && *detail ? detail : curl_easy_strerror(rc);

	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		return err_setk(err, ERR_OFFLINE, "%s: cannot reach the server: %s", route, why);
	case CURLE_OPERATION_TIMEDOUT:
		return err_setk(err, ERR_RETRY, "%s: timed out: %s", route, why);
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return err_setk(err, ERR_RETRY, "%s: the connection failed: %s", route, why);
	case CURLE_ABORTED_BY_CALLBACK:
		return err_setk(err, ERR_FAILED, "%s: cancelled", route);
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CONNECT_ERROR:
		return err_setk(err, ERR_FAILED, "%s: TLS: %s", route, why);
	default:
		return err_setk(err, ERR_FAILED, "%s: %s", route, why);
	}
}

static const char *status_words(long status)
{
	switch (status) {
	case 400:
		return "bad request";
	case 401:
		return "the token was refused";
	case 403:
		return "forbidden";
	case 404:
		return "not found";
	case 409:
		return "conflict";
	case 413:
		return "too much data in the request";
	case 422:
		return "invalid request";
	case 423:
		return "locked";
	case 429:
		return "too many requests";
	case 502:
		return "bad gateway";
	case 503:
		return "unavailable";
	case 504:
		return "gateway timeout";
	default:
		return status >= 500 ? "server error" : "error";
	}
}

static enum err_kind status_kind(long status)
{
	switch (status) {
	case 400:
	case 422:
		return ERR_USAGE;
	case 401:
		return ERR_AUTH;
	case 403:
		return ERR_FORBIDDEN;
	case 404:
		return ERR_NOT_FOUND;
	case 409:
	case 423:
		return ERR_CONFLICT;
	case 413:
		return ERR_TOO_LARGE;
	case 429:
		return ERR_RETRY;
	default:
		return status >= 500 ? ERR_RETRY : ERR_FAILED;
	}
}

/* The detail of an error body: a string, or a list joined with "; ". */
static void detail_text(const cJSON *detail, struct buf *out)
{
	const cJSON *it;
	char *s;

	if (cJSON_IsString(detail)) {
		buf_puts(out, detail->valuestring);
		return;
	}
	if (!cJSON_IsArray(detail)) {
		if (detail && !cJSON_IsNull(detail) && (s = cJSON_PrintUnformatted(detail))) {
			buf_puts(out, s);
			free(s);
		}
		return;
	}
	cJSON_ArrayForEach(it, detail)
	{
		if (out->len)
			buf_puts(out, "; ");
		if (cJSON_IsString(it))
			buf_puts(out, it->valuestring);
		else if ((s = cJSON_PrintUnformatted(it))) {
			buf_puts(out, s);
			free(s);
		}
	}
}

/* The readable text of an error body: "message (detail; detail)", or the raw text. */
static void error_text(const struct buf *body, char *out, size_t outsz)
{
	struct buf t, d;
	cJSON *j = body->len ? cJSON_ParseWithLength((const char *)body->data, body->len) : NULL;
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "message");

	buf_init(&t, PXL_ERRTEXT_MAX);
	buf_init(&d, PXL_ERRTEXT_MAX);
	if (cJSON_IsObject(j)) {
		buf_puts(&t, cJSON_IsString(m) ? m->valuestring : "no message");
		detail_text(cJSON_GetObjectItemCaseSensitive(j, "detail"), &d);
		if (d.len)
			buf_printf(&t, " (%s)", (const char *)d.data);
	} else if (body->len) {
		buf_append(&t, body->data,
		           body->len < PXL_ERRTEXT_MAX ? body->len : PXL_ERRTEXT_MAX);
	}
	/* Server text goes to the status line and logs: no control characters, one line. */
	str_sanitize(t.data ? (const char *)t.data : "", out, outsz);
	cJSON_Delete(j);
	buf_free(&t);
	buf_free(&d);
}

static int status_error(const struct attempt *a, const char *route, struct err *err)
{
	char text[PXL_ERRTEXT_MAX + 64];

	error_text(&a->body, text, sizeof text);
	err_setk(err, status_kind(a->status), "%s: HTTP %ld (%s)%s%s", route, a->status,
	         status_words(a->status), text[0] ? ": " : "", text);
	if (err && err->kind == ERR_RETRY && a->retry_after > 0)
		err->retry_after = (int)(a->retry_after > 86400 ? 86400 : a->retry_after);
	return -1;
}

static void attempt_setup(struct picsellia *p, const struct pxl_request *req, const char *url,
                          long timeout_ms, struct attempt *a)
{
	CURL *h = p->api;

	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, p->headers);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, a);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, a->curl_msg);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	/* libcurl sends a request again by itself when a reused connection turns out closed
	 * before any answer: harmless for a read, a duplicate for a create whose first copy the
	 * server did act on. Such requests get a connection of their own. */
	curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, req->replay == PXL_REPLAY_UNSAFE ? 1L : 0L);
	if (req->body == NULL && strcmp(req->method, "GET") == 0) {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
		return;
	}
	if (req->body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(req->body));
	} else {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	}
	/* XGET (a GET with a body) and DELETE with a body are sent as they are (spec §1.2). */
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
}

static void attempt_run(struct picsellia *p, const struct pxl_request *req, const char *url,
                        long timeout_ms, struct attempt *a)
{
	curl_off_t got = 0;

	buf_reset(&a->body);
	a->status = 0;
	a->retry_after = -1;
	a->too_large = 0;
	a->curl_msg[0] = '\0';
	attempt_setup(p, req, url, timeout_ms, a);
	a->rc = curl_easy_perform(p->api);
	if (a->rc == CURLE_OK)
		curl_easy_getinfo(p->api, CURLINFO_RESPONSE_CODE, &a->status);
	curl_easy_getinfo(p->api, CURLINFO_SIZE_DOWNLOAD_T, &got);
	p->stats.requests++;
	p->stats.bytes_in += got;
}

/* Whether the request certainly never reached the server's handler. */
static int not_applied(const struct attempt *a)
{
	return a->rc == CURLE_COULDNT_CONNECT || a->rc == CURLE_COULDNT_RESOLVE_HOST ||
	       a->rc == CURLE_COULDNT_RESOLVE_PROXY || a->status == 429 || a->status == 503;
}

/* Whether an attempt's failure is worth another try, given what the request allows. */
static int retryable(const struct pxl_request *req, const struct attempt *a, int parse_failed)
{
	/* 500 is retried only where a repeat is harmless: an internal error is often a passing
	 * one, but a write that failed half-way must be looked at, not sent again blindly. */
	int transient = parse_failed || a->status == 429 || a->status == 502 || a->status == 503 ||
	                a->status == 504 || (a->status == 500 && req->replay == PXL_REPLAY_SAFE);

	if (a->rc != CURLE_OK)
		transient = a->rc != CURLE_ABORTED_BY_CALLBACK && !a->too_large &&
		            a->rc != CURLE_PEER_FAILED_VERIFICATION &&
		            a->rc != CURLE_SSL_CACERT_BADFILE && a->rc != CURLE_URL_MALFORMAT &&
		            a->rc != CURLE_UNSUPPORTED_PROTOCOL;
	if (!transient)
		return 0;
	return req->replay == PXL_REPLAY_SAFE || not_applied(a);
}

/* The error of a failed attempt; parse failures have their error set already. */
static int attempt_error(const struct attempt *a, const char *route, struct err *err)
{
	if (a->too_large)
		return err_setk(err, ERR_TOO_LARGE, "%s: the answer is over %zu bytes", route,
		                a->body.max);
	if (a->rc != CURLE_OK)
		return pxl_curl_error(a->rc, route, a->curl_msg, err);
	return status_error(a, route, err);
}

static int body_parse(const struct attempt *a, const char *route, cJSON **out, struct err *err)
{
	const char *end = NULL;

	*out = NULL;
	if (a->body.len == 0)
		return 0;
	/* The buffer is NUL-terminated: counting the NUL lets cJSON check nothing trails. */
	*out = cJSON_ParseWithLengthOpts((const char *)a->body.data, a->body.len + 1, &end, 1);
	if (*out == NULL)
		return err_setk(err, ERR_PARSE,
		                "%s: the answer is not valid JSON (cut short or malformed near "
		                "byte %zu of %zu)",
		                route, end ? (size_t)(end - (const char *)a->body.data) : 0,
		                a->body.len);
	return 0;
}

/* The wait before the next attempt, or -1 when the call's time bound does not allow one. */
static long next_wait(struct picsellia *p, const struct attempt *a, int attempt, long long deadline)
{
	long wait = pxl_backoff_ms(p, attempt);

	if (a->retry_after >= 0) {
		long cap = p->cfg.retry_after_cap_s;

		wait = (a->retry_after > cap ? cap : a->retry_after) * 1000L;
	}
	/* A refused connection is rarely over within seconds: one quick second try, then the
	 * caller hears it is offline. */
	if (a->rc == CURLE_COULDNT_CONNECT || a->rc == CURLE_COULDNT_RESOLVE_HOST)
		wait = attempt >= 2 ? -1 : 200;
	if (wait < 0 || pxl_now_ms() + wait >= deadline)
		return -1;
	return wait;
}

static char *url_of(struct picsellia *p, const struct pxl_request *req)
{
	struct buf u;

	buf_init(&u, 64 * 1024);
	if (buf_printf(&u, "%s%s", p->host, req->path) < 0 ||
	    (req->query && *req->query && buf_printf(&u, "?%s", req->query) < 0)) {
		buf_free(&u);
		return NULL;
	}
	return (char *)buf_steal(&u, NULL);
}

int pxl_call(struct picsellia *p, const struct pxl_request *req, struct pxl_response *resp,
             struct err *err)
{
	char route[PXL_ROUTE_MAX];
	struct attempt a = {0};
	long long deadline = pxl_now_ms() + p->cfg.retry_budget_ms;
	char *url = url_of(p, req);
	int rc = -1;

	resp->status = 0;
	resp->json = NULL;
	resp->maybe_applied = 0;
	pxl_route(req->method, req->path, route, sizeof route);
	buf_init(&a.body, p->cfg.max_body);
	if (url == NULL) {
		err_set(err, "%s: out of memory", route);
		goto out;
	}
	for (int attempt = 1;; attempt++) {
		long left = (long)(deadline - pxl_now_ms()), wait;
		int parse_failed = 0;

		if (pxl_cancelled(p)) {
			err_setk(err, ERR_FAILED, "%s: cancelled", route);
			goto out;
		}
		attempt_run(
		    p, req, url,
		    left < p->cfg.timeout_ms ? (left > 1000 ? left : 1000) : p->cfg.timeout_ms, &a);
		resp->status = a.status;
		if (a.rc == CURLE_OK && a.status >= 200 && a.status <= 299 && a.status != 208) {
			if (body_parse(&a, route, &resp->json, err) == 0) {
				err_clear(
				    err); /* an earlier attempt's failure is not this call's */
				rc = 0;
				goto out;
			}
			parse_failed = 1;
		} else {
			attempt_error(&a, route, err);
		}
		log_msg(LOG_DEBUG, "%s: attempt %d: %s", route, attempt, err ? err->msg : "failed");
		resp->maybe_applied = !not_applied(&a) && !a.too_large &&
		                      (parse_failed || a.rc != CURLE_OK || a.status >= 500);
		if (!retryable(req, &a, parse_failed) || attempt >= p->cfg.max_attempts ||
		    (wait = next_wait(p, &a, attempt, deadline)) < 0)
			goto out;
		p->stats.retries++;
		if (pxl_sleep(p, wait) < 0) {
			err_setk(err, ERR_FAILED, "%s: cancelled", route);
			goto out;
		}
	}
out:
	free(url);
	buf_free(&a.body);
	return rc;
}

/* ---- query strings and paths ------------------------------------------------------------ */

static int escape_into(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    strchr("-._~", c)) {
			if (buf_putc(b, c) < 0)
				return -1;
		} else if (buf_putc(b, '%') < 0 || buf_putc(b, hex[c >> 4]) < 0 ||
		           buf_putc(b, hex[c & 15]) < 0) {
			return -1;
		}
	}
	return 0;
}

void pxl_query_init(struct pxl_query *q)
{
	buf_init(&q->b, 32 * 1024);
}

int pxl_query_add(struct pxl_query *q, const char *key, const char *value)
{
	if (value == NULL)
		return 0;
	if ((q->b.len && buf_putc(&q->b, '&') < 0) || escape_into(&q->b, key) < 0 ||
	    buf_putc(&q->b, '=') < 0 || escape_into(&q->b, value) < 0)
		return -1;
	return 0;
}

int pxl_query_addl(struct pxl_query *q, const char *key, long value)
{
	char v[32];

	snprintf(v, sizeof v, "%ld", value);
	return pxl_query_add(q, key, v);
}

const char *pxl_query_str(struct pxl_query *q)
{
	return q->b.len ? (const char *)q->b.data : "";
}

void pxl_query_free(struct pxl_query *q)
{
	buf_free(&q->b);
}

char *pxl_path(const char *fmt, ...)
{
	struct buf b;
	va_list ap;
	int bad = 0;

	buf_init(&b, 4096);
	va_start(ap, fmt);
	for (const char *f = fmt; *f && !bad; f++) {
		if (f[0] == '%' && f[1] == 's') {
			const char *id = va_arg(ap, const char *);

			bad = id == NULL || *id == '\0' || escape_into(&b, id) < 0;
			f++;
		} else {
			bad = buf_putc(&b, (unsigned char)*f) < 0;
		}
	}
	va_end(ap);
	if (bad) {
		buf_free(&b);
		return NULL;
	}
	return (char *)buf_steal(&b, NULL);
}
