/* What is drawn matches the data: COCO RLE masks (both forms) decoded and drawn as their
 * pixels, not their box; EXIF orientations 1-8 with the shapes in the picture's frame (and a
 * declared size that is the stored one); label names beyond ASCII drawn with their glyphs.
 * Every check is on the pixels of a frame, decoded back from its sixel bytes. */
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/palette.h"
#include "core/rle.h"
#include "render_fixtures.h"
#include "tap.h"
#include "frame/frame.h"

#include <locale.h>
#include <math.h>
#include <unistd.h>

#undef PACKAGE_VERSION /* sixel.h defines its own */
#include <sixel.h>

#define BG 0x303030

static char dir[] = "/tmp/annotty-match-XXXXXX";

/* A 400x300 pixel sixel pane. */
static struct frame_spec pane(void)
{
	struct frame_spec s = {0};

	s.mode = GRAPHICS_SIXEL;
	s.top = 1;
	s.left = 1;
	s.cols = 40;
	s.rows = 15;
	s.cell_w = 10;
	s.cell_h = 20;
	s.overlays = 1;
	s.selected = -1;
	return s;
}

/* The frame of a as RGB pixels (libsixel decodes the bytes); 0 when it could be had. */
static int frame_pixels(const struct asset_detail *a, const struct frame_spec *spec,
                        struct image *img)
{
	struct frame_result res;
	struct buf out;
	struct err err;
	unsigned char *idx = NULL, *pal = NULL, *dcs;
	int w = 0, h = 0, nc = 0, rc = -1;

	memset(img, 0, sizeof *img);
	buf_init(&out, 1u << 20);
	if (frame_build(a, spec, &out, &res, &err) < 0 || res.problem[0] != '\0')
		goto out;
	dcs = (unsigned char *)strstr((char *)out.data, "\033P");
	if (dcs == NULL ||
	    !SIXEL_SUCCEEDED(sixel_decode_raw(dcs, (int)(out.len - (size_t)(dcs - out.data)), &idx,
	                                      &w, &h, &pal, &nc, NULL)) ||
	    image_alloc(img, w, h, NULL) < 0)
		goto out;
	for (int i = 0; i < w * h; i++)
		memcpy(img->rgb + 3 * i, pal + 3 * idx[i], 3);
	rc = 0;
out:
	free(idx);
	free(pal);
	buf_free(&out);
	return rc;
}

static uint32_t blend(uint32_t over, uint32_t under, int alpha)
{
	uint32_t r = 0;

	for (int s = 16; s >= 0; s -= 8) {
		int a = (int)(over >> s & 0xff), b = (int)(under >> s & 0xff);
		r |= (uint32_t)((a * alpha + b * (255 - alpha) + 127) / 255) << s;
	}
	return r;
}

static int near_at(const struct image *img, int x, int y, uint32_t rgb)
{
	return img->rgb != NULL && x >= 0 && y >= 0 && x < img->w && y < img->h &&
	       fx_near(fx_px(img, x, y), rgb, 14);
}

/* ---- RLE -------------------------------------------------------------------------------- */

/* The compressed form, written as the COCO mask API writes it (an encoder of the test's own,
 * so that the decoder is checked against the format, not against itself). */
static void rle_encode(const int64_t *cnts, size_t n, char *out)
{
	size_t p = 0;

	for (size_t i = 0; i < n; i++) {
		int64_t x = cnts[i];
		int more = 1;
		if (i > 2)
			x -= cnts[i - 2];
		while (more) {
			int c = (int)(x & 0x1f);
			x >>= 5;
			more = (c & 0x10) ? x != -1 : x != 0;
			if (more)
				c |= 0x20;
			out[p++] = (char)(c + 48);
		}
	}
	out[p] = '\0';
}

