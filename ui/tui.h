/*
 * tui.h - the terminal front end: ncurses, the host loop, the keys.
 */
#ifndef EPOLLVIZ_TUI_H
#define EPOLLVIZ_TUI_H

#include <stdbool.h>

#include "options.h"

/* Runs until the presenter quits or a signal ends it; returns the exit
 * status.  Restores the terminal on every way out, fatal() included. */
int tui_main(const struct options *o);

/* False if the terminal cannot move its cursor (TERM=dumb, unknown):
 * the screen cannot be drawn there. */
bool tui_terminal_usable(void);

/* --bench-frames: builds and draws frames against a terminal that writes
 * to /dev/null, prints the timings, returns the exit status. */
int tui_bench(const struct options *o);
/* --handout all DIR: the lessons of the menu's first directory that has
 * any (handout_all), since the menu's directories are the front end's. */
int tui_handout_all(const struct options *o);

#endif
