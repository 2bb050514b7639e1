/*
 * conn.h - what the taught server knows about each of its sockets.
 *
 * The server (server.c) owns and updates these records; every other module
 * reads them and must not write.  A record outlives its socket: a closed
 * connection stays listed (fd == -1) so the class can see how it ended,
 * until server_tick prunes old closed records: a view keeps a connection's
 * id, not a pointer, across ticks.
 */
#ifndef EPOLLVIZ_CONN_H
#define EPOLLVIZ_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "appbuf.h"
#include "notify.h"

/* Per-tick marks for the timeline strip. */
enum {
    MARK_ARRIVED = 1 << 0, /* new bytes (or connections) arrived before this epoll_wait */
    MARK_LEVEL = 1 << 1,   /* data was waiting when epoll_wait was called */
    MARK_WOKEN = 1 << 2,   /* epoll_wait returned this fd */
    MARK_EAGAIN = 1 << 3,  /* the handling drained it: EAGAIN, a short read, the end */
    MARK_STARVED = 1 << 4, /* starved after this tick */
    MARK_CLOSED = 1 << 5,  /* closed during this tick */
    MARK_WOKEN_SECOND = 1 << 6, /* a second epoll set (twin on) returned this fd */
    MARK_VALID = 1 << 7,   /* the socket existed during this tick */
};

#define TIMELINE_TICKS 1024 /* a power of two; at least 512 ticks are kept */

struct timeline {
    uint8_t marks[TIMELINE_TICKS];
    uint64_t last_tick; /* newest tick written; 0 = none yet */
    /* What every tick after last_tick reads as until the next write: a
     * quiet open socket is not written each tick (MARK_VALID), a closed
     * one reads blank (0). */
    uint8_t steady;
};

/* Marks for `tick` (not later than the current one), or 0 when it is
 * older than the ring or before the first write. */
uint8_t timeline_get(const struct timeline *t, uint64_t tick);
void timeline_set(struct timeline *t, uint64_t tick, uint8_t marks);

/* The write side's marks per tick (the panel's `out` row), beside the
 * read side's: a tick is valid when the read side's marks say so. */
enum {
    WMARK_WAITING = 1 << 0, /* replies waited to be written: at the tick's end, or when
                               its EPOLLOUT came (the write side's level) */
    WMARK_OUT = 1 << 1,     /* epoll_wait reported EPOLLOUT (the write side's wakeup) */
    WMARK_STARVED = 1 << 2, /* write-starved after this tick */
};

/* Four bits a tick, in a ring allocated at the first mark: a connection
 * that never writes (every read-side lesson, most of 10,000 clients)
 * costs the struct alone. */
struct wtimeline {
    uint8_t *cells; /* TIMELINE_TICKS / 2 bytes, two ticks each; NULL until a mark */
    uint64_t last_tick;
    uint8_t steady; /* as struct timeline's */
};

/* As timeline_get and timeline_set; a tick never marked reads 0. */
uint8_t wtimeline_get(const struct wtimeline *t, uint64_t tick);
void wtimeline_set(struct wtimeline *t, uint64_t tick, uint8_t marks);
void wtimeline_free(struct wtimeline *t);

struct sbuf;
/* Appends an epoll event mask as "IN|RDHUP" ("0" when empty). */
void epoll_events_text(uint32_t ev, struct sbuf *out);

enum conn_state {
    CONN_OPEN,
    CONN_PEER_CLOSED, /* the peer shut down its write half (RDHUP seen); bytes may remain */
    CONN_CLOSED,      /* the server closed its socket */
};

#define CONN_LABEL_MAX 64
#define CONN_TAIL_MAX 48

struct conn {
    unsigned id;                /* 1, 2, ... in accept order */
    char label[CONN_LABEL_MAX]; /* scenario client name, or peer address */
    char peer_host[48];         /* the peer's address without its port (--max-per-peer) */
    bool scripted;              /* opened by a scenario client of this process */
    int fd;                     /* server-side socket; -1 once closed */
    enum conn_state state;
    char close_reason[64];

    /* Counters of real syscalls and real epoll_wait results. */
    uint64_t wakeups;      /* epoll_wait returned this fd */
    uint64_t renotify;     /* wakeups with no new byte since the previous wakeup */
    uint64_t reads;        /* read() calls, EAGAIN ones included */
    uint64_t eagain_reads; /* read() calls that returned EAGAIN */
    uint64_t bytes_read;
    uint64_t mods;         /* EPOLL_CTL_MOD calls on this fd */
    uint64_t eof_reads;    /* read() calls that returned 0 (end of stream) */
    uint64_t waited;       /* at its last handling, bytes the server read from other
                              connections earlier in the same tick */
    uint64_t waited_max;
    /* The second reader (twin on): its own epoll set, in the other mode. */
    uint64_t twin_wakeups, twin_reads, twin_bytes;
    /* The second reader's last bytes, raw, over its reads as tail[] is
     * the server reader's: fewer, so its panel line fits 80 columns. */
    unsigned char twin_tail[32];
    size_t twin_tail_len;
    uint32_t last_events;  /* the last event mask epoll_wait returned for it */
    /* twin blocking: the server's reader, the twin reader, sleeps inside
     * read() on it (derived from FIONREAD = 0 on a blocking fd). */
    bool asleep, twin_asleep;

