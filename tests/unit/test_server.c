/*
 * test_server.c - the taught server against real loopback sockets and the
 * real kernel: every number checked here comes from FIONREAD, TCP_INFO or
 * counted syscalls.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"
#include "fixture.h"
#include "notify.h"
#include "server.h"

/* ---- fixtures ---------------------------------------------------------- */

static struct conn *conn(struct fixture *f, const char *label)
{
    return server_find(engine_server(f->e), label);
}

static const struct listener_info *listener(struct fixture *f)
{
    return server_listener(engine_server(f->e));
}

static uint64_t ticks(struct fixture *f)
{
    return server_stats(engine_server(f->e))->tick;
}

/* A raw client from outside the engine, dialling the server. */
static int dial(struct fixture *f)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_port = htons(server_port(engine_server(f->e)));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

struct queue_wait {
    struct fixture *f;
    uint32_t want;
};

static bool queue_reaches(void *arg)
{
    struct queue_wait *q = arg;
    server_sample(engine_server(q->f->e));
    return listener(q->f)->queued >= q->want;
}

/* ---- LT and ET --------------------------------------------------------- */

void test_lt_renotifies_until_drained(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "budget 16");
    run(&f, "connect a");
    run(&f, "send a 64");
    run(&f, "tick"); /* accept */
    struct conn *a = conn(&f, "a");
    REQUIRE(a);
    CHECK_EQ(a->pending, 64);
    for (int i = 1; i <= 4; i++) {
        run(&f, "tick");
        CHECK_EQ(a->wakeups, i);
        CHECK_EQ(a->pending, 64 - 16 * i);
        CHECK_EQ(a->renotify, i - 1);
        CHECK(a->notify.starved == STARVE_NONE);
        uint8_t m = timeline_get(&a->timeline, ticks(&f));
        CHECK(m & MARK_LEVEL);
        CHECK(m & MARK_WOKEN);
    }
    /* Drained exactly at the budget: LT reports once more, then EAGAIN. */
    CHECK_EQ(a->eagain_reads, 0);
    run(&f, "tick");
    CHECK_EQ(a->wakeups, 4);
    CHECK(!(timeline_get(&a->timeline, ticks(&f)) & MARK_WOKEN));
    CHECK_EQ(a->reads, 4);
    CHECK_EQ(a->bytes_read, 64);
    fixture_close(&f);
}

void test_et_starves_and_new_byte_wakes(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "mode et");
    run(&f, "budget 16");
    run(&f, "connect a");
    run(&f, "send a 64");
    run(&f, "tick 2");
    struct conn *a = conn(&f, "a");
    REQUIRE(a);
    CHECK_EQ(a->wakeups, 1);
    CHECK_EQ(a->pending, 48);
    CHECK(a->notify.starved == STARVE_EDGE);
    uint64_t since = a->notify.starved_since;
    run(&f, "tick 5");
    CHECK_EQ(a->wakeups, 1); /* no event for bytes that are already there */
    CHECK_EQ(a->pending, 48);
    CHECK_EQ(a->notify.starved_since, since);
    /* Level stays high, no wakeup: the picture of starvation. */
    uint8_t m = timeline_get(&a->timeline, ticks(&f));
    CHECK((m & MARK_LEVEL) && !(m & MARK_WOKEN) && (m & MARK_STARVED));

    /* Linux ET fires on every arrival, not only on empty -> non-empty. */
    run(&f, "send a 1");
    CHECK(a->notify.starved == STARVE_NONE); /* an event is due */
    run(&f, "tick");
    CHECK_EQ(a->wakeups, 2);
    CHECK_EQ(a->pending, 33);
    CHECK_EQ(a->renotify, 0);
    CHECK(a->notify.starved == STARVE_EDGE);
    CHECK_CONTAINS(sbuf_str(&f.log), "a: STARVED since tick 2: 48 B waiting");
    fixture_close(&f);
}

void test_et_drain_reaches_eagain(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "mode et");
    run(&f, "connect a");
    run(&f, "send a 100");
    run(&f, "tick 2");
    struct conn *a = conn(&f, "a");
    REQUIRE(a);
    CHECK_EQ(a->bytes_read, 100);
    CHECK_EQ(a->reads, 2); /* the data, then the EAGAIN that proves it drained */
    CHECK_EQ(a->eagain_reads, 1);
    CHECK(a->notify.starved == STARVE_NONE);
    CHECK(timeline_get(&a->timeline, ticks(&f)) & MARK_EAGAIN);
    fixture_close(&f);
}

