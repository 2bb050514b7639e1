/*
 * presenter.c - keys to commands, scenarios in and out, the view's state.
 */
#include "presenter.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "keymap.h"
#include "confirm.h"
#include "menu.h"
#include "textbox.h"
#include "trace.h"



struct presenter {
    struct presenter_config cfg;
    struct engine *engine;
    struct scenario *sc;
    char *sc_path;
    struct view view;
    struct trace trace;
    unsigned generation;
    unsigned rate; /* what p and + - run the clock at */
    int w, h;      /* the screen, for dump */
    bool quit;
    /* Asked for by a command, done once it has returned. */
    bool want_next, want_restart, want_menu, want_free, want_stop;
    bool showing_progress; /* the message line is the running job's */
    struct {                /* and this is what it showed before */
        char text[sizeof ((struct view *)0)->message];
        bool error;
    } held;
    char *want_load;
    bool want_compare;
    struct host_args compare; /* what want_compare asks for: modes, or off */
    char confirm_line[PROMPT_MAX]; /* what y runs in OVERLAY_CONFIRM */
    bool confirm_q;                /* q says yes too (the quit? box: q, q quits) */
    bool capturing; /* collect the output of `help` for the text overlay */
    unsigned messages; /* messages said so far */
};

void presenter_message(struct presenter *p, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->view.message, sizeof p->view.message, fmt, ap);
    va_end(ap);
    p->view.message_error = error;
    p->messages++;
    p->showing_progress = false; /* a message of its own replaces the progress */
}

/* The message line shows the latest event a presenter should notice;
 * the kinds it never shows are in the trace's skip mask (presenter_new). */
static void on_trace(void *ctx, enum trace_kind kind, const char *text)
{
    struct presenter *p = ctx;
    if (p->capturing && kind == TRACE_SCRIPT) {
        sbuf_add(&p->view.text, text);
        sbuf_addc(&p->view.text, '\n');
        return;
    }
    switch (kind) {
    case TRACE_ERROR:
        presenter_message(p, true, "%s", text);
        break;
    case TRACE_KNOB:
    case TRACE_CONN:
    case TRACE_STARVE:
        presenter_message(p, false, "%s", text);
        break;
    default:
        break;
    }
}

static int host_request(void *ctx, enum host_request req, const struct host_args *a,
                        struct sbuf *err);

/* The presenter is the engine's host: next, restart, load ... come here. */
static void attach(struct presenter *p, struct engine *e)
{
    struct engine_host host = {host_request, p};
    engine_set_host(e, &host);
}

static struct engine *new_engine(struct presenter *p, bool scenario, struct sbuf *err)
{
    struct server_config cfg = p->cfg.server;
    if (scenario)
        scenario_server_config(&cfg);
    struct engine *e = p->cfg.compare
                           ? engine_new_compare(&cfg, p->cfg.compare_modes, &p->trace, err)
                           : engine_new(&cfg, &p->trace, err);
    if (!e && cfg.port != 0) {
        /* The port went to someone else between two servers: carry on
         * elsewhere rather than end the lesson. */
        struct sbuf again = {0};
        cfg.port = 0;
        e = p->cfg.compare ? engine_new_compare(&cfg, p->cfg.compare_modes, &p->trace, &again)
                           : engine_new(&cfg, &p->trace, &again);
        if (e)
            sbuf_printf(err, " (listening on %s instead)",
                        server_address(engine_server(e)));
        sbuf_free(&again);
    }
    if (e)
        attach(p, e);
    return e;
}

static void set_hint(struct presenter *p)
{
    struct server *s = engine_server(p->engine);
    const char *addr = p->cfg.server.address;
    bool wildcard = strcmp(addr, "0.0.0.0") == 0 || strcmp(addr, "::") == 0;
    snprintf(p->view.hint, sizeof p->view.hint, "try: nc %s %u%s%s",
             wildcard || strcmp(addr, "127.0.0.1") == 0 || strcmp(addr, "::1") == 0
                 ? "localhost" : addr,
             server_port(s), wildcard ? " (or this machine's address)" : "",
             p->sc ? "" : "   s: scenarios");
}

static void replace_engine(struct presenter *p, struct engine *e)
{
    engine_free(p->engine);
    p->engine = e;
    p->generation++;
    p->view.selected = 0;
    p->view.top = 0;
}

