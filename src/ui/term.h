/* The terminal underneath curses: what it can show (asked once at start-up), writing image
 * bytes around curses, and leaving it usable whatever happens (signals, crashes). */
#ifndef ANNOTTY_UI_TERM_H
#define ANNOTTY_UI_TERM_H

#include <stddef.h>

#include "frame/graphics.h"

/* What tmux says about itself and the terminal outside it (asked with tmux display-message),
 * and what annotty makes of it. */
struct term_tmux {
	int asked;           /* $TMUX was set, so tmux could be asked */
	int answered;        /* tmux printed its answer */
	char version[16];    /* #{version}, e.g. "3.3a" */
	char termname[64];   /* #{client_termname}: the outer terminal's TERM */
	char termtype[64];   /* #{client_termtype}: its answer to XTVERSION (tmux 3.3 and later) */
	char features[256];  /* #{client_termfeatures}, comma-separated */
	char passthrough[8]; /* #{allow-passthrough}: 0/1 (tmux 3.3), off/on/all (3.4), "" before */
	char outer[32];      /* the outer terminal's name as found, or "" */
	char outer_from[32]; /* the clue that named it */
	int outer_kitty;     /* it draws kitty's Unicode placeholders (kitty 0.28+, ghostty) */
	int outer_sixel;     /* tmux lists sixel among its features */
	int passthrough_ok;  /* tmux hands DCS tmux; sequences on */
};

struct term_caps {
	int sixel;              /* primary device attributes listed 4 */
	int kitty;              /* answered the kitty graphics query */
	int iterm2;             /* says it is iTerm2 or WezTerm (TERM_PROGRAM, LC_TERMINAL) */
	int truecolor;          /* COLORTERM says truecolor/24bit */
	int in_tmux;            /* $TMUX set, or TERM starts with tmux or screen */
	int kitty_placeholders; /* in tmux, outer terminal draws kitty placeholders, passthrough on
	                         */
	struct term_tmux tmux;
	int cell_w; /* pixels per cell; 0 when unknown */
	int cell_h;
	int sync_output;     /* mode 2026 answered as supported */
	int color_registers; /* sixel colour registers (XTSMGRAPHICS); 0 when unknown */
	char da1[64];        /* the raw attribute list, for diagnostics */
	char typeahead[32];  /* keys typed before the replies came, to hand to curses */
	int ntypeahead;
};

/* Asks the terminal on fd (in one batch ending with primary device attributes) and reads the
 * replies for at most timeout_ms. Must run before curses takes the terminal. */
void term_detect(int fd, int timeout_ms, struct term_caps *caps);
/* What the replies to that batch say (pure, for tests): DA1's attributes and sixel, the cell
 * size of CSI 16 t, mode 2026, the colour registers of XTSMGRAPHICS, kitty's OK. Replies the
 * terminal did not give leave their fields as they are. */
void term_parse_replies(const char *replies, struct term_caps *caps);
/* The keys the user typed among the replies (everything that is not an escape sequence),
 * in order, into caps->typeahead: what was read with the replies is not lost. Reading stops
 * at an escape that starts no sequence (a lone Esc or an Alt key). */
void term_keep_typeahead(const char *replies, size_t len, struct term_caps *caps);
/* The length of the escape sequence at p (CSI with its parameters and final byte, or an APC
 * up to its ESC \\), or 0 when the len bytes at p hold no whole one. */
size_t term_sequence_length(const char *p, size_t len);
/* The palette size for sixel frames: 256, or fewer when the terminal has fewer registers. */
int term_sixel_colors(const struct term_caps *caps);
/* The mode to use given what was asked for and what the terminal can do. Auto prefers kitty,
 * then kitty placeholders through tmux, then sixel (in tmux: tmux's own), then iTerm2 (not in
 * tmux), then half-blocks. Kitty asked for inside tmux becomes kitty-tmux (plain kitty cannot
 * cross tmux), kitty-tmux asked for outside tmux becomes kitty. */
enum graphics_mode term_choose_graphics(enum graphics_mode wanted, const struct term_caps *caps);

/* The pure parts of the tmux detection, for tests. In tmux: $TMUX set, or TERM starting with
 * tmux or screen. */
int term_env_in_tmux(const char *tmux_env, const char *term);
/* The display-message format term_detect asks tmux for, and the parse of its answer (the
 * fields separated by tabs) into t; returns -1 when the line is not such an answer. */
extern const char term_tmux_format[];
int term_tmux_parse(const char *line, struct term_tmux *t);
/* Judges the parsed answer, with the environment as a weaker clue (KITTY_WINDOW_ID,
 * TERM_PROGRAM; either may be NULL): fills outer, outer_from, outer_kitty, outer_sixel and
 * passthrough_ok. */
void term_tmux_judge(struct term_tmux *t, const char *kitty_window_id, const char *term_program);

/* Writes all of data to fd (retrying short writes). */
int term_write_all(int fd, const void *data, size_t len);

/* Installs the handlers: SIGWINCH, SIGTSTP, SIGCONT, SIGINT, SIGTERM and SIGHUP set flags and
 * wake the loop through a pipe; fatal signals restore the terminal and re-raise. Returns the
 * read end of the wake-up pipe, or -1. */
int term_signals_install(int tty_fd);
/* Flags set by the handlers since the last call, cleared on reading. */
enum { TERM_SIG_WINCH = 1, TERM_SIG_TSTP = 2, TERM_SIG_CONT = 4, TERM_SIG_QUIT = 8 };
int term_signals_take(void);
/* The signal (SIGINT, SIGTERM or SIGHUP) that last asked the loop to quit, or 0: the program
 * exits with 128 + it once the terminal is restored. */
int term_quit_signal(void);
/* Drains the wake-up pipe. */
void term_wake_drain(void);
/* Stops the process the way Ctrl-Z would (after the caller released the terminal). */
void term_suspend_self(void);

#endif
