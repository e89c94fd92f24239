/* Terminal capabilities, raw writes and signal handling (see term.h). */
#include "ui/term.h"
#include "core/str.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <stdio.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int term_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd pfd = {.fd = fd, .events = POLLOUT};
			poll(&pfd, 1, 100);
			continue;
		}
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* The parameters of the first ESC [ ? reply that ends in final (digits and semicolons
 * between), or NULL; *len is their length. Other replies that start the same way (DECRQM's
 * ESC [ ? 2026 ; 2 $ y, XTSMGRAPHICS's ... S) are stepped over. */
static const char *private_reply(const char *replies, char final, size_t *len)
{
	for (const char *p = strstr(replies, "\033[?"); p != NULL; p = strstr(p + 1, "\033[?")) {
		const char *q = p + 3;

		while ((*q >= '0' && *q <= '9') || *q == ';')
			q++;
		if (*q == final) {
			*len = (size_t)(q - (p + 3));
			return p + 3;
		}
	}
	return NULL;
}

/* Reads replies until the primary device attributes answer (ESC [ ? ... c) or the timeout. */
static size_t read_replies(int fd, char *buf, size_t cap, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	size_t len = 0;

	while (len + 1 < cap) {
		long left = deadline - now_ms();
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			break;
		n = read(fd, buf + len, cap - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (buf[len - 1] == 'c' && private_reply(buf, 'c', &(size_t){0}) != NULL)
			break;
	}
	buf[len] = '\0';
	return len;
}

static void parse_da1(const char *replies, struct term_caps *caps)
{
	size_t n;
	const char *p = private_reply(replies, 'c', &n);

	if (p == NULL)
		return;
	if (n > sizeof caps->da1 - 1)
		n = sizeof caps->da1 - 1;
	memcpy(caps->da1, p, n);
	caps->da1[n] = '\0';
	/* attribute 4 anywhere after the first (device class) field means sixel */
	for (const char *q = strchr(caps->da1, ';'); q != NULL; q = strchr(q + 1, ';'))
		if (atoi(q + 1) == 4)
			caps->sixel = 1;
}

/* CSI 6 ; height ; width t is the cell size in pixels (reply to CSI 16 t). */
static void parse_cell_size(const char *replies, struct term_caps *caps)
{
	const char *p = strstr(replies, "\033[6;");
	int h, w;

	if (p != NULL && sscanf(p + 4, "%d;%dt", &h, &w) == 2 && h > 0 && w > 0 && h < 200 &&
	    w < 200) {
		caps->cell_w = w;
		caps->cell_h = h;
	}
}

/* XTSMGRAPHICS read reply: CSI ? 1 ; 0 ; registers S (item 1 colour registers, status 0). */
static void parse_color_registers(const char *replies, struct term_caps *caps)
{
	size_t n;
	const char *p = private_reply(replies, 'S', &n);
	int item, status, value;

	if (p != NULL && sscanf(p, "%d;%d;%d", &item, &status, &value) == 3 && item == 1 &&
	    status == 0 && value > 0)
		caps->color_registers = value;
}

/* Mode 2026 report: CSI ? 2026 ; Ps $ y with Ps 1 or 2 when the terminal knows it. */
static void parse_sync_mode(const char *replies, struct term_caps *caps)
{
	const char *p = strstr(replies, "\033[?2026;");

	if (p != NULL && (p[8] == '1' || p[8] == '2'))
		caps->sync_output = 1;
}

static void cell_size_from_winsize(int fd, struct term_caps *caps)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0 && ws.ws_xpixel > 0 &&
	    ws.ws_ypixel > 0) {
		caps->cell_w = ws.ws_xpixel / ws.ws_col;
		caps->cell_h = ws.ws_ypixel / ws.ws_row;
	}
}

static int env_says_iterm2(void)
{
	const char *program = getenv("TERM_PROGRAM"), *lc = getenv("LC_TERMINAL");

	return (program != NULL &&
	        (strcmp(program, "iTerm.app") == 0 || strcmp(program, "WezTerm") == 0)) ||
	       (lc != NULL && strcmp(lc, "iTerm2") == 0);
}

/* ---- tmux ----------------------------------------------------------------------------------- */

const char term_tmux_format[] = "#{version}\t#{client_termname}\t#{client_termtype}\t"
                                "#{client_termfeatures}\t#{allow-passthrough}";

int term_env_in_tmux(const char *tmux_env, const char *term)
{
	return (tmux_env != NULL && tmux_env[0] != '\0') ||
	       (term != NULL && (strncmp(term, "tmux", 4) == 0 || strncmp(term, "screen", 6) == 0));
}

/* Copies the field that starts at *p up to the next tab or the end, and moves *p past it.
 * Returns 0 when a tab ended it. */
static int tmux_field(const char **p, char *dst, size_t cap)
{
	size_t n = strcspn(*p, "\t\r\n");
	int tab = (*p)[n] == '\t';

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, *p, n);
	dst[n] = '\0';
	*p += strcspn(*p, "\t\r\n") + (tab ? 1 : 0);
	return tab ? 0 : -1;
}

int term_tmux_parse(const char *line, struct term_tmux *t)
{
	const char *p = line;

	if (tmux_field(&p, t->version, sizeof t->version) < 0 ||
	    tmux_field(&p, t->termname, sizeof t->termname) < 0 ||
	    tmux_field(&p, t->termtype, sizeof t->termtype) < 0 ||
	    tmux_field(&p, t->features, sizeof t->features) < 0)
		return -1;
	tmux_field(&p, t->passthrough, sizeof t->passthrough);
	/* one line only: anything after the last field's end of line is not tmux's answer */
	p += strspn(p, "\r\n");
	return *p == '\0' ? 0 : -1;
}

/* "3.3a" and "next-3.4" give 3 and 3, 3 and 4; -1 when there is no number. */
static int version_of(const char *s, int *major, int *minor)
{
	s += strcspn(s, "0123456789");
	return sscanf(s, "%d.%d", major, minor) == 2 ? 0 : -1;
}

static int version_before(const char *s, int major, int minor)
{
	int a, b;

	return version_of(s, &a, &b) == 0 && (a < major || (a == major && b < minor));
}

/* Placeholders came with kitty 0.28; ghostty had them from the start. XTVERSION says
 * "kitty(0.35.2)"; a name without a version (TERM=xterm-kitty) is taken as recent. */
static int draws_placeholders(const char *name, const char *clue)
{
	const char *v = strcasestr(clue, "kitty(");

	if (strcmp(name, "ghostty") == 0)
		return 1;
	if (strcmp(name, "kitty") != 0)
		return 0;
	return v == NULL || !version_before(v + 6, 0, 28);
}

/* Names the outer terminal from one clue: the two that draw placeholders by their short name,
 * anything else as it was written. */
static void tmux_outer(struct term_tmux *t, const char *clue, const char *from)
{
	if (strcasestr(clue, "kitty") != NULL)
		str_copy(t->outer, "kitty", sizeof t->outer);
	else if (strcasestr(clue, "ghostty") != NULL)
		str_copy(t->outer, "ghostty", sizeof t->outer);
	else
		str_copy(t->outer, clue, sizeof t->outer);
	str_copy(t->outer_from, from, sizeof t->outer_from);
	t->outer_kitty = draws_placeholders(t->outer, clue);
}

/* name present in a comma-separated list. */
static int list_has(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; *p != '\0'; p += strcspn(p, ",") + (p[strcspn(p, ",")] != '\0'))
		if (strncasecmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

void term_tmux_judge(struct term_tmux *t, const char *kitty_window_id, const char *term_program)
{
	const char *pt = t->passthrough;

	t->outer[0] = t->outer_from[0] = '\0';
	t->outer_kitty = 0;
	/* XTVERSION names the program itself; TERM may be a borrowed name; the environment comes
	 * from wherever the tmux server was started, maybe another terminal */
	if (t->termtype[0] != '\0')
		tmux_outer(t, t->termtype, "client_termtype");
	else if (t->termname[0] != '\0')
		tmux_outer(t, t->termname, "client_termname");
	else if (kitty_window_id != NULL && kitty_window_id[0] != '\0')
		tmux_outer(t, "kitty", "KITTY_WINDOW_ID");
	else if (term_program != NULL && term_program[0] != '\0' &&
	         strcasecmp(term_program, "tmux") != 0)
		tmux_outer(t, term_program, "TERM_PROGRAM");
	t->outer_sixel = list_has(t->features, "sixel");
	/* before 3.3 tmux passed every DCS tmux; sequence on, and had no option for it */
	t->passthrough_ok = strcmp(pt, "1") == 0 || strcasecmp(pt, "on") == 0 ||
	                    strcasecmp(pt, "all") == 0 ||
	                    (t->answered && pt[0] == '\0' && version_before(t->version, 3, 3));
}

/* Runs tmux display-message -p with the format and reads its one line for at most timeout_ms;
 * a tmux that does not answer in time is killed. No shell: nothing is interpolated. */
static void tmux_ask(int timeout_ms, struct term_tmux *t)
{
	char *argv[] = {"tmux", "display-message", "-p", (char *)term_tmux_format, NULL};
	posix_spawn_file_actions_t fa;
	long deadline = now_ms() + timeout_ms;
	char line[512];
	size_t len = 0;
	int fds[2], status, done = 0;
	pid_t pid;

	if (pipe(fds) < 0)
		return;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	t->asked = 1;
	if (posix_spawnp(&pid, "tmux", &fa, NULL, argv, environ) != 0)
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	while (pid > 0 && !done && len + 1 < sizeof line) {
		struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
		long left = deadline - now_ms();
		ssize_t n;
		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			break;
		n = read(fds[0], line + len, sizeof line - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		done = n <= 0;
		len += n > 0 ? (size_t)n : 0;
	}
	close(fds[0]);
	line[len] = '\0';
	if (pid <= 0)
		return;
	if (!done)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	t->answered =
	    done && WIFEXITED(status) && WEXITSTATUS(status) == 0 && term_tmux_parse(line, t) == 0;
}

/* ---- detection ---------------------------------------------------------------------------- */

void term_detect(int fd, int timeout_ms, struct term_caps *caps)
{
	/* inside tmux the kitty query is left out: tmux does not pass it on, and takes an APC
	 * string for a pane title */
	static const char query[] = "\033[16t\033[?2026$p\033[?1;1S"
	                            "\033_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\033\\\033[c";
	static const char query_tmux[] = "\033[16t\033[?2026$p\033[c";
	const char *colorterm = getenv("COLORTERM"), *tmux = getenv("TMUX");
	struct termios saved, raw;
	char replies[1024];
	int ok;

	memset(caps, 0, sizeof *caps);
	caps->in_tmux = term_env_in_tmux(tmux, getenv("TERM"));
	caps->truecolor = colorterm != NULL && (strstr(colorterm, "truecolor") != NULL ||
	                                        strstr(colorterm, "24bit") != NULL);
	cell_size_from_winsize(fd, caps);
	caps->iterm2 = env_says_iterm2();
	if (caps->in_tmux) {
		/* only the tmux named by $TMUX: TERM=tmux alone can be a tmux on another machine */
		if (tmux != NULL && tmux[0] != '\0')
			tmux_ask(timeout_ms, &caps->tmux);
		term_tmux_judge(&caps->tmux, getenv("KITTY_WINDOW_ID"), getenv("TERM_PROGRAM"));
		caps->kitty_placeholders = caps->tmux.outer_kitty && caps->tmux.passthrough_ok;
	}
	if (!isatty(fd) || tcgetattr(fd, &saved) < 0)
		return;
	raw = saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(fd, TCSANOW, &raw) < 0)
		return;
	ok = caps->in_tmux ? term_write_all(fd, query_tmux, sizeof query_tmux - 1)
	                   : term_write_all(fd, query, sizeof query - 1);
	if (ok == 0) {
		size_t n = read_replies(fd, replies, sizeof replies, timeout_ms);

		term_parse_replies(replies, caps);
		term_keep_typeahead(replies, n, caps);
	}
	tcsetattr(fd, TCSANOW, &saved);
}

void term_parse_replies(const char *replies, struct term_caps *caps)
{
	parse_da1(replies, caps);
	if (caps->cell_w == 0)
		parse_cell_size(replies, caps);
	parse_sync_mode(replies, caps);
	parse_color_registers(replies, caps);
	if (strstr(replies, "\033_Gi=31;OK") != NULL)
		caps->kitty = 1;
}

size_t term_sequence_length(const char *p, size_t len)
{
	size_t i = 2;

	if (len < 3 || p[0] != '\033')
		return 0;
	if (p[1] == '[') {
		while (i < len && (unsigned char)p[i] >= 0x20 && (unsigned char)p[i] <= 0x3f)
			i++;
		return i < len && (unsigned char)p[i] >= 0x40 && (unsigned char)p[i] <= 0x7e ? i + 1
		                                                                             : 0;
	}
	if (p[1] == '_') {
		for (; i + 1 < len; i++)
			if (p[i] == '\033' && p[i + 1] == '\\')
				return i + 2;
	}
	return 0;
}

void term_keep_typeahead(const char *replies, size_t len, struct term_caps *caps)
{
	size_t i = 0, seq;

	caps->ntypeahead = 0;
	while (i < len) {
		if (replies[i] == '\033') {
			if ((seq = term_sequence_length(replies + i, len - i)) == 0)
				return;
			i += seq;
			continue;
		}
		if (caps->ntypeahead < (int)sizeof caps->typeahead)
			caps->typeahead[caps->ntypeahead++] = replies[i];
		i++;
	}
}

int term_sixel_colors(const struct term_caps *caps)
{
	if (caps->color_registers >= 2 && caps->color_registers < 256)
		return caps->color_registers;
	return 256;
}

enum graphics_mode term_choose_graphics(enum graphics_mode wanted, const struct term_caps *caps)
{
	/* plain kitty cannot cross tmux, and placeholders need no tmux outside it */
	if (wanted == GRAPHICS_KITTY && caps->in_tmux)
		return GRAPHICS_KITTY_TMUX;
	if (wanted == GRAPHICS_KITTY_TMUX && !caps->in_tmux)
		return GRAPHICS_KITTY;
	if (wanted != GRAPHICS_AUTO)
		return wanted;
	/* kitty's protocol is the cheapest to draw where it exists; through tmux only as
	 * placeholders, which tmux keeps as text. Sixel in tmux is tmux's own (it answered DA1);
	 * a sixel image passed through would be one tmux does not know is there, and would
	 * paint over or lose at its next redraw */
	if (caps->kitty && !caps->in_tmux)
		return GRAPHICS_KITTY;
	if (caps->kitty_placeholders && caps->in_tmux)
		return GRAPHICS_KITTY_TMUX;
	if (caps->sixel)
		return GRAPHICS_SIXEL;
	if (caps->iterm2 && !caps->in_tmux)
		return GRAPHICS_ITERM2;
	return GRAPHICS_BLOCKS;
}

/* ---- signals ------------------------------------------------------------------------------ */

static volatile sig_atomic_t pending_signals;
static volatile sig_atomic_t quit_signal; /* the last signal that asked to quit */
static int wake_pipe[2] = {-1, -1};
static int restore_fd = -1;
static struct termios restore_termios;
static int have_restore_termios;

static void wake(void)
{
	int saved = errno;

	if (wake_pipe[1] >= 0)
		(void)!write(wake_pipe[1], "x", 1);
	errno = saved;
}

static void on_signal(int sig)
{
	switch (sig) {
	case SIGWINCH:
		pending_signals |= TERM_SIG_WINCH;
		break;
	case SIGTSTP:
		pending_signals |= TERM_SIG_TSTP;
		break;
	case SIGCONT:
		pending_signals |= TERM_SIG_CONT;
		break;
	default:
		pending_signals |= TERM_SIG_QUIT;
		quit_signal = sig;
		break;
	}
	wake();
}

/* Async-signal-safe: leave the alternate screen, show the cursor, stop mouse reports, reset
 * attributes and the saved terminal modes, then die of the same signal. */
static void on_fatal(int sig)
{
	static const char reset[] = "\033[?1006l\033[?1002l\033[?1000l\033[?2026l\033[0m\033[?25h"
	                            "\033[?1049l"
	                            "\r\nannotty crashed; the terminal was restored.\r\n";

	if (restore_fd >= 0) {
		(void)!write(restore_fd, reset, sizeof reset - 1);
		if (have_restore_termios)
			tcsetattr(restore_fd, TCSANOW, &restore_termios);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void set_handler(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(sig, &sa, NULL);
}

int term_signals_install(int tty_fd)
{
	static const int flagged[] = {SIGWINCH, SIGTSTP, SIGCONT, SIGINT, SIGTERM, SIGHUP};
	static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

	if (wake_pipe[0] < 0) {
		if (pipe(wake_pipe) < 0)
			return -1;
		for (int i = 0; i < 2; i++) {
			fcntl(wake_pipe[i], F_SETFL, fcntl(wake_pipe[i], F_GETFL) | O_NONBLOCK);
			fcntl(wake_pipe[i], F_SETFD, FD_CLOEXEC);
		}
	}
	restore_fd = tty_fd;
	have_restore_termios = tcgetattr(tty_fd, &restore_termios) == 0;
	for (size_t i = 0; i < sizeof flagged / sizeof flagged[0]; i++)
		set_handler(flagged[i], on_signal);
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		set_handler(fatal[i], on_fatal);
	return wake_pipe[0];
}

int term_signals_take(void)
{
	int flags = pending_signals;

	pending_signals = 0;
	return flags;
}

int term_quit_signal(void)
{
	return quit_signal;
}

void term_wake_drain(void)
{
	char sink[64];

	while (wake_pipe[0] >= 0 && read(wake_pipe[0], sink, sizeof sink) > 0)
		;
}

void term_suspend_self(void)
{
	set_handler(SIGTSTP, SIG_DFL);
	raise(SIGTSTP);
	/* execution continues here after fg */
	set_handler(SIGTSTP, on_signal);
}