/* Opens a scenario on a fresh server and runs its opening segment. */
static int load_scenario(struct presenter *p, const char *path, struct sbuf *err)
{
    struct sbuf errors = {0};
    unsigned nerrors = 0;
    struct scenario *sc = scenario_load(path, &errors, &nerrors);
    if (!sc) {
        size_t first = strcspn(sbuf_str(&errors), "\n");
        sbuf_addn(err, sbuf_str(&errors), first);
        if (nerrors > 1)
            sbuf_printf(err, " (and %u more error%s)", nerrors - 1, nerrors == 2 ? "" : "s");
        sbuf_free(&errors);
        return -1;
    }
    sbuf_free(&errors);
    /* The old server goes first: the new one takes over its port. */
    engine_free(p->engine);
    p->engine = NULL;
    struct sbuf note = {0};
    struct engine *e = new_engine(p, true, &note);
    if (!e)
        fatal("cannot start a server for %s: %s", path, sbuf_str(&note));
    replace_engine(p, e);
    scenario_free(p->sc);
    p->sc = sc;
    if (p->sc_path != path) {
        free(p->sc_path);
        p->sc_path = xstrdup(path);
    }
    set_hint(p);
    p->view.message[0] = '\0';
    p->view.nar_page = 0; /* a new step starts on its first page */
    scenario_next(p->sc, p->engine);
    if (note.len)
        presenter_message(p, true, "%s", sbuf_str(&note) + 1);
    sbuf_free(&note);
    return 0;
}

static int host_request(void *ctx, enum host_request req, const struct host_args *a,
                        struct sbuf *err)
{
    const char *arg = a->arg;
    struct presenter *p = ctx;
    switch (req) {
    case HOST_NEXT:
        if (!p->sc) {
            sbuf_add(err, "no scenario is open (s opens the menu)");
            return -1;
        }
        if (scenario_in_step(p->sc)) {
            sbuf_add(err, "this step is still running (Esc or stop abandons it)");
            return -1;
        }
        if (scenario_done(p->sc)) {
            sbuf_add(err, "the scenario is over: r restarts it, s opens another");
            return -1;
        }
        p->want_next = true;
        return 0;
    case HOST_RESTART:
        if (!p->sc) {
            sbuf_add(err, "no scenario is open (s opens the menu)");
            return -1;
        }
        p->want_restart = true;
        return 0;
    case HOST_LOAD:
        free(p->want_load);
        p->want_load = xstrdup(arg);
        return 0;
    case HOST_DUMP: {
        /* Without a size, the screen as the terminal shows it. */
        struct screen s = {.engine = p->engine, .scenario = p->sc, .view = &p->view};
        int w = a->cols ? a->cols : p->w, h = a->rows ? a->rows : p->h;
        if (screen_dump(&s, w, h, a->dir, arg, err) < 0)
            return -1;
        presenter_message(p, false, "screen (%dx%d) written to %s", w, h, arg);
        return 0;
    }
    case HOST_QUIT:
        p->quit = true;
        return 0;
    case HOST_STOP:
        if (!presenter_busy(p)) {
            sbuf_add(err, "nothing is running");
            return -1;
        }
        p->want_stop = true;
        return 0;
    case HOST_SELECT: {
        const struct conn *c = server_find(engine_server(p->engine), arg);
        if (!c) {
            sbuf_printf(err, "no connection named '%s'", arg);
            return -1;
        }
        p->view.selected = c->id;
        return 0;
    }
    case HOST_MENU:
        p->want_menu = true;
        return 0;
    case HOST_FREE:
        if (!p->sc) {
            sbuf_add(err, "already in free play");
            return -1;
        }
        p->want_free = true;
        return 0;
    case HOST_COMPARE:
        p->want_compare = true;
        p->compare = *a;
        p->compare.arg = NULL; /* it names nothing; and the line goes */
        return 0;
    case HOST_NONE:
        break;
    }
    return -1;
}

static void menu_open(struct presenter *p);

/* A fresh free-play server, its clock running as configured. */
static int free_play(struct presenter *p, struct sbuf *err)
{
    engine_free(p->engine);
    p->engine = NULL;
    struct engine *e = new_engine(p, false, err);
    if (!e)
        fatal("cannot start a server: %s", sbuf_str(err));
    replace_engine(p, e);
    scenario_free(p->sc);
    p->sc = NULL;
    free(p->sc_path);
    p->sc_path = NULL;
    engine_run(p->engine, p->cfg.rate);
    set_hint(p);
    return 0;
}

/* What free play carries over to fresh servers: the knobs and the clock
 * as the presenter left them, but those a comparison keeps per side (the
 * modes are the comparison's own). */
struct carry {
    struct knobs knobs;
    bool running;
    unsigned rate;
};

