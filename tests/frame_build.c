/* The asset screen's frame path (frame_build, as the TUI calls it): a known JPEG with a known
 * box becomes sixel bytes that libsixel decodes back with the box colour on the box edge;
 * half-block frames land centred in the pane; unreadable images give a placeholder and a
 * reason, never bytes from the data. */
#include "core/buf.h"
#include "core/err.h"
#include "core/palette.h"
#include "render_fixtures.h"
#include "tap.h"
#include "frame/frame.h"

#include <math.h>
#include <unistd.h>

#undef PACKAGE_VERSION /* sixel.h defines its own */
#include <sixel.h>

#define BG 0x303030

static char dir[] = "/tmp/annotty-frame-XXXXXX";

/* An 800x600 dark grey JPEG with one box at (200,150) 300x200, label index 0. */
static void make_asset(struct asset_detail *a, struct shape *box, char **labels, const char *file)
{
	memset(a, 0, sizeof *a);
	memset(box, 0, sizeof *box);
	box->kind = SHAPE_BOX;
	box->label = 0;
	box->box = (struct rect){200, 150, 300, 200};
	labels[0] = "car";
	a->id = 1;
	a->width = 800;
	a->height = 600;
	snprintf(a->filename, sizeof a->filename, "%s", file);
	snprintf(a->path, sizeof a->path, "%s/%s", dir, file);
	a->shapes = box;
	a->shape_labels = labels;
	a->nshapes = 1;
}

/* Writes img to the test folder as a JPEG named name, and frees it. */
static void write_jpeg(const char *name, struct image *img)
{
	unsigned char *jpg;
	size_t len;

	jpg = fx_jpeg_of(img, &len);
	fx_write_file(dir, name, jpg, len);
	free(jpg);
	image_free(img);
}

static void write_grey_jpeg(const char *name)
{
	struct image img;

	image_alloc(&img, 800, 600, NULL);
	fx_fill(&img, 0, 0, 800, 600, BG);
	write_jpeg(name, &img);
}

static struct frame_spec sixel_spec(void)
{
	struct frame_spec s = {0};

	s.mode = GRAPHICS_SIXEL;
	s.top = 2;
	s.left = 1;
	s.cols = 40;
	s.rows = 15;
	s.cell_w = 10;
	s.cell_h = 20; /* a 400x300 pixel pane */
	s.overlays = 1;
	s.selected = -1;
	return s;
}

static const unsigned char *px(const unsigned char *idx, const unsigned char *pal, int w, int x,
                               int y)
{
	return pal + 3 * idx[(size_t)y * w + x];
}

static void test_sixel(const struct asset_detail *a)
{
	struct frame_spec spec = sixel_spec();
	struct frame_result res;
	struct buf out;
	struct err err;
	unsigned char *idx = NULL, *pal = NULL, *dcs;
	int w = 0, h = 0, nc = 0;
	uint32_t color = palette_rgb(0);

	buf_init(&out, 1u << 20);
	ok(frame_build(a, &spec, &out, &res, &err) == 0, "sixel frame builds");
	is_str(res.problem, "", "no problem reported for a good image");
	ok(memcmp(out.data, "\0337\033[2;1H", 8) == 0, "saves the cursor and moves to the pane");
	ok(memcmp(out.data + out.len - 2, "\0338", 2) == 0, "restores the cursor at the end");
	dcs = (unsigned char *)strstr((char *)out.data, "\033P");
	ok(dcs != NULL, "contains a DCS sixel sequence");
	if (dcs == NULL ||
	    !SIXEL_SUCCEEDED(sixel_decode_raw(dcs, (int)(out.len - (size_t)(dcs - out.data)), &idx,
	                                      &w, &h, &pal, &nc, NULL))) {
		ok(0, "libsixel decodes the frame");
		goto out;
	}
	is_int(w, 400, "frame is as wide as the pane");
	is_int(h, 300, "frame keeps the aspect ratio");
	ok(fx_near(px(idx, pal, w, 100, 125), color, 8) &&
	       fx_near(px(idx, pal, w, 175, 175 - 1), color, 8),
	   "box edge has the label colour");
	ok(fx_near(px(idx, pal, w, 175, 125), BG, 8), "inside the box is the image");
	ok(fx_near(px(idx, pal, w, 20, 280), BG, 8), "far from the box is the image");
	spec.overlays = 0;
	buf_reset(&out);
	free(idx);
	free(pal);
	idx = pal = NULL;
	frame_build(a, &spec, &out, &res, &err);
	dcs = (unsigned char *)strstr((char *)out.data, "\033P");
	if (dcs != NULL &&
	    SIXEL_SUCCEEDED(sixel_decode_raw(dcs, (int)(out.len - (size_t)(dcs - out.data)), &idx,
	                                     &w, &h, &pal, &nc, NULL)))
		ok(fx_near(px(idx, pal, w, 100, 125), BG, 8),
		   "with overlays hidden the edge is image");
	else
		ok(0, "frame without overlays decodes");
out:
	free(idx);
	free(pal);
	buf_free(&out);
}

