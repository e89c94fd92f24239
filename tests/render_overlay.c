/* Tests of the overlay rasteriser: exact box edges, translucent even-odd fills with holes,
 * selection, points, captions, badges, and shapes far outside the image (ASan watches). */
#include "core/model.h"
#include "core/palette.h"
#include "core/shape_edit.h"
#include "render/font.h"
#include "render_fixtures.h"
#include "tap.h"

#include <math.h>

#define RED   0xff3b30
#define GREEN 0x00ff00
#define BLUE  0x0a84ff

static struct overlay_style style_1(int line_width)
{
	return (struct overlay_style){.scale_x = 1, .scale_y = 1, .line_width = line_width};
}

static void black(struct image *img, int w, int h)
{
	image_alloc(img, w, h, NULL); /* zeroed */
}

static struct shape box_shape(double x, double y, double w, double h)
{
	return (struct shape){.kind = SHAPE_BOX, .label = 0, .box = {x, y, w, h}};
}

/* Length of the run of pixels of colour rgb along row y starting at x. */
static int run_x(const struct image *img, int x, int y, uint32_t rgb)
{
	int n = 0;

	while (x + n < img->w && fx_rgb_at(img, x + n, y) == rgb)
		n++;
	return n;
}

static int count_color(const struct image *img, int x0, int y0, int x1, int y1, uint32_t rgb)
{
	int n = 0;

	for (int y = y0 < 0 ? 0 : y0; y < y1 && y < img->h; y++)
		for (int x = x0 < 0 ? 0 : x0; x < x1 && x < img->w; x++)
			n += fx_rgb_at(img, x, y) == rgb;
	return n;
}

static void test_box(void)
{
	struct image img;
	struct shape s = box_shape(50, 40, 60, 30);
	struct overlay_item it = {&s, RED, 0, NULL};
	struct overlay_style st = style_1(1);

	black(&img, 200, 150);
	render_overlay(&img, &it, 1, &st);
	ok(fx_rgb_at(&img, 50, 55) == RED && fx_rgb_at(&img, 109, 55) == RED &&
	       fx_rgb_at(&img, 80, 40) == RED && fx_rgb_at(&img, 80, 69) == RED &&
	       fx_rgb_at(&img, 50, 40) == RED && fx_rgb_at(&img, 109, 69) == RED,
	   "box colour exactly on its edge pixels");
	ok(fx_rgb_at(&img, 51, 55) == 0 && fx_rgb_at(&img, 108, 55) == 0 &&
	       fx_rgb_at(&img, 80, 41) == 0 && fx_rgb_at(&img, 80, 68) == 0 &&
	       fx_rgb_at(&img, 80, 55) == 0,
	   "nothing inside");
	ok(fx_rgb_at(&img, 49, 55) == 0 && fx_rgb_at(&img, 110, 55) == 0 &&
	       fx_rgb_at(&img, 80, 39) == 0 && fx_rgb_at(&img, 80, 70) == 0,
	   "nothing outside");
	is_int(count_color(&img, 0, 0, 200, 150, RED), 2 * 60 + 2 * 28, "only the frame is drawn");
	image_free(&img);

	/* pan and zoom: source (200, 100) is shown at (50, 50) with scale 0.5 */
	black(&img, 200, 150);
	s = box_shape(200, 100, 100, 60);
	st = (struct overlay_style){
	    .scale_x = 0.5, .scale_y = 0.5, .offset_x = 100, .offset_y = 0, .line_width = 1};
	render_overlay(&img, &it, 1, &st);
	ok(fx_rgb_at(&img, 50, 60) == RED && fx_rgb_at(&img, 99, 60) == RED &&
	       fx_rgb_at(&img, 75, 50) == RED && fx_rgb_at(&img, 75, 79) == RED,
	   "scale and offset map source to image pixels");
	image_free(&img);

	/* line width from the image size: 900x600 -> 2 */
	black(&img, 900, 600);
	s = box_shape(100, 100, 300, 200);
	st = style_1(0);
	render_overlay(&img, &it, 1, &st);
	is_int(fx_rgb_at(&img, 99, 200), 0, "nothing left of the line");
	is_int(run_x(&img, 100, 200, RED), 2, "automatic width is min(w,h)/300 = 2");
	image_free(&img);
}

