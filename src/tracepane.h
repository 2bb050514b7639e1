/*
 * tracepane.h - the trace pane: the taught server's own calls, strace
 * style, newest at the bottom, tick numbers in the margin; scrollable
 * back through the lesson, following one connection or showing all.
 *
 * One source: each line is made from the record the headless transcript's
 * line is made from (call.h), as it came, kept in a bounded ring, so the
 * pane and a headless run never disagree.  Client bytes are escaped in
 * those lines already, and grid_put shows any control byte as '?'.
 * The presenter owns the ring (it feeds it from its sink and clears it
 * for a new lesson); render draws it and calls nothing else.
 */
#ifndef EPOLLVIZ_TRACEPANE_H
#define EPOLLVIZ_TRACEPANE_H

#include <stdbool.h>
#include <stdint.h>

#include "call.h"
#include "keymap.h"
#include "render.h"
#include "trace.h"

#define TRACELOG_LINES 4096 /* lines kept: more than any lesson makes */
#define TRACELOG_TEXT 160   /* bytes kept of a line; the rest is cut with an ellipsis */
#define TRACE_NEWEST UINT64_MAX /* the pane's bottom line: the newest, as lines come */

#define TRACELOG_REC_DATA 48 /* bytes of a read or send kept raw, to be worded when drawn */

/* A read or a send kept as its record: a busy tick makes thousands, and
 * the pane shows a screenful, so it is worded only when drawn. */
struct tracelog_rec {
    long long ret;
    size_t want, shown;
    int fd, err;
    unsigned char kind, twin;
    char label[64];
    unsigned char data[TRACELOG_REC_DATA];
};

struct tracelog_line {
    uint64_t tick;       /* the tick the line belongs to */
    uint64_t seq;        /* its number since the log began */
    unsigned conn;       /* the connection it is about (its id); 0: the loop's own */
    unsigned char role;  /* enum role of its text */
    unsigned char first; /* the tick's first line (its epoll_wait): the margin shows the tick */
    unsigned char is_rec; /* rec, not text: read it with tracelog_text */
    union {
        char text[TRACELOG_TEXT];
        struct tracelog_rec rec;
    };
};

/* The last call the server made, as the code pane marks its line. */
struct tracelog_last {
    bool any;
    enum call_kind kind;
    long long ret;
    int err;
};

struct tracelog {
    struct tracelog_line line[TRACELOG_LINES];
    uint64_t n;          /* lines added so far; the ring holds the last TRACELOG_LINES */
    uint64_t tick;       /* the tick of the newest epoll_wait line */
    uint64_t step_from;  /* the first line of the current step */
    struct tracelog_last last;
    struct sbuf scratch; /* a line being made: one buffer, not one per line */
};

/* The kinds the log takes: what a sink should subscribe to for it. */
#define TRACELOG_KINDS (TRACE_BIT(TRACE_TICK) | TRACE_BIT(TRACE_IO) | TRACE_BIT(TRACE_DATA))

/* A log starts zeroed; clear empties it, free releases what it holds. */
void tracelog_clear(struct tracelog *t);
void tracelog_free(struct tracelog *t);
/* A call's record, of a kind in TRACELOG_KINDS (others are ignored). */
void tracelog_call(struct tracelog *t, enum trace_kind kind, const struct call *c);
/* Only which call c was, for the code pane's mark: no line is kept. */
void tracelog_last(struct tracelog *t, const struct call *c);
/* A line that came as text only, of a kind in TRACELOG_KINDS. */
void tracelog_add(struct tracelog *t, enum trace_kind kind, const char *text);
/* A step begins: lines from now on stand out. */
void tracelog_step(struct tracelog *t);

/* Line l's text: its own, or its record worded into buf (the same words
 * either way). */
const char *tracelog_text(const struct tracelog_line *l, struct sbuf *buf);

/* Whether the pane shows line l when following connection `follow`
 * (0: all): its own lines and every epoll_wait. */
bool tracelog_shows(const struct tracelog_line *l, unsigned follow);
/* The bottom line `by` shown lines away from `bottom` (a seq, or
 * TRACE_NEWEST), older for by < 0; TRACE_NEWEST when that is the newest;
 * never so old that a pane of `rows` lines would show fewer than it can. */
uint64_t tracelog_scroll(const struct tracelog *t, unsigned follow, uint64_t bottom, long by,
                         int rows);

/* The connection the pane follows (its id), 0 for all: the selected one
 * when f asked for it, or when the connections went one line each
 * (s->conns_dense: many of them) and f did not ask for all. */
unsigned tracepane_follow(const struct screen *s);

/* The pane's keys (Tab, f, and while it has the focus the moving keys),
 * on the view v that s shows (s->conns_dense as the last frame had it);
 * `rows` the lines the pane showed last.  Returns false for a key it
 * leaves to others.  What the pane now shows is said in msg. */
bool tracepane_key(const struct screen *s, struct view *v, enum key_action act, int rows,
                   char *msg, size_t msg_size);

/* Draws the pane over the whole of g from the view's log (its rule only
 * when the view has none). */
void tracepane_draw(const struct screen *s, struct grid *g);

#endif
