/*
 * headless.c - scenario runner and seed server without a terminal UI.
 */
#include "headless.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>

#include "engine.h"
#include "hostloop.h"
#include "live.h"
#include "render.h"
#include "scenario.h"


/* Set when stdout is gone (a closed pipe): the server then stops rather
 * than serve clients whose bytes nobody can see. */
static bool output_lost;

static void print_line(void *ctx, enum trace_kind kind, const char *text)
{
    struct sbuf safe = {0};
    (void)ctx;
    (void)kind;
    /* Lines are escaped where they are made; this is the last guard
     * between any byte and the terminal. */
    sbuf_add_sanitized(&safe, text);
    if (puts(sbuf_str(&safe)) == EOF)
        output_lost = true;
    sbuf_free(&safe);
}

static const struct trace stdout_trace = {print_line, NULL};

static void print_header(struct engine *e)
{
    for (unsigned i = 0; i < engine_sides(e); i++) {
    struct server *s = engine_side_server(e, i);
    printf("epollviz: %s%s%slistening on %s (mode %s, budget ", engine_comparing(e) ? "[" : "",
           engine_side_name(e, i), engine_comparing(e) ? "] " : "", server_address(s),
           mode_name(server_mode(s)));
    if (server_budget(s) == BUDGET_DRAIN)
        printf("drain");
    else
        printf("%zu", server_budget(s));
    printf(", accept %s", accept_name(server_accept_policy(s)));
    if (server_mode(s) == MODE_ONESHOT)
        printf(", autorearm %s", server_autorearm(s) ? "on" : "off");
    printf(")\n");
    }
}

struct dump_ctx {
    struct engine *engine;
    const struct scenario *scenario;
};

/* Headless, the host does one thing: `dump` renders the screen the TUI
 * would show (first connection selected), at 100x30 unless told, and
 * writes it. */
static int headless_request(void *ctx, enum host_request req, const struct host_args *a,
                            struct sbuf *err)
{
    const struct dump_ctx *d = ctx;
    if (req != HOST_DUMP) {
        sbuf_add(err, "only the terminal UI can do that (run epollviz without --headless)");
        return -1;
    }
    struct view v = {0};
    v.gl = glyphs_for(false);
    struct screen s = {.engine = d->engine, .scenario = d->scenario, .view = &v};
    return screen_dump(&s, a->cols ? a->cols : SCREEN_DEFAULT_W, a->rows ? a->rows : SCREEN_DEFAULT_H,
                       a->dir, a->arg, err);
}

