/*
 * test_server_write.c - the taught server's write side (reply echo)
 * against real loopback sockets: what comes back, the application
 * buffer's bound and backpressure, and the EPOLLOUT rules the lessons
 * teach, each asserted against the kernel: LT reports an idle registered
 * EPOLLOUT on every wait; ET reports EPOLLOUT again once the send buffer
 * drains after an EAGAIN; a send loop stopped before EAGAIN gets no edge
 * until the client sends (write starvation).
 */
#include "harness.h"

#include <netinet/in.h>
#include <sys/epoll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fixture.h"
#include "probe.h"
#include "server.h"

/* A server whose accepted sockets have a small fixed send buffer. */
static bool open_small(struct fixture *f)
{
    struct server_config cfg;
    server_config_defaults(&cfg);
    cfg.port = 0;
    cfg.sndbuf = 8192;
    return fixture_open(f, &cfg);
}

static struct server *srv(struct fixture *f) { return engine_server(f->e); }

/* The one connection of the server, or NULL. */
static struct conn *only(struct fixture *f)
{
    return server_conn_count(srv(f)) ? server_conn_at(srv(f), 0) : NULL;
}

struct ticked {
    struct fixture *f;
    int fd;           /* the outside client; -1: none */
    size_t want;      /* bytes the client must have read */
    size_t got;
    unsigned char *into; /* where they go, or NULL */
};

/* Ticks the server and reads what the client can: true once it has `want`. */
static bool client_has(void *arg)
{
    struct ticked *t = arg;
    unsigned char buf[65536];
    ssize_t n;
    engine_tick(t->f->e, 1);
    while ((n = recv(t->fd, buf, sizeof buf, MSG_DONTWAIT)) > 0) {
        if (t->into)
            memcpy(t->into + t->got, buf, (size_t)n);
        t->got += (size_t)n;
    }
    return t->got >= t->want;
}

static bool accepted(void *arg)
{
    struct fixture *f = arg;
    engine_tick(f->e, 1);
    return only(f) != NULL;
}

/* An outside client, accepted: its fd (or -1).  Its receive buffer is
 * small, so a client that does not read fills it soon. */
static int dial_accepted(struct fixture *f)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_port = htons(server_port(srv(f)));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), small = 4096;
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    if (fd >= 0 && !harness_poll(accepted, f, 5000)) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Ticks until the server has read `n` bytes of its connection. */
struct read_wait {
    struct fixture *f;
    uint64_t n;
};
static bool server_read(void *arg)
{
    struct read_wait *w = arg;
    engine_tick(w->f->e, 1);
    return only(w->f) && only(w->f)->bytes_read >= w->n;
}

void test_server_echo_writes_back_what_it_read(void)
{
    struct fixture f;
    REQUIRE(open_small(&f));
    run(&f, "reply echo");
    int fd = dial_accepted(&f);
    REQUIRE(fd >= 0);
    CHECK_EQ(write(fd, "ping\n\0\x1b", 7), 7);
    unsigned char back[16] = {0};
    struct ticked t = {&f, fd, 7, 0, back};
    CHECK(harness_poll(client_has, &t, 5000));
    CHECK_EQ(t.got, 7);
    CHECK(memcmp(back, "ping\n\0\x1b", 7) == 0);
    struct conn *c = only(&f);
    REQUIRE(c);
    CHECK_EQ(c->bytes_written, 7);
    CHECK_EQ(c->writes, 1);
    CHECK_EQ(c->eagain_writes, 0);
    CHECK_EQ(c->out_wakeups, 0); /* all of it went at once: EPOLLOUT never needed */
    CHECK(!(c->registered & EPOLLOUT));
    CHECK_CONTAINS(sbuf_str(&f.log), ": send(7) = 7");
    /* reply none (the default): nothing is written back */
    run(&f, "reply none");
    CHECK_EQ(write(fd, "more", 4), 4);
    struct read_wait w = {&f, 11};
    CHECK(harness_poll(server_read, &w, 5000));
    CHECK_EQ(c->bytes_written, 7);
    CHECK_EQ(recv(fd, back, sizeof back, MSG_DONTWAIT), -1);
    close(fd);
    fixture_close(&f);
}

