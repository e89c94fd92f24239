/* The campaign screen's progress bar, and the task keys of the action table: they come first
 * in task mode, stand aside for the asset screen's own outside it, and are refused there. */
#include "tap.h"
#include "ui/app.h"
#include "ui/task.h"

#include <curses.h>
#include <string.h>

static struct app app; /* large: not on the stack */

static void test_bar(void)
{
	char bar[128];

	campaign_bar(bar, sizeof bar, 8, 1, 2, 1);
	is_str(bar, "####....", "half done, in ASCII");
	campaign_bar(bar, sizeof bar, 4, 0, 0, 1);
	is_str(bar, "....", "an empty step is an empty bar");
	campaign_bar(bar, sizeof bar, 2, 3, 4, 0);
	is_str(bar, "\xe2\x96\x88\xe2\x96\x8c",
	       "three quarters of two cells: a full and a half block");
	campaign_bar(bar, sizeof bar, 2, 9, 4, 0);
	is_str(bar, "\xe2\x96\x88\xe2\x96\x88", "more than the total fills the bar, no further");
}

static void test_keys(void)
{
	memset(&app, 0, sizeof app);
	screens_init(&app);
	app.source = (struct source_state){.online = 1};
	app.screen = SCREEN_ASSET;
	is_str(actions_for_key(&app, 'A')->name, "accept", "outside a task A accepts the review");
	is_str(actions_for_key(&app, 'n')->name, "next", "and n is the next asset");
	is_str(actions_for_key(&app, 's')->name, "task-submit", "s finds the submit");
	ok(actions_unavailable(&app, actions_find("task-submit")) != NULL,
	   "which is refused outside a task");
	app.source.in_task = 1;
	is_str(actions_for_key(&app, 'A')->name, "task-accept", "in a task A decides the task");
	is_str(actions_for_key(&app, 'R')->name, "task-reject", "R rejects it");
	is_str(actions_for_key(&app, 'K')->name, "task-skip", "K skips it");
	is_str(actions_for_key(&app, 'n')->name, "task-next", "n goes to the next task");
	is_str(actions_for_key(&app, 'P')->name, "task-prev", "P to the previous");
	is_str(actions_for_key(&app, 'e')->name, "edit", "the editing keys stay");
	ok(actions_unavailable(&app, actions_find("task-submit")) == NULL, "and it may run");
	app.screen = SCREEN_CAMPAIGN;
	is_str(actions_for_key(&app, 'q')->name, "quit", "q goes back from the campaign screen");
	is_str(actions_for_key(&app, '\n')->name, "campaign-open", "Enter opens a step there");
	screens_free(&app);
}

int main(void)
{
	test_bar();
	test_keys();
	return done_testing();
}
