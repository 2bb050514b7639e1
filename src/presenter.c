/*
 * presenter.c - the presenter: commands and what they ask of the host,
 * the lesson's moves as the class sees them (messages, the view starting
 * over), long work in slices, the prompt.  Its keys are in
 * presenter_keys.c; its state in presenter_impl.h.
 */
#include "presenter_impl.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "panes.h"
#include "menu.h"
#include "promptbox.h"
#include "textbox.h"

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
    if (TRACE_BIT(kind) & TRACELOG_KINDS) {
        tracelog_add(&p->tracelog, kind, text);
        return;
    }
    if (kind == TRACE_SCRIPT && strncmp(text, "--- step ", 9) == 0)
        tracelog_step(&p->tracelog);
    if (p->capturing && kind == TRACE_SCRIPT) {
        sbuf_add(&p->view.text, text);
        sbuf_addc(&p->view.text, '\n');
        return;
    }
    /* A transcript's line under a tick is indented; on the message line,
     * alone, it starts at the margin like every other message. */
    const char *said = text + strspn(text, " ");
    switch (kind) {
    case TRACE_ERROR:
        presenter_message(p, true, "%s", said);
        break;
    case TRACE_KNOB:
    case TRACE_CONN:
    case TRACE_STARVE:
        presenter_message(p, false, "%s", said);
        break;
    default:
        break;
    }
}

/* A call's record: the trace pane words it its own way (call.h); the
 * code pane alone needs only which call it was, and no line is made. */
static void on_call(void *ctx, enum trace_kind kind, const struct call *c)
{
    struct presenter *p = ctx;
    if (!(TRACE_BIT(kind) & TRACELOG_KINDS)) {
        struct sbuf text = {0};
        call_transcript(c, &text);
        on_trace(ctx, kind, sbuf_str(&text));
        sbuf_free(&text);
    } else if (p->view.panes & PANE_TRACE) {
        tracelog_call(&p->tracelog, kind, c);
    } else {
        tracelog_last(&p->tracelog, c);
    }
}

static int host_request(void *ctx, enum host_request req, const struct host_args *a,
                        struct sbuf *err);


static void set_hint(struct presenter *p)
{
    struct server *s = engine_server(eng(p));
    const char *addr = p->cfg.server.address;
    bool wildcard = strcmp(addr, "0.0.0.0") == 0 || strcmp(addr, "::") == 0;
    snprintf(p->view.hint, sizeof p->view.hint, "try: nc %s %u%s%s",
             wildcard || strcmp(addr, "127.0.0.1") == 0 || strcmp(addr, "::1") == 0
                 ? "localhost" : addr,
             server_port(s), wildcard ? " (or this machine's address)" : "",
             sc_of(p) ? "" : "   s: scenarios");
}

/* After the lesson moved (a fresh engine): the view starts over on it,
 * and a port that had to change is said. */
static void follow_lesson(struct presenter *p, struct sbuf *note)
{
    if (lesson_generation(p->lesson) != p->generation) {
        p->generation = lesson_generation(p->lesson);
        p->view.selected = 0;
        p->view.top = 0;
        p->view.nar_page = 0; /* a new step starts on its first page */
        p->view.trace_bottom = TRACE_NEWEST;
        p->view.trace_follow = 0; /* as the layout says, again */
    }
    set_hint(p);
    if (note && note->len)
        presenter_message(p, true, "%s", sbuf_str(note));
}

/* Before a fresh server (a lesson, free play, restart, compare): the
 * old one's message and its calls in the trace pane go with it, so what
 * the new one says first is the message line's news. */
static void forget_old_server(struct presenter *p)
{
    tracelog_clear(&p->tracelog);
    p->view.message[0] = '\0';
    p->view.message_error = false;
}

/* Opens a scenario on a fresh server and runs its opening segment. */
static int load_scenario(struct presenter *p, const char *path, struct sbuf *err)
{
    struct sbuf note = {0};
    forget_old_server(p);
    int rc = lesson_load(p->lesson, path, err, &note);
    if (rc == 0)
        follow_lesson(p, &note);
    sbuf_free(&note);
    return rc;
}