/* The replies to a FIN'd request are written before the server closes. */
void test_server_echo_writes_before_closing_at_eof(void)
{
    struct fixture f;
    REQUIRE(open_small(&f));
    run(&f, "reply echo");
    int fd = dial_accepted(&f);
    REQUIRE(fd >= 0);
    CHECK_EQ(write(fd, "bye\n", 4), 4);
    CHECK_EQ(shutdown(fd, SHUT_WR), 0);
    unsigned char back[8] = {0};
    struct ticked t = {&f, fd, 4, 0, back};
    CHECK(harness_poll(client_has, &t, 5000));
    CHECK(memcmp(back, "bye\n", 4) == 0);
    struct conn *c = only(&f);
    REQUIRE(c);
    /* closed once written (a tick later at most) */
    for (int i = 0; i < 3 && c->state != CONN_CLOSED; i++)
        run(&f, "tick");
    CHECK(c->state == CONN_CLOSED);
    CHECK(!log_count(&f, "never written"));
    close(fd);
    fixture_close(&f);
}

struct flood {
    struct fixture *f;
    int fd;
    uint64_t sent;
    unsigned char *data;
    size_t len;
};

/* The client writes what its socket takes and the server ticks; true
 * once the server has stopped reading the connection. */
static bool paused(void *arg)
{
    struct flood *fl = arg;
    while (fl->sent < fl->len) {
        ssize_t n = send(fl->fd, fl->data + fl->sent, fl->len - fl->sent, MSG_DONTWAIT);
        if (n <= 0)
            break;
        fl->sent += (uint64_t)n;
    }
    engine_tick(fl->f->e, 1);
    struct conn *c = only(fl->f);
    return c && c->reading_paused;
}

/* The held client reads while it sends the rest of fl: ticks until all
 * fl->len bytes came back into `into` (or NULL), or none came for a
 * generous bound; how many came. */
static size_t read_back(struct flood *fl, unsigned char *into)
{
    struct ticked t = {fl->f, fl->fd, 0, 0, into};
    while (t.got < fl->len) {
        paused(fl); /* sends what the socket takes; the server reads again */
        t.want = t.got + 1;
        if (!harness_poll(client_has, &t, 5000))
            break;
    }
    return t.got;
}

/* Opens f in `mode` with echo and a 64 KiB reply buffer, and an outside
 * client that sends `len` bytes without reading until the server stops
 * reading it: its connection (NULL if that never happens).  The caller
 * frees fl->data and closes fl->fd. */
static struct conn *open_held_back(struct fixture *f, const char *mode, struct flood *fl, size_t len)
{
    memset(fl, 0, sizeof *fl);
    fl->f = f;
    fl->fd = -1;
    fl->len = len;
    fl->data = xmalloc(len);
    for (size_t i = 0; i < len; i++)
        fl->data[i] = (unsigned char)(i * 7 + i / 251);
    if (!open_small(f))
        return NULL;
    run(f, mode);
    run(f, "reply echo");
    run(f, "reply-buffer 65536");
    fl->fd = dial_accepted(f);
    if (fl->fd < 0 || !harness_poll(paused, fl, 10000))
        return NULL;
    return only(f);
}

/* A client that never reads: the server's send queue fills, send returns
 * EAGAIN, the application buffer grows to its bound and no further, the
 * server stops reading (EPOLLIN off), and once the client reads, every
 * byte comes back in order. */
void test_server_echo_backpressure_bounds_the_buffer(void)
{
    struct fixture f;
    struct flood fl;
    size_t len = 1024 * 1024;
    struct conn *c = open_held_back(&f, "mode lt", &fl, len);
    unsigned char *data = fl.data, *back = xmalloc(len);
    int fd = fl.fd;
    REQUIRE(c);
    CHECK(appbuf_len(&c->out) <= 65536);
    CHECK(c->out.cap <= 65536);
    CHECK(c->eagain_writes > 0);
    CHECK(!(c->registered & EPOLLIN));
    CHECK(c->registered & EPOLLOUT);
    CHECK_CONTAINS(sbuf_str(&f.log), "(backpressure)");
    /* Held back, more ticks change nothing: no read, no spin. */
    uint64_t reads = c->reads, wakeups = c->wakeups;
    run(&f, "tick 5");
    CHECK_EQ(c->reads, reads);
    CHECK_EQ(c->wakeups, wakeups);
    CHECK(c->notify.starved == STARVE_NONE);
    CHECK(c->out.peak <= 65536);
    /* The client reads: everything flows again, nothing lost. */
    CHECK_EQ(read_back(&fl, back), len);
    CHECK(memcmp(back, data, len) == 0);
    CHECK_EQ(c->bytes_written, len);
    CHECK(c->pauses >= 1);
    CHECK_CONTAINS(sbuf_str(&f.log), "reading resumes");
    free(data);
    free(back);
    close(fd);
    fixture_close(&f);
}

