/* Two annotty processes on one cache: undo belongs to the run that made the edit (a process
 * working beside this one keeps its edits to itself; an ended or killed run's edits can be
 * undone, and say that they are an earlier run's), a peek says what undo would do without doing
 * it, and each connection learns when another has committed. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "cache_fixture.h"
#include "core/err.h"
#include "core/model.h"
#include "tap.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *dir;
static char db_path[4096];

static int64_t first_asset(struct cache *c, int64_t ds)
{
	struct asset_row row;
	struct asset_query q = {.dataset_id = ds};
	int n = 0;

	if (cache_assets_page(c, &q, NULL, 0, &row, 1, &n, NULL) < 0 || n != 1)
		return 0;
	return row.id;
}

/* A second process: opens the cache, tags the asset, tells the parent, and waits on the pipe
 * until the parent closes it (or is killed before). */
static pid_t child_tags(int64_t asset, const char *tag, int *to_child, int *from_child)
{
	int down[2], up[2];
	pid_t pid;

	if (pipe(down) < 0 || pipe(up) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		struct cache *c = NULL;
		struct err err = {0};
		char byte = 'x';

		close(down[1]);
		close(up[0]);
		if (cache_open(db_path, &c, &err) < 0 || cache_tag_add(c, asset, tag, &err) < 0)
			byte = '!';
		if (write(up[1], &byte, 1) != 1 || read(down[0], &byte, 1) < 0)
			byte = '!';
		cache_close(&c);
		_exit(byte == '!');
	}
	close(down[0]);
	close(up[1]);
	*to_child = down[1];
	*from_child = up[0];
	return pid;
}

static void test_beside(struct cache *c, int64_t ds)
{
	int64_t a = first_asset(c, ds), touched = 0, v0 = 0, v1 = 0;
	struct undo_step step;
	struct err err = {0};
	char what[128], byte;
	int to, from, status;
	pid_t pid;

	ok(cache_tag_add(c, a, "fromA", &err) == 0, "this run tags the asset (%s)", err.msg);
	cache_data_version(c, &v0, &err);
	pid = child_tags(a, "fromB", &to, &from);
	ok(pid > 0 && read(from, &byte, 1) == 1 && byte == 'x', "another annotty tags it too");
	ok(cache_data_version(c, &v1, &err) == 0 && v1 != v0,
	   "this connection sees that the cache changed beside it");
	ok(cache_undo_peek(c, ds, 0, &step, &err) == 0 && strstr(step.what, "fromA") != NULL &&
	       !step.earlier_run,
	   "undo would take this run's own edit (%s)", step.what);
	ok(cache_undo(c, ds, &touched, what, sizeof what, &err) == 0 &&
	       strstr(what, "fromA") != NULL,
	   "undo takes back this run's tag, not the other's: %s", what);
	ok(cache_undo_peek(c, ds, 0, &step, &err) == 0 && step.asset_id == 0,
	   "and then has nothing: the other process's edit is its own");
	close(to);
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the other annotty ends");
	ok(cache_undo_peek(c, ds, 0, &step, &err) == 0 && strstr(step.what, "fromB") != NULL &&
	       step.earlier_run,
	   "once it ended, its edit can be undone and says it is an earlier run's (%s)", step.what);
	ok(cache_undo(c, ds, &touched, what, sizeof what, &err) == 0, "undo it");
}

static void test_killed(struct cache *c, int64_t ds)
{
	int64_t a = first_asset(c, ds);
	struct undo_step step;
	struct err err = {0};
	int to, from, status;
	char byte;
	pid_t pid = child_tags(a, "killed", &to, &from);

	ok(pid > 0 && read(from, &byte, 1) == 1, "an annotty tags and is killed before it ends");
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	close(to);
	ok(cache_undo_peek(c, ds, 0, &step, &err) == 0 && strstr(step.what, "killed") != NULL &&
	       step.earlier_run,
	   "a killed run's edit counts as an earlier run's (%s)", step.what);
}

int main(void)
{
	struct dataset_doc *doc = fixture_doc_rich(4);
	struct cache *c = NULL;
	struct err err = {0};
	int64_t ds = 0;

	dir = fixture_tmpdir();
	fixture_path(db_path, sizeof db_path, dir, "runs.db");
	if (cache_open(db_path, &c, &err) < 0 ||
	    cache_import(c, "coco", "/runs.json", "fp", doc, &ds, NULL, &err) < 0) {
		printf("# %s\n", err.msg);
		return 1;
	}
	test_beside(c, ds);
	test_killed(c, ds);
	cache_close(&c);
	dataset_doc_free(&doc);
	fixture_rmdir(&dir);
	return done_testing();
}
