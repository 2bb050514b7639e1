/*
 * promptbox.h - the prompt's lines and its completions box, drawn over the
 * message and status lines while the prompt is open.
 */
#ifndef EPOLLVIZ_PROMPTBOX_H
#define EPOLLVIZ_PROMPTBOX_H

#include "grid.h"
#include "view.h"

/* Draws v->prompt at the bottom of g; the typing cursor goes where
 * *cursor_x, *cursor_y say (the text scrolls left to keep it in sight). */
void prompt_draw(const struct view *v, struct grid *g, int *cursor_x, int *cursor_y);

#endif
