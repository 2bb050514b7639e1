/*
 * presenter_keys.c - the presenter's keys: each runs a line of the command
 * language, or moves the view; the overlays' keys come first while one is
 * open.  Asks before a key would cut students off or end a lesson.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confirm.h"
#include "keymap.h"
#include "menu.h"
#include "panes.h"
#include "presenter_impl.h"
#include "textbox.h"

/* ---- the scenario menu -------------------------------------------------- */

void presenter_menu_open(struct presenter *p)
{
    menu_load(&p->view, p->cfg.dirs, lesson_path(p->lesson));
    p->view.overlay = OVERLAY_MENU;
}

static void replace_server(struct presenter *p, const char *title, const char *yes,
                           const char *line);

static void on_menu_key(struct presenter *p, int key)
{
    struct view *v = &p->view;
    switch (menu_key(v, key)) {
    case MENU_CLOSED:
        if (!sc_of(p))
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
    free(p->confirm_line);
    p->confirm_line = xstrdup(line); /* whole: a typed line may be long */
    p->confirm_q = false;
}

/* Open connections of outside clients (students' nc): a fresh server
 * resets them. */
static size_t outside_clients(const struct presenter *p)
{
    size_t n = 0;
    for (unsigned i = 0; i < engine_sides(eng(p)); i++) {
        struct server *s = engine_side_server(eng(p), i);
        for (size_t k = 0; k < server_conn_count(s); k++) {
            const struct conn *c = server_conn_at(s, k);
            n += !c->scripted && c->fd >= 0;
        }
    }
    return n;
}

/* What a fresh server would cost the class, in words, or false: nothing. */
static bool reset_loses(const struct presenter *p, char *what, size_t size)
{
    size_t n = outside_clients(p);
    if (n)
        snprintf(what, size, "A fresh server resets %zu outside connection%s (they must reconnect).",
                 n, n == 1 ? "" : "s");
    return n > 0;
}

/* What quitting now would lose, in words, or false: nothing.  A lesson
 * half way, or students' connections (they are reset). */
static bool quit_loses(const struct presenter *p, char *what, size_t size)
{
    size_t n = outside_clients(p);
    bool mid = sc_of(p) && scenario_step(sc_of(p)) > 0 && !scenario_done(sc_of(p));
    if (mid)
        snprintf(what, size, "The scenario is at step %u of %u.", scenario_step(sc_of(p)),
                 scenario_steps(sc_of(p)));
    else if (n)
        snprintf(what, size, "Quitting resets %zu outside connection%s.", n, n == 1 ? "" : "s");
    return mid || n;
}

/* Runs a line that replaces the server, asking first if that would cut
 * students off. */
static void replace_server(struct presenter *p, const char *title, const char *yes,
                           const char *line)
{
    char what[128];
    if (!reset_loses(p, what, sizeof what)) {
        presenter_command(p, line);
        return;
    }
    confirm(p, title, what, yes, line);
}

static const struct conn *selected_conn(struct presenter *p)
{
    struct server *s = engine_server(eng(p));
    if (!server_conn_count(s))
        return NULL;
    struct screen scr = {.engine = eng(p), .scenario = sc_of(p), .view = &p->view};
    return server_conn_at(s, render_selected_index(&scr));
}

static void move_selection(struct presenter *p, long delta, bool absolute)
{
    struct server *s = engine_server(eng(p));
    size_t n = server_conn_count(s);
    if (!n)
        return;
    struct screen scr = {.engine = eng(p), .scenario = sc_of(p), .view = &p->view};
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
    struct server *s = engine_server(eng(p));
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
/* A key's command line: show knobs says the key set what it sets. */
static void key_command(struct presenter *p, int key, const char *line)
{
    struct knob_origin from = knob_origin(FROM_KEY, NULL, 0, key);
    presenter_command_from(p, line, &from);
}

static void step_knob(struct presenter *p, int key)
{
    bool up = true;
    const struct knob *k = knob_by_key(key, &up);
    size_t now = knob_get(k, server_knobs(engine_server(eng(p)))), next;
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
    key_command(p, key, sbuf_str(&line));
    sbuf_free(&line);
}

static void change_rate(struct presenter *p, int key, bool faster)
{
    const unsigned *rates;
    size_t n = engine_rate_steps(&rates), i;
    /* From what the clock does now (a `run 32` at the prompt counts). */
    unsigned cur = engine_running(eng(p)) && engine_rate(eng(p)) ? engine_rate(eng(p))
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
    if (engine_running(eng(p))) {
        char line[32];
        snprintf(line, sizeof line, "run %u", next);
        key_command(p, key, line);
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
        help_key(v, key, p->h > 8 ? (size_t)p->h - 8 : 1);
        return;
    case OVERLAY_MENU:
        on_menu_key(p, key);
        return;
    case OVERLAY_CONFIRM: {
        char *line = p->confirm_line; /* the line it runs may ask again */
        p->confirm_line = NULL;
        if (confirm_key(v, key, p->confirm_q) && line)
            presenter_command(p, line);
        free(line);
        return;
    }
    case OVERLAY_NONE:
        break;
    }
    if (key == KEY_CODE_ESC && presenter_busy(p)) {
        presenter_stop_work(p);
        return;
    }
    char line[48];
    int page = p->h > 20 ? p->h - 16 : 4;
    char said[128] = "";
    struct screen scr = {.engine = eng(p), .scenario = sc_of(p), .view = v,
                         .conns_dense = v->conns_dense};
    if (tracepane_key(&scr, v, keymap_action(key), p->trace_rows, said, sizeof said)) {
        if (said[0])
            presenter_message(p, false, "%s", said);
        return;
    }
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
        if (sc_of(p) && v->nar_page + 1 < v->nar_pages)
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
        if (!sc_of(p))
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
        if (engine_running(eng(p)))
            snprintf(line, sizeof line, "pause");
        else
            snprintf(line, sizeof line, "run %u", p->rate);
        key_command(p, key, line);
        break;
    case ACT_PLAY:
        presenter_play_toggle(p);
        break;
    case ACT_FASTER:
    case ACT_SLOWER:
        change_rate(p, key, keymap_action(key) == ACT_FASTER);
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
        move_selection(p, (long)server_conn_count(engine_server(eng(p))) - 1, true);
        break;
    case ACT_DRAIN:
        conn_command(p, "drain", true);
        break;
    case ACT_CLOSE:
        conn_command(p, "drop", false);
        break;
    case ACT_PANES: {
        struct sbuf what = {0};
        v->panes = panes_next(v->panes);
        p->panes_from = knob_origin(FROM_KEY, NULL, 0, key);
        presenter_trace_kinds(p);
        panes_format(v->panes, &what);
        presenter_message(p, false, "panes: %s (where the room allows; code from %d columns)",
                          sbuf_str(&what), PANES_WIDE);
        sbuf_free(&what);
        break;
    }
    case ACT_FOCUS:
    case ACT_FOLLOW: /* the trace pane's (above) */
        break;
    case ACT_MENU:
        presenter_menu_open(p);
        break;
    case ACT_PROMPT:
        presenter_prompt_open(p);
        break;
    case ACT_HELP:
        help_open(v);
        break;
    case ACT_QUIT: {
        /* Asked, as r asks, whenever quitting loses something. */
        char what[128];
        if (!quit_loses(p, what, sizeof what)) {
            presenter_command(p, "quit");
            break;
        }
        confirm(p, "quit?", what, "quit", "quit");
        p->confirm_q = true;
        break;
    }
    }
}

/* Typing a line is no surer than pressing its key, and the class loses
 * the same: so a typed restart, load, free, compare or quit asks where
 * its key (r, the menu, q) asks, and y runs the line as typed. */
bool presenter_typed_asks(struct presenter *p, enum host_request req)
{
    static const struct {
        enum host_request req;
        const char *title, *yes;
    } asks[] = {
        {HOST_RESTART, "restart?", "restart"},
        {HOST_LOAD, "open this lesson?", "open it"},
        {HOST_FREE, "leave the lesson?", "free play"},
        {HOST_COMPARE, "compare?", "compare"},
        {HOST_QUIT, "quit?", "quit"},
    };
    if (!p->typed)
        return false;
    for (size_t i = 0; i < sizeof asks / sizeof asks[0]; i++) {
        if (asks[i].req != req)
            continue;
        char what[128];
        bool quit = req == HOST_QUIT;
        if (!(quit ? quit_loses(p, what, sizeof what) : reset_loses(p, what, sizeof what)))
            return false;
        confirm(p, asks[i].title, what, asks[i].yes, p->typed);
        p->confirm_q = quit;
        return true;
    }
    return false;
}