static void carry_save(const struct engine *e, struct carry *k)
{
    k->knobs = *server_knobs(engine_server(e));
    k->running = engine_running(e);
    k->rate = engine_rate(e);
}

static void carry_restore(struct presenter *p, const struct carry *k)
{
    struct engine *e = p->engine;
    const struct knob *row;
    for (unsigned i = 0; i < engine_sides(e); i++) {
        struct server *s = engine_side_server(e, i);
        for (size_t n = 0; (row = knob_at(n)); n++) {
            size_t want = knob_get(row, &k->knobs);
            /* Only what a command could set (not a kernel default such as 0). */
            if (!row->per_side && knob_valid(row, want) && knob_get(row, server_knobs(s)) != want)
                server_set_knob(s, row->id, want);
        }
    }
    if (k->running)
        engine_run(e, k->rate);
    else
        engine_pause(e);
}

/* compare MODE MODE / compare off: the same lesson (or free play) again,
 * on two servers or one. */
static int do_compare(struct presenter *p, const struct host_args *a)
{
    struct sbuf err = {0};
    struct carry k;
    int rc = 0;
    carry_save(p->engine, &k);
    if (a->off) {
        if (!p->cfg.compare) {
            presenter_message(p, true, "compare: already one server");
            return -1;
        }
        p->cfg.compare = false;
    } else {
        p->cfg.compare_modes[0] = a->modes[0];
        p->cfg.compare_modes[1] = a->modes[1];
        p->cfg.compare = true;
    }
    if (p->sc_path) {
        char *path = xstrdup(p->sc_path);
        if (load_scenario(p, path, &err) < 0) {
            presenter_message(p, true, "compare: %s", sbuf_str(&err));
            p->cfg.compare = !p->cfg.compare; /* nothing changed: say so next time too */
            rc = -1;
        }
        free(path);
    } else {
        free_play(p, &err);
        carry_restore(p, &k);
    }
    if (rc == 0 && !p->view.message_error) {
        if (p->cfg.compare)
            presenter_message(p, false, "side by side: %s first, %s second, on the same traffic",
                              mode_name(p->cfg.compare_modes[0]),
                              mode_name(p->cfg.compare_modes[1]));
        else
            presenter_message(p, false, "one server again");
    }
    sbuf_free(&err);
    return rc;
}

/* ---- long work in slices ------------------------------------------------ */

bool presenter_busy(const struct presenter *p)
{
    return engine_busy(p->engine) || (p->sc && scenario_in_step(p->sc));
}

