/*
 * menu.c - the scenario menu's lines: every *.scn of the directories, with
 * its title, or its first error if it does not load.
 */
#include "menu.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

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
