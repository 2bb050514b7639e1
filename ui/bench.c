/*
 * bench.c - --bench-frames: what one frame costs with many connections.
 *
 * A real server in this process and real loopback clients in a child
 * process (each process then holds one descriptor per connection, so
 * 10,000 fit under a hard limit of 20,000); every frame, a slice of the
 * clients sends, the server ticks (timed apart), then the screen is built
 * (render into the grid) and drawn (curses into a terminal whose output
 * goes to /dev/null).  Medians and p99 are printed: the machines this runs
 * on are shared, so a single run means little.
 *
 * Last, the same ticks without the instrument: an epoll set of its own, in
 * LT, over the server's sockets, and reads until EAGAIN, as bench/bare
 * does, so a tick's cost can be read against what the kernel's part of
 * it costs on this machine in the same run.
 *
 * A figure is printed only for what was measured: every connection asked
 * for must be open, or the bench says why not and exits 1.
 */
#include "tui.h"

#include <arpa/inet.h>
#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "keymap.h"
#include "paint.h"
#include "presenter.h"
#include "server.h"

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, uint64_t *ns, unsigned n)
{
    qsort(ns, n, sizeof *ns, cmp_u64);
    unsigned p99 = (unsigned)((n * 99ull + 99) / 100);
    printf("  %-28s median %8.3f ms   p99 %8.3f ms\n", what, (double)ns[n / 2] / 1e6,
           (double)ns[(p99 ? p99 : 1) - 1] / 1e6);
}

/* ---- the clients (a child process) ---------------------------------- */

/* The child's orders, one byte and a count each, on a socket pair; it
 * answers each with the errno of what failed, or 0. */
enum { ORDER_CONNECT = 'c', ORDER_SEND = 's' };
#define BENCH_SEND_BYTES 40
#define BENCH_FEW 10 /* clients sending each frame in the second measure */
#define BENCH_FEW_TEXT "10"

struct clients {
    pid_t pid;
    int ctl; /* the parent's end */
    unsigned open; /* connections the child holds */
};

struct order {
    char what;
    unsigned n;     /* connections to open, or the frame whose slice sends */
    unsigned slice; /* clients that send in a frame; 0 = a tenth */
};

