/*
 * server.c - the taught epoll server.
 *
 * Every epoll_create1/epoll_ctl/epoll_wait of the subject lives in this
 * file, next to the counter that puts it on screen.  Sockets are
 * non-blocking; a handler reads at most `budget` bytes per wakeup (or until
 * EAGAIN), which is what makes edge-triggered starvation happen on purpose.
 * Starvation is predicted by the rule in notify.c from what this file
 * records per socket: whether the last handling stopped before EAGAIN,
 * what had arrived when it began, and ADD/MOD calls that queue an event.
 *
 * The file, in order:
 *   the tick        server_tick: one epoll_wait (and the twin set's), the
 *                   connections' events, then the listener's, then a
 *                   kernel sample and the timelines
 *   syscalls        one counted wrapper for each call the server makes
 *                   while it serves: epoll_ctl, epoll_wait, read, accept4 ...
 *   open and close  server_open/free, close_conn, pruning closed records
 *   accepting       the listener's wakeup, the connection limits, EMFILE
 *   reading         one read loop for both readers (the server's, the twin)
 *   writing         reply echo: the application buffer, send until EAGAIN or
 *                   the write budget, EPOLLOUT as `out` says, backpressure
 *   wakeups         a connection's wakeup, the twin reader's, drain
 *   knobs           mode (EPOLL_CTL_MOD on every fd), re-arming, budget ...
 *   sampling        FIONREAD/TCP_INFO after each tick where no read told,
 *                   starvation changes
 *   accessors
 *
 * What `syscalls` counts: every call the server makes on its own fds once
 * it listens (the listener's ADD and the spare descriptor's open included):
 * epoll_wait, epoll_ctl, epoll_create1 (twin), read, accept4, close, open
 * (the spare), send (a refusal notice, an echo), setsockopt (rcvbuf,
 * TCP_NODELAY for an echo) and getsockopt (is a connection's peer gone, at
 * a limit).  Not counted: what the instrument asks the kernel for the
 * screen (FIONREAD, TCP_INFO, SIOCOUTQ, SO_RCVBUF/SO_SNDBUF reads, its own
 * epoll set of watch.h), and server_free's closes after the lesson.
 * tests/e2e/strace.sh holds every lesson to this against strace.
 */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "call.h"
#include "census.h"
#include "fdinfo.h"
#include "probe.h"
#include "watch.h"

/* How the transcript names an EPOLL_CTL_MOD, in two pieces so that a search
 * for the call's name and parenthesis finds the one call, in ctl(). */
#define CTL_MOD_TEXT "epoll_ctl" "(MOD)"

#define EVENTS_MIN 256 /* epoll_wait's room grows past this with the connections */
#define READ_BUF (64 * 1024)
#define EVENTS_LISTED 8 /* names shown on one tick line before "+N more" */
#define BLOCKING_TEXT                                                                        \
    "both readers read the fd as the seed's blocking one (File().Fd()): a read with nothing " \
    "to return sleeps inside read(), derived from FIONREAD = 0"


struct server {
    struct server_config cfg;
    const struct trace *trace;
    label_fn labeller;
    void *label_ctx;

    int epfd;
    int reserve_fd; /* spare descriptor released to refuse a connection at EMFILE */
    int family;
    char address[64];
    struct sockaddr_storage bound; /* the listener's address, as getsockname says */
    socklen_t bound_len;
    uint16_t port;

    struct knobs knobs; /* as they are now; knobs.twin says twin_epfd >= 0 */
    int twin_epfd; /* -1 unless twin on */
    uint64_t tick_bytes; /* read so far in this tick, for `waited` */
    size_t tick_ready; /* fds this tick's epoll_wait calls reported, for drain_cap_now */
    uint64_t twin_races; /* ticks in which both epoll sets reported something */
    /* twin blocking: the connection each reader (enum reader) sleeps in
     * read() on, or NULL, and what that read asked for. */
    struct conn *asleep[2];
    size_t asleep_want[2];
    bool blocking_reads; /* this read loop reads the seed's blocking fd */

    struct listener_info listener;
    struct conn **conns;
    size_t nconns, cap;
    size_t unchecked; /* conns[unchecked..] were accepted this tick, not yet looked at */
    size_t closed_outside; /* closed records of outside clients, for prune_closed */
    /* The sockets sampled and drawn on the timeline each tick (see
     * "sampling"): those something happened to, and those with something
     * waiting; every other open socket is quiet and costs nothing. */
    struct conn **followed;
    size_t nfollowed, followed_cap;
    bool followed_sorted; /* in id order, as the transcript's lines are */
    bool in_tick;
    struct watch *watch; /* NULL if the kernel refused: then every socket is followed */
    uint64_t looks;      /* look_at_arrivals calls: which look named a socket */
    struct census census; /* kept as it goes: see count_followed */
    unsigned next_id;
    struct server_stats stats;

    /* maxevents of both sets: every registered fd fits, so one epoll_wait
     * sees every ready fd (see fit_events). */
    struct epoll_event *events, *twin_events;
    size_t events_cap;
    struct sbuf line; /* the transcript line being made, kept between reads */
    /* The interest list as the kernel holds it (/proc/self/fdinfo/EPFD),
     * re-read at the next sample after anything may have changed it: an
     * epoll_ctl, a close, a one-shot fd that fired. */
    struct fdinfo interest;
    bool interest_dirty;
    unsigned char buf[READ_BUF];
};

void server_config_defaults(struct server_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->address = "127.0.0.1";
    cfg->port = 8080;
    knobs_defaults(&cfg->knobs);
    cfg->max_conns = 4096;
    cfg->max_per_peer = 0;
    cfg->data_preview = DATA_PREVIEW;
    cfg->closed_keep = 256;
    cfg->drain_cap = DRAIN_CAP;
}

/* What the tick calls, defined further down in the order of the map. */
static int wait_events(struct server *s, int epfd, struct epoll_event *ev, int timeout_ms);
static void resume_accepting(struct server *s);
static void handle_listener(struct server *s, uint32_t ev);
static void handle_conn(struct server *s, struct conn *c, uint32_t ev);
static bool write_some(struct server *s, struct conn *c, bool out_event);
static void update_interest(struct server *s, struct conn *c);
static void handle_twin(struct server *s, struct conn *c, uint32_t ev);
static void prune_closed(struct server *s);
static uint64_t received_total(const struct conn *c);
static void ask_pending(struct conn *c);
static void look_at_arrivals(struct server *s);
static void wake_sleepers(struct server *s);
static bool reader_asleep(struct server *s, int r);
static void follow(struct server *s, struct conn *c);
static void unfollow_quiet(struct server *s);

/* ---- the tick ---------------------------------------------------------- */

/* maxevents is the registered fds (the listener and every open connection)
 * or more: with fewer, the kernel hands out ready fds round-robin over
 * several calls (epoll_wait(2)), and a reset connection would keep its slot
 * under --max-conns until its turn came. */
static void fit_events(struct server *s)
{
    size_t want = s->stats.open_conns + 1;
    if (want <= s->events_cap)
        return;
    size_t cap = s->events_cap ? s->events_cap : EVENTS_MIN;
    while (cap < want)
        cap *= 2;
    s->events = xrealloc(s->events, cap * sizeof *s->events);
    s->twin_events = xrealloc(s->twin_events, cap * sizeof *s->twin_events);
    s->events_cap = cap;
}

/* The epoll_wait just made (n < 0: errno says why), as a record. */
static void trace_wait(struct server *s, int timeout_ms, int n)
{
    struct call_ready ready[EVENTS_LISTED];
    if (!trace_wants(s->trace, TRACE_TICK))
        return;
    struct call c = {.kind = CALL_WAIT, .tick = s->stats.tick, .epfd = s->epfd,
                     .maxevents = (int)s->events_cap, .timeout = timeout_ms, .ret = n,
                     .err = n < 0 ? errno : 0, .ready = ready};
    for (int i = 0; i < n && i < EVENTS_LISTED; i++) {
        void *p = s->events[i].data.ptr;
        bool l = p == &s->listener;
        ready[i] = (struct call_ready){l ? "listener" : ((struct conn *)p)->label,
                                       l ? s->listener.fd : ((struct conn *)p)->fd,
                                       s->events[i].events};
        c.nready = i + 1;
    }
    trace_call(s->trace, TRACE_TICK, &c, &s->line);
}

/* A line about connection c that is not a call (budget spent, a short
 * read, a re-notification), as a record: the pane follows c by it. */
static void trace_note(struct server *s, const struct conn *c, const char *who, const char *fmt,
                       ...) __attribute__((format(printf, 4, 5)));
static void trace_note(struct server *s, const struct conn *c, const char *who, const char *fmt,
                       ...)
{
    char text[160];
    va_list ap;
    if (!trace_wants(s->trace, TRACE_IO))
        return;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    struct call rec = {.kind = CALL_NOTE, .conn = c->id, .label = c->label, .who = who,
                       .fd = c->fd, .note = text};
    trace_call(s->trace, TRACE_IO, &rec, &s->line);
}

/* accept4 on the listener: ret the new fd (c its connection) or -1 with err. */
static void trace_accept(struct server *s, const struct conn *c, int ret, int err,
                         const char *note)
{
    struct call rec = {.kind = CALL_ACCEPT, .conn = c ? c->id : 0,
                       .label = c ? c->label : "listener", .fd = s->listener.fd, .ret = ret,
                       .err = err, .note = note};
    trace_call(s->trace, ret < 0 && err != EAGAIN ? TRACE_ERROR : TRACE_IO, &rec, &s->line);
}

static void handle_twin_events(struct server *s, int n)
{
    for (int i = 0; i < n; i++) {
        struct conn *c = s->twin_events[i].data.ptr;
        if (c->fd >= 0 && !s->asleep[1]) {
            c->twin_this_tick = true;
            handle_twin(s, c, s->twin_events[i].events);
        }
    }
}

/* The write side's marks for this tick: replies waiting (left at its
 * end, or found by its EPOLLOUT), EPOLLOUT reported, write-starved. */
static void record_write_timeline(struct server *s, struct conn *c)
{
    bool waiting = appbuf_len(&c->out) > 0;
    uint8_t m = 0;
    if (waiting || (c->out_this_tick && !c->idle_out_last))
        m |= WMARK_WAITING;
    if (c->out_this_tick)
        m |= WMARK_OUT;
    if (c->wnotify.starved != STARVE_NONE)
        m |= WMARK_STARVED;
    wtimeline_set(&c->wtimeline, s->stats.tick, m);
    c->wtimeline.steady = c->fd < 0 ? 0
                                     : (uint8_t)((waiting ? WMARK_WAITING : 0) |
                                                 (c->wnotify.starved ? WMARK_STARVED : 0));
}

static void record_timeline(struct server *s, struct conn *c)
{
    bool woken = c->handled_this_tick;
    uint8_t m = 0;
    uint64_t received = received_total(c);
    if (received > c->received_at_tick)
        m |= MARK_ARRIVED;
    /* Level: bytes waited, or the end of stream did (a closed peer's fd
     * stays readable until it is closed: what LT keeps reporting). */
    if (received > c->read_at_tick_start || (woken && c->fd < 0) ||
        (woken && c->state == CONN_PEER_CLOSED))
        m |= MARK_LEVEL;
    if (woken)
        m |= MARK_WOKEN;
    if (c->twin_this_tick)
        m |= MARK_WOKEN_SECOND;
    if (woken && !c->notify.stopped_early && c->fd >= 0)
        m |= MARK_EAGAIN;
    if (c->notify.starved != STARVE_NONE)
        m |= MARK_STARVED;
    if (c->fd < 0)
        m |= MARK_CLOSED;
    c->received_at_tick = received;
    timeline_set(&c->timeline, s->stats.tick, m);
    /* Until it is followed again nothing happens to it: what a tick with
     * no event and no arrival draws (bytes waiting keep the level high,
     * starvation lasts). */
    c->timeline.steady = c->fd < 0 ? 0
                                    : (uint8_t)(MARK_VALID | (c->pending > 0 ? MARK_LEVEL : 0) |
                                                (c->notify.starved ? MARK_STARVED : 0));
    record_write_timeline(s, c);
}

static void record_listener_timeline(struct server *s, bool woken)
{
    struct listener_info *l = &s->listener;
    uint8_t m = 0;
    if (l->queued > l->queued_at_tick)
        m |= MARK_ARRIVED;
    if (l->queued > 0 || woken)
        m |= MARK_LEVEL;
    if (woken)
        m |= MARK_WOKEN;
    if (woken && !l->notify.stopped_early)
        m |= MARK_EAGAIN;
    if (l->notify.starved)
        m |= MARK_STARVED;
    l->queued_at_tick = l->queued;
    timeline_set(&l->timeline, s->stats.tick, m);
}

