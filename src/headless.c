/*
 * headless.c - scenario runner and seed server without a terminal UI.
 *
 * A scenario's transcript is written line by line, every line, even if
 * that blocks: no clock runs.  Free play serves clients whatever the
 * reader of stdout does: its lines go through a bounded buffer (outbuf.c)
 * that the host loop writes when stdout can take more.
 */
#include "headless.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "cmdlines.h"
#include "engine.h"
#include "hostloop.h"
#include "live.h"
#include "outbuf.h"
#include "render.h"
#include "scenario.h"
#include "tracepane.h"


/* Set when stdout is gone (a closed pipe): the server then stops rather
 * than serve clients whose bytes nobody can see. */
static bool output_lost;

/* Lines are escaped where they are made; this is the last guard between
 * any byte and the terminal.  Nearly every line is printable ASCII, which
 * is safe as it is: only the others are copied, sanitized, into `spare`.
 * Returns the line to write and sets its length. */
static const char *safe_text(const char *text, struct sbuf *spare, size_t *len)
{
    size_t n = ascii_printable_span(text);
    if (!text[n]) {
        *len = n;
        return text;
    }
    sbuf_reset(spare);
    sbuf_add_sanitized(spare, text);
    *len = spare->len;
    return sbuf_str(spare);
}

static void print_line(void *ctx, enum trace_kind kind, const char *text)
{
    struct sbuf spare = {0};
    size_t n;
    (void)ctx;
    (void)kind;
    if (puts(safe_text(text, &spare, &n)) == EOF)
        output_lost = true;
    sbuf_free(&spare);
}

static const struct trace stdout_trace = {.line = print_line};

/* The listening line of each server, through the transcript's sink. */
static void print_header(struct engine *e, const struct trace *t)
{
    for (unsigned i = 0; i < engine_sides(e); i++) {
        struct server *s = engine_side_server(e, i);
        struct sbuf b = {0};
        const struct knob *k;
        sbuf_printf(&b, "epollviz: %s%s%slistening on %s (", engine_comparing(e) ? "[" : "",
                    engine_side_name(e, i), engine_comparing(e) ? "] " : "", server_address(s));
        for (size_t n = 0, shown = 0; (k = knob_at(n)); n++)
            if (knob_in_header(k, server_knobs(s))) {
                sbuf_printf(&b, "%s%s ", shown++ ? ", " : "", k->name);
                knob_format(k, knob_get(k, server_knobs(s)), false, &b);
            }
        sbuf_addc(&b, ')');
        t->line(t->ctx, TRACE_CONN, sbuf_str(&b));
        sbuf_free(&b);
    }
}

struct dump_ctx {
    struct engine *engine;
    const struct scenario *scenario;
    unsigned panes;        /* --panes: what a dump shows, as the terminal would */
    struct tracelog *log;  /* the trace pane's lines, or NULL */
};

/* A scenario's sink: every line printed; with a trace pane to dump, the
 * calls kept too, as the terminal's presenter keeps them. */
static void scenario_line(void *ctx, enum trace_kind kind, const char *text)
{
    struct dump_ctx *d = ctx;
    if (kind == TRACE_SCRIPT && strncmp(text, "--- step ", 9) == 0)
        tracelog_step(d->log);
    print_line(NULL, kind, text);
}

static void scenario_call(void *ctx, enum trace_kind kind, const struct call *c)
{
    struct dump_ctx *d = ctx;
    struct sbuf text = {0};
    tracelog_call(d->log, kind, c);
    call_transcript(c, &text);
    print_line(NULL, kind, sbuf_str(&text));
    sbuf_free(&text);
}

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
    v.panes = d->panes;
    v.tracelog = d->log;
    v.trace_bottom = TRACE_NEWEST;
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
    if (o->compare)
        cfg.origin[KNOB_MODE] = knob_origin(FROM_COMMAND_LINE, NULL, 0, 0);
    /* The calls are kept for the trace pane of a `dump`. */
    struct dump_ctx dump = {NULL, sc, o->panes, xcalloc(1, sizeof *dump.log)};
    struct trace out = {.line = scenario_line, .call = scenario_call, .ctx = &dump};
    struct engine *e = o->compare ? engine_new_compare(&cfg, o->compare_modes, &out, &err)
                                  : engine_new(&cfg, &out, &err);
    if (!e) {
        fprintf(stderr, "epollviz: %s\n", sbuf_str(&err));
        sbuf_free(&err);
        scenario_free(sc);
        tracelog_free(dump.log);
        free(dump.log);
        return 1;
    }
    dump.engine = e;
    struct engine_host host = {headless_request, &dump};
    engine_set_host(e, &host);
    struct knob_origin lesson = knob_origin(FROM_LESSON, NULL, 0, 0);
    engine_clock_from(e, &lesson); /* paused, as every lesson */
    print_header(e, &stdout_trace);
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
        tracelog_free(dump.log);
        free(dump.log);
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
    tracelog_free(dump.log);
    free(dump.log);
    return status;
}

