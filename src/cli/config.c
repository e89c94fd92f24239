/* The credentials file (one section per organization and host, the latest login first), the
 * PICSELLIA_* environment, and reading a token from the terminal without echo. */
#include "cli/config.h"
#include "cli/cli.h"
#include "core/err.h"
#include "core/paths.h"
#include "core/str.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#define SECTION_PREFIX "[picsellia "

void cli_wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n-- > 0)
		*v++ = 0;
}

int cli_creds_path(char *out, size_t n, struct err *err)
{
	char config[PATH_MAX];
	char *slash;

	/* beside the config file paths.c names, in the same folder */
	if (paths_config_file(config, sizeof config, err) < 0)
		return -1;
	slash = strrchr(config, '/');
	if (slash == NULL)
		return err_set(err, "no folder for the credentials file");
	*slash = '\0';
	if (paths_join(out, n, config, "credentials") < 0)
		return err_set(err, "the credentials path is too long");
	return 0;
}

/* ---- reading ---------------------------------------------------------------------------- */

/* The file's permissions allow nobody but its owner, who is us. */
static int creds_check_mode(int fd, const char *path, struct err *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return err_setk(err, ERR_IO, "cannot read %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return err_setk(err, ERR_FORBIDDEN, "%s is not a plain file", path);
	if (st.st_uid != geteuid())
		return err_setk(err, ERR_FORBIDDEN,
		                "%s belongs to another user; annotty uses only credentials of your "
		                "own (remove it and run annotty login)",
		                path);
	if (st.st_mode & 077)
		return err_setk(err, ERR_FORBIDDEN,
		                "%s can be read by others (mode %03o), so its token is not used; "
		                "make it private with: chmod 600 %s",
		                path, (unsigned)(st.st_mode & 0777), path);
	if (st.st_size > CLI_CREDS_BYTES)
		return err_setk(err, ERR_TOO_LARGE, "%s is larger than %d bytes", path,
		                CLI_CREDS_BYTES);
	return 0;
}

/* The whole file into buf (NUL-terminated), which the caller wipes. */
static int creds_read_all(int fd, char *buf, size_t cap, const char *path, struct err *err)
{
	size_t len = 0;
	ssize_t r;

	while (len + 1 < cap && (r = read(fd, buf + len, cap - 1 - len)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return err_setk(err, ERR_IO, "cannot read %s: %s", path, strerror(errno));
		len += (size_t)r;
	}
	buf[len] = '\0';
	return 0;
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* "[picsellia ORG@HOST]" into a new entry. */
static int creds_section(struct cli_creds *c, char *line, int lineno, const char *path,
                         struct err *err)
{
	char *body = line + strlen(SECTION_PREFIX), *end = strrchr(body, ']'), *at;
	struct cli_remote *r;

	if (end == NULL || (*end = '\0', (at = strchr(body, '@')) == NULL))
		return err_setk(err, ERR_PARSE, "%s:%d: a section reads [picsellia ORG@HOST]", path,
		                lineno);
	if (c->n == CLI_CREDS_MAX)
		return err_setk(err, ERR_TOO_LARGE, "%s holds more than %d organizations", path,
		                CLI_CREDS_MAX);
	*at = '\0';
	r = &c->items[c->n++];
	str_copy(r->organization, body, sizeof r->organization);
	str_copy(r->host, at + 1, sizeof r->host);
	return 0;
}

static int creds_line(struct cli_creds *c, char *line, int lineno, const char *path,
                      struct err *err)
{
	char *eq, *key, *value;

	line = trim(line);
	if (line[0] == '\0' || line[0] == '#')
		return 0;
	if (strncmp(line, SECTION_PREFIX, strlen(SECTION_PREFIX)) == 0)
		return creds_section(c, line, lineno, path, err);
	eq = strchr(line, '=');
	if (eq == NULL || c->n == 0)
		return err_setk(err, ERR_PARSE,
		                "%s:%d: expected [picsellia ORG@HOST] or token = ...", path,
		                lineno);
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	if (strcmp(key, "token") != 0)
		return err_setk(err, ERR_PARSE, "%s:%d: unknown key %s", path, lineno, key);
	if (strlen(value) >= CLI_TOKEN_MAX)
		return err_setk(err, ERR_TOO_LARGE, "%s:%d: the token is too long", path, lineno);
	str_copy(c->items[c->n - 1].token, value, CLI_TOKEN_MAX);
	return 0;
}

static int creds_parse(struct cli_creds *c, char *text, const char *path, struct err *err)
{
	int lineno = 0;

	for (char *line = text, *next; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (creds_line(c, line, ++lineno, path, err) < 0)
			return -1;
	}
	return 0;
}

int cli_creds_load(struct cli_creds **out, struct err *err)
{
	char path[PATH_MAX], *text = NULL;
	struct cli_creds *c;
	int fd = -1, rc = -1;

	*out = NULL;
	if (cli_creds_path(path, sizeof path, err) < 0)
		return -1;
	if ((c = calloc(1, sizeof *c)) == NULL)
		return err_set(err, "out of memory for the credentials");
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT) {
		*out = c;
		return 0;
	}
	if (fd < 0) {
		err_setk(err, ERR_IO, "cannot open %s: %s", path, strerror(errno));
		goto out;
	}
	if (creds_check_mode(fd, path, err) < 0)
		goto out;
	if ((text = malloc(CLI_CREDS_BYTES + 1)) == NULL) {
		err_set(err, "out of memory reading %s", path);
		goto out;
	}
	if (creds_read_all(fd, text, CLI_CREDS_BYTES + 1, path, err) < 0 ||
	    creds_parse(c, text, path, err) < 0)
		goto out;
	rc = 0;
out:
	if (text != NULL) {
		cli_wipe(text, CLI_CREDS_BYTES + 1);
		free(text);
	}
	if (fd >= 0)
		close(fd);
	if (rc == 0)
		*out = c;
	else
		cli_creds_free(&c);
	return rc;
}

void cli_creds_free(struct cli_creds **c)
{
	if (*c == NULL)
		return;
	cli_wipe(*c, sizeof **c);
	free(*c);
	*c = NULL;
}

/* ---- writing ---------------------------------------------------------------------------- */

static int write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

static int creds_write_fd(int fd, const struct cli_creds *c)
{
	static const char head[] =
	    "# annotty's Picsellia credentials, written by annotty login: one section per\n"
	    "# organization and host, the default (the latest login) first. Keep it private\n"
	    "# (mode 600): annotty refuses it otherwise.\n";
	int rc = write_all(fd, head, sizeof head - 1);

	for (int i = 0; rc == 0 && i < c->n; i++) {
		const struct cli_remote *r = &c->items[i];

		rc = write_all(fd, "\n" SECTION_PREFIX, strlen(SECTION_PREFIX) + 1) < 0 ||
		             write_all(fd, r->organization, strlen(r->organization)) < 0 ||
		             write_all(fd, "@", 1) < 0 ||
		             write_all(fd, r->host, strlen(r->host)) < 0 ||
		             write_all(fd, "]\ntoken = ", 10) < 0 ||
		             write_all(fd, r->token, strlen(r->token)) < 0 ||
		             write_all(fd, "\n", 1) < 0
		         ? -1
		         : 0;
	}
	return rc;
}

/* A private folder for the file (created 0700 when missing). */
static int creds_dir(const char *path, char *dir, size_t n, struct err *err)
{
	char *slash;

	str_copy(dir, path, n);
	slash = strrchr(dir, '/');
	if (slash == NULL)
		return err_set(err, "no folder for %s", path);
	*slash = '\0';
	if (paths_mkdirs(dir, err) < 0)
		return -1;
	return 0;
}

int cli_creds_save(const struct cli_creds *c, struct err *err)
{
	char path[PATH_MAX], dir[PATH_MAX], tmp[PATH_MAX + 16];
	int fd, dfd, rc = -1;

	if (cli_creds_path(path, sizeof path, err) < 0 || creds_dir(path, dir, sizeof dir, err) < 0)
		return -1;
	snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0)
		return err_setk(err, ERR_IO, "cannot write in %s: %s", dir, strerror(errno));
	/* mkstemp's mode is 0600 less the umask: made exactly 0600 whatever the umask */
	if (fchmod(fd, 0600) < 0 || creds_write_fd(fd, c) < 0 || fsync(fd) < 0) {
		err_setk(err, ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		goto out;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		err_setk(err, ERR_IO, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(dfd); /* the rename survives a crash */
		close(dfd);
	}
	rc = 0;
out:
	if (tmp[0] != '\0')
		unlink(tmp);
	return rc;
}

int cli_creds_put(struct cli_creds *c, const char *host, const char *organization,
                  const char *token, struct err *err)
{
	struct cli_remote *r;

	if (strlen(host) >= CLI_HOST_MAX || strlen(organization) >= CLI_ORG_MAX ||
	    strlen(token) >= CLI_TOKEN_MAX)
		return err_setk(err, ERR_TOO_LARGE, "the host, organization or token is too long");
	cli_creds_remove(c, host, organization);
	if (c->n == CLI_CREDS_MAX)
		return err_setk(err, ERR_TOO_LARGE,
		                "%d organizations are stored already; log out of one first",
		                CLI_CREDS_MAX);
	memmove(&c->items[1], &c->items[0], (size_t)c->n * sizeof c->items[0]);
	c->n++;
	r = &c->items[0];
	memset(r, 0, sizeof *r);
	str_copy(r->host, host, sizeof r->host);
	str_copy(r->organization, organization, sizeof r->organization);
	str_copy(r->token, token, sizeof r->token);
	return 0;
}

static int remote_matches(const struct cli_remote *r, const char *host, const char *organization)
{
	return (host == NULL || strcmp(r->host, host) == 0) &&
	       (organization == NULL || strcmp(r->organization, organization) == 0);
}

int cli_creds_remove(struct cli_creds *c, const char *host, const char *organization)
{
	int kept = 0, removed = 0;

	for (int i = 0; i < c->n; i++) {
		int drop = host == NULL && organization == NULL
		               ? i == 0
		               : remote_matches(&c->items[i], host, organization);

		if (drop) {
			removed++;
			continue;
		}
		if (kept != i)
			c->items[kept] = c->items[i];
		kept++;
	}
	for (int i = kept; i < c->n; i++)
		cli_wipe(&c->items[i], sizeof c->items[i]);
	c->n = kept;
	return removed;
}

/* ---- choosing the organization ---------------------------------------------------------- */

int cli_host_normalize(const char *in, char *out, size_t n, struct err *err)
{
	size_t len;

	if (in == NULL || in[0] == '\0')
		in = CLI_DEFAULT_HOST;
	if (strncmp(in, "https://", 8) != 0 && strncmp(in, "http://", 7) != 0)
		return err_setk(err, ERR_USAGE, "the host must be an http:// or https:// URL: %s",
		                in);
	for (const char *p = in; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == ']' || *p == 0x7f)
			return err_setk(err, ERR_USAGE,
			                "the host holds a space or a control character");
	if (str_copy(out, in, n) >= n)
		return err_setk(err, ERR_USAGE, "the host is too long");
	len = strlen(out);
	while (len > 8 && out[len - 1] == '/')
		out[--len] = '\0';
	return 0;
}

/* A value from the command line, else from the environment, else NULL. */
static const char *chosen(const struct cli_call *call, int opt, const char *env)
{
	const char *v = call->value[opt];

	if (v == NULL || v[0] == '\0')
		v = getenv(env);
	return v != NULL && v[0] != '\0' ? v : NULL;
}

static int remote_from_env(const struct cli_call *call, const char *token, struct cli_remote *out,
                           struct err *err)
{
	const char *org = chosen(call, OPT_ORGANIZATION, "PICSELLIA_ORGANIZATION");

	if (cli_host_normalize(chosen(call, OPT_HOST, "PICSELLIA_HOST"), out->host,
	                       sizeof out->host, err) < 0)
		return -1;
	if (strlen(token) >= sizeof out->token)
		return err_setk(err, ERR_TOO_LARGE, "PICSELLIA_TOKEN is too long");
	str_copy(out->organization, org != NULL ? org : "", sizeof out->organization);
	str_copy(out->token, token, sizeof out->token);
	out->from_env = 1;
	return 0;
}

static int remote_from_creds(const struct cli_call *call, struct cli_remote *out, struct err *err)
{
	const char *host_in = chosen(call, OPT_HOST, "PICSELLIA_HOST");
	const char *org = chosen(call, OPT_ORGANIZATION, "PICSELLIA_ORGANIZATION");
	char host[CLI_HOST_MAX];
	struct cli_creds *c = NULL;
	int rc = -1;

	if (host_in != NULL && cli_host_normalize(host_in, host, sizeof host, err) < 0)
		return -1;
	if (cli_creds_load(&c, err) < 0)
		return -1;
	for (int i = 0; i < c->n; i++)
		if (remote_matches(&c->items[i], host_in != NULL ? host : NULL, org)) {
			*out = c->items[i];
			rc = 0;
			break;
		}
	if (rc < 0 && c->n == 0)
		err_setk(err, ERR_NOT_FOUND,
		         "no Picsellia organization is configured: run annotty login (or set "
		         "PICSELLIA_TOKEN)");
	else if (rc < 0)
		err_setk(err, ERR_NOT_FOUND, "no login for %s%s%s: run annotty login%s%s%s%s",
		         org != NULL ? org : "", org != NULL && host_in != NULL ? " at " : "",
		         host_in != NULL ? host : "", host_in != NULL ? " --host " : "",
		         host_in != NULL ? host : "", org != NULL ? " --organization " : "",
		         org != NULL ? org : "");
	cli_creds_free(&c);
	return rc;
}

int cli_remote_resolve(const struct cli_call *call, struct cli_remote *out, struct err *err)
{
	const char *token = getenv("PICSELLIA_TOKEN");

	memset(out, 0, sizeof *out);
	if (token != NULL && token[0] != '\0')
		return remote_from_env(call, token, out, err);
	return remote_from_creds(call, out, err);
}

/* ---- reading a token -------------------------------------------------------------------- */

static struct termios tty_saved;
static volatile sig_atomic_t tty_changed;

/* A signal while echo is off gives the terminal back before the process ends. */
static void tty_restore_and_die(int sig)
{
	if (tty_changed)
		tcsetattr(STDIN_FILENO, TCSANOW, &tty_saved);
	signal(sig, SIG_DFL);
	raise(sig);
}

static int echo_off(struct sigaction *old_int, struct sigaction *old_term)
{
	struct termios quiet;
	struct sigaction sa;

	if (tcgetattr(STDIN_FILENO, &tty_saved) < 0)
		return -2; /* nothing changed yet */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tty_restore_and_die;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, old_int);
	sigaction(SIGTERM, &sa, old_term);
	quiet = tty_saved;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	tty_changed = 1;
	return tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
}

static void echo_on(const struct sigaction *old_int, const struct sigaction *old_term)
{
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &tty_saved);
	tty_changed = 0;
	sigaction(SIGINT, old_int, NULL);
	sigaction(SIGTERM, old_term, NULL);
}

/* One line byte by byte with read(2): no stdio buffer keeps a copy of the token. */
static int read_line(char *out, size_t n, struct err *err)
{
	size_t len = 0;
	char ch;
	ssize_t r;

	while ((r = read(STDIN_FILENO, &ch, 1)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return err_setk(err, ERR_IO, "cannot read the token: %s", strerror(errno));
		if (ch == '\n')
			break;
		if (len + 1 >= n) {
			cli_wipe(out, n);
			return err_setk(err, ERR_TOO_LARGE, "the token is longer than %zu bytes",
			                n - 1);
		}
		out[len++] = ch;
	}
	out[len] = '\0';
	return 0;
}

static int token_clean(char *out, size_t n, struct err *err)
{
	char *s = out, *end;
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	len = strlen(s);
	memmove(out, s, len + 1);
	cli_wipe(out + len, n - len);
	if (len == 0)
		return err_setk(err, ERR_USAGE, "no token given");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)out[i] < 0x21 || out[i] == 0x7f) {
			cli_wipe(out, n);
			return err_setk(err, ERR_USAGE,
			                "the token holds a space or a control character");
		}
	return 0;
}

int cli_token_read(const char *prompt, char *out, size_t n, struct err *err)
{
	struct sigaction old_int, old_term;
	int tty = isatty(STDIN_FILENO), rc;

	out[0] = '\0';
	if (tty) {
		fputs(prompt, stderr);
		fflush(stderr);
		if ((rc = echo_off(&old_int, &old_term)) < 0) {
			if (rc == -1)
				echo_on(&old_int, &old_term);
			return err_setk(err, ERR_IO, "cannot turn the terminal's echo off: %s",
			                strerror(errno));
		}
	}
	rc = read_line(out, n, err);
	if (tty) {
		echo_on(&old_int, &old_term);
		fputc('\n', stderr);
	}
	if (rc < 0)
		return -1;
	return token_clean(out, n, err);
}
