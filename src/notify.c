/*
 * notify.c - the starvation rule and its wording.
 */
#include "notify.h"

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
    static const char *const until[] = {
        [WAKER_CLIENT] = "no new edge until the client sends",
        [WAKER_NONE] = "the peer sent FIN, so no new edge will ever come",
        [WAKER_CONNECT] = "no new edge until another client connects",
        [WAKER_WINDOW] = "the receive window is closed, so the client cannot send and no new edge can come",
    };
    switch (k) {
    case STARVE_NONE:
        break;
    case STARVE_EDGE:
        sbuf_printf(out, "%s, %s stopped before EAGAIN, %s", what,
                    waker == WAKER_CONNECT ? "accept()" : "read", until[waker]);
        break;
    case STARVE_DISARMED:
        sbuf_printf(out, "%s, one-shot already fired, no event until EPOLL_CTL_MOD re-arms it", what);
        break;
    }
}

void notify_write_reason(enum starve_kind k, const char *what, bool client_can_wake,
                         struct sbuf *out)
{
    switch (k) {
    case STARVE_NONE:
        break;
    case STARVE_EDGE:
        sbuf_printf(out, "%s, send stopped before EAGAIN: %s", what,
                    client_can_wake ? "no EPOLLOUT edge until the client sends"
                                    : "no EPOLLOUT edge will come (reading stopped)");
        break;
    case STARVE_DISARMED:
        sbuf_printf(out, "%s, one-shot already fired, no event until EPOLL_CTL_MOD re-arms it", what);
        break;
    }
}
