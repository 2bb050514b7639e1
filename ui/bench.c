/*
 * bench.c - --bench-frames: what one frame costs with many connections.
 *
 * A real server and real loopback clients in this process; every frame,
 * a slice of the clients sends and the server ticks (not timed), then the
 * screen is built (render into the grid) and drawn (curses into a
 * terminal whose output goes to /dev/null).  Medians and p99 are printed:
 * the machines this runs on are shared, so a single run means little.
 *
 * A figure is printed only for what was measured: every connection asked
 * for must be open (two descriptors each, in this process), or the bench
 * says why not and exits 1.
 */
#include "tui.h"

#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "keymap.h"
#include "paint.h"
#include "presenter.h"

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

static int bench_size(struct presenter *p, const struct options *o, int w, int h)
{
    unsigned n = o->bench_frames;
    uint64_t *tick = xcalloc(n, sizeof *tick), *build = xcalloc(n, sizeof *build),
             *drawn = xcalloc(n, sizeof *drawn);
    struct grid g = {0};
    resizeterm(h, w);
    presenter_resize(p, w, h);
    grid_init(&g, w, h);
    struct engine *e = presenter_engine(p);
    struct client_set *cs = engine_clients(e);
    size_t nclients = client_count(cs);
    size_t slice = nclients / 10 ? nclients / 10 : 1;
    struct sbuf err = {0};
    for (unsigned f = 0; f < n; f++) {
        /* A tenth of the clients send each frame, so buffers fill and drain. */
        for (size_t i = 0; nclients && i < slice; i++) {
            sbuf_reset(&err);
            client_send_pattern(cs, client_at(cs, (f * slice + i) % nclients), 40, &err);
        }
        engine_settle(e);
        /* What the running clock does each tick: epoll_wait, the reads,
         * then the kernel sample of every open socket. */
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
    sbuf_free(&err);
    uint64_t *frame = xcalloc(n, sizeof *frame);
    for (unsigned f = 0; f < n; f++)
        frame[f] = build[f] + drawn[f];
    printf("%dx%d, %u connections, %u frames:\n", w, h, o->bench_conns, n);
    report("frame (build + draw)", frame, n);
    report("  build (render to grid)", build, n);
    report("  draw (curses)", drawn, n);
    report("tick (not part of a frame)", tick, n);
    free(tick);
    free(build);
    free(drawn);
    free(frame);
    grid_free(&g);
    return 0;
}

/* Descriptors beyond two per connection: stdio, the listener, epoll,
 * the spare one for EMFILE, the terminal's files, a few for libraries. */
#define BENCH_FD_SPARE 64
/* Connections opened at once: well under the accept queue (SOMAXCONN). */
#define BENCH_CONNECT_GROUP 1000

/* Opens n clients, a group at a time with a tick between groups so the
 * server accepts each before the next (the accept queue holds 4,096 at
 * most).  0 when all n are open on both ends, or -1 with why in err. */
static int bench_connect(struct presenter *p, unsigned n, struct sbuf *err)
{
    struct engine *e = presenter_engine(p);
    struct client_set *cs = engine_clients(e);
    const struct server_stats *st = server_stats(engine_server(e));
    char name[32];

    for (unsigned done = 0, g = 1; done < n; g++) {
        unsigned k = n - done < BENCH_CONNECT_GROUP ? n - done : BENCH_CONNECT_GROUP;
        snprintf(name, sizeof name, "w%u", g);
        if (client_connect(cs, name, k, err) < 0)
            return -1;
        engine_settle(e);
        engine_tick_live(e, 0); /* accept all of them */
        done += k;
        if (client_failures(cs)) {
            sbuf_printf(err, "a client failed: %s", client_last_failure(cs));
            return -1;
        }
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
    rlim_t need = 2 * (rlim_t)o->bench_conns + BENCH_FD_SPARE;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need) {
        sbuf_printf(err, "%u connections need about %llu file descriptors (two each, in this "
                         "process); the limit is %llu (hard limit %llu): raise it with "
                         "`ulimit -n` (the hard one as root: `ulimit -Hn`) or ask for fewer "
                         "with --bench-conns",
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
    if (o.bench_conns && bench_connect(p, o.bench_conns, &err) < 0) {
        fprintf(stderr, "epollviz: --bench-frames: could not open %u connections: %s\n",
                o.bench_conns, sbuf_str(&err));
        presenter_free(p);
        sbuf_free(&err);
        return 1;
    }
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    const char *term = getenv("TERM");
    SCREEN *scr = newterm(term && *term ? term : "xterm-256color", out, in);
    if (!scr) {
        fprintf(stderr, "epollviz: bench: no terminal description for TERM\n");
        presenter_free(p);
        return 1;
    }
    paint_init(o.mono);
    bench_size(p, &o, SCREEN_DEFAULT_W, SCREEN_DEFAULT_H);
    bench_size(p, &o, 200, 60);
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
    presenter_free(p);
    sbuf_free(&err);
    return 0;
}
