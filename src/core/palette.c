/* Label colours (see palette.h): bright, distinct hues that stay readable over photos. */
#include "core/palette.h"

#include <stdlib.h>

static const uint32_t label_colors[PALETTE_SIZE] = {
    0xff3b30, 0x34c759, 0x0a84ff, 0xffcc00, 0xff2d95, 0x00d5d5, 0xff9500, 0xaf52de,
    0x9be32a, 0x5ac8fa, 0xff6b6b, 0xffe680, 0x64d2a0, 0xb58cff, 0xff8fd0, 0xd0a060,
};

uint32_t palette_rgb(int label_index)
{
	if (label_index < 0)
		return 0xa0a0a0;
	return label_colors[label_index % PALETTE_SIZE];
}

static int cube_level(int v)
{
	/* xterm's 6x6x6 cube levels are 0, 95, 135, 175, 215, 255 */
	return v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40;
}

int palette_xterm256(uint32_t rgb)
{
	static const int levels[6] = {0, 95, 135, 175, 215, 255};
	int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
	int ri = cube_level(r), gi = cube_level(g), bi = cube_level(b);
	int cube = 16 + 36 * ri + 6 * gi + bi;
	int cube_err = abs(levels[ri] - r) + abs(levels[gi] - g) + abs(levels[bi] - b);
	int grey = (r + g + b) / 3;
	int gidx = grey > 238 ? 23 : (grey - 3) / 10;
	int gval, grey_err;

	if (gidx < 0)
		gidx = 0;
	gval = 8 + gidx * 10;
	grey_err = abs(gval - r) + abs(gval - g) + abs(gval - b);
	return grey_err < cube_err ? 232 + gidx : cube;
}
