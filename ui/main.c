/*
 * main.c - options, process-wide set-up, and the choice of front end.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "benchmodes.h"
#include "claims.h"
#include "handout.h"
#include "headless.h"
#include "options.h"
#include "record.h"
#include "screens.h"
#include "startup.h"
#include "tui.h"

/* Scenario clients and their server sides take two fds each. */
static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/* The TUI, or with --record the TUI on a pseudo-terminal whose output is
 * recorded (record.h): the child runs it, the parent relays. */
static int run_tui(const struct options *o)
{
    if (!o->record)
        return tui_main(o);
    int status = record_start(o->record);
    return status == RECORD_CHILD ? tui_main(o) : status;
}

/* --record records the terminal UI and nothing else. */
static int record_refused(const char *why)
{
    fprintf(stderr, "epollviz: --record records the terminal UI, %s\n", why);
    return 2;
}

int main(int argc, char **argv)
{
    struct options o;
    struct sbuf out = {0};
    int status = 0;

    if (options_parse(argc, argv, &o, &out) < 0) {
        fprintf(stderr, "epollviz: %s (see epollviz --help)\n", sbuf_str(&out));
        sbuf_free(&out);
        return 2;
    }
    /* The startup file before anything runs; the command line, already
     * read, keeps what it set. */
    struct sbuf path = {0};
    if (o.action == ACTION_RUN || o.action == ACTION_KNOBS) {
        int rc = startup_path(&o, &path) ? startup_read(sbuf_str(&path), &o, &out) : 0;
        if (rc < 0) {
            fputs(sbuf_str(&out), stderr);
            sbuf_free(&out);
            sbuf_free(&path);
            return 2;
        }
    }
    switch (o.action) {
    case ACTION_HELP:
        options_usage(&out);
        fputs(sbuf_str(&out), stdout);
        break;
    case ACTION_VERSION:
        printf("epollviz %s\n", EPOLLVIZ_VERSION);
        break;
    case ACTION_COMMANDS:
        options_command_list(&out);
        fputs(sbuf_str(&out), stdout);
        break;
    case ACTION_KNOBS:
        options_knob_list(&out, &o);
        fputs(sbuf_str(&out), stdout);
        break;
    case ACTION_RUN:
        /* A peer that vanishes mid-send must not kill the demo. */
        signal(SIGPIPE, SIG_IGN);
        raise_fd_limit();
        if (o.record && (o.headless || o.bench_frames || o.nscreens || o.handout))
            status = record_refused("which --headless, --screens, --handout and --bench-frames "
                                    "do not show");
        else if (o.handout_dir)
            status = tui_handout_all(&o);
        else if (o.handout)
            status = handout_write(&o, stdout);
        else if (o.nscreens)
            status = screens_main(&o);
        else if (o.bench_frames)
            status = tui_bench(&o);
        else if (o.claims)
            status = claims_main(&o);
        else if (o.bench_modes)
            status = benchmodes_main(&o);
        else if (!o.headless && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
            if (tui_terminal_usable()) {
                status = run_tui(&o);
            } else if (o.record) {
                status = record_refused("which this terminal cannot draw");
            } else {
                const char *term = getenv("TERM");
                fprintf(stderr, "epollviz: this terminal (TERM=%s) cannot draw the screen; "
                                "running headless\n", term ? term : "unset");
                status = headless_main(&o);
            }
        } else if (o.record) {
            status = record_refused("which needs a terminal on standard input and output");
        } else {
            status = headless_main(&o);
        }
        break;
    }
    sbuf_free(&out);
    sbuf_free(&path);
    return status;
}