void test_mod_rearms_pending_data(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "mode et");
    run(&f, "budget 16");
    run(&f, "connect a");
    run(&f, "send a 64");
    run(&f, "tick 3");
    struct conn *a = conn(&f, "a");
    REQUIRE(a && a->notify.starved == STARVE_EDGE);

    /* ET -> ET: EPOLL_CTL_MOD re-evaluates readiness, one more event. */
    run(&f, "mode et");
    CHECK_EQ(a->mods, 1); /* the first "mode et" came before the accept */
    CHECK(a->notify.starved == STARVE_NONE);
    run(&f, "tick 3");
    CHECK_EQ(a->wakeups, 2);
    CHECK_EQ(a->renotify, 1);
    CHECK_EQ(a->pending, 32);

    /* ET -> LT: events on every wait until drained. */
    run(&f, "mode lt");
    run(&f, "tick 3");
    CHECK_EQ(a->wakeups, 4);
    CHECK_EQ(a->pending, 0);

    /* LT -> ET with data pending: exactly one event, then silence. */
    run(&f, "send a 40");
    run(&f, "mode et");
    run(&f, "tick 4");
    CHECK_EQ(a->wakeups, 5);
    CHECK_EQ(a->pending, 24);
    run(&f, "rearm a");
    run(&f, "tick 2");
    CHECK_EQ(a->wakeups, 6);
    CHECK_EQ(a->pending, 8);
    fixture_close(&f);
}

void test_oneshot_fires_once_until_rearmed(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "connect a");
    run(&f, "tick"); /* accept in LT */
    run(&f, "autorearm off");
    run(&f, "mode oneshot");
    run(&f, "send a 10");
    run(&f, "tick");
    struct conn *a = conn(&f, "a");
    REQUIRE(a);
    CHECK_EQ(a->wakeups, 1);
    CHECK(!a->notify.armed);
    CHECK_EQ(a->eagain_reads, 1); /* drained, and still nothing more will come */
    run(&f, "send a 10");
    run(&f, "tick 3");
    CHECK_EQ(a->wakeups, 1);
    CHECK_EQ(a->pending, 10);
    CHECK(a->notify.starved == STARVE_DISARMED);
    run(&f, "rearm a");
    CHECK(a->notify.armed);
    run(&f, "tick 2");
    CHECK_EQ(a->wakeups, 2);
    CHECK_EQ(a->pending, 0);
    CHECK(a->notify.starved == STARVE_NONE);
    fixture_close(&f);
}

void test_oneshot_autorearm_serves_like_lt(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL)); /* autorearm is on by default */
    run(&f, "mode oneshot");
    run(&f, "budget 4");
    run(&f, "connect a");
    run(&f, "tick");
    run(&f, "connect b"); /* after the listener fired once: it must have been re-armed */
    run(&f, "send a 10");
    run(&f, "tick 4");
    struct conn *a = conn(&f, "a");
    REQUIRE(a && conn(&f, "b"));
    CHECK_EQ(a->bytes_read, 10);
    CHECK_EQ(a->wakeups, 3);
    CHECK_EQ(a->mods, 3); /* one EPOLL_CTL_MOD per handling: the price of one-shot */
    CHECK_EQ(listener(&f)->accepts, 2);
    CHECK_EQ(listener(&f)->mods, 3); /* the mode switch, then one per handling */
    CHECK(a->notify.armed);
    CHECK(a->notify.starved == STARVE_NONE);
    fixture_close(&f);
}

void test_fin_wakes_a_starved_et_connection(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "mode et");
    run(&f, "budget 16");
    run(&f, "connect a");
    run(&f, "tick");
    run(&f, "send a 64");
    run(&f, "tick 2");
    struct conn *a = conn(&f, "a");
    REQUIRE(a && a->notify.starved == STARVE_EDGE);
    /* The FIN is a new edge: not starved, and the next tick wakes it. */
    run(&f, "shutdown a");
    CHECK(a->notify.starved == STARVE_NONE);
    run(&f, "tick");
    CHECK_EQ(a->wakeups, 2);
    CHECK(a->last_events & 0x2000); /* EPOLLRDHUP */
    CHECK_EQ(a->pending, 32);
    CHECK(a->notify.starved == STARVE_EDGE);
    CHECK_EQ(a->notify.starved_since, ticks(&f));
    fixture_close(&f);
}