static int count_newlines(const struct buf *b)
{
	int n = 0;

	for (size_t i = 0; i < b->len; i++)
		n += b->data[i] == '\n';
	return n;
}

/* Zoom 2 around the box centre: the 400x300 pane shows source (150,100)-(550,400) at 1:1. */
static void test_zoom(const struct asset_detail *a)
{
	struct frame_spec spec = sixel_spec();
	struct frame_result res;
	struct buf out;
	struct err err;
	unsigned char *idx = NULL, *pal = NULL, *dcs;
	int w = 0, h = 0, nc = 0;
	uint32_t color = palette_rgb(0);

	spec.zoom = 2;
	spec.center_x = 350;
	spec.center_y = 250;
	buf_init(&out, 1u << 20);
	ok(frame_build(a, &spec, &out, &res, &err) == 0, "zoomed frame builds");
	dcs = (unsigned char *)strstr((char *)out.data, "\033P");
	if (dcs == NULL ||
	    !SIXEL_SUCCEEDED(sixel_decode_raw(dcs, (int)(out.len - (size_t)(dcs - out.data)), &idx,
	                                      &w, &h, &pal, &nc, NULL))) {
		ok(0, "zoomed frame decodes");
		goto out;
	}
	ok(w == 400 && h == 300, "the zoomed view fills the pane (%dx%d)", w, h);
	ok(fx_near(px(idx, pal, w, 50, 150), color, 8) &&
	       fx_near(px(idx, pal, w, 200, 50), color, 8),
	   "the box edge moved to where the zoom puts it");
	ok(fx_near(px(idx, pal, w, 30, 150), BG, 8) && fx_near(px(idx, pal, w, 200, 150), BG, 8),
	   "and the image around and inside it is the picture");
out:
	free(idx);
	free(pal);
	buf_free(&out);
}

static void test_blocks(const struct asset_detail *a)
{
	struct frame_spec spec = sixel_spec();
	struct frame_result res;
	struct buf out;
	struct err err;
	int row = 0, col = 0;

	spec.mode = GRAPHICS_BLOCKS;
	spec.top = 5;
	spec.left = 11;
	spec.cols = 60;
	spec.rows = 15; /* 60x30 half-block pixels: an 800x600 image becomes 40x30 */
	buf_init(&out, 1u << 20);
	ok(frame_build(a, &spec, &out, &res, &err) == 0, "half-block frame builds");
	ok(out.len > 2 && memcmp(out.data, "\0337", 2) == 0, "saves the cursor first");
	ok(sscanf((char *)out.data + 2, "\033[%d;%dH", &row, &col) == 2, "then moves the cursor");
	is_int(row, 5, "first row is the pane's top");
	is_int(col, 11 + (60 - 40) / 2, "centred horizontally in the pane");
	ok(strstr((char *)out.data, "\xe2\x96\x80") != NULL, "draws upper half blocks");
	ok(out.len > 6 && memcmp(out.data + out.len - 6, "\033[0m\0338", 6) == 0,
	   "resets attributes and restores the cursor curses left");
	buf_reset(&out);
	spec.inline_output = 1;
	ok(frame_build(a, &spec, &out, &res, &err) == 0, "inline half-block frame builds");
	ok(strchr((char *)out.data, 'H') == NULL, "inline output never moves the cursor");
	is_int(count_newlines(&out), 15, "one line per text row of the image");
	buf_free(&out);
}

