/*
 * client.c - in-process loopback TCP clients for scenarios: they connect,
 * write what a scenario says (queueing what the socket cannot take), and
 * read what the server sends them unless held (client.h).
 */
#include "client.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

struct client_set {
    struct sockaddr_storage target;
    socklen_t target_len;
    const struct trace *trace;
    unsigned failures;
    char last_failure[CLIENT_NAME_MAX + 128];
    struct client **v;
    size_t n, cap;
    struct pollfd *polls; /* the watched sockets of a flush, and their clients */
    struct client **polled;
    size_t polls_cap;
};

#define READ_CHUNK 16384
#define READ_CAP (1024 * 1024) /* one flush reads at most this from a client: a flood cannot hold it */

static const char pattern[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

struct client_set *client_set_new(const struct sockaddr *target, socklen_t len,
                                  const struct trace *trace)
{
    struct client_set *cs = xcalloc(1, sizeof *cs);
    memcpy(&cs->target, target, len);
    cs->target_len = len;
    cs->trace = trace;
    return cs;
}

void client_set_free(struct client_set *cs)
{
    if (!cs)
        return;
    for (size_t i = 0; i < cs->n; i++) {
        if (cs->v[i]->fd >= 0)
            close(cs->v[i]->fd);
        free(cs->v[i]->queue);
        free(cs->v[i]);
    }
    free(cs->v);
    free(cs->polls);
    free(cs->polled);
    free(cs);
}

int client_name_check(const char *name, struct sbuf *err)
{
    static const char *const reserved[] = {"listener", "server", "all"};
    size_t len = strlen(name);

    if (len == 0 || len > CLIENT_NAME_MAX) {
        sbuf_printf(err, "a client name has 1 to %d characters", CLIENT_NAME_MAX);
        return -1;
    }
    if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z'))) {
        if (name[0] > 0x20 && name[0] < 0x7f)
            sbuf_printf(err, "a client name starts with a letter, not '%c'", name[0]);
        else
            sbuf_printf(err, "a client name starts with a letter (a-z, A-Z)");
        return -1;
    }
    for (const char *p = name; *p; p++) {
        char ch = *p;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '-')) {
            sbuf_printf(err, "a client name has only letters, digits, '_' and '-'");
            return -1;
        }
    }
    for (size_t i = 0; i < ARRAY_LEN(reserved); i++)
        if (strcmp(name, reserved[i]) == 0) {
            sbuf_printf(err, "'%s' is reserved and cannot name a client", name);
            return -1;
        }
    return 0;
}

bool client_matches(const struct client *c, const char *name)
{
    size_t n = strlen(name);
    return strncmp(c->name, name, n) == 0 && (c->name[n] == '\0' || c->name[n] == '.');
}

struct client *client_find(const struct client_set *cs, const char *name)
{
    for (size_t i = 0; i < cs->n; i++)
        if (strcmp(cs->v[i]->name, name) == 0)
            return cs->v[i];
    return NULL;
}

static bool name_taken(const struct client_set *cs, const char *name)
{
    for (size_t i = 0; i < cs->n; i++)
        if (client_matches(cs->v[i], name))
            return true;
    return false;
}

/* Whether a flush reads c's socket when it is readable. */
static void watch(struct client *c, bool on)
{
    c->watched = on && c->fd >= 0;
}

/* Its socket is closed: nothing more to read. */
static void close_fd(struct client *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->watched = false;
}

static void fail(struct client_set *cs, struct client *c, const char *what, int e)
{
    snprintf(c->error, sizeof c->error, "%s: %s", what, strerror(e));
    c->state = CLIENT_FAILED;
    close_fd(c);
    snprintf(cs->last_failure, sizeof cs->last_failure, "client %s: %s", c->name, c->error);
    cs->failures++;
    trace_emit(cs->trace, TRACE_ERROR, "%s", cs->last_failure);
    if (c->queued) /* said, not silently dropped */
        trace_emit(cs->trace, TRACE_ERROR, "client %s: %zu queued B were never sent", c->name,
                   c->queued);
    c->queued = 0;
    c->shut_pending = c->close_pending = false;
}

unsigned client_failures(const struct client_set *cs)
{
    return cs->failures;
}

const char *client_last_failure(const struct client_set *cs)
{
    return cs->last_failure;
}

static struct client *open_one(struct client_set *cs, const char *name)
{
    struct client *c = xcalloc(1, sizeof *c);
    int one = 1, sndbuf = CLIENT_SNDBUF;

