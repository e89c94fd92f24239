/* Files annotty makes and reads: the log is the user's alone whatever the umask, a file over a
 * reader's cap is refused before it is read, and paths are compared on their normal form. */
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/paths.h"
#include "tap.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_log_mode(const char *dir)
{
	char path[4096];
	struct stat st;
	mode_t old = umask(0);

	snprintf(path, sizeof path, "%s/annotty.log", dir);
	ok(log_open(path) == 0, "the log opens under umask 000");
	log_msg(LOG_INFO, "hello");
	log_close();
	umask(old);
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "it is created 0600 (%o)",
	   (unsigned)(st.st_mode & 0777));
	chmod(path, 0666);
	log_open(path);
	log_close();
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
	   "a log left readable by others is made private again (%o)",
	   (unsigned)(st.st_mode & 0777));
	unlink(path);
}

static void test_size_cap(const char *dir)
{
	char path[4096];
	struct err err = {0};
	struct buf b;
	double t0, took;
	int fd, rc;

	snprintf(path, sizeof path, "%s/huge.jpg", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	/* sparse: 6 GB on paper, no disk used */
	ok(fd >= 0 && ftruncate(fd, 6LL << 30) == 0, "a 6 GB file");
	if (fd >= 0)
		close(fd);
	buf_init(&b, 256u << 20);
	t0 = now();
	rc = buf_read_file(&b, path, &err);
	took = now() - t0;
	ok(rc < 0 && err.kind == ERR_TOO_LARGE && strstr(err.msg, "256 MiB") != NULL,
	   "is refused as too large: %s", err.msg);
	ok(b.len == 0 && took < 0.05, "before any of it is read (%zu bytes, %.3f s)", b.len, took);
	buf_free(&b);
	unlink(path);
	err.msg[0] = '\0';
	buf_init(&b, 1024);
	ok(buf_read_file(&b, "/nonexistent/annotty", &err) < 0 && err.kind == ERR_NOT_FOUND,
	   "a missing file is not found: %s", err.msg);
	buf_free(&b);
}

static void test_normalize(void)
{
	char out[4096], cwd[4096];

	ok(paths_normalize("/a/b/../c/./d//e/", out, sizeof out) == 0, "normalize");
	is_str(out, "/a/c/d/e", "dots and slashes resolved");
	paths_normalize("/a/../../../etc/passwd", out, sizeof out);
	is_str(out, "/etc/passwd", ".. stops at the root");
	ok(getcwd(cwd, sizeof cwd) != NULL && paths_normalize("x/../y", out, sizeof out) == 0 &&
	       strncmp(out, cwd, strlen(cwd)) == 0 && strcmp(out + strlen(cwd), "/y") == 0,
	   "a relative path is taken from the current folder (%s)", out);
	ok(paths_is_inside("/data/ds/images/a.jpg", "/data/ds"), "inside");
	ok(!paths_is_inside("/data/ds/../../../../etc/passwd", "/data/ds"), "climbing out is not");
	ok(!paths_is_inside("/data/dsx/a.jpg", "/data/ds"), "a sibling with the same start is not");
	ok(paths_is_inside("/data/ds", "/data/ds/"), "the folder itself is");
}

int main(void)
{
	char dir[] = "/tmp/annotty-files-XXXXXX";

	if (mkdtemp(dir) == NULL)
		return 1;
	test_log_mode(dir);
	test_size_cap(dir);
	test_normalize();
	rmdir(dir);
	return done_testing();
}
