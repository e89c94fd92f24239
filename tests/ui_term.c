/* Terminal detection inside tmux: tmux's answer parsed, judged with the environment as a weaker
 * clue, the mode chosen from it; then term_detect end to end against stand-ins for tmux (one
 * that answers as a kitty client would, one that never answers) and, where tmux is installed,
 * against a real private tmux server. */
#include "tap.h"
#include "ui/term.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char dir[] = "/tmp/annotty-term-XXXXXX";

static struct term_tmux answer(const char *line)
{
	struct term_tmux t;

	memset(&t, 0, sizeof t);
	t.asked = 1;
	t.answered = term_tmux_parse(line, &t) == 0;
	return t;
}

static void test_in_tmux(void)
{
	ok(term_env_in_tmux("/tmp/tmux-0/default,123,0", "xterm-256color"), "$TMUX set");
	ok(term_env_in_tmux(NULL, "tmux-256color") && term_env_in_tmux(NULL, "screen.xterm"),
	   "TERM tmux-256color or screen.xterm");
	ok(!term_env_in_tmux("", "xterm-kitty") && !term_env_in_tmux(NULL, NULL),
	   "neither: an empty $TMUX, TERM xterm-kitty, nothing set");
}

static void test_parse(void)
{
	struct term_tmux t = answer("3.4\txterm-kitty\tkitty(0.35.2)\t256,RGB,sixel,title\ton\n");

	ok(t.answered, "a five-field answer parses");
	ok(strcmp(t.version, "3.4") == 0 && strcmp(t.termname, "xterm-kitty") == 0 &&
	       strcmp(t.termtype, "kitty(0.35.2)") == 0 &&
	       strcmp(t.features, "256,RGB,sixel,title") == 0 && strcmp(t.passthrough, "on") == 0,
	   "every field in its place");
	t = answer("3.3a\t\t\t\t0\n");
	ok(t.answered && t.termname[0] == '\0' && strcmp(t.passthrough, "0") == 0,
	   "no client attached: empty client fields");
	ok(!answer("3.3a\txterm\n").answered, "too few fields: not an answer");
	ok(!answer("3.3a\ta\tb\tc\td\te\n").answered, "too many fields: not an answer");
	ok(!answer("3.3a\ta\tb\tc\td\nsecond line\n").answered, "two lines: not an answer");
	t = answer("3.4\txterm-kitty-with-a-very-long-name-that-goes-on-and-on-and-on-past-64\t"
	           "\t\ton\n");
	ok(t.answered && strlen(t.termname) == sizeof t.termname - 1 &&
	       strcmp(t.passthrough, "on") == 0,
	   "a long field is cut, the next ones still in place");
}

/* Replies as terminals give them, in the order of the batch. */
static void test_replies(void)
{
	struct term_caps c;

	/* xterm -ti vt340: no cell size reply, mode 2026 unknown, 256 registers, then DA1 */
	memset(&c, 0, sizeof c);
	term_parse_replies("\033[?2026;0$y\033[?1;0;256S\033[?63;1;2;4;6;9;15;16;22;28c", &c);
	ok(strcmp(c.da1, "63;1;2;4;6;9;15;16;22;28") == 0, "DA1 is its own reply (%s)", c.da1);
	ok(c.sixel && !c.sync_output && !c.kitty,
	   "sixel from attribute 4; 2026 answered 0: no sync");
	is_int(c.color_registers, 256, "XTSMGRAPHICS: 256 colour registers");
	is_int(term_sixel_colors(&c), 256, "so sixel frames use 256 colours");
	ok(c.cell_w == 0 && c.cell_h == 0, "no CSI 16 t reply: the cell size stays unknown");

	/* kitty: cell size, sync, the graphics OK, DA1 without sixel, no XTSMGRAPHICS */
	memset(&c, 0, sizeof c);
	term_parse_replies("\033[6;20;10t\033[?2026;2$y\033_Gi=31;OK\033\\\033[?62;c", &c);
	ok(c.kitty && c.sync_output && !c.sixel, "kitty: graphics OK and sync, no sixel");
	ok(c.cell_w == 10 && c.cell_h == 20, "cell size 10x20 from CSI 16 t");
	ok(c.color_registers == 0 && term_sixel_colors(&c) == 256,
	   "no register count: 256 colours assumed");

	/* a terminal with 16 registers: the palette follows */
	memset(&c, 0, sizeof c);
	term_parse_replies("\033[?1;0;16S\033[?62;4c", &c);
	ok(c.sixel && term_sixel_colors(&c) == 16, "16 registers: sixel frames use 16 colours");
	memset(&c, 0, sizeof c);
	term_parse_replies("\033[?1;3;0S\033[?62;4c", &c);
	is_int(c.color_registers, 0, "an XTSMGRAPHICS failure status is no count");

	/* a DECRQM reply alone is no DA1, and 4 in it is no sixel */
	memset(&c, 0, sizeof c);
	term_parse_replies("\033[?2026;4$y", &c);
	ok(c.da1[0] == '\0' && !c.sixel, "no DA1 reply: no attributes, no sixel");
}