/* LT with EPOLLOUT registered and nothing to write: every epoll_wait
 * returns the connection (the busy loop); registered only when needed,
 * never. */
void test_server_lt_out_always_wakes_with_nothing_to_write(void)
{
    for (int always = 0; always < 2; always++) {
        struct fixture f;
        REQUIRE(open_small(&f));
        run(&f, "reply echo");
        run(&f, always ? "out always" : "out needed");
        int fd = dial_accepted(&f);
        REQUIRE(fd >= 0);
        struct conn *c = only(&f);
        REQUIRE(c);
        uint64_t before = c->idle_out;
        run(&f, "tick 5");
        CHECK_EQ(c->idle_out - before, always ? 5 : 0);
        CHECK_EQ(c->out_wakeups, always ? c->idle_out : 0);
        CHECK_EQ(c->reads, 0); /* an EPOLLOUT wakeup reads nothing */
        CHECK_EQ(c->renotify, 0);
        close(fd);
        fixture_close(&f);
    }
}

struct out_wait {
    struct ticked t;
    const struct conn *c;
    uint64_t outs;
};

/* The client reads what it can and the server ticks; true once epoll
 * reported EPOLLOUT again. */
static bool out_reported(void *arg)
{
    struct out_wait *w = arg;
    client_has(&w->t);
    return w->c->out_wakeups > w->outs;
}

/* Under ET, a send loop that reached EAGAIN hears EPOLLOUT once the
 * client drains its side and the send queue empties. */
void test_server_et_epollout_edge_when_send_buffer_drains(void)
{
    struct fixture f;
    struct flood fl;
    struct conn *c = open_held_back(&f, "mode et", &fl, 1024 * 1024);
    unsigned char *data = fl.data;
    int fd = fl.fd;
    REQUIRE(c);
    CHECK(c->wblocked);
    /* Nothing changes while the client reads nothing: no event. */
    uint64_t outs = c->out_wakeups;
    run(&f, "tick 3");
    CHECK_EQ(c->out_wakeups, outs);
    CHECK(c->wnotify.starved == STARVE_NONE); /* EAGAIN: an edge will come */
    /* The client reads what it has: room frees, EPOLLOUT comes. */
    struct out_wait ow = {{&f, fd, SIZE_MAX, 0, NULL}, c, outs};
    CHECK(harness_poll(out_reported, &ow, 5000));
    CHECK(c->last_events & EPOLLOUT);
    free(data);
    close(fd);
    fixture_close(&f);
}

/* Under ET with EPOLLOUT registered, a send loop stopped by its budget
 * (before EAGAIN) with bytes left hears nothing: the ACKs that free the
 * send buffer make no edge.  New bytes from the client do (EPOLLIN, with
 * EPOLLOUT in the same event). */
/* An ET echo server that registers EPOLLOUT once (out always) and writes
 * at most 16 B a wakeup, with `knob` run first (NULL: none), and an
 * outside client accepted, whose fd goes to *fd: its connection once the
 * ADD's event (writable, nothing to write) is handled, or NULL. */
static struct conn *open_et_wbudget(struct fixture *f, const char *knob, int *fd)
{
    *fd = -1;
    if (!open_small(f))
        return NULL;
    if (knob)
        run(f, knob);
    run(f, "mode et");
    run(f, "reply echo");
    run(f, "out always");
    run(f, "wbudget 16");
    *fd = dial_accepted(f);
    if (*fd < 0)
        return NULL;
    run(f, "tick");
    return only(f);
}

