/* The ways a terminal can be asked to show a picture, named as the user picks them. */
#ifndef ANNOTTY_FRAME_GRAPHICS_H
#define ANNOTTY_FRAME_GRAPHICS_H

enum graphics_mode {
	GRAPHICS_AUTO = 0,
	GRAPHICS_SIXEL,
	GRAPHICS_BLOCKS,
	GRAPHICS_NONE,
	GRAPHICS_KITTY,
	GRAPHICS_ITERM2,
	GRAPHICS_KITTY_TMUX, /* kitty's Unicode placeholders, the image sent through tmux */
	GRAPHICS_MODE_COUNT
};

/* A static name ("kitty-tmux"); "auto" for a value out of range. */
const char *graphics_mode_name(enum graphics_mode mode);
/* Sixel, kitty (either way) and iTerm2 draw real pixels; half-blocks draw two per cell. */
int graphics_mode_has_pixels(enum graphics_mode mode);
/* The mode a name says (case-insensitive; "halfblocks" too), or -1. */
int graphics_mode_parse(const char *name, enum graphics_mode *out);

#endif