static void test_kitty_iterm2(const struct asset_detail *a)
{
	struct frame_spec spec = sixel_spec();
	struct frame_result res;
	struct buf out;
	struct err err;

	buf_init(&out, 1u << 20);
	spec.mode = GRAPHICS_KITTY;
	ok(frame_build(a, &spec, &out, &res, &err) == 0, "kitty frame builds");
	ok(memcmp(out.data, "\0337\033[2;1H\033_G", 11) == 0, "kitty image placed at the pane");
	ok(strstr((char *)out.data, "a=T") && strstr((char *)out.data, "i=7,"),
	   "transmits and shows with the screen's reused image id");
	ok(strstr((char *)out.data, "c=40,r=15") != NULL, "sized to the 40x15 cell pane");
	buf_reset(&out);
	spec.mode = GRAPHICS_ITERM2;
	ok(frame_build(a, &spec, &out, &res, &err) == 0, "iTerm2 frame builds");
	ok(strstr((char *)out.data, "\033]1337;File=inline=1;") != NULL, "as an inline file");
	ok(memcmp(out.data + out.len - 2, "\0338", 2) == 0, "restores the cursor");
	buf_free(&out);
}

/* A 1000x750 photo with grain: its full-colour kitty frame passes 1 MiB; the frame falls back
 * to a palette PNG at full size rather than to a smaller picture. */
static void test_kitty_large(void)
{
	struct frame_spec spec = sixel_spec();
	struct asset_detail a;
	struct shape box;
	char *labels[1];
	struct frame_result res;
	struct image img;
	struct buf out;
	struct err err;
	unsigned s = 1;

	image_alloc(&img, 1000, 750, NULL);
	for (int y = 0; y < 750; y++)
		for (int x = 0; x < 1000; x++)
			for (int c = 0; c < 3; c++) {
				s = s * 1103515245u + 12345u;
				img.rgb[3 * ((size_t)y * 1000 + x) + c] =
				    (unsigned char)(40 + (x + y * (c + 1)) % 160 + (int)(s >> 28));
			}
	write_jpeg("grain.jpg", &img);
	make_asset(&a, &box, labels, "grain.jpg");
	a.width = 1000;
	a.height = 750;
	spec.mode = GRAPHICS_KITTY;
	spec.cols = 100;
	spec.rows = 38; /* 1000x760 pixels */
	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	ok(frame_build(&a, &spec, &out, &res, &err) == 0, "a large kitty frame builds (%s)",
	   err.msg);
	ok(res.reduced == 1 && res.img_w == 1000 && res.img_h == 750,
	   "as a palette, at full size (reduced %d, %dx%d)", res.reduced, res.img_w, res.img_h);
	ok(strstr((char *)out.data, "f=100") != NULL && out.len <= RENDER_MAX_FRAME_BYTES,
	   "a PNG under 1 MiB (%zu bytes)", out.len);
	buf_free(&out);
}

static void test_broken(struct asset_detail *a)
{
	struct frame_spec spec = sixel_spec();
	struct frame_result res;
	struct buf out;
	struct err err;

	buf_init(&out, 1u << 20);
	fx_write_file(dir, "notes.jpg", "this is text", 12);
	snprintf(a->path, sizeof a->path, "%s/notes.jpg", dir);
	ok(frame_build(a, &spec, &out, &res, &err) == 0,
	   "a text file named .jpg still gives a frame");
	ok(res.problem[0] != '\0', "and says why the image is not shown: %s", res.problem);
	buf_reset(&out);
	snprintf(a->filename, sizeof a->filename, "evil\033]52;c;aGk=\007.jpg");
	a->path[0] = '\0';
	ok(frame_build(a, &spec, &out, &res, &err) == 0, "a missing image gives a placeholder");
	ok(strstr(res.problem, "not found") != NULL, "the reason says not found");
	ok(strstr((char *)out.data, "]52;") == NULL,
	   "no byte of the file name reaches the terminal");
	buf_free(&out);
}

/* Keypoints are drawn as markers in their shape's colour, their skeleton as lines between
 * them: (600, 100) and (700, 100), away from the box, are at (300, 50) and (350, 50) in the
 * 400x300 frame. */
