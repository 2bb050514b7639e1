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

#include "options.h"

/* Needs o->scenario and at least one size.  Returns the exit status: 0 if
 * every expect held, 1 if one failed (or the server did not start), 2 if
 * the scenario is malformed. */
int screens_main(const struct options *o);

#endif
