/*
 * trace.c - formatting of transcript lines.
 */
#include "trace.h"

#include "util.h"

void trace_emit(const struct trace *t, enum trace_kind kind, const char *fmt, ...)
{
    struct sbuf b = {0};
    va_list ap;

    if (!t || !t->line)
        return;
    va_start(ap, fmt);
    sbuf_vprintf(&b, fmt, ap);
    va_end(ap);
    t->line(t->ctx, kind, sbuf_str(&b));
    sbuf_free(&b);
}
