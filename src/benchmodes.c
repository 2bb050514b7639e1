/*
 * benchmodes.c - --bench-modes: the taught server under a loopback load,
 * per mode x reader x budget, and epoll_wait over unread-ready sockets.
 *
 * The server is the real one (server_open, server_tick), with no trace
 * sink, in this thread; the load comes from a child process, so the
 * server thread's getrusage(RUSAGE_THREAD) holds only the server's
 * context switches and CPU time, and 10,000 connections cost this process
 * one descriptor each, not two.  The parent and the child talk through two
 * pipes: `go` (the parent says start; its end of file says stop and
 * exit) and `done` (the child says it has sent everything).
 */
#include "benchmodes.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "options.h"
#include "probe.h"
#include "server.h"

#define BURST_PAUSE_NS 1000000L  /* bursty: 1 ms between rounds of one message each */
#define SATURATED_BATCH 16       /* messages a write */
#define SETTLE_MS 200            /* after the load: no byte read for this long ends the cell */
#define AFTER_LOAD_S 0.3         /* after the load: at most this long to read what it left */
#define UNREAD_SLICE 0.15        /* seconds of timed epoll_wait calls per mode and size */
#define FD_SPARE 64              /* descriptors kept free besides the connections */
#define CELL_OVERHEAD_S 0.25     /* fork, connect, accept, the reading after the load */
#define UNREAD_S 3.0             /* the unread shape at three sizes */
#define MIN_CELL_S 0.05

const unsigned bench_unread_sizes[BENCH_UNREAD_SIZES] = {100, 1000, 10000};
static const enum server_mode modes[] = {MODE_LT, MODE_ET, MODE_ONESHOT};
static const enum read_strategy readers[] = {STRATEGY_EAGAIN, STRATEGY_SHORT, STRATEGY_ONCE};
static const size_t budgets[] = {BUDGET_DRAIN, 16};

const char *bench_shape_name(enum bench_shape s)
{
    return s == SHAPE_SATURATED ? "saturated" : "bursty";
}

double bench_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- the load generator (the child) ------------------------------------- */

int bench_dial(const struct sockaddr_storage *ss, socklen_t len)
{
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (const struct sockaddr *)ss, len) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Blocks until the parent writes a byte (true) or closes its end (false). */
static bool wait_go(int go)
{
    char b;
    ssize_t n;
    do
        n = read(go, &b, 1);
    while (n < 0 && errno == EINTR);
    return n == 1;
}

static void fill_messages(char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (i % BENCH_MSG) == BENCH_MSG - 1 ? '\n' : (char)('a' + (i % 26));
}

/* Writes for `secs`: saturated, batches back to back on every connection;
 * bursty, one message per connection, then a pause. */
static void child_send(int *fds, unsigned n, enum bench_shape shape, double secs)
{
    char buf[SATURATED_BATCH * BENCH_MSG];
    fill_messages(buf, sizeof buf);
    size_t chunk = shape == SHAPE_SATURATED ? sizeof buf : BENCH_MSG;
    for (unsigned i = 0; i < n; i++)
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
    double end = bench_now() + secs;
    /* A partial write leaves the rest of its batch for the next round. */
    size_t *off = calloc(n, sizeof *off);
    while (off && bench_now() < end) {
        bool wrote = false;
        for (unsigned i = 0; i < n; i++) {
            ssize_t w = write(fds[i], buf + off[i], chunk - off[i]);
            if (w > 0) {
                wrote = true;
                off[i] = (off[i] + (size_t)w) % chunk;
            }
        }
        if (shape == SHAPE_BURSTY) {
            struct timespec p = {0, BURST_PAUSE_NS};
            nanosleep(&p, NULL);
        } else if (!wrote) {
            poll(NULL, 0, 1);
        }
    }
    /* The server counts whole messages read (bytes / BENCH_MSG): a batch
     * cut short by a full window is left as it is. */
    for (unsigned i = 0; i < n; i++)
        shutdown(fds[i], SHUT_WR);
    free(off);
}

