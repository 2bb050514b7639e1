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

/* The prompt's state as the front end reports it (readline owns the
 * editing): opened empty; the prompt and the text with the cursor at
 * byte `point` (a line too long for the view keeps the part around the
 * cursor); the completions to list (copied; n = 0 clears them). */
void promptbox_open(struct prompt_view *pv);
void promptbox_show(struct prompt_view *pv, const char *prompt, const char *text, size_t point);
void promptbox_matches(struct prompt_view *pv, char *const *words, size_t n);

#endif