int server_tick(struct server *s, int timeout_ms)
{
    struct listener_info *l = &s->listener;
    uint64_t listener_wakeups = l->wakeups;

    resume_accepting(s);
    /* The quiet sockets' marks are right already: nothing read them since
     * (a read follows a socket first, see follow). */
    for (size_t i = 0; i < s->nfollowed; i++) {
        struct conn *c = s->followed[i];
        c->read_at_tick_start = c->bytes_read + c->twin_bytes;
    }
    s->in_tick = true;
    s->tick_bytes = 0;
    s->unchecked = s->nconns;
    fit_events(s);

    s->stats.tick++;
    wake_sleepers(s);
    int n = 0;
    if (!reader_asleep(s, 0)) {
        n = wait_events(s, s->epfd, s->events, timeout_ms);
        if (n < 0) {
            if (errno != EINTR)
                fatal("epoll_wait: %s", strerror(errno));
            trace_wait(s, timeout_ms, n);
            s->in_tick = false;
            return -1;
        }
        s->stats.events += (uint64_t)n;
        if (n > 0 && s->knobs.mode == MODE_ONESHOT)
            s->interest_dirty = true; /* the kernel disarmed what fired */
        if (n == 0)
            s->stats.empty_waits++;
        trace_wait(s, timeout_ms, n);
    }
    /* After the epoll_wait, before any read: a wakeup then knows whether
     * anything arrived since its socket's count was exact (read_wakeup),
     * and the sample's look names only what arrived after the reads. */
    look_at_arrivals(s);

    /* With a twin set, both sets are asked; when both report, the readers
     * take turns going first, as two threads' scheduling would. */
    int nt = 0;
    if (s->twin_epfd >= 0 && !reader_asleep(s, 1)) {
        nt = wait_events(s, s->twin_epfd, s->twin_events, 0);
        if (nt < 0)
            nt = 0;
        s->stats.twin_events += (uint64_t)nt;
    }
    s->tick_ready = (size_t)n + (size_t)nt;
    bool twin_first = n > 0 && nt > 0 && s->twin_races++ % 2 == 0;
    if (twin_first)
        handle_twin_events(s, nt);
    /* The connections first, then the listener: a slot that a closed (or
     * reset) connection frees serves a connection accepted in this tick. */
    bool listener_woken = false;
    uint32_t listener_ev = 0;
    for (int i = 0; i < n; i++) {
        void *p = s->events[i].data.ptr;
        if (p == l) {
            listener_woken = true;
            listener_ev = s->events[i].events;
            continue;
        }
        struct conn *c = p;
        /* A connection closed earlier in this batch has no fd any more. */
        if (c->fd >= 0 && !s->asleep[0])
            handle_conn(s, c, s->events[i].events);
    }
    /* A reader asleep in read() (twin blocking) answers nothing more. */
    if (listener_woken && !s->asleep[0])
        handle_listener(s, listener_ev);
    if (!twin_first)
        handle_twin_events(s, nt);

    /* Sample, then record the tick for every socket alive during it that
     * something happened to; the quiet ones read as quiet (steady). */
    server_sample(s);
    for (size_t i = 0; i < s->nfollowed; i++) {
        struct conn *c = s->followed[i];
        if (c->fd >= 0 || c->closed_tick == s->stats.tick)
            record_timeline(s, c);
        c->handled_this_tick = false;
        c->twin_this_tick = false;
        c->out_this_tick = false;
    }
    unfollow_quiet(s);
    record_listener_timeline(s, l->wakeups != listener_wakeups);
    prune_closed(s);
    s->in_tick = false;
    return n;
}

/* ---- syscalls ---------------------------------------------------------- */
/* Each wrapper makes one call and counts it; nothing else in this file
 * touches stats.syscalls, so the count is what strace sees. */

static int ctl(struct server *s, int epfd, int op, int fd, uint32_t events, void *ptr)
{
    struct epoll_event ev = {.events = events, .data.ptr = ptr};
    if (epfd == s->epfd)
        s->interest_dirty = true;
    s->stats.ctl_calls++;
    s->stats.syscalls++;
    return epoll_ctl(epfd, op, fd, &ev);
}

static int wait_events(struct server *s, int epfd, struct epoll_event *ev, int timeout_ms)
{
    s->stats.syscalls++;
    return epoll_wait(epfd, ev, (int)s->events_cap, timeout_ms);
}

static int accept_one(struct server *s, struct sockaddr_storage *ss, socklen_t *len, int flags)
{
    *len = sizeof *ss;
    s->stats.accept_calls++;
    s->stats.syscalls++;
    s->listener.accept_calls++;
    return accept4(s->listener.fd, (struct sockaddr *)ss, len, flags);
}

static ssize_t read_fd(struct server *s, int fd, size_t want)
{
    s->stats.syscalls++;
    return read(fd, s->buf, want);
}

/* An echo's write: send with MSG_NOSIGNAL, so a peer that reset gives
 * EPIPE/ECONNRESET, never SIGPIPE. */
static ssize_t send_fd(struct server *s, int fd, const void *p, size_t n)
{
    s->stats.syscalls++;
    return send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static void close_fd(struct server *s, int fd)
{
    s->interest_dirty = true; /* a closed fd leaves the interest list */
    s->stats.syscalls++;
    close(fd);
}

static int open_reserve(struct server *s)
{
    s->stats.syscalls++;
    return open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static void send_notice(struct server *s, int fd, const char *msg)
{
    s->stats.syscalls++;
    (void)!send(fd, msg, strlen(msg), MSG_NOSIGNAL | MSG_DONTWAIT);
}

static int set_rcvbuf(struct server *s, int fd, size_t bytes)
{
    int size = (int)bytes;
    s->stats.syscalls++;
    return setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
}

/* An echo's replies go out at once: with Nagle a second small reply
 * waits for the first one's ACK, which the client delays (40 ms). */
static void set_nodelay(struct server *s, struct conn *c)
{
    int one = 1;
    if (c->nodelay)
        return;
    s->stats.syscalls++;
    c->nodelay = setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0;
}

/* The peer reset the connection or closed its end (TCP_INFO state). */
static bool peer_gone(struct server *s, int fd)
{
    s->stats.syscalls++;
    return probe_peer_gone(fd) == 1;
}

static int create_twin_set(struct server *s)
{
    s->stats.syscalls++;
    return epoll_create1(EPOLL_CLOEXEC);
}

/* ---- open and close ---------------------------------------------------- */

static uint32_t interest(const struct server *s)
{
    uint32_t ev = EPOLLIN | EPOLLRDHUP;
    if (s->knobs.mode == MODE_ET)
        ev |= EPOLLET;
    else if (s->knobs.mode == MODE_ONESHOT)
        ev |= EPOLLONESHOT;
    return ev;
}

/* A connection's mask: EPOLLIN and RDHUP unless backpressure stopped its
 * reading, EPOLLOUT as `out` says (always, or while bytes wait to be
 * written), and the mode's bits. */
static uint32_t conn_interest(const struct server *s, const struct conn *c)
{
    uint32_t ev = interest(s);
    if (c->reading_paused || c->close_after_write)
        ev &= ~(uint32_t)(EPOLLIN | EPOLLRDHUP);
    if (s->knobs.out == OUT_ALWAYS || appbuf_len(&c->out) > 0)
        ev |= EPOLLOUT;
    return ev;
}

static uint32_t listener_interest(const struct server *s)
{
    return interest(s) & ~(uint32_t)EPOLLRDHUP;
}

/* The twin set watches in the other mode: ET for LT, LT for ET and one-shot. */
static uint32_t twin_interest(const struct server *s)
{
    return EPOLLIN | EPOLLRDHUP | (s->knobs.mode == MODE_LT ? EPOLLET : 0);
}

/* The twin set's mode as the transcript names it, read off its mask. */
static const char *twin_mode_text(const struct server *s)
{
    return twin_interest(s) & EPOLLET ? "et" : "lt";
}

/* "1.2.3.4" or "::1", and its port. */
static void peer_host(const struct sockaddr *sa, char *host, size_t n, unsigned *port)
{
    snprintf(host, n, "?");
    *port = 0;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &in->sin_addr, host, (socklen_t)n);
        *port = ntohs(in->sin_port);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, host, (socklen_t)n);
        *port = ntohs(in6->sin6_port);
    }
}

static void format_peer(const struct sockaddr *sa, char *out, size_t n)
{
    char host[INET6_ADDRSTRLEN];
    unsigned port;
    peer_host(sa, host, sizeof host, &port);
    if (sa->sa_family == AF_INET)
        snprintf(out, n, "%s:%u", host, port);
    else if (sa->sa_family == AF_INET6)
        snprintf(out, n, "[%s]:%u", host, port);
    else
        snprintf(out, n, "unknown peer");
}

static uint64_t received_total(const struct conn *c)
{
    return c->bytes_read + c->twin_bytes + (uint64_t)(c->pending > 0 ? c->pending : 0);
}

static void server_set_twin(struct server *s, enum twin_mode m);

struct server *server_open(const struct server_config *cfg, const struct trace *trace,
                           struct sbuf *err)
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    struct server *s;
    int one = 1;

    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *in = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, cfg->address, &in->sin_addr) == 1) {
        in->sin_family = AF_INET;
        in->sin_port = htons(cfg->port);
        sslen = sizeof *in;
    } else if (inet_pton(AF_INET6, cfg->address, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(cfg->port);
        sslen = sizeof *in6;
    } else {
        sbuf_printf(err, "'%s' is not a numeric IPv4 or IPv6 address", cfg->address);
        return NULL;
    }

    s = xcalloc(1, sizeof *s);
    s->cfg = *cfg;
    s->trace = trace;
    s->knobs = cfg->knobs;
    s->knobs.twin = TWIN_OFF; /* until the twin set is open, below */
    s->family = ss.ss_family;
    s->listener.fd = -1;
    s->reserve_fd = -1;
    s->twin_epfd = -1;

    /* Before listen(): setting up, not counted (see the top of the file). */
    s->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (s->epfd < 0) {
        sbuf_printf(err, "epoll_create1: %s", strerror(errno));
        goto fail;
    }
    int lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (lfd < 0) {
        sbuf_printf(err, "socket: %s", strerror(errno));
        goto fail;
    }
    s->listener.fd = lfd;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    /* Accepted sockets inherit it, and a set size stops autotuning. */
    if (cfg->knobs.rcvbuf) {
        int size = (int)cfg->knobs.rcvbuf;
        setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    }
    if (cfg->sndbuf) {
        int size = (int)cfg->sndbuf;
        setsockopt(lfd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    }
    if (bind(lfd, (struct sockaddr *)&ss, sslen) < 0) {
        int e = errno;
        if (e == EADDRINUSE)
            sbuf_printf(err, "port %u on %s is already in use (try --port)", cfg->port,
                        cfg->address);
        else
            sbuf_printf(err, "cannot listen on %s port %u: %s", cfg->address, cfg->port,
                        strerror(e));
        goto fail;
    }
    if (listen(lfd, SOMAXCONN) < 0) {
        sbuf_printf(err, "listen: %s", strerror(errno));
        goto fail;
    }
    sslen = sizeof ss;
    getsockname(lfd, (struct sockaddr *)&ss, &sslen);
    s->bound = ss;
    s->bound_len = sslen;
    s->port = ntohs(ss.ss_family == AF_INET ? in->sin_port : in6->sin6_port);
    format_peer((struct sockaddr *)&ss, s->address, sizeof s->address);
    snprintf(s->listener.address, sizeof s->listener.address, "%s", s->address);

    s->listener.notify.armed = true;
    if (ctl(s, s->epfd, EPOLL_CTL_ADD, lfd, listener_interest(s), &s->listener) < 0) {
        sbuf_printf(err, "epoll_ctl ADD listener: %s", strerror(errno));
        goto fail;
    }
    s->reserve_fd = open_reserve(s);
    s->watch = watch_new(); /* without it, every socket is followed (sampling) */
    fit_events(s);
    if (cfg->knobs.twin != TWIN_OFF)
        server_set_twin(s, cfg->knobs.twin);
    server_sample(s);
    return s;
fail:
    server_free(s);
    return NULL;
}

void server_free(struct server *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nconns; i++) {
        struct conn *c = s->conns[i];
        if (c->fd >= 0) {
            long unread = probe_pending(c->fd);
            if (unread > 0) /* said, never dropped silently */
                trace_emit(s->trace, TRACE_CONN,
                           "  %s: %ld B were never read and are discarded (the server stopped)",
                           c->label, unread);
            if (appbuf_len(&c->out))
                trace_emit(s->trace, TRACE_CONN,
                           "  %s: %zu B of replies were never written and are discarded (the server stopped)",
                           c->label, appbuf_len(&c->out));
            close(c->fd);
        }
        appbuf_free(&c->out);
        wtimeline_free(&c->wtimeline);
        free(c);
    }
    free(s->conns);
    free(s->followed);
    watch_free(s->watch);
    free(s->events);
    free(s->twin_events);
    sbuf_free(&s->line);
    fdinfo_free(&s->interest);
    if (s->listener.fd >= 0)
        close(s->listener.fd);
    if (s->reserve_fd >= 0)
        close(s->reserve_fd);
    if (s->epfd >= 0)
        close(s->epfd);
    if (s->twin_epfd >= 0)
        close(s->twin_epfd);
    free(s);
}