void test_server_et_write_starvation(void)
{
    struct fixture f;
    int fd;
    struct conn *c = open_et_wbudget(&f, NULL, &fd);
    REQUIRE(c);
    unsigned char msg[64];
    memset(msg, 'w', sizeof msg);
    CHECK_EQ(write(fd, msg, sizeof msg), 64);
    struct read_wait w = {&f, 64};
    CHECK(harness_poll(server_read, &w, 5000));
    CHECK_EQ(c->bytes_written, 16);
    CHECK_EQ(appbuf_len(&c->out), 48);
    CHECK(c->wnotify.starved == STARVE_EDGE);
    CHECK_CONTAINS(sbuf_str(&f.log), "WRITE-STARVED since tick");
    /* The client has the 16 B; ACKs came back; still no event. */
    unsigned char back[64];
    struct ticked t = {&f, fd, 16, 0, back};
    CHECK(harness_poll(client_has, &t, 5000));
    uint64_t wakeups = c->wakeups;
    run(&f, "tick 5");
    CHECK_EQ(c->wakeups, wakeups);
    CHECK_EQ(c->bytes_written, 16);
    CHECK(c->wnotify.starved == STARVE_EDGE);
    /* One byte from the client: IN|OUT, 16 more written. */
    CHECK_EQ(write(fd, "x", 1), 1);
    w.n = 65;
    CHECK(harness_poll(server_read, &w, 5000));
    CHECK(c->last_events & EPOLLOUT);
    CHECK_EQ(c->bytes_written, 32);
    CHECK_CONTAINS(sbuf_str(&f.log), "no longer write-starved");
    /* The fix: write until EAGAIN or nothing is left. */
    run(&f, "wbudget drain");
    CHECK_EQ(write(fd, "y", 1), 1);
    w.n = 66;
    CHECK(harness_poll(server_read, &w, 5000));
    CHECK_EQ(appbuf_len(&c->out), 0);
    CHECK(c->wnotify.starved == STARVE_NONE);
    close(fd);
    fixture_close(&f);
}

/* A client that resets while replies wait: send fails (ECONNRESET or
 * EPIPE, no SIGPIPE, which would end this process), the connection is
 * closed and the error counted; the server serves the next client. */
void test_server_echo_reset_peer_gets_no_sigpipe(void)
{
    struct fixture f;
    struct flood fl;
    struct conn *c = open_held_back(&f, "mode lt", &fl, 1024 * 1024);
    unsigned char *data = fl.data;
    int fd = fl.fd;
    REQUIRE(c);
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(fd);
    for (int i = 0; i < 20 && c->state != CONN_CLOSED; i++)
        run(&f, "tick");
    CHECK(c->state == CONN_CLOSED);
    CHECK_EQ(c->write_errors, 1);
    CHECK_CONTAINS(sbuf_str(&f.log), "of replies were never written and are discarded");
    /* and the next client is served */
    int next = dial(f.e);
    REQUIRE(next >= 0);
    CHECK_EQ(write(next, "hi", 2), 2);
    unsigned char back[4] = {0};
    struct ticked t = {&f, next, 2, 0, back};
    CHECK(harness_poll(client_has, &t, 5000));
    CHECK(memcmp(back, "hi", 2) == 0);
    close(next);
    free(data);
    fixture_close(&f);
}

/* The expect properties of the write side read the same counters. */
void test_server_write_expect_properties(void)
{
    struct fixture f;
    REQUIRE(open_small(&f));
    run(&f, "reply echo");
    run(&f, "connect a");
    run(&f, "send a \"hello\"");
    run(&f, "tick 2");
    expect_is(&f, "expect a writes = 1", PASSED);
    expect_is(&f, "expect a written = 5", PASSED);
    expect_is(&f, "expect a wagain = 0", PASSED);
    expect_is(&f, "expect a unsent = 0", PASSED);
    expect_is(&f, "expect a outq = 0", PASSED);
    expect_is(&f, "expect a outwakeups = 0", PASSED);
    expect_is(&f, "expect a not wstarved", PASSED);
    expect_is(&f, "expect a not paused", PASSED);
    expect_is(&f, "expect server writes = 1", PASSED);
    /* out always under LT: one wakeup per tick, nothing to write */
    run(&f, "out always");
    run(&f, "tick 5");
    expect_is(&f, "expect a idleout = 5", PASSED);
    expect_is(&f, "expect a outwakeups = 5", PASSED);
    expect_is(&f, "expect server idleout = 5", PASSED);
    run(&f, "out needed");
    run(&f, "tick 5");
    expect_is(&f, "expect a idleout = 5", PASSED);
    /* ET, a write budget: 16 B of 64 sent, the rest starves */
    run(&f, "mode et");
    run(&f, "out always");
    run(&f, "wbudget 16");
    run(&f, "tick");
    run(&f, "send a 64");
    run(&f, "tick");
    expect_is(&f, "expect a unsent = 48", PASSED);
    expect_is(&f, "expect a wstarved", PASSED);
    fixture_close(&f);
}

/* The server's resident memory, in KiB (VmRSS). */
static long rss_kib(void)
{
    char line[128];
    long kib = -1;
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld", &kib) == 1)
            break;
    if (f)
        fclose(f);
    return kib;
}

