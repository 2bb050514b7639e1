/*
 * lesson.h - the lesson's life: which scenario is open, on which server
 * or pair of servers, and the moves between them (open a lesson, restart
 * it, free play, side by side or one server again).
 *
 * Each move starts a fresh engine that takes over the port (or, if the
 * port went to someone else meanwhile, any free one, said in `note`), so
 * a lesson's expects always start from fresh counters.  The presenter
 * decides when to move (keys, commands, asking first); this module does
 * the move and keeps what free play carries over.  Every engine's
 * transcript goes to the configured trace and its host requests to the
 * configured host.
 */
#ifndef EPOLLVIZ_LESSON_H
#define EPOLLVIZ_LESSON_H

#include <stdbool.h>

#include "engine.h"
#include "scenario.h"
#include "server.h"
#include "util.h"

struct lesson_config {
    struct server_config server; /* free play; a scenario adds scenario_server_config */
    unsigned rate;               /* free play's clock, ticks per second (0 = on events) */
    struct knob_origin rate_from; /* who set it: default, startup file, command line */
    bool compare;                /* two servers side by side, in compare_modes */
    enum server_mode compare_modes[2];
    struct knob_origin compare_from; /* who asked for them: each side's mode says it */
    const struct trace *trace;
    struct engine_host host;
};

struct lesson;

/* Free play on the configured port, its clock running, or, when a
 * `scenario` is to be opened next (lesson_load, once the host can take
 * its requests), the scenario checked and the port proven free: a port
 * in use or a malformed lesson fails here, before any screen.  NULL with
 * every error in err (a malformed scenario lists each line). */
struct lesson *lesson_new(const struct lesson_config *cfg, const char *scenario,
                          struct sbuf *err);
void lesson_free(struct lesson *l);

struct engine *lesson_engine(const struct lesson *l);
struct scenario *lesson_scenario(const struct lesson *l); /* NULL in free play */
const char *lesson_path(const struct lesson *l);          /* NULL in free play */
/* Changes whenever the engine is replaced. */
unsigned lesson_generation(const struct lesson *l);
const struct lesson_config *lesson_config(const struct lesson *l);

/* Opens the scenario at path on a fresh server and runs its opening
 * segment.  -1 with the first error (and a count) if it does not load:
 * then nothing changed. */
int lesson_load(struct lesson *l, const char *path, struct sbuf *err, struct sbuf *note);
/* Whether the scenario at path would load: 0, or -1 with the error
 * lesson_load would give.  Nothing is run. */
int lesson_check(const char *path, struct sbuf *err);
/* The open scenario again from the top; -1 if none is open or it no
 * longer loads. */
int lesson_restart(struct lesson *l, struct sbuf *err, struct sbuf *note);
/* Leaves the scenario: free play on a fresh server, its clock running. */
void lesson_free_play(struct lesson *l, struct sbuf *note);
/* Two servers in a->modes, or one again (a->off): the same lesson again,
 * or free play with its knobs and clock carried over (the modes are the
 * comparison's own).  -1 with err if nothing changed. */
int lesson_compare(struct lesson *l, const struct host_args *a, struct sbuf *err,
                   struct sbuf *note);
/* Whether lesson_compare would start: 0, or -1 with its error (one server
 * already, or a lesson that no longer loads).  Nothing changes. */
int lesson_compare_check(const struct lesson *l, const struct host_args *a, struct sbuf *err);

/* Long work in slices: a `tick N` that outlasted its first slice, or a
 * step waiting for one.  lesson_work runs one more slice (or the step's
 * next lines once the job is done). */
bool lesson_busy(const struct lesson *l);
void lesson_work(struct lesson *l);
/* Esc or `stop`: the rest of the job, and of the step, is not run; the
 * narration says so, since its text may describe what did not happen.
 * `said` gets one line for the message line; true if a step was stopped. */
bool lesson_stop(struct lesson *l, struct sbuf *said);

#endif