    snprintf(c->name, sizeof c->name, "%s", name);
    c->state = CLIENT_CONNECTING;
    if (cs->n == cs->cap) {
        cs->cap = cs->cap ? cs->cap * 2 : 16;
        cs->v = xrealloc(cs->v, cs->cap * sizeof *cs->v);
    }
    cs->v[cs->n++] = c;

    c->fd = socket(cs->target.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        fail(cs, c, "socket", errno);
        return c;
    }
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    /* Before connect: the window scale is fixed at SYN time. */
    setsockopt(c->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    if (connect(c->fd, (struct sockaddr *)&cs->target, cs->target_len) < 0 &&
        errno != EINPROGRESS) {
        fail(cs, c, "connect", errno);
        return c;
    }
    c->local_len = sizeof c->local;
    if (getsockname(c->fd, (struct sockaddr *)&c->local, &c->local_len) < 0)
        c->local_len = 0;
    watch(c, true);
    return c;
}

int client_connect(struct client_set *cs, const char *name, unsigned count, struct sbuf *err)
{
    if (client_name_check(name, err) < 0)
        return -1;
    if (name_taken(cs, name)) {
        sbuf_printf(err, "a client named '%s' already exists", name);
        return -1;
    }
    if (count <= 1) {
        open_one(cs, name);
    } else {
        char member[CLIENT_NAME_MAX + 8];
        for (unsigned i = 1; i <= count; i++) {
            snprintf(member, sizeof member, "%s.%u", name, i);
            open_one(cs, member);
        }
    }
    return 0;
}

/* Moves queued bytes into the socket; runs deferred shutdown/close. */
static void flush_one(struct client_set *cs, struct client *c)
{
    if (c->fd < 0 || c->state == CLIENT_CONNECTING)
        return;
    size_t off = 0;
    while (off < c->queued) {
        ssize_t n = send(c->fd, c->queue + off, c->queued - off, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            off += (size_t)n;
            c->sent += (uint64_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        fail(cs, c, "send", errno);
        return;
    }
    if (off) {
        memmove(c->queue, c->queue + off, c->queued - off);
        c->queued -= off;
    }
    if (c->queued)
        return;
    /* Deferred ends complete silently: they were reported when asked for,
     * in order, while completion depends on the kernel's timing. */
    if (c->shut_pending && c->state == CLIENT_OPEN) {
        c->shut_pending = false;
        shutdown(c->fd, SHUT_WR);
        c->state = CLIENT_SHUT;
    }
    if (c->close_pending) {
        /* FIN first, close once it is acknowledged: the server then sees
         * the end of the stream at a deterministic point. */
        if (c->state == CLIENT_OPEN) {
            shutdown(c->fd, SHUT_WR);
            c->state = CLIENT_SHUT;
        }
        if (probe_send_queue(c->fd) > 0)
            return;
        c->close_pending = false;
        close_fd(c);
        c->state = CLIENT_CLOSED;
    }
}

static void enqueue(struct client *c, const void *data, size_t len)
{
    if (c->queued + len > c->queue_cap) {
        size_t cap = c->queue_cap ? c->queue_cap : 256;
        while (cap < c->queued + len)
            cap *= 2;
        c->queue = xrealloc(c->queue, cap);
        c->queue_cap = cap;
    }
    memcpy(c->queue + c->queued, data, len);
    c->queued += len;
}

static int can_send(struct client *c, struct sbuf *err)
{
    if ((c->state == CLIENT_OPEN || c->state == CLIENT_CONNECTING) && !c->shut_pending &&
        !c->close_pending)
        return 0;
    if (c->state == CLIENT_FAILED)
        sbuf_printf(err, "client %s cannot send: it failed earlier (%s)", c->name, c->error);
    else if (c->state == CLIENT_CLOSED || c->close_pending)
        sbuf_printf(err, "client %s cannot send: it is closed", c->name);
    else
        sbuf_printf(err, "client %s cannot send: it shut down its sending side", c->name);
    return -1;
}

static void report_send(struct client_set *cs, struct client *c, size_t len, uint64_t before)
{
    if (c->state == CLIENT_FAILED)
        return; /* fail() said what happened */
    uint64_t now = c->sent - before;
    if (c->queued)
        trace_emit(cs->trace, TRACE_CLIENT, "client %s: send %zu B (%llu B in the socket, %zu B queued)",
                   c->name, len, (unsigned long long)now, c->queued);
    else
        trace_emit(cs->trace, TRACE_CLIENT, "client %s: send %zu B", c->name, len);
}

int client_send(struct client_set *cs, struct client *c, const void *data, size_t len,
                struct sbuf *err)
{
    if (can_send(c, err) < 0)
        return -1;
    uint64_t before = c->sent;
    enqueue(c, data, len);
    flush_one(cs, c);
    report_send(cs, c, len, before);
    return 0;
}

int client_send_pattern(struct client_set *cs, struct client *c, size_t n, struct sbuf *err)
{
    char chunk[4096];
    if (can_send(c, err) < 0)
        return -1;
    uint64_t before = c->sent;
    for (size_t done = 0; done < n;) {
        size_t k = n - done < sizeof chunk ? n - done : sizeof chunk;
        for (size_t i = 0; i < k; i++)
            chunk[i] = pattern[c->pattern_pos++ % (sizeof pattern - 1)];
        enqueue(c, chunk, k);
        done += k;
    }
    flush_one(cs, c);
    report_send(cs, c, n, before);
    return 0;
}

int client_shutdown(struct client_set *cs, struct client *c, struct sbuf *err)
{
    if (c->state != CLIENT_OPEN && c->state != CLIENT_CONNECTING) {
        sbuf_printf(err, "client %s is already %s", c->name,
                    c->state == CLIENT_SHUT ? "shut down" : "closed");
        return -1;
    }
    if (c->shut_pending || c->close_pending) {
        sbuf_printf(err, "client %s is already shutting down", c->name);
        return -1;
    }
    c->shut_pending = true;
    if (c->queued)
        trace_emit(cs->trace, TRACE_CLIENT, "client %s: shutdown(SHUT_WR) once its %zu queued B are sent",
                   c->name, c->queued);
    else
        trace_emit(cs->trace, TRACE_CLIENT, "client %s: shutdown(SHUT_WR)", c->name);
    flush_one(cs, c);
    return 0;
}

int client_close(struct client_set *cs, struct client *c, struct sbuf *err)
{
    if (c->state == CLIENT_CLOSED || c->state == CLIENT_FAILED || c->close_pending) {
        sbuf_printf(err, "client %s is already closed", c->name);
        return -1;
    }
    c->close_pending = true;
    if (c->queued)
        trace_emit(cs->trace, TRACE_CLIENT, "client %s: close() once its %zu queued B are sent",
                   c->name, c->queued);
    else
        trace_emit(cs->trace, TRACE_CLIENT, "client %s: close()", c->name);
    flush_one(cs, c);
    return 0;
}

/* A connecting client becomes open once the handshake finished. */
static void check_connected(struct client_set *cs, struct client *c)
{
    struct pollfd p = {.fd = c->fd, .events = POLLOUT};
    if (c->state != CLIENT_CONNECTING || poll(&p, 1, 0) <= 0)
        return;
    int e = 0;
    socklen_t len = sizeof e;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &len);
    if (e) {
        fail(cs, c, "connect", e);
        return;
    }
    c->state = CLIENT_OPEN;
    trace_emit(cs->trace, TRACE_CLIENT, "client %s: connected", c->name);
    flush_one(cs, c);
}

/* Reads what waits in c's socket (at most READ_CAP), counting it.  At
 * the end of the stream it stops watching: poll would report the EOF for
 * ever. */
static uint64_t read_one(struct client *c)
{
    char buf[READ_CHUNK];
    uint64_t got = 0;
    while (got < READ_CAP) {
        ssize_t n = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0) {
            got += (uint64_t)n;
            c->received += (uint64_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            c->peer_eof = true;
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
            watch(c, false);
        break;
    }
    return got;
}

/* Reads every watched socket with something to read; returns the bytes.
 * One poll() over them says which: no read on a socket with nothing (and
 * no epoll instance, which the strace test would take for the server's).
 * A socket with an error is left alone, unread: the error is the next
 * send's to report (a reset says "Connection reset by peer" there), as it
 * was before clients read. */
static uint64_t read_ready(struct client_set *cs)
{
    size_t n = 0;
    uint64_t got = 0;
    for (size_t i = 0; i < cs->n; i++) {
        struct client *c = cs->v[i];
        if (!c->watched || c->fd < 0)
            continue;
        if (n == cs->polls_cap) {
            cs->polls_cap = cs->polls_cap ? cs->polls_cap * 2 : 16;
            cs->polls = xrealloc(cs->polls, cs->polls_cap * sizeof *cs->polls);
            cs->polled = xrealloc(cs->polled, cs->polls_cap * sizeof *cs->polled);
        }
        cs->polls[n] = (struct pollfd){.fd = c->fd, .events = POLLIN};
        cs->polled[n++] = c;
    }
    if (n == 0 || poll(cs->polls, n, 0) <= 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (cs->polls[i].revents & POLLERR)
            watch(cs->polled[i], false);
        else if (cs->polls[i].revents & (POLLIN | POLLHUP))
            got += read_one(cs->polled[i]);
    }
    return got;
}

int client_hold(struct client_set *cs, struct client *c, struct sbuf *err)
{
    if (c->fd < 0) {
        sbuf_printf(err, "client %s cannot hold: it is %s", c->name,
                    c->state == CLIENT_FAILED ? "failed" : "closed");
        return -1;
    }
    if (c->held) {
        sbuf_printf(err, "client %s is already held (release %s reads again)", c->name, c->name);
        return -1;
    }
    c->held = true;
    watch(c, false);
    trace_emit(cs->trace, TRACE_CLIENT, "client %s: hold: stops reading its socket", c->name);
    return 0;
}

int client_release(struct client_set *cs, struct client *c, struct sbuf *err)
{
    if (!c->held) {
        sbuf_printf(err, "client %s is not held (hold %s stops its reads)", c->name, c->name);
        return -1;
    }
    c->held = false;
    if (!c->peer_eof)
        watch(c, true); /* what waits is read at the next flush */
    trace_emit(cs->trace, TRACE_CLIENT, "client %s: release: reads its socket again", c->name);
    return 0;
}

uint64_t client_recvq(const struct client *c)
{
    long n = c->fd >= 0 ? probe_pending(c->fd) : 0;
    return n > 0 ? (uint64_t)n : 0;
}

/* One round: read, connect, write; *read says what it read. */
static size_t flush_round(struct client_set *cs, uint64_t *read)
{
    size_t left = 0;
    *read = read_ready(cs);
    for (size_t i = 0; i < cs->n; i++) {
        struct client *c = cs->v[i];
        check_connected(cs, c);
        flush_one(cs, c);
        left += c->queued;
    }
    return left;
}

size_t client_flush_all(struct client_set *cs)
{
    uint64_t read;
    return flush_round(cs, &read);
}

/* Settled: connected, and nothing in flight (sent bytes acknowledged, so in
 * the server's receive queue) unless the server's window is closed or the
 * server reset the connection (nothing will move any more). */
static bool settled(struct client *c)
{
    if (c->fd < 0) {
        c->sendq = 0;
        return true;
    }
    if (c->state == CLIENT_CONNECTING)
        return false;
    c->unread = c->held ? probe_pending(c->fd) : 0; /* the screen never asks the kernel */
    long outq = probe_send_queue(c->fd), unsent = probe_send_unsent(c->fd);
    c->sendq = outq > 0 ? outq : 0; /* kept for the screen, which never asks the kernel */
    if (outq < 0 || unsent < 0)
        return true;
    if (unsent == 0 && outq == 0 && c->queued == 0 && !c->shut_pending && !c->close_pending)
        return true;
    if (probe_reset(c->fd) == 1) /* the usual case first: one syscall fewer */
        return true;
    if (outq - unsent > 0)
        return false;
    uint32_t wnd = 1;
    return probe_peer_window(c->fd, &wnd) == 0 && wnd == 0;
}

static long elapsed_ms(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

int client_settle(struct client_set *cs, int timeout_ms)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        uint64_t read;
        flush_round(cs, &read);
        bool all = read == 0; /* until what the server sent has been read */
        for (size_t i = 0; i < cs->n && all; i++)
            all = settled(cs->v[i]);
        if (all)
            return 0;
        if (elapsed_ms(&t0) > timeout_ms)
            return -1;
        /* Loopback normally settles within microseconds; poll gently. */
        struct timespec nap = {0, 100 * 1000};
        nanosleep(&nap, NULL);
    }
}

size_t client_count(const struct client_set *cs)
{
    return cs->n;
}

struct client *client_at(const struct client_set *cs, size_t i)
{
    return i < cs->n ? cs->v[i] : NULL;
}

struct client *client_claim(struct client_set *cs, const struct sockaddr *peer, socklen_t len)
{
    for (size_t i = 0; i < cs->n; i++) {
        struct client *c = cs->v[i];
        if (!c->claimed && c->local_len == len && memcmp(&c->local, peer, len) == 0) {
            c->claimed = true;
            return c;
        }
    }
    return NULL;
}