void test_unread_end_of_stream_is_starved(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "mode et");
    run(&f, "budget 16");
    run(&f, "connect a");
    run(&f, "tick");
    run(&f, "send a 16");
    run(&f, "shutdown a");
    run(&f, "tick 3");
    struct conn *a = conn(&f, "a");
    REQUIRE(a);
    /* Exactly the budget was read, so the read of 0 never happened. */
    CHECK_EQ(a->bytes_read, 16);
    CHECK_EQ(a->pending, 0);
    CHECK(a->eof_waiting);
    CHECK(a->state == CONN_PEER_CLOSED);
    CHECK(a->notify.starved == STARVE_EDGE);
    CHECK_CONTAINS(sbuf_str(&f.log), "the end of stream waits unread, read stopped before EAGAIN, "
                                     "the peer sent FIN, so no new edge will ever come");
    run(&f, "drain a");
    CHECK(a->state == CONN_CLOSED);
    CHECK(a->notify.starved == STARVE_NONE);
    fixture_close(&f);
}

void test_drain_cap_rearms_only_in_et(void)
{
    struct fixture f;
    struct server_config cfg;
    server_config_defaults(&cfg);
    cfg.drain_cap = 1000;
    REQUIRE(fixture_open(&f, &cfg));
    run(&f, "mode et");
    run(&f, "connect a");
    run(&f, "tick");
    run(&f, "send a 2500");
    run(&f, "tick");
    struct conn *a = conn(&f, "a");
    REQUIRE(a);
    CHECK_EQ(a->bytes_read, 1000);
    CHECK_CONTAINS(sbuf_str(&f.log), "a: drain stopped at the cap of 1000 B this wakeup; re-armed");
    CHECK(a->notify.starved == STARVE_NONE); /* our cap must not strand bytes */
    run(&f, "tick 2");
    CHECK_EQ(a->bytes_read, 2500);
    CHECK_EQ(a->wakeups, 3);

    /* One-shot without autorearm stays silent even at the cap. */
    run(&f, "autorearm off");
    run(&f, "mode oneshot");
    run(&f, "send a 2500");
    run(&f, "tick 3");
    CHECK_EQ(a->bytes_read, 3500);
    CHECK(a->notify.starved == STARVE_DISARMED);
    fixture_close(&f);
}

void test_starvation_rule(void)
{
    static const struct {
        enum server_mode mode;
        struct notify n;
        bool waiting, fresh;
        enum starve_kind want;
    } cases[] = {
        {MODE_LT, {.armed = true, .stopped_early = true}, true, false, STARVE_NONE},
        {MODE_ET, {.armed = true, .stopped_early = true}, true, false, STARVE_EDGE},
        {MODE_ET, {.armed = true, .stopped_early = true}, true, true, STARVE_NONE},
        {MODE_ET, {.armed = true, .stopped_early = true}, false, false, STARVE_NONE},
        {MODE_ET, {.armed = true, .stopped_early = false}, true, false, STARVE_NONE},
        {MODE_ET, {.armed = true, .stopped_early = true, .event_due = true}, true, false, STARVE_NONE},
        {MODE_ONESHOT, {.armed = false}, true, true, STARVE_DISARMED},
        {MODE_ONESHOT, {.armed = false, .event_due = true}, true, false, STARVE_NONE},
        {MODE_ONESHOT, {.armed = true, .stopped_early = true}, true, false, STARVE_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum starve_kind got =
            notify_starvation(cases[i].mode, &cases[i].n, cases[i].waiting, cases[i].fresh);
        if (got != cases[i].want)
            harness_fail(__FILE__, __LINE__, "case %zu: %d != %d", i, (int)got, (int)cases[i].want);
    }
}

/* ---- the listener ------------------------------------------------------ */

void test_et_accept_one_strands_the_queue(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "mode et");
    run(&f, "accept one");
    run(&f, "connect w 3");
    struct queue_wait q = {&f, 3};
    CHECK(harness_poll(queue_reaches, &q, 5000));
    CHECK_EQ(listener(&f)->queued, 3); /* tcpi_unacked on the LISTEN socket */
    run(&f, "tick");
    CHECK_EQ(listener(&f)->accepts, 1);
    CHECK_EQ(listener(&f)->queued, 2);
    CHECK(listener(&f)->notify.starved == STARVE_EDGE);
    run(&f, "tick 3");
    CHECK_EQ(listener(&f)->accepts, 1);
    CHECK_EQ(listener(&f)->wakeups, 1);
    /* A new connection is a new edge: one more accept, the rest still wait. */
    run(&f, "connect x");
    q.want = 3;
    CHECK(harness_poll(queue_reaches, &q, 5000));
    run(&f, "tick");
    CHECK_EQ(listener(&f)->accepts, 2);
    CHECK_EQ(listener(&f)->queued, 2);
    /* accept all drains the queue to EAGAIN once re-armed. */
    run(&f, "accept all");
    run(&f, "rearm listener");
    run(&f, "tick");
    CHECK_EQ(listener(&f)->accepts, 4);
    CHECK_EQ(listener(&f)->queued, 0);
    CHECK(listener(&f)->notify.starved == STARVE_NONE);
    CHECK(conn(&f, "w.3") && conn(&f, "x"));
    fixture_close(&f);
}