/* The child: connects n clients, waits for go, does its shape (or for the
 * unread shape writes one byte on each), says done, and waits for the
 * parent's end of file before it closes everything. */
static void child_main(const struct sockaddr_storage *ss, socklen_t len, unsigned n,
                       int shape, double secs, int go, int done)
{
    int *fds = calloc(n, sizeof *fds);
    unsigned opened = 0;
    for (; fds && opened < n; opened++)
        if ((fds[opened] = bench_dial(ss, len)) < 0)
            break;
    if (!wait_go(go))
        _exit(0);
    if (shape == SHAPE_COUNT) { /* unread-ready */
        for (unsigned i = 0; i < opened; i++)
            (void)!write(fds[i], "x", 1);
    } else {
        child_send(fds, opened, (enum bench_shape)shape, secs);
    }
    (void)!write(done, "d", 1);
    wait_go(go);
    _exit(0);
}

struct load {
    pid_t pid;
    int go, done; /* the parent's ends */
};

/* Forks the child; the parent keeps its pipe ends.  -1 on failure. */
static int load_start(struct server *s, unsigned n, int shape, double secs, struct load *l,
                      struct sbuf *err)
{
    int go[2], done[2];
    struct sockaddr_storage ss;
    socklen_t len = server_sockaddr(s, &ss);
    if (pipe2(go, O_CLOEXEC) < 0 || pipe2(done, O_CLOEXEC) < 0) {
        sbuf_printf(err, "pipe: %s", strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        sbuf_printf(err, "fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        close(go[1]);
        close(done[0]);
        signal(SIGPIPE, SIG_IGN);
        child_main(&ss, len, n, shape, secs, go[0], done[1]);
    }
    close(go[0]);
    close(done[1]);
    l->pid = pid;
    l->go = go[1];
    l->done = done[0];
    return 0;
}

static bool load_done(struct load *l, int wait_ms)
{
    struct pollfd p = {.fd = l->done, .events = POLLIN};
    return poll(&p, 1, wait_ms) == 1;
}

static void load_end(struct load *l)
{
    close(l->go); /* end of file: the child exits */
    close(l->done);
    int st;
    double end = bench_now() + 5;
    while (waitpid(l->pid, &st, WNOHANG) == 0) {
        if (bench_now() > end) {
            kill(l->pid, SIGKILL);
            waitpid(l->pid, &st, 0);
            break;
        }
        poll(NULL, 0, 5);
    }
}

/* ---- the server's side --------------------------------------------------- */

static struct server *open_server(enum server_mode mode, enum read_strategy reader, size_t budget,
                                  size_t max_conns, struct sbuf *err)
{
    struct server_config cfg;
    server_config_defaults(&cfg);
    cfg.port = 0;
    cfg.knobs.mode = mode;
    cfg.knobs.reader = reader;
    cfg.knobs.budget = budget;
    cfg.max_conns = max_conns;
    return server_open(&cfg, NULL, err);
}

/* Ticks until the server accepted `want` connections; false after `secs`. */
static bool accept_all(struct server *s, unsigned want, double secs)
{
    double end = bench_now() + secs;
    while (server_listener(s)->accepts < want)
        if (server_tick(s, 20) < 0 && errno != EINTR)
            return false;
        else if (bench_now() > end)
            return false;
    return true;
}

static uint64_t bytes_read(const struct server *s)
{
    uint64_t n = 0;
    for (size_t i = 0; i < server_conn_count(s); i++)
        n += server_conn_at(s, i)->bytes_read;
    return n;
}

struct snap {
    struct server_stats st;
    uint64_t bytes;
    struct rusage ru;
};

static void snap(const struct server *s, struct snap *p)
{
    p->st = *server_stats(s);
    p->bytes = bytes_read(s);
    getrusage(RUSAGE_THREAD, &p->ru);
}

static uint64_t tv_us(const struct timeval *t)
{
    return (uint64_t)t->tv_sec * 1000000u + (uint64_t)t->tv_usec;
}

static int run_cell(struct bench_cell *c, double secs, struct sbuf *err)
{
    struct server *s = open_server(c->mode, c->reader, c->budget, 4096, err);
    if (!s)
        return -1;
    struct load l;
    if (load_start(s, BENCH_CONNS, (int)c->shape, secs, &l, err) < 0) {
        server_free(s);
        return -1;
    }
    bool ok = accept_all(s, BENCH_CONNS, 10);
    struct snap a, b;
    snap(s, &a);
    if (ok && write(l.go, "g", 1) == 1) {
        /* Until the load has ended and every connection closed, or nothing
         * was read for SETTLE_MS, or AFTER_LOAD_S passed (what is left is
         * counted, and whether the server calls it starved). */
        double bound = bench_now() + secs + 5, quiet_since = bench_now();
        bool sent = false;
        uint64_t last = bytes_read(s);
        while (server_stats(s)->open_conns > 0 && bench_now() < bound) {
            server_tick(s, 20);
            uint64_t got = bytes_read(s);
            if (got != last) {
                last = got;
                quiet_since = bench_now();
            }
            if (!sent && load_done(&l, 0)) {
                sent = true;
                quiet_since = bench_now();
                if (bound > bench_now() + AFTER_LOAD_S)
                    bound = bench_now() + AFTER_LOAD_S;
            }
            if (sent && bench_now() - quiet_since > SETTLE_MS / 1000.0)
                break;
        }
    }
    snap(s, &b);
    for (size_t i = 0; i < server_conn_count(s); i++) {
        const struct conn *k = server_conn_at(s, i);
        if (k->fd >= 0 && k->pending > 0)
            c->left += (uint64_t)k->pending;
        c->starved += k->fd >= 0 && k->notify.starved != STARVE_NONE;
    }
    load_end(&l);
    server_free(s);
    if (!ok)
        return 0; /* not done: the table says so */
    c->messages = (b.bytes - a.bytes) / BENCH_MSG;
    c->waits = (b.st.tick - b.st.asleep_ticks) - (a.st.tick - a.st.asleep_ticks);
    c->events = b.st.events - a.st.events;
    c->reads = b.st.reads - a.st.reads;
    c->eagain = b.st.eagain_reads - a.st.eagain_reads;
    c->syscalls = b.st.syscalls - a.st.syscalls;
    c->vcsw = (uint64_t)(b.ru.ru_nvcsw - a.ru.ru_nvcsw);
    c->ivcsw = (uint64_t)(b.ru.ru_nivcsw - a.ru.ru_nivcsw);
    c->cpu_us = tv_us(&b.ru.ru_utime) + tv_us(&b.ru.ru_stime) - tv_us(&a.ru.ru_utime) -
                tv_us(&a.ru.ru_stime);
    c->done = true;
    return 0;
}

/* ---- unread-ready ------------------------------------------------------- */

/* Every held connection has its byte in the server's receive queue. */
static bool all_holding(const struct server *s, double secs)
{
    double end = bench_now() + secs;
    for (;;) {
        bool all = true;
        for (size_t i = 0; i < server_conn_count(s) && all; i++) {
            const struct conn *k = server_conn_at(s, i);
            all = k->fd < 0 || probe_pending(k->fd) > 0;
        }
        if (all)
            return true;
        if (bench_now() > end)
            return false;
        poll(NULL, 0, 2);
    }
}

static void time_waits(struct server *s, struct bench_unread *u, double secs)
{
    size_t cap = server_conn_count(s) + 1;
    struct epoll_event *ev = xcalloc(cap, sizeof *ev);
    int epfd = server_epoll_fd(s);
    /* The first call after the mode switch: EPOLL_CTL_MOD queued one event
     * per fd holding data, whatever the mode. */
    int n = epoll_wait(epfd, ev, (int)cap, 0);
    u->first_events = n > 0 ? (uint64_t)n : 0;
    double spent = 0, end = bench_now() + secs;
    while (bench_now() < end && u->calls < 100000) {
        double t0 = bench_now();
        n = epoll_wait(epfd, ev, (int)cap, 0);
        spent += bench_now() - t0;
        u->calls++;
        u->events += n > 0 ? (uint64_t)n : 0;
    }
    u->us_per_call = u->calls ? spent * 1e6 / (double)u->calls : 0;
    u->done = u->calls > 0;
    free(ev);
}

static unsigned fd_room(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
        return 1u << 20;
    return rl.rlim_cur > FD_SPARE ? (unsigned)(rl.rlim_cur - FD_SPARE) : 0;
}

static int run_unread(struct bench_result *r, unsigned n, double secs, struct sbuf *err)
{
    unsigned held = n, room = fd_room();
    if (held > room) {
        held = room;
        sbuf_printf(&r->notes,
                    "note: unread-ready N = %u is capped at %u connections: the descriptor limit "
                    "(RLIMIT_NOFILE) of this process leaves no more\n",
                    n, held);
    }
    struct server *s = open_server(MODE_LT, STRATEGY_EAGAIN, BUDGET_DRAIN, held + 16, err);
    if (!s)
        return -1;
    struct load l;
    if (load_start(s, held, SHAPE_COUNT, 0, &l, err) < 0) {
        server_free(s);
        return -1;
    }
    /* Accept them all before any byte is sent: from then on the server
     * never ticks, so what arrives stays unread. */
    bool ok = accept_all(s, held, 30) && write(l.go, "g", 1) == 1 && load_done(&l, 30000) &&
              all_holding(s, 5);
    for (size_t m = 0; m < ARRAY_LEN(modes); m++) {
        struct bench_unread *u = &r->unread[r->nunread++];
        memset(u, 0, sizeof *u);
        u->mode = modes[m];
        u->n = n;
        u->held = (unsigned)server_stats(s)->open_conns;
        if (!ok)
            continue;
        server_set_knob(s, KNOB_MODE, modes[m]);
        time_waits(s, u, secs);
    }
    if (!ok)
        sbuf_printf(&r->notes, "note: unread-ready N = %u: the connections could not all be set up\n",
                    n);
    load_end(&l);
    server_free(s);
    return 0;
}

/* ---- the whole run ------------------------------------------------------ */

static void progress_line(FILE *f, size_t at, size_t total, const char *what, double t0,
                          unsigned seconds)
{
    if (!f)
        return;
    fprintf(f, "bench-modes: %zu/%zu %-36s %3.0f s of about %u%s", at, total, what, bench_now() - t0,
            seconds, isatty(fileno(f)) ? "\r" : "\n");
    fflush(f);
}

int benchmodes_run(unsigned seconds, FILE *progress, struct bench_result *r, struct sbuf *err)
{
    memset(r, 0, sizeof *r);
    r->seconds = seconds;
    size_t per_shape = ARRAY_LEN(modes) * ARRAY_LEN(readers) * ARRAY_LEN(budgets);
    r->ncells = SHAPE_COUNT * per_shape;
    r->cells = xcalloc(r->ncells, sizeof *r->cells);
    size_t k = 0;
    for (int sh = 0; sh < SHAPE_COUNT; sh++)
        for (size_t m = 0; m < ARRAY_LEN(modes); m++)
            for (size_t rd = 0; rd < ARRAY_LEN(readers); rd++)
                for (size_t b = 0; b < ARRAY_LEN(budgets); b++) {
                    struct bench_cell *c = &r->cells[k++];
                    c->shape = (enum bench_shape)sh;
                    c->mode = modes[m];
                    c->reader = readers[rd];
                    c->budget = budgets[b];
                }
    /* Time: what set-up, the reading after each load and the unread
     * shape (whose 10,000 connections take a second or two) cost, measured
     * on a 2-core VM at about CELL_OVERHEAD_S a cell and UNREAD_S in all;
     * the rest goes to the loaded cells' traffic, at least MIN_CELL_S each. */
    double cell_s = (seconds - UNREAD_S - CELL_OVERHEAD_S * (double)r->ncells) / (double)r->ncells;
    if (cell_s < MIN_CELL_S)
        cell_s = MIN_CELL_S;
    unsigned estimate = (unsigned)(UNREAD_S + (cell_s + CELL_OVERHEAD_S) * (double)r->ncells + 0.5);
    double t0 = bench_now();
    size_t total = r->ncells + BENCH_UNREAD_SIZES;
    for (size_t i = 0; i < r->ncells; i++) {
        struct bench_cell *c = &r->cells[i];
        char what[64];
        struct sbuf b = {0};
        knob_format(knob_by_id(KNOB_BUDGET), c->budget, false, &b);
        snprintf(what, sizeof what, "%s %s %s %s", bench_shape_name(c->shape), mode_name(c->mode),
                 reader_name(c->reader), sbuf_str(&b));
        sbuf_free(&b);
        progress_line(progress, i + 1, total, what, t0, estimate);
        if (run_cell(c, cell_s, err) < 0)
            return -1;
    }
    for (size_t i = 0; i < BENCH_UNREAD_SIZES; i++) {
        char what[64];
        snprintf(what, sizeof what, "unread-ready N = %u", bench_unread_sizes[i]);
        progress_line(progress, r->ncells + i + 1, total, what, t0, estimate);
        if (run_unread(r, bench_unread_sizes[i], UNREAD_SLICE * seconds / BENCH_SECONDS_DEFAULT, err) < 0)
            return -1;
    }
    if (progress && isatty(fileno(progress)))
        fprintf(progress, "%-90s\r", "");
    r->elapsed = bench_now() - t0;
    return 0;
}

void benchmodes_free(struct bench_result *r)
{
    free(r->cells);
    sbuf_free(&r->notes);
    memset(r, 0, sizeof *r);
}

/* ---- printing ----------------------------------------------------------- */

static double per(uint64_t x, uint64_t msgs)
{
    return msgs ? (double)x / (double)msgs : 0;
}

static void budget_text(size_t budget, char *out, size_t n)
{
    if (budget == BUDGET_DRAIN)
        snprintf(out, n, "drain");
    else
        snprintf(out, n, "%zu", budget);
}

void benchmodes_print(const struct bench_result *r, bool csv, struct sbuf *out)
{
    char bud[24];
    if (csv) {
        sbuf_add(out, "shape,mode,reader,budget,n,messages,waits_per_msg,events_per_msg,"
                      "reads_per_msg,eagain_per_msg,syscalls_per_msg,vcsw_per_msg,ivcsw_per_msg,"
                      "cpu_us_per_msg,left_bytes,starved_conns,events_per_wait,wait_us\n");
        for (size_t i = 0; i < r->ncells; i++) {
            const struct bench_cell *c = &r->cells[i];
            budget_text(c->budget, bud, sizeof bud);
            if (!c->done) {
                sbuf_printf(out, "%s,%s,%s,%s,,,,,,,,,,,,,,\n", bench_shape_name(c->shape),
                            mode_name(c->mode), reader_name(c->reader), bud);
                continue;
            }
            uint64_t m = c->messages;
            sbuf_printf(out, "%s,%s,%s,%s,%u,%llu,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%llu,%u,,\n",
                        bench_shape_name(c->shape), mode_name(c->mode), reader_name(c->reader),
                        bud, BENCH_CONNS, (unsigned long long)m, per(c->waits, m),
                        per(c->events, m), per(c->reads, m), per(c->eagain, m),
                        per(c->syscalls, m), per(c->vcsw, m), per(c->ivcsw, m), per(c->cpu_us, m),
                        (unsigned long long)c->left, c->starved);
        }
        for (size_t i = 0; i < r->nunread; i++) {
            const struct bench_unread *u = &r->unread[i];
            if (!u->done)
                sbuf_printf(out, "unread-ready,%s,,,%u,,,,,,,,,,,,,\n", mode_name(u->mode), u->held);
            else
                sbuf_printf(out, "unread-ready,%s,,,%u,,,,,,,,,,,,%.2f,%.3f\n", mode_name(u->mode),
                            u->held, per(u->events, u->calls), u->us_per_call);
        }
        return;
    }
    sbuf_printf(out,
                "epollviz --bench-modes: the taught server (src/server.c, instruments included) in "
                "one thread, a load generator in a child process, on loopback; %u connections, "
                "%d B messages. Every figure is measured: the server's counters, "
                "getrusage(RUSAGE_THREAD) of its thread, the clock around epoll_wait.\n",
                BENCH_CONNS, BENCH_MSG);
    for (int sh = 0; sh < SHAPE_COUNT; sh++) {
        sbuf_printf(out, "\n%s: %s\n", bench_shape_name((enum bench_shape)sh),
                    sh == SHAPE_SATURATED ? "16 messages a write, back to back, on every connection"
                                          : "one message a write on every connection, then 1 ms");
        sbuf_add(out, "mode     reader budget   messages  waits/msg events/msg  reads/msg EAGAIN/msg "
                      "syscalls/msg  vcsw/msg ivcsw/msg  cpu_us/msg   left_B starved\n");
        for (size_t i = 0; i < r->ncells; i++) {
            const struct bench_cell *c = &r->cells[i];
            if ((int)c->shape != sh)
                continue;
            budget_text(c->budget, bud, sizeof bud);
            sbuf_printf(out, "%-8s %-6s %-6s ", mode_name(c->mode), reader_name(c->reader), bud);
            if (!c->done) {
                sbuf_add(out, "not measured (the connections could not be set up)\n");
                continue;
            }
            uint64_t m = c->messages;
            sbuf_printf(out, "%10llu %10.3f %10.3f %10.3f %10.3f %12.3f %9.4f %9.4f %11.3f %8llu %7u\n",
                        (unsigned long long)m, per(c->waits, m), per(c->events, m),
                        per(c->reads, m), per(c->eagain, m), per(c->syscalls, m),
                        per(c->vcsw, m), per(c->ivcsw, m), per(c->cpu_us, m),
                        (unsigned long long)c->left, c->starved);
        }
    }
    sbuf_add(out, "\nunread-ready: N connections each hold 1 B that the application leaves unread on "
                  "purpose; epoll_wait(0) on the server's own epoll instance, timed per call (after "
                  "the first call, which every mode answers with N: the mode switch's EPOLL_CTL_MOD)\n");
    sbuf_add(out, "mode          N  first call  events/wait  wait_us\n");
    for (size_t i = 0; i < r->nunread; i++) {
        const struct bench_unread *u = &r->unread[i];
        sbuf_printf(out, "%-8s %6u ", mode_name(u->mode), u->held);
        if (!u->done) {
            sbuf_add(out, "not measured\n");
            continue;
        }
        sbuf_printf(out, "%11llu %12.1f %8.2f\n", (unsigned long long)u->first_events,
                    per(u->events, u->calls), u->us_per_call);
    }
    if (r->notes.len)
        sbuf_printf(out, "\n%s", sbuf_str(&r->notes));
    sbuf_printf(out, "\n%u connections, %.0f s in all (--bench-seconds %u).\n", BENCH_CONNS,
                r->elapsed, r->seconds);
}

int benchmodes_main(const struct options *o)
{
    struct bench_result r;
    struct sbuf err = {0}, out = {0};
    signal(SIGPIPE, SIG_IGN);
    if (benchmodes_run(o->bench_seconds, stderr, &r, &err) < 0) {
        fprintf(stderr, "epollviz: --bench-modes: %s\n", sbuf_str(&err));
        benchmodes_free(&r);
        sbuf_free(&err);
        return 1;
    }
    benchmodes_print(&r, o->csv, &out);
    fputs(sbuf_str(&out), stdout);
    benchmodes_free(&r);
    sbuf_free(&out);
    sbuf_free(&err);
    return 0;
}
