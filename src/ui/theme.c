/* The theme: which colours annotty draws with, or which attributes stand in for them, and the
 * glyphs it writes (see ui/theme.h). Process-wide, as the terminal is. */
#include "ui/theme.h"
#include "ui/app.h"
#include "core/palette.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum theme_mode { MODE_AUTO = 0, MODE_MONO, MODE_COLOR };

static const char *const mode_names[] = {"auto", "mono", "color"};

/* PAIR_TITLE .. PAIR_MARK, in the enum's order (ui/app.h) */
static const char *const role_names[THEME_ROLES] = {"title",  "status",   "selected", "dim",
                                                    "error",  "accepted", "rejected", "pending",
                                                    "header", "mark"};

static const struct {
	const char *utf8, *ascii;
} glyphs[GLYPH_COUNT] = {
    [GLYPH_MARK] = {"\xe2\x97\x8f", "*"},  [GLYPH_TIMES] = {"\xc3\x97", "x"},
    [GLYPH_DOWN] = {"\xe2\x86\x93", "v"},  [GLYPH_UP] = {"\xe2\x86\x91", "^"},
    [GLYPH_CRUMB] = {"\xe2\x80\xba", ">"}, [GLYPH_PENCIL] = {"\xe2\x9c\x8e", "*"},
    [GLYPH_WARN] = {"\xe2\x9a\xa0", "!"},  [GLYPH_BAR] = {"\xe2\x94\x82", "|"},
    [GLYPH_FULL] = {"\xe2\x96\x88", "#"},
};

static struct {
	int ascii;
	enum theme_mode mode;
	int colour; /* theme_start chose colours */
	int set[THEME_ROLES];
	short fg[THEME_ROLES], bg[THEME_ROLES];
} theme;

const char *glyph(enum glyph g)
{
	if ((unsigned)g >= GLYPH_COUNT)
		return "?";
	return theme.ascii ? glyphs[g].ascii : glyphs[g].utf8;
}

void theme_set_ascii(int on)
{
	theme.ascii = on;
}

int theme_is_ascii(void)
{
	return theme.ascii;
}

int theme_locale_ascii(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v != NULL && v[0] != '\0')
			return strcasestr(v, "UTF-8") == NULL && strcasestr(v, "utf8") == NULL;
	}
	return 1; /* the C locale */
}

const char *theme_role_name(int pair)
{
	return pair >= PAIR_TITLE && pair < PAIR_TITLE + THEME_ROLES ? role_names[pair - PAIR_TITLE]
	                                                             : NULL;
}

int theme_role_find(const char *name)
{
	for (int i = 0; i < THEME_ROLES; i++)
		if (strcmp(role_names[i], name) == 0)
			return PAIR_TITLE + i;
	return -1;
}

int theme_colour_parse(const char *word)
{
	static const char *const names[] = {"black", "red",     "green", "yellow",
	                                    "blue",  "magenta", "cyan",  "white"};
	char *end;
	long n;

	if (strcmp(word, "default") == 0)
		return -1;
	for (int i = 0; i < 8; i++) {
		if (strcmp(word, names[i]) == 0)
			return i;
		if (strncmp(word, "bright", 6) == 0 && strcmp(word + 6, names[i]) == 0)
			return 8 + i;
	}
	n = strtol(word, &end, 10);
	return end != word && *end == '\0' && n >= 0 && n <= 255 ? (int)n : -2;
}

void theme_set_colour(int pair, int fg, int bg)
{
	int i = pair - PAIR_TITLE;

	if (i < 0 || i >= THEME_ROLES)
		return;
	theme.set[i] = 1;
	theme.fg[i] = (short)fg;
	theme.bg[i] = (short)bg;
}

int theme_set_mode(const char *name)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(name, mode_names[i]) == 0) {
			theme.mode = (enum theme_mode)i;
			return 0;
		}
	return -1;
}

const char *theme_mode_name(void)
{
	return mode_names[theme.mode];
}

static int no_color_env(void)
{
	const char *v = getenv("NO_COLOR");

	return v != NULL && v[0] != '\0';
}

