/* Terminal capabilities, raw writes and signal handling (see term.h). */
#include "ui/term.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static const char *const graphics_names[GRAPHICS_MODE_COUNT] = {"auto", "sixel", "blocks",
                                                                "none", "kitty", "iterm2"};

const char *graphics_mode_name(enum graphics_mode mode)
{
	return (unsigned)mode < GRAPHICS_MODE_COUNT ? graphics_names[mode] : "auto";
}

int graphics_mode_parse(const char *name, enum graphics_mode *out)
{
	for (int i = 0; i < GRAPHICS_MODE_COUNT; i++) {
		if (strcasecmp(name, graphics_names[i]) == 0) {
			*out = (enum graphics_mode)i;
			return 0;
		}
	}
	if (strcasecmp(name, "halfblocks") == 0 || strcasecmp(name, "half-blocks") == 0) {
		*out = GRAPHICS_BLOCKS;
		return 0;
	}
	return -1;
}

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
		if (strstr(buf, "\033[?") != NULL && buf[len - 1] == 'c')
			break;
	}
	buf[len] = '\0';
	return len;
}

static void parse_da1(const char *replies, struct term_caps *caps)
{
	const char *p = strstr(replies, "\033[?");
	const char *end;
	size_t n;

	if (p == NULL)
		return;
	p += 3;
	end = strchr(p, 'c');
	if (end == NULL)
		return;
	n = (size_t)(end - p) < sizeof caps->da1 - 1 ? (size_t)(end - p) : sizeof caps->da1 - 1;
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

int graphics_mode_has_pixels(enum graphics_mode mode)
{
	return mode == GRAPHICS_SIXEL || mode == GRAPHICS_KITTY || mode == GRAPHICS_ITERM2;
}

static int env_says_iterm2(void)
{
	const char *program = getenv("TERM_PROGRAM"), *lc = getenv("LC_TERMINAL");

	return (program != NULL &&
	        (strcmp(program, "iTerm.app") == 0 || strcmp(program, "WezTerm") == 0)) ||
	       (lc != NULL && strcmp(lc, "iTerm2") == 0);
}

void term_detect(int fd, int timeout_ms, struct term_caps *caps)
{
	static const char query[] = "\033[16t\033[?2026$p"
	                            "\033_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\033\\\033[c";
	const char *colorterm = getenv("COLORTERM");
	struct termios saved, raw;
	char replies[1024];

	memset(caps, 0, sizeof *caps);
	caps->in_tmux = getenv("TMUX") != NULL;
	caps->truecolor = colorterm != NULL && (strstr(colorterm, "truecolor") != NULL ||
	                                        strstr(colorterm, "24bit") != NULL);
	cell_size_from_winsize(fd, caps);
	caps->iterm2 = env_says_iterm2();
	if (!isatty(fd) || tcgetattr(fd, &saved) < 0)
		return;
	raw = saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(fd, TCSANOW, &raw) < 0)
		return;
	if (term_write_all(fd, query, sizeof query - 1) == 0) {
		read_replies(fd, replies, sizeof replies, timeout_ms);
		parse_da1(replies, caps);
		if (caps->cell_w == 0)
			parse_cell_size(replies, caps);
		parse_sync_mode(replies, caps);
		caps->kitty = strstr(replies, "\033_Gi=31;OK") != NULL;
	}
	tcsetattr(fd, TCSANOW, &saved);
}

enum graphics_mode term_choose_graphics(enum graphics_mode wanted, const struct term_caps *caps)
{
	if (wanted != GRAPHICS_AUTO)
		return wanted;
	/* kitty's protocol is the cheapest to draw where it exists; tmux passes none of the
	 * pixel protocols through unless configured, so it gets half-blocks */
	if (caps->kitty && !caps->in_tmux)
		return GRAPHICS_KITTY;
	if (caps->sixel)
		return GRAPHICS_SIXEL;
	if (caps->iterm2 && !caps->in_tmux)
		return GRAPHICS_ITERM2;
	return GRAPHICS_BLOCKS;
}

/* ---- signals ------------------------------------------------------------------------------ */

static volatile sig_atomic_t pending_signals;
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
		break;
	}
	wake();
}

/* Async-signal-safe: leave the alternate screen, show the cursor, stop mouse reports, reset
 * attributes and the saved terminal modes, then die of the same signal. */
static void on_fatal(int sig)
{
	static const char reset[] = "\033[?1006l\033[?1000l\033[?2026l\033[0m\033[?25h\033[?1049l"
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
