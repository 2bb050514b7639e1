/*
 * menu.h - the lines of the scenario menu, kept in the view.
 *
 * Each line is a scenario file with its title (or, if it does not load,
 * its first error, shown so a teacher sees why).  The same file name in a
 * later directory is the same lesson installed twice: the first wins.
 */
#ifndef EPOLLVIZ_MENU_H
#define EPOLLVIZ_MENU_H

#include "render.h"

/* Fills v->items from dirs (NULL-terminated).  With `current` (the open
 * lesson's path) the first line is "(free play)", whose path is "", and
 * the cursor starts on the open lesson. */
void menu_load(struct view *v, const char *const *dirs, const char *current);
void menu_free(struct view *v);

#endif