/* What free play may hold back while stdout is slow: a read of 64 KiB,
 * escaped, is a line of up to 256 KiB, and it must fit. */
#define FREE_PLAY_OUTPUT (1024 * 1024)
/* At the end, how long the summary may wait for a reader that does not
 * read: SIGTERM must still end the program within a second. */
#define FREE_PLAY_LAST_WAIT_MS 500

struct free_play {
    struct engine *engine;
    struct hostloop *loop;
    struct outbuf *out;
    int out_fd;
    bool watching; /* the loop waits for out_fd to take more */
    struct sbuf spare; /* a line that needed sanitizing */
    struct cmdlines *input; /* command lines on standard input, or NULL */
};

static struct engine *current_engine(void *ctx)
{
    return ((struct free_play *)ctx)->engine;
}

static void on_writable(void *ctx, int fd, uint32_t events);

/* Watches stdout while something waits to be written, and only then: a
 * writable fd watched level-triggered would wake the loop for ever. */
static void follow_output(struct free_play *l)
{
    if (outbuf_error(l->out)) {
        output_lost = true;
        if (l->loop)
            hostloop_stop(l->loop);
    }
    bool want = outbuf_pending(l->out) > 0 && !output_lost;
    if (!l->loop || want == l->watching)
        return;
    if (!want)
        hostloop_del(l->loop, l->out_fd);
    /* A file or /dev/null cannot be watched, and its writes never wait. */
    l->watching = want ? hostloop_add(l->loop, l->out_fd, EPOLLOUT, on_writable, l) == 0 : false;
}

static void on_writable(void *ctx, int fd, uint32_t events)
{
    struct free_play *l = ctx;
    (void)fd, (void)events;
    outbuf_flush(l->out);
    follow_output(l);
}

/* Lines wait in the buffer until the loop turn (a tick) is over: then
 * one write takes them all (write_out). */
static void buffered_line(void *ctx, enum trace_kind kind, const char *text)
{
    struct free_play *l = ctx;
    size_t n;
    (void)kind;
    const char *safe = safe_text(text, &l->spare, &n);
    outbuf_add(l->out, safe, n);
}

static void write_out(struct free_play *l)
{
    outbuf_flush(l->out);
    follow_output(l);
}

static void on_signal(void *ctx, int fd, uint32_t signo)
{
    struct free_play *l = ctx;
    (void)fd;
    trace_emit(engine_trace(l->engine), TRACE_CONN, "epollviz: %s, stopping",
               strsignal((int)signo));
    hostloop_stop(l->loop);
}

/* What the TUI's listener line shows as "refused N" and "PAUSED", as more
 * lines of the exit summary: connections turned away, and why. */
static void add_refusals(const struct listener_info *l, struct sbuf *out)
{
    const struct {
        uint64_t n;
        const char *why;
    } part[] = {
        {l->rejected_emfile, "out of file descriptors (EMFILE)"},
        {l->rejected_max_conns, "at --max-conns"},
        {l->rejected_max_per_peer, "at --max-per-peer"},
    };
    if (l->rejected) {
        sbuf_printf(out, "\nepollviz: %llu connection%s refused", (unsigned long long)l->rejected,
                    l->rejected == 1 ? "" : "s");
        const char *sep = ": ";
        for (size_t i = 0; i < ARRAY_LEN(part); i++)
            if (part[i].n) {
                sbuf_printf(out, "%s%llu %s", sep, (unsigned long long)part[i].n, part[i].why);
                sep = ", ";
            }
    }
    if (l->paused)
        sbuf_add(out, "\nepollviz: the listener is paused: out of file descriptors");
}

/* Free play's host: `quit` ends it, as Ctrl-C does; the rest is the
 * terminal UI's. */
static int free_play_request(void *ctx, enum host_request req, const struct host_args *a,
                             struct sbuf *err)
{
    struct free_play *l = ctx;
    (void)a;
    if (req != HOST_QUIT) {
        sbuf_add(err, "only the terminal UI can do that (run epollviz without --headless)");
        return -1;
    }
    trace_emit(engine_trace(l->engine), TRACE_CONN, "epollviz: quit, stopping");
    hostloop_stop(l->loop);
    return 0;
}

/* A line of the command language on standard input runs as at the TUI's
 * prompt.  At its end (or an error, or a terminal that put us in the
 * background: EIO with SIGTTIN ignored) the server goes on without it. */
static void on_stdin(void *ctx, int fd, uint32_t events)
{
    struct free_play *l = ctx;
    char buf[1024];
    (void)events;
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        if (n == 0) /* the end: a last line without its newline still runs */
            cmdlines_end(l->input, l->engine);
        hostloop_del(l->loop, fd);
        return;
    }
    cmdlines_feed(l->input, l->engine, buf, (size_t)n);
}

