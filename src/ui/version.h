/* The version of the curses library the screen is drawn with, for diagnostics. */
#ifndef ANNOTTY_UI_VERSION_H
#define ANNOTTY_UI_VERSION_H

/* A static string owned by curses, e.g. "ncurses 6.4.20221231". */
const char *ui_curses_version(void);

#endif
