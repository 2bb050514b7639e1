/*
 * notify.c - the starvation rule and its wording.
 */
#include "notify.h"

/* One-shot's reason, read side or write side alike. */
static void disarmed_reason(const char *what, int brevity, struct sbuf *out)
{
    if (brevity <= 0)
        sbuf_printf(out, "%s, one-shot already fired, no event until EPOLL_CTL_MOD re-arms it", what);
    else if (brevity == 1)
        sbuf_add(out, "one-shot already fired, no event until EPOLL_CTL_MOD re-arms it");
    else if (brevity == 2)
        sbuf_add(out, "one-shot fired: no event until EPOLL_CTL_MOD re-arms it");
    else
        sbuf_add(out, "one-shot fired: no event until re-armed");
}

enum starve_kind notify_starvation(enum server_mode mode, const struct notify *n, bool waiting,
                                   bool fresh)
{
    if (!waiting || n->event_due)
        return STARVE_NONE;
    if (mode == MODE_ONESHOT && !n->armed)
        return STARVE_DISARMED; /* new arrivals cannot wake it either */
    if (mode == MODE_ET && n->stopped_early && !fresh)
        return STARVE_EDGE;
    return STARVE_NONE;
}

void notify_reason(enum starve_kind k, const char *what, enum waker waker, struct sbuf *out)
{
    notify_reason_brief(k, what, waker, 0, out);
}

void notify_reason_brief(enum starve_kind k, const char *what, enum waker waker, int brevity,
                         struct sbuf *out)
{
    static const char *const until[] = {
        [WAKER_CLIENT] = "no new edge until the client sends",
        [WAKER_NONE] = "the peer sent FIN, so no new edge will ever come",
        [WAKER_CONNECT] = "no new edge until another client connects",
        [WAKER_WINDOW] = "the receive window is closed, so the client cannot send and no new edge can come",
    };
    static const char *const until_short[] = {
        [WAKER_CLIENT] = "no new edge until the client sends",
        [WAKER_NONE] = "FIN came: no new edge will ever come",
        [WAKER_CONNECT] = "no new edge until another client connects",
        [WAKER_WINDOW] = "window closed: no new edge can come",
    };
    const char *stopped = waker == WAKER_CONNECT ? "accept()" : "read";
    switch (k) {
    case STARVE_NONE:
        break;
    case STARVE_EDGE:
        if (brevity <= 0)
            sbuf_printf(out, "%s, %s stopped before EAGAIN, %s", what, stopped, until[waker]);
        else if (brevity == 1)
            sbuf_printf(out, "%s stopped before EAGAIN, %s", stopped, until[waker]);
        else if (brevity == 2)
            sbuf_printf(out, "stopped before EAGAIN: %s", until_short[waker]);
        else
            sbuf_add(out, until_short[waker]);
        break;
    case STARVE_DISARMED:
        disarmed_reason(what, brevity, out);
        break;
    }
}

void notify_write_reason(enum starve_kind k, const char *what, bool client_can_wake,
                         struct sbuf *out)
{
    notify_write_reason_brief(k, what, client_can_wake, 0, out);
}

void notify_write_reason_brief(enum starve_kind k, const char *what, bool client_can_wake,
                               int brevity, struct sbuf *out)
{
    const char *until = client_can_wake ? "no EPOLLOUT edge until the client sends"
                                        : "no EPOLLOUT edge will come (reading stopped)";
    switch (k) {
    case STARVE_NONE:
        break;
    case STARVE_EDGE:
        if (brevity <= 0)
            sbuf_printf(out, "%s, send stopped before EAGAIN: %s", what, until);
        else if (brevity == 1)
            sbuf_printf(out, "send stopped before EAGAIN: %s", until);
        else if (brevity == 2)
            sbuf_printf(out, "stopped before EAGAIN: %s",
                        client_can_wake ? "no EPOLLOUT until the client sends"
                                        : "no EPOLLOUT will come");
        else /* the word of lesson 19's title */
            sbuf_add(out, client_can_wake ? "stopped early: no EPOLLOUT until the client sends"
                                           : "stopped early: no EPOLLOUT will come");
        break;
    case STARVE_DISARMED:
        disarmed_reason(what, brevity, out);
        break;
    }
}