static void test_selected(void)
{
	struct image a, b;
	struct shape s = box_shape(50, 40, 60, 50);
	struct overlay_item it = {&s, RED, 0, NULL};
	struct overlay_style st = style_1(2);
	int wa, wb;

	black(&a, 200, 150);
	fx_fill(&a, 0, 0, 200, 150, 0x808080);
	black(&b, 200, 150);
	fx_fill(&b, 0, 0, 200, 150, 0x808080);
	render_overlay(&a, &it, 1, &st);
	it.selected = 1;
	render_overlay(&b, &it, 1, &st);
	wa = run_x(&a, 50, 65, RED);
	wb = run_x(&b, 49, 65, RED);
	is_int(wa, 2, "unselected width");
	is_int(wb, 4, "selected box is thicker: width + 2");
	ok(fx_rgb_at(&b, 48, 65) == 0x101010 && fx_rgb_at(&b, 53, 65) == 0x101010,
	   "with a dark halo on both sides");
	ok(fx_rgb_at(&b, 50, 40) == 0xf4f4f4 && fx_rgb_at(&b, 109, 89) == 0xf4f4f4,
	   "and handles on the corners");
	ok(fx_rgb_at(&a, 50, 40) == RED, "no handle when unselected");
	/* a half-block picture: the outline keeps its width on a dark rim, handles are small */
	fx_fill(&b, 0, 0, 200, 150, 0x808080);
	st.compact = 1;
	render_overlay(&b, &it, 1, &st);
	is_int(run_x(&b, 50, 65, RED), 2, "compact: the selected outline keeps its width");
	ok(fx_rgb_at(&b, 49, 65) == 0x101010 && fx_rgb_at(&b, 52, 65) == 0x101010,
	   "compact: on a one-pixel dark rim");
	is_int(count_color(&b, 40, 30, 60, 50, 0xf4f4f4), 1, "compact: a handle is one pixel");
	image_free(&a);
	image_free(&b);
}

static void test_polygon(void)
{
	struct image img;
	struct shape s = {.kind = SHAPE_POLYGON};
	struct overlay_item it = {&s, GREEN, 0, NULL};
	struct overlay_style st = style_1(1);

	/* a square with a square hole: two parts */
	shape_add_point(&s, 20, 20);
	shape_add_point(&s, 80, 20);
	shape_add_point(&s, 80, 80);
	shape_add_point(&s, 20, 80);
	shape_end_part(&s);
	shape_add_point(&s, 40, 40);
	shape_add_point(&s, 60, 40);
	shape_add_point(&s, 60, 60);
	shape_add_point(&s, 40, 60);
	shape_end_part(&s);
	shape_update_bounds(&s);
	st.fill_alpha = 128;
	black(&img, 100, 100);
	render_overlay(&img, &it, 1, &st);
	ok(fx_rgb_at(&img, 30, 30) == 0x008000, "fill is translucent: a blend (got %06x)",
	   fx_rgb_at(&img, 30, 30));
	ok(fx_rgb_at(&img, 50, 50) == 0, "the hole stays unfilled");
	ok(fx_rgb_at(&img, 10, 10) == 0 && fx_rgb_at(&img, 90, 50) == 0, "outside unfilled");
	ok(fx_rgb_at(&img, 20, 50) == GREEN && fx_rgb_at(&img, 50, 20) == GREEN &&
	       fx_rgb_at(&img, 40, 50) == GREEN,
	   "outlines of every part in the label colour");
	image_free(&img);

	st.fill_alpha = 0;
	black(&img, 100, 100);
	render_overlay(&img, &it, 1, &st);
	ok(fx_rgb_at(&img, 30, 30) == 0, "no fill when fill_alpha is 0");
	image_free(&img);

	it.selected = 1;
	black(&img, 100, 100);
	render_overlay(&img, &it, 1, &st);
	ok(fx_rgb_at(&img, 60, 60) == 0xf4f4f4, "selected polygon has vertex handles");
	image_free(&img);
	shape_clear(&s);
}

