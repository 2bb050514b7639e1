/*
 * tracepane.c - the ring of recent transcript lines and the pane that
 * shows them (see tracepane.h).
 */
#include "tracepane.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MARGIN_MIN 4 /* "t12 " */

void tracelog_clear(struct tracelog *t)
{
    t->n = 0;
    t->tick = 0;
    t->step_from = 0;
}

void tracelog_step(struct tracelog *t)
{
    t->step_from = t->n;
}

/* The colour role of a line, from what the call returned. */
static enum role line_role(const char *text)
{
    if (strstr(text, "= -1 EAGAIN"))
        return ROLE_TRACE_EAGAIN;
    if (strstr(text, ") = 0 (end of stream)"))
        return ROLE_TRACE_EOF;
    size_t n = strlen(text);
    if (strncmp(text, "epoll_wait(", 11) == 0 && n > 4 && strcmp(text + n - 4, " = 0") == 0)
        return ROLE_TRACE_EMPTY;
    return ROLE_TEXT;
}

void tracelog_add(struct tracelog *t, enum trace_kind kind, const char *text)
{
    if (!(TRACELOG_KINDS & TRACE_BIT(kind)))
        return;
    bool first = false;
    /* "tick 4: epoll_wait(0) = 1: a IN": the tick goes to the margin. */
    if (kind == TRACE_TICK && strncmp(text, "tick ", 5) == 0) {
        char *end;
        unsigned long long tick = strtoull(text + 5, &end, 10);
        if (end[0] == ':' && end[1] == ' ') {
            t->tick = tick;
            text = end + 2;
            first = true;
        }
    }
    text += strspn(text, " "); /* the transcript's indent: the margin does it here */
    struct tracelog_line *l = &t->line[t->n % TRACELOG_LINES];
    l->tick = t->tick;
    l->seq = t->n++;
    l->first = first;
    size_t len = strlen(text);
    if (len < sizeof l->text) {
        memcpy(l->text, text, len + 1);
    } else { /* cut on a character's start, and say so */
        len = sizeof l->text - 4;
        while (len > 0 && (text[len] & 0xc0) == 0x80)
            len--;
        memcpy(l->text, text, len);
        memcpy(l->text + len, "...", 4);
    }
    l->role = (unsigned char)line_role(l->text);
}

void tracepane_draw(const struct screen *s, struct grid *g)
{
    const struct tracelog *t = s->view->tracelog;
    const struct glyphs *gl = s->view->gl;
    title_rule(g, 0, gl, "trace: the server's calls, newest last", "t = tick");
    if (!t || g->h < 2)
        return;
    uint64_t kept = t->n < TRACELOG_LINES ? t->n : TRACELOG_LINES;
    uint64_t rows = (uint64_t)g->h - 1, shown = kept < rows ? kept : rows;
    if (!shown) {
        grid_put(g, 1, 1, ROLE_DIM, "no epoll_wait yet: t ticks once");
        return;
    }
    char num[32];
    int margin = snprintf(num, sizeof num, "t%llu ", (unsigned long long)t->tick);
    if (margin < MARGIN_MIN)
        margin = MARGIN_MIN;
    for (uint64_t i = 0; i < shown; i++) {
        const struct tracelog_line *l = &t->line[(t->n - shown + i) % TRACELOG_LINES];
        int y = 1 + (int)i;
        bool old = l->seq < t->step_from;
        if (l->first)
            grid_putf(g, 0, y, old ? ROLE_DIM : ROLE_TITLE, "t%llu", (unsigned long long)l->tick);
        enum role r = old && l->role == ROLE_TEXT ? ROLE_DIM : (enum role)l->role;
        grid_put_clip(g, margin, y, g->w - margin, r, l->text, gl->ellipsis);
    }
}