static int host_request(void *ctx, enum host_request req, const struct host_args *a,
                        struct sbuf *err)
{
    const char *arg = a->arg;
    struct presenter *p = ctx;
    switch (req) {
    case HOST_NEXT:
        if (!sc_of(p)) {
            sbuf_add(err, "no scenario is open (s opens the menu)");
            return -1;
        }
        if (scenario_in_step(sc_of(p))) {
            sbuf_add(err, "this step is still running (Esc or stop abandons it)");
            return -1;
        }
        if (scenario_done(sc_of(p))) {
            sbuf_add(err, "the scenario is over: r restarts it, s opens another");
            return -1;
        }
        p->pending.req = HOST_NEXT;
        return 0;
    case HOST_RESTART:
        if (!sc_of(p)) {
            sbuf_add(err, "no scenario is open (s opens the menu)");
            return -1;
        }
        /* Typed, it asks: a lesson that no longer loads fails first. */
        if (p->typed && lesson_path(p->lesson) && lesson_check(lesson_path(p->lesson), err) < 0)
            return -1;
        if (!presenter_typed_asks(p, req))
            p->pending.req = HOST_RESTART;
        return 0;
    case HOST_LOAD:
        /* A file that would not load fails here, at the prompt, rather
         * than after the question. */
        if (p->typed && lesson_check(arg, err) < 0)
            return -1;
        if (presenter_typed_asks(p, req))
            return 0;
        free(p->pending.path);
        p->pending.path = xstrdup(arg);
        p->pending.req = HOST_LOAD;
        return 0;
    case HOST_DUMP: {
        /* Without a size, the screen as the terminal shows it. */
        struct screen s = {.engine = eng(p), .scenario = sc_of(p), .view = &p->view};
        int w = a->cols ? a->cols : p->w, h = a->rows ? a->rows : p->h;
        if (screen_dump(&s, w, h, a->dir, arg, err) < 0)
            return -1;
        presenter_message(p, false, "screen (%dx%d) written to %s", w, h, arg);
        return 0;
    }
    case HOST_QUIT:
        if (!presenter_typed_asks(p, req))
            p->quit = true;
        return 0;
    case HOST_STOP:
        if (!presenter_busy(p)) {
            sbuf_add(err, "nothing is running");
            return -1;
        }
        p->pending.req = HOST_STOP;
        return 0;
    case HOST_SELECT: {
        const struct conn *c = server_find(engine_server(eng(p)), arg);
        if (!c) {
            sbuf_printf(err, "no connection named '%s'", arg);
            return -1;
        }
        p->view.selected = c->id;
        return 0;
    }
    case HOST_MENU:
        p->pending.req = HOST_MENU;
        return 0;
    case HOST_FREE:
        if (!sc_of(p)) {
            sbuf_add(err, "already in free play");
            return -1;
        }
        if (!presenter_typed_asks(p, req))
            p->pending.req = HOST_FREE;
        return 0;
    case HOST_COMPARE:
        if (p->typed && lesson_compare_check(p->lesson, a, err) < 0)
            return -1;
        if (presenter_typed_asks(p, req))
            return 0;
        p->pending.req = HOST_COMPARE;
        p->pending.args = *a;
        p->pending.args.arg = p->pending.args.dir = NULL; /* they name nothing; and the line goes */
        return 0;
    case HOST_NONE:
        break;
    }
    return -1;
}


/* compare MODE MODE / compare off: the same lesson (or free play) again,
 * on two servers or one. */
static int do_compare(struct presenter *p, const struct host_args *a)
{
    struct sbuf err = {0}, note = {0};
    forget_old_server(p);
    int rc = lesson_compare(p->lesson, a, &err, &note);
    if (rc < 0) {
        presenter_message(p, true, "compare: %s", sbuf_str(&err));
    } else {
        follow_lesson(p, &note);
        const struct lesson_config *c = lesson_config(p->lesson);
        if (!p->view.message_error) {
            if (c->compare)
                presenter_message(p, false, "side by side: %s first, %s second, on the same traffic",
                                  mode_name(c->compare_modes[0]), mode_name(c->compare_modes[1]));
            else
                presenter_message(p, false, "one server again");
        }
    }
    sbuf_free(&err);
    sbuf_free(&note);
    return rc;
}

/* ---- long work in slices ------------------------------------------------ */

bool presenter_busy(const struct presenter *p)
{
    return lesson_busy(p->lesson);
}