static void test_line_point_mask(void)
{
	struct image img;
	struct shape line = {.kind = SHAPE_LINE}, pt = {.kind = SHAPE_POINT},
	             mask = {.kind = SHAPE_MASK, .box = {10, 100, 120, 40}};
	struct overlay_item items[3] = {
	    {&line, RED, 0, NULL}, {&pt, BLUE, 0, NULL}, {&mask, GREEN, 0, NULL}};
	struct overlay_style st = style_1(1);
	int on = 0, off = 0;

	shape_add_point(&line, 10, 10);
	shape_add_point(&line, 100, 10);
	shape_add_point(&line, 100, 60);
	shape_update_bounds(&line);
	shape_add_point(&pt, 150, 40);
	shape_update_bounds(&pt);
	st.fill_alpha = 64;
	black(&img, 200, 160);
	render_overlay(&img, items, 3, &st);
	ok(fx_rgb_at(&img, 50, 10) == RED && fx_rgb_at(&img, 100, 30) == RED,
	   "polyline segments drawn");
	ok(fx_rgb_at(&img, 50, 30) == 0 && fx_rgb_at(&img, 10, 60) == 0,
	   "a line is not closed or filled");
	ok(fx_rgb_at(&img, 150, 40) == BLUE, "point marker colour at its centre");
	ok(fx_rgb_at(&img, 150, 40 - 4) == 0x101010, "point marker has a dark outline");
	for (int x = 10; x < 130; x++)
		fx_rgb_at(&img, x, 100) == GREEN ? on++ : off++;
	ok(on > 40 && off > 20, "mask outline is dashed (%d on, %d off)", on, off);
	ok(fx_rgb_at(&img, 70, 120) == 0x004000, "mask box filled translucently (got %06x)",
	   fx_rgb_at(&img, 70, 120));
	image_free(&img);
	shape_clear(&line);
	shape_clear(&pt);
}

static void test_captions(void)
{
	struct image img;
	struct shape s = box_shape(50, 60, 80, 40);
	struct overlay_item it = {&s, RED, 0, "dog"};
	struct overlay_style st = style_1(1);
	int bg, ink;

	st.show_caption = 1;
	black(&img, 300, 200);
	render_overlay(&img, &it, 1, &st);
	bg = count_color(&img, 50, 45, 80, 60, RED);
	ink = count_color(&img, 50, 45, 80, 60, 0xffffff);
	ok(bg > 60 && ink > 15, "caption tag above the box: label colour and white text (%d, %d)",
	   bg, ink);
	is_int(count_color(&img, 0, 0, 300, 44, RED), 0, "nothing higher than the tag");
	image_free(&img);

	st.show_caption = 0;
	black(&img, 300, 200);
	render_overlay(&img, &it, 1, &st);
	is_int(count_color(&img, 50, 45, 80, 60, RED), 0, "no caption when show_caption is 0");
	image_free(&img);

	/* a box at the top edge: the tag goes inside, still in the image */
	st.show_caption = 1;
	s = box_shape(0, 0, 80, 40);
	black(&img, 300, 200);
	render_overlay(&img, &it, 1, &st);
	ok(count_color(&img, 0, 0, 40, 12, 0xffffff) > 15, "tag inside when no room above");
	image_free(&img);
}

/* Label names come from outside data: control bytes and non-ASCII draw as '?'. */
static void test_caption_text(void)
{
	struct image img, q;
	struct shape s = box_shape(50, 60, 80, 40);
	struct overlay_item it = {&s, RED, 0, NULL};
	struct overlay_style st = style_1(1);
	char ascii[32];

	font_to_ascii("\x1b[31m\xc3\xa9t\xe7\x8c\xab\xff", ascii, sizeof ascii);
	is_str(ascii, "?[31m?t??", "one '?' per character that is not printable ASCII");
	st.show_caption = 1;
	it.caption = "\x1b]52;c;x\x07\xc3\xa9";
	black(&img, 300, 200);
	render_overlay(&img, &it, 1, &st);
	it.caption = "?]52;c;x??";
	black(&q, 300, 200);
	render_overlay(&q, &it, 1, &st);
	ok(memcmp(img.rgb, q.rgb, 300 * 200 * 3) == 0, "controls and non-ASCII drawn as '?'");
	image_free(&q);
	image_free(&img);
}

static void test_badges(void)
{
	struct image img;
	struct shape c1 = {.kind = SHAPE_CLASSIFICATION}, c2 = {.kind = SHAPE_CLASSIFICATION};
	struct overlay_item badges[2] = {{&c1, 0xffcc00, 0, "day"}, {&c2, BLUE, 0, "outdoor"}};
	struct overlay_style st = style_1(1);

	black(&img, 300, 200);
	fx_fill(&img, 0, 0, 300, 200, 0x808080);
	render_overlay(&img, badges, 2, &st);
	ok(fx_rgb_at(&img, 3, 3) == 0xffcc00, "first classification badge at the top-left");
	ok(fx_rgb_at(&img, 3, 3 + 13) == BLUE, "second badge stacked below");
	ok(count_color(&img, 0, 0, 60, 12, 0x000000) > 20 &&
	       count_color(&img, 0, 13, 60, 24, 0xffffff) > 15,
	   "badge text black on light, white on dark");
	image_free(&img);
}

