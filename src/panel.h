/*
 * panel.h - one connection as the screen shows it, for the layout in
 * render.c.  Each draws into the grid from the connection's record
 * (sampled by the server) and calls no kernel.
 */
#ifndef EPOLLVIZ_PANEL_H
#define EPOLLVIZ_PANEL_H

#include <stdbool.h>
#include <stdint.h>

#include "render.h"

#define PANEL_INDENT 2 /* a panel's rows start here, past the selection mark */

/* The rows (panel_rows) of connection c at row y; sel marks it. */
void panel_draw(const struct screen *s, struct grid *g, int y, const struct conn *c, bool sel);
/* Its rows: PANEL_ROWS, and one more (the timeline's `out` row) where the
 * write side is in play: reply echo, a write made, EPOLLOUT registered or
 * reported. */
int panel_rows(const struct screen *s, const struct conn *c);
/* The rows the first n connections' panels take, or more than cap when
 * they cannot fit in cap (not counted one by one: n may be 10,000). */
int panels_rows(const struct screen *s, size_t n, int cap);
/* One line of it: name, buffer, counters, STARVED. */
void panel_draw_dense(const struct screen *s, struct grid *g, int y, const struct conn *c,
                      bool sel);
/* "STARVED 5 ticks" at x, y; returns the column after it. */
int panel_starved_badge(struct grid *g, int x, int y, uint64_t ticks);
/* The columns that badge takes. */
int panel_starved_badge_width(uint64_t ticks);

#endif