static void test_rle_decode(void)
{
	static const struct {
		const char *s;
		int64_t want[6];
		size_t n;
	} known[] = {
	    {"532", {5, 3, 2}, 3},
	    {"5321", {5, 3, 2, 4}, 4},        /* the fourth is stored as 4 - 3 */
	    {"532N", {5, 3, 2, 1}, 4},        /* 1 - 3 = -2: a negative difference */
	    {"T3", {100}, 1},                 /* two groups of five bits */
	    {"0T3T3", {0, 100, 100}, 3},      /* starting with no unset pixel */
	    {"0T3T30", {0, 100, 100, 100}, 4} /* 100 - 100 stored as 0 */
	};
	struct err err;

	for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
		int64_t *c = NULL;
		size_t n = 0;
		int same = rle_decode_compressed(known[k].s, &c, &n, &err) == 0 && n == known[k].n;
		for (size_t i = 0; same && i < n; i++)
			same = c[i] == known[k].want[i];
		ok(same, "compressed counts \"%s\" decode to the known runs", known[k].s);
		free(c);
	}
	{
		int64_t cnts[] = {7, 1000, 33, 2000000, 5, 1, 70000, 2};
		int64_t *c = NULL;
		char s[128];
		size_t n = 0;
		int same;
		rle_encode(cnts, 8, s);
		same = rle_decode_compressed(s, &c, &n, &err) == 0 && n == 8;
		for (size_t i = 0; same && i < n; i++)
			same = c[i] == cnts[i];
		ok(same, "large and shrinking runs come back from their compressed form (%s)", s);
		free(c);
	}
	ok(rle_decode_compressed("5\x7f", &(int64_t *){NULL}, &(size_t){0}, &err) < 0 &&
	       strstr(err.msg, "invalid character") != NULL,
	   "a stray byte in the counts is an error: %s", err.msg);
}

/* An L of set pixels on an 800x600 mask: columns 400..599 over rows 100..299, and columns
 * 400..449 on down to row 499. Fills cnts (column-major runs, unset first); returns their
 * number. */
static size_t l_shape_runs(int64_t *cnts)
{
	size_t n = 0;
	int64_t unset = 0;

	for (int x = 0; x < 800; x++) {
		int y0 = 100, y1 = x < 450 ? 500 : 300;
		if (x < 400 || x >= 600) {
			unset += 600;
			continue;
		}
		cnts[n++] = unset + y0;
		cnts[n++] = y1 - y0;
		unset = 600 - y1;
	}
	cnts[n++] = unset;
	return n;
}

static char *mask_extras(int compressed)
{
	static int64_t cnts[1024];
	size_t n = l_shape_runs(cnts), len = 0, cap = 64 + n * 12;
	char *s = malloc(cap);

	len += (size_t)snprintf(s, cap, "{\"segmentation\":{\"size\":[600,800],\"counts\":");
	if (compressed) {
		s[len++] = '"';
		rle_encode(cnts, n, s + len);
		len += strlen(s + len);
		s[len++] = '"';
	} else {
		s[len++] = '[';
		for (size_t i = 0; i < n; i++)
			len += (size_t)snprintf(s + len, cap - len, "%s%lld", i ? "," : "",
			                        (long long)cnts[i]);
		s[len++] = ']';
	}
	snprintf(s + len, cap - len, "},\"area\":50000}");
	return s;
}

static void grey_asset(struct asset_detail *a, const char *file)
{
	struct image img;
	unsigned char *jpg;
	size_t len;

	image_alloc(&img, 800, 600, NULL);
	fx_fill(&img, 0, 0, 800, 600, BG);
	jpg = fx_jpeg_of(&img, &len);
	fx_write_file(dir, file, jpg, len);
	free(jpg);
	image_free(&img);
	memset(a, 0, sizeof *a);
	a->id = 1;
	a->width = 800;
	a->height = 600;
	snprintf(a->filename, sizeof a->filename, "%s", file);
	snprintf(a->path, sizeof a->path, "%s/%s", dir, file);
}