static int child_connect(const struct sockaddr_storage *to, socklen_t len, int *fds, unsigned *n,
                         unsigned more)
{
    for (unsigned i = 0; i < more; i++) {
        int fd = socket(to->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return errno;
        if (connect(fd, (const struct sockaddr *)to, len) < 0) {
            int e = errno;
            close(fd);
            return e;
        }
        fds[(*n)++] = fd;
    }
    return 0;
}

/* A slice of the clients sends each frame (by default a tenth, so buffers
 * fill and drain), a different slice each frame. */
static int child_send(const int *fds, unsigned n, unsigned frame, unsigned slice)
{
    static const char msg[BENCH_SEND_BYTES + 1] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLM\n";
    if (!slice)
        slice = n / 10 ? n / 10 : 1;
    for (unsigned i = 0; n && i < slice; i++)
        if (send(fds[(frame * slice + i) % n], msg, BENCH_SEND_BYTES, MSG_NOSIGNAL) < 0)
            return errno;
    return 0;
}

static _Noreturn void child_main(int ctl, const struct sockaddr_storage *to, socklen_t len,
                                      unsigned max)
{
    int *fds = xcalloc(max ? max : 1, sizeof *fds);
    unsigned n = 0;
    struct order o;
    while (read(ctl, &o, sizeof o) == (ssize_t)sizeof o) {
        int rc = o.what == ORDER_CONNECT
                     ? (n + o.n > max ? EMFILE : child_connect(to, len, fds, &n, o.n))
                     : child_send(fds, n, o.n, o.slice);
        if (write(ctl, &rc, sizeof rc) != (ssize_t)sizeof rc)
            break;
    }
    _exit(0); /* the parent closed its end: the connections close with us */
}

static int clients_start(struct clients *k, struct server *srv, unsigned max, struct sbuf *err)
{
    struct sockaddr_storage to;
    socklen_t len = server_sockaddr(srv, &to);
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        sbuf_printf(err, "socketpair: %s", strerror(errno));
        return -1;
    }
    fflush(NULL);
    k->pid = fork();
    if (k->pid < 0) {
        sbuf_printf(err, "fork: %s", strerror(errno));
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (k->pid == 0) {
        close(sv[0]);
        child_main(sv[1], &to, len, max);
    }
    close(sv[1]);
    k->ctl = sv[0];
    k->open = 0;
    return 0;
}

/* One order and its answer: 0, or -1 with why in err. */
static int clients_order(struct clients *k, char what, unsigned n, unsigned slice,
                         struct sbuf *err)
{
    struct order o = {.what = what, .n = n, .slice = slice};
    int rc = 0;
    if (write(k->ctl, &o, sizeof o) != (ssize_t)sizeof o ||
        read(k->ctl, &rc, sizeof rc) != (ssize_t)sizeof rc) {
        sbuf_printf(err, "the client process is gone");
        return -1;
    }
    if (rc) {
        sbuf_printf(err, "a client's %s failed: %s", what == ORDER_CONNECT ? "connect" : "send",
                    strerror(rc));
        return -1;
    }
    return 0;
}

static void clients_stop(struct clients *k)
{
    if (k->pid <= 0)
        return;
    close(k->ctl);
    waitpid(k->pid, NULL, 0);
    k->pid = 0;
}

/* ---- frames ------------------------------------------------------------ */

static int bench_size(struct presenter *p, struct clients *k, const struct options *o, int w,
                      int h)
{
    unsigned n = o->bench_frames;
    uint64_t *tick = xcalloc(n, sizeof *tick), *build = xcalloc(n, sizeof *build),
             *drawn = xcalloc(n, sizeof *drawn), *few = xcalloc(n, sizeof *few);
    struct grid g = {0};
    resizeterm(h, w);
    presenter_resize(p, w, h);
    grid_init(&g, w, h);
    struct engine *e = presenter_engine(p);
    struct sbuf err = {0};
    int rc = 0;
    for (unsigned f = 0; f < n && rc == 0; f++) {
        /* Sent and on loopback (in the server's buffers) when answered. */
        if ((rc = clients_order(k, ORDER_SEND, f, 0, &err)) < 0)
            break;
        /* What the running clock does each tick: epoll_wait, the reads,
         * then the kernel sample of the sockets that got something. */
        uint64_t t0 = now_ns();
        engine_tick_live(e, 0);
        uint64_t t1 = now_ns();
        presenter_render(p, &g);
        uint64_t t2 = now_ns();
        paint_grid(&g);
        wnoutrefresh(stdscr);
        doupdate();
        uint64_t t3 = now_ns();
        tick[f] = t1 - t0;
        build[f] = t2 - t1;
        drawn[f] = t3 - t2;
    }
    /* Then what a tick costs when few of them are busy: the rest idle. */
    for (unsigned f = 0; f < n && rc == 0; f++) {
        if ((rc = clients_order(k, ORDER_SEND, f, BENCH_FEW, &err)) < 0)
            break;
        uint64_t t0 = now_ns();
        engine_tick_live(e, 0);
        few[f] = now_ns() - t0;
    }
    if (rc < 0) {
        fprintf(stderr, "epollviz: --bench-frames: %s\n", sbuf_str(&err));
        sbuf_free(&err);
        free(tick);
        free(build);
        free(drawn);
        free(few);
        grid_free(&g);
        return -1;
    }
    sbuf_free(&err);
    uint64_t *frame = xcalloc(n, sizeof *frame);
    for (unsigned f = 0; f < n; f++)
        frame[f] = build[f] + drawn[f];
    printf("%dx%d, %u connections, %u frames:\n", w, h, o->bench_conns, n);
    report("frame (build + draw)", frame, n);
    report("  build (render to grid)", build, n);
    report("  draw (curses)", drawn, n);
    report("tick (not part of a frame)", tick, n);
    report("tick, " BENCH_FEW_TEXT " sending", few, n);
    free(tick);
    free(build);
    free(drawn);
    free(few);
    free(frame);
    grid_free(&g);
    return 0;
}

/* The bare ticks: the clients' slices as before, and for each tick one
 * epoll_wait (room for every socket) and reads of 64 KiB until EAGAIN,
 * nothing else.  It reads the server's sockets behind its back, so it
 * runs last.  0, or -1 with why in err (also when the ticks did not read
 * exactly what was sent: then the figure would be of something else). */
static int bench_bare(struct engine *e, struct clients *k, unsigned n, unsigned conns,
                      struct sbuf *err)
{
    struct server *srv = engine_server(e);
    size_t room = server_conn_count(srv) + 1;
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) {
        sbuf_printf(err, "epoll_create1: %s", strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < server_conn_count(srv); i++) {
        const struct conn *c = server_conn_at(srv, i);
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = c->fd};
        if (c->fd >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
            sbuf_printf(err, "epoll_ctl: %s", strerror(errno));
            close(ep);
            return -1;
        }
    }
    struct epoll_event *evs = xcalloc(room, sizeof *evs);
    static char buf[65536];
    /* From empty sockets: what the server left unread (a budget) is read
     * first, untimed, so the bare ticks read what is sent to them. */
    for (size_t i = 0; i < server_conn_count(srv); i++) {
        int fd = server_conn_at(srv, i)->fd;
        while (fd >= 0 && read(fd, buf, sizeof buf) > 0)
            ;
    }
    uint64_t *bare = xcalloc(n, sizeof *bare), got_bytes = 0;
    int rc = 0;
    for (unsigned f = 0; f < n && rc == 0; f++) {
        if ((rc = clients_order(k, ORDER_SEND, f, 0, err)) < 0)
            break;
        uint64_t t0 = now_ns();
        int got = epoll_wait(ep, evs, (int)room, 0);
        for (int i = 0; i < got; i++) {
            ssize_t r;
            while ((r = read(evs[i].data.fd, buf, sizeof buf)) > 0)
                got_bytes += (uint64_t)r;
        }
        bare[f] = now_ns() - t0;
    }
    /* What was sent is what was read, or the figure is of something else. */
    uint64_t sent = conns ? (uint64_t)n * (conns / 10 ? conns / 10 : 1) * BENCH_SEND_BYTES : 0;
    if (rc == 0 && got_bytes != sent) {
        sbuf_printf(err, "the bare ticks read %llu B of the %llu B sent",
                    (unsigned long long)got_bytes, (unsigned long long)sent);
        rc = -1;
    }
    if (rc == 0) {
        printf("without the instrument (the same sockets, an epoll set in LT, reads until EAGAIN):\n");
        report("bare tick", bare, n);
    }
    free(bare);
    free(evs);
    close(ep);
    return rc;
}