/* Shapes placed absurdly: far off, across, NaN, infinite. Returns how many. */
static int far_shapes(struct shape *shapes)
{
	double far[] = {-1e9, 1e9, NAN, INFINITY, -1e300, 1e300};
	int n = 0;

	shapes[n++] = box_shape(-1e9, -1e9, 2e9, 2e9);
	shapes[n++] = box_shape(1e9, 1e9, 10, 10);
	shapes[n++] = box_shape(NAN, 10, 10, 10);
	shapes[n++] = box_shape(-1e300, 5, 1e300, INFINITY);
	shapes[n].kind = SHAPE_POLYGON;
	for (size_t i = 0; i < sizeof far / sizeof far[0]; i++)
		shape_add_point(&shapes[n], far[i], far[(i + 1) % 6]);
	shapes[++n].kind = SHAPE_POLYGON;
	shape_add_point(&shapes[n], -1e9, -1e9);
	shape_add_point(&shapes[n], 1e9, -1e9);
	shape_add_point(&shapes[n], 0, 1e9);
	shapes[++n].kind = SHAPE_LINE; /* item 6: crosses the image at y = 50 */
	shape_add_point(&shapes[n], -1e9, 50);
	shape_add_point(&shapes[n], 1e9, 50);
	shapes[++n].kind = SHAPE_POINT;
	shape_add_point(&shapes[n], 1e9, -1e9);
	shapes[++n] = (struct shape){.kind = SHAPE_MASK, .box = {-1e9, 20, 3e9, 1e9}};
	shapes[++n].kind = SHAPE_LINE;
	shape_add_point(&shapes[n], NAN, 50);
	shape_add_point(&shapes[n], 10, 50);
	return n + 1;
}

/* A half-block picture is about a hundred pixels: a point stays a dot and a classification
 * a small square of its colour, not unreadable text covering a corner. */
static void test_small_picture(void)
{
	struct image img;
	struct point at = {50, 40};
	struct shape pt = {.kind = SHAPE_POINT, .points = &at, .npoints = 1},
	             cls = {.kind = SHAPE_CLASSIFICATION};
	struct overlay_item items[2] = {{&pt, RED, 0, NULL}, {&cls, BLUE, 0, "weather"}};
	struct overlay_style st = style_1(1);
	int red, blue;

	black(&img, 100, 80);
	render_overlay(&img, items, 2, &st);
	red = count_color(&img, 0, 0, 100, 80, RED);
	blue = count_color(&img, 0, 0, 100, 80, BLUE);
	ok(fx_rgb_at(&img, 50, 40) == RED && red <= 13,
	   "a point on a small picture is a dot (%d px)", red);
	ok(blue > 0 && blue <= 16 && count_color(&img, 0, 0, 5, 5, BLUE) == blue,
	   "a classification on it is a small square in the corner (%d px)", blue);
	image_free(&img);
}

static void test_far_away(void)
{
	struct image img, clean;
	struct shape shapes[10];
	struct overlay_item items[10];
	struct overlay_style st = style_1(3);
	int n;

	memset(shapes, 0, sizeof shapes);
	n = far_shapes(shapes);
	for (int i = 0; i < n; i++)
		items[i] = (struct overlay_item){&shapes[i], palette_rgb(i), i % 2, "far away"};
	st.fill_alpha = 100;
	st.show_caption = 1;
	black(&img, 120, 90);
	render_overlay(&img, items, n, &st);
	ok(1, "shapes at +-1e9, 1e300, NaN and infinity do not crash or write outside");
	ok(count_color(&img, 0, 48, 120, 53, palette_rgb(6)) > 100,
	   "a line from -1e9 to 1e9 crosses the image");
	black(&clean, 120, 90);
	st = (struct overlay_style){.scale_x = 1e300, .scale_y = -1e300, .offset_x = NAN};
	render_overlay(&clean, items, n, &st);
	ok(1, "absurd scale and offset do not crash");
	render_overlay(&clean, items, n, NULL);
	ok(1, "no style at all does not crash");
	render_overlay(&clean, NULL, 3, NULL);
	ok(1, "no items does not crash");
	image_free(&clean);
	image_free(&img);
	for (int i = 0; i < n; i++)
		shape_clear(&shapes[i]);
}

