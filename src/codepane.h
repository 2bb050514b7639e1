/*
 * codepane.h - the code pane: the server's loop as a class reads it, in
 * about 35 lines of C generated from the knobs, so it changes when a knob
 * changes (EPOLLET in the epoll_ctl lines under ET, `while (got < 16)`
 * or `for (;;)` for the budget, accept once or in a loop, the one-shot
 * re-arm with autorearm on, the bug of eof ignore).  Each line is true of
 * src/server.c: tests/unit/test_panes.c runs a server under every knob
 * combination and checks what the lines say against its calls and the
 * kernel's interest list.
 *
 * The line that made the server's last call (the trace log's) is marked,
 * so each `t` moves the mark through the loop: epoll_wait, accept4, read.
 */
#ifndef EPOLLVIZ_CODEPANE_H
#define EPOLLVIZ_CODEPANE_H

#include "call.h"
#include "knob.h"
#include "render.h"

#define CODE_LINES_MAX 48

struct code_lines {
    const char *line[CODE_LINES_MAX]; /* static text, or buf's */
    int call[CODE_LINES_MAX];         /* the call the line makes (enum call_kind), or -1 */
    char buf[8][96];                  /* the lines made from numbers */
    size_t n;
};

/* The loop for these knobs. */
void codepane_lines(const struct knobs *k, struct code_lines *out);
/* The line that makes a call of this kind, or -1. */
int codepane_line_of(const struct code_lines *c, enum call_kind kind);
/* Rows the pane wants: its rule and the lines. */
int codepane_rows(const struct screen *s);
/* Draws the pane over the whole of g. */
void codepane_draw(const struct screen *s, struct grid *g);

#endif
