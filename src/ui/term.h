/* The terminal underneath curses: what it can show (asked once at start-up), writing image
 * bytes around curses, and leaving it usable whatever happens (signals, crashes). */
#ifndef ANNOTTY_UI_TERM_H
#define ANNOTTY_UI_TERM_H

#include <stddef.h>

enum graphics_mode {
	GRAPHICS_AUTO = 0,
	GRAPHICS_SIXEL,
	GRAPHICS_BLOCKS,
	GRAPHICS_NONE,
	GRAPHICS_KITTY,
	GRAPHICS_ITERM2,
	GRAPHICS_MODE_COUNT
};

struct term_caps {
	int sixel;     /* primary device attributes listed 4 */
	int kitty;     /* answered the kitty graphics query */
	int iterm2;    /* says it is iTerm2 or WezTerm (TERM_PROGRAM, LC_TERMINAL) */
	int truecolor; /* COLORTERM says truecolor/24bit */
	int in_tmux;
	int cell_w; /* pixels per cell; 0 when unknown */
	int cell_h;
	int sync_output; /* mode 2026 answered as supported */
	char da1[64];    /* the raw attribute list, for diagnostics */
};

const char *graphics_mode_name(enum graphics_mode mode);
/* Sixel, kitty and iTerm2 draw real pixels; half-blocks draw two per cell. */
int graphics_mode_has_pixels(enum graphics_mode mode);
int graphics_mode_parse(const char *name, enum graphics_mode *out);

/* Asks the terminal on fd (in one batch ending with primary device attributes) and reads the
 * replies for at most timeout_ms. Must run before curses takes the terminal. */
void term_detect(int fd, int timeout_ms, struct term_caps *caps);
/* The mode to use given what was asked for and what the terminal can do. */
enum graphics_mode term_choose_graphics(enum graphics_mode wanted, const struct term_caps *caps);

/* Writes all of data to fd (retrying short writes). */
int term_write_all(int fd, const void *data, size_t len);

/* Installs the handlers: SIGWINCH, SIGTSTP, SIGCONT, SIGINT, SIGTERM and SIGHUP set flags and
 * wake the loop through a pipe; fatal signals restore the terminal and re-raise. Returns the
 * read end of the wake-up pipe, or -1. */
int term_signals_install(int tty_fd);
/* Flags set by the handlers since the last call, cleared on reading. */
enum { TERM_SIG_WINCH = 1, TERM_SIG_TSTP = 2, TERM_SIG_CONT = 4, TERM_SIG_QUIT = 8 };
int term_signals_take(void);
/* Drains the wake-up pipe. */
void term_wake_drain(void);
/* Stops the process the way Ctrl-Z would (after the caller released the terminal). */
void term_suspend_self(void);

#endif
