/*
 * options.h - the command line, shared by every front end.
 */
#ifndef EPOLLVIZ_OPTIONS_H
#define EPOLLVIZ_OPTIONS_H

#include <stdbool.h>

#include "server.h"
#include "util.h"

#define EPOLLVIZ_VERSION "0.1.0"

#define OPTIONS_MAX_SCREENS 8 /* sizes for --screens */

enum action { ACTION_RUN, ACTION_HELP, ACTION_VERSION, ACTION_COMMANDS, ACTION_KNOBS };

struct options {
    enum action action;
    bool headless;
    bool port_given;
    const char *scenario; /* NULL = free play (the seed's server) */
    bool knobs_given;     /* a knob option (--mode, --budget ...) was given */
    const char *startup_file; /* -f FILE: the startup file, or NULL: the default */
    unsigned rate;        /* ticks per second of the live clock; 0 = when epoll has events */
    struct knob_origin rate_from, panes_from; /* who set them (show knobs) */
    bool compare;          /* two servers side by side, in compare_modes */
    enum server_mode compare_modes[2];
    bool mono;            /* no colour (also when NO_COLOR is set) */
    bool ascii;           /* no Unicode glyphs (also when the locale is not UTF-8) */
    unsigned nscreens;    /* > 0: print each step of the scenario at these sizes, exit */
    struct {
        int w, h;
    } screens[OPTIONS_MAX_SCREENS];
    const char *handout;  /* --handout LESSON (or "all": then handout_dir): Markdown, exit */
    const char *handout_dir;
    struct {
        int w, h;
    } handout_size;       /* --size, default 100x30 */
    bool size_given;
    unsigned play;        /* --play SECONDS: autoplay, 0 = off */
    bool loop;            /* --loop: autoplay restarts the lesson at its end */
    unsigned bench_frames; /* > 0: measure this many frames, print, exit */
    unsigned bench_conns;
    bool bench_modes;      /* --bench-modes: cost per mode x reader, print, exit */
    unsigned bench_seconds; /* their time in all (--bench-seconds) */
    bool bench_seconds_given;
    bool csv;              /* --bench-modes --csv */
    bool claims;           /* --claims: the essay's twelve claims judged, print, exit */
    bool markdown;         /* --claims --markdown: the README's table */
    unsigned panes;        /* --panes: the panes shown where the room allows (panes.h) */
    const char *record;    /* --record FILE: the TUI session as an asciicast, or NULL */
    struct server_config server;
};

/* --compare's "lt,et": two different modes; 0, or -1. */
int compare_parse(const char *text, enum server_mode modes[2]);

/* 0, or -1 with one line in err naming the option and what it expects. */
int options_parse(int argc, char **argv, struct options *o, struct sbuf *err);
void options_usage(struct sbuf *out);
/* The command table as text: one "name args  help" line per command. */
void options_command_list(struct sbuf *out);
/* The knob table as text: one "name values  help  [value: from]" line per
 * knob, the value o starts with and where it was set (o->server.origin:
 * default, startup file F:LINE, command line). */
void options_knob_list(struct sbuf *out, const struct options *o);

#endif