static void test_mask_frame(int compressed)
{
	const char *kind = compressed ? "compressed" : "uncompressed";
	struct asset_detail a;
	struct shape mask = {0};
	char *labels[1] = {"person"};
	struct frame_spec spec = pane();
	struct image img;
	uint32_t c = palette_rgb(0);

	grey_asset(&a, "grey.jpg");
	mask.kind = SHAPE_MASK;
	mask.label = 0;
	/* the annotation's box, elsewhere than its mask (as real datasets have it) */
	mask.box = (struct rect){100, 350, 150, 150};
	mask.extra_json = mask_extras(compressed);
	a.shapes = &mask;
	a.shape_labels = labels;
	a.nshapes = 1;
	if (frame_pixels(&a, &spec, &img) < 0) {
		ok(0, "%s mask: the frame builds and decodes", kind);
		goto out;
	}
	/* the frame is at half scale: the L spans frame columns 200..299, rows 50..249 */
	ok(near_at(&img, 250, 100, blend(c, BG, 48)) && near_at(&img, 212, 200, blend(c, BG, 48)),
	   "%s mask: its pixels get a light fill of the label colour (got %06x, %06x)", kind,
	   fx_rgb_at(&img, 250, 100), fx_rgb_at(&img, 212, 200));
	ok(near_at(&img, 200, 120, c) && near_at(&img, 250, 50, c) && near_at(&img, 280, 149, c) &&
	       near_at(&img, 224, 220, c) && near_at(&img, 212, 249, c),
	   "%s mask: its outline follows the L in the label colour", kind);
	ok(near_at(&img, 270, 200, BG) && near_at(&img, 150, 100, BG),
	   "%s mask: outside the L (in its notch) is the picture (got %06x)", kind,
	   fx_rgb_at(&img, 270, 200));
	ok(near_at(&img, 50, 200, BG) && near_at(&img, 87, 175, BG) && near_at(&img, 87, 220, BG),
	   "%s mask: its box is not drawn (got %06x at the box's left edge)", kind,
	   fx_rgb_at(&img, 50, 200));
	ok(near_at(&img, 202, 40, c), "%s mask: the caption sits above the mask, not the box",
	   kind);
	image_free(&img);
	spec.selected = 0;
	if (frame_pixels(&a, &spec, &img) == 0)
		ok(near_at(&img, 50, 190, c) || near_at(&img, 51, 190, c),
		   "%s mask, selected: its box shows, dashed, for editing", kind);
	else
		ok(0, "%s mask, selected: the frame builds", kind);
	image_free(&img);
out:
	free(mask.extra_json);
}

/* A broken RLE leaves the mask drawn as its box, never garbage. */
static void test_mask_broken(void)
{
	struct asset_detail a;
	struct shape mask = {0};
	char *labels[1] = {"person"};
	struct frame_spec spec = pane();
	struct image img;
	char extras[] = "{\"segmentation\":{\"size\":[600,800],\"counts\":\"5\x7f\"}}";

	grey_asset(&a, "grey.jpg");
	mask.kind = SHAPE_MASK;
	mask.box = (struct rect){100, 350, 150, 150};
	mask.extra_json = extras;
	a.shapes = &mask;
	a.shape_labels = labels;
	a.nshapes = 1;
	if (frame_pixels(&a, &spec, &img) == 0)
		ok(near_at(&img, 50, 178, palette_rgb(0)) && near_at(&img, 250, 100, BG),
		   "a mask whose RLE is broken is drawn as its box");
	else
		ok(0, "a mask with a broken RLE still gets a frame");
	image_free(&img);
}

/* ---- EXIF orientation ------------------------------------------------------------------- */

/* An APP1 Exif body with only the orientation tag (little-endian TIFF, as phones write it). */
static size_t exif_body(unsigned char *b, int orientation)
{
	static const unsigned char head[] = {
	    'E',  'x',  'i', 'f', 0, 0,       /* APP1 identifier */
	    'I',  'I',  42,  0,   8, 0, 0, 0, /* TIFF header, IFD0 at 8 */
	    1,    0,                          /* one entry */
	    0x12, 0x01, 3,   0,   1, 0, 0, 0, /* Orientation, SHORT, count 1 */
	};
	memcpy(b, head, sizeof head);
	b[sizeof head] = (unsigned char)orientation;
	memset(b + sizeof head + 1, 0, 7); /* value, padding, next IFD = 0 */
	return sizeof head + 8;
}

