/*
 * keymap.h - the presenter's keys: one table that dispatch, the status
 * line and the help overlay all read, so they cannot disagree.  The keys
 * that step a knob are the knob table's (knob.h): they appear here as
 * ACT_KNOB bindings made from its rows.
 *
 * Keys are terminal-independent codes: printable ASCII as itself, the
 * others below (the terminal front end translates).
 */
#ifndef EPOLLVIZ_KEYMAP_H
#define EPOLLVIZ_KEYMAP_H

#include <stddef.h>

/* A control key's code: KEY_CTRL('G') is 7. */
#define KEY_CTRL(c) ((c) & 0x1f)

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
    KEY_CODE_TAB = '\t',
};

enum key_action {
    ACT_NONE,
    ACT_NEXT,
    ACT_PAGE_BACK,
    ACT_RESTART,
    ACT_KNOB, /* steps the knob whose key it is along its ladder (knob_by_key) */
    ACT_TICK,
    ACT_PAUSE,
    ACT_PLAY,
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
    ACT_PANES,
    ACT_FOCUS,  /* the moving keys move the trace pane's lines, or the selection */
    ACT_FOLLOW, /* the trace follows the selected connection, or shows all */
    ACT_MENU,
    ACT_PROMPT,
    ACT_HELP,
    ACT_QUIT,
};

/* A value: the knobs' bindings are made from their rows. */
struct key_binding {
    enum key_action act;
    int keys[4];           /* 0-terminated */
    char label[24];        /* the keys as the help shows them; "" for none (a key
                              listed with the one before) */
    char status_keys[16];  /* the keys in the status line, or "": not shown there */
    char status[16];       /* one word for the status line */
    char help[112];        /* what it does, and the command it runs */
};

enum key_action keymap_action(int key);
/* The bindings in the order the help lists them: 0 and *out, or -1 past
 * the last. */
int keymap_at(size_t i, struct key_binding *out);

#endif