/* Descriptors beyond one per connection: stdio, the listener, epoll,
 * the spare one for EMFILE, the terminal's files, a few for libraries. */
#define BENCH_FD_SPARE 64
/* Connections opened at once: well under the accept queue (SOMAXCONN). */
#define BENCH_CONNECT_GROUP 1000
/* How long the server may take to accept a group. */
#define BENCH_ACCEPT_MS 10000

/* Opens n clients, a group at a time, the server accepting each group
 * before the next (the accept queue holds 4,096 at most).  0 when all n
 * are open on both ends, or -1 with why in err. */
static int bench_connect(struct presenter *p, struct clients *k, unsigned n, struct sbuf *err)
{
    struct engine *e = presenter_engine(p);
    const struct server_stats *st = server_stats(engine_server(e));

    for (unsigned done = 0; done < n;) {
        unsigned more = n - done < BENCH_CONNECT_GROUP ? n - done : BENCH_CONNECT_GROUP;
        if (clients_order(k, ORDER_CONNECT, more, 0, err) < 0)
            return -1;
        done += more;
        /* Each tick accepts what waits; one waits 10 ms at most for more. */
        uint64_t give_up = now_ns() + BENCH_ACCEPT_MS * 1000000ull;
        while (st->open_conns < done && now_ns() < give_up)
            engine_tick_live(e, 10);
        if (st->open_conns < done) {
            sbuf_printf(err, "the server holds %zu of the %u connections opened so far",
                        st->open_conns, done);
            return -1;
        }
    }
    return 0;
}