void test_connection_limit_refuses_with_message(void)
{
    struct fixture f;
    struct server_config cfg;
    server_config_defaults(&cfg);
    cfg.max_conns = 2;
    REQUIRE(fixture_open(&f, &cfg));
    int fd[3];
    for (int i = 0; i < 3; i++)
        fd[i] = dial(&f);
    struct queue_wait q = {&f, 3};
    CHECK(harness_poll(queue_reaches, &q, 5000));
    run(&f, "tick");
    CHECK_EQ(server_stats(engine_server(f.e))->open_conns, 2);
    CHECK_EQ(listener(&f)->rejected, 1);
    CHECK_EQ(listener(&f)->queued, 0);
    char buf[200] = {0};
    ssize_t n = read(fd[2], buf, sizeof buf - 1);
    CHECK(n > 0);
    CHECK_CONTAINS(buf, "connection limit reached");
    for (int i = 0; i < 3; i++)
        close(fd[i]);
    fixture_close(&f);
}

void test_emfile_refuses_without_spinning(void)
{
    struct fixture f;
    struct rlimit saved, low;
    REQUIRE(fixture_open(&f, NULL));
    int c1 = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int c2 = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(c1 >= 0 && c2 >= 0);
    REQUIRE(getrlimit(RLIMIT_NOFILE, &saved) == 0);

    /* Use up every descriptor below a low limit. */
    int top = fcntl(c2, F_DUPFD_CLOEXEC, 0);
    close(top);
    low = saved;
    low.rlim_cur = (rlim_t)top + 8;
    REQUIRE(setrlimit(RLIMIT_NOFILE, &low) == 0);
    int fillers[16], nfill = 0;
    for (int fd; nfill < 16 && (fd = dup(c1)) >= 0;)
        fillers[nfill++] = fd;
    CHECK(errno == EMFILE);

    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_port = htons(server_port(engine_server(f.e)));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(connect(c1, (struct sockaddr *)&a, sizeof a) == 0);
    CHECK(connect(c2, (struct sockaddr *)&a, sizeof a) == 0);
    struct queue_wait q = {&f, 2};
    CHECK(harness_poll(queue_reaches, &q, 5000));

    run(&f, "tick");
    /* Two refused, then a third EMFILE: accept() takes a descriptor before
     * it looks at the queue, so only the spare fd shows the queue empty. */
    CHECK_EQ(listener(&f)->accept_emfile, 3);
    CHECK_EQ(listener(&f)->accept_eagain, 1);
    CHECK_EQ(listener(&f)->rejected, 2);
    CHECK_EQ(listener(&f)->queued, 0);
    CHECK_EQ(listener(&f)->accepts, 0);
    /* Nothing is left to report: an LT listener does not spin. */
    uint64_t events = server_stats(engine_server(f.e))->events;
    run(&f, "tick 3");
    CHECK_EQ(server_stats(engine_server(f.e))->events, events);
    char buf[200] = {0};
    CHECK(read(c1, buf, sizeof buf - 1) > 0);
    CHECK_CONTAINS(buf, "out of file descriptors");

    for (int i = 0; i < nfill; i++)
        close(fillers[i]);
    setrlimit(RLIMIT_NOFILE, &saved);
    close(c1);
    close(c2);
    fixture_close(&f);
}

/* The label the server gives an outside client's connection. */
static void label_of(int fd, char *out, size_t n)
{
    struct sockaddr_in me;
    socklen_t len = sizeof me;
    getsockname(fd, (struct sockaddr *)&me, &len);
    snprintf(out, n, "127.0.0.1:%u", ntohs(me.sin_port));
}

