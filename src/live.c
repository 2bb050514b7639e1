/*
 * live.c - the live clock and sampler shared by the TUI and headless free
 * play (see live.h).
 */
#include "live.h"

#include <stdlib.h>
#include <sys/epoll.h>

#include "util.h"

struct live {
    struct hostloop *loop;
    struct engine *(*current)(void *ctx);
    void *ctx;
    unsigned generation;
    bool hold;
    int clock, sampler; /* timer fds */
    uint64_t clock_period; /* ns; 0 = clock timer off */
    uint64_t sample_slower; /* the sampler's period, in LIVE_SAMPLE_NS */
    int watched[ENGINE_MAX_SIDES]; /* each server's wake fd (server_wake_fd) while the
                                      clock runs on events */
    unsigned nwatched;
    bool tick_due; /* the clock expired or a server had events in this turn */
    bool changed;
};

static void tick(struct live *l)
{
    struct engine *e = l->current(l->ctx);
    if (engine_running(e) && !l->hold) {
        engine_tick_live(e, 0);
        l->changed = true;
    }
}

/* The clock only asks for a tick, which runs after the turn (see
 * live_after_turn): a key read in the same turn is drawn first. */
static void on_clock(void *ctx, int fd, uint32_t expirations)
{
    struct live *l = ctx;
    (void)fd, (void)expirations; /* missed ticks are not made up: a slow tick does not snowball */
    l->tick_due = true;
}

static void on_server_ready(void *ctx, int fd, uint32_t events)
{
    struct live *l = ctx;
    (void)fd, (void)events;
    /* Side by side both servers' fds may be ready: one tick (of both)
     * per loop turn, not one per fd. */
    l->tick_due = true;
}

static void on_sample(void *ctx, int fd, uint32_t expirations)
{
    struct live *l = ctx;
    (void)fd, (void)expirations;
    struct engine *e = l->current(l->ctx);
    size_t followed = 0;
    for (unsigned i = 0; i < engine_sides(e); i++) {
        struct server *srv = engine_side_server(e, i);
        if (server_sample(srv))
            l->changed = true; /* an unchanged screen is not drawn again */
        followed += server_followed(srv);
    }
    /* A sample asks the kernel about the sockets something happened to
     * (server_sample), one ioctl or two each: with many of those, look less
     * often; idle ones cost nothing, however many. */
    uint64_t slower = followed / LIVE_SAMPLE_SOCKETS + 1;
    if (slower > LIVE_SAMPLE_SLOWEST)
        slower = LIVE_SAMPLE_SLOWEST;
    if (slower != l->sample_slower) {
        l->sample_slower = slower;
        hostloop_timer_set(l->loop, l->sampler, LIVE_SAMPLE_NS * slower);
    }
}

struct live *live_new(struct hostloop *loop, struct engine *(*current)(void *ctx), void *ctx)
{
    struct live *l = xcalloc(1, sizeof *l);
    l->loop = loop;
    l->current = current;
    l->ctx = ctx;
    l->sample_slower = 1;
    if ((l->clock = hostloop_timer_new(loop, on_clock, l)) < 0 ||
        (l->sampler = hostloop_timer_new(loop, on_sample, l)) < 0 ||
        hostloop_timer_set(loop, l->sampler, LIVE_SAMPLE_NS) < 0) {
        free(l);
        return NULL;
    }
    return l;
}

void live_free(struct live *l)
{
    free(l); /* the timers are the loop's */
}

static void unwatch(struct live *l)
{
    for (unsigned i = 0; i < l->nwatched; i++)
        hostloop_del(l->loop, l->watched[i]);
    l->nwatched = 0;
}

void live_sync(struct live *l, unsigned generation, bool hold)
{
    struct engine *e = l->current(l->ctx);
    bool on_events = engine_running(e) && engine_rate(e) == 0;
    uint64_t period = engine_running(e) && engine_rate(e) ? 1000000000u / engine_rate(e) : 0;

    if (l->generation != generation) {
        /* Closed with the old servers; forget them before a new one reuses the number. */
        unwatch(l);
        l->generation = generation;
    }
    l->hold = hold;
    if (on_events && !l->nwatched) {
        for (unsigned i = 0; i < engine_sides(e); i++) {
            int fd = server_wake_fd(engine_side_server(e, i));
            if (hostloop_add(l->loop, fd, EPOLLIN, on_server_ready, l) == 0)
                l->watched[l->nwatched++] = fd;
        }
    } else if (!on_events && l->nwatched) {
        unwatch(l);
    }
    if (period != l->clock_period) {
        hostloop_timer_set(l->loop, l->clock, period);
        l->clock_period = period;
    }
}

/* A server whose reader sleeps in read() (twin blocking) would wake on
 * its connection, not its epoll fd, which stays readable with events
 * nobody answers: watching that would tick without end. */
static void rewatch(struct live *l)
{
    struct engine *e = l->current(l->ctx);
    for (unsigned i = 0; i < l->nwatched && i < engine_sides(e); i++) {
        int fd = server_wake_fd(engine_side_server(e, i));
        if (fd == l->watched[i])
            continue;
        hostloop_del(l->loop, l->watched[i]);
        if (hostloop_add(l->loop, fd, EPOLLIN, on_server_ready, l) == 0)
            l->watched[i] = fd;
    }
}

void live_after_turn(struct live *l)
{
    if (l->tick_due) {
        l->tick_due = false;
        tick(l);
        rewatch(l);
    }
}

bool live_take_changed(struct live *l)
{
    bool c = l->changed;
    l->changed = false;
    return c;
}
