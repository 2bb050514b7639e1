/*
 * test_hostloop.c - the host loop: fd handlers, signals through a
 * signalfd, the timerfd clock, removal during a batch.
 */
#include "harness.h"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "hostloop.h"

struct seen {
    int calls;
    uint32_t last;
    struct hostloop *h;
    int del_fd;
};

static void record(void *ctx, int fd, uint32_t events)
{
    struct seen *s = ctx;
    (void)fd;
    s->calls++;
    s->last = events;
    if (s->del_fd >= 0)
        hostloop_del(s->h, s->del_fd);
}

void test_hostloop_fd_timer_and_signal(void)
{
    struct hostloop *h = hostloop_new();
    struct seen on_pipe = {0, 0, h, -1}, on_timer = {0, 0, h, -1}, on_sig = {0, 0, h, -1};
    int p[2];
    REQUIRE(pipe(p) == 0);

    CHECK(hostloop_add(h, p[0], EPOLLIN, record, &on_pipe) == 0);
    CHECK(write(p[1], "x", 1) == 1);
    CHECK(hostloop_turn(h, 1000) == 1);
    CHECK_EQ(on_pipe.calls, 1);
    CHECK(on_pipe.last & EPOLLIN);

    /* Level-triggered: still readable, reported again. */
    CHECK(hostloop_turn(h, 0) == 1);
    CHECK_EQ(on_pipe.calls, 2);
    hostloop_del(h, p[0]);
    CHECK(hostloop_turn(h, 0) == 0);
    CHECK_EQ(on_pipe.calls, 2);

    /* The timer delivers its expiration count. */
    int t = hostloop_timer_new(h, record, &on_timer);
    REQUIRE(t >= 0);
    CHECK(hostloop_turn(h, 0) == 0); /* born disarmed */
    /* 1/600 s is not a whole number of milliseconds: kept to the ns. */
    CHECK(hostloop_timer_set(h, t, 1000000000u / 600) == 0);
    struct itimerspec its;
    CHECK(timerfd_gettime(t, &its) == 0);
    CHECK_EQ(its.it_interval.tv_nsec, 1666666);
    for (int i = 0; i < 200 && on_timer.calls == 0; i++)
        hostloop_turn(h, 1000);
    CHECK(on_timer.calls >= 1);
    CHECK(on_timer.last >= 1);
    CHECK(hostloop_timer_set(h, t, 0) == 0);
    CHECK(timerfd_gettime(t, &its) == 0);
    CHECK(its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0); /* disarmed */

    /* A blocked signal arrives as a handler call with its number. */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, NULL, &old);
    CHECK(hostloop_signals(h, &set, record, &on_sig) == 0);
    raise(SIGUSR1);
    for (int i = 0; i < 100 && on_sig.calls == 0; i++)
        hostloop_turn(h, 1000);
    CHECK_EQ(on_sig.calls, 1);
    CHECK_EQ(on_sig.last, SIGUSR1);

    CHECK(!hostloop_stopped(h));
    hostloop_stop(h);
    CHECK(hostloop_stopped(h));
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(p[0]);
    close(p[1]);
    hostloop_free(h);
}

/* A handler may remove another watch whose event is in the same batch. */
void test_hostloop_delete_during_batch(void)
{
    struct hostloop *h = hostloop_new();
    int a[2], b[2];
    REQUIRE(pipe(a) == 0 && pipe(b) == 0);
    struct seen first = {0, 0, h, -1}, second = {0, 0, h, -1};
    /* Whichever runs first removes the other. */
    first.del_fd = b[0];
    second.del_fd = a[0];
    CHECK(hostloop_add(h, a[0], EPOLLIN, record, &first) == 0);
    CHECK(hostloop_add(h, b[0], EPOLLIN, record, &second) == 0);
    CHECK(write(a[1], "x", 1) == 1 && write(b[1], "x", 1) == 1);
    hostloop_turn(h, 1000);
    CHECK_EQ(first.calls + second.calls, 1);
    close(a[0]), close(a[1]), close(b[0]), close(b[1]);
    hostloop_free(h);
}
