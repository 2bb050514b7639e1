/*
 * conn.c - the timeline ring and event-mask names shared by every view.
 */
#include "conn.h"

#include <sys/epoll.h>

#include "util.h"

uint8_t timeline_get(const struct timeline *t, uint64_t tick)
{
    if (tick == 0 || t->last_tick == 0)
        return 0;
    if (tick > t->last_tick)
        return t->steady;
    if (t->last_tick - tick >= TIMELINE_TICKS)
        return 0;
    return t->marks[tick % TIMELINE_TICKS];
}

void timeline_set(struct timeline *t, uint64_t tick, uint8_t marks)
{
    /* Ticks skipped since the last write read as they did meanwhile
     * (steady); before the first write (socket not yet open), blank. */
    uint8_t gap = t->last_tick ? t->steady : 0;
    uint64_t k = t->last_tick + 1;
    if (tick >= TIMELINE_TICKS && k < tick - TIMELINE_TICKS + 1)
        k = tick - TIMELINE_TICKS + 1;
    for (; k < tick; k++)
        t->marks[k % TIMELINE_TICKS] = gap;
    t->marks[tick % TIMELINE_TICKS] = marks | MARK_VALID;
    if (tick > t->last_tick)
        t->last_tick = tick;
}

void epoll_events_text(uint32_t ev, struct sbuf *out)
{
    static const struct { uint32_t bit; const char *name; } bits[] = {
        {EPOLLIN, "IN"}, {EPOLLOUT, "OUT"}, {EPOLLRDHUP, "RDHUP"},
        {EPOLLPRI, "PRI"}, {EPOLLHUP, "HUP"}, {EPOLLERR, "ERR"},
    };
    bool first = true;
    for (size_t i = 0; i < ARRAY_LEN(bits); i++)
        if (ev & bits[i].bit) {
            sbuf_printf(out, "%s%s", first ? "" : "|", bits[i].name);
            first = false;
        }
    if (first)
        sbuf_add(out, "0");
}