void server_set_labeller(struct server *s, label_fn fn, void *ctx)
{
    s->labeller = fn;
    s->label_ctx = ctx;
}

/* A scenario client's name, or "address:port" for anyone else. */
static bool peer_label(struct server *s, const struct sockaddr *peer, socklen_t len, char *out,
                       size_t n)
{
    const char *name = s->labeller ? s->labeller(s->label_ctx, peer, len) : NULL;
    if (name)
        snprintf(out, n, "%s", name);
    else
        format_peer(peer, out, n);
    return name != NULL;
}

static void close_conn(struct server *s, struct conn *c, const char *reason)
{
    if (c->fd < 0)
        return;
    long unread = probe_pending(c->fd);
    ctl(s, s->epfd, EPOLL_CTL_DEL, c->fd, 0, NULL);
    close_fd(s, c->fd);
    s->stats.closes++;
    s->stats.open_conns--;
    c->fd = -1;
    for (int r = 0; r < 2; r++)
        if (s->asleep[r] == c)
            s->asleep[r] = NULL; /* its read() returns with the close */
    c->asleep = c->twin_asleep = false;
    c->state = CONN_CLOSED;
    c->closed_tick = s->stats.tick;
    c->notify.starved = STARVE_NONE;
    c->pending = 0;
    c->eof_waiting = false;
    s->closed_outside += !c->scripted;
    follow(s, c); /* its last tick is drawn, then it is let go */
    snprintf(c->close_reason, sizeof c->close_reason, "%s", reason);
    trace_emit(s->trace, TRACE_CONN, "  %s: closed (%s), %llu B read in %llu reads", c->label,
               reason, (unsigned long long)c->bytes_read, (unsigned long long)c->reads);
    /* Never silently: closing with bytes unread discards them (and the
     * kernel answers the peer with a reset). */
    if (unread > 0)
        trace_emit(s->trace, TRACE_CONN, "  %s: %ld B were never read and are discarded", c->label,
                   unread);
    if (appbuf_len(&c->out))
        trace_emit(s->trace, TRACE_CONN, "  %s: %zu B of replies were never written and are discarded",
                   c->label, appbuf_len(&c->out));
    appbuf_free(&c->out);
    c->reading_paused = false;
    c->wnotify.starved = STARVE_NONE;
    /* Closed between ticks: mark it on the last tick drawn (a quiet
     * socket's ticks since its last write are filled in first).  In a
     * tick, the tick draws it. */
    if (!s->in_tick) {
        if (s->stats.tick && c->timeline.last_tick)
            timeline_set(&c->timeline, s->stats.tick,
                         timeline_get(&c->timeline, s->stats.tick) | MARK_CLOSED);
        c->timeline.steady = 0;
        wtimeline_set(&c->wtimeline, s->stats.tick, wtimeline_get(&c->wtimeline, s->stats.tick));
        c->wtimeline.steady = 0;
    }
    resume_accepting(s);
}

void server_drop(struct server *s, struct conn *c, const char *reason)
{
    close_conn(s, c, reason ? reason : "dropped by the server");
    server_sample(s);
}

/* Drops the oldest closed records of outside clients beyond
 * cfg.closed_keep.  A scenario client's record stays: its expects name it. */
static void prune_closed(struct server *s)
{
    /* Counted as they close: a tick does not look at every record. */
    if (s->closed_outside <= s->cfg.closed_keep)
        return;
    size_t drop = s->closed_outside - s->cfg.closed_keep, j = 0;
    for (size_t i = 0; i < s->nconns; i++) {
        struct conn *c = s->conns[i];
        if (drop && c->fd < 0 && !c->scripted && c->closed_tick < s->stats.tick) {
            if (c->census_counted)
                census_add(&s->census, c->census_share, -1);
            appbuf_free(&c->out);
            wtimeline_free(&c->wtimeline);
            free(c);
            drop--;
            s->closed_outside--;
            continue;
        }
        s->conns[j++] = c;
    }
    s->nconns = j;
}

/* ---- accepting --------------------------------------------------------- */

static void rearm_listener(struct server *s);
static void rearm_conn(struct server *s, struct conn *c);
static bool read_some(struct server *s, struct conn *c, size_t budget, enum read_strategy how);

/* After EMFILE with no spare left, the listener is unwatched; any freed
 * descriptor (ours or a client's) lets it resume.  Tried once per tick. */
static void resume_accepting(struct server *s)
{
    struct listener_info *l = &s->listener;
    if (!l->paused)
        return;
    if (s->reserve_fd < 0)
        s->reserve_fd = open_reserve(s);
    if (s->reserve_fd < 0)
        return;
    l->paused = false;
    l->notify.armed = true;
    l->mods++;
    ctl(s, s->epfd, EPOLL_CTL_MOD, l->fd, listener_interest(s), l);
    trace_emit(s->trace, TRACE_CONN, "  listener: a descriptor is free again, accepting resumes");
}

static void pause_accepting(struct server *s)
{
    struct listener_info *l = &s->listener;
    l->paused = true;
    l->mods++;
    ctl(s, s->epfd, EPOLL_CTL_MOD, l->fd, 0, l);
    trace_emit(s->trace, TRACE_ERROR,
               "  listener: out of file descriptors; not accepting until one is free");
}

/* Why a connection is refused; the listener counts each. */
enum refusal { REFUSED_EMFILE, REFUSED_MAX_CONNS, REFUSED_MAX_PER_PEER };

static void refuse(struct server *s, int fd, const struct sockaddr *peer, socklen_t len,
                   enum refusal why, const char *text)
{
    struct listener_info *l = &s->listener;
    char msg[160], label[CONN_LABEL_MAX];
    snprintf(msg, sizeof msg, "epollviz: connection refused: %s\n", text);
    send_notice(s, fd, msg);
    close_fd(s, fd);
    l->rejected++;
    l->rejected_emfile += why == REFUSED_EMFILE;
    l->rejected_max_conns += why == REFUSED_MAX_CONNS;
    l->rejected_max_per_peer += why == REFUSED_MAX_PER_PEER;
    peer_label(s, peer, len, label, sizeof label);
    trace_emit(s->trace, TRACE_CONN, "  listener: refused %s: %s", label, text);
}

/* The instrument's set names a socket by its id, with where its record
 * was put in conns[] as a hint (follow_ready): a look then searches only
 * for records that pruning has moved. */
static uint64_t watch_key(size_t at, unsigned id)
{
    return (uint64_t)at << 32 | id;
}

static void add_conn(struct server *s, int fd, const struct sockaddr *peer, socklen_t len)
{
    struct conn *c = xcalloc(1, sizeof *c);
    unsigned port;

    c->id = ++s->next_id;
    c->fd = fd;
    c->scripted = peer_label(s, peer, len, c->label, sizeof c->label);
    peer_host(peer, c->peer_host, sizeof c->peer_host, &port);
    c->state = CONN_OPEN;
    c->notify.armed = true;
    c->opened_tick = s->stats.tick;
    /* The listener's size reached sockets whose handshake came after the
     * knob; one that already waited in the queue gets it here. */
    if (s->knobs.rcvbuf)
        set_rcvbuf(s, fd, s->knobs.rcvbuf);
    c->rcvbuf = probe_rcvbuf(fd);
    if (s->knobs.reply == REPLY_ECHO)
        set_nodelay(s, c);
    ask_pending(c);
    c->mark_known = true; /* nothing received before the mark of 0 */
    /* ADD polls the socket: bytes already waiting produce an event. */
    c->notify.event_due = c->pending > 0;

    if (s->nconns == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->conns = xrealloc(s->conns, s->cap * sizeof *s->conns);
    }
    s->conns[s->nconns++] = c;
    s->stats.open_conns++;
    c->out.bound = s->knobs.reply_buffer;
    c->registered = conn_interest(s, c);
    /* EPOLLOUT in it (out always) makes an event at once: a new socket
     * is writable. */
    c->notify.event_due |= (c->registered & EPOLLOUT) != 0;
    follow(s, c);
    if (s->watch && watch_add(s->watch, fd, watch_key(s->nconns - 1, c->id)) < 0) {
        /* Unseen by the instrument's set, it could fill unnoticed: from
         * now on every socket is followed, as without the set. */
        watch_free(s->watch);
        s->watch = NULL;
        for (size_t i = 0; i < s->nconns; i++)
            if (s->conns[i]->fd >= 0)
                follow(s, s->conns[i]);
    }
    if (ctl(s, s->epfd, EPOLL_CTL_ADD, fd, c->registered, c) < 0) {
        trace_emit(s->trace, TRACE_ERROR, "  %s: epoll_ctl ADD failed: %s", c->label,
                   strerror(errno));
        close_conn(s, c, "could not be watched");
        return;
    }
    if (s->twin_epfd >= 0 && ctl(s, s->twin_epfd, EPOLL_CTL_ADD, fd, twin_interest(s), c) < 0)
        trace_emit(s->trace, TRACE_ERROR, "  %s: epoll_ctl ADD (twin set) failed: %s", c->label,
                   strerror(errno));
    trace_accept(s, c, fd, 0, NULL);
}

static size_t open_from(const struct server *s, const char *host)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nconns; i++)
        n += s->conns[i]->fd >= 0 && strcmp(s->conns[i]->peer_host, host) == 0;
    return n;
}

/* Fills `text` and returns true when a connection from `host` is over a
 * limit. */
static bool over_limit(const struct server *s, const char *host, enum refusal *why, char *text,
                       size_t n)
{
    if (s->stats.open_conns >= s->cfg.max_conns) {
        *why = REFUSED_MAX_CONNS;
        snprintf(text, n, "connection limit reached (%zu open, --max-conns)", s->stats.open_conns);
        return true;
    }
    size_t mine = s->cfg.max_per_peer ? open_from(s, host) : 0;
    if (s->cfg.max_per_peer && mine >= s->cfg.max_per_peer) {
        *why = REFUSED_MAX_PER_PEER;
        snprintf(text, n, "connection limit reached (%zu open from %s, --max-per-peer)", mine, host);
        return true;
    }
    return false;
}

/* At a limit, before refusing anyone: a connection accepted in this tick
 * has not been through an epoll_wait yet, and its peer may be gone already
 * (a reset storm: connect, then RST).  Those are read now, as their event
 * would have them read (to EOF or the reset: nothing is lost), and closed.
 * Every older connection's event was handled before the listener's, so
 * only these can hold a slot they no longer need.  Each is looked at once;
 * returns true if a slot came free. */
static bool make_room(struct server *s)
{
    size_t open = s->stats.open_conns;
    for (; s->unchecked < s->nconns; s->unchecked++) {
        struct conn *c = s->conns[s->unchecked];
        if (c->fd < 0 || !peer_gone(s, c->fd))
            continue;
        trace_emit(s->trace, TRACE_CONN, "  %s: the peer is gone already; read now to free its slot",
                   c->label);
        read_some(s, c, BUDGET_DRAIN, STRATEGY_EAGAIN);
    }
    return s->stats.open_conns < open;
}

static void admit(struct server *s, int fd, const struct sockaddr *peer, socklen_t len)
{
    char host[INET6_ADDRSTRLEN], text[160];
    unsigned port;
    enum refusal why;

    peer_host(peer, host, sizeof host, &port);
    if (over_limit(s, host, &why, text, sizeof text) &&
        (!make_room(s) || over_limit(s, host, &why, text, sizeof text))) {
        refuse(s, fd, peer, len, why, text);
        return;
    }
    s->listener.accepts++;
    add_conn(s, fd, peer, len);
}

/* At EMFILE the connection cannot be taken, and an LT listener would report
 * it forever.  Release the spare descriptor, accept, tell the peer, close.
 * accept() reserves a descriptor before it looks at the queue, so EMFILE
 * says nothing about the queue: only this accept can tell it is empty. */