static void typeahead_is(const char *buf, size_t len, const char *want, const char *what)
{
	struct term_caps c;

	memset(&c, 0, sizeof c);
	term_keep_typeahead(buf, len, &c);
	ok(c.ntypeahead == (int)strlen(want) && memcmp(c.typeahead, want, strlen(want)) == 0,
	   "%s (%d kept)", what, c.ntypeahead);
}

/* Keys typed while annotty started come with the replies: they are kept for curses. */
static void test_typeahead(void)
{
	static const char xterm[] = "jj\n\033[?2026;0$y\033[?63;1;2;4c";
	static const char kitty[] = "\033[6;20;10t\033_Gi=31;OK\033\\q\033[?62;c";
	static const char arrow[] = "a\033[Ab\033[?62;4c";
	static const char lone[] = "x\033y\033[?62;4c";

	typeahead_is(xterm, sizeof xterm - 1, "jj\n", "keys before the replies are kept");
	typeahead_is(kitty, sizeof kitty - 1, "q", "a key between replies is kept");
	typeahead_is(arrow, sizeof arrow - 1, "ab", "an arrow key's sequence is passed over");
	typeahead_is(lone, sizeof lone - 1, "x", "a lone Esc ends what is kept");
	typeahead_is("\033[?62;4c", 8, "", "replies alone: nothing");
}

static void judge_is(const char *line, const char *kitty_window_id, const char *term_program,
                     const char *outer, const char *from, int kitty, int passthrough,
                     const char *what)
{
	struct term_tmux t = answer(line);

	term_tmux_judge(&t, kitty_window_id, term_program);
	ok(strcmp(t.outer, outer) == 0 && strcmp(t.outer_from, from) == 0 &&
	       t.outer_kitty == kitty && t.passthrough_ok == passthrough,
	   "%s: outer '%s' from '%s', placeholders %d, passthrough %d", what, t.outer, t.outer_from,
	   t.outer_kitty, t.passthrough_ok);
}

static void test_judge(void)
{
	judge_is("3.4\txterm-kitty\tkitty(0.35.2)\t\ton\n", NULL, "tmux", "kitty",
	         "client_termtype", 1, 1, "kitty 0.35, passthrough on");
	judge_is("3.3a\txterm-kitty\tkitty(0.26.5)\t\t1\n", NULL, NULL, "kitty", "client_termtype",
	         0, 1, "kitty 0.26 (before placeholders), 3.3 says 1");
	judge_is("3.3a\txterm-kitty\t\t\t0\n", NULL, NULL, "kitty", "client_termname", 1, 0,
	         "TERM xterm-kitty, no XTVERSION, passthrough 0");
	judge_is("3.4\txterm-ghostty\tghostty 1.1.0\t\tall\n", NULL, NULL, "ghostty",
	         "client_termtype", 1, 1, "ghostty, passthrough all");
	judge_is("3.4\txterm-256color\tWezTerm 20240203\t\ton\n", NULL, NULL, "WezTerm 20240203",
	         "client_termtype", 0, 1, "WezTerm (no placeholders)");
	judge_is("3.4\txterm-kitty\tWezTerm 20240203\t\ton\n", NULL, NULL, "WezTerm 20240203",
	         "client_termtype", 0, 1, "XTVERSION wins over a borrowed TERM");
	judge_is("3.4\txterm-256color\t\t\toff\n", "3", NULL, "xterm-256color", "client_termname",
	         0, 0, "a client named otherwise wins over KITTY_WINDOW_ID");
	judge_is("3.4\t\t\t\ton\n", "3", NULL, "kitty", "KITTY_WINDOW_ID", 1, 1,
	         "no client: KITTY_WINDOW_ID from the server's environment");
	judge_is("3.4\t\t\t\ton\n", NULL, "tmux", "", "", 0, 1, "no client, TERM_PROGRAM tmux");
	judge_is("3.4\t\t\t\ton\n", NULL, "ghostty", "ghostty", "TERM_PROGRAM", 1, 1,
	         "no client, TERM_PROGRAM ghostty (tmux did not replace it)");
	judge_is("3.2a\txterm-kitty\t\t\t\n", NULL, NULL, "kitty", "client_termname", 1, 1,
	         "tmux 3.2: no option, passthrough always on");
	judge_is("3.3a\txterm-kitty\t\t\t\n", NULL, NULL, "kitty", "client_termname", 1, 0,
	         "tmux 3.3 without the option's value: not assumed");

	struct term_tmux t;
	memset(&t, 0, sizeof t);
	t.asked = 1; /* asked, never answered */
	term_tmux_judge(&t, "3", NULL);
	ok(t.outer_kitty && !t.passthrough_ok, "tmux silent: kitty by the environment, passthrough "
	                                       "unknown so not allowed");
	t = answer("3.4\txterm-kitty\t\t256,RGB,sixel,title\ton\n");
	term_tmux_judge(&t, NULL, NULL);
	ok(t.outer_sixel, "sixel among the client features");
	t = answer("3.4\txterm-kitty\t\t256,sixelish,RGB\ton\n");
	term_tmux_judge(&t, NULL, NULL);
	ok(!t.outer_sixel, "sixelish is not sixel");
}

