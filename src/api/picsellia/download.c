/* Image bytes through presigned URLs (spec §5.3): storage handles that never carry the API
 * headers, several transfers at once on a libcurl multi handle, Content-Length required, a
 * size cap, retries on 429/5xx and dropped connections, and one fresh URL on a 403. */
#include "api/picsellia/internal.h"
#include "core/err.h"
#include "core/str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum dl_state { DL_WAITING = 0, DL_ACTIVE, DL_DONE };

/* One transfer in flight or waiting. */
struct dl {
	enum dl_state state;
	struct picsellia_download *item;
	CURL *h;
	char *url;
	char *part; /* path.part while writing to a file */
	FILE *fp;
	struct buf mem;
	size_t got;
	size_t max;
	int has_length;
	int too_large;
	int refreshed; /* the URL was renewed once after a 403 */
	int attempt;
	long retry_after;
	long long not_before;
	char curl_msg[CURL_ERROR_SIZE];
};

int picsellia_presigned_url(struct picsellia *p, const char *data_id, char **url, struct err *err)
{
	struct pxl_request req = {"GET", NULL, NULL, NULL, PXL_REPLAY_SAFE};
	struct pxl_response resp = {0};
	struct pxl_at at;
	char *path = pxl_path("/api/data/%s/presigned-url", data_id);
	int rc = -1;

	*url = NULL;
	if (path == NULL)
		return err_setk(err, ERR_USAGE, "no data id to ask a presigned URL for");
	req.path = path;
	pxl_at_set(&at, "GET /api/data/\xe2\x80\xa6/presigned-url", -1);
	if (pxl_call(p, &req, &resp, err) == 0)
		rc = pxl_jstr(resp.json, "presigned_url", &at, url, err);
	cJSON_Delete(resp.json);
	free(path);
	return rc;
}

static size_t dl_write(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct dl *d = ctx;
	size_t n = size * nmemb;

	if (d->got + n > d->max) {
		d->too_large = 1;
		return 0;
	}
	d->got += n;
	if (d->fp)
		return fwrite(data, 1, n, d->fp);
	return buf_append(&d->mem, data, n) < 0 ? 0 : n;
}

static size_t dl_header(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct dl *d = ctx;
	size_t n = size * nmemb;
	char line[64];

	if (n >= 15 && n < sizeof line && strncasecmp(data, "content-length:", 15) == 0) {
		memcpy(line, data + 15, n - 15);
		line[n - 15] = '\0';
		d->has_length = 1;
		/* Said too large up front: stop before a byte of the body. */
		if (strtoull(line, NULL, 10) > d->max) {
			d->too_large = 1;
			return 0;
		}
	} else if (n >= 12 && n < sizeof line && strncasecmp(data, "retry-after:", 12) == 0) {
		d->retry_after = strtol(data + 12, NULL, 10);
	} else if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		d->has_length = 0; /* a new response (after a 100 Continue, say) */
	}
	return n;
}

/* Empties the sink for a new attempt. */
static int sink_open(struct dl *d, struct err *err)
{
	d->got = 0;
	d->has_length = 0;
	d->too_large = 0;
	d->retry_after = -1;
	buf_reset(&d->mem);
	if (d->item->path == NULL)
		return 0;
	if (d->fp)
		fclose(d->fp);
	d->fp = fopen(d->part, "wb");
	if (d->fp == NULL)
		return err_setk(err, ERR_IO, "%s: %s", d->part, strerror(errno));
	return 0;
}

static void handle_setup(struct picsellia *p, struct dl *d)
{
	CURL *h = d->h;

	curl_easy_reset(h);
	pxl_handle_common(p, h);
	/* The storage never sees the API token: no header list on these handles at all. */
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(h, CURLOPT_URL, d->url);
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, p->cfg.download_timeout_ms);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, dl_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, d);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, dl_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, d);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, d->curl_msg);
	curl_easy_setopt(h, CURLOPT_PRIVATE, d);
	d->curl_msg[0] = '\0';
}

static int dl_fail(struct dl *d, struct err *err)
{
	d->item->status = -1;
	d->item->err = *err;
	if (d->fp) {
		fclose(d->fp);
		d->fp = NULL;
	}
	if (d->part)
		remove(d->part);
	return -1;
}

