/*
 * widgets.h - the pieces every panel is made of: glyph sets, the fill bar,
 * the timeline strip, byte counts and word wrapping.
 *
 * All draw into a grid and are tested on their own (tests/unit/test_view.c).
 */
#ifndef EPOLLVIZ_WIDGETS_H
#define EPOLLVIZ_WIDGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "grid.h"

/* Every character the screen draws beyond plain text, in Unicode and in
 * ASCII (for --ascii and terminals whose locale is not UTF-8). */
struct glyphs {
    const char *bar_full, *bar_empty, *bar_open, *bar_close;
    const char *const *eighths; /* partial bar cells 1/8..7/8, NULL in ASCII */
    const char *level, *arrival, *no_level, *wake, *closed;
    const char *second_wake, *both_wake; /* a second epoll set alone (twin on), or both */
    const char *idle_wake; /* the out row: EPOLLOUT with nothing to write */
    const char *selected, *ok, *fail, *rule, *ellipsis, *bullet;
    const char *up_down;
    const char *vline, *top_left, *top_right, *bottom_left, *bottom_right;
    const char *tee_down, *tee_left, *tee_right, *cross; /* where a divider meets a rule */
};

const struct glyphs *glyphs_for(bool ascii);

/* A bar of `width` cells between bar_open and bar_close (width + 2 columns
 * in all) showing value of max.  Any value above 0 shows at least a sliver,
 * and only a full buffer fills the bar. */
void fill_bar(struct grid *g, int x, int y, int width, uint64_t value, uint64_t max,
              const struct glyphs *gl, enum role full);

/* The timeline of the last `width` ticks up to and including `now`: the
 * level row at y (data waiting; arrivals marked) and the wakeup row at
 * y + 1.  Ticks before the socket existed stay blank. */
void timeline_strip(struct grid *g, int x, int y, int width, const struct timeline *t,
                    uint64_t now, const struct glyphs *gl);

/* The write side's row of the same ticks at y (the panel's `out`): level
 * where replies waited to be written (in the starved role when
 * write-starved), wake where epoll_wait reported EPOLLOUT with replies to
 * write, idle_wake where it reported EPOLLOUT with nothing to write,
 * no_level where neither; blank where the level row is blank or closed. */
void out_strip(struct grid *g, int x, int y, int width, const struct timeline *t,
               const struct wtimeline *w, uint64_t now, const struct glyphs *gl);

/* A box of w x h cells at x, y with `title` (or NULL) in its top border,
 * its inside blanked: every overlay is drawn in one. */
void draw_box(struct grid *g, int x, int y, int w, int h, const struct glyphs *gl,
              const char *title);

/* Splits text into lines of at most `width` columns, breaking at spaces
 * (a word longer than a line is cut).  Returns the number of lines, and
 * stores at most `max` of them, each a malloc'd string, in lines[]. */
size_t wrap_text(const char *text, int width, char **lines, size_t max);

/* Writes text from (x, y) in lines of at most w columns broken at spaces,
 * on at most max_rows rows (the last cut with ellipsis if it must be);
 * returns the rows it took.  With g NULL, only counts them. */
int put_wrapped(struct grid *g, int x, int y, int w, int max_rows, enum role r, const char *text,
                const char *ellipsis);

/* A pane's top rule across row y: `title` at the left, `right` (or NULL)
 * at the right, each in the title's colour. */
void title_rule(struct grid *g, int y, const struct glyphs *gl, const char *title,
                const char *right);

#endif