/* A 400x300 stored picture of four quadrants with orientation o, and a box around the middle of
 * the top-left quadrant of a declared_w x declared_h picture. Checks the frame's size, the box
 * and what is under it. */
static void check_orientation(int o, int declared_w, int declared_h, uint32_t under)
{
	struct image src, img;
	unsigned char app1[64], *jpg;
	struct fx_jpeg_opts opts = {.app1 = app1, .app1_len = exif_body(app1, o)};
	struct asset_detail a;
	struct shape box = {0};
	char *labels[1] = {"sign"}, name[32];
	struct frame_spec spec = pane();
	uint32_t c = palette_rgb(3);
	double s;
	size_t len;
	int ew, eh, x0, x1, ym;

	image_alloc(&src, 400, 300, NULL);
	fx_quadrants(&src);
	jpg = fx_jpeg_encode(src.rgb, 400, 300, &opts, &len);
	snprintf(name, sizeof name, "o%d-%dx%d.jpg", o, declared_w, declared_h);
	fx_write_file(dir, name, jpg, len);
	free(jpg);
	image_free(&src);
	memset(&a, 0, sizeof a);
	a.width = declared_w;
	a.height = declared_h;
	snprintf(a.filename, sizeof a.filename, "%s", name);
	snprintf(a.path, sizeof a.path, "%s/%s", dir, name);
	box.kind = SHAPE_BOX;
	box.label = 3;
	box.box =
	    (struct rect){declared_w / 8.0, declared_h / 8.0, declared_w / 4.0, declared_h / 4.0};
	a.shapes = &box;
	a.shape_labels = labels;
	a.nshapes = 1;
	s = declared_w > declared_h ? 1 : 0.75; /* 400x300 fits as it is, 300x400 at 3/4 */
	ew = (int)(declared_w * s), eh = (int)(declared_h * s);
	x0 = (int)(declared_w / 8.0 * s), x1 = (int)ceil(declared_w * 3 / 8.0 * s) - 1;
	ym = (int)(declared_h / 4.0 * s);
	if (frame_pixels(&a, &spec, &img) < 0) {
		ok(0, "orientation %d, declared %dx%d: the frame builds", o, declared_w,
		   declared_h);
		return;
	}
	ok(img.w == ew && img.h == eh && near_at(&img, x0, ym, c) && near_at(&img, x1, ym, c) &&
	       near_at(&img, (x0 + x1) / 2, ym, under),
	   "orientation %d, declared %dx%d: a %dx%d frame, the box's edges at %d and %d in its "
	   "colour, %06x inside (got %dx%d, %06x %06x %06x)",
	   o, declared_w, declared_h, ew, eh, x0, x1, under, img.w, img.h, fx_rgb_at(&img, x0, ym),
	   fx_rgb_at(&img, x1, ym), fx_rgb_at(&img, (x0 + x1) / 2, ym));
	image_free(&img);
}