enum emfile_outcome { EMFILE_REFUSED, EMFILE_QUEUE_EMPTY, EMFILE_NO_RESERVE };

static enum emfile_outcome refuse_at_emfile(struct server *s)
{
    struct listener_info *l = &s->listener;
    struct sockaddr_storage ss;
    socklen_t len;

    if (s->reserve_fd < 0)
        return EMFILE_NO_RESERVE;
    close_fd(s, s->reserve_fd);
    s->reserve_fd = -1;
    int fd = accept_one(s, &ss, &len, SOCK_CLOEXEC);
    int e = errno;
    if (fd >= 0)
        refuse(s, fd, (struct sockaddr *)&ss, len, REFUSED_EMFILE,
               "the server is out of file descriptors");
    s->reserve_fd = open_reserve(s);
    if (fd < 0 && (e == EAGAIN || e == EWOULDBLOCK)) {
        l->accept_eagain++;
        trace_accept(s, NULL, -1, EAGAIN, " (with the spare fd)");
        return EMFILE_QUEUE_EMPTY;
    }
    if (fd < 0 || s->reserve_fd < 0)
        return EMFILE_NO_RESERVE;
    return EMFILE_REFUSED;
}

static void woken(struct server *s, struct notify *n, const char *label);
static void retire_listener(struct server *s);

/* One-shot with autorearm: the correct server's EPOLL_CTL_MOD after handling. */
static bool autorearm_due(const struct server *s)
{
    return s->knobs.mode == MODE_ONESHOT && s->knobs.autorearm;
}

static void handle_listener(struct server *s, uint32_t ev)
{
    struct listener_info *l = &s->listener;
    uint32_t queued = 0, limit = 0, accepted = 0;

    l->wakeups++;
    l->last_events = ev;
    woken(s, &l->notify, "listener");
    probe_accept_queue(l->fd, &queued, &limit);
    l->notify.stopped_early = true;
    for (;;) {
        struct sockaddr_storage ss;
        socklen_t len;
        int fd = accept_one(s, &ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            accepted++;
            admit(s, fd, (struct sockaddr *)&ss, len);
            if (s->knobs.accept == ACCEPT_SINGLE) {
                retire_listener(s);
                break;
            }
            if (s->knobs.accept == ACCEPT_ONE)
                break;
            continue;
        }
        if (errno == EINTR || errno == ECONNABORTED)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            l->accept_eagain++;
            l->notify.stopped_early = false;
            trace_accept(s, NULL, -1, EAGAIN, NULL);
            break;
        }
        if (errno == EMFILE || errno == ENFILE) {
            l->accept_emfile++;
            trace_emit(s->trace, TRACE_ERROR, "  listener: accept() = -1 %s",
                       errno == EMFILE ? "EMFILE" : "ENFILE");
            enum emfile_outcome out = refuse_at_emfile(s);
            if (out == EMFILE_NO_RESERVE) {
                pause_accepting(s);
                break;
            }
            accepted += out == EMFILE_REFUSED;
            if (out == EMFILE_QUEUE_EMPTY) {
                l->notify.stopped_early = false;
                break;
            }
            if (s->knobs.accept != ACCEPT_ALL)
                break;
            continue;
        }
        trace_emit(s->trace, TRACE_ERROR, "  listener: accept() = -1 %s", strerror(errno));
        break;
    }
    /* What waited at the wakeup and was not taken; more means a new edge. */
    l->queued_mark = queued > accepted ? queued - accepted : 0;
    if (autorearm_due(s) && !l->paused && !l->retired)
        rearm_listener(s);
}

/* ---- reading ----------------------------------------------------------- */

/* The two readers of a connection: the server's own, and with twin on the
 * second one that reads what the twin set reports (the seed's other
 * goroutine).  They share the loop; each keeps its own counters. */
enum reader { READER_SERVER, READER_TWIN };

/* How a read loop ended: READ_SHORT at a short read that proved the
 * buffer empty (reader short or once), READ_ONE after the one read of
 * reader once that proved nothing. */
enum read_end { READ_SPENT, READ_EAGAIN, READ_EOF, READ_FAILED, READ_SHORT, READ_ONE, READ_ASLEEP };

/* Keeps the last `cap` bytes of what was read into tail. */
static void keep_tail(unsigned char *tail, size_t *len, size_t cap, const unsigned char *p,
                      size_t n)
{
    if (n >= cap) {
        memcpy(tail, p + n - cap, cap);
        *len = cap;
        return;
    }
    size_t keep = *len + n > cap ? cap - n : *len;
    memmove(tail, tail + *len - keep, keep);
    memcpy(tail + keep, p, n);
    *len = keep + n;
}

/* ---- what a read tells -------------------------------------------------
 * A connection's pending count is asked with FIONREAD, or carried from the
 * server's own reads: a read that returned EAGAIN or 0 found the receive
 * queue empty, and one that took n bytes left n fewer than were counted.
 * The count stays exact: an arrival is either taken by the server's own
 * reads (and counted by them) or still unread at the next look at the
 * instrument's edge-triggered set, which then names the socket (watch.h)
 * and makes the count unknown until FIONREAD is asked again
 * (follow_ready).  So a socket that was read until EAGAIN costs no
 * FIONREAD at all, and the screen still asks: a carried count on screen
 * is asked before it is drawn (server_ask_shown). */

static void ask_pending(struct conn *c)
{
    c->pending = probe_pending(c->fd);
    c->pending_from = PENDING_ASKED;
}

/* Known exactly, without asking: only while the set watches for arrivals. */
static bool pending_known(const struct server *s, const struct conn *c)
{
    return s->watch && c->pending_from != PENDING_UNKNOWN;
}

static void read_tells(struct conn *c, ssize_t got, int e)
{
    if (got == 0 || (got < 0 && (e == EAGAIN || e == EWOULDBLOCK))) {
        c->pending = 0;
        c->pending_from = PENDING_FROM_READS;
    } else if (got > 0 && c->pending_from != PENDING_UNKNOWN && c->pending >= got) {
        c->pending -= got;
        c->pending_from = PENDING_FROM_READS;
    } else {
        /* More than counted (something arrived), or an error: ask. */
        c->pending_from = PENDING_UNKNOWN;
    }
}

/* The bytes received so far, as the mark of a wakeup (or a drain); a
 * mark is unknown when bytes arrived in the tick of its wakeup, before or
 * after its reads began. */
static void set_mark(struct conn *c, bool known)
{
    c->mark_due = false;
    c->mark_known = known;
    if (known)
        c->received_mark = received_total(c);
}

/* A wakeup's mark whose count was not exact: if the set named nothing
 * since the look that preceded the wakeup, nothing arrived since that is
 * still unread, and what is received now is taken as what was then.  (An
 * arrival the wakeup's own reads took leaves nothing to name; the queue
 * is then empty, so nothing waits for the read side and its next wakeup
 * needs new bytes, and the write side, which would be misled, counted its
 * mark at the wakeup: mark_read_by_writer.)  If it did, a new edge is due
 * (the arrival came after the epoll_wait) and the next wakeup counts it
 * as new, which it is unless it beat the wakeup's first read by
 * microseconds. */
static void complete_mark(struct server *s, struct conn *c)
{
    if (!c->mark_due)
        return;
    if (!pending_known(s, c))
        ask_pending(c);
    /* Without the set (it failed during the tick) nothing says: unknown. */
    set_mark(c, s->watch && c->named_look <= c->mark_look);
}

/* Whether a wakeup's mark must be counted at the wakeup, as FIONREAD
 * before its reads: when the write side's verdict reads it (ET, replies,
 * a write budget that can stop a send loop before EAGAIN).  The sample
 * cannot complete it then: bytes that arrive after the epoll_wait and are
 * taken by the same wakeup's reads (a window its reads opened lets the
 * client send more) leave the set nothing to name, yet they queued the
 * taught socket again, and ET reports its EPOLLOUT at the next wait. */
static bool mark_read_by_writer(const struct server *s, const struct conn *c)
{
    return s->knobs.mode == MODE_ET && s->knobs.wbudget != WBUDGET_DRAIN &&
           (s->knobs.reply == REPLY_ECHO || appbuf_len(&c->out) > 0);
}

/* Received since the mark: bytes were counted, or the mark is unknown. */
static bool arrived_since_mark(const struct conn *c)
{
    return !c->mark_known || received_total(c) != c->received_mark;
}

void server_ask_shown(struct server *s, size_t i)
{
    struct conn *c = i < s->nconns ? s->conns[i] : NULL;
    if (c && c->fd >= 0 && c->pending_from != PENDING_ASKED)
        ask_pending(c);
}

/* Counts one read() of reader r: `got` is its result, `e` its errno. */
static void count_read(struct server *s, struct conn *c, enum reader r, ssize_t got, int e)
{
    if (r == READER_TWIN) {
        s->stats.twin_reads++;
        c->twin_reads++;
        if (got > 0) {
            c->twin_bytes += (uint64_t)got;
            /* Its own last bytes, kept as the server's reader keeps its
             * own: the lesson is who got which bytes. */
            keep_tail(c->twin_tail, &c->twin_tail_len, sizeof c->twin_tail, s->buf, (size_t)got);
        }
    } else {
        s->stats.reads++;
        c->reads++;
        if (got > 0) {
            c->bytes_read += (uint64_t)got;
            keep_tail(c->tail, &c->tail_len, sizeof c->tail, s->buf, (size_t)got);
            /* The reply: what was read, written back after the reads. */
            if (s->knobs.reply == REPLY_ECHO)
                appbuf_push(&c->out, s->buf, (size_t)got);
        } else if (got == 0) {
            c->eof_reads++;
            s->stats.eof_reads++;
        } else if (e == EAGAIN || e == EWOULDBLOCK) {
            c->eagain_reads++;
            s->stats.eagain_reads++;
        }
    }
    if (got > 0)
        s->tick_bytes += (uint64_t)got;
    read_tells(c, got, e);
}

/* A read() of c and what it returned (n; e its errno), as a record: a
 * read that got bytes shows at most data_preview of them, and is a data
 * line (TRACE_DATA), made only for a sink that takes those. */
static void trace_read(struct server *s, const struct conn *c, const char *who, size_t want,
                       ssize_t n, int e, const char *note)
{
    enum trace_kind kind = n > 0 ? TRACE_DATA : TRACE_IO;
    if (!trace_wants(s->trace, kind))
        return;
    struct call rec = {.kind = CALL_READ, .conn = c->id, .label = c->label, .who = who,
                       .fd = c->fd, .ret = n, .err = e, .want = want, .data = s->buf,
                       .shown = s->cfg.data_preview, .note = note};
    trace_call(s->trace, kind, &rec, &s->line);
}

/* ---- the seed's blocking fd (twin blocking) ---------------------------- */
/* Derived, not measured: a read() on a blocking socket sleeps exactly when
 * the same read on a non-blocking one would return EAGAIN, that is when
 * nothing waits (FIONREAD = 0) and no end of stream or error does
 * (test_server_blocking_read_sleeps_as_derived holds a real blocking read
 * in a thread to this).  The server is one thread, so the sleep is
 * predicted and the read made once it would return: the syscall count is
 * the one read() the seed makes. */

static bool read_would_block(const struct conn *c)
{
    if (c->state == CONN_PEER_CLOSED)
        return false;
    long pending = probe_pending(c->fd);
    return pending == 0 && probe_fin_received(c->fd) != 1;
}

static const char *reader_who(enum reader r)
{
    return r == READER_TWIN ? "the twin reader" : "the server's reader";
}

static void fall_asleep(struct server *s, struct conn *c, enum reader r, size_t want)
{
    s->asleep[r] = c;
    s->asleep_want[r] = want;
    if (r == READER_TWIN)
        c->twin_asleep = true;
    else
        c->asleep = true;
    trace_note(s, c, r == READER_TWIN ? "twin " : "",
               "read(%zu) blocks (derived: FIONREAD = 0 on a blocking fd): %s sleeps inside read() until %s sends",
               want, reader_who(r), c->label);
}

static bool read_some(struct server *s, struct conn *c, size_t budget, enum read_strategy how);
static enum read_end read_loop(struct server *s, struct conn *c, size_t budget, enum reader r,
                               enum read_strategy how, int *err);

/* Each tick first: a sleeping read() returns once something arrived (the
 * kernel wakes a reader already inside read() before the other reader's
 * epoll_wait can report it), and that reader goes on as after any read. */
