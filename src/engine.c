/*
 * engine.c - one server, its scenario clients, the clock and the narration.
 */
#include "engine.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SETTLE_MS 2000

struct side {
    struct engine *engine;
    char name[16];
    struct server *server;
    struct client_set *clients;
    struct trace trace; /* prefixes lines with the side's name when comparing */
    struct knob_origin origin[KNOB_COUNT]; /* who set each knob (show knobs) */
};

struct engine {
    struct side sides[ENGINE_MAX_SIDES];
    unsigned nsides;
    const struct trace *trace;
    bool running;
    struct knob_origin clock_from; /* who set the clock last (show knobs) */
    unsigned rate;
    char *title;
    char *narration;
    unsigned expects_passed, expects_failed;
    struct expect_result step_expects[ENGINE_STEP_EXPECTS];
    size_t nstep_expects;
    struct engine_host host;
    unsigned job_done, job_total; /* ticks of a `tick N` in slices; total 0: idle */
};

/* Accepted sockets whose peer is one of our clients take the client's name. */
static const char *label_client(void *ctx, const struct sockaddr *peer, socklen_t len)
{
    struct side *sd = ctx;
    struct client *c = client_claim(sd->clients, peer, len);
    return c ? c->name : NULL;
}

static void side_line(void *ctx, enum trace_kind kind, const char *text)
{
    const struct side *sd = ctx;
    /* The clients do the same on both sides: say it once. */
    if (kind == TRACE_CLIENT && sd != &sd->engine->sides[0])
        return;
    if (kind == TRACE_CLIENT) {
        trace_emit(sd->engine->trace, kind, "%s", text);
        return;
    }
    trace_emit(sd->engine->trace, kind, "[%s] %s", sd->name, text);
}

/* Where clients dial: the listener's own address, or loopback for a
 * wildcard listener. */
static socklen_t dial_address(const struct server *s, struct sockaddr_storage *ss)
{
    socklen_t len = server_sockaddr(s, ss);
    if (ss->ss_family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)ss;
        if (in->sin_addr.s_addr == htonl(INADDR_ANY))
            in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    } else if (ss->ss_family == AF_INET6) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
        if (IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr))
            in6->sin6_addr = in6addr_loopback;
    }
    return len;
}

static int side_open(struct engine *e, struct side *sd, const struct server_config *cfg,
                     struct sbuf *err)
{
    struct sockaddr_storage ss;
    sd->engine = e;
    if (e->nsides > 1) {
        snprintf(sd->name, sizeof sd->name, "%s", mode_name(cfg->knobs.mode));
        sd->trace.line = side_line;
        sd->trace.ctx = sd;
        sd->trace.skip = e->trace ? e->trace->skip : 0;
    } else if (e->trace) {
        sd->trace = *e->trace;
    }
    sd->server = server_open(cfg, &sd->trace, err);
    if (!sd->server)
        return -1;
    memcpy(sd->origin, cfg->origin, sizeof sd->origin);
    socklen_t len = dial_address(sd->server, &ss);
    sd->clients = client_set_new((struct sockaddr *)&ss, len, &sd->trace);
    server_set_labeller(sd->server, label_client, sd);
    return 0;
}

static struct engine *engine_make(const struct server_config *cfg, const enum server_mode *modes,
                                  unsigned nsides, const struct trace *trace, struct sbuf *err)
{
    struct engine *e = xcalloc(1, sizeof *e);
    e->trace = trace;
    e->nsides = nsides;
    for (unsigned i = 0; i < nsides; i++) {
        struct server_config c = *cfg;
        if (modes)
            c.knobs.mode = modes[i];
        if (i > 0)
            c.port = 0;
        if (side_open(e, &e->sides[i], &c, err) < 0) {
            engine_free(e);
            return NULL;
        }
    }
    return e;
}

struct engine *engine_new(const struct server_config *cfg, const struct trace *trace,
                          struct sbuf *err)
{
    return engine_make(cfg, NULL, 1, trace, err);
}

struct engine *engine_new_compare(const struct server_config *cfg,
                                  const enum server_mode modes[2], const struct trace *trace,
                                  struct sbuf *err)
{
    if (modes[0] == modes[1]) {
        sbuf_printf(err, "a comparison needs two different modes, not %s twice",
                    mode_name(modes[0]));
        return NULL;
    }
    return engine_make(cfg, modes, 2, trace, err);
}

const struct knob_origin *engine_knob_origin(const struct engine *e, unsigned side,
                                             enum knob_id id)
{
    return &e->sides[side].origin[id];
}