/* Closes with a reset (SO_LINGER 0) instead of a FIN. */
static void reset_close(int fd)
{
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(fd);
}

/* More ready fds than epoll_wait's first room (256): one tick sees them all,
 * rather than some in this tick and the rest in later ones. */
void test_one_wait_sees_every_ready_fd(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "connect w 300");
    run(&f, "tick");
    CHECK_EQ(server_stats(engine_server(f.e))->open_conns, 300);
    run(&f, "send w 1");
    uint64_t events = server_stats(engine_server(f.e))->events;
    run(&f, "tick");
    CHECK_EQ(server_stats(engine_server(f.e))->events - events, 300);
    CHECK_EQ(conn(&f, "w.1")->bytes_read, 1);
    CHECK_EQ(conn(&f, "w.300")->bytes_read, 1);
    fixture_close(&f);
}

/* At the limit, a connection that closed frees its slot for one waiting in
 * the accept queue in the same tick: the listener is handled last. */
void test_closed_connection_frees_its_slot_in_the_same_tick(void)
{
    struct fixture f;
    struct server_config cfg;
    server_config_defaults(&cfg);
    cfg.max_conns = 1;
    REQUIRE(fixture_open(&f, &cfg));
    run(&f, "connect a");
    run(&f, "tick");
    /* b's connection is queued (the listener is ready) before a's FIN. */
    run(&f, "connect b");
    run(&f, "close a");
    run(&f, "tick");
    CHECK_EQ(listener(&f)->rejected, 0);
    CHECK(conn(&f, "a") && conn(&f, "a")->state == CONN_CLOSED);
    CHECK(conn(&f, "b") && conn(&f, "b")->fd >= 0);
    CHECK_CONTAINS(sbuf_str(&f.log), "listener IN, a IN|RDHUP");
    fixture_close(&f);
}

/* A reset storm: connections reset (or closed) while still in the accept
 * queue are accepted like any other; at the limit they are read and closed
 * before anyone is refused, and what they sent is still read. */
void test_gone_peers_do_not_hold_slots(void)
{
    struct fixture f;
    struct server_config cfg;
    server_config_defaults(&cfg);
    cfg.max_conns = 2;
    REQUIRE(fixture_open(&f, &cfg));
    int reset = dial(&f), closed = dial(&f), good = dial(&f);
    REQUIRE(reset >= 0 && closed >= 0 && good >= 0);
    char good_label[64], closed_label[64];
    label_of(good, good_label, sizeof good_label);
    label_of(closed, closed_label, sizeof closed_label);
    CHECK_EQ(write(closed, "bye", 3), 3);
    CHECK_EQ(write(good, "hello", 5), 5);
    struct queue_wait q = {&f, 3};
    CHECK(harness_poll(queue_reaches, &q, 5000));
    reset_close(reset);
    close(closed);
    run(&f, "tick");
    CHECK_EQ(listener(&f)->rejected, 0);
    CHECK_EQ(listener(&f)->accepts, 3);
    CHECK_EQ(server_stats(engine_server(f.e))->open_conns, 1);
    struct conn *g = conn(&f, good_label), *c = conn(&f, closed_label);
    CHECK(g && g->fd >= 0);
    CHECK(c && c->state == CONN_CLOSED && c->bytes_read == 3);
    CHECK_CONTAINS(sbuf_str(&f.log), "the peer is gone already; read now to free its slot");
    run(&f, "tick");
    CHECK(g && g->bytes_read == 5);
    close(good);
    fixture_close(&f);
}

