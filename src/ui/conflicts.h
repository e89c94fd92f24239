/* The conflicts screen's pure part: both versions of a conflicting change, in words, side by
 * side (the screen in conflicts.c draws them, the tests check them). */
#ifndef ANNOTTY_UI_CONFLICTS_H
#define ANNOTTY_UI_CONFLICTS_H

#include <stddef.h>

#include "core/change.h"

#define CONFLICT_WORDS_MAX 6

/* One line of the comparison: what it is about, the user's value and the source's. */
struct conflict_line {
	char what[16];
	char mine[128];
	char theirs[128];
};

struct conflict_words {
	char title[64]; /* what kind of change: "review", "tag added", "shape changed" */
	struct conflict_line line[CONFLICT_WORDS_MAX];
	int nlines;
};

/* The words for a change of that kind: mine is the user's change, theirs the source's value
 * (NULL when the object is gone there). Data text (tags, label names) is copied as it is:
 * the caller sanitises it when it draws. */
void conflict_words_make(enum change_kind kind, const struct change *mine,
                         const struct change *theirs, struct conflict_words *out);

/* "review", "tag added", "new shape", ... for an outbox op name ("annotation.status"); the
 * op itself when it names no change kind. */
const char *conflict_kind_words(const char *op);

#endif
