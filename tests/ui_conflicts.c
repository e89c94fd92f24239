/* The conflicts screen's words: both versions of each kind of change side by side, and the
 * source's side of an object it no longer has. */
#include "tap.h"
#include "ui/conflicts.h"

#include <string.h>

static const struct conflict_line *line_of(const struct conflict_words *w, const char *what)
{
	for (int i = 0; i < w->nlines; i++)
		if (strcmp(w->line[i].what, what) == 0)
			return &w->line[i];
	return NULL;
}

static void test_status(void)
{
	struct change mine = {.kind = CHANGE_STATUS, .status = REVIEW_ACCEPTED};
	struct change theirs = {.kind = CHANGE_STATUS, .status = REVIEW_REJECTED};
	struct conflict_words w;
	const struct conflict_line *l;

	conflict_words_make(CHANGE_STATUS, &mine, &theirs, &w);
	is_str(w.title, "review", "a status change is a review");
	l = line_of(&w, "status");
	ok(l && strcmp(l->mine, "accepted") == 0 && strcmp(l->theirs, "rejected") == 0,
	   "mine accepted, theirs rejected");
	conflict_words_make(CHANGE_STATUS, &mine, NULL, &w);
	l = line_of(&w, "status");
	ok(l && strcmp(l->theirs, "(gone on the source)") == 0,
	   "an asset gone on the source says so");
}

static void test_shape(void)
{
	struct change mine = {.kind = CHANGE_SHAPE_UPDATE, .has_value = 1, .label_name = "car"};
	struct change theirs = {.kind = CHANGE_SHAPE_UPDATE, .has_value = 1, .label_name = "truck"};
	struct conflict_words w;
	const struct conflict_line *l;

	mine.value = (struct shape){.kind = SHAPE_BOX, .box = {10, 20, 30, 40}};
	theirs.value = (struct shape){.kind = SHAPE_BOX, .box = {50, 60, 30, 40}};
	conflict_words_make(CHANGE_SHAPE_UPDATE, &mine, &theirs, &w);
	is_str(w.title, "shape changed", "a shape update is a changed shape");
	l = line_of(&w, "label");
	ok(l && strcmp(l->mine, "car") == 0 && strcmp(l->theirs, "truck") == 0, "both label names");
	l = line_of(&w, "box");
	ok(l &&
	       strcmp(l->mine, "10,20 30\xc3\x97"
	                       "40") == 0 &&
	       strcmp(l->theirs, "50,60 30\xc3\x97"
	                         "40") == 0,
	   "both boxes in coordinates");
	mine.kind = CHANGE_SHAPE_DELETE;
	conflict_words_make(CHANGE_SHAPE_DELETE, &mine, &theirs, &w);
	l = line_of(&w, "label");
	ok(l && strcmp(l->mine, "(deleted)") == 0 && strcmp(l->theirs, "truck") == 0,
	   "a deleted shape against the source's changed one");
}

static void test_tag(void)
{
	struct change mine = {.kind = CHANGE_TAG_ADD, .tag = "night"};
	struct change theirs = {.kind = CHANGE_TAG_ADD};
	struct conflict_words w;
	const struct conflict_line *l;

	conflict_words_make(CHANGE_TAG_ADD, &mine, &theirs, &w);
	l = line_of(&w, "tag");
	ok(l && strcmp(l->mine, "+night") == 0 && strcmp(l->theirs, "without night") == 0,
	   "a tag added here, absent there");
	is_str(conflict_kind_words("tag.detach"), "tag removed", "kinds read as words");
	is_str(conflict_kind_words("x.unknown"), "x.unknown", "an unknown op is shown as it is");
}

int main(void)
{
	test_status();
	test_shape();
	test_tag();
	return done_testing();
}
