/* The action table's contract: every row is whole, the dispatcher checks every declared flag
 * (a read-only source, offline, outside a task, no asset), the ':' completion offers what
 * cannot run greyed with the reason, and a handler gets its key and count as arguments. */
#include "tap.h"
#include "ui/app.h"

#include <string.h>

static struct app app; /* large: not on the stack */

static int ran;
static int run_probe(struct app *a, const struct action_call *c)
{
	ran++;
	return UI_REDRAW;
}

static void test_rows(void)
{
	int n, whole = 1, keys = 1, completers = 1;
	const struct action *t = actions_table(&n);

	for (int i = 0; i < n; i++) {
		whole &=
		    t[i].name != NULL && t[i].help != NULL && t[i].run != NULL && t[i].screens != 0;
		keys &= (t[i].keys == NULL) == (t[i].key[0] == 0);
		completers &= t[i].complete == NULL || t[i].arg != NULL;
	}
	ok(n >= 60, "the table has its actions (%d)", n);
	ok(whole, "every row has a name, a help line, a handler and a screen");
	ok(keys, "a row shows keys exactly when it binds some");
	ok(completers, "only an action that takes an argument completes one");
	ok(actions_find("sort")->complete != NULL && actions_find("untag")->complete != NULL,
	   "sort and untag complete their argument");
}

static void start(void)
{
	memset(&app, 0, sizeof app);
	screens_init(&app);
	app.source = (struct source_state){.online = 1};
	app.list.nrows = 1; /* one asset row, with a tag */
	strcpy(app.list.rows[0].tags, "night");
}

static void test_flags(void)
{
	struct action probe = {.name = "probe", .screens = SCREEN_LIST, .run = run_probe};

	start();
	ok(actions_unavailable(&app, actions_find("accept")) == NULL, "a local source accepts");
	app.source.read_only = 1;
	is_str(actions_unavailable(&app, actions_find("accept")), "the source is read-only",
	       "a read-only source refuses an edit");
	ok(actions_unavailable(&app, actions_find("sort")) == NULL, "but not a sort");
	app.source.read_only = 0;
	probe.needs = NEEDS_ONLINE;
	ok(actions_unavailable(&app, &probe) == NULL, "online: an online action runs");
	app.source.online = 0;
	is_str(actions_unavailable(&app, &probe), "offline", "offline: it is refused");
	probe.needs = NEEDS_TASK;
	ok(actions_unavailable(&app, &probe) != NULL, "a task action outside a task is refused");
	app.source.in_task = 1;
	ok(actions_unavailable(&app, &probe) == NULL, "and runs in one");
	app.list.nrows = 0;
	is_str(actions_unavailable(&app, actions_find("tag")), "no asset selected",
	       "an asset action without an asset is refused");
	screens_free(&app);
}

static void test_completion(void)
{
	struct action_cand c[64];
	int n, found = 0;

	start();
	app.source.read_only = 1;
	n = actions_complete(&app, "re", c, 64);
	for (int i = 0; i < n; i++) {
		if (strcmp(c[i].text, "reset") == 0)
			found |=
			    (c[i].why != NULL && strcmp(c[i].why, "the source is read-only") == 0);
		if (strcmp(c[i].text, "reverse") == 0)
			found |= (c[i].why == NULL) << 1;
	}
	is_int(found, 3, "a ':' candidate that cannot run carries its reason, one that can none");
	n = actions_complete(&app, "sort s", c, 64);
	ok(n == 3 && strcmp(c[0].text, "status") == 0 && strcmp(c[2].text, "size") == 0,
	   "the row's completer offers the sort keys");
	n = actions_complete(&app, "untag n", c, 64);
	ok(n == 1 && strcmp(c[0].text, "night") == 0, "untag completes the list row's tags");
	screens_free(&app);
}

static void test_key_and_count(void)
{
	const struct action *count = actions_find("count");

	start();
	actions_dispatch_key(&app, count, '5');
	is_int(app.count, 5, "the digit key reaches the count handler as its argument");
	actions_dispatch_key(&app, count, '2');
	is_int(app.count, 52, "with the count typed before it");
	actions_dispatch(&app, count, "7");
	is_int(app.count, 527, "the ':' form takes the digit as its argument");
	screens_free(&app);
}

int main(void)
{
	test_rows();
	test_flags();
	test_completion();
	test_key_and_count();
	return done_testing();
}