static int run_scenario(const struct options *o)
{
    if (o->rate) {
        fprintf(stderr, "epollviz: --rate has no effect on a headless scenario, which advances "
                        "by its tick lines\n");
        return 2;
    }
    struct sbuf errors = {0}, err = {0};
    unsigned nerrors = 0;
    struct server_config cfg = o->server;
    int status;

    struct scenario *sc = scenario_load(o->scenario, &errors, &nerrors);
    if (!sc) {
        scenario_error_tally(&errors, nerrors);
        fprintf(stderr, "%s\n", sbuf_str(&errors));
        sbuf_free(&errors);
        return 2;
    }
    if (!o->port_given)
        cfg.port = 0; /* any free port: runs in parallel never collide */
    scenario_server_config(&cfg);
    struct engine *e = o->compare ? engine_new_compare(&cfg, o->compare_modes, &stdout_trace, &err)
                                  : engine_new(&cfg, &stdout_trace, &err);
    if (!e) {
        fprintf(stderr, "epollviz: %s\n", sbuf_str(&err));
        sbuf_free(&err);
        scenario_free(sc);
        return 1;
    }
    struct dump_ctx dump = {e, sc};
    struct engine_host host = {headless_request, &dump};
    engine_set_host(e, &host);
    print_header(e);
    printf("scenario: %s \"%s\" in %u step%s\n", scenario_name(sc), scenario_title(sc),
           scenario_steps(sc), scenario_steps(sc) == 1 ? "" : "s");
    /* Ctrl-C, SIGTERM and SIGHUP end a long run between two slices, with
     * the summary and a clean exit (blocked, so they wait to be asked). */
    sigset_t stop_set;
    struct timespec no_wait = {0, 0};
    int stopped_by = 0;
    sigemptyset(&stop_set);
    sigaddset(&stop_set, SIGINT);
    sigaddset(&stop_set, SIGTERM);
    sigaddset(&stop_set, SIGHUP);
    sigprocmask(SIG_BLOCK, &stop_set, NULL);
    while (scenario_advance(sc, e)) {
        if ((stopped_by = sigtimedwait(&stop_set, NULL, &no_wait)) > 0)
            break;
    }
    if (stopped_by > 0) {
        printf("epollviz: %s, stopping at step %u of %u\n", strsignal(stopped_by),
               scenario_step(sc), scenario_steps(sc));
        printf("result: stopped before the end\n");
        engine_free(e);
        scenario_free(sc);
        return 128 + stopped_by;
    }

    unsigned passed = engine_expects_passed(e), failed = engine_expects_failed(e);
    unsigned runtime = scenario_runtime_errors(sc);
    if (failed || runtime) {
        printf("result: FAILED: %u of %u expects failed, %u runtime error%s\n", failed,
               passed + failed, runtime, runtime == 1 ? "" : "s");
        status = 1;
    } else {
        printf("result: ok: all %u expects held\n", passed);
        status = 0;
    }
    engine_free(e);
    scenario_free(sc);
    return status;
}

struct free_play {
    struct engine *engine;
    struct hostloop *loop;
};

static struct engine *current_engine(void *ctx)
{
    return ((struct free_play *)ctx)->engine;
}

static void on_signal(void *ctx, int fd, uint32_t signo)
{
    struct free_play *l = ctx;
    (void)fd;
    printf("epollviz: %s, stopping\n", strsignal((int)signo));
    hostloop_stop(l->loop);
}

static int run_server(const struct options *o)
{
    struct sbuf err = {0};
    struct free_play l = {0};
    struct live *live;
    sigset_t set;

    l.engine = engine_new(&o->server, &stdout_trace, &err);
    if (!l.engine) {
        fprintf(stderr, "epollviz: %s\n", sbuf_str(&err));
        sbuf_free(&err);
        return 1;
    }
    struct server *s = engine_server(l.engine);
    print_header(l.engine);
    const char *host = o->server.address;
    if (strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0)
        host = server_family(s) == AF_INET ? "127.0.0.1" : "::1";
    printf("epollviz: try: nc %s %u\n", host, server_port(s));
    engine_run(l.engine, o->rate);

    l.loop = hostloop_new();
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    if (hostloop_signals(l.loop, &set, on_signal, &l) < 0 ||
        !(live = live_new(l.loop, current_engine, &l)))
        fatal("cannot set up the host loop");
    /* The same clock and sampler as the TUI: a timer at --rate, or the
     * server's epoll fd when it ticks on events. */
    while (!hostloop_stopped(l.loop) && !output_lost) {
        live_sync(live, 0, false);
        hostloop_turn(l.loop, -1);
        live_after_turn(live);
    }
    live_free(live);

    const struct server_stats *st = server_stats(s);
    unsigned long long accepts = server_listener(s)->accepts;
    printf("epollviz: %llu epoll_wait calls, %llu events, %llu reads (%llu EAGAIN), %llu connection%s\n",
           (unsigned long long)st->tick, (unsigned long long)st->events,
           (unsigned long long)st->reads, (unsigned long long)st->eagain_reads, accepts,
           accepts == 1 ? "" : "s");
    hostloop_free(l.loop);
    engine_free(l.engine);
    if (output_lost) {
        fprintf(stderr, "epollviz: standard output was closed; stopping\n");
        return 1;
    }
    return 0;
}

int headless_main(const struct options *o)
{
    /* A transcript read through a pipe must arrive line by line. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    return o->scenario ? run_scenario(o) : run_server(o);
}