/* 31200 -> "31,200": progress a class reads from the back of the room. */
static void thousands(char *out, size_t size, unsigned v)
{
    char digits[16];
    int n = snprintf(digits, sizeof digits, "%u", v), o = 0;
    for (int i = 0; i < n && (size_t)o + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

static void show_progress(struct presenter *p)
{
    unsigned done, total;
    /* The progress line stands in for the last message while the job
     * runs, and gives it back after: the screen after a step does not
     * depend on whether the machine ran it in one slice or in many. */
    if (engine_job_progress(p->engine, &done, &total)) {
        char a[16], b[16];
        if (!p->showing_progress) {
            memcpy(p->held.text, p->view.message, sizeof p->held.text);
            p->held.error = p->view.message_error;
        }
        thousands(a, sizeof a, done);
        thousands(b, sizeof b, total);
        presenter_message(p, false, "running: tick %s of %s   Esc stops", a, b);
        p->showing_progress = true;
    } else if (p->showing_progress) {
        p->showing_progress = false;
        memcpy(p->view.message, p->held.text, sizeof p->held.text);
        p->view.message_error = p->held.error;
    }
}

bool presenter_work(struct presenter *p)
{
    if (engine_busy(p->engine))
        engine_work(p->engine, ENGINE_SLICE_NS);
    else if (p->sc && scenario_in_step(p->sc))
        scenario_continue(p->sc, p->engine);
    show_progress(p);
    return presenter_busy(p);
}

/* Esc or `stop`: the rest of the tick count, and of the step, is not run;
 * the narration says so, since its text may describe what did not happen. */
static void stop_work(struct presenter *p)
{
    unsigned done, total;
    char a[16], b[16], text[160];
    bool job = engine_job_progress(p->engine, &done, &total);
    thousands(a, sizeof a, done);
    thousands(b, sizeof b, total);
    if (job)
        snprintf(text, sizeof text, "Stopped by the presenter after tick %s of %s.", a, b);
    else
        snprintf(text, sizeof text, "Stopped by the presenter.");
    if (p->sc && scenario_in_step(p->sc)) {
        scenario_stop(p->sc, p->engine);
        p->view.nar_page = UINT_MAX; /* the last page: where it says it stopped */
        engine_say(p->engine, job ? "Stopped by the presenter: the rest of this step was not run."
                                  : text);
    } else {
        engine_job_stop(p->engine);
    }
    p->showing_progress = false;
    presenter_message(p, false, "%s", text);
}

/* What commands asked the host for, done now that no command is running. */
/* Returns -1 if one of them failed (the message line says why). */
static int do_requests(struct presenter *p)
{
    struct sbuf err = {0};
    int rc = 0;
    if (p->want_stop) {
        p->want_stop = false;
        stop_work(p);
    }
    if (p->want_compare) {
        p->want_compare = p->want_next = p->want_restart = false;
        if (do_compare(p, &p->compare) < 0)
            rc = -1;
    }
    if (p->want_menu) {
        p->want_menu = false;
        menu_open(p);
    }
    if (p->want_free) {
        p->want_free = p->want_next = p->want_restart = false;
        free_play(p, &err);
        presenter_message(p, false, "free play: %s", p->view.hint);
    }
    if (p->want_load) {
        char *path = p->want_load;
        p->want_load = NULL;
        if (load_scenario(p, path, &err) < 0) {
            presenter_message(p, true, "load: %s", sbuf_str(&err));
            rc = -1;
        }
        free(path);
        p->want_next = p->want_restart = false;
    }
    if (p->want_restart) {
        p->want_restart = p->want_next = false;
        char *path = xstrdup(p->sc_path);
        if (load_scenario(p, path, &err) < 0) {
            presenter_message(p, true, "restart: %s", sbuf_str(&err));
            rc = -1;
        } else if (!p->view.message_error)
            presenter_message(p, false, "restarted %s on a fresh server",
                              scenario_name(p->sc));
        free(path);
    }
    if (p->want_next) {
        p->want_next = false;
        p->view.message[0] = '\0';
        p->view.nar_page = 0;
        scenario_next(p->sc, p->engine);
    }
    sbuf_free(&err);
    return rc;
}

int presenter_command(struct presenter *p, const char *text)
{
    struct cmd_line line;
    struct parse_error perr;
    struct sbuf err = {0};
    int rc = 0;

    parse_error_init(&perr);
    if (cmd_parse(text, &line, &perr) < 0) {
        if (perr.col > 0)
            presenter_message(p, true, "column %d: %s", perr.col, sbuf_str(&perr.msg));
        else
            presenter_message(p, true, "%s", sbuf_str(&perr.msg));
        parse_error_free(&perr);
        return -1;
    }
    parse_error_free(&perr);
    if (!line.cmd.name) { /* a blank line or a comment */
        cmd_line_free(&line);
        return 0;
    }
    unsigned said = p->messages;
    bool text_out = line.cmd.flags & CMD_TEXT; /* help: its text in an overlay */
    if (text_out) {
        sbuf_reset(&p->view.text);
        p->capturing = true;
    }
    if (cmd_exec(p->engine, &line, &err) < 0) {
        presenter_message(p, true, "%s: %s", line.cmd.name, sbuf_str(&err));
        rc = -1;
    }
    p->capturing = false;
    if (text_out && rc == 0) {
        text_open(&p->view, text);
    }
    /* Knobs and actions act on the kernel now: show its state now. */
    server_sample(engine_server(p->engine));
    if (engine_running(p->engine) && engine_rate(p->engine))
        p->rate = engine_rate(p->engine); /* what p and + - go back to */
    cmd_line_free(&line);
    sbuf_free(&err);
    if (do_requests(p) < 0)
        rc = -1;
    /* A command that worked and said nothing: an old error on the message
     * line must not look like this one's. */
    if (rc == 0 && p->messages == said && p->view.message_error) {
        p->view.message[0] = '\0';
        p->view.message_error = false;
    }
    return rc;
}

/* ---- the scenario menu -------------------------------------------------- */

static void menu_open(struct presenter *p)
{
    menu_load(&p->view, p->cfg.dirs, p->sc_path);
    p->view.overlay = OVERLAY_MENU;
}

static void replace_server(struct presenter *p, const char *title, const char *yes,
                           const char *line);

static void on_menu_key(struct presenter *p, int key)
{
    struct view *v = &p->view;
    switch (menu_key(v, key)) {
    case MENU_CLOSED:
        if (!p->sc)
            presenter_message(p, false, "free play: %s", v->hint);
        break;
    case MENU_CHOSEN: {
        const char *path = v->items[v->cursor].path;
        if (!path[0]) { /* (free play) */
            replace_server(p, "leave the lesson?", "free play", "free");
            break;
        }
        struct sbuf line = {0};
        sbuf_add(&line, "load \"");
        sbuf_add_escaped(&line, path, strlen(path));
        sbuf_add(&line, "\"");
        replace_server(p, "open this lesson?", "open it", sbuf_str(&line));
        sbuf_free(&line);
        break;
    }
    case MENU_KEPT:
        break;
    }
}

/* ---- keys ---------------------------------------------------------------- */

/* Asks y/n before running `line` (run at once when there is nothing to lose). */
static void confirm(struct presenter *p, const char *title, const char *what, const char *yes,
                    const char *line)
{
    confirm_open(&p->view, title, what, yes);
    snprintf(p->confirm_line, sizeof p->confirm_line, "%s", line);
    p->confirm_q = false;
}

/* Open connections of outside clients (students' nc): a fresh server
 * resets them. */
static size_t outside_clients(const struct presenter *p)
{
    size_t n = 0;
    for (unsigned i = 0; i < engine_sides(p->engine); i++) {
        struct server *s = engine_side_server(p->engine, i);
        for (size_t k = 0; k < server_conn_count(s); k++) {
            const struct conn *c = server_conn_at(s, k);
            n += !c->scripted && c->fd >= 0;
        }
    }
    return n;
}

/* Runs a line that replaces the server, asking first if that would cut
 * students off. */
static void replace_server(struct presenter *p, const char *title, const char *yes,
                           const char *line)
{
    size_t n = outside_clients(p);
    if (!n) {
        presenter_command(p, line);
        return;
    }
    char what[128];
    snprintf(what, sizeof what, "A fresh server resets %zu outside connection%s (they must reconnect).",
             n, n == 1 ? "" : "s");
    confirm(p, title, what, yes, line);
}

static const struct conn *selected_conn(struct presenter *p)
{
    struct server *s = engine_server(p->engine);
    if (!server_conn_count(s))
        return NULL;
    struct screen scr = {.engine = p->engine, .scenario = p->sc, .view = &p->view};
    return server_conn_at(s, render_selected_index(&scr));
}

static void move_selection(struct presenter *p, long delta, bool absolute)
{
    struct server *s = engine_server(p->engine);
    size_t n = server_conn_count(s);
    if (!n)
        return;
    struct screen scr = {.engine = p->engine, .scenario = p->sc, .view = &p->view};
    long i = absolute ? delta : (long)render_selected_index(&scr) + delta;
    if (i < 0)
        i = 0;
    if (i >= (long)n)
        i = (long)n - 1;
    p->view.selected = server_conn_at(s, (size_t)i)->id;
}

/* d and x: `verb` (drain or drop) on the selected connection, and what it
 * did, in words (reads says it read, rather than closed). */
static void conn_command(struct presenter *p, const char *verb, bool reads)
{
    const struct conn *c = selected_conn(p);
    if (!c) {
        presenter_message(p, true, "%s: no connection to act on yet", verb);
        return;
    }
    if (c->state == CONN_CLOSED) {
        presenter_message(p, true, "%s: %s is already closed", verb, c->label);
        return;
    }
    char line[128], label[CONN_LABEL_MAX];
    unsigned id = c->id;
    uint64_t before = c->bytes_read;
    snprintf(label, sizeof label, "%s", c->label);
    snprintf(line, sizeof line, "%s %s", verb, label);
    if (presenter_command(p, line) < 0)
        return;
    /* Say what happened: the trace's own lines are not on screen. */
    struct server *s = engine_server(p->engine);
    for (size_t i = 0; i < server_conn_count(s); i++) {
        const struct conn *k = server_conn_at(s, i);
        if (k->id != id)
            continue;
        if (reads)
            presenter_message(p, false, "%s: drained, %llu B read until EAGAIN", label,
                              (unsigned long long)(k->bytes_read - before));
        else
            presenter_message(p, false, "%s: closed by the server", label);
    }
}

/* m, b, B, a: the knob whose key it is, one step along its ladder.  A
 * ladder that does not wrap stops at its ends and says so. */
static void step_knob(struct presenter *p, int key)
{
    bool up = true;
    const struct knob *k = knob_by_key(key, &up);
    size_t now = knob_get(k, server_knobs(engine_server(p->engine))), next;
    struct sbuf line = {0};
    if (!knob_step(k, now, up, &next)) {
        knob_format(k, now, false, &line);
        presenter_message(p, false, "%s %s is the %s of the ladder (%c steps %s)", k->name,
                          sbuf_str(&line), up ? "top" : "bottom", up ? k->key_down : k->key_up,
                          up ? "down" : "up");
        sbuf_free(&line);
        return;
    }
    sbuf_printf(&line, "%s ", k->name);
    knob_format(k, next, false, &line);
    presenter_command(p, sbuf_str(&line));
    sbuf_free(&line);
}

static void change_rate(struct presenter *p, bool faster)
{
    const unsigned *rates;
    size_t n = engine_rate_steps(&rates), i;
    /* From what the clock does now (a `run 32` at the prompt counts). */
    unsigned cur = engine_running(p->engine) && engine_rate(p->engine) ? engine_rate(p->engine)
                                                                        : p->rate, next;
    if (faster) {
        for (i = 0; i < n && rates[i] <= cur; i++)
            ;
        next = i < n ? rates[i] : rates[n - 1];
    } else {
        for (i = n; i > 0 && rates[i - 1] >= cur; i--)
            ;
        next = i > 0 ? rates[i - 1] : rates[0];
    }
    p->rate = next;
    if (engine_running(p->engine)) {
        char line[32];
        snprintf(line, sizeof line, "run %u", next);
        presenter_command(p, line);
    } else {
        presenter_message(p, false, "clock rate %u/s when it runs (p runs it)", next);
    }
}

void presenter_key(struct presenter *p, int key)
{
    struct view *v = &p->view;
    switch (v->overlay) {
    case OVERLAY_TEXT:
        /* Long output (help) scrolls; any other key closes it. */
        text_key(v, key, p->h > 8 ? (size_t)p->h - 8 : 1);
        return;
    case OVERLAY_HELP:
        help_key(v, key);
        return;
    case OVERLAY_MENU:
        on_menu_key(p, key);
        return;
    case OVERLAY_CONFIRM: {
        char line[PROMPT_MAX];
        snprintf(line, sizeof line, "%s", p->confirm_line);
        if (confirm_key(v, key, p->confirm_q))
            presenter_command(p, line);
        return;
    }
    case OVERLAY_NONE:
        break;
    }
    if (key == KEY_CODE_ESC && presenter_busy(p)) {
        stop_work(p);
        return;
    }
    char line[48];
    int page = p->h > 20 ? p->h - 16 : 4;
    switch (keymap_action(key)) {
    case ACT_NONE:
        if (key != KEY_CODE_ESC)
            presenter_message(p, false, "no key %s%c%s (? lists the keys)",
                              key >= 0x20 && key < 0x7f ? "'" : "",
                              key >= 0x20 && key < 0x7f ? key : '?',
                              key >= 0x20 && key < 0x7f ? "'" : "");
        break;
    case ACT_NEXT: {
        /* A step that takes more than one page shows them all first:
         * space never skips a sentence.  How many there are depends on
         * the size and the step: a frame of this moment says. */
        struct grid now = {0};
        presenter_render(p, &now);
        grid_free(&now);
        if (p->sc && v->nar_page + 1 < v->nar_pages)
            v->nar_page++;
        else
            presenter_command(p, "next");
        break;
    }
    case ACT_PAGE_BACK:
        if (v->nar_page > 0)
            v->nar_page--;
        break;
    case ACT_RESTART:
        if (!p->sc)
            presenter_command(p, "restart"); /* says why not */
        else
            replace_server(p, "restart?", "restart", "restart");
        break;
    case ACT_KNOB:
        step_knob(p, key);
        break;
    case ACT_TICK:
        presenter_command(p, "tick");
        break;
    case ACT_PAUSE:
        if (engine_running(p->engine)) {
            presenter_command(p, "pause");
        } else {
            snprintf(line, sizeof line, "run %u", p->rate);
            presenter_command(p, line);
        }
        break;
    case ACT_FASTER:
    case ACT_SLOWER:
        change_rate(p, keymap_action(key) == ACT_FASTER);
        break;
    case ACT_UP:
        move_selection(p, -1, false);
        break;
    case ACT_DOWN:
        move_selection(p, 1, false);
        break;
    case ACT_PAGE_UP:
        move_selection(p, -page, false);
        break;
    case ACT_PAGE_DOWN:
        move_selection(p, page, false);
        break;
    case ACT_FIRST:
        move_selection(p, 0, true);
        break;
    case ACT_LAST:
        move_selection(p, (long)server_conn_count(engine_server(p->engine)) - 1, true);
        break;
    case ACT_DRAIN:
        conn_command(p, "drain", true);
        break;
    case ACT_CLOSE:
        conn_command(p, "drop", false);
        break;
    case ACT_MENU:
        menu_open(p);
        break;
    case ACT_PROMPT:
        presenter_prompt_open(p);
        break;
    case ACT_HELP:
        v->overlay = OVERLAY_HELP;
        break;
    case ACT_QUIT:
        if (p->sc && scenario_step(p->sc) > 0 && !scenario_done(p->sc)) {
            char what[128];
            snprintf(what, sizeof what, "The scenario is at step %u of %u.", scenario_step(p->sc),
                     scenario_steps(p->sc));
            confirm(p, "quit?", what, "quit", "quit");
            p->confirm_q = true;
        } else {
            presenter_command(p, "quit");
        }
        break;
    }
}

/* ---- life cycle --------------------------------------------------------- */

void presenter_config_from(struct presenter_config *cfg, const struct options *o)
{
    *cfg = (struct presenter_config){0};
    cfg->server = o->server;
    cfg->rate = o->rate;
    cfg->ascii = o->ascii;
    cfg->scenario = o->scenario;
    cfg->compare = o->compare;
    cfg->compare_modes[0] = o->compare_modes[0];
    cfg->compare_modes[1] = o->compare_modes[1];
}

struct presenter *presenter_new(const struct presenter_config *cfg, struct sbuf *err)
{
    struct presenter *p = xcalloc(1, sizeof *p);
    p->cfg = *cfg;
    p->trace.line = on_trace;
    p->trace.ctx = p;
    /* What on_trace drops is never formatted: under a flood, the line of
     * every read would cost more than the server it describes. */
    p->trace.skip = TRACE_BIT(TRACE_TICK) | TRACE_BIT(TRACE_IO) | TRACE_BIT(TRACE_DATA) |
                    TRACE_BIT(TRACE_CLIENT) | TRACE_BIT(TRACE_EXPECT);
    p->view.gl = glyphs_for(cfg->ascii);
    p->rate = cfg->rate ? cfg->rate : ENGINE_RATE_DEFAULT;
    p->w = SCREEN_DEFAULT_W;
    p->h = SCREEN_DEFAULT_H;

    if (cfg->scenario) {
        struct sbuf errors = {0};
        unsigned nerrors = 0;
        struct scenario *sc = scenario_load(cfg->scenario, &errors, &nerrors);
        if (!sc) {
            sbuf_add(err, sbuf_str(&errors));
            scenario_error_tally(err, nerrors);
            sbuf_free(&errors);
            free(p);
            return NULL;
        }
        scenario_free(sc);
    }
    /* Free play first: it proves the port is ours before the screen starts. */
    struct server_config sc_cfg = cfg->server;
    if (cfg->scenario)
        scenario_server_config(&sc_cfg);
    p->engine = engine_new(&sc_cfg, &p->trace, err);
    if (!p->engine) {
        free(p);
        return NULL;
    }
    attach(p, p->engine);
    set_hint(p);
    if (cfg->compare) { /* the check engine above was one server */
        struct sbuf note = {0};
        struct engine *e;
        engine_free(p->engine);
        p->engine = NULL;
        if (!(e = new_engine(p, cfg->scenario != NULL, &note))) {
            sbuf_add(err, sbuf_str(&note));
            sbuf_free(&note);
            presenter_free(p);
            return NULL;
        }
        sbuf_free(&note);
        replace_engine(p, e);
        set_hint(p);
    }
    if (cfg->scenario) {
        if (load_scenario(p, cfg->scenario, err) < 0) { /* changed on disk since */
            presenter_free(p);
            return NULL;
        }
    } else {
        engine_run(p->engine, cfg->rate);
        if (cfg->rate == 0)
            p->rate = ENGINE_RATE_DEFAULT;
        p->view.message[0] = '\0';
        menu_open(p);
    }
    return p;
}

void presenter_free(struct presenter *p)
{
    if (!p)
        return;
    engine_free(p->engine);
    scenario_free(p->sc);
    menu_free(&p->view);
    presenter_prompt_matches(p, NULL, 0);
    sbuf_free(&p->view.text);
    free(p->sc_path);
    free(p->want_load);
    free(p);
}

struct engine *presenter_engine(const struct presenter *p) { return p->engine; }
const struct scenario *presenter_scenario(const struct presenter *p) { return p->sc; }
unsigned presenter_generation(const struct presenter *p) { return p->generation; }
bool presenter_quitting(const struct presenter *p) { return p->quit; }

unsigned presenter_narration_pages(const struct presenter *p)
{
    return p->view.nar_pages ? p->view.nar_pages : 1;
}

void presenter_narration_page(struct presenter *p, unsigned page)
{
    p->view.nar_page = page;
}

void presenter_resize(struct presenter *p, int w, int h)
{
    p->w = w;
    p->h = h;
}

void presenter_render(struct presenter *p, struct grid *g)
{
    struct render_out out;
    struct screen s = {.engine = p->engine, .scenario = p->sc, .view = &p->view, .out = &out};
    if (g->w != p->w || g->h != p->h) {
        grid_free(g);
        grid_init(g, p->w, p->h);
    }
    g->ascii = p->cfg.ascii;
    render_screen(&s, g);
    /* Where the lists stand now that this frame knows their rows. */
    p->view.top = out.conn_top;
    p->view.text_top = out.text_top;
    p->view.text_last_top = out.text_last_top;
    p->view.prompt.cursor_x = out.cursor_x;
    p->view.prompt.cursor_y = out.cursor_y;
    p->view.nar_page = out.nar_page;
    p->view.nar_pages = out.nar_pages;
}

/* ---- the prompt ---------------------------------------------------------- */

bool presenter_prompt_active(const struct presenter *p) { return p->view.prompt.active; }

void presenter_prompt_open(struct presenter *p)
{
    struct prompt_view *pv = &p->view.prompt;
    pv->active = true;
    pv->error[0] = pv->usage[0] = '\0';
    pv->line[0] = '\0';
    pv->point = 0;
}

void presenter_prompt_close(struct presenter *p)
{
    p->view.prompt.active = false;
    presenter_prompt_matches(p, NULL, 0);
}

void presenter_prompt_show(struct presenter *p, const char *prompt, const char *text, size_t point)
{
    struct prompt_view *pv = &p->view.prompt;
    size_t plen = strlen(prompt), tlen = strlen(text), from = 0;
    if (point > tlen)
        point = tlen;
    /* A line longer than the view keeps the part around the cursor (the
     * whole line is what runs; the screen shows at most one row of it). */
    if (plen + tlen >= sizeof pv->line && point > sizeof pv->line / 2) {
        from = point - sizeof pv->line / 2;
        while (from < point && ((unsigned char)text[from] & 0xc0) == 0x80)
            from++; /* not in the middle of a character */
    }
    int n = snprintf(pv->line, sizeof pv->line, "%s%s", prompt, text + from);
    pv->point = plen + (point - from);
    if (n < 0 || pv->point > strlen(pv->line))
        pv->point = strlen(pv->line);
}

void presenter_prompt_matches(struct presenter *p, char *const *words, size_t n)
{
    struct prompt_view *pv = &p->view.prompt;
    for (size_t i = 0; i < pv->nmatches; i++)
        free(pv->matches[i]);
    pv->nmatches = pv->more_matches = 0;
    for (size_t i = 0; i < n; i++) {
        if (pv->nmatches == PROMPT_MATCHES) {
            pv->more_matches = n - i;
            break;
        }
        pv->matches[pv->nmatches++] = xstrdup(words[i]);
    }
}

int presenter_prompt_submit(struct presenter *p, const char *line)
{
    struct prompt_view *pv = &p->view.prompt;
    presenter_prompt_matches(p, NULL, 0);
    int rc = presenter_command(p, line);
    if (rc == 0) {
        pv->active = false;
        pv->error[0] = pv->usage[0] = '\0';
        return 0;
    }
    /* Keep the prompt, say what went wrong and how the command goes. */
    struct sbuf usage = {0}, why = {0};
    char word[64];
    snprintf(word, sizeof word, "%.*s", (int)strcspn(line + strspn(line, " \t"), " \t"),
             line + strspn(line, " \t"));
    struct cmd_entry c;
    snprintf(pv->error, sizeof pv->error, "%s", p->view.message);
    if (cmd_lookup(word, &c, &why) == 0) {
        cmd_usage(&c, &usage);
        snprintf(pv->usage, sizeof pv->usage, "usage: %s   (help %s explains it)", sbuf_str(&usage),
                 c.name);
    } else {
        snprintf(pv->usage, sizeof pv->usage, "help lists the commands");
    }
    sbuf_free(&usage);
    sbuf_free(&why);
    return -1;
}

void presenter_prompt_cursor(const struct presenter *p, int *x, int *y)
{
    *x = p->view.prompt.cursor_x;
    *y = p->view.prompt.cursor_y;
}

const char *const *presenter_dirs(const struct presenter *p) { return p->cfg.dirs; }
