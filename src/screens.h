/*
 * screens.h - a lesson as the class sees it, step by step, as text.
 *
 * `epollviz --screens 100x30,80x24 LESSON` opens the lesson in the
 * presenter the terminal UI drives and steps it with the space key; after
 * each step it prints the screen at every size asked, each under a line
 *
 *     === step 2 of 4 at 100x30 ===
 *
 * or, when the step's narration takes pages at that size, one screen a
 * page under "=== step 3 of 4 at 80x24, page 1 of 2 ===".
 *
 * A handout of the lesson, and what the golden screens in tests/golden/
 * are made of.
 */
#ifndef EPOLLVIZ_SCREENS_H
#define EPOLLVIZ_SCREENS_H

#include "grid.h"
#include "options.h"
#include "presenter.h"

/* Needs o->scenario and at least one size.  Returns the exit status: 0 if
 * every expect held, 1 if one failed (or the server did not start), 2 if
 * the scenario is malformed. */
int screens_main(const struct options *o);

/* The walk itself, for other ways of printing a lesson (handout.h): opens
 * o->scenario in a presenter and, once each step has run (its long work
 * done, its bytes sampled), calls visit with the presenter and a grid to
 * render into.  The same exit status as screens_main. */
typedef void (*screens_visit)(void *ctx, struct presenter *p, struct grid *g);
int screens_walk(const struct options *o, screens_visit visit, void *ctx);

/* The current step's screen at w x h, once per page its narration takes
 * there: fn gets the page (from 0), the page count and the screen as text.
 * The presenter is left at that size, on the first page. */
typedef void (*screens_page)(void *ctx, unsigned page, unsigned pages, const char *text);
void screens_pages(struct presenter *p, int w, int h, struct grid *g, screens_page fn, void *ctx);

#endif
