/*
 * trace.c - formatting of transcript lines, only for sinks that take them.
 */
#include "trace.h"

#include <stdio.h>

#include "call.h"
#include "util.h"

bool trace_wants(const struct trace *t, enum trace_kind kind)
{
    return t && t->line && !(t->skip & TRACE_BIT(kind));
}

void trace_text(const struct trace *t, enum trace_kind kind, const char *text)
{
    if (trace_wants(t, kind))
        t->line(t->ctx, kind, text);
}

void trace_emit(const struct trace *t, enum trace_kind kind, const char *fmt, ...)
{
    char small[256];
    va_list ap;

    if (!trace_wants(t, kind))
        return;
    /* Nearly every line is short: one vsnprintf into the stack, and a
     * heap string only for the long ones. */
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        fatal("bad format string '%s'", fmt);
    if ((size_t)n < sizeof small) {
        t->line(t->ctx, kind, small);
        return;
    }
    struct sbuf b = {0};
    va_start(ap, fmt);
    sbuf_vprintf(&b, fmt, ap);
    va_end(ap);
    t->line(t->ctx, kind, sbuf_str(&b));
    sbuf_free(&b);
}

void trace_call(const struct trace *t, enum trace_kind kind, const struct call *c,
                struct sbuf *scratch)
{
    if (!trace_wants(t, kind))
        return;
    if (t->call) {
        t->call(t->ctx, kind, c);
        return;
    }
    sbuf_reset(scratch);
    call_transcript(c, scratch);
    t->line(t->ctx, kind, sbuf_str(scratch));
}
