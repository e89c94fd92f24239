/* Fuzz target: what a terminal (or something pretending to be one) answers annotty: the replies
 * to the start-up questions, the keys typed among them, tmux's display-message line, and the
 * late replies the event loop passes over after an Esc. The input is those bytes. */
#include "fuzz.h"

#include "core/err.h"
#include "ui/term.h"

#include <stdlib.h>
#include <string.h>

const char fuzz_target_name[] = "term";
const int fuzz_smoke_runs = 5000;

#define LATE_MAX 512 /* the event loop's buffer for one late reply */

/* The late-reply filter's walk: at ESC [ or ESC _ it reads on one byte at a time until the
 * terminal module says the sequence ended, or its buffer is full. */
static int late_filter(const char *p, size_t len, struct err *err)
{
	for (size_t i = 0; i < len;) {
		size_t n = 2, end = 0;

		if (p[i] != '\033' || i + 1 >= len || (p[i + 1] != '[' && p[i + 1] != '_')) {
			i++;
			continue;
		}
		while (n <= len - i && n < LATE_MAX && (end = term_sequence_length(p + i, n)) == 0)
			n++;
		if (end > n)
			return err_set(err, "a sequence of %zu bytes ends after the %zu read", end,
			               n);
		i += n;
	}
	return 0;
}

static int check_caps(const struct term_caps *caps, struct err *err)
{
	if (caps->ntypeahead < 0 || caps->ntypeahead > (int)sizeof caps->typeahead)
		return err_set(err, "%d keys of typeahead", caps->ntypeahead);
	if (memchr(caps->da1, 0, sizeof caps->da1) == NULL)
		return err_set(err, "the attribute list is not terminated");
	if (caps->cell_w < 0 || caps->cell_h < 0 || caps->color_registers < 0)
		return err_set(err, "negative sizes from the replies");
	return 0;
}

static int check_tmux(const char *line, struct err *err)
{
	struct term_tmux t;

	memset(&t, 0, sizeof t);
	if (term_tmux_parse(line, &t) == 0)
		term_tmux_judge(&t, NULL, "xterm");
	if (memchr(t.version, 0, sizeof t.version) == NULL ||
	    memchr(t.features, 0, sizeof t.features) == NULL ||
	    memchr(t.outer, 0, sizeof t.outer) == NULL)
		return err_set(err, "a tmux field is not terminated");
	return 0;
}

int fuzz_parse(const uint8_t *data, size_t len, struct err *err)
{
	struct term_caps caps;
	char *text;
	int rc;

	if (len == 0)
		return err_set(err, "empty input");
	if ((text = malloc(len + 1)) == NULL)
		return err_set(err, "out of memory");
	memcpy(text, data, len);
	text[len] = '\0';
	memset(&caps, 0, sizeof caps);
	term_parse_replies(text, &caps);
	term_keep_typeahead(text, len, &caps);
	rc = check_caps(&caps, err);
	if (rc == 0)
		rc = check_tmux(text, err);
	if (rc == 0)
		rc = late_filter(text, len, err);
	free(text);
	return rc;
}

int fuzz_seeds(struct fuzz_seed *seeds, int max)
{
	return max > 0 ? 0 : -1; /* every seed is a file under corpus/term/ */
}