static void wake_sleepers(struct server *s)
{
    for (int r = READER_SERVER; r <= READER_TWIN; r++) {
        struct conn *c = s->asleep[r];
        if (!c)
            continue;
        if (c->fd >= 0 && read_would_block(c))
            continue;
        s->asleep[r] = NULL;
        if (r == READER_TWIN)
            c->twin_asleep = false;
        else
            c->asleep = false;
        if (c->fd < 0)
            continue;
        trace_emit(s->trace, TRACE_TICK, "tick %llu: %s wakes: its read() on %s returns",
                   (unsigned long long)s->stats.tick, reader_who((enum reader)r), c->label);
        s->blocking_reads = s->knobs.twin == TWIN_BLOCKING;
        if (r == READER_SERVER) {
            read_some(s, c, s->asleep_want[r], s->knobs.reader);
        } else {
            int err;
            read_loop(s, c, s->asleep_want[r], READER_TWIN, s->knobs.reader, &err);
        }
        s->blocking_reads = false;
    }
}

/* A reader asleep in read() calls no epoll_wait: what its set reports
 * waits unanswered.  Says so for the tick. */
static bool reader_asleep(struct server *s, int r)
{
    const struct conn *c = s->asleep[r];
    if (!c)
        return false;
    if (r == READER_SERVER) {
        s->stats.asleep_ticks++;
        trace_emit(s->trace, TRACE_TICK,
                   "tick %llu: no epoll_wait: the server's reader sleeps inside read() on %s; its set's events wait unanswered",
                   (unsigned long long)s->stats.tick, c->label);
    } else {
        trace_emit(s->trace, TRACE_IO,
                   "  no epoll_wait on the twin set: the twin reader sleeps inside read() on %s; its events wait unanswered",
                   c->label);
    }
    return true;
}

/* Bytes the connection's application buffer can still take. */
static size_t reply_room(const struct server *s, const struct conn *c)
{
    size_t have = appbuf_len(&c->out);
    return have < s->knobs.reply_buffer ? s->knobs.reply_buffer - have : 0;
}

static void pause_reading(struct server *s, struct conn *c);

/* The bytes a drain may read in this wakeup: the safety cap, or in a
 * tick with a bound (cfg.tick_cap: the terminal UI's, so that a key
 * waits for a short tick) an even share of it for each fd the tick
 * reported.  The same share for all, so nobody starves: LT reports the
 * rest again, and ET re-arms at the cap (read_some). */
static size_t drain_cap_now(const struct server *s)
{
    size_t cap = s->cfg.drain_cap;
    if (s->cfg.tick_cap && s->in_tick && s->tick_ready) {
        size_t share = s->cfg.tick_cap / s->tick_ready;
        if (share < DRAIN_SHARE_MIN)
            share = DRAIN_SHARE_MIN;
        if (share < cap)
            cap = share;
    }
    return cap;
}

/* Reads up to `budget` bytes (or drain_cap_now for BUDGET_DRAIN) until EAGAIN,
 * the end of stream or an error, or sooner as `how` says, each read
 * counted and in the transcript.  On READ_FAILED, *err is the errno. */
static enum read_end read_loop(struct server *s, struct conn *c, size_t budget, enum reader r,
                               enum read_strategy how, int *err)
{
    follow(s, c);
    const char *who = r == READER_TWIN ? "twin " : "";
    size_t left = budget == BUDGET_DRAIN ? drain_cap_now(s) : budget;
    /* An echo reads no more than its application buffer can hold. */
    if (r == READER_SERVER && s->knobs.reply == REPLY_ECHO) {
        size_t room = reply_room(s, c);
        if (room < left)
            left = room;
    }
    while (left > 0) {
        size_t want = left < sizeof s->buf ? left : sizeof s->buf;
        if (s->blocking_reads && read_would_block(c)) {
            fall_asleep(s, c, r, want);
            return READ_ASLEEP;
        }
        ssize_t n = read_fd(s, c->fd, want);
        int e = errno;
        count_read(s, c, r, n, e);
        if (n > 0) {
            left -= (size_t)n;
            trace_read(s, c, who, want, n, 0, NULL);
            /* A short read proves the bytes were all read, but not the
             * FIN the wakeup reported: that is read as a 0, after them. */
            bool empty = (size_t)n < want && c->state != CONN_PEER_CLOSED;
            if (how != STRATEGY_EAGAIN && empty) {
                trace_note(s, c, who, "short read: the buffer was empty, no EAGAIN read needed");
                return READ_SHORT;
            }
            if (how == STRATEGY_ONCE) {
                trace_note(s, c, who, "one read per wakeup: stopped before EAGAIN");
                return READ_ONE;
            }
            continue;
        }
        if (n == 0) {
            /* Ignoring it is the bug under study (the server's reader
             * only; the twin never closes): the fd stays registered and,
             * in LT, readable for ever. */
            bool ignored = r == READER_SERVER && s->knobs.eof_ignore;
            trace_read(s, c, who, want, 0, 0, ignored ? ", ignored: the fd stays registered" : "");
            return READ_EOF;
        }
        if (e == EINTR)
            continue;
        if (e == EAGAIN || e == EWOULDBLOCK) {
            trace_read(s, c, who, want, -1, e, NULL);
            return READ_EAGAIN;
        }
        trace_read(s, c, who, want, -1, e, NULL);
        *err = e;
        return READ_FAILED;
    }
    return READ_SPENT;
}

/* The server's reader: up to `budget` bytes (or until EAGAIN for
 * BUDGET_DRAIN, sooner as `how` says), closing on the end of stream or an error.  Returns false
 * when the connection was closed. */
static bool read_some(struct server *s, struct conn *c, size_t budget, enum read_strategy how)
{
    int err = 0;

    c->notify.stopped_early = true;
    switch (read_loop(s, c, budget, READER_SERVER, how, &err)) {
    case READ_EAGAIN:
    case READ_SHORT:
    case READ_ASLEEP: /* waiting inside read(): nothing is left behind unread */
        c->notify.stopped_early = false;
        return true;
    case READ_ONE:
        return true;
    case READ_EOF:
        c->notify.stopped_early = false;
        if (s->knobs.eof_ignore)
            return true;
        /* A FIN closes one direction: what the peer asked for is still
         * its to read. */
        if (appbuf_len(&c->out)) {
            c->close_after_write = true;
            trace_emit(s->trace, TRACE_CONN, "  %s: end of stream; closing once %zu B of replies are written",
                       c->label, appbuf_len(&c->out));
            return true;
        }
        close_conn(s, c, "end of stream: read returned 0");
        return false;
    case READ_FAILED:
        c->notify.stopped_early = false;
        close_conn(s, c, strerror(err));
        return false;
    case READ_SPENT:
        break;
    }
    if (s->knobs.reply == REPLY_ECHO && reply_room(s, c) == 0) {
        pause_reading(s, c);
    } else if (budget == BUDGET_DRAIN) {
        /* Our own safety cap, not the lesson: in ET, re-arm so the cap does
         * not strand bytes (LT reports them anyway; one-shot follows
         * autorearm like any other handling). */
        trace_note(s, c, "", "drain stopped at the cap of %zu B this wakeup%s", drain_cap_now(s),
                   s->knobs.mode == MODE_ET ? "; re-armed" : "");
        if (s->knobs.mode == MODE_ET)
            rearm_conn(s, c);
    } else {
        trace_note(s, c, "", "budget of %zu B spent before EAGAIN", budget);
    }
    return true;
}

/* ---- writing ----------------------------------------------------------- */

/* A send: ret what it took, or -1 with err; the bytes it was given are
 * the reply buffer's head. */
static void trace_send(struct server *s, const struct conn *c, size_t want, ssize_t n, int e,
                       const char *note)
{
    if (!trace_wants(s->trace, TRACE_IO))
        return;
    struct call rec = {.kind = CALL_SEND, .conn = c->id, .label = c->label, .fd = c->fd,
                       .ret = n, .err = e, .want = want, .data = appbuf_data(&c->out),
                       .shown = s->cfg.data_preview, .note = note};
    trace_call(s->trace, TRACE_IO, &rec, &s->line);
}

/* Reading stops at the bound and resumes once half of it has been
 * written: resuming at the first free byte would cost two EPOLL_CTL_MOD
 * per read under a slow reader. */
static void pause_reading(struct server *s, struct conn *c)
{
    char a[24];
    if (c->reading_paused)
        return;
    c->reading_paused = true;
    c->pauses++;
    format_bytes(s->knobs.reply_buffer, a, sizeof a);
    trace_emit(s->trace, TRACE_CONN,
               "  %s: reply buffer full (%s): reading stops until the client takes its replies (backpressure)",
               c->label, a);
}

static void resume_reading(struct server *s, struct conn *c)
{
    char a[24];
    if (!c->reading_paused || appbuf_len(&c->out) > s->knobs.reply_buffer / 2)
        return;
    c->reading_paused = false;
    /* Its reads stopped for room, not at EAGAIN: under ET only a MOD
     * (which polls the socket) reports what waits. */
    c->rearm_due = s->knobs.mode == MODE_ET && c->notify.stopped_early;
    format_bytes(appbuf_len(&c->out), a, sizeof a);
    trace_emit(s->trace, TRACE_CONN, "  %s: reply buffer down to %s: reading resumes", c->label, a);
}

static void count_write(struct server *s, struct conn *c, ssize_t got, int e)
{
    s->stats.writes++;
    c->writes++;
    if (got > 0) {
        c->bytes_written += (uint64_t)got;
        s->stats.bytes_written += (uint64_t)got;
    } else if (got < 0 && (e == EAGAIN || e == EWOULDBLOCK)) {
        c->eagain_writes++;
        s->stats.eagain_writes++;
    }
}

/* The writer: sends what the application buffer holds until it is empty,
 * send() returns EAGAIN, or the write budget is spent; each send counted
 * and in the transcript.  An EPOLLOUT wakeup with nothing to write is
 * counted (the LT busy loop).  Returns false when a failed send closed
 * the connection. */
static bool write_some(struct server *s, struct conn *c, bool out_event)
{
    size_t left = s->knobs.wbudget == WBUDGET_DRAIN ? SIZE_MAX : s->knobs.wbudget;

    follow(s, c);
    if (out_event)
        c->wblocked = false;
    c->idle_out_last = out_event && !appbuf_len(&c->out);
    if (c->idle_out_last) {
        c->idle_out++;
        s->stats.idle_out++;
        trace_note(s, c, "", "EPOLLOUT with nothing to write (%llu so far)",
                   (unsigned long long)c->idle_out);
    }
    c->wnotify.stopped_early = false;
    while (appbuf_len(&c->out) && left) {
        size_t want = appbuf_len(&c->out) < left ? appbuf_len(&c->out) : left;
        ssize_t n = send_fd(s, c->fd, appbuf_data(&c->out), want);
        int e = errno;
        count_write(s, c, n, e);
        if (n > 0) {
            trace_send(s, c, want, n, 0, NULL);
            appbuf_consume(&c->out, (size_t)n);
            left -= (size_t)n;
            continue;
        }
        if (n < 0 && e == EINTR)
            continue;
        if (n < 0 && (e == EAGAIN || e == EWOULDBLOCK)) {
            c->wblocked = true;
            char note[64];
            snprintf(note, sizeof note, ", %zu B wait in the reply buffer", appbuf_len(&c->out));
            trace_send(s, c, want, n, e, note);
            break;
        }
        c->write_errors++;
        trace_send(s, c, want, n, n < 0 ? e : 0, n < 0 ? NULL : " (nothing taken)");
        close_conn(s, c, n < 0 ? strerror(e) : "send returned 0");
        return false;
    }
    if (appbuf_len(&c->out) && !c->wblocked) {
        c->wnotify.stopped_early = true;
        trace_note(s, c, "", "wbudget of %zu B spent before EAGAIN, %zu B still to write",
                   s->knobs.wbudget, appbuf_len(&c->out));
    }
    resume_reading(s, c);
    return true;
}

/* EPOLL_CTL_MOD when what the connection needs (conn_interest) is not what
 * epoll holds: EPOLLOUT added with bytes to write and removed once they
 * are written (out needed), EPOLLIN off under backpressure and on again. */
static void update_interest(struct server *s, struct conn *c)
{
    if (c->fd < 0)
        return;
    follow(s, c);
    uint32_t want = conn_interest(s, c);
    bool rearm = c->rearm_due;
    c->rearm_due = false;
    if (want == c->registered && !rearm)
        return;
    uint32_t was = c->registered;
    rearm_conn(s, c);
    struct sbuf m = {0};
    epoll_events_text(want & ~(uint32_t)(EPOLLET | EPOLLONESHOT), &m);
    const char *why = (want & EPOLLOUT) && !(was & EPOLLOUT) ? "bytes to write, EPOLLOUT wanted"
                      : !(want & EPOLLOUT) && (was & EPOLLOUT) ? "all written, EPOLLOUT removed"
                      : want == was ? "re-armed: reads stopped before EAGAIN, bytes may wait"
                      : (want & EPOLLIN) ? "reading again"
                                         : "reading stopped";
    trace_note(s, c, "", CTL_MOD_TEXT " %s: %s", sbuf_str(&m), why);
    sbuf_free(&m);
}

