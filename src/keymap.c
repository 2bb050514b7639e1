/*
 * keymap.c - the key table.
 */
#include "keymap.h"

#include "util.h"

/* In the order the help overlay lists them. */
static const struct key_binding bindings[] = {
    {ACT_NEXT, {' ', 'n'}, "space n", "space", "next", "the narration's next page, or the scenario's next step (next)"},
    {ACT_PAGE_BACK, {'<', ','}, "<", NULL, NULL, "the narration's previous page, when a step takes more than one"},
    {ACT_RESTART, {'r'}, "r", NULL, NULL, "restart the scenario on a fresh server, asking if students are connected (restart)"},
    {ACT_MODE, {'m'}, "m", "m", "mode", "cycle the mode LT, ET, ONESHOT (mode)"},
    {ACT_BUDGET_UP, {'b'}, "b", "b/B", "budget", "larger read budget: 1 16 64 512 drain (budget)"},
    {ACT_BUDGET_DOWN, {'B'}, "B", NULL, NULL, "smaller read budget (budget)"},
    {ACT_ACCEPT, {'a'}, "a", NULL, NULL, "accept one or all per wakeup (accept)"},
    {ACT_TICK, {'t'}, "t", "t", "tick", "one server iteration: one epoll_wait (tick)"},
    {ACT_PAUSE, {'p'}, "p", "p", "run/pause", "run or pause the clock (run, pause)"},
    {ACT_FASTER, {'+', '='}, "+ -", "+/-", "speed", "clock faster or slower (run N)"},
    {ACT_SLOWER, {'-', '_'}, NULL, NULL, NULL, NULL},
    {ACT_UP, {KEY_CODE_UP, 'k'}, "up down j k", "j/k", "select", "select a connection"},
    {ACT_DOWN, {KEY_CODE_DOWN, 'j'}, NULL, NULL, NULL, NULL},
    {ACT_PAGE_UP, {KEY_CODE_PGUP}, "PgUp PgDn Home End", NULL, NULL, "move the selection further"},
    {ACT_PAGE_DOWN, {KEY_CODE_PGDN}, NULL, NULL, NULL, NULL},
    {ACT_FIRST, {KEY_CODE_HOME, 'g'}, NULL, NULL, NULL, NULL},
    {ACT_LAST, {KEY_CODE_END, 'G'}, NULL, NULL, NULL, NULL},
    {ACT_DRAIN, {'d'}, "d", "d", "drain", "the server reads the selected one until EAGAIN (drain)"},
    {ACT_CLOSE, {'x'}, "x", "x", "close", "the server closes the selected one (drop)"},
    {ACT_MENU, {'s'}, "s", "s", "scenarios", "the scenario menu (menu)"},
    {ACT_PROMPT, {':'}, ":", NULL, NULL, "the command prompt"},
    {ACT_HELP, {'?', 'h'}, "? h", "?", "help", "this help"},
    {ACT_QUIT, {'q'}, "q", "q", "quit", "quit, asking while a scenario is under way (quit)"},
};

enum key_action keymap_action(int key)
{
    for (size_t i = 0; i < ARRAY_LEN(bindings); i++)
        for (size_t k = 0; k < ARRAY_LEN(bindings[i].keys) && bindings[i].keys[k]; k++)
            if (bindings[i].keys[k] == key)
                return bindings[i].act;
    return ACT_NONE;
}

size_t keymap_count(void)
{
    return ARRAY_LEN(bindings);
}

const struct key_binding *keymap_at(size_t i)
{
    return i < ARRAY_LEN(bindings) ? &bindings[i] : NULL;
}
