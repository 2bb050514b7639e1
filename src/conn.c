/*
 * conn.c - the timeline ring and event-mask names shared by every view.
 */
#include "conn.h"

#include <stdlib.h>
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

/* The first tick a write at `tick` must fill after last_tick: the ring
 * holds no older one. */
static uint64_t gap_start(uint64_t last_tick, uint64_t tick)
{
    uint64_t k = last_tick + 1;
    if (tick >= TIMELINE_TICKS && k < tick - TIMELINE_TICKS + 1)
        k = tick - TIMELINE_TICKS + 1;
    return k;
}

void timeline_set(struct timeline *t, uint64_t tick, uint8_t marks)
{
    /* Ticks skipped since the last write read as they did meanwhile
     * (steady); before the first write (socket not yet open), blank. */
    uint8_t gap = t->last_tick ? t->steady : 0;
    for (uint64_t k = gap_start(t->last_tick, tick); k < tick; k++)
        t->marks[k % TIMELINE_TICKS] = gap;
    t->marks[tick % TIMELINE_TICKS] = marks | MARK_VALID;
    if (tick > t->last_tick)
        t->last_tick = tick;
}

static uint8_t cell_get(const uint8_t *cells, uint64_t tick)
{
    uint8_t b = cells[(tick % TIMELINE_TICKS) / 2];
    return tick % 2 ? b >> 4 : b & 0x0f;
}

static void cell_set(uint8_t *cells, uint64_t tick, uint8_t marks)
{
    uint8_t *b = &cells[(tick % TIMELINE_TICKS) / 2];
    *b = tick % 2 ? (uint8_t)((*b & 0x0f) | (marks << 4)) : (uint8_t)((*b & 0xf0) | (marks & 0x0f));
}

uint8_t wtimeline_get(const struct wtimeline *t, uint64_t tick)
{
    if (!t->cells || tick == 0)
        return 0;
    if (tick > t->last_tick)
        return t->steady;
    if (t->last_tick - tick >= TIMELINE_TICKS)
        return 0;
    return cell_get(t->cells, tick);
}

void wtimeline_set(struct wtimeline *t, uint64_t tick, uint8_t marks)
{
    if (!t->cells) {
        if (!marks)
            return; /* what an absent ring reads already */
        t->cells = xcalloc(TIMELINE_TICKS / 2, 1);
    }
    for (uint64_t k = gap_start(t->last_tick, tick); k < tick; k++)
        cell_set(t->cells, k, t->steady);
    cell_set(t->cells, tick, marks);
    if (tick > t->last_tick)
        t->last_tick = tick;
}

void wtimeline_free(struct wtimeline *t)
{
    free(t->cells);
    *t = (struct wtimeline){0};
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

