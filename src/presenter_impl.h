/*
 * presenter_impl.h - the presenter's state, shared by its two files:
 * presenter.c (commands, host requests, the lesson's moves, the prompt)
 * and presenter_keys.c (keys to commands, overlays' keys).  Nothing else
 * includes it; presenter.h is the module's interface.
 */
#ifndef EPOLLVIZ_PRESENTER_IMPL_H
#define EPOLLVIZ_PRESENTER_IMPL_H

#include "autoplay.h"
#include "lesson.h"
#include "presenter.h"
#include "tracepane.h"

struct presenter {
    struct presenter_config cfg;
    struct lesson *lesson;
    unsigned generation; /* the lesson's, as the view last followed it */
    struct view view;
    struct trace trace;
    struct tracelog tracelog; /* the trace pane's recent lines */
    unsigned rate; /* what p and + - run the clock at */
    struct knob_origin panes_from; /* who chose view.panes (show knobs) */
    int w, h;      /* the screen, for dump */
    int trace_rows; /* the trace pane's lines at the last frame (0: not shown) */
    bool quit;
    /* What a command asked the host for, done once it has returned (a
     * restart replaces the engine that is running the command). */
    struct {
        enum host_request req; /* HOST_NONE: nothing */
        struct host_args args; /* compare's modes */
        char *path;            /* load's file */
    } pending;
    bool showing_progress; /* the message line is the running job's */
    struct {                /* and this is what it showed before */
        char text[sizeof ((struct view *)0)->message];
        bool error;
    } held;
    char *confirm_line; /* what y runs in OVERLAY_CONFIRM (owned) */
    bool confirm_q;     /* q says yes too (the quit? box: q, q quits) */
    const char *typed;  /* the line typed at the prompt, while it runs */
    bool capturing; /* collect the output of `help` for the text overlay */
    unsigned messages; /* messages said so far */
    struct autoplay play; /* --play: the countdown to the next step */
    struct {              /* where the lesson stood at the last look */
        unsigned generation, step, page;
    } played;
};

static inline struct engine *eng(const struct presenter *p) { return lesson_engine(p->lesson); }
static inline struct scenario *sc_of(const struct presenter *p) { return lesson_scenario(p->lesson); }

/* Which kinds the trace sink takes: the trace pane's only while it is
 * chosen (a line nobody shows is never formatted). */
void presenter_trace_kinds(struct presenter *p);
/* The scenario menu over the screen, its lines read now. */
void presenter_menu_open(struct presenter *p);
/* Esc or `stop`: abandons the running job and the rest of its step. */
void presenter_stop_work(struct presenter *p);
/* P: pauses or resumes autoplay, or says how to start it. */
void presenter_play_toggle(struct presenter *p);
/* A typed line about to start a fresh server (restart, load, free,
 * compare) or quit: asks y/n first, as its key does, when that would lose
 * something (students' connections; for quit, a lesson half way too), and
 * then runs the line on y.  True if it asked: the line must not act now. */
bool presenter_typed_asks(struct presenter *p, enum host_request req);

#endif