/* Room for n connections: the descriptor soft limit goes up to the hard
 * limit (main did), and the server's connection limit up to n. */
static int bench_room(struct options *o, struct sbuf *err)
{
    struct rlimit rl;
    rlim_t need = (rlim_t)o->bench_conns + BENCH_FD_SPARE;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need) {
        sbuf_printf(err, "%u connections need about %llu file descriptors in each process (the "
                         "server's ends here, the clients' in a child); the limit is %llu (hard "
                         "limit %llu): raise it with `ulimit -n` (the hard one as root: `ulimit "
                         "-Hn`) or ask for fewer with --bench-conns",
                    o->bench_conns, (unsigned long long)need, (unsigned long long)rl.rlim_cur,
                    (unsigned long long)rl.rlim_max);
        return -1;
    }
    if (o->server.max_conns < o->bench_conns)
        o->server.max_conns = o->bench_conns;
    return 0;
}

int tui_bench(const struct options *opts)
{
    struct presenter_config cfg = {0};
    struct sbuf err = {0};
    static const char *const no_dirs[] = {NULL};
    struct options o = *opts;

    if (bench_room(&o, &err) < 0) {
        fprintf(stderr, "epollviz: --bench-frames: %s\n", sbuf_str(&err));
        sbuf_free(&err);
        return 1;
    }
    setlocale(LC_ALL, "");
    cfg.server = o.server;
    cfg.server.port = 0;
    cfg.ascii = o.ascii;
    cfg.panes = o.panes;
    cfg.dirs = no_dirs;
    struct presenter *p = presenter_new(&cfg, &err);
    if (!p) {
        fprintf(stderr, "epollviz: %s\n", sbuf_str(&err));
        sbuf_free(&err);
        return 1;
    }
    /* The knobs are the command line's, as bench/run.sh gives them. */
    presenter_key(p, KEY_CODE_ESC); /* close the menu: free play */
    presenter_command(p, "pause");
    struct clients k = {0};
    if (clients_start(&k, engine_server(presenter_engine(p)), o.bench_conns, &err) < 0 ||
        (o.bench_conns && bench_connect(p, &k, o.bench_conns, &err) < 0)) {
        fprintf(stderr, "epollviz: --bench-frames: could not open %u connections: %s\n",
                o.bench_conns, sbuf_str(&err));
        clients_stop(&k);
        presenter_free(p);
        sbuf_free(&err);
        return 1;
    }
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    const char *term = getenv("TERM");
    SCREEN *scr = newterm(term && *term ? term : "xterm-256color", out, in);
    if (!scr) {
        fprintf(stderr, "epollviz: bench: no terminal description for TERM\n");
        clients_stop(&k);
        presenter_free(p);
        return 1;
    }
    paint_init(o.mono);
    int status = bench_size(p, &k, &o, SCREEN_DEFAULT_W, SCREEN_DEFAULT_H) < 0 ||
                 bench_size(p, &k, &o, 200, 60) < 0;
    if (!status && bench_bare(presenter_engine(p), &k, o.bench_frames, o.bench_conns, &err) < 0) {
        fprintf(stderr, "epollviz: --bench-frames: %s\n", sbuf_str(&err));
        status = 1;
    }
    clients_stop(&k);
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
    presenter_free(p);
    sbuf_free(&err);
    return status;
}
