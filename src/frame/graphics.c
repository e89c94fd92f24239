/* The names of the graphics modes, as the command line and the :graphics command take them. */
#include "frame/graphics.h"

#include <strings.h>

static const char *const graphics_names[GRAPHICS_MODE_COUNT] = {
    "auto", "sixel", "blocks", "none", "kitty", "iterm2", "kitty-tmux"};

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

int graphics_mode_has_pixels(enum graphics_mode mode)
{
	return mode == GRAPHICS_SIXEL || mode == GRAPHICS_KITTY || mode == GRAPHICS_ITERM2 ||
	       mode == GRAPHICS_KITTY_TMUX;
}