/* A pair, the configured colours winning; colours the terminal lacks fall back. */
static void pair_init(int pair, int fg, int bg)
{
	int i = pair - PAIR_TITLE;

	if (i >= 0 && i < THEME_ROLES && theme.set[i]) {
		fg = theme.fg[i];
		bg = theme.bg[i];
	}
	if (fg >= COLORS)
		fg = fg % 8;
	if (bg >= COLORS)
		bg = bg % 8;
	init_pair((short)pair, (short)fg, (short)bg);
}

void theme_start(void)
{
	int rich;

	theme.colour = theme.mode == MODE_COLOR ||
	               (theme.mode == MODE_AUTO && !no_color_env() && has_colors());
	if (!theme.colour || !has_colors()) {
		theme.colour = 0;
		return;
	}
	start_color();
	rich = COLORS >= 256; /* curses knows COLORS only once start_color has run */
	use_default_colors();
	pair_init(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
	pair_init(PAIR_STATUSBAR, COLOR_BLACK, rich ? 250 : COLOR_WHITE);
	pair_init(PAIR_SELECTED, COLOR_BLACK, COLOR_CYAN);
	/* on 8 colours a grey is not there: the default colour keeps hints readable */
	pair_init(PAIR_DIM, rich ? 244 : -1, -1);
	pair_init(PAIR_ERROR, COLOR_WHITE, COLOR_RED);
	pair_init(PAIR_ACCEPTED, COLOR_GREEN, -1);
	pair_init(PAIR_REJECTED, COLOR_RED, -1);
	pair_init(PAIR_PENDING, COLOR_YELLOW, -1);
	pair_init(PAIR_HEADER, rich ? 252 : COLOR_WHITE, rich ? 237 : COLOR_BLACK);
	pair_init(PAIR_MARK, COLOR_MAGENTA, -1);
	for (int i = 0; i < PALETTE_SIZE + 1; i++) {
		uint32_t rgb = palette_rgb(i == PALETTE_SIZE ? -1 : i);
		init_pair((short)(PAIR_LABEL_BASE + i),
		          rich ? (short)palette_xterm256(rgb) : (short)(1 + i % 6), -1);
	}
}

int theme_has_colour(void)
{
	return theme.colour;
}

/* What stands in for each role's colours on a terminal without them. */
static int mono_attr(int pair)
{
	switch (pair) {
	case PAIR_TITLE:
	case PAIR_ERROR:
		return A_REVERSE | A_BOLD;
	case PAIR_STATUSBAR:
	case PAIR_SELECTED:
		return A_REVERSE;
	case PAIR_DIM:
		return A_DIM;
	case PAIR_ACCEPTED:
	case PAIR_MARK:
		return A_BOLD;
	case PAIR_REJECTED:
		return A_UNDERLINE;
	case PAIR_HEADER:
		return A_BOLD | A_UNDERLINE;
	default:
		return A_NORMAL;
	}
}

int theme_attr(int pair)
{
	if (!theme.colour)
		return mono_attr(pair);
	return COLOR_PAIR(pair) | (pair == PAIR_DIM && COLORS < 256 ? A_DIM : 0);
}

int theme_label_attr(int label_index)
{
	static const int mono[] = {(int)A_BOLD, (int)A_UNDERLINE, (int)(A_BOLD | A_UNDERLINE),
	                           (int)A_NORMAL};
	int i = label_index < 0 ? PALETTE_SIZE : label_index % PALETTE_SIZE;

	if (!theme.colour)
		return label_index < 0 ? (int)A_DIM : mono[label_index % 4];
	/* six hues on 8 colours: the next six labels are bold, the six after underlined */
	if (COLORS < 256 && label_index >= 0)
		return COLOR_PAIR(PAIR_LABEL_BASE + i) | ((label_index / 6) % 3 == 1   ? A_BOLD
		                                          : (label_index / 6) % 3 == 2 ? A_UNDERLINE
		                                                                       : 0);
	return COLOR_PAIR(PAIR_LABEL_BASE + i);
}
