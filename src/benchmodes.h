/*
 * benchmodes.h - --bench-modes: what each mode and reader costs, measured
 * on the taught server itself.
 *
 * The real server (server.c, its instruments included) runs in this
 * thread; a load generator runs in a child process on loopback.  Three
 * shapes of load:
 *   saturated     each connection writes 16 messages a write, back to back;
 *   bursty        one message a write per connection, then a pause;
 *   unread-ready  N connections each hold bytes that the application
 *                 leaves unread on purpose, and epoll_wait(0) is called on
 *                 the server's own epoll instance (N = 100, 1,000, 10,000,
 *                 capped by the descriptor limit, with a note).
 * Every figure is counted or measured, never computed from a model: the
 * server's own counters (epoll_wait calls, events, reads, EAGAIN reads,
 * syscalls), getrusage(RUSAGE_THREAD) of this thread (context switches,
 * CPU time), and the clock around each epoll_wait of the unread shape.
 *
 * Call order: benchmodes_run fills a result (it takes about `seconds` in
 * all, writing a progress line to `progress` if not NULL), then
 * benchmodes_print writes it as a table or CSV; benchmodes_free frees it.
 * benchmodes_run returns 0, or -1 with a message in err when the bench
 * could not start (no loopback, no fork).
 */
#ifndef EPOLLVIZ_BENCHMODES_H
#define EPOLLVIZ_BENCHMODES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "knob.h"
#include "util.h"

enum bench_shape { SHAPE_SATURATED, SHAPE_BURSTY, SHAPE_COUNT };

#define BENCH_MSG 64           /* bytes a message: 63 letters and a newline */
#define BENCH_CONNS 16         /* connections of the saturated and bursty shapes */
#define BENCH_SECONDS_DEFAULT 40
#define BENCH_SECONDS_MAX 600
#define BENCH_UNREAD_SIZES 3
extern const unsigned bench_unread_sizes[BENCH_UNREAD_SIZES]; /* 100, 1000, 10000 */

/* One mode x reader x budget under one shape. */
struct bench_cell {
    enum bench_shape shape;
    enum server_mode mode;
    enum read_strategy reader;
    size_t budget;           /* BUDGET_DRAIN or 16 */
    bool done;               /* measured (false: skipped, out of time) */
    uint64_t messages;       /* messages the server read (bytes / BENCH_MSG) */
    uint64_t waits, events, reads, eagain, syscalls;
    uint64_t vcsw, ivcsw;    /* of the server thread, RUSAGE_THREAD */
    uint64_t cpu_us;         /* user + system of the server thread */
    uint64_t left;           /* bytes still unread when the cell ended */
    unsigned starved;        /* connections then starved (the server's rule: no event can come) */
};

/* epoll_wait(0) on the server's instance with N connections holding unread bytes. */
struct bench_unread {
    enum server_mode mode;
    unsigned n;              /* connections asked for */
    unsigned held;           /* connections the server held (n, or fewer at the fd limit) */
    bool done;
    uint64_t calls;          /* epoll_wait calls timed (after the first) */
    uint64_t events;         /* events they returned, summed */
    uint64_t first_events;   /* what the first call returned */
    double us_per_call;
};

struct bench_result {
    struct bench_cell *cells;
    size_t ncells;
    struct bench_unread unread[3 * BENCH_UNREAD_SIZES];
    size_t nunread;
    unsigned seconds;        /* the time asked for */
    double elapsed;          /* seconds it took */
    struct sbuf notes;       /* lines to print under the tables (the fd limit ...) */
};

int benchmodes_run(unsigned seconds, FILE *progress, struct bench_result *out, struct sbuf *err);
void benchmodes_print(const struct bench_result *r, bool csv, struct sbuf *out);
void benchmodes_free(struct bench_result *r);

const char *bench_shape_name(enum bench_shape s);

/* What the bench and the claims' probes (claims.c) both use: the
 * monotonic clock in seconds, and a blocking TCP_NODELAY client connected
 * to ss (a socket, or -1). */
double bench_now(void);
int bench_dial(const struct sockaddr_storage *ss, socklen_t len);

struct options;
/* --bench-modes: runs, prints the table (or CSV) on stdout, the progress
 * on stderr; the exit status (0, or 1 when it could not run). */
int benchmodes_main(const struct options *o);

#endif
