/*
 * render.h - the whole screen, drawn into a grid from the engine's state.
 *
 * A pure function of the model and the view: it reads connection records
 * (sampled by the server once per tick) and never calls the kernel, so a
 * frame costs the same paused or running, and tests can check any layout
 * at any size without a terminal.
 */
#ifndef EPOLLVIZ_RENDER_H
#define EPOLLVIZ_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "grid.h"
#include "scenario.h"
#include "widgets.h"

/* Rows of one full connection panel. */
#define PANEL_ROWS 5

/* OVERLAY_CONFIRM asks y/n before something the class would lose (quit
 * mid-lesson, a restart that resets students' connections). */
enum overlay { OVERLAY_NONE, OVERLAY_HELP, OVERLAY_MENU, OVERLAY_CONFIRM, OVERLAY_TEXT };

#define PROMPT_MAX 1024
#define PROMPT_MATCHES 64

/* The command prompt as the terminal front end last drew it (readline owns
 * the editing; the screen shows this). */
struct prompt_view {
    bool active;
    char line[PROMPT_MAX]; /* the prompt, then the text typed */
    size_t point;          /* the cursor, as a byte offset in line */
    char error[256];       /* the last command's error, under the prompt */
    char usage[128];       /* and the command's usage */
    char *matches[PROMPT_MATCHES]; /* completions to list */
    size_t nmatches, more_matches;
    int cursor_x, cursor_y; /* where render put the cursor */
};

struct menu_item {
    char *path;
    char *name;  /* file name, escaped */
    char *title; /* the scenario's title, or the first error if it does not parse */
    bool broken;
};

/* What the presenter chose to show; the model is the engine. */
struct view {
    const struct glyphs *gl;
    unsigned selected; /* connection id; 0 = the first one */
    size_t top;        /* first row of the dense list (render keeps the selection in sight) */
    enum overlay overlay;
    struct menu_item *items;
    size_t nitems, cursor;
    char message[256];
    bool message_error;
    char hint[96]; /* free play: how to connect */
    struct prompt_view prompt;
    struct sbuf text;       /* OVERLAY_TEXT: lines of a command's output (help) */
    size_t text_top;        /* its first line shown (render keeps it in range) */
    char confirm_title[32]; /* OVERLAY_CONFIRM: "quit?", "restart?" */
    char confirm_text[128]; /* what would be lost */
    char confirm_yes[32];   /* what y does, e.g. "quit" */
    char text_title[64];
};

struct screen {
    struct engine *engine;
    const struct scenario *scenario; /* NULL in free play */
    struct view *view;
    unsigned side; /* which server the side parts draw (0 unless comparing) */
};

void render_screen(const struct screen *s, struct grid *g);

/* Index (in the side's server order) of the selected connection; 0 when
 * none match.  The other side of a comparison selects the same name. */
size_t render_selected_index(const struct screen *s);

/* Renders at w x h and writes the text to path (beneath dir when given:
 * see textfile_write); -1 with a message in err. */
int screen_dump(const struct screen *s, int w, int h, const char *dir, const char *path,
                struct sbuf *err);

#endif
