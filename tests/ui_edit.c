/* The pure parts of the asset screen's editing: the label picker's filter and ranking, the
 * digit keys' labels, and how a screen cell and a key press map to source pixels for the
 * pane's geometry, checked against the frames frame_build makes. */
#include "render_fixtures.h"
#include "tap.h"
#include "ui/app.h"
#include "frame/frame.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct app app; /* large: not on the stack */

static struct label_row row(int index, const char *name, int count)
{
	struct label_row r = {.id = index + 100, .index = index, .shape_count = count};

	snprintf(r.name, sizeof r.name, "%s", name);
	return r;
}

static void test_filter(void)
{
	/* rank order as cache_labels_ranked gives it: recently used first */
	struct label_row rows[] = {row(4, "truck", 3), row(0, "Car", 9), row(2, "scar", 1),
	                           row(1, "cart", 0), row(3, "dog", 5)};
	int match[8], create, n;

	n = picker_filter(rows, 5, "", match, &create);
	ok(n == 5 && match[0] == 0 && match[1] == 1 && match[4] == 4 && !create,
	   "an empty filter keeps every label in rank order and offers no creation");
	n = picker_filter(rows, 5, "car", match, &create);
	is_int(n, 3, "car matches Car, cart and scar");
	ok(match[0] == 1 && match[1] == 3 && match[2] == 2,
	   "the exact name first (any case), then prefixes, then the rest");
	ok(!create, "an existing name is not offered for creation");
	n = picker_filter(rows, 5, "  CA ", match, &create);
	ok(n == 3 && match[0] == 1 && match[1] == 3 && create,
	   "typed spaces are ignored; a partial name offers to create it");
	n = picker_filter(rows, 5, "zebra", match, &create);
	ok(n == 0 && create, "no match: only the creation is offered");
	n = picker_filter(rows, 0, "x", match, &create);
	ok(n == 0 && create, "a dataset without labels can still get one");
}

static void test_digits(void)
{
	struct label_row rows[12];
	int digits[9];

	for (int i = 0; i < 12; i++)
		rows[i] = row(i, "l", i == 5 ? 50 : i == 9 ? 50 : i == 2 ? 7 : 0);
	picker_digits(rows, 12, digits);
	ok(digits[0] == 5 && digits[1] == 9 && digits[2] == 2,
	   "1-3 go to the most used labels, ties in label order");
	ok(digits[3] == 0 && digits[4] == 1 && digits[5] == 3 && digits[8] == 7,
	   "the rest to unused labels in label order");
	picker_digits(rows, 2, digits);
	ok(digits[0] == 0 && digits[1] == 1 && digits[2] == -1 && digits[8] == -1,
	   "keys past the last label give nothing");
}

/* The 120x40 half-block screen the screen tests use, with an 890x440 image. */
static void blocks_app(void)
{
	memset(&app, 0, sizeof app);
	app.rows = 40;
	app.cols = 120;
	app.graphics = GRAPHICS_BLOCKS;
	app.asset_loaded = 1;
	app.asset.width = 890;
	app.asset.height = 440;
	app.zoom = 1;
}

static void test_geometry_blocks(void)
{
	struct view_geometry g;
	struct point p;

	blocks_app();
	is_int(view_geometry(&app, &g), 0, "geometry of a loaded image");
	/* the pane is 89 columns by 37 rows: 89x74 pixels; 890x440 fits as 89x44 */
	ok(g.w == 89 && g.h == 44, "the frame is 89x44 half-block pixels");
	ok(fabs(g.scale_x - 0.1) < 1e-9 && fabs(g.scale_y - 0.1) < 1e-9, "at a tenth of the size");
	ok(g.top == 1 + (37 - 22) / 2 && g.left == 0, "centred in the pane");
	is_int(view_step(&g), 10, "one key press moves ten source pixels");
	is_int(view_cell_to_source(&g, g.top, 0, &p), 0, "the top-left cell is on the image");
	ok(fabs(p.x - 5) < 1e-9 && fabs(p.y - 10) < 1e-9, "and shows the middle of its pixels");
	is_int(view_cell_to_source(&g, g.top + 15, 65, &p), 0, "a cell inside");
	ok(fabs(p.x - 655) < 1e-9 && fabs(p.y - 310) < 1e-9, "maps to its source pixel");
	is_int(view_cell_to_source(&g, g.top - 1, 10, &p), -1, "above the image is off it");
	is_int(view_cell_to_source(&g, g.top + 22, 10, &p), -1, "and so is below");
	is_int(view_cell_to_source(&g, g.top, 89, &p), -1, "and right of it");
	app.asset.width = 0;
	is_int(view_geometry(&app, &g), -1, "no geometry without the image's size");
}

