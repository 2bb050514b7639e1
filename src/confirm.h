/*
 * confirm.h - the y/n box (OVERLAY_CONFIRM) asked before something the
 * class would lose: quitting mid-lesson, a fresh server that resets
 * students' connections.
 */
#ifndef EPOLLVIZ_CONFIRM_H
#define EPOLLVIZ_CONFIRM_H

#include <stdbool.h>

#include "grid.h"
#include "view.h"

/* Opens the box: `title` ("quit?"), `what` would be lost, what y does. */
void confirm_open(struct view *v, const char *title, const char *what, const char *yes);
void confirm_draw(const struct view *v, struct grid *g);
/* Any key closes the box; true if it said yes (y, or q when
 * `q_means_yes`: q twice quits). */
bool confirm_key(struct view *v, int key, bool q_means_yes);

#endif
