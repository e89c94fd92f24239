/* `annotty show` (one image, or one asset with its shapes, drawn on stdout) and `annotty doctor`
 * (what annotty detects in the terminal and where it keeps its files). */
#ifndef ANNOTTY_CLI_SHOW_H
#define ANNOTTY_CLI_SHOW_H

#include <stdint.h>

#include "ui/term.h"

struct cache;
struct err;

/* How `annotty show` draws: the protocol (GRAPHICS_AUTO detects), the width in pixels (0: the
 * terminal's, else 800; the height keeps the aspect ratio), and the low-bandwidth encoding. */
struct show_options {
	enum graphics_mode graphics;
	int width;
	int low_bandwidth;
};

/* Draws an image file at the cursor. Fails when the file is missing or not a readable image. */
int cli_show_file(const char *path, const struct show_options *o, struct err *err);
/* The same for the asset whose filename is name, with its shapes drawn on top. */
int cli_show_asset(struct cache *cache, int64_t dataset_id, const char *name,
                   const struct show_options *o, struct err *err);
/* Prints the terminal's capabilities, the graphics choice, the paths and library versions. */
int cli_doctor(enum graphics_mode wanted, struct err *err);

#endif
