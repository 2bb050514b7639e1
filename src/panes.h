/*
 * panes.h - which of the three explaining panes are shown (the trace, the
 * code, the kernel view), and where the layout rule puts them.
 *
 * The rule, in order of who gets room: the connections (every panel, or
 * one line each when the panels do not fit, or two thirds of their room
 * when even that scrolls), then the narration (render.c: never a sentence
 * cut, it pages), then the panes in the room left: from PANES_WIDE
 * columns a right-hand column beside the connections holds the code pane
 * (whole when the rows allow) and under it the trace if its rule and
 * three lines fit there; below the connections go the trace (when not
 * beside) and then the kernel view, each only with its minimum rows.
 * Side by side (--compare) both servers keep the room: no panes.
 */
#ifndef EPOLLVIZ_PANES_H
#define EPOLLVIZ_PANES_H

#include <stddef.h>

#include "util.h"

enum {
    PANE_TRACE = 1u << 0,
    PANE_CODE = 1u << 1,
    PANE_KERNEL = 1u << 2,
};
#define PANES_ALL (PANE_TRACE | PANE_CODE | PANE_KERNEL)
#define PANES_WIDE 140 /* from this width the right-hand column exists */

/* "all", "none", or names joined by commas ("trace,kernel"): 0 and *out,
 * or -1 with what is wrong in err. */
int panes_parse(const char *text, unsigned *out, struct sbuf *err);
/* The choice as panes_parse reads it ("all", "none", "trace,code"). */
void panes_format(unsigned panes, struct sbuf *out);
/* What the pane key shows next: all, trace, code, kernel, none, all ... */
unsigned panes_next(unsigned panes);
/* "all|none|trace,code,kernel", for usage lines. */
#define PANES_USAGE "all|none|trace,code,kernel"

struct rect {
    int x, y, w, h; /* h == 0: not shown */
};

struct pane_room {
    int w;             /* the screen's width */
    int y, h;          /* the rows from the connections' rule to the narration */
    int conn_full;     /* rows the connections want with every panel */
    int conn_dense;    /* with one line each (but the selected one's panel) */
    int code_rows;     /* rows the code pane wants */
    int kernel_rows;   /* rows the kernel view wants */
};

struct pane_layout {
    struct rect conns, trace, code, kernel;
};

/* Places the chosen panes by the rule above. */
void panes_place(unsigned chosen, const struct pane_room *r, struct pane_layout *out);

#endif
