/* Colours, attributes and glyphs for every terminal: colour pairs where the terminal has
 * colours (and NO_COLOR does not ask for none), reverse video, bold and underline where it has
 * not, and ASCII in place of the glyphs a font may lack (--ascii, or a locale without UTF-8). */
#ifndef ANNOTTY_UI_THEME_H
#define ANNOTTY_UI_THEME_H

#include <stddef.h>

enum glyph {
	GLYPH_MARK,   /* a marked row */
	GLYPH_TIMES,  /* width x height */
	GLYPH_DOWN,   /* a descending sort */
	GLYPH_UP,     /* an ascending sort */
	GLYPH_CRUMB,  /* between the parts of the title */
	GLYPH_PENCIL, /* edits not sent */
	GLYPH_WARN,   /* conflicts */
	GLYPH_BAR,    /* a vertical separator */
	GLYPH_FULL,   /* a bar chart's cell */
	GLYPH_COUNT
};

/* The glyph, or its ASCII stand-in (static strings). */
const char *glyph(enum glyph g);
/* ASCII glyphs: set by --ascii or the configuration; theme_locale_ascii says whether the
 * locale (LC_ALL, LC_CTYPE, LANG: the first one set) names no UTF-8. */
void theme_set_ascii(int on);
int theme_is_ascii(void);
int theme_locale_ascii(void);

/* The roles the configuration may colour ("title", "selected"...), by pair number. */
#define THEME_ROLES 10
const char *theme_role_name(int pair);
int theme_role_find(const char *name); /* the pair, or -1 */
/* "red", "brightblue", "default" or 0-255 into a curses colour (-1: the default); -2 when the
 * word is none of them. */
int theme_colour_parse(const char *word);
/* A colour for a role (fg, bg: theme_colour_parse values), before theme_start. */
void theme_set_colour(int pair, int fg, int bg);
/* "auto" (colours when the terminal has them), "mono" (attributes only), "color". */
int theme_set_mode(const char *name); /* -1 for an unknown name */
const char *theme_mode_name(void);

/* After initscr: colours started, or not (NO_COLOR set and not empty, the terminal has none,
 * or the theme is mono). */
void theme_start(void);
int theme_has_colour(void); /* after theme_start */
/* The attributes to draw a PAIR_* role with (a colour pair, or its monochrome stand-in). */
int theme_attr(int pair);
/* A label's colour and attribute: distinguishable from its neighbours' on 8 colours, and
 * without colours by attributes alone. */
int theme_label_attr(int label_index);

#endif