static void show_progress(struct presenter *p)
{
    unsigned done, total;
    /* The progress line stands in for the last message while the job
     * runs, and gives it back after: the screen after a step does not
     * depend on whether the machine ran it in one slice or in many. */
    if (engine_job_progress(eng(p), &done, &total)) {
        char a[16], b[16];
        if (!p->showing_progress) {
            memcpy(p->held.text, p->view.message, sizeof p->held.text);
            p->held.error = p->view.message_error;
        }
        format_thousands(done, a, sizeof a);
        format_thousands(total, b, sizeof b);
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
    lesson_work(p->lesson);
    show_progress(p);
    return presenter_busy(p);
}

/* Esc or `stop`: the narration's last page shows where it stopped. */
void presenter_stop_work(struct presenter *p)
{
    struct sbuf said = {0};
    if (lesson_stop(p->lesson, &said))
        p->view.nar_page = UINT_MAX;
    p->showing_progress = false;
    presenter_message(p, false, "%s", sbuf_str(&said));
    sbuf_free(&said);
}

/* What the command asked the host for, done now that it has returned.
 * Returns -1 if it failed (the message line says why). */
static int do_request(struct presenter *p)
{
    struct sbuf err = {0}, note = {0};
    int rc = 0;
    enum host_request req = p->pending.req;
    char *path = p->pending.path;
    p->pending.req = HOST_NONE;
    p->pending.path = NULL;
    switch (req) {
    case HOST_STOP:
        presenter_stop_work(p);
        break;
    case HOST_COMPARE:
        rc = do_compare(p, &p->pending.args);
        break;
    case HOST_MENU:
        presenter_menu_open(p);
        break;
    case HOST_FREE:
        forget_old_server(p);
        lesson_free_play(p->lesson, &note);
        follow_lesson(p, &note);
        presenter_message(p, false, "free play: %s", p->view.hint);
        break;
    case HOST_LOAD:
        if ((rc = load_scenario(p, path, &err)) < 0)
            presenter_message(p, true, "load: %s", sbuf_str(&err));
        break;
    case HOST_RESTART:
        forget_old_server(p);
        if ((rc = lesson_restart(p->lesson, &err, &note)) < 0) {
            presenter_message(p, true, "restart: %s", sbuf_str(&err));
            break;
        }
        follow_lesson(p, &note);
        if (!p->view.message_error)
            presenter_message(p, false, "restarted %s on a fresh server",
                              scenario_name(sc_of(p)));
        break;
    case HOST_NEXT:
        p->view.message[0] = '\0';
        p->view.nar_page = 0;
        scenario_next(sc_of(p), eng(p));
        break;
    default:
        break;
    }
    free(path);
    sbuf_free(&err);
    sbuf_free(&note);
    return rc;
}

int presenter_command(struct presenter *p, const char *text)
{
    struct knob_origin prompt = knob_origin(FROM_PROMPT, NULL, 0, 0);
    return presenter_command_from(p, text, &prompt);
}

/* show knobs ends with the panes: a setting of this front end, not of the
 * engine, chosen like a knob (--panes, the startup file, v). */
static void show_panes(struct presenter *p)
{
    struct sbuf value = {0}, from = {0};
    panes_format(p->view.panes, &value);
    knob_origin_format(&p->panes_from, &from);
    cmd_show_line(eng(p), "panes", "both", sbuf_str(&value), sbuf_str(&from));
    sbuf_free(&value);
    sbuf_free(&from);
}

int presenter_command_from(struct presenter *p, const char *text, const struct knob_origin *from)
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
    line.origin = *from;
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
    if (cmd_exec(eng(p), &line, &err) < 0) {
        presenter_message(p, true, "%s: %s", line.cmd.name, sbuf_str(&err));
        rc = -1;
    } else if (strcmp(line.cmd.name, "show") == 0) {
        show_panes(p);
    }
    p->capturing = false;
    if (text_out && rc == 0) {
        text_open(&p->view, text);
    }
    /* Knobs and actions act on the kernel now: show its state now. */
    server_sample(engine_server(eng(p)));
    if (engine_running(eng(p)) && engine_rate(eng(p)))
        p->rate = engine_rate(eng(p)); /* what p and + - go back to */
    cmd_line_free(&line);
    sbuf_free(&err);
    if (do_request(p) < 0)
        rc = -1;
    /* A command that worked and said nothing: an old error on the message
     * line must not look like this one's. */
    if (rc == 0 && p->messages == said && p->view.message_error) {
        p->view.message[0] = '\0';
        p->view.message_error = false;
    }
    return rc;
}

