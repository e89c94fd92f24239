/* Image bytes from the stand-in's storage through presigned URLs: several at once, into memory
 * or a file, never with the token, an expired URL renewed exactly once, a size cap. */
#include "api/picsellia/picsellia.h"
#include "api_fixture.h"
#include "api_standin.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NIMAGES 12

static struct standin srv;

static struct picsellia *connect_as(const char *token, size_t max_image)
{
	struct picsellia_config cfg = {.host = srv.url, .token = token, .max_image = max_image};
	struct picsellia *p = NULL;
	struct err err = {0};

	if (picsellia_new(&cfg, &p, &err) < 0 || picsellia_connect(p, &err) < 0) {
		printf("Bail out! cannot connect: %s\n", err.msg);
		exit(1);
	}
	return p;
}

/* The first n data items of the default datalake (DONE ones come first in the seed). */
static int first_data(struct picsellia *p, int n, struct picsellia_data_page *page)
{
	struct picsellia_datalake lake = {0};
	struct err err = {0};
	int rc = -1;

	if (picsellia_datalake_default(p, &lake, &err) == 0 &&
	    picsellia_data_page(p, lake.id, NULL, 0, n, page, &err) == 0 && page->n == n)
		rc = 0;
	else
		printf("# %s\n", err.msg);
	picsellia_datalake_clear(&lake);
	return rc;
}

static int is_png(const unsigned char *b, size_t n)
{
	return n > 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0;
}

static void test_parallel(struct picsellia *p, const struct picsellia_data_page *page)
{
	struct picsellia_download dl[NIMAGES] = {{0}};
	struct err err = {0};
	int good = 0;
	cJSON *log;

	standin_reset(&srv);
	for (int i = 0; i < NIMAGES; i++) {
		dl[i].data_id = page->items[i].id;
		dl[i].url = i % 4 == 3 ? NULL : page->items[i].presigned_url;
	}
	ok(picsellia_download_many(p, dl, NIMAGES, 4, &err) == 0, "%d images, 4 at once %s",
	   NIMAGES, err.msg);
	for (int i = 0; i < NIMAGES; i++) {
		good += dl[i].status == 0 && is_png(dl[i].bytes, dl[i].len);
		free(dl[i].bytes);
	}
	is_int(good, NIMAGES, "each is a whole PNG");
	log = standin_log(&srv);
	is_int(standin_count(log, "GET", "/storage/"), NIMAGES, "one storage request each");
	is_int(standin_count(log, "GET", "/api/data/"), NIMAGES / 4,
	       "a presigned URL asked for only where the listing gave none");
	is_int(standin_count_token(log, "/storage/"), 0, "no token went to the storage");
	cJSON_Delete(log);
}

static void test_file(struct picsellia *p, const struct picsellia_data_page *page)
{
	const char *dir = fx_tmpdir();
	char path[1024], part[1100];
	struct picsellia_download dl = {0};
	struct err err = {0};
	char *bytes;

	snprintf(path, sizeof path, "%s/one.png", dir);
	snprintf(part, sizeof part, "%s.part", path);
	dl.data_id = page->items[0].id;
	dl.url = page->items[0].presigned_url;
	dl.path = path;
	ok(picsellia_download_many(p, &dl, 1, 1, &err) == 0, "an image into a file %s", err.msg);
	bytes = fx_read(path);
	ok(bytes && is_png((unsigned char *)bytes, 16), "the file holds the PNG");
	ok(access(part, F_OK) != 0, "and no .part is left");
	free(bytes);
}

/* A listing's URLs outlive their TTL: one 403, a fresh URL, then the bytes. */
static void test_expired(struct picsellia *p, const struct picsellia_data_page *page)
{
	struct picsellia_download dl = {0};
	struct err err = {0};
	cJSON *log;

	sleep(3);
	standin_reset(&srv);
	dl.data_id = page->items[1].id;
	dl.url = page->items[1].presigned_url;
	ok(picsellia_download_many(p, &dl, 1, 1, &err) == 0 && is_png(dl.bytes, dl.len),
	   "an expired URL is renewed and the image comes %s", err.msg);
	log = standin_log(&srv);
	is_int(standin_count(log, "GET", "/storage/"), 2, "two storage requests: 403, then 200");
	is_int(standin_count(log, "GET", "/api/data/"), 1, "one fresh URL");
	cJSON_Delete(log);
	free(dl.bytes);
}

static void test_cap(const struct picsellia_data_page *page)
{
	struct picsellia *p = connect_as("alice-token", 100);
	struct picsellia_download dl = {0};
	struct err err = {0};
	char *url = NULL;

	dl.data_id = page->items[2].id;
	ok(picsellia_presigned_url(p, dl.data_id, &url, &err) == 0 && url, "a presigned URL %s",
	   err.msg);
	dl.url = url;
	ok(picsellia_download_many(p, &dl, 1, 1, &err) < 0 && dl.err.kind == ERR_TOO_LARGE,
	   "an image over the cap is refused: %s", dl.err.msg);
	ok(dl.bytes == NULL, "and nothing is kept of it");
	free(url);
	picsellia_free(&p);
}

/* Every URL handed out already expired: renewed once, then the download gives up. */
static void test_always_expired(void)
{
	const char *faults[] = {"--faults", "expire=1", NULL};
	struct picsellia *p;
	struct picsellia_download dl = {0};
	struct picsellia_data_page page = {0};
	struct err err = {0};
	cJSON *log;

	standin_restart(&srv, faults);
	p = connect_as("alice-token", 0);
	if (first_data(p, 1, &page) < 0) {
		ok(0, "a data item");
		picsellia_free(&p);
		return;
	}
	standin_reset(&srv);
	dl.data_id = page.items[0].id;
	dl.url = page.items[0].presigned_url;
	ok(picsellia_download_many(p, &dl, 1, 1, &err) < 0 && dl.err.kind == ERR_FORBIDDEN,
	   "a URL that stays expired: forbidden (%s)", dl.err.msg);
	log = standin_log(&srv);
	is_int(standin_count(log, "GET", "/storage/"), 2, "the URL was renewed exactly once");
	cJSON_Delete(log);
	picsellia_data_page_clear(&page);
	picsellia_free(&p);
}

int main(void)
{
	const char *ttl[] = {"--url-ttl", "2", NULL};
	struct picsellia_data_page page = {0};
	struct picsellia *p;

	standin_start(&srv, ttl);
	p = connect_as("alice-token", 0);
	if (first_data(p, NIMAGES, &page) < 0) {
		printf("Bail out! no data to download\n");
		return 1;
	}
	test_parallel(p, &page);
	test_file(p, &page);
	test_expired(p, &page);
	test_cap(&page);
	is_int(standin_violations(&srv), 0, "the server recorded no violation");
	picsellia_data_page_clear(&page);
	picsellia_free(&p);
	test_always_expired();
	standin_stop(&srv);
	fx_cleanup();
	return done_testing();
}