/* A held client sending 10 MiB with the default bound of 1 MiB: the
 * process grows by the bound plus at most 10%, and after the client
 * reads, every byte has come back.  (Not under ASan, whose quarantine
 * keeps freed memory resident.) */
void test_server_echo_memory_stays_within_the_bound(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "reply echo");
    int fd = dial_accepted(&f);
    REQUIRE(fd >= 0);
    size_t len = 10 * 1024 * 1024;
    unsigned char *data = xmalloc(len);
    memset(data, 'm', len); /* resident before the baseline */
    long before = rss_kib();
    struct flood fl = {&f, fd, 0, data, len};
    CHECK(harness_poll(paused, &fl, 20000));
    run(&f, "tick 5");
    long grew = rss_kib() - before;
    struct conn *c = only(&f);
    REQUIRE(c);
    CHECK_EQ(appbuf_len(&c->out), REPLY_BUFFER_DEFAULT);
#if !defined(__SANITIZE_ADDRESS__)
    if (grew > (long)(REPLY_BUFFER_DEFAULT / 1024) * 11 / 10)
        harness_fail(__FILE__, __LINE__, "the server grew by %ld KiB for a bound of %d KiB", grew,
                     REPLY_BUFFER_DEFAULT / 1024);
#else
    (void)grew;
#endif
    /* The client reads; what it sent comes back, all of it. */
    CHECK_EQ(read_back(&fl, NULL), len);
    CHECK_EQ(c->bytes_written, len);
    free(data);
    close(fd);
    fixture_close(&f);
}

/* As the terminal UI's clock ticks (no sample between an arrival and the
 * tick): bytes that arrive after the epoll_wait make a new edge even when
 * the same wakeup's reads take them (the window those reads reopen lets
 * the client send the rest of its 12,000 B), so ET reports EPOLLOUT at the
 * next wait, and the send stopped by its budget is not write-starved. */
void test_server_et_arrival_read_in_its_wakeup_is_an_edge(void)
{
    struct fixture f;
    int fd;
    struct conn *c = open_et_wbudget(&f, "rcvbuf 4096", &fd);
    REQUIRE(c);
    size_t sent = 12000;
    REQUIRE(client_sends(fd, c->fd, sent, 1));
    long waited = probe_pending(c->fd);
    engine_tick_live(f.e, 0);
    CHECK_EQ(c->bytes_read, sent); /* more than waited at the wakeup */
    CHECK(waited < (long)sent);
    CHECK_EQ(c->bytes_written, 16);
    CHECK(c->wnotify.starved == STARVE_NONE);
    CHECK(!c->wnotify.event_due);
    /* The kernel agrees: EPOLLOUT, with nothing new to read. */
    uint64_t outs = c->out_wakeups;
    engine_tick_live(f.e, 0);
    CHECK_EQ(c->out_wakeups, outs + 1);
    CHECK_EQ(c->bytes_read, sent);
    close(fd);
    fixture_close(&f);
}

/* An EPOLLOUT wakeup spends the edge that earlier arrivals made: nothing
 * was readable when it came (EPOLLIN asked for, not reported), so bytes
 * read before it are no news, and a send it stops by its budget hears
 * nothing more: write-starved, as the silent ticks after it show. */
void test_server_et_out_wakeup_spends_the_edge(void)
{
    struct fixture f;
    int fd;
    struct conn *c = open_et_wbudget(&f, "rcvbuf 4096", &fd);
    REQUIRE(c);
    size_t sent = 12000;
    REQUIRE(client_sends(fd, c->fd, sent, 1));
    run(&f, "tick");
    CHECK_EQ(c->bytes_read, sent); /* the window its reads reopened let the rest come */
    CHECK(c->wnotify.starved == STARVE_NONE); /* which queued it again: an event is due */
    uint64_t outs = c->out_wakeups;
    run(&f, "tick");
    CHECK_EQ(c->out_wakeups, outs + 1);
    CHECK(!(c->last_events & EPOLLIN));
    CHECK_EQ(c->bytes_written, 32);
    CHECK(c->wnotify.starved == STARVE_EDGE);
    uint64_t wakeups = c->wakeups;
    run(&f, "tick 3");
    CHECK_EQ(c->wakeups, wakeups);
    CHECK(c->wnotify.starved == STARVE_EDGE);
    close(fd);
    fixture_close(&f);
}