/* ---- life cycle --------------------------------------------------------- */

void presenter_config_from(struct presenter_config *cfg, const struct options *o)
{
    *cfg = (struct presenter_config){0};
    cfg->server = o->server;
    cfg->rate = o->rate;
    cfg->ascii = o->ascii;
    cfg->panes = o->panes;
    cfg->rate_from = o->rate_from;
    cfg->panes_from = o->panes_from;
    cfg->scenario = o->scenario;
    cfg->knobs_given = o->knobs_given;
    cfg->compare = o->compare;
    cfg->compare_modes[0] = o->compare_modes[0];
    cfg->compare_modes[1] = o->compare_modes[1];
    cfg->play = o->play;
    cfg->loop = o->loop;
}

void presenter_trace_kinds(struct presenter *p)
{
    p->trace.skip = TRACE_BIT(TRACE_CLIENT) | TRACE_BIT(TRACE_EXPECT);
    /* The code pane marks the line of the last call: it reads the log too. */
    if (!(p->view.panes & (PANE_TRACE | PANE_CODE)))
        p->trace.skip |= TRACELOG_KINDS;
}

struct presenter *presenter_new(const struct presenter_config *cfg, struct sbuf *err)
{
    struct presenter *p = xcalloc(1, sizeof *p);
    p->cfg = *cfg;
    p->trace.line = on_trace;
    p->trace.call = on_call;
    p->trace.ctx = p;
    /* What on_trace drops is never formatted: under a flood, the line of
     * every read would cost more than the server it describes. */
    p->view.gl = glyphs_for(cfg->ascii);
    p->view.panes = cfg->panes;
    p->panes_from = cfg->panes_from;
    p->view.tracelog = &p->tracelog;
    p->view.trace_bottom = TRACE_NEWEST;
    autoplay_init(&p->play, cfg->play, cfg->loop);
    presenter_trace_kinds(p);
    p->rate = cfg->rate ? cfg->rate : ENGINE_RATE_DEFAULT;
    p->w = SCREEN_DEFAULT_W;
    p->h = SCREEN_DEFAULT_H;

    struct lesson_config lc = {
        .server = cfg->server,
        .rate = cfg->rate,
        .rate_from = cfg->rate_from,
        .compare = cfg->compare,
        .compare_modes = {cfg->compare_modes[0], cfg->compare_modes[1]},
        .compare_from = knob_origin(FROM_COMMAND_LINE, NULL, 0, 0), /* --compare */
        .trace = &p->trace,
        .host = {host_request, p},
    };
    if (!(p->lesson = lesson_new(&lc, cfg->scenario, err))) {
        free(p);
        return NULL;
    }
    follow_lesson(p, NULL);
    if (cfg->scenario && load_scenario(p, cfg->scenario, err) < 0) { /* changed on disk since */
        presenter_free(p);
        return NULL;
    }
    if (!cfg->scenario) {
        if (cfg->rate == 0)
            p->rate = ENGINE_RATE_DEFAULT;
        /* A knob on the command line asks for free play with it: a
         * menu of lessons, each with its own knobs, would be a detour. */
        if (cfg->knobs_given)
            presenter_message(p, false, "free play: %s", p->view.hint);
        else
            presenter_menu_open(p);
    }
    return p;
}

void presenter_free(struct presenter *p)
{
    if (!p)
        return;
    lesson_free(p->lesson);
    menu_free(&p->view);
    presenter_prompt_matches(p, NULL, 0);
    sbuf_free(&p->view.text);
    tracelog_free(&p->tracelog);
    free(p->pending.path);
    free(p->confirm_line);
    free(p);
}

struct engine *presenter_engine(const struct presenter *p) { return eng(p); }
const struct scenario *presenter_scenario(const struct presenter *p) { return sc_of(p); }
unsigned presenter_generation(const struct presenter *p) { return lesson_generation(p->lesson); }
bool presenter_quitting(const struct presenter *p) { return p->quit; }

static enum autoplay_state play_state(const struct presenter *p)
{
    const struct view *v = &p->view;
    if (presenter_busy(p))
        return AUTOPLAY_BUSY;
    if (v->overlay != OVERLAY_NONE || v->prompt.active)
        return AUTOPLAY_COVERED;
    if (scenario_done(sc_of(p)) && v->nar_page + 1 >= presenter_narration_pages(p))
        return AUTOPLAY_END;
    return AUTOPLAY_READY;
}

