/* The bottom-line editor for ':' commands, '/' filters, tag names, a shape's text and the label
 * picker's filter, with Tab completion. */
#include "ui/actions.h"
#include "ui/app.h"
#include "core/str.h"

#include <curses.h>
#include <string.h>

void prompt_open(struct app *app, int kind, const char *label, const char *initial)
{
	struct prompt *p = &app->prompt;

	memset(p, 0, sizeof *p);
	p->active = 1;
	p->kind = kind;
	p->complete_index = -1;
	str_copy(p->label, label, sizeof p->label);
	str_copy(p->text, initial, sizeof p->text);
	str_copy(p->original, initial, sizeof p->original);
	p->cursor = (int)strlen(p->text);
	curs_set(1);
}

void prompt_close(struct app *app)
{
	app->prompt.active = 0;
	curs_set(0);
}

/* Each kind of prompt completes as the ':' form of its action would. */
static int prompt_candidates(struct app *app, const char *stem, struct action_cand *out, int max)
{
	static const char *const command_of[] = {[PROMPT_TAG_ADD] = "tag",
	                                         [PROMPT_TAG_REMOVE] = "untag",
	                                         [PROMPT_FILTER] = "filter",
	                                         [PROMPT_REASON] = "task-reject"};
	char line[300];
	int kind = app->prompt.kind;

	if (kind == PROMPT_COMMAND)
		return actions_complete(app, stem, out, max);
	if (kind == PROMPT_ARG && app->prompt.action != NULL) {
		snprintf(line, sizeof line, "%s %s", app->prompt.action, stem);
		return actions_complete(app, line, out, max);
	}
	if (kind < 0 || kind >= (int)(sizeof command_of / sizeof command_of[0]) ||
	    command_of[kind] == NULL)
		return 0;
	snprintf(line, sizeof line, "%s %s", command_of[kind], stem);
	return actions_complete(app, line, out, max);
}

/* Tab: the first press lists and inserts the first candidate; further presses cycle. */
static void prompt_complete(struct app *app)
{
	struct prompt *p = &app->prompt;
	char *base;
	size_t keep;

	if (p->complete_index < 0) {
		str_copy(p->complete_stem, p->text, sizeof p->complete_stem);
		p->ncompletions = prompt_candidates(app, p->text, p->completions, 64);
		p->complete_index = 0;
	}
	if (p->ncompletions == 0) {
		beep();
		return;
	}
	/* replace the last word of the stem with the candidate */
	base = strrchr(p->complete_stem, ' ');
	keep = base && p->kind == PROMPT_COMMAND ? (size_t)(base - p->complete_stem) + 1 : 0;
	snprintf(p->text, sizeof p->text, "%.*s%s", (int)keep, p->complete_stem,
	         p->completions[p->complete_index].text);
	p->cursor = (int)strlen(p->text);
	p->complete_index = (p->complete_index + 1) % p->ncompletions;
}

static int prompt_submit(struct app *app)
{
	char text[256];
	int kind = app->prompt.kind;

	str_copy(text, app->prompt.text, sizeof text);
	prompt_close(app);
	app->message[0] = '\0';
	switch (kind) {
	case PROMPT_TAG_ADD:
		return text[0] ? actions_dispatch(app, actions_find("tag"), text) : UI_REDRAW;
	case PROMPT_TAG_REMOVE:
		return text[0] ? actions_dispatch(app, actions_find("untag"), text) : UI_REDRAW;
	case PROMPT_FILTER:
		app->search[0] = '\0'; /* n and N search the text given last */
		list_set_filter(app, text);
		return UI_REDRAW;
	case PROMPT_REASON: /* an empty reason is a rejection without one */
		return actions_dispatch(app, actions_find("task-reject"), text);
	case PROMPT_ARG:
		return text[0] && app->prompt.action != NULL
		           ? actions_dispatch(app, actions_find(app->prompt.action), text)
		           : UI_REDRAW;
	case PROMPT_TEXT: /* an empty text clears it */
		return actions_unavailable(app, actions_find("text")) == NULL
		           ? edit_set_text(app, text)
		           : UI_REDRAW;
	default:
		return actions_run_command(app, text);
	}
}

static void prompt_delete_back(struct prompt *p)
{
	int start = p->cursor;

	if (start == 0)
		return;
	start--;
	while (start > 0 && ((unsigned char)p->text[start] & 0xC0) == 0x80)
		start--; /* whole UTF-8 characters */
	memmove(p->text + start, p->text + p->cursor, strlen(p->text + p->cursor) + 1);
	p->cursor = start;
}

static void prompt_insert(struct prompt *p, int key)
{
	size_t len = strlen(p->text);

	if (len + 2 >= sizeof p->text)
		return;
	memmove(p->text + p->cursor + 1, p->text + p->cursor, len - (size_t)p->cursor + 1);
	p->text[p->cursor++] = (char)key;
}

int prompt_edit(struct prompt *p, int key)
{
	char before[sizeof p->text];

	str_copy(before, p->text, sizeof before);
	switch (key) {
	case KEY_BACKSPACE:
	case 127:
	case 8:
		prompt_delete_back(p);
		break;
	case 21: /* Ctrl-U */
		p->text[0] = '\0';
		p->cursor = 0;
		break;
	case KEY_LEFT:
		while (p->cursor > 0 && ((unsigned char)p->text[--p->cursor] & 0xC0) == 0x80)
			;
		break;
	case KEY_RIGHT:
		while (p->text[p->cursor] && ((unsigned char)p->text[++p->cursor] & 0xC0) == 0x80)
			;
		break;
	default:
		if (key >= 0x20 && key < 0x100 && key != 0x7f)
			prompt_insert(p, key);
		break;
	}
	return strcmp(before, p->text) != 0;
}

int prompt_key(struct app *app, int key)
{
	struct prompt *p = &app->prompt;

	if (p->kind == PROMPT_LABEL)
		return picker_key(app, key);
	/* Up offers the last reasons again, as Tab does */
	if (key == KEY_UP && p->kind == PROMPT_REASON)
		key = '\t';
	if (key != '\t')
		p->complete_index = -1;
	switch (key) {
	case 27:
		prompt_close(app);
		if (p->kind == PROMPT_FILTER)
			list_set_filter(app, p->original);
		return UI_REDRAW;
	case '\n':
	case '\r':
	case KEY_ENTER:
		return prompt_submit(app);
	case '\t':
		prompt_complete(app);
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (p->text[0] == '\0' && p->kind != PROMPT_TEXT) {
			prompt_close(app);
			return UI_REDRAW;
		}
		prompt_edit(p, key);
		break;
	default:
		prompt_edit(p, key);
		break;
	}
	if (p->kind == PROMPT_FILTER && key != '\t') /* filter as you type */
		list_set_filter(app, p->text);
	return UI_REDRAW;
}

void prompt_draw(struct app *app)
{
	struct prompt *p = &app->prompt;
	char before[256], clean[1024];
	int y = app->rows - 1, lw = str_width(p->label);

	move(y, 0);
	clrtoeol();
	ui_put(y, 0, app->cols - 1, p->label, 0);
	ui_put(y, lw, app->cols - lw - 1, p->text, 0);
	str_copy(before, p->text, sizeof before);
	before[p->cursor] = '\0';
	str_sanitize(before, clean, sizeof clean);
	move(y, lw + str_width(clean) < app->cols - 1 ? lw + str_width(clean) : app->cols - 1);
}