static int dl_finish(struct dl *d)
{
	struct err err = {0};

	if (d->fp) {
		int bad = fclose(d->fp) != 0;

		d->fp = NULL;
		if (bad || rename(d->part, d->item->path) < 0) {
			err_setk(&err, ERR_IO, "%s: %s", d->item->path, strerror(errno));
			return dl_fail(d, &err);
		}
	} else {
		d->item->len = d->mem.len;
		d->item->bytes = buf_steal(&d->mem, NULL);
		if (d->item->bytes == NULL)
			d->item->bytes = calloc(1, 1);
	}
	d->item->status = 0;
	return 0;
}

/* What went wrong with a finished attempt; *retry says whether another is worth it and
 * *refresh whether the URL must be renewed first. */
static void judge(struct dl *d, CURLcode rc, long status, struct err *err, int *retry, int *refresh)
{
	const char *what = "GET presigned URL";

	*retry = *refresh = 0;
	if (d->too_large) {
		err_setk(err, ERR_TOO_LARGE, "%s: the image is over %zu bytes", what, d->max);
	} else if (rc != CURLE_OK) {
		pxl_curl_error(rc, what, d->curl_msg, err);
		*retry = err->kind == ERR_RETRY || err->kind == ERR_OFFLINE;
	} else if (status == 403) {
		err_setk(err, ERR_FORBIDDEN, "%s: HTTP 403 (the URL expired or is refused)", what);
		*refresh = !d->refreshed && d->item->data_id;
	} else if (status == 429 || status >= 500) {
		err_setk(err, ERR_RETRY, "%s: HTTP %ld", what, status);
		err->retry_after = d->retry_after > 0 ? (int)d->retry_after : 0;
		*retry = 1;
	} else if (status < 200 || status > 299) {
		err_setk(err, status == 404 ? ERR_NOT_FOUND : ERR_FAILED, "%s: HTTP %ld", what,
		         status);
	} else if (!d->has_length) {
		/* As the SDK does: a body without a length cannot be told from a cut one. */
		err_setk(err, ERR_RETRY, "%s: the answer has no Content-Length", what);
		*retry = 1;
	}
}

static int renew_url(struct picsellia *p, struct dl *d, struct err *err)
{
	char *url = NULL;

	if (picsellia_presigned_url(p, d->item->data_id, &url, err) < 0)
		return -1;
	free(d->url);
	d->url = url;
	return 0;
}

/* Decides what happens after an attempt: 1 done (or failed for good), 0 queued again. */
static int settle(struct picsellia *p, struct dl *d, CURLcode rc)
{
	struct err err = {0};
	long status = 0;
	int retry, refresh;
	long wait;

	curl_easy_getinfo(d->h, CURLINFO_RESPONSE_CODE, &status);
	p->stats.requests++;
	p->stats.bytes_in += (long long)d->got;
	judge(d, rc, status, &err, &retry, &refresh);
	if (err.msg[0] == '\0')
		return dl_finish(d), 1;
	if (refresh) {
		d->refreshed = 1;
		if (renew_url(p, d, &err) < 0)
			return dl_fail(d, &err), 1;
		d->not_before = 0;
	} else if (retry && d->attempt < p->cfg.max_attempts) {
		wait = d->retry_after >= 0 ? d->retry_after * 1000L : pxl_backoff_ms(p, d->attempt);
		if (wait > p->cfg.retry_after_cap_s * 1000L)
			wait = p->cfg.retry_after_cap_s * 1000L;
		d->not_before = pxl_now_ms() + wait;
		p->stats.retries++;
	} else {
		return dl_fail(d, &err), 1;
	}
	return 0;
}

static int dl_start(struct picsellia *p, struct dl *d, CURL *h)
{
	struct err err = {0};

	d->h = h;
	d->attempt++;
	if (d->url == NULL && renew_url(p, d, &err) < 0)
		return dl_fail(d, &err);
	if (sink_open(d, &err) < 0)
		return dl_fail(d, &err);
	handle_setup(p, d);
	if (curl_multi_add_handle(p->multi, h) != CURLM_OK) {
		err_set(&err, "cannot start a download");
		return dl_fail(d, &err);
	}
	return 0;
}