/* --max-per-peer: one address cannot take every slot; another still can. */
void test_connection_limit_per_peer(void)
{
    struct fixture f;
    struct server_config cfg;
    server_config_defaults(&cfg);
    cfg.max_per_peer = 2;
    REQUIRE(fixture_open(&f, &cfg));
    int fd[3];
    for (int i = 0; i < 3; i++)
        fd[i] = dial(&f);
    /* Another laptop: 127.0.0.2 is loopback too. */
    int other = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in from = {.sin_family = AF_INET}, to = {.sin_family = AF_INET};
    from.sin_addr.s_addr = htonl(0x7f000002);
    to.sin_port = htons(server_port(engine_server(f.e)));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(other >= 0 && bind(other, (struct sockaddr *)&from, sizeof from) == 0);
    REQUIRE(connect(other, (struct sockaddr *)&to, sizeof to) == 0);
    struct queue_wait q = {&f, 4};
    CHECK(harness_poll(queue_reaches, &q, 5000));
    run(&f, "tick");
    CHECK_EQ(server_stats(engine_server(f.e))->open_conns, 3);
    CHECK_EQ(listener(&f)->rejected, 1);
    CHECK_EQ(listener(&f)->rejected_max_per_peer, 1);
    CHECK_EQ(listener(&f)->rejected_max_conns, 0);
    CHECK_CONTAINS(sbuf_str(&f.log),
                   "connection limit reached (2 open from 127.0.0.1, --max-per-peer)");
    /* Sent in the tick, so already here: never wait for it. */
    char buf[200] = {0};
    CHECK(recv(fd[2], buf, sizeof buf - 1, MSG_DONTWAIT) > 0);
    CHECK_CONTAINS(buf, "epollviz: connection refused: connection limit reached (2 open from "
                        "127.0.0.1, --max-per-peer)");
    for (int i = 0; i < 3; i++)
        close(fd[i]);
    close(other);
    fixture_close(&f);
}

void test_outside_client_labelled_by_address(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    int fd = dial(&f);
    REQUIRE(fd >= 0);
    struct sockaddr_in me;
    socklen_t len = sizeof me;
    getsockname(fd, (struct sockaddr *)&me, &len);
    char want[64];
    snprintf(want, sizeof want, "127.0.0.1:%u", ntohs(me.sin_port));
    struct queue_wait q = {&f, 1};
    CHECK(harness_poll(queue_reaches, &q, 5000));
    run(&f, "tick");
    struct conn *c = conn(&f, want);
    REQUIRE(c);
    CHECK(!c->scripted);
    CHECK(write(fd, "hi\x1b", 3) == 3);
    for (int i = 0; i < 1000 && c->bytes_read < 3; i++)
        run(&f, "tick");
    CHECK_EQ(c->bytes_read, 3);
    CHECK_EQ(c->tail_len, 3);
    CHECK(memcmp(c->tail, "hi\x1b", 3) == 0);
    CHECK_CONTAINS(sbuf_str(&f.log), "= 3 \"hi\\x1b\""); /* escaped in the transcript */
    close(fd);
    fixture_close(&f);
}

void test_refused_and_early_closed_keep_their_names(void)
{
    struct fixture f;
    struct server_config cfg;
    server_config_defaults(&cfg);
    cfg.max_conns = 1;
    REQUIRE(fixture_open(&f, &cfg));
    run(&f, "connect w 3");
    run(&f, "tick");
    CHECK_CONTAINS(sbuf_str(&f.log), "listener: refused w.2: connection limit reached");
    CHECK_CONTAINS(sbuf_str(&f.log), "listener: refused w.3: connection limit reached");
    fixture_close(&f);

    /* A client that is gone before the accept still names its connection. */
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "connect a");
    run(&f, "send a \"hi\"");
    run(&f, "close a");
    run(&f, "tick 2");
    struct conn *a = conn(&f, "a");
    REQUIRE(a);
    CHECK_EQ(a->bytes_read, 2);
    CHECK(a->state == CONN_CLOSED);
    fixture_close(&f);
}

void test_scenario_records_outlive_pruning(void)
{
    struct fixture f;
    struct server_config cfg;
    server_config_defaults(&cfg);
    cfg.closed_keep = 2;
    REQUIRE(fixture_open(&f, &cfg));
    run(&f, "connect w 5");
    int fd[4];
    for (int i = 0; i < 4; i++)
        fd[i] = dial(&f);
    struct queue_wait q = {&f, 9};
    CHECK(harness_poll(queue_reaches, &q, 5000));
    run(&f, "tick");
    for (int i = 0; i < 4; i++)
        close(fd[i]);
    run(&f, "close w");
    for (int i = 0; i < 200 && server_stats(engine_server(f.e))->open_conns; i++)
        run(&f, "tick");
    run(&f, "tick");
    /* The scenario's five stay for their expects; of the four strangers,
     * only the two newest records are kept. */
    CHECK_EQ(server_conn_count(engine_server(f.e)), 5 + 2);
    run(&f, "expect w closed");
    CHECK_EQ(engine_expects_passed(f.e), 1);
    fixture_close(&f);
}

void test_unread_bytes_reported_at_exit(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "budget 4");
    run(&f, "connect a");
    run(&f, "send a 10");
    run(&f, "tick 2");
    engine_free(f.e);
    CHECK_CONTAINS(sbuf_str(&f.log), "a: 6 B were never read and are discarded (the server stopped)");
    sbuf_free(&f.log);
}

