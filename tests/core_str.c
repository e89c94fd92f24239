/* Unit tests of core/str: terminal safety, widths, fitting. */
#include "core/str.h"
#include "core/model.h"
#include "core/palette.h"
#include "tap.h"

#include <locale.h>

static void test_sanitize(void)
{
	char out[256];

	is_str(str_sanitize("plain", out, sizeof out), "plain", "plain text is kept");
	is_str(str_sanitize("a\x1b]52;c;aGk=\x07z", out, sizeof out), "a^[]52;c;aGk=^Gz",
	       "OSC 52 escape is shown as text");
	is_str(str_sanitize("tab\there", out, sizeof out), "tab here", "tab becomes a space");
	is_str(str_sanitize("c1\xc2\x9b"
	                    "31m",
	                    out, sizeof out),
	       "c1\\u009B31m", "C1 CSI is escaped");
	is_str(str_sanitize("bad\xff\xfe", out, sizeof out), "bad\xEF\xBF\xBD\xEF\xBF\xBD",
	       "invalid bytes become U+FFFD");
	is_str(str_sanitize("\xe2\x80\xae"
	                    "evil",
	                    out, sizeof out),
	       "evil", "right-to-left override is dropped");
	is_str(str_sanitize("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", out, sizeof out),
	       "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", "Hebrew text is kept");
	is_str(str_sanitize("0123456789", out, 5), "0123", "output is bounded");
}

static void test_width(void)
{
	char out[64];

	is_int(str_width("abc"), 3, "ASCII width");
	is_int(str_width("\xe7\x8c\xab\xe5\x92\xaa"), 4, "two CJK characters take four columns");
	is_str(str_fit("abcdef", 4, 1, out, sizeof out), "abc\xe2\x80\xa6", "cut with an ellipsis");
	is_str(str_fit("ab", 4, 1, out, sizeof out), "ab  ", "padded");
	is_int(str_width(str_fit("\xe7\x8c\xab\xe5\x92\xaa\xe7\x8c\xab", 4, 1, out, sizeof out)), 4,
	       "wide text fits exactly");
	ok(str_icontains("Dog_001.JPG", "dog_0"), "case-insensitive contains");
	ok(!str_icontains("cat", "dog"), "contains is false when absent");
}

static void test_model(void)
{
	enum review_status st;
	enum shape_kind k;
	struct dataset_doc *doc = dataset_doc_new();
	struct asset *a = dataset_doc_add_asset(doc);
	struct shape *s = asset_add_shape(a);

	ok(review_status_parse("REFUSED", &st) == 0 && st == REVIEW_REJECTED,
	   "Picsellia REFUSED is rejected");
	ok(shape_kind_parse("polygon", &k) == 0 && k == SHAPE_POLYGON, "kind names parse");
	s->kind = SHAPE_POLYGON;
	shape_add_point(s, 10, 20);
	shape_add_point(s, 30, 5);
	shape_add_point(s, 15, 40);
	shape_end_part(s);
	shape_update_bounds(s);
	ok(s->box.x == 10 && s->box.y == 5 && s->box.w == 20 && s->box.h == 35, "polygon bounds");
	asset_add_tag(a, "night");
	asset_add_tag(a, "night");
	is_int(a->ntags, 1, "a tag is added once");
	dataset_doc_free(&doc);
	ok(doc == NULL, "free clears the pointer");
	is_int(palette_xterm256(0xff0000), 196, "pure red maps to xterm 196");
	ok(palette_rgb(0) != palette_rgb(1), "neighbouring labels differ in colour");
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	test_sanitize();
	test_width();
	test_model();
	return done_testing();
}