static int dl_init(struct picsellia *p, struct dl *d, struct picsellia_download *item)
{
	memset(d, 0, sizeof *d);
	d->item = item;
	d->max = p->cfg.max_image;
	buf_init(&d->mem, p->cfg.max_image + 1);
	item->status = -1;
	item->bytes = NULL;
	item->len = 0;
	err_clear(&item->err);
	d->url = str_dup(item->url);
	if (item->path) {
		d->part = malloc(strlen(item->path) + 6);
		if (d->part == NULL)
			return -1;
		strcpy(d->part, item->path);
		strcat(d->part, ".part");
	}
	return 0;
}

static void dl_free(struct dl *d)
{
	if (d->fp)
		fclose(d->fp);
	free(d->url);
	free(d->part);
	buf_free(&d->mem);
}

/* The run: up to `parallel` handles busy, the others waiting in order (or for their retry
 * time). */
struct run {
	struct dl *dls;
	int n;
	int pending;   /* not done yet */
	CURL **free_h; /* idle handles */
	int nfree;
};

static void start_ready(struct picsellia *p, struct run *r)
{
	long long now = pxl_now_ms();

	for (int i = 0; i < r->n && r->nfree > 0; i++) {
		struct dl *d = &r->dls[i];
		CURL *h;

		if (d->state != DL_WAITING || d->not_before > now)
			continue;
		h = r->free_h[--r->nfree];
		if (dl_start(p, d, h) < 0) {
			r->free_h[r->nfree++] = h;
			d->state = DL_DONE;
			r->pending--;
			continue;
		}
		d->state = DL_ACTIVE;
	}
}

static void collect(struct picsellia *p, struct run *r)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(p->multi, &left))) {
		struct dl *d = NULL;
		CURL *h = m->easy_handle;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(h, CURLINFO_PRIVATE, (char **)&d);
		curl_multi_remove_handle(p->multi, h);
		d->state = settle(p, d, m->data.result) ? DL_DONE : DL_WAITING;
		r->pending -= d->state == DL_DONE;
		d->h = NULL;
		r->free_h[r->nfree++] = h;
	}
}

static int run_loop(struct picsellia *p, struct run *r, struct err *err)
{
	int running = 0;

	while (r->pending > 0) {
		if (pxl_cancelled(p))
			return err_setk(err, ERR_FAILED, "downloads cancelled");
		start_ready(p, r);
		if (curl_multi_perform(p->multi, &running) != CURLM_OK)
			return err_set(err, "the download loop failed");
		collect(p, r);
		if (r->pending > 0 && curl_multi_poll(p->multi, NULL, 0, 50, NULL) != CURLM_OK)
			return err_set(err, "the download loop failed");
	}
	return 0;
}

static int handles_take(struct picsellia *p, int parallel, CURL **free_h, struct err *err)
{
	for (int i = 0; i < parallel; i++) {
		if (p->store[i] == NULL)
			p->store[i] = curl_easy_init();
		if (p->store[i] == NULL)
			return err_set(err, "cannot start libcurl");
		free_h[i] = p->store[i];
	}
	return 0;
}

int picsellia_download_many(struct picsellia *p, struct picsellia_download *items, int n,
                            int parallel, struct err *err)
{
	CURL *free_h[PICSELLIA_PARALLEL_MAX];
	struct run r = {0};
	int rc = -1;

	if (n <= 0)
		return 0;
	if (parallel < 1)
		parallel = 1;
	if (parallel > PICSELLIA_PARALLEL_MAX)
		parallel = PICSELLIA_PARALLEL_MAX;
	if (parallel > n)
		parallel = n;
	r.dls = calloc((size_t)n, sizeof *r.dls);
	if (r.dls == NULL)
		return err_set(err, "out of memory");
	r.n = n;
	r.pending = n;
	r.free_h = free_h;
	for (int i = 0; i < n; i++)
		if (dl_init(p, &r.dls[i], &items[i]) < 0) {
			err_set(err, "out of memory");
			goto out;
		}
	if (handles_take(p, parallel, free_h, err) < 0)
		goto out;
	r.nfree = parallel;
	if (run_loop(p, &r, err) < 0)
		goto out;
	rc = 0;
	for (int i = 0; i < n; i++)
		if (items[i].status != 0) {
			if (rc == 0 && err)
				*err = items[i].err;
			rc = -1;
		}
out:
	for (int i = 0; i < n; i++) {
		if (r.dls[i].state == DL_ACTIVE)
			curl_multi_remove_handle(p->multi, r.dls[i].h);
		dl_free(&r.dls[i]);
	}
	free(r.dls);
	return rc;
}
