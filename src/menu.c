/*
 * menu.c - the scenario menu: its lines (every *.scn of the directories,
 * with its title, or its first error if it does not load), its drawing
 * and its keys.
 */
#include "menu.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "scenario.h"
#include "scroll.h"

#define MENU_MARGIN 2  /* columns left free on each side */
#define MENU_MAX_W 100 /* wider terminals get a box this wide */
#define MENU_NAME_W 28 /* the file name's column, at most (else the widest name's) */

void menu_free(struct view *v)
{
    for (size_t i = 0; i < v->nitems; i++) {
        free(v->items[i].path);
        free(v->items[i].name);
        free(v->items[i].title);
    }
    free(v->items);
    v->items = NULL;
    v->nitems = v->cursor = 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct menu_item *)a)->name, ((const struct menu_item *)b)->name);
}

static void menu_add(struct view *v, const char *dir, const char *file)
{
    struct sbuf path = {0}, errors = {0}, name = {0};
    unsigned nerrors = 0;
    sbuf_printf(&path, "%s/%s", dir, file);
    for (size_t i = 0; i < v->nitems; i++)
        if (strcmp(v->items[i].name, file) == 0) /* an earlier directory wins */
            goto out;
    struct scenario *sc = scenario_load(sbuf_str(&path), &errors, &nerrors);
    v->items = xrealloc(v->items, (v->nitems + 1) * sizeof *v->items);
    struct menu_item *it = &v->items[v->nitems++];
    it->path = xstrdup(sbuf_str(&path));
    sbuf_add_sanitized(&name, file);
    it->name = xstrdup(sbuf_str(&name));
    it->broken = !sc;
    if (sc) {
        it->title = xstrdup(*scenario_title(sc) ? scenario_title(sc) : "(untitled)");
    } else {
        size_t first = strcspn(sbuf_str(&errors), "\n");
        struct sbuf t = {0};
        sbuf_addn(&t, sbuf_str(&errors), first);
        it->title = xstrdup(sbuf_str(&t));
        sbuf_free(&t);
    }
    scenario_free(sc);
out:
    sbuf_free(&path);
    sbuf_free(&errors);
    sbuf_free(&name);
}

void menu_load(struct view *v, const char *const *dirs, const char *current)
{
    menu_free(v);
    for (const char *const *d = dirs; d && *d; d++) {
        DIR *dir = opendir(*d);
        if (!dir)
            continue;
        size_t before = v->nitems;
        struct dirent *de;
        while ((de = readdir(dir))) {
            size_t len = strlen(de->d_name);
            if (len > 4 && strcmp(de->d_name + len - 4, ".scn") == 0)
                menu_add(v, *d, de->d_name);
        }
        closedir(dir);
        qsort(v->items + before, v->nitems - before, sizeof *v->items, by_name);
    }
    if (current) { /* the way back out of a lesson */
        v->items = xrealloc(v->items, (v->nitems + 1) * sizeof *v->items);
        memmove(v->items + 1, v->items, v->nitems * sizeof *v->items);
        v->items[0] = (struct menu_item){xstrdup(""), xstrdup("(free play)"),
                                         xstrdup("no lesson: the server for nc, on a fresh start"),
                                         false};
        v->nitems++;
    }
    for (size_t i = 0; current && i < v->nitems; i++)
        if (strcmp(v->items[i].path, current) == 0)
            v->cursor = i;
}

void menu_draw(const struct view *v, bool in_lesson, struct grid *g)
{
    const struct glyphs *gl = v->gl;
    int w = g->w - 2 * MENU_MARGIN < MENU_MAX_W ? g->w - 2 * MENU_MARGIN : MENU_MAX_W;
    int inner = (int)v->nitems ? (int)v->nitems : 1;
    int h = inner + 5;
    if (h > g->h - 2)
        h = g->h - 2;
    int x = (g->w - w) / 2, y = (g->h - h) / 2;
    int shown = h - 5;
    draw_box(g, x, y, w, h, gl, "scenarios");
    if (!v->nitems) {
        grid_put_clip(g, x + 2, y + 2, w - 4, ROLE_OVERLAY,
                      "no scenario files found (looked in ./scenarios and the installed set)",
                      gl->ellipsis);
    }
    int name_w = 0;
    for (size_t i = 0; i < v->nitems; i++)
        if (text_width(v->items[i].name) > name_w)
            name_w = text_width(v->items[i].name);
    if (name_w > MENU_NAME_W)
        name_w = MENU_NAME_W;
    size_t top = scroll_top(0, v->cursor, v->nitems, (size_t)shown);
    for (int i = 0; i < shown && top + (size_t)i < v->nitems; i++) {
        const struct menu_item *it = &v->items[top + (size_t)i];
        bool cur = top + (size_t)i == v->cursor;
        int row = y + 2 + i;
        enum role r = cur ? ROLE_OVERLAY_SEL : ROLE_OVERLAY;
        grid_fill(g, x + 1, row, w - 2, r, " ");
        if (cur)
            grid_put(g, x + 1, row, r, gl->selected);
        int nx = grid_put_clip(g, x + 3, row, name_w, r, it->name, gl->ellipsis);
        if (nx < x + 5 + name_w)
            nx = x + 5 + name_w;
        grid_put_clip(g, nx, row, x + w - 2 - nx, it->broken ? ROLE_ERROR : r, it->title,
                      gl->ellipsis);
    }
    struct sbuf foot = {0};
    sbuf_printf(&foot, "%s choose   Enter open   Esc %s", gl->up_down,
                in_lesson ? "close" : "free play");
    grid_put_clip(g, x + 2, y + h - 2, w - 4, ROLE_DIM, sbuf_str(&foot), gl->ellipsis);
    sbuf_free(&foot);
}

enum menu_result menu_key(struct view *v, int key)
{
    if (key == KEY_CODE_ESC || key == 'q' || key == 's') {
        v->overlay = OVERLAY_NONE;
        return MENU_CLOSED;
    }
    if (key == KEY_CODE_ENTER || key == '\r' || key == ' ') {
        if (!v->nitems)
            return MENU_KEPT;
        v->overlay = OVERLAY_NONE;
        return MENU_CHOSEN;
    }
    /* A page is the whole menu: PgUp and PgDn go to its ends. */
    scroll_key(&v->cursor, keymap_action(key), v->nitems, v->nitems);
    return MENU_KEPT;
}
