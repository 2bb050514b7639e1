/*
 * census.c - the rules that place a connection in the census, and the
 * arithmetic of shares (see census.h).
 */
#include "census.h"

#include <sys/epoll.h>

#include "conn.h"

enum { SHARE_CLASS = 0x07, SHARE_WSTARVED = 0x08, SHARE_BUSY = 0x10 };

bool census_writable_every_tick(const struct conn *k)
{
    return (k->registered & EPOLLOUT) && !k->wblocked;
}

bool census_busy_looping(bool lt, const struct conn *k)
{
    return lt && census_writable_every_tick(k) && appbuf_len(&k->out) == 0 && k->pending <= 0 &&
           k->state == CONN_OPEN;
}

/* By the rules the tests assert against the kernel: level-triggered, a
 * readable fd (bytes, or a FIN: read() returns 0 until it is closed) is
 * reported by every epoll_wait; edge-triggered or one-shot, what waits is
 * reported once more, unless it starves; the rest is idle. */
enum census_class census_class(bool lt, const struct conn *k)
{
    if (k->state == CONN_CLOSED)
        return CENSUS_CLOSED;
    if (k->notify.starved != STARVE_NONE || k->wnotify.starved != STARVE_NONE)
        return CENSUS_STARVED;
    if (lt && (k->pending > 0 || k->state == CONN_PEER_CLOSED || census_writable_every_tick(k)))
        return CENSUS_EVERY_TICK;
    if (!lt && (k->pending > 0 || k->eof_waiting))
        return CENSUS_NEXT_TICK;
    return CENSUS_IDLE;
}

uint8_t census_share(bool lt, const struct conn *k)
{
    uint8_t s = (uint8_t)census_class(lt, k);
    if (k->state != CONN_CLOSED) {
        s |= k->wnotify.starved != STARVE_NONE ? SHARE_WSTARVED : 0;
        s |= census_busy_looping(lt, k) ? SHARE_BUSY : 0;
    }
    return s;
}

void census_add(struct census *c, uint8_t share, int sign)
{
    size_t d = (size_t)(ptrdiff_t)sign; /* size_t arithmetic wraps: -1 takes one out */
    switch ((enum census_class)(share & SHARE_CLASS)) {
    case CENSUS_CLOSED:
        c->closed += d;
        return;
    case CENSUS_STARVED:
        c->starved += d;
        break;
    case CENSUS_EVERY_TICK:
        c->every_tick += d;
        break;
    case CENSUS_NEXT_TICK:
        c->next_tick += d;
        break;
    case CENSUS_IDLE:
        c->idle += d;
        break;
    }
    c->open += d;
    c->wstarved += share & SHARE_WSTARVED ? d : 0;
    c->busy += share & SHARE_BUSY ? d : 0;
}