static void test_choose(void)
{
	struct term_caps c;

	memset(&c, 0, sizeof c);
	c.in_tmux = 1;
	c.kitty_placeholders = 1;
	c.sixel = 1;
	is_int(term_choose_graphics(GRAPHICS_AUTO, &c), GRAPHICS_KITTY_TMUX,
	       "tmux with placeholders: kitty-tmux, before tmux's own sixel");
	c.kitty_placeholders = 0;
	is_int(term_choose_graphics(GRAPHICS_AUTO, &c), GRAPHICS_SIXEL, "tmux with sixel: sixel");
	c.sixel = 0;
	c.iterm2 = 1;
	c.kitty = 1;
	is_int(term_choose_graphics(GRAPHICS_AUTO, &c), GRAPHICS_BLOCKS,
	       "tmux otherwise: half-blocks, whatever kitty and iTerm2 flags say");
	is_int(term_choose_graphics(GRAPHICS_KITTY, &c), GRAPHICS_KITTY_TMUX,
	       "kitty asked for in tmux: kitty-tmux");
	is_int(term_choose_graphics(GRAPHICS_SIXEL, &c), GRAPHICS_SIXEL,
	       "sixel asked for in tmux: sixel (only tmux's own can show it)");
	c.in_tmux = 0;
	is_int(term_choose_graphics(GRAPHICS_AUTO, &c), GRAPHICS_KITTY, "outside tmux: kitty");
	is_int(term_choose_graphics(GRAPHICS_KITTY_TMUX, &c), GRAPHICS_KITTY,
	       "kitty-tmux asked for outside tmux: kitty");
	c.kitty = 0;
	c.kitty_placeholders = 1; /* cannot happen outside tmux; must not matter */
	is_int(term_choose_graphics(GRAPHICS_AUTO, &c), GRAPHICS_ITERM2, "outside tmux: iterm2");
}

static void test_names(void)
{
	enum graphics_mode m = GRAPHICS_AUTO;

	ok(graphics_mode_parse("kitty-tmux", &m) == 0 && m == GRAPHICS_KITTY_TMUX,
	   "kitty-tmux parses");
	is_str(graphics_mode_name(GRAPHICS_KITTY_TMUX), "kitty-tmux", "and prints back");
	ok(graphics_mode_has_pixels(GRAPHICS_KITTY_TMUX), "and draws real pixels");
}

/* A stand-in for tmux in dir: the script body runs for tmux display-message -p FORMAT (the
 * format checked), anything else fails. */
