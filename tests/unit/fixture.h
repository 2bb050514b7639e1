/*
 * fixture.h - what the engine-level unit tests share: engines on port 0
 * whose transcript is kept, command lines run the way a scenario or the
 * prompt would, presenters over the real scenarios/, and reading back a
 * rendered grid.
 *
 * Each helper that can fail takes the caller's file and line, and its
 * macro passes __FILE__ and __LINE__, so a failure points at the test,
 * not at this module.
 */
#ifndef EPOLLVIZ_FIXTURE_H
#define EPOLLVIZ_FIXTURE_H

#include <stdbool.h>

#include "engine.h"
#include "grid.h"
#include "presenter.h"
#include "server.h"
#include "trace.h"
#include "util.h"

/* ---- engines ------------------------------------------------------------ */

/* An engine (one server or two) whose transcript is kept, one line each.
 * The engine points at f->trace, so f must stay put while it is open. */
struct fixture {
    struct engine *e;
    struct trace trace;
    struct sbuf log;
};

/* A new engine from cfg (NULL: the defaults) on port 0, or with modes two
 * servers side by side; reports at file:line and returns NULL if it does
 * not start.  For fixtures that keep no transcript (trace may be NULL). */
struct engine *fixture_engine_at(const char *file, int line, const struct server_config *cfg,
                                 const enum server_mode *modes, const struct trace *trace);

/* Opens f (zeroed first) on fixture_engine_at with the transcript going to
 * f->log; false if the engine does not start. */
bool fixture_open_at(const char *file, int line, struct fixture *f,
                     const struct server_config *cfg, const enum server_mode *modes);
void fixture_close(struct fixture *f);

#define fixture_open(f, cfg) fixture_open_at(__FILE__, __LINE__, (f), (cfg), NULL)

/* Runs one command line on e the way a scenario or the prompt would.
 * With `want`, the line must fail at run time with a message containing
 * it; without, it must succeed. */
void fixture_run_at(const char *file, int line, struct engine *e, const char *cmd,
                    const char *want);

/* f is any fixture whose engine is f->e. */
#define run(f, cmd) fixture_run_at(__FILE__, __LINE__, (f)->e, (cmd), NULL)
#define run_fails(f, cmd, want) fixture_run_at(__FILE__, __LINE__, (f)->e, (cmd), (want))

/* ---- presenters --------------------------------------------------------- */

/* A presenter at 100x30 over the scenarios in dirs (NULL: scenarios/),
 * opening `scenario` (NULL: the menu), its server on port 0; with compare,
 * LT beside ET.  NULL, reported at file:line, if it does not start. */
struct presenter *fixture_presenter_at(const char *file, int line, const char *scenario,
                                       const char *const *dirs, bool compare);

/* ---- reading a grid ----------------------------------------------------- */

/* Row y as dump writes it (trailing blanks trimmed), in b. */
const char *row(const struct grid *g, int y, struct sbuf *b);
/* The whole grid as dump writes it, in b. */
const char *text_of(const struct grid *g, struct sbuf *b);
/* The presenter's screen as text (g is reused between calls). */
const char *screen(struct presenter *p, struct grid *g, struct sbuf *b);

/* The first row from `from` on whose text contains needle, or -1. */
int find_row_from(const struct grid *g, int from, const char *needle);
int find_row(const struct grid *g, const char *needle);

/* grid_check (what `dump` and the painter rely on), failing at file:line. */
void check_cells_at(const char *file, int line, const struct grid *g);

#define check_cells(g) check_cells_at(__FILE__, __LINE__, (g))

#endif
