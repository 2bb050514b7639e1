/*
 * presenter.h - what the presenter drives: the engine, the scenario being
 * taught and the view, moved by keys and commands.
 *
 * The terminal front end (ui/tui.c) owns the terminal and the host loop
 * and translates keys; everything else about the TUI's behaviour lives
 * here, without curses, so it is unit-tested like the engine.  Every key
 * that changes the lesson runs a line of the command language, the same
 * table scenario files use.
 */
#ifndef EPOLLVIZ_PRESENTER_H
#define EPOLLVIZ_PRESENTER_H

#include <stdbool.h>

#include "engine.h"
#include "grid.h"
#include "render.h"
#include "scenario.h"
#include "server.h"

struct presenter_config {
    struct server_config server; /* free play; scenarios add scenario_server_config */
    unsigned rate;               /* free play clock, ticks per second (0 = on events) */
    bool ascii;
    const char *scenario;        /* open this first, or NULL: the menu over free play */
    const char *const *dirs;     /* where the menu looks for *.scn, NULL-terminated */
};

struct presenter;

/* NULL with a message in err if the server cannot start or the scenario
 * does not load (then err holds every error line). */
struct presenter *presenter_new(const struct presenter_config *cfg, struct sbuf *err);
void presenter_free(struct presenter *p);

struct engine *presenter_engine(const struct presenter *p);
/* Changes whenever the engine is replaced (load, restart): the host loop
 * then watches the new server's epoll fd. */
unsigned presenter_generation(const struct presenter *p);

void presenter_key(struct presenter *p, int key);
/* Runs one line of the command language; errors go to the message line.
 * Returns 0 or -1. */
int presenter_command(struct presenter *p, const char *line);

void presenter_resize(struct presenter *p, int w, int h);
void presenter_render(struct presenter *p, struct grid *g);
bool presenter_quitting(const struct presenter *p);

/* A message for the message line (e.g. from a signal). */
void presenter_message(struct presenter *p, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