/* ---- wakeups ----------------------------------------------------------- */

/* Says that n no longer starves and for how long it did: the ticks whose
 * epoll_wait missed it.  A socket that starved at the end of one tick and
 * recovers before the next epoll_wait was missed by none: "at once", not
 * "after 0 ticks". */
static void starve_end_as(struct server *s, const struct notify *n, const char *label,
                          const char *why, const char *word)
{
    uint64_t ticks = s->stats.tick - n->starved_since;
    if (!ticks)
        trace_emit(s->trace, TRACE_STARVE, "  %s: no longer %s at once: %s", label, word, why);
    else
        trace_emit(s->trace, TRACE_STARVE, "  %s: no longer %s after %llu tick%s: %s", label, word,
                   (unsigned long long)ticks, ticks == 1 ? "" : "s", why);
}

static void starve_end(struct server *s, const struct notify *n, const char *label,
                       const char *why)
{
    starve_end_as(s, n, label, why, "starved");
}

/* A starved socket that epoll returns anyway got something new. */
static void woken(struct server *s, struct notify *n, const char *label)
{
    n->event_due = false;
    if (s->knobs.mode == MODE_ONESHOT)
        n->armed = false;
    if (n->starved == STARVE_NONE)
        return;
    starve_end(s, n, label, "woken by epoll_wait");
    n->starved = STARVE_NONE;
}

static bool read_wakeup(struct server *s, struct conn *c, uint32_t ev);

/* An EPOLLOUT wakeup of a socket that asks for EPOLLIN: nothing was
 * readable when epoll_wait reported it, so the edge that earlier arrivals
 * made is spent with this event, and the mark is what was read by then
 * (a send it stops early hears nothing more until new bytes come). */
static void out_wakeup_mark(struct conn *c)
{
    c->mark_due = false;
    c->mark_known = true;
    c->received_mark = c->bytes_read + c->twin_bytes;
}

static void handle_conn(struct server *s, struct conn *c, uint32_t ev)
{
    follow(s, c);
    c->wakeups++;
    c->handled_this_tick = true;
    woken(s, &c->notify, c->label);
    c->wnotify.event_due = false;
    if (c->wnotify.starved != STARVE_NONE) {
        starve_end_as(s, &c->wnotify, c->label, "woken by epoll_wait", "write-starved");
        c->wnotify.starved = STARVE_NONE;
    }
    if (ev & EPOLLOUT) {
        c->out_this_tick = true;
        c->out_wakeups++;
        s->stats.out_wakeups++;
    }
    /* Only EPOLLOUT: nothing to read (what waits would be reported with
     * it); and nothing is read while backpressure holds the reading. */
    bool readable = ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR);
    if (readable && !c->reading_paused && !c->close_after_write && !read_wakeup(s, c, ev))
        return;
    if (!readable && (c->registered & EPOLLIN))
        out_wakeup_mark(c);
    c->last_events = ev;
    if ((s->knobs.reply == REPLY_ECHO || (ev & EPOLLOUT)) && !write_some(s, c, ev & EPOLLOUT))
        return;
    if (c->close_after_write && !appbuf_len(&c->out)) {
        close_conn(s, c, "end of stream: read returned 0, replies written");
        return;
    }
    if (autorearm_due(s))
        rearm_conn(s, c);
    else
        update_interest(s, c);
}

/* The read half of a wakeup; false when it closed the connection. */
static bool read_wakeup(struct server *s, struct conn *c, uint32_t ev)
{
    /* New bytes since the previous wakeup: the set named the socket since
     * its count was exact (this tick looked at the set right after its
     * epoll_wait), or the count says more were received than at the mark.
     * Without the set, FIONREAD says, and where the writer reads the mark. */
    if (!s->watch || (c->pending_from == PENDING_UNKNOWN && mark_read_by_writer(s, c)))
        ask_pending(c);
    bool arrived = c->pending_from == PENDING_UNKNOWN;
    /* A FIN or an error the previous wakeup did not report is news too. */
    uint32_t news = ev & (EPOLLRDHUP | EPOLLHUP | EPOLLERR) & ~c->last_events;
    c->last_events = ev;
    if (c->woken_ever && !arrived && !arrived_since_mark(c) && !news) {
        c->renotify++;
        trace_note(s, c, "", "woken again with no new bytes (re-notification %llu)",
                   (unsigned long long)c->renotify);
    }
    /* Anything arriving after this point makes a new edge.  The mark is
     * what was received by now: counted now when the count is exact, else
     * by the sample, once the set says whether anything arrived during
     * this tick (complete_mark). */
    if (arrived) {
        c->mark_due = true;
        c->mark_look = s->looks;
    } else {
        set_mark(c, true);
    }
    c->fin_mark = ev & (EPOLLRDHUP | EPOLLHUP);
    c->fin_seen |= c->fin_mark;
    c->woken_ever = true;
    if ((ev & (EPOLLRDHUP | EPOLLHUP)) && c->state == CONN_OPEN) {
        c->state = CONN_PEER_CLOSED;
        trace_emit(s->trace, TRACE_CONN, "  %s: the peer shut down its sending side", c->label);
    }
    /* Bytes for others only: the twin reader may have read this one first. */
    c->waited = s->tick_bytes - (c->bytes_read + c->twin_bytes - c->read_at_tick_start);
    if (c->waited > c->waited_max)
        c->waited_max = c->waited;
    s->blocking_reads = s->knobs.twin == TWIN_BLOCKING;
    bool open = read_some(s, c, s->knobs.budget, s->knobs.reader);
    s->blocking_reads = false;
    return open;
}

/* The second reader: what the seed's other goroutine did with the same fd.
 * It never closes (the server's reader owns the socket) and never re-arms. */
static void handle_twin(struct server *s, struct conn *c, uint32_t ev)
{
    int err;
    follow(s, c);
    c->twin_wakeups++;
    trace_note(s, c, "", "the twin set (%s) reports %s", twin_mode_text(s),
               ev & EPOLLRDHUP ? "IN|RDHUP" : "IN");
    s->blocking_reads = s->knobs.twin == TWIN_BLOCKING;
    read_loop(s, c, s->knobs.budget, READER_TWIN, s->knobs.reader, &err);
    s->blocking_reads = false;
}

void server_drain(struct server *s, struct conn *c)
{
    if (c->fd < 0)
        return;
    follow(s, c);
    trace_note(s, c, "", "drain requested, reading until EAGAIN");
    if (read_some(s, c, BUDGET_DRAIN, STRATEGY_EAGAIN)) {
        if (!pending_known(s, c)) /* stopped at the cap */
            ask_pending(c);
        set_mark(c, true);
        c->fin_mark = c->state == CONN_PEER_CLOSED;
        if (s->knobs.mode != MODE_ONESHOT)
            update_interest(s, c);
    }
    server_sample(s);
}

/* ---- knobs ------------------------------------------------------------- */

static void rearm_conn(struct server *s, struct conn *c)
{
    follow(s, c);
    c->mods++;
    c->notify.armed = true;
    if (!pending_known(s, c)) /* a mode switch re-arms every fd: ask only where no read told */
        ask_pending(c);
    c->registered = conn_interest(s, c);
    /* EPOLL_CTL_MOD polls the fd again: waiting bytes (or a FIN) make one
     * more event, and so does EPOLLOUT on a socket with room (the write
     * side asks for it only with bytes to write, which it stopped
     * writing before EAGAIN, or for ever with out always). */
    bool in = c->registered & EPOLLIN;
    c->notify.event_due = (in && (c->pending > 0 || c->state == CONN_PEER_CLOSED)) ||
                          (c->registered & EPOLLOUT && !c->wblocked);
    c->wnotify.event_due = c->notify.event_due;
    if (ctl(s, s->epfd, EPOLL_CTL_MOD, c->fd, c->registered, c) < 0)
        trace_emit(s->trace, TRACE_ERROR, "  %s: epoll_ctl MOD: %s", c->label, strerror(errno));
}

static void rearm_listener(struct server *s)
{
    struct listener_info *l = &s->listener;
    l->mods++;
    l->notify.armed = true;
    uint32_t q = 0, lim = 0;
    if (probe_accept_queue(l->fd, &q, &lim) == 0)
        l->queued = q;
    l->notify.event_due = l->queued > 0;
    if (ctl(s, s->epfd, EPOLL_CTL_MOD, l->fd, listener_interest(s), l) < 0)
        trace_emit(s->trace, TRACE_ERROR, "  listener: epoll_ctl MOD: %s", strerror(errno));
}

void server_rearm(struct server *s, struct conn *c)
{
    if (c->fd < 0)
        return;
    rearm_conn(s, c);
    trace_emit(s->trace, TRACE_KNOB, "  %s: " CTL_MOD_TEXT " re-armed%s", c->label,
               c->notify.event_due ? ", bytes are waiting so an event is due" : "");
    server_sample(s);
}

void server_rearm_listener(struct server *s)
{
    if (s->listener.paused) {
        trace_emit(s->trace, TRACE_ERROR, "  listener: paused (out of file descriptors), not re-armed");
        return;
    }
    if (s->listener.retired) {
        trace_emit(s->trace, TRACE_ERROR, "  listener: accept single took its connection; not in the epoll set");
        return;
    }
    rearm_listener(s);
    trace_emit(s->trace, TRACE_KNOB, "  listener: " CTL_MOD_TEXT " re-armed%s",
               s->listener.notify.event_due ? ", connections are waiting so an event is due" : "");
    server_sample(s);
}

static void server_set_mode(struct server *s, enum server_mode m)
{
    size_t fds = 0, due = 0;

    s->knobs.mode = m;
    if (!s->listener.paused && !s->listener.retired) {
        rearm_listener(s);
        fds++;
        due += s->listener.notify.event_due;
    }
    for (size_t i = 0; i < s->nconns; i++) {
        struct conn *c = s->conns[i];
        if (c->fd < 0)
            continue;
        rearm_conn(s, c);
        fds++;
        due += c->notify.event_due;
        /* The twin set keeps to the other mode. */
        if (s->twin_epfd >= 0)
            ctl(s, s->twin_epfd, EPOLL_CTL_MOD, c->fd, twin_interest(s), c);
    }
    trace_emit(s->trace, TRACE_KNOB, "mode %s: " CTL_MOD_TEXT " on %zu fd%s, %zu with something waiting",
               mode_name(m), fds, fds == 1 ? "" : "s", due);
    server_sample(s);
}

static void server_set_budget(struct server *s, size_t budget)
{
    s->knobs.budget = budget;
    if (budget == BUDGET_DRAIN)
        trace_emit(s->trace, TRACE_KNOB, "budget drain: read until EAGAIN on every wakeup");
    else
        trace_emit(s->trace, TRACE_KNOB, "budget %zu: read at most %zu B per wakeup", budget,
                   budget);
}

static void server_set_reader(struct server *s, enum read_strategy how)
{
    static const char *const what[] = {
        [STRATEGY_EAGAIN] = "read until read() returns EAGAIN (or the budget is spent)",
        [STRATEGY_SHORT] = "stop at a read that returns less than asked (the buffer was empty), or at EAGAIN or the budget",
        [STRATEGY_ONCE] = "one read() per wakeup",
    };
    s->knobs.reader = how;
    trace_emit(s->trace, TRACE_KNOB, "reader %s: %s", reader_name(how), what[how]);
}

/* ---- accept single: the seed's one Accept() ---------------------------- */

/* After its one connection the listener leaves the epoll set: the seed
 * never calls accept() again, so nothing would ever answer an event.
 * Later clients still complete the handshake (the kernel does that) and
 * wait in the accept queue, which the sample measures (TCP_INFO of the
 * listener) like any other. */
static void retire_listener(struct server *s)
{
    struct listener_info *l = &s->listener;
    if (l->retired || l->paused)
        return;
    ctl(s, s->epfd, EPOLL_CTL_DEL, l->fd, 0, NULL);
    l->retired = true;
    l->notify.armed = false;
    l->notify.event_due = false;
    trace_emit(s->trace, TRACE_IO,
               "  listener: accept single: its one connection is accepted; epoll_ctl" "(DEL): accept() is never called again");
}

