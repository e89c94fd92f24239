/* Both versions of a conflicting change in words, line by line (see conflicts.h). */
#include "ui/conflicts.h"
#include "core/str.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *op;
	const char *words;
} kind_words[] = {
    {"annotation.status", "review"},   {"tag.attach", "tag added"},
    {"tag.detach", "tag removed"},     {"shape.create", "new shape"},
    {"shape.update", "shape changed"}, {"shape.delete", "shape deleted"},
    {"label.create", "new label"},     {"label.delete", "label deleted"},
    {"task.decide", "task decision"},
};

const char *conflict_kind_words(const char *op)
{
	for (size_t i = 0; i < sizeof kind_words / sizeof kind_words[0]; i++)
		if (strcmp(kind_words[i].op, op) == 0)
			return kind_words[i].words;
	return op;
}

static struct conflict_line *line_add(struct conflict_words *w, const char *what)
{
	struct conflict_line *l;

	if (w->nlines >= CONFLICT_WORDS_MAX)
		return NULL;
	l = &w->line[w->nlines++];
	memset(l, 0, sizeof *l);
	str_copy(l->what, what, sizeof l->what);
	return l;
}

static void line_put(struct conflict_words *w, const char *what, const char *mine,
                     const char *theirs)
{
	struct conflict_line *l = line_add(w, what);

	if (l == NULL)
		return;
	str_copy(l->mine, mine, sizeof l->mine);
	str_copy(l->theirs, theirs, sizeof l->theirs);
}

/* "12,20 30x40" for a box (the bounding box of any other kind), "at 12,20" for a point. */
static void shape_where(const struct shape *s, char *out, size_t outsz)
{
	if (s->kind == SHAPE_POINT && s->npoints > 0)
		snprintf(out, outsz, "at %.0f,%.0f", s->points[0].x, s->points[0].y);
	else if (s->kind == SHAPE_CLASSIFICATION)
		snprintf(out, outsz, "whole image");
	else
		snprintf(out, outsz, "%.0f,%.0f %.0f\xc3\x97%.0f", s->box.x, s->box.y, s->box.w,
		         s->box.h);
}

static void shape_kind_text(const struct shape *s, char *out, size_t outsz)
{
	if (s->kind == SHAPE_POLYGON || s->kind == SHAPE_LINE)
		snprintf(out, outsz, "%s, %d points", shape_kind_name(s->kind), s->npoints);
	else
		snprintf(out, outsz, "%s", shape_kind_name(s->kind));
}

/* A side of a shape conflict: its shape (NULL when that side has none) and its label. */
static void shape_lines(struct conflict_words *w, const struct shape *mine, const char *mine_label,
                        const struct shape *theirs, const char *theirs_label, const char *mine_none,
                        const char *theirs_none)
{
	char m[128], t[128];

	line_put(w, "label", mine ? (mine_label ? mine_label : "(none)") : mine_none,
	         theirs ? (theirs_label ? theirs_label : "(none)") : theirs_none);
	if (mine)
		shape_kind_text(mine, m, sizeof m);
	if (theirs)
		shape_kind_text(theirs, t, sizeof t);
	line_put(w, "shape", mine ? m : "", theirs ? t : "");
	if (mine)
		shape_where(mine, m, sizeof m);
	if (theirs)
		shape_where(theirs, t, sizeof t);
	line_put(w, mine && mine->kind == SHAPE_POINT ? "point" : "box", mine ? m : "",
	         theirs ? t : "");
}

static void words_shape(enum change_kind kind, const struct change *mine,
                        const struct change *theirs, struct conflict_words *w)
{
	const struct shape *ms = NULL, *ts = NULL;
	const char *ml = NULL;

	if (kind != CHANGE_SHAPE_DELETE && mine->has_value) {
		ms = &mine->value;
		ml = mine->label_name;
	}
	if (theirs != NULL && theirs->has_value)
		ts = &theirs->value;
	shape_lines(w, ms, ml, ts, theirs ? theirs->label_name : NULL, "(deleted)",
	            theirs == NULL ? "(gone on the source)" : "(none)");
}

static void words_tag(enum change_kind kind, const struct change *mine, const struct change *theirs,
                      struct conflict_words *w)
{
	char m[128], t[128];
	const char *tag = mine->tag ? mine->tag : "";

	snprintf(m, sizeof m, "%s%s", kind == CHANGE_TAG_ADD ? "+" : "-", tag);
	if (theirs == NULL)
		str_copy(t, "(gone on the source)", sizeof t);
	else
		snprintf(t, sizeof t, "%s %s", kind == CHANGE_TAG_ADD ? "without" : "with", tag);
	line_put(w, "tag", m, t);
}

void conflict_words_make(enum change_kind kind, const struct change *mine,
                         const struct change *theirs, struct conflict_words *out)
{
	memset(out, 0, sizeof *out);
	str_copy(out->title, conflict_kind_words(change_kind_name(kind)), sizeof out->title);
	switch (kind) {
	case CHANGE_STATUS:
		line_put(out, "status", review_status_name(mine->status),
		         theirs ? review_status_name(theirs->status) : "(gone on the source)");
		line_put(out, "made on", review_status_name(mine->base_status), "");
		break;
	case CHANGE_TAG_ADD:
	case CHANGE_TAG_REMOVE:
		words_tag(kind, mine, theirs, out);
		break;
	case CHANGE_SHAPE_CREATE:
	case CHANGE_SHAPE_UPDATE:
	case CHANGE_SHAPE_DELETE:
		words_shape(kind, mine, theirs, out);
		break;
	case CHANGE_LABEL_CREATE:
	case CHANGE_LABEL_DELETE:
		line_put(out, "label", mine->label_name ? mine->label_name : "",
		         theirs ? (theirs->label_name ? theirs->label_name : "(none)")
		                : "(gone on the source)");
		break;
	case CHANGE_TASK_DECISION:
		line_put(out, "decision", task_decision_name(mine->decision),
		         theirs ? task_decision_name(theirs->decision) : "(gone on the source)");
		break;
	default:
		break;
	}
}
