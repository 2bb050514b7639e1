/*
 * keymap.c - the key table, with the knobs' keys from the knob table.
 */
#include "keymap.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "knob.h"
#include "util.h"

/* In the order the help overlay lists them; the ACT_KNOB row is where the
 * knobs' keys go, one or two per knob that has a ladder. */
static const struct key_binding bindings[] = {
    {ACT_NEXT, {' ', 'n'}, "space n", "space", "next", "the narration's next page, or the next step (next)"},
    {ACT_PAGE_BACK, {'<', ','}, "<", "", "", "the narration's previous page"},
    {ACT_RESTART, {'r'}, "r", "", "", "start over; asks if students are connected (restart)"},
    {ACT_KNOB, {0}, "", "", "", ""},
    {ACT_TICK, {'t'}, "t", "t", "tick", "one server iteration: one epoll_wait (tick)"},
    {ACT_PAUSE, {'p'}, "p", "p", "run/pause", "run or pause the clock (run, pause)"},
    {ACT_PLAY, {'P'}, "P", "", "", "pause or resume autoplay (--play SECONDS)"},
    {ACT_FASTER, {'+', '='}, "+ -", "+/-", "speed", "clock faster or slower (run N)"},
    {ACT_SLOWER, {'-', '_'}, "", "", "", ""},
    {ACT_UP, {KEY_CODE_UP, 'k'}, "up down j k", "j/k", "select", "select a connection"},
    {ACT_DOWN, {KEY_CODE_DOWN, 'j'}, "", "", "", ""},
    {ACT_PAGE_UP, {KEY_CODE_PGUP}, "PgUp PgDn Home End", "", "", "move the selection further"},
    {ACT_PAGE_DOWN, {KEY_CODE_PGDN}, "", "", "", ""},
    {ACT_FIRST, {KEY_CODE_HOME, 'g'}, "", "", "", ""},
    {ACT_LAST, {KEY_CODE_END, 'G'}, "", "", "", ""},
    {ACT_DRAIN, {'d'}, "d", "d", "drain", "the server reads the selected one to EAGAIN (drain)"},
    {ACT_CLOSE, {'x'}, "x", "x", "close", "the server closes the selected one (drop)"},
    {ACT_PANES, {'v'}, "v", "", "", "panes: all, trace, code, kernel, none (--panes)"},
    {ACT_FOCUS, {KEY_CODE_TAB}, "Tab", "", "", "the moving keys scroll the trace pane, or select again"},
    {ACT_FOLLOW, {'f'}, "f", "", "", "trace: the selected connection's calls, or all"},
    {ACT_MENU, {'s'}, "s", "s", "scenarios", "the scenario menu (menu)"},
    {ACT_PROMPT, {':'}, ":", "", "", "the command prompt"},
    {ACT_HELP, {'?', 'h'}, "? h", "?", "help", "this help"},
    {ACT_QUIT, {'q'}, "q", "q", "quit", "quit; asks mid-lesson or with outside clients (quit)"},
};

enum key_action keymap_action(int key)
{
    bool up;
    for (size_t i = 0; i < ARRAY_LEN(bindings); i++)
        for (size_t k = 0; k < ARRAY_LEN(bindings[i].keys) && bindings[i].keys[k]; k++)
            if (bindings[i].keys[k] == key)
                return bindings[i].act;
    return knob_by_key(key, &up) ? ACT_KNOB : ACT_NONE;
}

/* The knobs' bindings: key_up, then key_down if the knob has one. */
static size_t knob_bindings(const struct knob **knob, bool *down, size_t want)
{
    const struct knob *k;
    size_t n = 0;
    for (size_t i = 0; (k = knob_at(i)); i++)
        for (int d = 0; d < 2; d++) {
            if (!(d ? k->key_down : k->key_up))
                continue;
            if (n++ == want && knob) {
                *knob = k;
                *down = d;
            }
        }
    return n;
}

/* "larger ...: 1 16 64 512 drain (name)": a ladder that stops
 * at its ends is listed after the key_up help. */
static void knob_binding(const struct knob *k, bool down, struct key_binding *out)
{
    struct sbuf help = {0};
    memset(out, 0, sizeof *out);
    out->act = ACT_KNOB;
    out->keys[0] = down ? k->key_down : k->key_up;
    snprintf(out->label, sizeof out->label, "%c", out->keys[0]);
    if (k->status && !down) {
        if (k->key_down)
            snprintf(out->status_keys, sizeof out->status_keys, "%c/%c", k->key_up, k->key_down);
        else
            snprintf(out->status_keys, sizeof out->status_keys, "%c", k->key_up);
        snprintf(out->status, sizeof out->status, "%s", k->name);
    }
    sbuf_add(&help, down ? k->key_help_down : k->key_help);
    for (size_t i = 0; !down && !k->wraps && i < k->nladder; i++) {
        sbuf_add(&help, i ? " " : ": ");
        knob_format(k, k->ladder[i], false, &help);
    }
    snprintf(out->help, sizeof out->help, "%s (%s)", sbuf_str(&help), k->name);
    sbuf_free(&help);
}

int keymap_at(size_t i, struct key_binding *out)
{
    size_t nknob = knob_bindings(NULL, NULL, SIZE_MAX);
    for (size_t b = 0; b < ARRAY_LEN(bindings); b++) {
        if (bindings[b].act == ACT_KNOB) {
            if (i < nknob) {
                const struct knob *k = NULL;
                bool down = false;
                knob_bindings(&k, &down, i);
                knob_binding(k, down, out);
                return 0;
            }
            i -= nknob;
            continue;
        }
        if (i-- == 0) {
            *out = bindings[b];
            return 0;
        }
    }
    memset(out, 0, sizeof *out);
    return -1;
}
