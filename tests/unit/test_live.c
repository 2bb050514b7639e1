/*
 * test_live.c - the live clock and sampler (live.c) in a real host loop:
 * a paused server's bars fill from the sampler, the clock ticks at its
 * rate or on the server's events, holds while a long tick runs, and
 * follows a replaced engine.  The clients are plain sockets, as nc would
 * be, so nothing but the live clock makes the server look.
 */
#include <unistd.h>

#include "fixture.h"
#include "harness.h"
#include "hostloop.h"
#include "live.h"

struct rig {
    struct fixture f[2];
    unsigned current; /* which engine the live clock follows */
    unsigned generation;
    struct hostloop *loop;
    struct live *live;
    bool hold;
};

static struct engine *current(void *ctx)
{
    struct rig *r = ctx;
    return r->f[r->current].e;
}

static void turn(struct rig *r)
{
    live_sync(r->live, r->generation, r->hold);
    hostloop_turn(r->loop, 10);
    live_after_turn(r->live);
}

static const struct conn *first_conn(struct rig *r)
{
    struct server *s = engine_server(current(r));
    return server_conn_count(s) ? server_conn_at(s, 0) : NULL;
}

static bool pending_is_5(void *ctx)
{
    struct rig *r = ctx;
    turn(r);
    const struct conn *c = first_conn(r);
    return c && c->pending == 5;
}

static bool read_5(void *ctx)
{
    struct rig *r = ctx;
    turn(r);
    const struct conn *c = first_conn(r);
    return c && c->bytes_read == 5;
}

static bool ticked_3(void *ctx)
{
    struct rig *r = ctx;
    turn(r);
    return server_stats(engine_server(current(r)))->tick >= 3;
}

static bool rig_open(struct rig *r)
{
    *r = (struct rig){0};
    if (!fixture_open(&r->f[0], NULL))
        return false;
    if (!fixture_open(&r->f[1], NULL)) {
        fixture_close(&r->f[0]);
        return false;
    }
    r->loop = hostloop_new();
    r->live = live_new(r->loop, current, r);
    return r->live != NULL;
}

static void rig_close(struct rig *r)
{
    live_free(r->live);
    hostloop_free(r->loop);
    fixture_close(&r->f[1]);
    fixture_close(&r->f[0]);
}

void test_live_sampler_fills_a_paused_server(void)
{
    struct rig r;
    REQUIRE(rig_open(&r));
    struct engine *e = current(&r);
    int fd = dial(e);
    REQUIRE(fd >= 0);
    run(&r.f[0], "tick"); /* accepts it */
    REQUIRE(first_conn(&r));
    uint64_t ticks = server_stats(engine_server(e))->tick;
    CHECK(write(fd, "hello", 5) == 5);
    /* Nothing ticks (paused): only the sampler can see the bytes. */
    CHECK(harness_poll(pending_is_5, &r, 3000));
    CHECK_EQ(server_stats(engine_server(e))->tick, ticks);
    CHECK_EQ(first_conn(&r)->bytes_read, 0);
    CHECK(live_take_changed(r.live));
    CHECK(!live_take_changed(r.live)); /* once */
    close(fd);
    rig_close(&r);
}

void test_live_clock_ticks_at_its_rate(void)
{
    struct rig r;
    REQUIRE(rig_open(&r));
    engine_run(current(&r), 200);
    CHECK(harness_poll(ticked_3, &r, 3000));
    rig_close(&r);
}

/* The clock only asks: its tick runs in live_after_turn, never inside the
 * turn, so a front end draws what the turn's handlers did (a key) before
 * a tick that a flood makes long. */
void test_live_tick_runs_after_the_turn(void)
{
    struct rig r;
    REQUIRE(rig_open(&r));
    engine_run(current(&r), 200);
    const struct server_stats *st = server_stats(engine_server(current(&r)));
    bool in_turn = false, after = false;
    for (int i = 0; i < 300 && !after && !in_turn; i++) {
        live_sync(r.live, r.generation, r.hold);
        uint64_t before = st->tick;
        hostloop_turn(r.loop, 10);
        in_turn = st->tick != before;
        live_after_turn(r.live);
        after = st->tick != before;
    }
    CHECK(!in_turn);
    CHECK(after);
    rig_close(&r);
}

void test_live_clock_ticks_on_events_unless_held(void)
{
    struct rig r;
    REQUIRE(rig_open(&r));
    struct engine *e = current(&r);
    engine_run(e, 0); /* tick whenever epoll has events */
    int fd = dial(e);
    REQUIRE(fd >= 0);
    r.hold = true; /* a long tick is running: the clock waits */
    for (int i = 0; i < 5; i++)
        turn(&r);
    CHECK_EQ(server_stats(engine_server(e))->tick, 0);
    r.hold = false;
    CHECK(write(fd, "hello", 5) == 5);
    CHECK(harness_poll(read_5, &r, 3000));
    close(fd);
    rig_close(&r);
}

void test_live_follows_a_replaced_engine(void)
{
    struct rig r;
    REQUIRE(rig_open(&r));
    engine_run(r.f[0].e, 0);
    engine_run(r.f[1].e, 0);
    turn(&r); /* watching the first server */
    r.current = 1;
    r.generation++;
    int fd = dial(r.f[1].e);
    REQUIRE(fd >= 0);
    CHECK(write(fd, "hello", 5) == 5);
    CHECK(harness_poll(read_5, &r, 3000));
    CHECK_EQ(server_stats(engine_server(r.f[0].e))->tick, 0);
    close(fd);
    rig_close(&r);
}
