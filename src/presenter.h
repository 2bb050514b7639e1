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
#include <stdint.h>

#include "engine.h"
#include "grid.h"
#include "options.h"
#include "render.h"
#include "scenario.h"
#include "server.h"

struct presenter_config {
    struct server_config server; /* free play; scenarios add scenario_server_config */
    unsigned rate;               /* free play clock, ticks per second (0 = on events) */
    bool ascii;
    unsigned panes;              /* the panes shown where the room allows (panes.h) */
    struct knob_origin rate_from, panes_from; /* who set them (show knobs) */
    const char *scenario;        /* open this first, or NULL: free play, under the menu
                                    unless knobs_given */
    bool knobs_given;            /* the command line set a knob: free play is what was asked */
    const char *const *dirs;     /* where the menu looks for *.scn, NULL-terminated */
    bool compare;                /* two servers side by side, in compare_modes */
    enum server_mode compare_modes[2];
    unsigned play;               /* --play: seconds between steps, 0 = off */
    bool loop;                   /* --loop: the lesson again after its last step */
};

/* What the command line asks of any presenter: the server, the scenario,
 * side by side, ASCII.  Front ends add their own (the menu's directories,
 * a locale without UTF-8). */
void presenter_config_from(struct presenter_config *cfg, const struct options *o);

struct presenter;

/* NULL with a message in err if the server cannot start or the scenario
 * does not load (then err holds every error line). */
struct presenter *presenter_new(const struct presenter_config *cfg, struct sbuf *err);
void presenter_free(struct presenter *p);

struct engine *presenter_engine(const struct presenter *p);
/* The scenario open, or NULL in free play. */
const struct scenario *presenter_scenario(const struct presenter *p);
/* Changes whenever the engine is replaced (load, restart): the host loop
 * then watches the new server's epoll fd. */
unsigned presenter_generation(const struct presenter *p);

void presenter_key(struct presenter *p, int key);
/* Runs one line of the command language; errors go to the message line.
 * Returns 0 or -1. */
int presenter_command(struct presenter *p, const char *line);
/* The same, run on behalf of `from` (a key: the knobs it sets say so). */
int presenter_command_from(struct presenter *p, const char *line, const struct knob_origin *from);

/* Long work (a `tick 100000`, a step that runs one) goes on in slices:
 * while presenter_busy, the host calls presenter_work between reading
 * keys and signals; each call runs about ENGINE_SLICE_NS of it and shows
 * the progress on the message line.  Esc or `stop` abandons it. */
bool presenter_busy(const struct presenter *p);
bool presenter_work(struct presenter *p);

/* The narration's pages when a step does not fit: how many the last frame
 * found, and which to show (kept in range by the next frame). */
unsigned presenter_narration_pages(const struct presenter *p);
void presenter_narration_page(struct presenter *p, unsigned page);

/* Autoplay (--play, autoplay.h): the host calls this with the time that
 * passed since its last call (a timer a few times a second); when the
 * period has passed with the lesson ready, it does what space does (or,
 * with --loop at the end, restarts the lesson).  True if the screen
 * changed (a step, or the seconds the rule shows). */
bool presenter_play(struct presenter *p, uint64_t elapsed_ns);
bool presenter_playing(const struct presenter *p); /* --play was given */

void presenter_resize(struct presenter *p, int w, int h);
void presenter_render(struct presenter *p, struct grid *g);
bool presenter_quitting(const struct presenter *p);

/* The command prompt.  The terminal front end owns the editing (readline)
 * and tells the presenter what to show; the presenter runs the line. */
bool presenter_prompt_active(const struct presenter *p);
/* A y/n question is open (a fresh server would reset students, quit). */
bool presenter_asking(const struct presenter *p);
/* The prompt is open with the error of the line just run. */
bool presenter_prompt_failed(const struct presenter *p);
/* Puts `note` in front of the usage under that error (the message line
 * is hidden under the prompt then). */
void presenter_prompt_note(struct presenter *p, const char *note);
void presenter_prompt_open(struct presenter *p);
void presenter_prompt_close(struct presenter *p);
/* What the prompt shows: the prompt and the text, the cursor at `point`
 * (a byte offset into text). */
void presenter_prompt_show(struct presenter *p, const char *prompt, const char *text,
                           size_t point);
/* Completions to list under the prompt (n = 0 clears the list). */
void presenter_prompt_matches(struct presenter *p, char *const *words, size_t n);
/* Runs a line typed at the prompt.  On success the prompt closes; on an
 * error it stays open with the error and the command's usage under it.
 * Returns 0 or -1. */
int presenter_prompt_submit(struct presenter *p, const char *line);
/* Where render put the prompt's cursor (x < 0: no prompt drawn). */
void presenter_prompt_cursor(const struct presenter *p, int *x, int *y);
/* The scenario directories, for completing `load`. */
const char *const *presenter_dirs(const struct presenter *p);

/* A message for the message line (e.g. from a signal). */
void presenter_message(struct presenter *p, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