/* Back from single: the listener is watched again, and ADD reports a
 * queue that waits. */
static void restore_listener(struct server *s)
{
    struct listener_info *l = &s->listener;
    if (!l->retired)
        return;
    l->retired = false;
    l->notify.armed = true;
    uint32_t q = 0, lim = 0;
    if (probe_accept_queue(l->fd, &q, &lim) == 0)
        l->queued = q;
    l->notify.event_due = l->queued > 0;
    ctl(s, s->epfd, EPOLL_CTL_ADD, l->fd, listener_interest(s), l);
    trace_emit(s->trace, TRACE_IO, "  listener: epoll_ctl" "(ADD): watched again%s",
               l->notify.event_due ? ", connections are waiting so an event is due" : "");
}

static void server_set_accept(struct server *s, enum accept_policy a)
{
    static const char *const what[] = {
        [ACCEPT_ONE] = "one accept() per wakeup",
        [ACCEPT_ALL] = "accept() until EAGAIN",
        [ACCEPT_SINGLE] = "one connection in the server's life, as the seed's one Accept(); later ones wait in the accept queue",
    };
    s->knobs.accept = a;
    trace_emit(s->trace, TRACE_KNOB, "accept %s: %s", accept_name(a), what[a]);
    if (a == ACCEPT_SINGLE && s->listener.accepts > 0)
        retire_listener(s);
    else if (a != ACCEPT_SINGLE)
        restore_listener(s);
    server_sample(s);
}

static void server_set_autorearm(struct server *s, bool on)
{
    s->knobs.autorearm = on;
    trace_emit(s->trace, TRACE_KNOB, "autorearm %s: %s", on ? "on" : "off",
               on ? "in one-shot mode, EPOLL_CTL_MOD after every handling"
                  : "in one-shot mode, a fired fd stays silent until re-armed");
}

static void server_set_eof_ignore(struct server *s, bool ignore)
{
    s->knobs.eof_ignore = ignore;
    trace_emit(s->trace, TRACE_KNOB, "eof %s: %s", ignore ? "ignore" : "close",
               ignore ? "a read of 0 leaves the fd registered (the bug)"
                      : "a read of 0 closes the connection");
}

static void server_set_rcvbuf(struct server *s, size_t bytes)
{
    /* On the listener: accepted sockets inherit it, and the window scale
     * they offer in the handshake follows from it. */
    if (set_rcvbuf(s, s->listener.fd, bytes) < 0) {
        trace_emit(s->trace, TRACE_ERROR, "rcvbuf: setsockopt SO_RCVBUF: %s", strerror(errno));
        return;
    }
    s->knobs.rcvbuf = bytes;
    trace_emit(s->trace, TRACE_KNOB,
               "rcvbuf %zu: SO_RCVBUF of connections accepted from now on (the kernel doubles it)",
               bytes);
}

static void server_set_twin(struct server *s, enum twin_mode m)
{
    bool on = m != TWIN_OFF;
    if (on && s->twin_epfd >= 0) {
        if (m != s->knobs.twin)
            trace_emit(s->trace, TRACE_KNOB, "twin %s: %s", m == TWIN_BLOCKING ? "blocking" : "on",
                       m == TWIN_BLOCKING ? BLOCKING_TEXT : "both readers read a non-blocking fd");
        s->knobs.twin = m;
        return;
    }
    if (!on && s->twin_epfd < 0)
        return;
    if (!on) {
        close_fd(s, s->twin_epfd);
        s->twin_epfd = -1;
        s->knobs.twin = TWIN_OFF;
        if (s->asleep[READER_TWIN]) /* its reader is gone with it */
            s->asleep[READER_TWIN]->twin_asleep = false;
        s->asleep[READER_TWIN] = NULL;
        trace_emit(s->trace, TRACE_KNOB, "twin off: the second epoll set is closed");
        return;
    }
    s->twin_epfd = create_twin_set(s);
    if (s->twin_epfd < 0) {
        trace_emit(s->trace, TRACE_ERROR, "twin: epoll_create1: %s", strerror(errno));
        return;
    }
    s->knobs.twin = m;
    size_t fds = 0;
    for (size_t i = 0; i < s->nconns; i++) {
        struct conn *c = s->conns[i];
        if (c->fd >= 0 && ctl(s, s->twin_epfd, EPOLL_CTL_ADD, c->fd, twin_interest(s), c) == 0)
            fds++;
    }
    /* It watches every connection accepted from now on as well: a count
     * of 0 would read as "none" once the first client is on screen. */
    if (fds)
        trace_emit(s->trace, TRACE_KNOB,
                   "twin on: a second epoll set (%s) watches %zu open connection%s and new ones; the sets take turns going first",
                   twin_mode_text(s), fds, fds == 1 ? "" : "s");
    else
        trace_emit(s->trace, TRACE_KNOB,
                   "twin on: a second epoll set (%s) will watch each new connection; the sets take turns going first",
                   twin_mode_text(s));
    if (m == TWIN_BLOCKING)
        trace_emit(s->trace, TRACE_KNOB, "twin blocking: %s", BLOCKING_TEXT);
}

/* What the write side's knobs change now: each open connection's mask
 * (out), and whether its reading is held back (reply-buffer). */
static void update_writers(struct server *s)
{
    for (size_t i = 0; i < s->nconns; i++) {
        struct conn *c = s->conns[i];
        if (c->fd < 0)
            continue;
        c->out.bound = s->knobs.reply_buffer;
        if (s->knobs.reply == REPLY_ECHO)
            set_nodelay(s, c);
        if (s->knobs.reply == REPLY_ECHO && reply_room(s, c) == 0)
            pause_reading(s, c);
        else
            resume_reading(s, c);
        update_interest(s, c);
    }
}

static void server_set_reply(struct server *s, enum reply_policy r)
{
    s->knobs.reply = r;
    trace_emit(s->trace, TRACE_KNOB, "reply %s: %s", r == REPLY_ECHO ? "echo" : "none",
               r == REPLY_ECHO ? "write back every byte read (TCP_NODELAY); what send() does not take waits in the reply buffer"
                               : "read only; what waits in reply buffers is still written");
    update_writers(s);
}

static void server_set_out(struct server *s, enum out_strategy o)
{
    s->knobs.out = o;
    trace_emit(s->trace, TRACE_KNOB, "out %s: %s", out_name(o),
               o == OUT_ALWAYS ? "EPOLLOUT stays registered, bytes to write or not"
                               : "EPOLLOUT registered only while bytes wait to be written");
    update_writers(s);
}

static void server_set_wbudget(struct server *s, size_t b)
{
    s->knobs.wbudget = b;
    if (b == WBUDGET_DRAIN)
        trace_emit(s->trace, TRACE_KNOB, "wbudget drain: write until EAGAIN or nothing is left");
    else
        trace_emit(s->trace, TRACE_KNOB, "wbudget %zu: write at most %zu B per wakeup", b, b);
}

static void server_set_reply_buffer(struct server *s, size_t b)
{
    char a[24];
    s->knobs.reply_buffer = b;
    format_bytes(b, a, sizeof a);
    trace_emit(s->trace, TRACE_KNOB,
               "reply-buffer %zu: a connection's replies may wait up to %s; then its reading stops", b, a);
    update_writers(s);
}

const struct knobs *server_knobs(const struct server *s) { return &s->knobs; }

/* Each knob's meaning for the server: the values were checked against its
 * row (knob.c). */
void server_set_knob(struct server *s, enum knob_id id, size_t v)
{
    /* A knob can change what every socket's sample says: all are looked
     * at once more (a knob is turned by hand, not every tick). */
    for (size_t i = 0; i < s->nconns; i++)
        if (s->conns[i]->fd >= 0)
            follow(s, s->conns[i]);
    switch (id) {
    case KNOB_MODE:
        server_set_mode(s, (enum server_mode)v);
        break;
    case KNOB_BUDGET:
        server_set_budget(s, v);
        break;
    case KNOB_READER:
        server_set_reader(s, (enum read_strategy)v);
        break;
    case KNOB_ACCEPT:
        server_set_accept(s, (enum accept_policy)v);
        break;
    case KNOB_AUTOREARM:
        server_set_autorearm(s, v != 0);
        break;
    case KNOB_EOF:
        server_set_eof_ignore(s, v != 0);
        break;
    case KNOB_RCVBUF:
        server_set_rcvbuf(s, v);
        break;
    case KNOB_TWIN:
        server_set_twin(s, (enum twin_mode)v);
        break;
    case KNOB_REPLY:
        server_set_reply(s, (enum reply_policy)v);
        break;
    case KNOB_OUT:
        server_set_out(s, (enum out_strategy)v);
        break;
    case KNOB_WBUDGET:
        server_set_wbudget(s, v);
        break;
    case KNOB_REPLY_BUFFER:
        server_set_reply_buffer(s, v);
        break;
    case KNOB_COUNT:
        break;
    }
}

/* ---- sampling and starvation ------------------------------------------- */

/* Records a starvation change; `why` says why it starves or no longer
 * does; `head` and `word` name the side ("STARVED", "starved"). */
static void starve_update_as(struct server *s, struct notify *n, enum starve_kind now,
                             const char *label, const char *why, const char *head,
                             const char *word)
{
    if (now != STARVE_NONE && n->starved == STARVE_NONE) {
        n->starved_since = s->stats.tick;
        trace_emit(s->trace, TRACE_STARVE, "  %s: %s since tick %llu: %s", label, head,
                   (unsigned long long)n->starved_since, why);
    } else if (now == STARVE_NONE && n->starved != STARVE_NONE) {
        starve_end_as(s, n, label, why, word);
    }
    n->starved = now;
}

static void starve_update(struct server *s, struct notify *n, enum starve_kind now,
                          const char *label, const char *why)
{
    starve_update_as(s, n, now, label, why, "STARVED", "starved");
}

/* Why a socket stopped starving; `fresh` names what arrived, if anything. */
static const char *recovery(const struct server *s, bool waiting, const struct notify *n,
                            const char *fresh)
{
    if (!waiting)
        return "nothing waits any more";
    if (n->event_due)
        return "EPOLL_CTL_MOD found something waiting, an event is due";
    if (fresh)
        return fresh;
    return s->knobs.mode == MODE_LT ? "level-triggered reports what waits" : "an event is due";
}

static void conn_what(const struct conn *c, struct sbuf *out)
{
    if (c->pending > 0)
        sbuf_printf(out, "%ld B waiting%s", c->pending, c->eof_waiting ? " and the end of stream" : "");
    else
        sbuf_add(out, "the peer sent FIN and the end of stream waits unread");
}

/* The write side: the send queue, and write starvation by the same rule
 * as the read side's, with the write loop's facts: bytes wait in the
 * application buffer, the last send loop stopped before EAGAIN (so the
 * kernel set no flag to report room), no EPOLL_CTL_MOD queued an event,
 * and no bytes from the client arrived since (an EPOLLIN event reports
 * EPOLLOUT with it).  Returns true if anything shown changed. */
static bool sample_writer(struct server *s, struct conn *c)
{
    if (s->knobs.reply != REPLY_ECHO && !c->writes && !appbuf_len(&c->out) &&
        !(c->registered & EPOLLOUT))
        return false;
    long was_outq = c->outq;
    c->outq = probe_send_queue(c->fd);
    c->sndbuf = probe_sndbuf(c->fd);
    bool waiting = appbuf_len(&c->out) > 0;
    bool can_wake = !c->reading_paused;
    bool fresh = can_wake && arrived_since_mark(c);
    c->wnotify.armed = c->notify.armed;
    enum starve_kind k = notify_starvation(s->knobs.mode, &c->wnotify, waiting, fresh);
    if (k == c->wnotify.starved)
        return c->outq != was_outq;
    struct sbuf why = {0};
    if (k != STARVE_NONE)
        conn_wstarve_reason(c, k, &why);
    else
        sbuf_add(&why, !waiting ? "nothing waits to be written"
                       : fresh  ? "new bytes arrived, an event is due"
                                : "an event is due");
    starve_update_as(s, &c->wnotify, k, c->label, sbuf_str(&why), "WRITE-STARVED", "write-starved");
    sbuf_free(&why);
    return true;
}

