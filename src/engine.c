/*
 * engine.c - one server, its scenario clients, the clock and the narration.
 */
#include "engine.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SETTLE_MS 2000

struct engine {
    struct server *server;
    struct client_set *clients;
    const struct trace *trace;
    bool running;
    unsigned rate;
    char *title;
    char *narration;
    unsigned expects_passed, expects_failed;
    struct expect_result step_expects[ENGINE_STEP_EXPECTS];
    size_t nstep_expects;
    struct engine_host host;
};

/* Accepted sockets whose peer is one of our clients take the client's name. */
static const char *label_client(void *ctx, const struct sockaddr *peer, socklen_t len)
{
    struct engine *e = ctx;
    struct client *c = client_claim(e->clients, peer, len);
    return c ? c->name : NULL;
}

/* Where clients dial: the listener's own address, or loopback for a
 * wildcard listener. */
static socklen_t dial_address(const struct server *s, struct sockaddr_storage *ss)
{
    const char *addr = server_address(s);
    char host[64];
    memset(ss, 0, sizeof *ss);
    if (server_family(s) == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)ss;
        size_t n = strcspn(addr, ":");
        snprintf(host, sizeof host, "%.*s", (int)n, addr);
        in->sin_family = AF_INET;
        in->sin_port = htons(server_port(s));
        inet_pton(AF_INET, host, &in->sin_addr);
        if (in->sin_addr.s_addr == htonl(INADDR_ANY))
            in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return sizeof *in;
    }
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    size_t n = strcspn(addr + 1, "]");
    snprintf(host, sizeof host, "%.*s", (int)n, addr + 1);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(server_port(s));
    inet_pton(AF_INET6, host, &in6->sin6_addr);
    if (IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr))
        in6->sin6_addr = in6addr_loopback;
    return sizeof *in6;
}

struct engine *engine_new(const struct server_config *cfg, const struct trace *trace,
                          struct sbuf *err)
{
    struct engine *e = xcalloc(1, sizeof *e);
    struct sockaddr_storage ss;

    e->trace = trace;
    e->server = server_open(cfg, trace, err);
    if (!e->server) {
        free(e);
        return NULL;
    }
    socklen_t len = dial_address(e->server, &ss);
    e->clients = client_set_new((struct sockaddr *)&ss, len, trace);
    server_set_labeller(e->server, label_client, e);
    return e;
}

void engine_free(struct engine *e)
{
    if (!e)
        return;
    client_set_free(e->clients);
    server_free(e->server);
    free(e->title);
    free(e->narration);
    engine_step_begin(e);
    free(e);
}

struct server *engine_server(const struct engine *e) { return e->server; }
struct client_set *engine_clients(const struct engine *e) { return e->clients; }
const struct trace *engine_trace(const struct engine *e) { return e->trace; }

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
unsigned engine_rate(const struct engine *e) { return e->rate; }

void engine_settle(struct engine *e)
{
    if (client_settle(e->clients, SETTLE_MS) < 0)
        trace_emit(e->trace, TRACE_ERROR,
                   "clients: loopback did not settle within %d ms; the machine may be overloaded",
                   SETTLE_MS);
    server_sample(e->server);
}

void engine_tick(struct engine *e, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        engine_settle(e);
        server_tick(e->server, 0);
    }
    /* Queued client bytes may fit now that the server has read. */
    engine_settle(e);
}

int engine_tick_live(struct engine *e, int timeout_ms)
{
    client_flush_all(e->clients);
    return server_tick(e->server, timeout_ms);
}

int engine_each_client(struct engine *e, const char *name, client_action fn, void *arg,
                       struct sbuf *err)
{
    size_t matched = 0, failed = 0;
    struct sbuf why = {0};
    for (size_t i = 0; i < client_count(e->clients); i++) {
        struct client *c = client_at(e->clients, i);
        if (!client_matches(c, name))
            continue;
        matched++;
        sbuf_reset(&why);
        if (fn(e->clients, c, arg, &why) < 0 && failed++ == 0)
            sbuf_add(err, sbuf_str(&why));
    }
    sbuf_free(&why);
    if (!matched) {
        sbuf_printf(err, "no client named '%s' (open one with: connect %s)", name, name);
        return -1;
    }
    engine_settle(e);
    if (failed > 1)
        sbuf_printf(err, " (and %zu more of %s)", failed - 1, name);
    return failed ? -1 : 0;
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
    replace(&e->narration, text);
    trace_emit(e->trace, TRACE_SCRIPT, "say: %s", text);
}

const char *engine_narration(const struct engine *e)
{
    return e->narration ? e->narration : "";
}

void engine_step_begin(struct engine *e)
{
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

int engine_host_request(struct engine *e, enum host_request req, const char *arg,
                        struct sbuf *err)
{
    if (!e->host.request) {
        sbuf_add(err, "only the terminal UI can do that (run epollviz without --headless)");
        return -1;
    }
    return e->host.request(e->host.ctx, req, arg, err);
}

unsigned engine_expects_passed(const struct engine *e) { return e->expects_passed; }
unsigned engine_expects_failed(const struct engine *e) { return e->expects_failed; }
