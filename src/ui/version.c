/* The curses library version (see version.h). */
#include "ui/version.h"

#include <curses.h>

const char *ui_curses_version(void)
{
	return curses_version();
}