    /* Kernel state, sampled after every tick and every command. */
    long pending;     /* FIONREAD; -1 if the kernel refused */
    /* How pending is known (server.c, "what a read tells"): asked with
     * FIONREAD, or carried from the server's own reads (EAGAIN said the
     * queue was empty; n bytes taken from what FIONREAD said) while the
     * instrument's set names no arrival.  Unknown once the set names one. */
    enum { PENDING_ASKED, PENDING_FROM_READS, PENDING_UNKNOWN } pending_from;
    /* The last wakeup's mark (received_mark) and how it is known: the
     * look at the set before that wakeup, the last look that named the
     * socket (server.c, complete_mark). */
    bool mark_known, mark_due;
    /* What the server's census counts for it (census.h), if counted. */
    uint8_t census_share;
    bool census_counted;
    uint64_t mark_look, named_look;
    bool eof_waiting; /* the peer's FIN arrived and its read of 0 is not done */
    bool window_closed; /* starved with our advertised window at 0 (TCP_INFO): the client cannot send */
    long rcvbuf;      /* SO_RCVBUF, read once at accept (accepted sockets inherit it) */

    struct notify notify;

    /* The write side (reply echo): what the server writes back. */
    struct appbuf out;        /* the application buffer: read, not yet written */
    uint64_t writes;          /* send() calls, EAGAIN ones included */
    uint64_t eagain_writes;   /* send() calls that returned EAGAIN */
    uint64_t bytes_written;
    uint64_t write_errors;    /* send() calls that failed (a reset peer: no SIGPIPE) */
    uint64_t out_wakeups;     /* wakeups that reported EPOLLOUT */
    uint64_t idle_out;        /* ... with nothing to write */
    bool idle_out_last;       /* its last wakeup was one of those */
    uint32_t registered;      /* the interest mask as last given to epoll_ctl */
    bool reading_paused;      /* backpressure: the buffer reached its bound, EPOLLIN is off */
    bool rearm_due;           /* ET: reading resumed after it stopped short of EAGAIN, with
                                 no MOD between: one is made, or no edge would come */
    bool close_after_write;   /* read returned 0 while replies waited: the peer can
                                 still read them, so close once they are written */
    bool wblocked;            /* the last send() returned EAGAIN: the kernel reports
                                 EPOLLOUT once room frees (an edge will come) */
    uint64_t pauses;          /* times reading stopped for it */
    long outq;                /* SIOCOUTQ: our send queue, sent or not, sampled */
    long sndbuf;              /* SO_SNDBUF, sampled with it (it autotunes) */
    bool nodelay;             /* TCP_NODELAY set (reply echo): replies are not held by Nagle */
    struct notify wnotify;    /* the write side's starvation: stopped_early is the
                                 last write loop's; armed follows notify's */

    uint64_t opened_tick, closed_tick;
    uint64_t received_mark;      /* bytes received (read + pending) when last handled */
    bool fin_mark;               /* the FIN had arrived when last handled */
    uint64_t received_at_tick;   /* bytes_read + FIONREAD at the last tick sample */
    uint64_t read_at_tick_start; /* bytes_read + twin_bytes when the current tick began */
    bool woken_ever;
    bool followed; /* on the server's list of sockets sampled each tick (server.c) */
    bool fin_seen; /* an event (ours or the instrument's) said the peer's FIN came */
    bool handled_this_tick;
    bool twin_this_tick;

    /* The last bytes received, raw: escape them before display. */
    unsigned char tail[CONN_TAIL_MAX];
    size_t tail_len;

    struct timeline timeline;
    struct wtimeline wtimeline; /* the write side's row (reply echo, EPOLLOUT) */
    bool out_this_tick;         /* epoll_wait reported EPOLLOUT for it in this tick */
};

struct listener_info {
    int fd;
    char address[64]; /* "127.0.0.1:8080" */
    uint64_t wakeups, accepts, accept_calls, accept_eagain, accept_emfile;
    uint64_t rejected; /* refused connections, each for one of: */
    uint64_t rejected_emfile, rejected_max_conns, rejected_max_per_peer;
    uint64_t mods;
    uint32_t last_events;
    uint32_t queued, queue_limit, queue_peak; /* TCP_INFO on the listening socket */
    bool paused; /* out of fds and no reserve left: not watched until one frees */
    bool retired; /* accept single took its one connection: out of the epoll set for good */
    struct notify notify;
    uint32_t queued_mark; /* queue length when last handled, minus what it accepted */
    uint32_t queued_at_tick;
    struct timeline timeline;
};

#endif
