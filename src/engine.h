/*
 * engine.h - the server, its scenario clients and the lesson state, driven
 * by commands.  Both front ends (headless and TUI) own one engine and feed
 * it commands; neither touches the server behind its back.
 *
 * Every action reports through the trace given at creation.  Client
 * actions wait for loopback to settle (bounded) so that the next tick sees
 * a deterministic kernel state.
 */
#ifndef EPOLLVIZ_ENGINE_H
#define EPOLLVIZ_ENGINE_H

#include <stdbool.h>

#include "client.h"
#include "server.h"
#include "trace.h"
#include "util.h"

struct engine;

struct engine *engine_new(const struct server_config *cfg, const struct trace *trace,
                          struct sbuf *err);
void engine_free(struct engine *e);

struct server *engine_server(const struct engine *e);
struct client_set *engine_clients(const struct engine *e);
const struct trace *engine_trace(const struct engine *e);

/* The clock: paused, or running at `rate` ticks per second (0 = free
 * running: tick whenever the server's epoll fd has events, as a real
 * server blocks in epoll_wait).  The host loop reads it; scenarios only
 * advance by explicit ticks. */
void engine_run(struct engine *e, unsigned rate);
void engine_pause(struct engine *e);
bool engine_running(const struct engine *e);
unsigned engine_rate(const struct engine *e);

/* Flushes and settles the clients, then runs `n` ticks with timeout 0. */
void engine_tick(struct engine *e, unsigned n);
/* One tick with the given epoll_wait timeout, for the live host loop. */
int engine_tick_live(struct engine *e, int timeout_ms);

/* Waits (bounded) for client bytes and handshakes to reach the server,
 * then samples the kernel. */
void engine_settle(struct engine *e);

typedef int (*client_action)(struct client_set *cs, struct client *c, void *arg,
                             struct sbuf *err);

/* Applies `fn` to every client named `name` (a name or a group), then
 * settles.  Returns -1 with a message in err if none matched or an action
 * failed (the first failure is reported; the others still run). */
int engine_each_client(struct engine *e, const char *name, client_action fn, void *arg,
                       struct sbuf *err);

void engine_set_title(struct engine *e, const char *title);
const char *engine_title(const struct engine *e);
void engine_say(struct engine *e, const char *text);
const char *engine_narration(const struct engine *e);

/* Expect bookkeeping: results are counted here and reported by the caller. */
void engine_count_expect(struct engine *e, bool passed);
unsigned engine_expects_passed(const struct engine *e);
unsigned engine_expects_failed(const struct engine *e);

#endif