static void test_geometry_zoom_and_pixels(void)
{
	struct view_geometry g;
	struct point p;

	blocks_app();
	app.zoom = 5; /* around the middle: 445,220 */
	is_int(view_geometry(&app, &g), 0, "zoomed geometry");
	is_int(view_step(&g), 2, "a key press moves a screen pixel's worth: 10/5");
	ok(fabs(g.offset_x - (445 - 89)) < 1e-6 && fabs(g.offset_y - (220 - 74)) < 1e-6,
	   "the view is centred on the middle");
	view_cell_to_source(&g, g.top + g.h / 4, g.w / 2, &p);
	ok(fabs(p.x - 445) < 2 && fabs(p.y - 220) < 3, "the pane's middle shows the image's");

	blocks_app();
	app.zoom = 40;
	view_geometry(&app, &g);
	is_int(view_step(&g), 1, "at least one pixel per press");

	blocks_app();
	app.graphics = GRAPHICS_SIXEL;
	app.caps.cell_w = 10;
	app.caps.cell_h = 20;
	view_geometry(&app, &g);
	/* 890x740 pixels of pane: the image is shown whole, at its own size */
	ok(g.w == 890 && g.h == 440 && g.scale_x == 1, "sixel: a small image is not upscaled");
	ok(g.top == 1 && g.left == 0 && g.px_w == 10 && g.px_h == 20,
	   "it starts at the pane's top-left, one cell per 10x20 pixels");
	is_int(view_step(&g), 1, "one source pixel per press");
	view_cell_to_source(&g, 1 + 3, 7, &p);
	ok(fabs(p.x - 75) < 1e-9 && fabs(p.y - 70) < 1e-9, "a cell maps to its middle pixel");
}

/* The geometry agrees with the half-block frame frame_build draws: same size, same place. */
static void test_matches_frame(void)
{
	char dir[] = "/tmp/annotty-edit-XXXXXX";
	const char *path;
	struct image img = {0};
	struct frame_spec spec;
	struct frame_result res;
	struct view_geometry g;
	struct buf out;
	struct err err;
	unsigned char *jpeg;
	size_t len;
	int top, left, rows, cols, r = 0, c = 0;
	static const double zooms[] = {1, 5, 2.25};

	if (mkdtemp(dir) == NULL || image_alloc(&img, 890, 440, &err) < 0)
		return;
	fx_fill(&img, 0, 0, 890, 440, 0x406080);
	jpeg = fx_jpeg_of(&img, &len);
	path = fx_write_file(dir, "a.jpg", jpeg, len);
	buf_init(&out, 4u << 20);
	for (size_t z = 0; z < sizeof zooms / sizeof zooms[0]; z++) {
		blocks_app();
		snprintf(app.asset.path, sizeof app.asset.path, "%s", path);
		app.zoom = zooms[z];
		app.center_x = z == 2 ? 800 : 0; /* near the right edge: the view is held inside */
		app.center_y = z == 2 ? 20 : 0;
		view_geometry(&app, &g);
		viewer_pane(&app, &top, &left, &rows, &cols);
		spec = (struct frame_spec){.mode = GRAPHICS_BLOCKS,
		                           .top = top + 1,
		                           .left = left + 1,
		                           .rows = rows,
		                           .cols = cols,
		                           .zoom = app.zoom,
		                           .center_x = app.center_x,
		                           .center_y = app.center_y,
		                           .truecolor = 1,
		                           .selected = -1};
		buf_reset(&out);
		ok(frame_build(&app.asset, &spec, &out, &res, &err) == 0 && res.img_w == g.w &&
		       res.img_h == g.h,
		   "zoom %.2f: the frame has the size the geometry says", zooms[z]);
		/* the frame saves the cursor (ESC 7) before its first move */
		if (out.len < 2 || memcmp(out.data, "\0337", 2) != 0 ||
		    sscanf((const char *)out.data + 2, "\033[%d;%dH", &r, &c) != 2)
			r = c = -1;
		ok(r == g.top + 1 && c == g.left + 1, "and starts at the cell it says (%d;%d)", r,
		   c);
	}
	buf_free(&out);
	free(jpeg);
	image_free(&img);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	test_filter();
	test_digits();
	test_geometry_blocks();
	test_geometry_zoom_and_pixels();
	test_matches_frame();
	return done_testing();
}
