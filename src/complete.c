/*
 * complete.c - Tab completion for the command language.
 */
#include "complete.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "expect.h"
#include "server.h"

struct sink {
    struct completion *c;
    const char *prefix;
    size_t plen;
};

static void add(struct sink *s, const char *word)
{
    if (strncmp(word, s->prefix, s->plen) != 0)
        return;
    for (size_t i = 0; i < s->c->n; i++)
        if (strcmp(s->c->words[i], word) == 0)
            return;
    s->c->words = xrealloc(s->c->words, (s->c->n + 1) * sizeof *s->c->words);
    s->c->words[s->c->n++] = xstrdup(word);
}

static void add_list(struct sink *s, const char *const *words)
{
    for (; *words; words++)
        add(s, *words);
}

static void add_clients(struct sink *s, struct engine *e, bool groups)
{
    struct client_set *cs = engine_clients(e);
    for (size_t i = 0; i < client_count(cs); i++) {
        const char *name = client_at(cs, i)->name;
        add(s, name);
        const char *dot = strrchr(name, '.');
        if (groups && dot) { /* w.3 also offers the group w */
            char group[CLIENT_NAME_MAX + 8];
            snprintf(group, sizeof group, "%.*s", (int)(dot - name), name);
            add(s, group);
        }
    }
}

/* Open connections by label; with groups, w for scripted w.1, w.2 ... */
static void add_conns(struct sink *s, struct engine *e, bool groups)
{
    struct server *srv = engine_server(e);
    for (size_t i = 0; i < server_conn_count(srv); i++) {
        const struct conn *c = server_conn_at(srv, i);
        if (c->fd < 0)
            continue;
        add(s, c->label);
        const char *dot = strrchr(c->label, '.');
        if (groups && c->scripted && dot) {
            char group[CONN_LABEL_MAX];
            snprintf(group, sizeof group, "%.*s", (int)(dot - c->label), c->label);
            add(s, group);
        }
    }
}

/* kind: -1 every property, 0 counted ones, 1 yes/no ones */
static void add_props(struct sink *s, enum expect_target t, int kind)
{
    struct sbuf list = {0};
    expect_list_props(t, &list);
    char *p = list.s;
    while (p && *p) {
        size_t n = strcspn(p, ",");
        char word[32];
        snprintf(word, sizeof word, "%.*s", (int)n, p);
        if (kind < 0 || expect_prop_kind(t, word) == kind)
            add(s, word);
        p += n;
        while (*p == ',' || *p == ' ')
            p++;
    }
    sbuf_free(&list);
}

/* The same directory may be listed twice (./scenarios and the one beside
 * the binary): each is read once, under the first name it was given. */
static bool seen_dir(const char *const *first, const char *const *dir)
{
    char a[PATH_MAX], b[PATH_MAX];
    if (!realpath(*dir, b))
        return false;
    for (const char *const *d = first; d < dir; d++)
        if (realpath(*d, a) && strcmp(a, b) == 0)
            return true;
    return false;
}

