/*
 * trace.h - the line-per-event transcript every module reports through.
 *
 * Modules never print.  They hand finished lines to a sink; the headless
 * front end writes them to stdout, the TUI shows a few kinds on its
 * message line (and says which it skips), tests collect them.  Lines
 * carry no pointers, fds or ports of scenario sockets, so the same
 * scenario gives the same transcript twice.
 */
#ifndef EPOLLVIZ_TRACE_H
#define EPOLLVIZ_TRACE_H

#include <stdbool.h>

#include "util.h"

struct call;

enum trace_kind {
    TRACE_TICK,    /* one epoll_wait and what it returned */
    TRACE_IO,      /* accept/read calls and their results */
    TRACE_DATA,    /* bytes a client sent (already escaped) */
    TRACE_STARVE,  /* a socket became starved or recovered */
    TRACE_CONN,    /* connections opened, closed, refused */
    TRACE_KNOB,    /* mode, budget, accept policy, clock changes */
    TRACE_CLIENT,  /* scenario client actions */
    TRACE_SCRIPT,  /* scenario commands, narration and steps */
    TRACE_EXPECT,  /* expect results */
    TRACE_ERROR,   /* an expected failure, reported and survived */
};

#define TRACE_BIT(kind) (1u << (kind))

struct trace {
    void (*line)(void *ctx, enum trace_kind kind, const char *text);
    /* Optional: a call's record (call.h), for a sink that words it its
     * own way (the trace pane; call_transcript gives the transcript's
     * line); when NULL, a record reaches `line` as its transcript line. */
    void (*call)(void *ctx, enum trace_kind kind, const struct call *c);
    void *ctx;
    /* Kinds the sink never shows (TRACE_BIT(kind) | ...): lines of those
     * kinds are not even formatted.  0 takes every line. */
    unsigned skip;
};

/* Whether a line of this kind would be delivered: a NULL trace or sink,
 * or a skipped kind, drops it.  Callers that build a line piece by piece
 * ask first, so a line nobody reads costs nothing. */
bool trace_wants(const struct trace *t, enum trace_kind kind);

/* Formats and delivers one line, if it is wanted. */
void trace_emit(const struct trace *t, enum trace_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Delivers a line already made, if it is wanted. */
void trace_text(const struct trace *t, enum trace_kind kind, const char *text);
/* Delivers a call's record, if it is wanted: to `call`, or as its
 * transcript line (made in scratch) to `line`. */
void trace_call(const struct trace *t, enum trace_kind kind, const struct call *c,
                struct sbuf *scratch);

#endif