void test_drop_reports_discarded_bytes(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "budget 4");
    run(&f, "connect a");
    run(&f, "send a 10");
    run(&f, "tick 2");
    run(&f, "drop a");
    CHECK_CONTAINS(sbuf_str(&f.log), "a: 6 B were never read and are discarded");
    CHECK(timeline_get(&conn(&f, "a")->timeline, ticks(&f)) & MARK_CLOSED);
    fixture_close(&f);
}

/* ---- end of stream ----------------------------------------------------- */

void test_half_close_then_eof(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "budget 8");
    run(&f, "connect a");
    run(&f, "send a 20");
    run(&f, "shutdown a");
    run(&f, "tick 2");
    struct conn *a = conn(&f, "a");
    REQUIRE(a);
    CHECK(a->last_events & 0x2000); /* EPOLLRDHUP */
    CHECK(a->state == CONN_PEER_CLOSED);
    CHECK_EQ(a->pending, 12);
    run(&f, "tick");
    CHECK_EQ(a->bytes_read, 16);
    CHECK(a->state == CONN_PEER_CLOSED);
    /* 4 B left: the short read leaves budget for the read of 0. */
    run(&f, "tick");
    CHECK_EQ(a->bytes_read, 20);
    CHECK(a->state == CONN_CLOSED);
    CHECK_EQ(a->fd, -1);
    CHECK_CONTAINS(a->close_reason, "read returned 0");
    CHECK_EQ(server_stats(engine_server(f.e))->open_conns, 0);
    /* A closed connection gets no more wakeups and stays listed. */
    run(&f, "tick 2");
    CHECK(conn(&f, "a") == a);
    fixture_close(&f);
}

void test_client_close_is_eof(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "mode et");
    run(&f, "connect a");
    run(&f, "tick");
    run(&f, "send a 5");
    run(&f, "tick");
    run(&f, "close a");
    run(&f, "tick");
    struct conn *a = conn(&f, "a");
    REQUIRE(a);
    CHECK_EQ(a->bytes_read, 5);
    CHECK(a->state == CONN_CLOSED);
    /* The FIN is news, not a re-notification, even with no new byte. */
    CHECK_EQ(a->renotify, 0);
    fixture_close(&f);
}

void test_send_after_drop_does_not_kill(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "connect a");
    run(&f, "tick");
    run(&f, "drop a");
    CHECK(conn(&f, "a")->state == CONN_CLOSED);
    /* The peer is gone: the first write draws a RST, later ones EPIPE.
     * Without MSG_NOSIGNAL this process would die of SIGPIPE here. */
    run(&f, "send a 10"); /* the kernel takes it; the peer answers with a reset */
    run_fails(&f, "send a 10", "client a: send: ");
    run_fails(&f, "send a 10", "client a cannot send: it failed earlier");
    run_fails(&f, "close a", "client a is already closed");
    struct client *c = client_find(engine_clients(f.e), "a");
    REQUIRE(c);
    CHECK(c->state == CLIENT_FAILED);
    CHECK_EQ(c->queued, 0);
    fixture_close(&f);
}

/* ---- no loss, fairness ------------------------------------------------- */

void test_client_queue_loses_no_bytes(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "budget 4096");
    run(&f, "connect a");
    run(&f, "send a 3000000"); /* far beyond both socket buffers */
    struct client *c = client_find(engine_clients(f.e), "a");
    REQUIRE(c);
    CHECK(c->queued > 0);
    struct conn *a = NULL;
    for (int i = 0; i < 20000 && (!a || a->bytes_read < 3000000); i++) {
        run(&f, "tick");
        a = conn(&f, "a");
    }
    REQUIRE(a);
    CHECK_EQ(a->bytes_read, 3000000);
    CHECK_EQ(c->sent, 3000000);
    CHECK_EQ(c->queued, 0);
    /* The pattern runs on without a gap: the last byte is pattern[2999999]. */
    static const char pattern[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    CHECK_EQ(a->tail[a->tail_len - 1], pattern[2999999 % 62]);
    fixture_close(&f);
}

void test_budget_serves_everyone_each_tick(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "budget 64");
    run(&f, "connect big");
    run(&f, "connect small");
    run(&f, "send big 50000");
    run(&f, "send small 10");
    run(&f, "tick 2");
    struct conn *big = conn(&f, "big"), *small = conn(&f, "small");
    REQUIRE(big && small);
    CHECK_EQ(small->bytes_read, 10);
    CHECK_EQ(big->bytes_read, 64);
    CHECK(big->pending > 0);
    fixture_close(&f);
}

