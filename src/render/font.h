/* A 5x7 bitmap font (with two rows below the baseline for g, j, p, q, y) for printable ASCII,
 * drawn at integer scales, for captions and placeholder text inside images; captions with other
 * characters are laid out for GNU Unifont (font_text_layout), placeholders draw them as '?'. */
#ifndef ANNOTTY_RENDER_FONT_H
#define ANNOTTY_RENDER_FONT_H

#include <stddef.h>
#include <stdint.h>

struct image;

#define FONT_GLYPH_W 5
#define FONT_GLYPH_H 9  /* cap height 7, descenders 2 */
#define FONT_ADVANCE 6  /* glyph plus one blank column */
#define FONT_LINE    11 /* glyph plus two blank rows */

/* A line of text laid out for drawing. Printable ASCII is drawn in the built-in font; text with
 * any other character in GNU Unifont (8 x 16 cells, read at run time: unifont.h), each
 * character taking as many cells as it takes columns in the side panel (str_width: CJK two,
 * combining marks none), or, when that font is absent or the locale is not one of multibyte
 * characters (such as UTF-8: the side panel cannot show them either), in the built-in font
 * with '?' for what it lacks. Control and bidirectional formatting characters are shown as '?' or
 * left out. */
#define FONT_TEXT_MAX 128 /* characters kept */

struct font_text {
	uint32_t cp[FONT_TEXT_MAX];
	unsigned char cols[FONT_TEXT_MAX]; /* cells each takes: 0, 1 or 2 */
	size_t n;
	int unifont; /* drawn in GNU Unifont */
};

void font_text_layout(const char *utf8, struct font_text *t);
/* Width in pixels of the first n characters at a scale (no trailing blank). */
int font_text_px_width(const struct font_text *t, size_t n, int scale);
/* Height in pixels of the glyphs at a scale. */
int font_text_px_height(const struct font_text *t, int scale);
/* How many of the characters fit in max_w pixels at a scale. */
size_t font_text_fit(const struct font_text *t, int scale, int max_w);
/* Draws the first n characters with the top-left at (x, y), clipped to the image. */
void font_text_draw(struct image *img, int x, int y, const struct font_text *t, size_t n, int scale,
                    uint32_t rgb);

/* Copies UTF-8 text into out as the characters the font will draw: one byte per character,
 * printable ASCII kept, anything else '?'. Returns the number of characters written. */
size_t font_to_ascii(const char *s, char *out, size_t outsz);

/* Width in pixels of the first n characters of ASCII text at a scale (no trailing blank). */
int font_text_width(size_t n, int scale);

/* How many characters of text fit in max_w pixels at a scale. */
size_t font_fit(size_t n, int scale, int max_w);

/* Draws n characters of ASCII text (from font_to_ascii) with the glyph's top-left at (x, y),
 * clipped to the image. */
void font_draw(struct image *img, int x, int y, const char *ascii, size_t n, int scale,
               uint32_t rgb);

/* Word-wraps text into lines of at most max_w pixels and draws up to max_lines of them, each
 * centred on cx, the first with its top at y. Returns the number of lines drawn; with a NULL
 * img, only counts them. */
int font_draw_wrapped(struct image *img, int cx, int y, int max_w, int max_lines, const char *text,
                      int scale, uint32_t rgb);

#endif
