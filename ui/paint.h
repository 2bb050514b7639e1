/*
 * paint.h - puts a rendered grid on the terminal with ncurses.
 *
 * The one table of what each role looks like, in colour and in monochrome,
 * lives in paint.c.  Call paint_init after initscr.
 */
#ifndef EPOLLVIZ_PAINT_H
#define EPOLLVIZ_PAINT_H

#include <stdbool.h>

#include "grid.h"

/* Colour unless mono is asked for or the terminal has none. */
void paint_init(bool mono);
/* Draws g on stdscr (same size) into curses' buffers; doupdate() shows it. */
void paint_grid(const struct grid *g);

#endif
