/*
 * scenario.h - scenario files: parsed whole before anything runs, then run
 * step by step against an engine.
 *
 * scenario_load/scenario_parse reject a file with every wrong line listed
 * as "file:line:column: error: what was expected" (one line each in
 * `errors`).  A parsed scenario runs in segments separated by `step`
 * lines; runtime failures (a client that cannot connect, ...) are reported
 * through the engine's trace with file:line, counted, and the run goes on.
 */
#ifndef EPOLLVIZ_SCENARIO_H
#define EPOLLVIZ_SCENARIO_H

#include <stdbool.h>

#include "engine.h"
#include "util.h"

#define SCENARIO_MAX_BYTES (1024 * 1024)
/* Errors listed in `errors`; the rest are only counted, so a file of
 * garbage gets a screenful, not megabytes. */
#define SCENARIO_MAX_ERRORS 20

struct scenario;

/* The server settings every scenario runs with, in any front end, so that
 * its expects see the same kernel: a fixed receive buffer (no autotuning)
 * and a short preview of each read in the transcript. */
void scenario_server_config(struct server_config *cfg);

/* NULL on failure; `errors` then holds one line per problem, the first
 * SCENARIO_MAX_ERRORS of them, and `*nerrors` counts them all.  A file
 * that is not UTF-8 text (a NUL byte, an invalid sequence) gets one error,
 * at its first such byte, and is read no further. */
struct scenario *scenario_load(const char *path, struct sbuf *errors, unsigned *nerrors);
struct scenario *scenario_parse(const char *name, const char *text, size_t len,
                                struct sbuf *errors, unsigned *nerrors);
/* The line that ends a rejected file's report: "epollviz: 3 errors,
 * nothing was run", or, past SCENARIO_MAX_ERRORS, "epollviz: ... and N
 * more errors (M in all), nothing was run". */
void scenario_error_tally(struct sbuf *b, unsigned nerrors);
void scenario_free(struct scenario *sc);

const char *scenario_name(const struct scenario *sc); /* safe to print: escaped */
const char *scenario_title(const struct scenario *sc); /* "" if none */
unsigned scenario_steps(const struct scenario *sc);    /* segments to step through */
unsigned scenario_step(const struct scenario *sc);     /* segments run so far */
bool scenario_done(const struct scenario *sc);
unsigned scenario_runtime_errors(const struct scenario *sc);

/* Begins the next step and runs its commands up to and including the next
 * `step` line (or to the end).  A command that leaves the engine a job (a
 * long tick) pauses the step: scenario_in_step() stays true, and once
 * engine_work has finished the job, scenario_continue runs the rest.
 * Does nothing while a step is still in progress. */
void scenario_next(struct scenario *sc, struct engine *e);
bool scenario_in_step(const struct scenario *sc);
void scenario_continue(struct scenario *sc, struct engine *e);
/* Abandons the engine's job and the rest of the current step (its lines
 * are not run; the next step starts at the next `step` line). */
void scenario_stop(struct scenario *sc, struct engine *e);
/* One piece of the run: a slice of the engine's job, the rest of a step,
 * or the next step.  False once the scenario and its jobs are finished. */
bool scenario_advance(struct scenario *sc, struct engine *e);
/* Runs to the end, the engine's jobs included. */
void scenario_run(struct scenario *sc, struct engine *e);

#endif
