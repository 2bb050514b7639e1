/*
 * scroll.h - the one scrolling list: a cursor (or none) in `count` lines,
 * of which `rows` show from `top`.  Serves the scenario menu, the text
 * overlay (help) and the dense list of connections.
 *
 * Pure functions of numbers: the caller keeps the state and a renderer
 * can compute where a list stands without writing anything.
 */
#ifndef EPOLLVIZ_SCROLL_H
#define EPOLLVIZ_SCROLL_H

#include <stdbool.h>
#include <stddef.h>

#include "keymap.h"

/* The first line to show so that `cursor` is in sight, moving as little
 * as possible from `top`, and never past the end (no blank rows below
 * when there are lines enough).  rows 0 shows nothing: top stays. */
size_t scroll_top(size_t top, size_t cursor, size_t count, size_t rows);

/* For a list without a cursor (text): top kept in [0, count - rows]. */
size_t scroll_clamp(size_t top, size_t count, size_t rows);

/* Moves `*at` (a cursor, or a text's top) for a key action: up/down one
 * line, a page of `page` lines, first, last.  Clamped to [0, count); a
 * list of no lines keeps 0.  False if the action does not move lists. */
bool scroll_key(size_t *at, enum key_action a, size_t count, size_t page);

#endif