static void test_speed(void)
{
	struct image img;
	struct shape s[40];
	struct overlay_item it[40];
	struct overlay_style st = {
	    .scale_x = 0.25, .scale_y = 0.25, .fill_alpha = 80, .show_caption = 1};
	double t0;
	char line[96];

	for (int i = 0; i < 40; i++) {
		if (i % 2) {
			s[i] = box_shape(i * 90, i * 60, 400, 300);
		} else {
			s[i] = (struct shape){.kind = SHAPE_POLYGON};
			for (int k = 0; k < 200; k++)
				shape_add_point(&s[i], i * 90 + 200 + 180 * cos(k * 0.0314),
				                i * 60 + 150 + 140 * sin(k * 0.0314));
			shape_update_bounds(&s[i]);
		}
		it[i] = (struct overlay_item){&s[i], palette_rgb(i), i == 7, "label"};
	}
	black(&img, 1000, 750);
	t0 = fx_now_ms();
	render_overlay(&img, it, 40, &st);
	snprintf(line, sizeof line,
	         "overlay 20 boxes + 20 polygons (200 vertices) on 1000x750: %.2f ms",
	         fx_now_ms() - t0);
	tap_diag(line);
	image_free(&img);
	for (int i = 0; i < 40; i++)
		shape_clear(&s[i]);
}

/* ---- Editing marks ---------------------------------------------------------------------- */

#define MARK 0xff2d95
#define DARK 0x101010

static void test_marks_handle_vertex(void)
{
	struct image img;
	struct shape box = box_shape(50, 40, 60, 30), poly = {.kind = SHAPE_POLYGON};
	struct overlay_marks m = {
	    .shape = &box, .vertex = -1, .handle = HANDLE_BOTTOM_RIGHT, .rgb = MARK};
	struct overlay_style st = style_1(1);

	black(&img, 200, 150);
	render_overlay_marks(&img, &m, &st);
	/* the box's last pixel column and row are 109 and 69; the mark reaches lw + 3 = 4 out */
	ok(fx_rgb_at(&img, 109, 69) == MARK && fx_rgb_at(&img, 105, 65) == MARK &&
	       fx_rgb_at(&img, 113, 73) == MARK,
	   "the active bottom-right handle is filled with the mark colour");
	ok(fx_rgb_at(&img, 104, 69) == DARK && fx_rgb_at(&img, 114, 69) == DARK &&
	       fx_rgb_at(&img, 109, 74) == DARK,
	   "on a dark rim");
	is_int(count_color(&img, 0, 0, 200, 150, MARK), 9 * 9, "and nothing else is drawn");
	image_free(&img);

	black(&img, 200, 150);
	m.handle = HANDLE_TOP;
	render_overlay_marks(&img, &m, &st);
	ok(fx_rgb_at(&img, 79, 40) == MARK && fx_rgb_at(&img, 50, 40) == 0,
	   "the top handle sits in the middle of the top edge");
	image_free(&img);

	black(&img, 200, 150);
	m.handle = HANDLE_LEFT;
	render_overlay_marks(&img, &m, &st);
	ok(fx_rgb_at(&img, 50, 54) == MARK && fx_rgb_at(&img, 109, 54) == 0,
	   "the left handle sits in the middle of the left edge");
	image_free(&img);

	shape_add_point(&poly, 20, 20);
	shape_add_point(&poly, 80, 20);
	shape_add_point(&poly, 50, 70);
	shape_update_bounds(&poly);
	m = (struct overlay_marks){.shape = &poly, .vertex = 2, .handle = -1, .rgb = MARK};
	black(&img, 200, 150);
	render_overlay_marks(&img, &m, &st);
	ok(fx_rgb_at(&img, 50, 70) == MARK && fx_rgb_at(&img, 20, 20) == 0 &&
	       fx_rgb_at(&img, 80, 20) == 0,
	   "only the selected vertex is marked");
	image_free(&img);

	black(&img, 200, 150);
	m.vertex = 7;
	m.handle = HANDLE_TOP_LEFT; /* a polygon has no box handles */
	render_overlay_marks(&img, &m, &st);
	is_int(count_color(&img, 0, 0, 200, 150, MARK), 0,
	       "a vertex out of range and a handle on a polygon draw nothing");
	image_free(&img);
	shape_clear(&poly);
}

