/* `annotty show` (one image, or one asset with its shapes, drawn on stdout) and `annotty doctor`
 * (what annotty detects in the terminal and where it keeps its files). */
#ifndef ANNOTTY_CLI_SHOW_H
#define ANNOTTY_CLI_SHOW_H

#include <stdint.h>

#include "ui/term.h"

struct cache;
struct err;

/* Draws an image file at the cursor: width in pixels (0: the terminal's, else 800), the height
 * keeping the aspect ratio. Fails when the file is missing or not a readable image. */
int cli_show_file(const char *path, enum graphics_mode graphics, int width, struct err *err);
/* The same for the asset whose filename is name, with its shapes drawn on top. */
int cli_show_asset(struct cache *cache, int64_t dataset_id, const char *name,
                   enum graphics_mode graphics, int width, struct err *err);
/* Prints the terminal's capabilities, the graphics choice, the paths and library versions. */
int cli_doctor(enum graphics_mode wanted, struct err *err);

#endif