static void fake_tmux(const char *body)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/tmux", dir);
	f = fopen(path, "w");
	fprintf(f,
	        "#!/bin/sh\n[ \"$1\" = display-message ] && [ \"$2\" = -p ] && [ $# -eq 3 ] || "
	        "exit 2\n[ \"$3\" = '%s' ] || exit 3\n%s\n",
	        term_tmux_format, body);
	fclose(f);
	chmod(path, 0755);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void test_detect_fake(void)
{
	char path[512];
	struct term_caps caps;
	int fd = open("/dev/null", O_RDWR);
	double t0;

	snprintf(path, sizeof path, "%s:%s", dir,
	         getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	setenv("PATH", path, 1);
	setenv("TMUX", "/tmp/not-a-socket,1,0", 1);
	setenv("TERM", "tmux-256color", 1);
	unsetenv("KITTY_WINDOW_ID");
	setenv("TERM_PROGRAM", "tmux", 1);

	fake_tmux("printf '3.4\\txterm-kitty\\tkitty(0.35.2)\\t256,RGB\\ton\\n'");
	term_detect(fd, 1000, &caps);
	ok(caps.in_tmux && caps.tmux.asked && caps.tmux.answered, "the stand-in tmux was asked");
	ok(caps.kitty_placeholders && strcmp(caps.tmux.outer, "kitty") == 0,
	   "kitty outside, passthrough on: kitty placeholders");
	is_int(term_choose_graphics(GRAPHICS_AUTO, &caps), GRAPHICS_KITTY_TMUX, "auto: kitty-tmux");

	fake_tmux("printf '3.4\\txterm-kitty\\tkitty(0.35.2)\\t256,RGB\\toff\\n'");
	term_detect(fd, 1000, &caps);
	ok(caps.tmux.answered && !caps.kitty_placeholders, "passthrough off: no placeholders");
	is_int(term_choose_graphics(GRAPHICS_AUTO, &caps), GRAPHICS_BLOCKS, "auto: half-blocks");

	fake_tmux("echo 'no server running' >&2; exit 1");
	term_detect(fd, 1000, &caps);
	ok(caps.tmux.asked && !caps.tmux.answered && !caps.kitty_placeholders,
	   "tmux failing: not answered, no placeholders");

	fake_tmux("exec sleep 10");
	t0 = now_ms();
	term_detect(fd, 200, &caps);
	ok(now_ms() - t0 < 2000 && caps.tmux.asked && !caps.tmux.answered,
	   "a tmux that never answers is given up on after the timeout (%.0f ms)", now_ms() - t0);

	unsetenv("TMUX");
	fake_tmux("printf '3.4\\txterm-kitty\\tkitty(0.35.2)\\t256,RGB\\ton\\n'");
	term_detect(fd, 1000, &caps);
	ok(caps.in_tmux && !caps.tmux.asked && !caps.kitty_placeholders,
	   "TERM says tmux but $TMUX is unset: tmux is not asked");
	close(fd);
}

/* The real thing: a private tmux server, asked through $TMUX. */
static void test_detect_real(void)
{
	const char *bin = getenv("TMUX_BIN");
	char cmd[1024], sock[512] = "", path[1024];
	struct term_caps caps;
	FILE *p;
	int fd;

	if (bin == NULL || bin[0] == '\0' || access(bin, X_OK) != 0) {
		ok(1, "# SKIP tmux is not installed");
		return;
	}
	snprintf(cmd, sizeof cmd,
	         "'%s' -L annotty-term-%d -f /dev/null new-session -d -x 80 -y 24 'sleep 60' && "
	         "'%s' -L annotty-term-%d display -p '#{socket_path}'",
	         bin, (int)getpid(), bin, (int)getpid());
	p = popen(cmd, "r");
	if (p == NULL || fgets(sock, sizeof sock, p) == NULL)
		sock[0] = '\0';
	if (p != NULL)
		pclose(p);
	sock[strcspn(sock, "\n")] = '\0';
	if (sock[0] == '\0') {
		ok(0, "a private tmux server started");
		return;
	}
	/* the real tmux first on PATH, $TMUX naming the private server */
	snprintf(path, sizeof path, "%.*s:/usr/bin:/bin", (int)(strrchr(bin, '/') - bin), bin);
	setenv("PATH", path, 1);
	snprintf(cmd, sizeof cmd, "%s,1,0", sock);
	setenv("TMUX", cmd, 1);
	fd = open("/dev/null", O_RDWR);
	term_detect(fd, 2000, &caps);
	ok(caps.tmux.answered && caps.tmux.version[0] != '\0',
	   "the private tmux answered (version %s)", caps.tmux.version);
	ok(!caps.kitty_placeholders, "no client attached: no outer terminal, no placeholders");
	snprintf(cmd, sizeof cmd,
	         "'%s' -L annotty-term-%d set -g allow-passthrough on >/dev/null 2>&1", bin,
	         (int)getpid());
	if (system(cmd) == 0) {
		term_detect(fd, 2000, &caps);
		ok(caps.tmux.passthrough_ok, "allow-passthrough on is seen (%s)",
		   caps.tmux.passthrough);
	} else {
		ok(1, "# SKIP this tmux has no allow-passthrough (before 3.3)");
	}
	close(fd);
	snprintf(cmd, sizeof cmd, "'%s' -L annotty-term-%d kill-server >/dev/null 2>&1", bin,
	         (int)getpid());
	(void)!system(cmd);
}

int main(void)
{
	char cmd[128];

	if (mkdtemp(dir) == NULL)
		skip_all("no temporary directory");
	test_in_tmux();
	test_parse();
	test_replies();
	test_typeahead();
	test_judge();
	test_choose();
	test_names();
	test_detect_fake();
	test_detect_real();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	(void)!system(cmd);
	return done_testing();
}
