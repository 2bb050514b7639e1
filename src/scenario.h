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

struct scenario;

/* The server settings every scenario runs with, in any front end, so that
 * its expects see the same kernel: a fixed receive buffer (no autotuning)
 * and a short preview of each read in the transcript. */
void scenario_server_config(struct server_config *cfg);

/* NULL on failure; `errors` then holds one line per problem, `*nerrors` their count. */
struct scenario *scenario_load(const char *path, struct sbuf *errors, unsigned *nerrors);
struct scenario *scenario_parse(const char *name, const char *text, size_t len,
                                struct sbuf *errors, unsigned *nerrors);
void scenario_free(struct scenario *sc);

const char *scenario_name(const struct scenario *sc); /* safe to print: escaped */
const char *scenario_title(const struct scenario *sc); /* "" if none */
unsigned scenario_steps(const struct scenario *sc);    /* segments to step through */
unsigned scenario_step(const struct scenario *sc);     /* segments run so far */
bool scenario_done(const struct scenario *sc);
unsigned scenario_runtime_errors(const struct scenario *sc);

/* Runs commands up to and including the next `step` line (or to the end). */
void scenario_next(struct scenario *sc, struct engine *e);
/* Runs to the end. */
void scenario_run(struct scenario *sc, struct engine *e);

#endif
