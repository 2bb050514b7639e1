/*
 * textbox.h - the overlays of text: the keys (help) and a command's
 * output (OVERLAY_TEXT), each drawn in a box over the screen.
 */
#ifndef EPOLLVIZ_TEXTBOX_H
#define EPOLLVIZ_TEXTBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "grid.h"
#include "view.h"

/* The keys and what each runs, from the keymap, then the panes and the
 * layout rule; *top and *last_top as for text_draw. */
void help_draw(const struct view *v, struct grid *g, size_t *top, size_t *last_top);
/* Opens it at its top. */
void help_open(struct view *v);
/* Up, down, PgUp (`page` lines), PgDn, Home, End scroll; any other key
 * closes it (true). */
bool help_key(struct view *v, int key, size_t page);

/* Opens the text overlay on v->text (filled by the caller) at its top. */
void text_open(struct view *v, const char *title);
/* v->text wrapped to the box; *top is the first line shown (v->text_top
 * kept in range) and *last_top the largest it can be at this size. */
void text_draw(const struct view *v, struct grid *g, size_t *top, size_t *last_top);
/* Up, down, PgUp (`page` lines), PgDn, Home, End scroll; any other key
 * closes it (true). */
bool text_key(struct view *v, int key, size_t page);

#endif
