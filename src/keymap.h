/*
 * keymap.h - the presenter's keys: one table that dispatch, the status
 * line and the help overlay all read, so they cannot disagree.
 *
 * Keys are terminal-independent codes: printable ASCII as itself, the
 * others below (the terminal front end translates).
 */
#ifndef EPOLLVIZ_KEYMAP_H
#define EPOLLVIZ_KEYMAP_H

#include <stddef.h>

enum {
    KEY_CODE_ESC = 27,
    KEY_CODE_ENTER = '\n',
    KEY_CODE_UP = 0x110001, /* past Unicode: never a character */
    KEY_CODE_DOWN,
    KEY_CODE_PGUP,
    KEY_CODE_PGDN,
    KEY_CODE_HOME,
    KEY_CODE_END,
    KEY_CODE_INTERRUPT, /* Ctrl-C, SIGINT */
};

enum key_action {
    ACT_NONE,
    ACT_NEXT,
    ACT_PAGE_BACK,
    ACT_RESTART,
    ACT_MODE,
    ACT_BUDGET_UP,
    ACT_BUDGET_DOWN,
    ACT_ACCEPT,
    ACT_TICK,
    ACT_PAUSE,
    ACT_FASTER,
    ACT_SLOWER,
    ACT_UP,
    ACT_DOWN,
    ACT_PAGE_UP,
    ACT_PAGE_DOWN,
    ACT_FIRST,
    ACT_LAST,
    ACT_DRAIN,
    ACT_CLOSE,
    ACT_MENU,
    ACT_PROMPT,
    ACT_HELP,
    ACT_QUIT,
};

struct key_binding {
    enum key_action act;
    int keys[4];        /* 0-terminated */
    const char *label;  /* the keys as the help shows them */
    const char *status_keys; /* the keys in the status line, or NULL: not shown there */
    const char *status; /* one word for the status line */
    const char *help;   /* what it does, and the command it runs */
};

enum key_action keymap_action(int key);
size_t keymap_count(void);
const struct key_binding *keymap_at(size_t i);

#endif
