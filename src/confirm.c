/*
 * confirm.c - the y/n box asked before something the class would lose:
 * its text, its drawing and its keys.
 */
#include "confirm.h"

#include <stdio.h>

#define CONFIRM_H 6       /* border, blank, text, keys, blank, border */
#define CONFIRM_MIN_W 50

void confirm_open(struct view *v, const char *title, const char *what, const char *yes)
{
    snprintf(v->confirm_title, sizeof v->confirm_title, "%s", title);
    snprintf(v->confirm_text, sizeof v->confirm_text, "%s", what);
    snprintf(v->confirm_yes, sizeof v->confirm_yes, "%s", yes);
    v->overlay = OVERLAY_CONFIRM;
}

void confirm_draw(const struct view *v, struct grid *g)
{
    const struct glyphs *gl = v->gl;
    int w = text_width(v->confirm_text) + 6, h = CONFIRM_H;
    if (w < CONFIRM_MIN_W)
        w = CONFIRM_MIN_W;
    if (w > g->w - 2)
        w = g->w - 2;
    int x = (g->w - w) / 2, y = (g->h - h) / 2;
    draw_box(g, x, y, w, h, gl, v->confirm_title);
    grid_put_clip(g, x + 2, y + 2, w - 4, ROLE_OVERLAY, v->confirm_text, gl->ellipsis);
    int kx = grid_put(g, x + 2, y + 3, ROLE_KEY, "y");
    kx = grid_putf(g, kx, y + 3, ROLE_OVERLAY, " %s   ", v->confirm_yes);
    kx = grid_put(g, kx, y + 3, ROLE_KEY, "n");
    grid_put(g, kx, y + 3, ROLE_OVERLAY, " keep going");
}

bool confirm_key(struct view *v, int key, bool q_means_yes)
{
    v->overlay = OVERLAY_NONE;
    return key == 'y' || key == 'Y' || (q_means_yes && key == 'q');
}