static void test_marks_crosshair(void)
{
	struct image img;
	struct overlay_marks m = {
	    .vertex = -1, .handle = -1, .crosshair = 1, .cursor = {30.5, 60.2}, .rgb = MARK};
	struct overlay_style st = style_1(1);

	black(&img, 200, 150);
	render_overlay_marks(&img, &m, &st);
	is_int(run_x(&img, 0, 60, MARK), 200, "the crosshair's row crosses the whole image");
	is_int(count_color(&img, 30, 0, 31, 150, MARK), 150, "and so does its column");
	is_int(count_color(&img, 0, 0, 200, 150, MARK), 200 + 150 - 1, "one pixel wide each way");
	ok(fx_rgb_at(&img, 100, 59) == DARK && fx_rgb_at(&img, 100, 61) == DARK &&
	       fx_rgb_at(&img, 29, 100) == DARK && fx_rgb_at(&img, 31, 100) == DARK,
	   "with a dark rim on both sides");
	is_int(fx_rgb_at(&img, 100, 58), 0, "no wider than the rim");
	image_free(&img);

	/* zoomed: source (200, 100) at scale 0.5 from (100, 0) lands on pixel (50, 50) */
	black(&img, 200, 150);
	st = (struct overlay_style){
	    .scale_x = 0.5, .scale_y = 0.5, .offset_x = 100, .offset_y = 0, .line_width = 1};
	m.cursor = (struct point){200, 100};
	render_overlay_marks(&img, &m, &st);
	ok(fx_rgb_at(&img, 50, 10) == MARK && fx_rgb_at(&img, 10, 50) == MARK &&
	       fx_rgb_at(&img, 51, 10) != MARK && fx_rgb_at(&img, 10, 51) != MARK,
	   "the cursor is mapped with the view's scale and offset");
	image_free(&img);

	black(&img, 200, 150);
	m.cursor = (struct point){NAN, 20};
	render_overlay_marks(&img, &m, &st);
	m.cursor = (struct point){1e300, -1e300};
	render_overlay_marks(&img, &m, &st);
	is_int(count_color(&img, 0, 0, 200, 150, MARK), 0,
	       "a cursor at NaN or far away draws nothing");
	image_free(&img);
}

static void test_marks_draft(void)
{
	struct image img;
	struct point v[3] = {{10, 10}, {60, 10}, {60, 50}};
	struct overlay_marks m = {.vertex = -1, .handle = -1, .draft = v, .ndraft = 3, .rgb = MARK};
	struct overlay_style st = style_1(1);

	black(&img, 200, 150);
	render_overlay_marks(&img, &m, &st);
	ok(fx_rgb_at(&img, 35, 10) == MARK && fx_rgb_at(&img, 60, 30) == MARK,
	   "placed vertices are joined in order");
	is_int(count_color(&img, 34, 29, 37, 32, MARK), 0, "an open draft is not closed");
	ok(fx_rgb_at(&img, 10, 10) == MARK && fx_rgb_at(&img, 8, 12) == MARK &&
	       fx_rgb_at(&img, 7, 10) == DARK,
	   "each vertex has a dot with a rim");
	image_free(&img);

	black(&img, 200, 150);
	m.draft_closed = 1;
	render_overlay_marks(&img, &m, &st);
	ok(count_color(&img, 34, 29, 37, 32, MARK) > 0, "a closed draft goes back to the first");
	image_free(&img);

	black(&img, 200, 150);
	m.ndraft = 1;
	render_overlay_marks(&img, &m, &st);
	is_int(count_color(&img, 0, 0, 200, 150, MARK), 5 * 5, "one vertex is a dot alone");
	image_free(&img);

	black(&img, 200, 150);
	v[1] = (struct point){1e12, -1e12};
	v[2] = (struct point){INFINITY, 3};
	m.ndraft = 3;
	render_overlay_marks(&img, &m, &st);
	is_int(count_color(&img, 0, 0, 200, 150, MARK), 0,
	       "a draft with a non-finite vertex is skipped");
	v[2] = (struct point){-1e12, 1e12};
	render_overlay_marks(&img, &m, &st);
	ok(count_color(&img, 0, 0, 200, 150, MARK) > 0, "far vertices are clipped, not dropped");
	render_overlay_marks(&img, NULL, &st);
	render_overlay_marks(NULL, &m, &st);
	ok(1, "no marks or no image does not crash");
	image_free(&img);
}

int main(void)
{
	test_box();
	test_selected();
	test_polygon();
	test_line_point_mask();
	test_captions();
	test_caption_text();
	test_badges();
	test_small_picture();
	test_far_away();
	test_marks_handle_vertex();
	test_marks_crosshair();
	test_marks_draft();
	test_speed();
	return done_testing();
}