/* A phone's JPEG: Exif, then an XMP packet in a second APP1 segment. */
static void test_orientation_with_xmp(void)
{
	static const char xmp[] = "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>";
	struct image src, img;
	unsigned char app1[64], *jpg, *both;
	struct fx_jpeg_opts opts = {.app1 = app1, .app1_len = exif_body(app1, 6)};
	size_t len, at = 2, seg = 2 + sizeof xmp;
	struct err err = {0};
	int sw = 0, sh = 0, rc;

	image_alloc(&src, 400, 300, NULL);
	fx_quadrants(&src);
	jpg = fx_jpeg_encode(src.rgb, 400, 300, &opts, &len);
	image_free(&src);
	while (at + 4 < len && !(jpg[at] == 0xff && jpg[at + 1] == 0xe1))
		at += 2 + ((size_t)jpg[at + 2] << 8 | jpg[at + 3]); /* to the Exif segment */
	at += 2 + ((size_t)jpg[at + 2] << 8 | jpg[at + 3]);         /* and past it */
	both = malloc(len + 2 + seg);
	memcpy(both, jpg, at);
	both[at] = 0xff, both[at + 1] = 0xe1;
	both[at + 2] = (unsigned char)(seg >> 8), both[at + 3] = (unsigned char)seg;
	memcpy(both + at + 4, xmp, sizeof xmp);
	memcpy(both + at + 2 + seg, jpg + at, len - at);
	rc = render_decode_mem(both, len + 2 + seg, 500, 500, &img, &sw, &sh, &err);
	ok(rc == 0 && img.w == 300 && img.h == 400 && near_at(&img, 10, 10, 0x0000ff),
	   "an XMP segment after the Exif one keeps orientation 6 (got %dx%d, %06x; %s)", img.w,
	   img.h, img.rgb ? fx_rgb_at(&img, 10, 10) : 0, err.msg);
	image_free(&img);
	free(jpg);
	free(both);
}

static void test_orientations(void)
{
	/* the stored quadrant shown top-left after each orientation (red, green, blue, white
	 * stored top-left, top-right, bottom-left, bottom-right) */
	static const uint32_t top_left[9] = {0,        0xff0000, 0x00ff00, 0xffffff, 0x0000ff,
	                                     0xff0000, 0x0000ff, 0xffffff, 0x00ff00};
	char logpath[256], text[4096] = "";
	FILE *f;

	for (int o = 1; o <= 8; o++) /* declared as shown, as most tools do */
		check_orientation(o, o >= 5 ? 300 : 400, o >= 5 ? 400 : 300, top_left[o]);
	snprintf(logpath, sizeof logpath, "%s/annotty.log", dir);
	log_open(logpath);
	for (int o = 5; o <= 8; o++) /* declared as stored: the shapes are on the stored pixels */
		check_orientation(o, 400, 300, 0xff0000);
	log_close();
	if ((f = fopen(logpath, "r")) != NULL) {
		text[fread(text, 1, sizeof text - 1, f)] = '\0';
		fclose(f);
	}
	ok(strstr(text, "o6-400x300.jpg: EXIF orientation 6 not applied: the dataset declares "
	                "400x300, the size as stored") != NULL,
	   "the choice is logged");
}

/* ---- Names beyond ASCII ------------------------------------------------------------------- */

/* The glyph of cp as the .hex file has it, read here on its own: 1 when found. */
static int hex_glyph(const char *path, uint32_t cp, int *w, unsigned rows[16])
{
	char line[256], want[16];
	FILE *f = fopen(path, "r");
	int found = 0;

	if (f == NULL)
		return 0;
	snprintf(want, sizeof want, "%04X:", (unsigned)cp);
	while (!found && fgets(line, sizeof line, f) != NULL) {
		size_t n;
		if (strncmp(line, want, strlen(want)) != 0)
			continue;
		n = strcspn(line + strlen(want), "\n");
		*w = n == 64 ? 16 : 8;
		for (int r = 0; r < 16; r++) {
			char part[5] = {0};
			memcpy(part, line + strlen(want) + r * (*w / 4), (size_t)(*w / 4));
			rows[r] = (unsigned)strtoul(part, NULL, 16);
		}
		found = 1;
	}
	fclose(f);
	return found;
}

/* The glyph of cp drawn at (x, y) in ink on the tag's colour: how many of its pixels are. */
static int glyph_matches(const struct image *img, const char *font, uint32_t cp, int x, int y,
                         uint32_t ink, uint32_t paper)
{
	unsigned rows[16];
	int w, n = 0;

	if (!hex_glyph(font, cp, &w, rows))
		return -1;
	for (int r = 0; r < 16; r++)
		for (int c = 0; c < w; c++)
			n += near_at(img, x + c, y + r, (rows[r] >> (w - 1 - c) & 1) ? ink : paper);
	return n;
}

