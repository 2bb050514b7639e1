/*
 * test_client.c - the scenario clients' reading side against the real
 * kernel: a client reads what its peer sends (counted, silent), stops on
 * hold so the bytes wait in its socket and the sender meets a full
 * window, and after release reads every byte; the end of the stream and a
 * reset are left as they were (a reset is the next send's to report).
 * The peer is a plain socket accepted here, so nothing of the server's
 * write path is involved.
 */
#include "harness.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "probe.h"

struct pair {
    int listener;
    int peer; /* the accepted end: what "the server" writes with */
    struct client_set *cs;
    struct client *c;
    struct sbuf log;
    struct trace trace;
};

static void collect(void *ctx, enum trace_kind kind, const char *text)
{
    (void)kind;
    sbuf_printf(ctx, "%s\n", text);
}

/* A loopback listener on port 0, a client named a connected to it, and
 * the accepted socket (non-blocking); false if any step fails. */
static bool pair_open(struct pair *p)
{
    struct sockaddr_in in = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof in;
    struct sbuf err = {0};
    memset(p, 0, sizeof *p);
    p->peer = -1;
    p->trace = (struct trace){.line = collect, .ctx = &p->log};
    p->listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (p->listener < 0 || bind(p->listener, (struct sockaddr *)&in, sizeof in) < 0 ||
        listen(p->listener, 8) < 0 || getsockname(p->listener, (struct sockaddr *)&in, &len) < 0)
        return false;
    p->cs = client_set_new((struct sockaddr *)&in, len, &p->trace);
    if (client_connect(p->cs, "a", 1, &err) < 0 || client_settle(p->cs, 2000) < 0) {
        sbuf_free(&err);
        return false;
    }
    p->c = client_find(p->cs, "a");
    p->peer = accept4(p->listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    return p->c && p->peer >= 0;
}

static void pair_close(struct pair *p)
{
    client_set_free(p->cs);
    if (p->peer >= 0)
        close(p->peer);
    if (p->listener >= 0)
        close(p->listener);
    sbuf_free(&p->log);
}

/* Writes n pattern bytes from the peer; returns what the kernel took
 * (less than n once the client's window and the peer's buffer are full). */
static size_t peer_write(struct pair *p, size_t n)
{
    char buf[4096];
    size_t done = 0;
    memset(buf, 'x', sizeof buf);
    while (done < n) {
        size_t k = n - done < sizeof buf ? n - done : sizeof buf;
        ssize_t w = send(p->peer, buf, k, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    return done;
}

/* Polls (flushing the clients) until the client has received `want`, at
 * most about two seconds. */
static bool received_reaches(struct pair *p, uint64_t want)
{
    for (int i = 0; i < 2000 && p->c->received < want; i++) {
        client_settle(p->cs, 100);
        if (p->c->received < want)
            poll(NULL, 0, 1);
    }
    return p->c->received == want;
}

void test_client_reads_what_its_peer_sends(void)
{
    struct pair p;
    REQUIRE(pair_open(&p));
    CHECK_EQ(p.c->received, 0);
    CHECK_EQ(peer_write(&p, 1000), 1000);
    CHECK(received_reaches(&p, 1000));
    CHECK_EQ(client_recvq(p.c), 0);
    /* Reads are silent: the transcript says nothing of them. */
    CHECK(!strstr(sbuf_str(&p.log), "1000"));
    pair_close(&p);
}

void test_client_hold_fills_the_window_and_release_reads_all(void)
{
    struct pair p;
    struct sbuf err = {0};
    REQUIRE(pair_open(&p));
    CHECK_EQ(client_hold(p.cs, p.c, &err), 0);
    CHECK(p.c->held);
    CHECK_CONTAINS(sbuf_str(&p.log), "client a: hold: stops reading its socket\n");
    CHECK_EQ(client_hold(p.cs, p.c, &err), -1);
    CHECK_STR(sbuf_str(&err), "client a is already held (release a reads again)");
    sbuf_reset(&err);

    /* Held, the client reads nothing: the bytes wait in its socket, until
     * its window is shut and the writer meets EAGAIN. */
    size_t total = 0, took;
    for (int i = 0; i < 200 && (took = peer_write(&p, 1 << 20)) > 0; i++) {
        total += took;
        client_settle(p.cs, 100);
    }
    CHECK(total > 0);
    CHECK_EQ(took, 0); /* a bounded amount: the writer was stopped */
    CHECK_EQ(p.c->received, 0);
    client_settle(p.cs, 100);
    uint64_t waiting = client_recvq(p.c);
    CHECK(waiting > 0);
    CHECK(waiting <= total);
    CHECK_EQ((long)waiting, p.c->unread); /* what the screen was given */
    long outq = probe_send_queue(p.peer);
    CHECK(outq > 0); /* the sender's queue holds the rest */
    /* Nothing moves while it is held: not its socket, not the sender's. */
    client_settle(p.cs, 100);
    CHECK_EQ(client_recvq(p.c), waiting);
    CHECK_EQ(probe_send_queue(p.peer), outq);
    CHECK_EQ(p.c->received, 0);

    /* Released, it reads every byte the peer wrote, and again reads what
     * comes next. */
    CHECK_EQ(client_release(p.cs, p.c, &err), 0);
    CHECK(!p.c->held);
    CHECK_CONTAINS(sbuf_str(&p.log), "client a: release: reads its socket again\n");
    CHECK(received_reaches(&p, total));
    CHECK_EQ(client_recvq(p.c), 0);
    CHECK_EQ(probe_send_queue(p.peer), 0);
    CHECK_EQ(peer_write(&p, 10), 10);
    CHECK(received_reaches(&p, total + 10));
    CHECK_EQ(client_release(p.cs, p.c, &err), -1);
    CHECK_STR(sbuf_str(&err), "client a is not held (hold a stops its reads)");
    sbuf_free(&err);
    pair_close(&p);
}

/* The peer's FIN: read as the end of the stream, after the bytes before it. */
void test_client_reads_to_the_end_of_the_stream(void)
{
    struct pair p;
    REQUIRE(pair_open(&p));
    CHECK_EQ(peer_write(&p, 100), 100);
    shutdown(p.peer, SHUT_WR);
    CHECK(received_reaches(&p, 100));
    for (int i = 0; i < 2000 && !p.c->peer_eof; i++)
        client_settle(p.cs, 100);
    CHECK(p.c->peer_eof);
    CHECK(!p.c->watched); /* LT would report the end for ever */
    struct sbuf err = {0};
    /* The client may still send: its side is open. */
    CHECK_EQ(client_send(p.cs, p.c, "hi", 2, &err), 0);
    CHECK_EQ(client_failures(p.cs), 0);
    sbuf_free(&err);
    pair_close(&p);
}

/* A reset is not read away: the client's next send reports it as it did
 * before clients read ("Connection reset by peer"). */
void test_client_leaves_a_reset_to_its_next_send(void)
{
    struct pair p;
    struct sbuf err = {0};
    REQUIRE(pair_open(&p));
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    setsockopt(p.peer, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(p.peer);
    p.peer = -1;
    for (int i = 0; i < 2000 && probe_reset(p.c->fd) != 1; i++)
        poll(NULL, 0, 1);
    client_settle(p.cs, 100); /* reads what is ready: the reset is not */
    CHECK_EQ(client_send(p.cs, p.c, "hi", 2, &err), 0);
    CHECK_EQ(client_failures(p.cs), 1);
    CHECK_CONTAINS(client_last_failure(p.cs), "client a: send: Connection reset by peer");
    CHECK_EQ(client_hold(p.cs, p.c, &err), -1);
    CHECK_STR(sbuf_str(&err), "client a cannot hold: it is failed");
    sbuf_free(&err);
    pair_close(&p);
}
