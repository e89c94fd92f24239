/* The stack of screens: the first screen of the registry is the bottom one, push enters a
 * screen on top, a screen already on the stack is gone back to rather than pushed twice, and
 * popping the bottom one quits. */
#include "tap.h"
#include "ui/app.h"

#include <string.h>

static struct app app; /* large: not on the stack */

static void test_stack(void)
{
	memset(&app, 0, sizeof app);
	is_int(screens_init(&app), 0, "the screens start");
	ok(screen_top(&app) == SCREEN_INDEX_LIST && app.screen == SCREEN_LIST,
	   "on the list, the first screen registered");
	ok(screen_below(&app) == SCREEN_COUNT, "with nothing below it");
	for (int i = 0; i < SCREEN_COUNT; i++)
		ok(screen_state(&app, i) != NULL && screen_ops(i)->draw != NULL,
		   "screen %s has its state and draws", screen_ops(i)->name);
	ok(screen_push(&app, SCREEN_INDEX_HELP, NULL) & UI_REDRAW, "the help is pushed");
	ok(screen_top(&app) == SCREEN_INDEX_HELP && app.screen == SCREEN_HELP, "it is on top");
	ok(screen_below(&app) == SCREEN_INDEX_LIST, "over the list");
	screen_push(&app, SCREEN_INDEX_LIST, NULL);
	ok(app.screens.depth == 1 && screen_top(&app) == SCREEN_INDEX_LIST,
	   "pushing a screen already on the stack goes back to it");
	screen_push(&app, SCREEN_INDEX_HELP, NULL);
	is_int(screen_pop(&app), UI_REDRAW, "q on the help goes back");
	ok(app.screen == SCREEN_LIST, "to the list");
	is_int(screen_pop(&app), UI_QUIT, "q on the bottom screen quits");
	is_int(app.screens.depth, 1, "and leaves it on the stack");
	screens_free(&app);
	ok(app.screens.depth == 0 && app.screens.state[0] == NULL, "the screens are freed");
}

static void test_bits(void)
{
	unsigned all = 0;

	for (int i = 0; i < SCREEN_COUNT; i++)
		all |= 1u << i;
	ok((SCREEN_EDIT & all) == 0 && (SCREEN_CREATE & all) == 0 && SCREEN_EDIT != SCREEN_CREATE,
	   "the edit-mode bits are apart from every screen's");
}

int main(void)
{
	test_stack();
	test_bits();
	return done_testing();
}