static void test_keypoints(struct asset_detail *a)
{
	struct frame_spec spec = sixel_spec();
	struct frame_result res;
	struct point kp[2] = {{600, 100}, {700, 100}};
	int owner[2] = {0, 0}, link[1][2] = {{0, 1}};
	struct buf out;
	struct err err;
	unsigned char *idx = NULL, *pal = NULL, *dcs;
	int w = 0, h = 0, nc = 0;
	uint64_t with;

	a->keypoints = kp;
	a->keypoint_shape = owner;
	a->nkeypoints = 2;
	a->keypoint_links = link;
	a->nlinks = 1;
	buf_init(&out, 1u << 20);
	frame_build(a, &spec, &out, &res, &err);
	dcs = (unsigned char *)strstr((char *)out.data, "\033P");
	if (dcs != NULL &&
	    SIXEL_SUCCEEDED(sixel_decode_raw(dcs, (int)(out.len - (size_t)(dcs - out.data)), &idx,
	                                     &w, &h, &pal, &nc, NULL))) {
		ok(fx_near(px(idx, pal, w, 300, 50), palette_rgb(0), 8),
		   "a keypoint is a marker in its shape's colour");
		ok(fx_near(px(idx, pal, w, 300, 30), BG, 8) &&
		       fx_near(px(idx, pal, w, 300, 70), BG, 8),
		   "a small one");
		ok(fx_near(px(idx, pal, w, 325, 50), palette_rgb(0), 8) &&
		       fx_near(px(idx, pal, w, 325, 60), BG, 8),
		   "the skeleton joins it to the next one with a thin line");
	} else {
		ok(0, "the frame with a keypoint decodes");
	}
	with = frame_hash(a, &spec);
	a->nlinks = 0;
	ok(frame_hash(a, &spec) != with, "the skeleton is part of what a cached frame is for");
	with = frame_hash(a, &spec);
	a->nkeypoints = 0;
	ok(frame_hash(a, &spec) != with, "and so are the keypoints");
	free(idx);
	free(pal);
	buf_free(&out);
	a->keypoints = NULL;
	a->keypoint_shape = NULL;
	a->keypoint_links = NULL;
}

/* Colour definitions (#n;2;r;g;b) in a sixel frame. */
static int sixel_palette_size(const struct buf *b)
{
	int n = 0;

	for (size_t i = 0; i + 3 < b->len; i++)
		if (b->data[i] == '#' && b->data[i + 1] >= '0' && b->data[i + 1] <= '9') {
			size_t j = i + 1;
			while (j < b->len && b->data[j] >= '0' && b->data[j] <= '9')
				j++;
			n += j + 2 < b->len && b->data[j] == ';' && b->data[j + 1] == '2';
		}
	return n;
}

/* A terminal with few colour registers gets a palette that fits them. */
static void test_color_registers(void)
{
	struct frame_spec spec = sixel_spec();
	struct asset_detail a;
	struct shape box;
	char *labels[1];
	struct frame_result res;
	struct image img;
	struct buf out;
	struct err err;
	int full, few, low;

	image_alloc(&img, 800, 600, NULL);
	for (int y = 0; y < 600; y++)
		for (int x = 0; x < 800; x++) {
			unsigned char *p = img.rgb + 3 * ((size_t)y * 800 + x);
			p[0] = (unsigned char)(x * 255 / 799);
			p[1] = (unsigned char)(y * 255 / 599);
			p[2] = (unsigned char)((x + y) * 255 / 1398);
		}
	write_jpeg("gradient.jpg", &img);
	make_asset(&a, &box, labels, "gradient.jpg");
	buf_init(&out, 1u << 20);
	frame_build(&a, &spec, &out, &res, &err);
	full = sixel_palette_size(&out);
	buf_reset(&out);
	spec.sixel_colors = 16;
	frame_build(&a, &spec, &out, &res, &err);
	few = sixel_palette_size(&out);
	buf_reset(&out);
	spec.sixel_colors = 64;
	spec.low_bandwidth = 1;
	frame_build(&a, &spec, &out, &res, &err);
	low = sixel_palette_size(&out);
	ok(full > 64 && full <= 256, "a gradient gets a large palette (%d colours)", full);
	ok(few > 1 && few <= 16, "16 colour registers: at most 16 colours (%d)", few);
	ok(low > 1 && low <= 16, "low bandwidth stays at 16 with more registers (%d)", low);
	buf_free(&out);
}

/* One placement for the frame and for the mouse: the frame is as large and lands where
 * frame_place says, in every mode, whole and zoomed; no cell size means the defaults. */