/* Returns true if what the screen shows of it changed. */
static bool sample_conn(struct server *s, struct conn *c)
{
    long was_pending = c->pending;
    complete_mark(s, c);
    if (!pending_known(s, c))
        ask_pending(c);
    bool wchanged = c->fd >= 0 && sample_writer(s, c);
    bool was_eof = c->eof_waiting;
    /* The peer's FIN is only worth a TCP_INFO where it can strand; once
     * a read returned 0 the server has seen it (and ignored it, or the
     * socket would be closed): nothing waits any more. */
    c->eof_waiting = s->knobs.mode != MODE_LT && c->eof_reads == 0 && (c->fin_seen || !s->watch) &&
                     probe_fin_received(c->fd) == 1;
    bool changed = c->pending != was_pending || c->eof_waiting != was_eof;
    bool waiting = c->pending > 0 || c->eof_waiting;
    const char *fresh = arrived_since_mark(c) ? "new bytes arrived, a new edge is due"
                        : c->eof_waiting && !c->fin_mark   ? "the peer sent FIN, a new edge is due"
                                                           : NULL;
    enum starve_kind k = notify_starvation(s->knobs.mode, &c->notify, waiting, fresh != NULL);
    /* A level-triggered twin set (twin on, this server ET or one-shot)
     * reports whatever waits: nothing can starve while it watches. */
    if (s->twin_epfd >= 0 && s->knobs.mode != MODE_LT)
        k = STARVE_NONE;
    /* Held back on purpose: writing its replies makes the EPOLL_CTL_MOD
     * that reads it again, and an event comes with it. */
    if (c->reading_paused)
        k = STARVE_NONE;
    /* Who could make a new edge: not a client whose window is closed.
     * Asked of the kernel only for what starves. */
    bool was_closed = c->window_closed;
    c->window_closed = k == STARVE_EDGE && probe_own_window(c->fd) == 0;
    changed |= c->window_closed != was_closed;
    changed |= wchanged;
    if (k == c->notify.starved)
        return changed;
    struct sbuf why = {0};
    if (k != STARVE_NONE)
        conn_starve_reason(c, k, &why);
    else
        sbuf_add(&why, recovery(s, waiting, &c->notify, fresh));
    starve_update(s, &c->notify, k, c->label, sbuf_str(&why));
    sbuf_free(&why);
    return true;
}

static bool sample_listener(struct server *s)
{
    struct listener_info *l = &s->listener;
    uint32_t q, lim, was = l->queued;
    if (probe_accept_queue(l->fd, &q, &lim) == 0) {
        l->queued = q;
        l->queue_limit = lim;
        if (q > l->queue_peak)
            l->queue_peak = q;
    }
    bool waiting = l->queued > 0 && !l->paused && !l->retired;
    const char *fresh = l->queued > l->queued_mark ? "a new connection arrived, a new edge is due"
                                                   : NULL;
    enum starve_kind k = notify_starvation(s->knobs.mode, &l->notify, waiting, fresh != NULL);
    if (k == l->notify.starved)
        return l->queued != was;
    struct sbuf why = {0};
    if (k != STARVE_NONE)
        listener_starve_reason(l, k, &why);
    else
        sbuf_add(&why, recovery(s, waiting, &l->notify, fresh));
    starve_update(s, &l->notify, k, "listener", sbuf_str(&why));
    sbuf_free(&why);
    return true;
}

/* Errors leave the list empty: the view then shows nothing rather than
 * an old list (an fdinfo of our own epoll fd is not expected to fail). */
static bool sample_interest(struct server *s)
{
    if (!s->interest_dirty)
        return false;
    struct sbuf err = {0};
    fdinfo_free(&s->interest);
    fdinfo_read(s->epfd, &s->interest, &err);
    sbuf_free(&err);
    s->interest_dirty = false;
    return true;
}

/* Who is sampled.  An open socket is quiet when nothing waits in it,
 * nothing is due, it is armed and not starved: sampling it would say what
 * the last sample said, and only the kernel can change that, by something
 * arriving.  Arrivals make the instrument's edge-triggered set (watch.h)
 * report the socket, whatever the lesson's mode and clock; so a sample
 * asks the kernel about the followed sockets (reported this tick, read,
 * re-armed, closed, with something waiting or due at their last sample)
 * and what that set reports, in id order as the whole list was, and the
 * tick draws their timelines.  Each is let go at the end of the tick in
 * which it became quiet. */
static void follow(struct server *s, struct conn *c)
{
    if (c->followed)
        return;
    c->followed = true;
    /* Followed during a tick before any read of this tick (a read follows
     * it first): what it had read is what it had read at the start. */
    if (s->in_tick)
        c->read_at_tick_start = c->bytes_read + c->twin_bytes;
    if (s->nfollowed == s->followed_cap) {
        s->followed_cap = s->followed_cap ? s->followed_cap * 2 : 64;
        s->followed = xrealloc(s->followed, s->followed_cap * sizeof *s->followed);
    }
    if (s->nfollowed && s->followed[s->nfollowed - 1]->id > c->id)
        s->followed_sorted = false;
    s->followed[s->nfollowed++] = c;
}

/* Quiet: its next sample would say what the last one said unless
 * something arrives (the instrument's set names it then) or the server
 * acts on it (which follows it).  Bytes waiting unread, an unread FIN, a
 * starvation or a fired one-shot do not change by themselves. */
static bool quiet(const struct server *s, const struct conn *c)
{
    if (c->fd < 0)
        return true;
    /* The write side: nothing to write, nothing in flight (SIOCOUTQ falls
     * as the peer acknowledges, which no event of ours says). */
    bool writer_quiet = !appbuf_len(&c->out) && c->outq <= 0 && !c->wblocked &&
                        !c->close_after_write && !c->reading_paused &&
                        c->wnotify.starved == STARVE_NONE && !c->wnotify.event_due;
    /* A closed window may reopen on the peer's probe, which no event says. */
    return s->watch && writer_quiet && c->pending >= 0 && !c->window_closed &&
           !c->notify.event_due && !c->asleep && !c->twin_asleep;
}

static void unfollow_quiet(struct server *s)
{
    size_t j = 0;
    for (size_t i = 0; i < s->nfollowed; i++) {
        struct conn *c = s->followed[i];
        if (quiet(s, c))
            c->followed = false;
        else
            s->followed[j++] = c;
    }
    s->nfollowed = j;
}

static int by_id(const void *a, const void *b)
{
    unsigned x = (*(struct conn *const *)a)->id, y = (*(struct conn *const *)b)->id;
    return x < y ? -1 : x > y;
}

/* conns[] is in id order (accept order; pruning keeps it). */
size_t server_conn_index(const struct server *s, unsigned id)
{
    size_t lo = 0, hi = s->nconns;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->conns[mid]->id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->nconns && s->conns[lo]->id == id ? lo : SIZE_MAX;
}

static struct conn *conn_by_id(const struct server *s, unsigned id)
{
    size_t i = server_conn_index(s, id);
    return i == SIZE_MAX ? NULL : s->conns[i];
}

static void follow_ready(void *ctx, uint64_t key, uint32_t events)
{
    struct server *s = ctx;
    /* Where it was put: the place unless pruning moved it since. */
    size_t at = (size_t)(key >> 32);
    unsigned id = (unsigned)key;
    struct conn *c = at < s->nconns && s->conns[at]->id == id ? s->conns[at] : conn_by_id(s, id);
    if (!c || c->fd < 0)
        return;
    follow(s, c);
    c->pending_from = PENDING_UNKNOWN; /* something arrived: ask */
    c->named_look = s->looks;
    if (events & (EPOLLRDHUP | EPOLLHUP))
        c->fin_seen = true;
}

/* The census as it goes: a record changes only while followed (what
 * changes a quiet one follows it first, a mode switch included: it
 * re-arms every fd), and each sample, and each look at the census,
 * counts the followed ones again; a pruned record takes its share out.
 * tests/unit/test_census.c holds it to a count of every record. */
static void count_followed(struct server *s)
{
    bool lt = s->knobs.mode == MODE_LT;
    for (size_t i = 0; i < s->nfollowed; i++) {
        struct conn *c = s->followed[i];
        uint8_t share = census_share(lt, c);
        if (c->census_counted && share == c->census_share)
            continue;
        if (c->census_counted)
            census_add(&s->census, c->census_share, -1);
        census_add(&s->census, share, 1);
        c->census_share = share;
        c->census_counted = true;
    }
}

const struct census *server_census(struct server *s)
{
    count_followed(s);
    return &s->census;
}

/* Follows each socket the instrument's set names: something arrived. */
static void look_at_arrivals(struct server *s)
{
    if (!s->watch)
        return;
    s->looks++;
    watch_ready(s->watch, s->stats.open_conns + 1, follow_ready, s);
}

bool server_sample(struct server *s)
{
    bool changed = sample_interest(s);
    look_at_arrivals(s);
    if (!s->followed_sorted) {
        if (s->nfollowed > 1) /* qsort's base may be NULL when empty */
            qsort(s->followed, s->nfollowed, sizeof *s->followed, by_id);
        s->followed_sorted = true;
    }
    for (size_t i = 0; i < s->nfollowed; i++)
        if (s->followed[i]->fd >= 0)
            changed |= sample_conn(s, s->followed[i]);
    count_followed(s);
    changed |= sample_listener(s);
    return changed;
}

size_t server_followed(const struct server *s) { return s->nfollowed; }

void conn_starve_reason(const struct conn *c, enum starve_kind k, struct sbuf *out)
{
    conn_starve_reason_brief(c, k, 0, out);
}

void conn_starve_reason_brief(const struct conn *c, enum starve_kind k, int brevity,
                              struct sbuf *out)
{
    struct sbuf what = {0};
    conn_what(c, &what);
    notify_reason_brief(k, sbuf_str(&what),
                        c->eof_waiting     ? WAKER_NONE
                        : c->window_closed ? WAKER_WINDOW
                                           : WAKER_CLIENT,
                        brevity, out);
    sbuf_free(&what);
}

void conn_wstarve_reason(const struct conn *c, enum starve_kind k, struct sbuf *out)
{
    conn_wstarve_reason_brief(c, k, 0, out);
}

void conn_wstarve_reason_brief(const struct conn *c, enum starve_kind k, int brevity,
                               struct sbuf *out)
{
    struct sbuf what = {0};
    sbuf_printf(&what, "%zu B unsent", appbuf_len(&c->out));
    notify_write_reason_brief(k, sbuf_str(&what), !c->reading_paused, brevity, out);
    sbuf_free(&what);
}

void listener_starve_reason(const struct listener_info *l, enum starve_kind k, struct sbuf *out)
{
    struct sbuf what = {0};
    sbuf_printf(&what, "%u connection%s in the accept queue", l->queued, l->queued == 1 ? "" : "s");
    notify_reason(k, sbuf_str(&what), WAKER_CONNECT, out);
    sbuf_free(&what);
}

/* ---- accessors --------------------------------------------------------- */

bool server_sends_settled(const struct server *s)
{
    for (size_t i = 0; i < s->nconns; i++) {
        const struct conn *c = s->conns[i];
        if (c->fd < 0 || !c->writes)
            continue;
        long outq = probe_send_queue(c->fd), unsent = probe_send_unsent(c->fd);
        if (outq <= 0 || unsent < 0)
            continue;
        if (outq - unsent > 0)
            return false; /* in flight: its ACK is on the way */
        uint32_t wnd = 0, mss = 0;
        /* Held back by a window too small for a segment: nothing moves
         * until the peer reads. */
        if (probe_send_window(c->fd, &wnd, &mss) == 0 && wnd < mss)
            continue;
        return false;
    }
    return true;
}

int server_epoll_fd(const struct server *s) { return s->epfd; }
int server_wake_fd(const struct server *s)
{
    const struct conn *c = s->asleep[0];
    return c && c->fd >= 0 ? c->fd : s->epfd;
}
const struct fdinfo *server_interest(const struct server *s) { return &s->interest; }
int server_listener_fd(const struct server *s) { return s->listener.fd; }
const char *server_address(const struct server *s) { return s->address; }
uint16_t server_port(const struct server *s) { return s->port; }
int server_family(const struct server *s) { return s->family; }

socklen_t server_sockaddr(const struct server *s, struct sockaddr_storage *ss)
{
    *ss = s->bound;
    return s->bound_len;
}
const struct server_stats *server_stats(const struct server *s) { return &s->stats; }
const struct listener_info *server_listener(const struct server *s) { return &s->listener; }
size_t server_conn_count(const struct server *s) { return s->nconns; }
struct conn *server_conn_at(const struct server *s, size_t i) { return i < s->nconns ? s->conns[i] : NULL; }

struct conn *server_find(const struct server *s, const char *label)
{
    struct conn *closed = NULL;
    for (size_t i = s->nconns; i-- > 0;) {
        struct conn *c = s->conns[i];
        if (strcmp(c->label, label) != 0)
            continue;
        if (c->fd >= 0)
            return c;
        if (!closed)
            closed = c;
    }
    return closed;
}
