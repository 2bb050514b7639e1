/*
 * view.h - what the presenter chose to show, apart from the model: the
 * selection, the overlay that is open and its state, the message line and
 * the prompt.  The presenter owns it and changes it on keys; render reads
 * it (and says, in struct render_out, where the lists now stand).
 */
#ifndef EPOLLVIZ_VIEW_H
#define EPOLLVIZ_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"
#include "widgets.h"

struct tracelog;

/* OVERLAY_CONFIRM asks y/n before something the class would lose (quit
 * mid-lesson, a restart that resets students' connections). */
enum overlay { OVERLAY_NONE, OVERLAY_HELP, OVERLAY_MENU, OVERLAY_CONFIRM, OVERLAY_TEXT };

/* Which part the moving keys (arrows, j k, PgUp PgDn, Home End) move:
 * the connections' selection, or the trace pane's lines (Tab). */
enum focus { FOCUS_CONNS, FOCUS_TRACE };

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
    int cursor_x, cursor_y; /* where the last frame put the cursor */
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
    size_t top;        /* first row of the dense list (as the last frame kept the selection in sight) */
    enum overlay overlay;
    struct menu_item *items;
    size_t nitems, cursor;
    char message[256];
    bool message_error;
    char hint[96]; /* free play: how to connect */
    struct prompt_view prompt;
    struct sbuf text;       /* OVERLAY_TEXT: lines of a command's output (help) */
    size_t text_top;        /* its first line shown (as the last frame kept it in range) */
    size_t text_last_top;   /* the largest first line at the last frame's size */
    char confirm_title[32]; /* OVERLAY_CONFIRM: "quit?", "restart?" */
    char confirm_text[128]; /* what would be lost */
    char confirm_yes[32];   /* what y does, e.g. "quit" */
    char text_title[64];
    unsigned nar_page;      /* the narration's page, when a step does not fit */
    unsigned nar_pages;     /* how many the last frame found (space pages first) */
    char play[40];          /* autoplay's state for the narration's rule, or "" */
    unsigned panes;         /* the panes asked for (panes.h), where the room allows */
    const struct tracelog *tracelog; /* the trace pane's lines (tracepane.h), or NULL */
    enum focus focus;       /* FOCUS_TRACE only while the trace pane is shown */
    uint64_t trace_bottom;  /* the trace pane's bottom line (a seq), or TRACE_NEWEST */
    int trace_follow;       /* f's choice: 1 the selected connection, -1 all, 0 as the
                               layout says (the selected one when the rest go one line each) */
    bool conns_dense;       /* the last frame showed the connections one line each */
};

#endif