/* A move by hand (n, space, <, r, a lesson opened) counts as a step: the
 * next one comes a full period later. */
static void play_follow(struct presenter *p)
{
    unsigned gen = lesson_generation(p->lesson), step = scenario_step(sc_of(p));
    if (gen != p->played.generation || step != p->played.step || p->view.nar_page != p->played.page)
        autoplay_reset(&p->play);
    p->played.generation = gen;
    p->played.step = step;
    p->played.page = p->view.nar_page;
}

bool presenter_playing(const struct presenter *p) { return autoplay_on(&p->play); }

bool presenter_play(struct presenter *p, uint64_t elapsed_ns)
{
    struct view *v = &p->view;
    char before[sizeof v->play];
    snprintf(before, sizeof before, "%s", v->play);
    if (!autoplay_on(&p->play) || !sc_of(p)) { /* free play has no steps */
        v->play[0] = '\0';
        return before[0] != '\0';
    }
    play_follow(p);
    bool moved = false;
    switch (autoplay_elapse(&p->play, elapsed_ns, play_state(p))) {
    case AUTOPLAY_WAIT:
        break;
    case AUTOPLAY_NEXT:
        presenter_key(p, ' ');
        moved = true;
        break;
    case AUTOPLAY_RESTART:
        presenter_command(p, "restart");
        moved = true;
        break;
    }
    if (moved && sc_of(p))
        play_follow(p);
    autoplay_label(&p->play, sc_of(p) ? play_state(p) : AUTOPLAY_END, v->play, sizeof v->play);
    return moved || strcmp(before, v->play) != 0;
}

void presenter_play_toggle(struct presenter *p)
{
    if (!autoplay_on(&p->play)) {
        presenter_message(p, false, "autoplay is off: epollviz --play SECONDS LESSON starts it");
        return;
    }
    autoplay_toggle(&p->play);
    presenter_message(p, false, p->play.paused ? "autoplay paused (P resumes)" : "autoplay resumed");
    presenter_play(p, 0);
}

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
    struct screen s = {.engine = eng(p), .scenario = sc_of(p), .view = &p->view, .out = &out};
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
    p->trace_rows = out.trace_rows;
    p->view.conns_dense = out.conns_dense;
    if (!out.trace_rows) /* the moving keys go back to what is on screen */
        p->view.focus = FOCUS_CONNS;
}

/* ---- the prompt ---------------------------------------------------------- */

bool presenter_prompt_active(const struct presenter *p) { return p->view.prompt.active; }
bool presenter_asking(const struct presenter *p) { return p->view.overlay == OVERLAY_CONFIRM; }

bool presenter_prompt_failed(const struct presenter *p)
{
    return p->view.prompt.active && p->view.prompt.error[0];
}

void presenter_prompt_note(struct presenter *p, const char *note)
{
    struct prompt_view *pv = &p->view.prompt;
    struct sbuf b = {0};
    sbuf_printf(&b, "%s%s%s", note, pv->usage[0] ? "   " : "", pv->usage);
    /* What does not fit is cut: the row clips it to the screen anyway. */
    snprintf(pv->usage, sizeof pv->usage, "%.*s", (int)sizeof pv->usage - 1, sbuf_str(&b));
    sbuf_free(&b);
}

void presenter_prompt_open(struct presenter *p)
{
    promptbox_open(&p->view.prompt);
}

void presenter_prompt_close(struct presenter *p)
{
    p->view.prompt.active = false;
    promptbox_matches(&p->view.prompt, NULL, 0);
}

void presenter_prompt_show(struct presenter *p, const char *prompt, const char *text, size_t point)
{
    promptbox_show(&p->view.prompt, prompt, text, point);
}

void presenter_prompt_matches(struct presenter *p, char *const *words, size_t n)
{
    promptbox_matches(&p->view.prompt, words, n);
}

int presenter_prompt_submit(struct presenter *p, const char *line)
{
    struct prompt_view *pv = &p->view.prompt;
    presenter_prompt_matches(p, NULL, 0);
    p->typed = line;
    int rc = presenter_command(p, line);
    p->typed = NULL;
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