static void caption_frame(const char *caption, struct image *img)
{
	struct asset_detail a;
	struct shape box = {0};
	char *labels[1];
	struct frame_spec spec = pane();

	grey_asset(&a, "grey.jpg");
	box.kind = SHAPE_BOX;
	box.box = (struct rect){200, 200, 200, 100}; /* at (100, 100) in the half-scale frame */
	labels[0] = (char *)caption;
	a.shapes = &box;
	a.shape_labels = labels;
	a.nshapes = 1;
	if (frame_pixels(&a, &spec, img) < 0)
		memset(img, 0, sizeof *img);
}

static void test_captions(void)
{
	const char *font = getenv("ANNOTTY_UNIFONT") ? getenv("ANNOTTY_UNIFONT") : UNIFONT_HEX;
	uint32_t c = palette_rgb(0), ink = 0xffffff;
	char path[1024];
	struct image img;
	int n;

	if (!render_caption_font(path, sizeof path)) {
		char why[1200];
		snprintf(why, sizeof why,
		         "GNU Unifont is not installed at %s (the unifont package): the captions "
		         "beyond ASCII are not checked",
		         path);
		tap_diag(why);
		return;
	}
	/* a tag of 16-pixel glyphs one pixel in from its corner, its top 18 pixels above the box */
	caption_frame("\xe7\x94\xb5\xe8\xbd\xa6", &img); /* 电车, two columns each */
	n = glyph_matches(&img, font, 0x7535, 101, 83, ink, c);
	ok(n == 256, "a CJK caption: its first character's 16x16 glyph is drawn (%d of 256 pixels)",
	   n);
	n = glyph_matches(&img, font, 0x8f66, 117, 83, ink, c);
	ok(n == 256, "a CJK caption: the second follows two cells on (%d of 256 pixels)", n);
	ok(near_at(&img, 133, 90, c) && near_at(&img, 135, 90, BG),
	   "a CJK caption: the tag is as wide as four columns of 8 pixels and its padding");
	image_free(&img);
	caption_frame("Stra\xc3\x9f"
	              "enbahn",
	              &img);
	n = glyph_matches(&img, font, 0xdf, 101 + 4 * 8, 83, ink, c);
	ok(n == 128,
	   "Stra\xc3\x9f"
	   "enbahn: the \xc3\x9f is drawn from its glyph (%d of 128 pixels)",
	   n);
	n = glyph_matches(&img, font, 'S', 101, 83, ink, c);
	ok(n == 128,
	   "Stra\xc3\x9f"
	   "enbahn: the ASCII around it in the same font (%d of 128)",
	   n);
	ok(near_at(&img, 100 + 11 * 8 + 1, 90, c) && near_at(&img, 100 + 11 * 8 + 2, 90, BG),
	   "Stra\xc3\x9f"
	   "enbahn: eleven cells of 8 pixels");
	image_free(&img);
	/* the same without the font: the built-in one, with '?' for what it has not */
	setenv("ANNOTTY_UNIFONT", "/nonexistent/unifont.hex", 1);
	ok(!render_caption_font(path, sizeof path) && strcmp(path, "/nonexistent/unifont.hex") == 0,
	   "without the font file the built-in font is said to stand in");
	caption_frame("\xe7\x94\xb5\xe8\xbd\xa6", &img);
	ok(near_at(&img, 101, 85, BG) && near_at(&img, 101, 92, c),
	   "without the font the caption falls back to the built-in font's 11-pixel tag");
	image_free(&img);
	unsetenv("ANNOTTY_UNIFONT");
}

int main(void)
{
	char cmd[128];

	/* character widths follow the locale, as the side panel's do (the program sets it) */
	setlocale(LC_ALL, "C.UTF-8");
	if (mkdtemp(dir) == NULL)
		skip_all("no temporary folder");
	test_rle_decode();
	test_mask_frame(0);
	test_mask_frame(1);
	test_mask_broken();
	test_orientations();
	test_orientation_with_xmp();
	test_captions();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		tap_diag("could not remove the temporary folder");
	return done_testing();
}