static void test_placement(void)
{
	struct asset_detail a;
	struct shape box;
	char *labels[1];
	static const enum graphics_mode modes[] = {GRAPHICS_SIXEL, GRAPHICS_KITTY, GRAPHICS_BLOCKS};
	struct frame_spec spec;
	struct frame_placement pl;
	struct frame_result res;
	struct buf out;
	struct err err;
	char want[64];
	int r, c;

	make_asset(&a, &box, labels, "grey.jpg");
	buf_init(&out, 1u << 20);
	for (size_t i = 0; i < 2 * sizeof modes / sizeof modes[0]; i++) {
		spec = sixel_spec();
		spec.mode = modes[i % 3];
		spec.cols = 36; /* a 360x300 pane in the pixel modes: the picture is narrower */
		spec.cell_w = spec.cell_h = 0;
		spec.zoom = i < 3 ? 1 : 3;
		spec.center_x = i < 3 ? 0 : 700;
		buf_reset(&out);
		r = c = -1;
		if (frame_build(&a, &spec, &out, &res, &err) < 0 ||
		    frame_place(&spec, 800, 600, &pl) < 0 ||
		    sscanf((const char *)out.data, "\0337\033[%d;%dH", &r, &c) != 2)
			r = c = -1;
		ok(res.img_w == pl.w && res.img_h == pl.h && r == pl.top && c == pl.left,
		   "%s zoom %.0f: a %dx%d frame at %d;%d, as placed (%dx%d at %d;%d)",
		   graphics_mode_name(spec.mode), spec.zoom, res.img_w, res.img_h, r, c, pl.w, pl.h,
		   pl.top, pl.left);
		if (spec.mode != GRAPHICS_KITTY)
			continue;
		snprintf(want, sizeof want, "c=%d,r=%d", pl.cols, pl.rows);
		ok(strstr((char *)out.data, want) != NULL && pl.px_w == FRAME_CELL_W_DEFAULT &&
		       pl.px_h == FRAME_CELL_H_DEFAULT,
		   "and covers the cells it says with the default cell size (%s)", want);
	}
	buf_free(&out);
}

/* Over the byte budget is a kind the size fallback decides on, whatever the encoder. */
static void test_too_large_kind(const struct asset_detail *a)
{
	static const enum graphics_mode modes[] = {GRAPHICS_SIXEL, GRAPHICS_BLOCKS, GRAPHICS_KITTY,
	                                           GRAPHICS_ITERM2, GRAPHICS_KITTY_TMUX};
	struct frame_spec spec = sixel_spec();
	struct frame_result res;
	struct buf out;
	struct err err;
	int rc;

	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		spec.mode = modes[i];
		buf_init(&out, 300);
		err_clear(&err);
		rc = frame_build(a, &spec, &out, &res, &err);
		ok(rc < 0 && err_kind_of(&err) == ERR_TOO_LARGE,
		   "%s: a frame over the budget fails as too large (%s)",
		   graphics_mode_name(modes[i]), err_kind_name(err_kind_of(&err)));
		buf_free(&out);
	}
}

/* A sixel frame whose lower half alone passes the budget: the error of the second thread
 * comes back with its kind. */
static void test_too_large_lower_half(void)
{
	struct image img;
	struct buf out;
	struct err err;
	unsigned s = 99;
	size_t whole;
	int rc;

	image_alloc(&img, 400, 300, NULL);
	fx_fill(&img, 0, 0, 400, 150, BG);
	for (size_t i = (size_t)400 * 150 * 3; i < (size_t)400 * 300 * 3; i++) {
		s = s * 1103515245u + 12345u;
		img.rgb[i] = (unsigned char)(s >> 16);
	}
	render_sixel_threads(2);
	buf_init(&out, (size_t)8 << 20);
	render_encode_sixel(&img, 256, &out, &err);
	whole = out.len;
	buf_free(&out);
	buf_init(&out, whole / 2);
	err_clear(&err);
	rc = render_encode_sixel(&img, 256, &out, &err);
	ok(rc < 0 && err_kind_of(&err) == ERR_TOO_LARGE,
	   "two halves: the lower half over the budget fails as too large (%s: %s)",
	   err_kind_name(err_kind_of(&err)), err.msg);
	is_int((int)out.len, 0, "with no half frame in the buffer");
	render_sixel_threads(0);
	buf_free(&out);
	image_free(&img);
}

int main(void)
{
	struct asset_detail a;
	struct shape box;
	char *labels[1];
	char cmd[128];

	if (mkdtemp(dir) == NULL)
		skip_all("no temporary folder");
	write_grey_jpeg("grey.jpg");
	make_asset(&a, &box, labels, "grey.jpg");
	test_sixel(&a);
	test_zoom(&a);
	test_blocks(&a);
	test_kitty_iterm2(&a);
	test_kitty_large();
	test_keypoints(&a);
	test_broken(&a);
	test_color_registers();
	test_placement();
	test_too_large_kind(&a);
	test_too_large_lower_half();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		tap_diag("could not remove the temporary folder");
	return done_testing();
}