void engine_set_knob(struct engine *e, unsigned side, enum knob_id id, size_t v,
                     const struct knob_origin *from)
{
    server_set_knob(e->sides[side].server, id, v);
    e->sides[side].origin[id] = *from;
}

void engine_free(struct engine *e)
{
    if (!e)
        return;
    for (unsigned i = 0; i < e->nsides; i++) {
        client_set_free(e->sides[i].clients);
        server_free(e->sides[i].server);
    }
    free(e->title);
    engine_step_begin(e); /* frees the narration and the step's expects */
    free(e);
}

struct server *engine_server(const struct engine *e) { return e->sides[0].server; }
struct client_set *engine_clients(const struct engine *e) { return e->sides[0].clients; }
const struct trace *engine_trace(const struct engine *e) { return e->trace; }
unsigned engine_sides(const struct engine *e) { return e->nsides; }
bool engine_comparing(const struct engine *e) { return e->nsides > 1; }

struct server *engine_side_server(const struct engine *e, unsigned i)
{
    return i < e->nsides ? e->sides[i].server : NULL;
}

struct client_set *engine_side_clients(const struct engine *e, unsigned i)
{
    return i < e->nsides ? e->sides[i].clients : NULL;
}

const char *engine_side_name(const struct engine *e, unsigned i)
{
    return i < e->nsides ? e->sides[i].name : "";
}

size_t engine_rate_steps(const unsigned **steps)
{
    static const unsigned rates[] = {1, 2, 4, 8, 16, 32, 64};
    *steps = rates;
    return ARRAY_LEN(rates);
}

void engine_run(struct engine *e, unsigned rate)
{
    e->running = true;
    e->rate = rate;
    if (rate)
        trace_emit(e->trace, TRACE_KNOB, "clock run: %u tick%s per second", rate,
                   rate == 1 ? "" : "s");
    else
        trace_emit(e->trace, TRACE_KNOB, "clock run: tick whenever epoll has events");
}

void engine_pause(struct engine *e)
{
    e->running = false;
    trace_emit(e->trace, TRACE_KNOB, "clock paused: one tick at a time");
}

bool engine_running(const struct engine *e) { return e->running; }

void engine_clock_from(struct engine *e, const struct knob_origin *from) { e->clock_from = *from; }
const struct knob_origin *engine_clock_origin(const struct engine *e) { return &e->clock_from; }
unsigned engine_rate(const struct engine *e) { return e->rate; }

void engine_settle(struct engine *e)
{
    for (unsigned i = 0; i < e->nsides; i++) {
        /* Both ways: the clients' bytes in the server's queue, and what
         * the server sent (an echo) in the clients'. */
        struct timespec t0, t;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        bool settled = client_settle(e->sides[i].clients, SETTLE_MS) == 0;
        while (settled && !server_sends_settled(e->sides[i].server)) {
            clock_gettime(CLOCK_MONOTONIC, &t);
            if ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 > SETTLE_MS) {
                settled = false;
                break;
            }
            struct timespec nap = {0, 100 * 1000};
            nanosleep(&nap, NULL);
            settled = client_settle(e->sides[i].clients, SETTLE_MS) == 0;
        }
        if (!settled)
            trace_emit(e->trace, TRACE_ERROR,
                       "clients: loopback did not settle within %d ms; the machine may be overloaded",
                       SETTLE_MS);
        server_sample(e->sides[i].server);
    }
}

void engine_tick(struct engine *e, unsigned n)
{
    if (!n)
        return;
    /* A tick while a job runs (a key, a prompt line) joins it. */
    e->job_total += n;
    engine_work(e, ENGINE_SLICE_NS);
}

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

bool engine_busy(const struct engine *e)
{
    return e->job_total > 0;
}

bool engine_work(struct engine *e, uint64_t slice_ns)
{
    uint64_t deadline = now_ns() + slice_ns;
    while (e->job_done < e->job_total) {
        engine_settle(e);
        /* Side by side, tick by tick: the transcripts interleave by tick. */
        for (unsigned i = 0; i < e->nsides; i++)
            server_tick(e->sides[i].server, 0);
        e->job_done++;
        if (e->job_done < e->job_total && now_ns() >= deadline)
            return true;
    }
    /* Queued client bytes may fit now that the server has read. */
    engine_settle(e);
    e->job_done = e->job_total = 0;
    return false;
}

bool engine_job_progress(const struct engine *e, unsigned *done, unsigned *total)
{
    *done = e->job_done;
    *total = e->job_total;
    return e->job_total > 0;
}

