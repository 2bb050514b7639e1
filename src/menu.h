/*
 * menu.h - the scenario menu overlay: its lines (kept in the view), its
 * drawing and its keys.
 *
 * Each line is a scenario file with its title (or, if it does not load,
 * its first error, shown so a teacher sees why).  The same file name in a
 * later directory is the same lesson installed twice: the first wins.
 */
#ifndef EPOLLVIZ_MENU_H
#define EPOLLVIZ_MENU_H

#include "grid.h"
#include "view.h"

/* Fills v->items from dirs (NULL-terminated).  With `current` (the open
 * lesson's path) the first line is "(free play)", whose path is "", and
 * the cursor starts on the open lesson. */
void menu_load(struct view *v, const char *const *dirs, const char *current);
void menu_free(struct view *v);

/* The menu over whatever is on g; `in_lesson` says what Esc goes back to. */
void menu_draw(const struct view *v, bool in_lesson, struct grid *g);

enum menu_result {
    MENU_KEPT,   /* still open (the cursor may have moved) */
    MENU_CLOSED, /* Esc, q, s: closed, nothing chosen */
    MENU_CHOSEN, /* Enter or space: closed, v->items[v->cursor] chosen */
};
enum menu_result menu_key(struct view *v, int key);

#endif
