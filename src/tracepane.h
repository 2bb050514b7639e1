/*
 * tracepane.h - the trace pane: the taught server's own calls of the last
 * ticks, newest at the bottom, tick numbers in the margin.
 *
 * One source: the lines are the headless transcript's own (TRACE_TICK,
 * TRACE_IO and TRACE_DATA: a read that returned bytes, from the trace sink), kept as they came in a bounded ring, so
 * the pane and a headless run never disagree.  Client bytes are escaped
 * in those lines already, and grid_put shows any control byte as '?'.
 * The presenter owns the ring (it feeds it from its sink and clears it
 * for a new lesson); render draws it and calls nothing else.
 */
#ifndef EPOLLVIZ_TRACEPANE_H
#define EPOLLVIZ_TRACEPANE_H

#include <stdint.h>

#include "render.h"
#include "trace.h"

#define TRACELOG_LINES 512 /* lines kept: more than any pane shows */
#define TRACELOG_TEXT 200  /* bytes kept of a line; the rest is cut with an ellipsis */

struct tracelog_line {
    uint64_t tick;       /* the tick the line belongs to */
    uint64_t seq;        /* its number since the log began */
    unsigned char role;  /* enum role of its text */
    unsigned char first; /* the tick's first line (its epoll_wait): the margin shows the tick */
    char text[TRACELOG_TEXT];
};

struct tracelog {
    struct tracelog_line line[TRACELOG_LINES];
    uint64_t n;          /* lines added so far; the ring holds the last TRACELOG_LINES */
    uint64_t tick;       /* the tick of the newest epoll_wait line */
    uint64_t step_from;  /* the first line of the current step */
};

/* The kinds the log takes: what a sink should subscribe to for it. */
#define TRACELOG_KINDS (TRACE_BIT(TRACE_TICK) | TRACE_BIT(TRACE_IO) | TRACE_BIT(TRACE_DATA))

void tracelog_clear(struct tracelog *t);
/* One transcript line of a kind in TRACELOG_KINDS (others are ignored). */
void tracelog_add(struct tracelog *t, enum trace_kind kind, const char *text);
/* A step begins: lines from now on stand out. */
void tracelog_step(struct tracelog *t);

/* Draws the pane over the whole of g from the view's log (nothing when
 * the view has none). */
void tracepane_draw(const struct screen *s, struct grid *g);

#endif