/* A separate process floods one connection for as long as the test runs. */
void test_flooder_cannot_hold_the_loop(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    int port = server_port(engine_server(f.e));
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        struct sockaddr_in a = {.sin_family = AF_INET};
        static char junk[65536];
        a.sin_port = htons((uint16_t)port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0)
            _exit(1);
        alarm(60); /* bounded even if the parent dies */
        for (;;)
            if (write(fd, junk, sizeof junk) < 0)
                _exit(0);
    }
    run(&f, "connect small");
    struct queue_wait q = {&f, 2};
    CHECK(harness_poll(queue_reaches, &q, 5000));
    run(&f, "tick");
    CHECK_EQ(server_stats(engine_server(f.e))->open_conns, 2);
    /* Let the flood build up, then the small client speaks. */
    for (int i = 0; i < 20; i++)
        run(&f, "tick");
    run(&f, "send small 10");
    run(&f, "tick 2");
    struct conn *small = conn(&f, "small");
    REQUIRE(small);
    CHECK_EQ(small->bytes_read, 10);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    fixture_close(&f);
}

void test_port_in_use_is_an_error(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    struct server_config cfg;
    struct sbuf err = {0};
    server_config_defaults(&cfg);
    cfg.port = server_port(engine_server(f.e));
    struct server *s = server_open(&cfg, NULL, &err);
    CHECK(s == NULL);
    CHECK_CONTAINS(sbuf_str(&err), "already in use");
    server_free(s);
    sbuf_free(&err);
    cfg.address = "localhost";
    s = server_open(&cfg, NULL, &err);
    CHECK(s == NULL);
    CHECK_CONTAINS(sbuf_str(&err), "not a numeric");
    sbuf_free(&err);
    fixture_close(&f);
}

void test_title_and_narration_are_kept(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    CHECK_STR(engine_title(f.e), "");
    CHECK_STR(engine_narration(f.e), "");
    run(&f, "title \"ET starvation\"");
    run(&f, "say \"first\"");
    run(&f, "say \"second\"");
    CHECK_STR(engine_title(f.e), "ET starvation");
    /* Every say of a step is kept, a paragraph each; a new step starts empty. */
    CHECK_STR(engine_narration(f.e), "first\nsecond");
    CHECK_CONTAINS(sbuf_str(&f.log), "say: first\nsay: second\n");
    engine_step_begin(f.e);
    CHECK_STR(engine_narration(f.e), "");
    run(&f, "say \"third\"");
    CHECK_STR(engine_narration(f.e), "third");
    fixture_close(&f);
}

void test_syscalls_are_counted(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "connect a");
    run(&f, "send a 10");
    run(&f, "tick 2");
    const struct server_stats *st = server_stats(engine_server(f.e));
    /* 2 epoll_wait, 2 accept (one EAGAIN), 1 ADD, 2 reads (one EAGAIN). */
    CHECK_EQ(st->tick, 2);
    CHECK_EQ(st->accept_calls, 2);
    CHECK_EQ(st->reads, 2);
    CHECK_EQ(st->eagain_reads, 1);
    /* ... plus, at start, the listener's ADD and the spare descriptor's open. */
    CHECK_EQ(st->syscalls, 2 + 2 + 1 + 2 + 2);
    fixture_close(&f);
}

/* The twin set's epoll_ctl calls count like the server's own. */
void test_every_epoll_ctl_is_counted(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    const struct server_stats *st = server_stats(engine_server(f.e));
    CHECK_EQ(st->ctl_calls, 1); /* the listener's ADD */
    run(&f, "twin on");         /* epoll_create1 */
    run(&f, "connect a");
    run(&f, "tick");            /* 2 epoll_wait, 2 accept4, ADD to each set */
    CHECK_EQ(st->ctl_calls, 3);
    run(&f, "mode et");         /* MOD the listener, a, and a in the twin set */
    CHECK_EQ(st->ctl_calls, 6);
    run(&f, "twin off");        /* close */
    run(&f, "twin on");         /* epoll_create1, ADD a */
    CHECK_EQ(st->ctl_calls, 7);
    CHECK_EQ(st->syscalls, 2 + 1 + 6 + 3 + 1 + 2);
    fixture_close(&f);
}