static void add_scenarios(struct sink *s, const char *const *dirs)
{
    for (const char *const *first = dirs; dirs && *dirs; dirs++) {
        if (seen_dir(first, dirs))
            continue;
        DIR *d = opendir(*dirs);
        if (!d)
            continue;
        struct dirent *de;
        while ((de = readdir(d))) {
            size_t len = strlen(de->d_name);
            if (len <= 4 || strcmp(de->d_name + len - 4, ".scn") != 0)
                continue;
            struct sbuf path = {0};
            sbuf_printf(&path, "%s/%s", *dirs, de->d_name);
            add(s, sbuf_str(&path));
            sbuf_free(&path);
        }
        closedir(d);
    }
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void complete_line(struct engine *e, const char *const *dirs, const char *line, size_t point,
                   struct completion *out)
{
    static const char *const modes[] = {"lt", "et", "oneshot", NULL};
    static const char *const budgets[] = {"1", "16", "64", "512", "drain", NULL};
    static const char *const accepts[] = {"one", "all", NULL};
    static const char *const onoff[] = {"on", "off", NULL};
    static const char *const eofs[] = {"close", "ignore", NULL};
    static const char *const rates[] = {"1", "2", "4", "8", "16", "32", "64", NULL};
    static const char *const ops[] = {"=", "!=", "<", "<=", ">", ">=", NULL};

    memset(out, 0, sizeof *out);
    /* The words before the cursor; the last one is being completed. */
    char *head = xmalloc(point + 1);
    memcpy(head, line, point);
    head[point] = '\0';
    size_t start = point;
    while (start > 0 && head[start - 1] != ' ' && head[start - 1] != '\t')
        start--;
    out->start = start;
    struct sink s = {out, head + start, point - start};

    char *words[4] = {0};
    int nw = 0;
    for (char *w = strtok(head, " \t"); w && nw < 4; w = strtok(NULL, " \t")) {
        if (w >= head + start)
            break;
        words[nw++] = w;
    }
    const struct cmd_entry *cmd = NULL;
    if (nw > 0) {
        struct sbuf err = {0};
        cmd = cmd_lookup(words[0], &err);
        sbuf_free(&err);
    }
    if (nw == 0) {
        for (size_t i = 0; i < cmd_count(); i++)
            add(&s, cmd_at(i)->name);
    } else if (cmd) {
        const char *name = cmd->name;
        if (nw == 1) {
            if (!strcmp(name, "mode"))
                add_list(&s, modes);
            else if (!strcmp(name, "budget"))
                add_list(&s, budgets);
            else if (!strcmp(name, "accept"))
                add_list(&s, accepts);
            else if (!strcmp(name, "autorearm") || !strcmp(name, "twin"))
                add_list(&s, onoff);
            else if (!strcmp(name, "eof"))
                add_list(&s, eofs);
            else if (!strcmp(name, "run"))
                add_list(&s, rates);
            else if (!strcmp(name, "load"))
                add_scenarios(&s, dirs);
            else if (!strcmp(name, "help"))
                for (size_t i = 0; i < cmd_count(); i++)
                    add(&s, cmd_at(i)->name);
            else if (!strcmp(name, "compare")) {
                add_list(&s, modes);
                add(&s, "off");
            } else if (!strcmp(name, "drain") || !strcmp(name, "drop") || !strcmp(name, "select")) {
                add_conns(&s, e, strcmp(name, "select") != 0); /* open ones: what it acts on */
                if (strcmp(name, "select") != 0)
                    add(&s, "all");
            } else if (!strcmp(name, "expect")) {
                /* "et:" in front names a side; the target follows it. */
                const char *bare = expect_target_name(s.prefix);
                struct sink inner = {out, bare, strlen(bare)};
                struct sink *t = &s;
                char side[16] = "";
                if (bare != s.prefix) {
                    snprintf(side, sizeof side, "%.*s", (int)(bare - s.prefix), s.prefix);
                    t = &inner;
                }
                size_t before = out->n;
                add_clients(t, e, true);
                add(t, "listener");
                add(t, "server");
                for (size_t i = before; side[0] && i < out->n; i++) {
                    struct sbuf w = {0};
                    sbuf_printf(&w, "%s%s", side, out->words[i]);
                    free(out->words[i]);
                    out->words[i] = xstrdup(sbuf_str(&w));
                    sbuf_free(&w);
                }
            } else if (cmd->names & NAMES_CLIENT) {
                add_clients(&s, e, true);
                if (cmd->names & NAMES_ALL)
                    add(&s, "all");
                if (cmd->names & NAMES_LISTENER)
                    add(&s, "listener");
            }
        } else if (!strcmp(name, "expect") && nw <= 3) {
            /* The grammar: TARGET [not] PROPERTY [OP N]; 'not' only before
             * a yes/no property, an operator only after a counted one. */
            const char *target = expect_target_name(words[1]);
            enum expect_target t = !strcmp(target, "listener") ? TARGET_LISTENER
                                   : !strcmp(target, "server") ? TARGET_SERVER
                                                                : TARGET_CONN;
            if (nw == 2) {
                add(&s, "not");
                add_props(&s, t, -1);
            } else if (!strcmp(words[2], "not")) {
                add_props(&s, t, 1);
            } else if (expect_prop_kind(t, words[2]) == 0) {
                add_list(&s, ops);
            }
        } else if (!strcmp(name, "compare") && nw == 2 && strcmp(words[1], "off") != 0) {
            for (const char *const *m = modes; *m; m++)
                if (strcmp(*m, words[1]) != 0)
                    add(&s, *m);
        }
    }
    if (out->n > 1)
        qsort(out->words, out->n, sizeof *out->words, by_text);
    free(head);
}

void completion_free(struct completion *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->words[i]);
    free(c->words);
    memset(c, 0, sizeof *c);
}
