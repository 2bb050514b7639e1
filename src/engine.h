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
#include <stdint.h>

#include "client.h"
#include "server.h"
#include "trace.h"
#include "util.h"

struct engine;

struct engine *engine_new(const struct server_config *cfg, const struct trace *trace,
                          struct sbuf *err);
/* Side by side: two servers, each with its own epoll instance, listener,
 * counters and clients, in two different modes (modes[0] != modes[1]);
 * cfg->origin[KNOB_MODE] says who asked for the comparison.
 * The first listens where cfg says, the second on any free port.  Every
 * client action happens on both sides; knobs apply to both except the
 * mode, which each side keeps.  Transcript lines carry "[lt] " or
 * "[et] " (client lines once, as they are the same on both sides). */
struct engine *engine_new_compare(const struct server_config *cfg,
                                  const enum server_mode modes[2], const struct trace *trace,
                                  struct sbuf *err);
void engine_free(struct engine *e);

/* The first side's server and clients (the only ones unless comparing). */
struct server *engine_server(const struct engine *e);
struct client_set *engine_clients(const struct engine *e);
const struct trace *engine_trace(const struct engine *e);

#define ENGINE_MAX_SIDES 2
unsigned engine_sides(const struct engine *e);
bool engine_comparing(const struct engine *e);
struct server *engine_side_server(const struct engine *e, unsigned i);
struct client_set *engine_side_clients(const struct engine *e, unsigned i);
/* The side's name: its mode when it was made ("lt"); "" when not comparing. */
const char *engine_side_name(const struct engine *e, unsigned i);

/* A knob of one side: what set it, as the config said at creation and
 * then each engine_set_knob (show knobs lists it). */
const struct knob_origin *engine_knob_origin(const struct engine *e, unsigned side,
                                             enum knob_id id);
/* Sets the knob on the side's server (server_set_knob) and records who
 * asked. */
void engine_set_knob(struct engine *e, unsigned side, enum knob_id id, size_t v,
                     const struct knob_origin *from);

/* The clock: paused, or running at `rate` ticks per second (0 = free
 * running: tick whenever the server's epoll fd has events, as a real
 * server blocks in epoll_wait).  The host loop reads it; scenarios only
 * advance by explicit ticks. */
#define ENGINE_RATE_MAX 1000  /* the fastest clock: `run N` and --rate */
#define ENGINE_RATE_DEFAULT 4 /* free play's, and what p starts, unless --rate */
void engine_run(struct engine *e, unsigned rate);
/* The rates the presenter's + and - step through and Tab offers for run,
 * slowest first; returns how many. */
size_t engine_rate_steps(const unsigned **steps);
void engine_pause(struct engine *e);
bool engine_running(const struct engine *e);
unsigned engine_rate(const struct engine *e);
/* Who set the clock last, as for a knob (show knobs): run and pause say
 * their line's origin, the front ends their start's. */
void engine_clock_from(struct engine *e, const struct knob_origin *from);
const struct knob_origin *engine_clock_origin(const struct engine *e);

/* Flushes and settles the clients, then runs `n` ticks with timeout 0.
 * Long work never holds the caller: what does not fit in ENGINE_SLICE_NS
 * stays as the engine's job, which the host advances with engine_work
 * between reading keys and signals (the same ticks in the same order, so
 * a transcript does not depend on where the slices fell). */
void engine_tick(struct engine *e, unsigned n);

#define ENGINE_SLICE_NS 20000000u /* 20 ms: a key or a signal waits at most this */
/* True while a job (the rest of a `tick N`) waits for engine_work. */
bool engine_busy(const struct engine *e);
/* Advances the job for about `slice_ns` (at least one tick); returns
 * engine_busy() after it. */
bool engine_work(struct engine *e, uint64_t slice_ns);
/* What the job has done and has to do, e.g. done 31200 of total 100000
 * ticks; false when idle. */
bool engine_job_progress(const struct engine *e, unsigned *done, unsigned *total);
/* Abandons the job (the ticks not run are not run); says so in the trace. */
void engine_job_stop(struct engine *e);
/* One tick with the given epoll_wait timeout, for the live host loop. */
int engine_tick_live(struct engine *e, int timeout_ms);

/* Waits (bounded) for client bytes and handshakes to reach the server,
 * then samples the kernel. */
void engine_settle(struct engine *e);

typedef int (*client_action)(struct client_set *cs, struct client *c, void *arg,
                             struct sbuf *err);

/* Applies `fn` to every client named `name` (a name or a group), on every
 * side, then settles.  Returns -1 with a message in err if none matched or an action
 * failed (the first failure is reported; the others still run). */
int engine_each_client(struct engine *e, const char *name, client_action fn, void *arg,
                       struct sbuf *err);

void engine_set_title(struct engine *e, const char *title);
const char *engine_title(const struct engine *e);
/* Adds a paragraph to the current step's narration ("\n" between them);
 * engine_step_begin starts a step with none. */
void engine_say(struct engine *e, const char *text);
const char *engine_narration(const struct engine *e);

/* Expect bookkeeping: every result is counted; those of the current step
 * are also kept (the first ENGINE_STEP_EXPECTS) for the narration pane. */
#define ENGINE_STEP_EXPECTS 16
struct expect_result {
    char *text;   /* the expect line as written */
    char *detail; /* what was found, e.g. "wakeups is 1" */
    bool passed;
};
void engine_step_begin(struct engine *e);
void engine_record_expect(struct engine *e, const char *text, bool passed, const char *detail);
unsigned engine_expects_passed(const struct engine *e);
unsigned engine_expects_failed(const struct engine *e);
size_t engine_step_expects(const struct engine *e);
const struct expect_result *engine_step_expect(const struct engine *e, size_t i);

/* What only a live front end can do.  Commands ask through the host; the
 * front end acts once the command has returned (a restart replaces this
 * very engine).  Without a host (or for a request it does not take) the
 * command fails with a message saying where it works. */
enum host_request {
    HOST_NONE,    /* (a command that asks for nothing) */
    HOST_NEXT,    /* run the scenario to its next step */
    HOST_RESTART, /* the scenario again from the top, on a fresh server */
    HOST_LOAD,    /* open the scenario file `arg` */
    HOST_DUMP,    /* write the screen (at cols x rows) as text to the file `arg` */
    HOST_QUIT,
    HOST_SELECT,  /* select the connection named `arg` */
    HOST_MENU,    /* open the scenario menu */
    HOST_COMPARE, /* two servers side by side in `modes`; with `off`, one again */
    HOST_FREE,    /* leave the scenario: free play on a fresh server */
    HOST_STOP,    /* abandon the running job (the rest of a long tick, of a step) */
};
/* What a request carries. */
struct host_args {
    const char *arg; /* the file or the connection named above; or NULL */
    int cols, rows;  /* HOST_DUMP: the size asked for; 0 = the host's own */
    const char *dir; /* a scenario's directory: `arg` is a file beneath it; NULL = as given */
    enum server_mode modes[2]; /* HOST_COMPARE: two different modes ... */
    bool off;                  /* ... or none: back to one server */
    struct knob_origin from;   /* who asked: the command's line (HOST_COMPARE: the
                                  modes' origin, for show knobs) */
};
struct engine_host {
    /* 0, or -1 with a message in err */
    int (*request)(void *ctx, enum host_request req, const struct host_args *a,
                   struct sbuf *err);
    void *ctx;
};
void engine_set_host(struct engine *e, const struct engine_host *host);
int engine_host_request(struct engine *e, enum host_request req, const struct host_args *a,
                        struct sbuf *err);

#endif
