/*
 * panel.h - one connection as the screen shows it, and the census of the
 * connections, for the layout in render.c.  Each draws into the grid from
 * the connection's record (sampled by the server) and calls no kernel.
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

/* Open connections by what epoll will do with them (see panel.c). */
struct census {
    size_t open, every_tick, next_tick, starved, idle, closed;
    /* Of those, on the write side: replies wait and no EPOLLOUT event can
     * come (counted in starved); LT reports a registered EPOLLOUT with
     * nothing to write (counted in every_tick). */
    size_t wstarved, busy;
};
void census_count(struct server *srv, struct census *c);
/* One connection's place in the census (lt: the server's mode is LT). */
enum census_class { CENSUS_EVERY_TICK, CENSUS_NEXT_TICK, CENSUS_STARVED, CENSUS_IDLE, CENSUS_CLOSED };
enum census_class census_class(bool lt, const struct conn *k);
/* EPOLLOUT is registered on a socket with room: LT reports it every tick. */
bool panel_writable_every_tick(const struct conn *k);

#endif
