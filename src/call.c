/*
 * call.c - the two wordings of a call record (see call.h).
 */
#include "call.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "conn.h"

static const char *who_of(const struct call *c)
{
    return c->who ? c->who : "";
}

/* The bytes a read got (a send was given), escaped, and how many more
 * there were. */
static void add_data(const struct call *c, struct sbuf *out, bool strace)
{
    size_t n = c->kind == CALL_SEND ? c->want : c->ret > 0 ? (size_t)c->ret : 0;
    size_t shown = c->shown && c->shown < n ? c->shown : n;
    sbuf_addc(out, '"');
    sbuf_add_escaped(out, c->data, shown);
    sbuf_addc(out, '"');
    if (shown < n)
        sbuf_printf(out, strace ? "...+%zu" : " +%zu B", n - shown);
}

/* "-1 EAGAIN", "-1 ECONNRESET": the name strace prints. */
static void add_error(int err, struct sbuf *out)
{
    const char *name = strerrorname_np(err);
    if (name)
        sbuf_printf(out, "-1 %s", name);
    else
        sbuf_printf(out, "-1 %s", strerror(err));
}

/* What the call returned: a number, or -1 and the error's name. */
static void add_result(const struct call *c, struct sbuf *out)
{
    if (c->ret < 0)
        add_error(c->err, out);
    else
        sbuf_printf(out, "%lld", c->ret);
}

/* The fds epoll_wait returned, "a IN, b IN|RDHUP", after `lead`; then
 * ", +N" and `more` for those not listed. */
static void add_ready(const struct call *c, struct sbuf *out, const char *lead, const char *more)
{
    for (int i = 0; i < c->nready; i++) {
        sbuf_printf(out, "%s%s ", i ? ", " : lead, c->ready[i].label);
        epoll_events_text(c->ready[i].events, out);
    }
    if (c->ret > c->nready)
        sbuf_printf(out, ", +%lld%s", c->ret - c->nready, more);
}

void call_transcript(const struct call *c, struct sbuf *out)
{
    const char *who = who_of(c), *note = c->note ? c->note : "";
    switch (c->kind) {
    case CALL_NOTE:
        sbuf_printf(out, "  %s: %s%s", c->label, who, note);
        return;
    case CALL_WAIT:
        sbuf_printf(out, "tick %llu: epoll_wait(%d) = ", c->tick, c->timeout);
        add_result(c, out);
        add_ready(c, out, ": ", " more");
        return;
    case CALL_ACCEPT:
        if (c->ret >= 0)
            sbuf_printf(out, "  listener: accept() = connection #%u %s", c->conn, c->label);
        else
            sbuf_printf(out, "  listener: accept() = -1 %s%s",
                        c->err == EAGAIN ? "EAGAIN" : strerror(c->err), note);
        return;
    case CALL_READ:
        sbuf_printf(out, "  %s: %sread(%zu) = ", c->label, who, c->want);
        if (c->ret > 0) {
            sbuf_printf(out, "%lld ", c->ret);
            add_data(c, out, false);
        } else if (c->ret == 0) {
            sbuf_printf(out, "0 (end of stream)%s", note);
        } else {
            sbuf_printf(out, "-1 %s", c->err == EAGAIN ? "EAGAIN" : strerror(c->err));
        }
        return;
    case CALL_SEND:
        sbuf_printf(out, "  %s: send(%zu) = ", c->label, c->want);
        if (c->ret >= 0)
            sbuf_printf(out, "%lld", c->ret);
        else
            sbuf_printf(out, "-1 %s", c->err == EAGAIN ? "EAGAIN" : strerror(c->err));
        sbuf_add(out, note);
        return;
    }
}

void call_strace(const struct call *c, struct sbuf *out)
{
    const char *who = who_of(c), *note = c->note ? c->note : "";
    switch (c->kind) {
    case CALL_NOTE:
        if (c->label)
            sbuf_printf(out, "%s: ", c->label);
        sbuf_printf(out, "%s%s", who, note);
        return;
    case CALL_WAIT:
        sbuf_printf(out, "epoll_wait(%d, [", c->epfd);
        add_ready(c, out, "", "");
        sbuf_printf(out, "], %d, %d) = ", c->maxevents, c->timeout);
        add_result(c, out);
        return;
    case CALL_ACCEPT:
        sbuf_printf(out, "accept4(%d listener, ...) = ", c->fd);
        add_result(c, out);
        if (c->ret >= 0)
            sbuf_printf(out, " %s", c->label);
        sbuf_add(out, note);
        return;
    case CALL_READ:
        sbuf_printf(out, "%sread(%d %s, ", who, c->fd, c->label);
        if (c->ret > 0)
            add_data(c, out, true);
        else if (c->ret == 0)
            sbuf_add(out, "\"\"");
        else
            sbuf_add(out, "...");
        sbuf_printf(out, ", %zu) = ", c->want);
        add_result(c, out);
        if (c->ret == 0)
            sbuf_printf(out, " (end of stream)%s", note);
        return;
    case CALL_SEND:
        /* as strace shows send(): the call glibc makes */
        sbuf_printf(out, "sendto(%d %s, ", c->fd, c->label);
        add_data(c, out, true);
        sbuf_printf(out, ", %zu, MSG_DONTWAIT|MSG_NOSIGNAL, NULL, 0) = ", c->want);
        add_result(c, out);
        sbuf_add(out, note);
        return;
    }
}