/* Reads standard input when it can be watched: a terminal whose
 * foreground we are, or a pipe (a file or /dev/null cannot be, and a
 * background job must not be stopped by SIGTTIN for reading its
 * terminal). */
static void watch_stdin(struct free_play *l)
{
    if (isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) != getpgrp())
        return;
    signal(SIGTTIN, SIG_IGN); /* moved to the background later: EIO, not a stop */
    l->input = cmdlines_new("stdin");
    if (hostloop_add(l->loop, STDIN_FILENO, EPOLLIN, on_stdin, l) < 0) {
        cmdlines_free(l->input);
        l->input = NULL;
    }
}

static int run_server(const struct options *o)
{
    struct sbuf err = {0};
    struct free_play l = {0};
    struct live *live;
    sigset_t set;

    /* stdout stays as the shell made it; ours is a non-blocking copy. */
    fflush(stdout);
    if ((l.out_fd = outbuf_nonblocking_fd(STDOUT_FILENO)) < 0)
        l.out_fd = dup(STDOUT_FILENO); /* no copy to be had: writes may block */
    l.out = outbuf_new(l.out_fd, FREE_PLAY_OUTPUT);
    struct trace out = {.line = buffered_line, .ctx = &l};
    l.engine = engine_new(&o->server, &out, &err);
    if (!l.engine) {
        fprintf(stderr, "epollviz: %s\n", sbuf_str(&err));
        sbuf_free(&err);
        outbuf_free(l.out);
        close(l.out_fd);
        sbuf_free(&l.spare);
        return 1;
    }
    struct server *s = engine_server(l.engine);
    print_header(l.engine, &out);
    const char *host = o->server.address;
    if (strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0)
        host = server_family(s) == AF_INET ? "127.0.0.1" : "::1";
    trace_emit(&out, TRACE_CONN, "epollviz: try: nc %s %u", host, server_port(s));
    engine_run(l.engine, o->rate);
    engine_clock_from(l.engine, &o->rate_from);

    l.loop = hostloop_new();
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    if (hostloop_signals(l.loop, &set, on_signal, &l) < 0 ||
        !(live = live_new(l.loop, current_engine, &l)))
        fatal("cannot set up the host loop");
    struct engine_host quit_host = {free_play_request, &l};
    engine_set_host(l.engine, &quit_host);
    watch_stdin(&l);
    write_out(&l);
    /* The same clock and sampler as the TUI: a timer at --rate, or the
     * server's epoll fd when it ticks on events. */
    while (!hostloop_stopped(l.loop) && !output_lost) {
        live_sync(live, 0, false);
        hostloop_turn(l.loop, -1);
        live_after_turn(live);
        write_out(&l);
    }
    live_free(live);
    if (l.watching)
        hostloop_del(l.loop, l.out_fd);

    const struct server_stats *st = server_stats(s);
    unsigned long long accepts = server_listener(s)->accepts, dropped = outbuf_dropped(l.out);
    struct sbuf summary = {0};
    sbuf_printf(&summary,
                "epollviz: %llu epoll_wait calls, %llu events, %llu reads (%llu EAGAIN), %llu connection%s",
                (unsigned long long)(st->tick - st->asleep_ticks), (unsigned long long)st->events,
                (unsigned long long)st->reads, (unsigned long long)st->eagain_reads, accepts,
                accepts == 1 ? "" : "s");
    if (dropped)
        sbuf_printf(&summary, ", %llu line%s dropped (output too slow)", dropped,
                    dropped == 1 ? "" : "s");
    add_refusals(server_listener(s), &summary);
    outbuf_final(l.out, sbuf_str(&summary));
    int status = 0;
    if (output_lost || outbuf_error(l.out)) {
        fprintf(stderr, "epollviz: standard output was closed; stopping\n");
        status = 1;
    } else if (outbuf_drain(l.out, FREE_PLAY_LAST_WAIT_MS) < 0) {
        fprintf(stderr, "epollviz: standard output is not being read: %zu bytes unwritten, %llu "
                        "line%s dropped\n",
                outbuf_pending(l.out), dropped, dropped == 1 ? "" : "s");
    }
    sbuf_free(&summary);
    hostloop_free(l.loop);
    cmdlines_free(l.input);
    engine_free(l.engine);
    outbuf_flush(l.out); /* what the server said as it closed (unread bytes) */
    outbuf_free(l.out);
    close(l.out_fd);
    sbuf_free(&l.spare);
    return status;
}

int headless_main(const struct options *o)
{
    /* A transcript read through a pipe must arrive line by line. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    return o->scenario ? run_scenario(o) : run_server(o);
}