void engine_job_stop(struct engine *e)
{
    if (!e->job_total)
        return;
    trace_emit(e->trace, TRACE_SCRIPT, "stopped: %u of %u ticks run, the rest abandoned",
               e->job_done, e->job_total);
    engine_settle(e);
    e->job_done = e->job_total = 0;
}

int engine_tick_live(struct engine *e, int timeout_ms)
{
    int events = 0;
    for (unsigned i = 0; i < e->nsides; i++) {
        client_flush_all(e->sides[i].clients);
        int n = server_tick(e->sides[i].server, i ? 0 : timeout_ms);
        events += n > 0 ? n : 0;
    }
    return events;
}

int engine_each_client(struct engine *e, const char *name, client_action fn, void *arg,
                       struct sbuf *err)
{
    /* Counted on the first side: a client of a comparison is one name,
     * even if it is two sockets. */
    size_t matched = 0, failed = 0;
    bool failed_elsewhere = false;
    struct sbuf why = {0}, other = {0};
    for (unsigned k = 0; k < e->nsides; k++) {
        struct client_set *cs = e->sides[k].clients;
        for (size_t i = 0; i < client_count(cs); i++) {
            struct client *c = client_at(cs, i);
            if (!client_matches(c, name))
                continue;
            matched += k == 0;
            sbuf_reset(&why);
            if (fn(cs, c, arg, &why) == 0)
                continue;
            if (k == 0 && failed++ == 0)
                sbuf_add(err, sbuf_str(&why));
            else if (k > 0 && !failed_elsewhere) {
                failed_elsewhere = true;
                sbuf_printf(&other, "[%s] %s", e->sides[k].name, sbuf_str(&why));
            }
        }
    }
    if (!failed && failed_elsewhere)
        sbuf_add(err, sbuf_str(&other));
    sbuf_free(&other);
    sbuf_free(&why);
    if (!matched) {
        sbuf_printf(err, "no client named '%s' (open one with: connect %s)", name, name);
        return -1;
    }
    engine_settle(e);
    if (failed > 1)
        sbuf_printf(err, " (and %zu more of %s)", failed - 1, name);
    return failed || failed_elsewhere ? -1 : 0;
}

static void replace(char **slot, const char *text)
{
    free(*slot);
    *slot = xstrdup(text);
}

void engine_set_title(struct engine *e, const char *title)
{
    replace(&e->title, title);
}

const char *engine_title(const struct engine *e)
{
    return e->title ? e->title : "";
}

void engine_say(struct engine *e, const char *text)
{
    /* Every say of a step is shown, one paragraph each: a step's
     * explanation and then its rule. */
    if (e->narration && *e->narration) {
        size_t n = strlen(e->narration);
        e->narration = xrealloc(e->narration, n + 1 + strlen(text) + 1);
        e->narration[n] = '\n';
        strcpy(e->narration + n + 1, text);
    } else {
        replace(&e->narration, text);
    }
    trace_emit(e->trace, TRACE_SCRIPT, "say: %s", text);
}

const char *engine_narration(const struct engine *e)
{
    return e->narration ? e->narration : "";
}

void engine_step_begin(struct engine *e)
{
    free(e->narration); /* narration belongs to its step */
    e->narration = NULL;
    for (size_t i = 0; i < e->nstep_expects; i++) {
        free(e->step_expects[i].text);
        free(e->step_expects[i].detail);
    }
    e->nstep_expects = 0;
}

void engine_record_expect(struct engine *e, const char *text, bool passed, const char *detail)
{
    if (passed)
        e->expects_passed++;
    else
        e->expects_failed++;
    if (e->nstep_expects < ENGINE_STEP_EXPECTS) {
        struct expect_result *r = &e->step_expects[e->nstep_expects++];
        r->text = xstrdup(text);
        r->detail = xstrdup(detail);
        r->passed = passed;
    }
}

size_t engine_step_expects(const struct engine *e) { return e->nstep_expects; }

const struct expect_result *engine_step_expect(const struct engine *e, size_t i)
{
    return i < e->nstep_expects ? &e->step_expects[i] : NULL;
}

void engine_set_host(struct engine *e, const struct engine_host *host)
{
    if (host)
        e->host = *host;
    else
        memset(&e->host, 0, sizeof e->host);
}

int engine_host_request(struct engine *e, enum host_request req, const struct host_args *a,
                        struct sbuf *err)
{
    if (!e->host.request) {
        sbuf_add(err, "only the terminal UI can do that (run epollviz without --headless)");
        return -1;
    }
    return e->host.request(e->host.ctx, req, a, err);
}

unsigned engine_expects_passed(const struct engine *e) { return e->expects_passed; }
unsigned engine_expects_failed(const struct engine *e) { return e->expects_failed; }
