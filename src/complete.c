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

static void add_word(void *ctx, const char *word)
{
    add(ctx, word);
}

static void add_commands(struct sink *s)
{
    struct cmd_entry c;
    for (size_t i = 0; cmd_at(i, &c) == 0; i++)
        add(s, c.name);
}

/* The words a command's `names` allows besides clients. */
static void add_names(struct sink *s, unsigned names)
{
    if (names & NAMES_ALL)
        add(s, "all");
    if (names & NAMES_LISTENER)
        add(s, "listener");
    if (names & NAMES_SERVER)
        add(s, "server");
}

/* expect's target: "et:" in front names a side; the target follows it. */
static void add_targets(struct sink *s, struct engine *e, unsigned names)
{
    const char *bare = expect_target_name(s->prefix);
    struct sink inner = {s->c, bare, strlen(bare)};
    struct sink *t = s;
    char side[16] = "";
    if (bare != s->prefix) {
        snprintf(side, sizeof side, "%.*s", (int)(bare - s->prefix), s->prefix);
        t = &inner;
    }
    size_t before = s->c->n;
    add_clients(t, e, true);
    add_names(t, names);
    for (size_t i = before; side[0] && i < s->c->n; i++) {
        struct sbuf w = {0};
        sbuf_printf(&w, "%s%s", side, s->c->words[i]);
        free(s->c->words[i]);
        s->c->words[i] = xstrdup(sbuf_str(&w));
        sbuf_free(&w);
    }
}

/* The first argument, by what the command's entry says it takes. */
static void add_first(struct sink *s, struct engine *e, const char *const *dirs,
                      const struct cmd_entry *cmd)
{
    switch (cmd->complete) {
    case COMPLETE_NONE:
        break;
    case COMPLETE_KNOB:
        knob_completions(cmd->knob, add_word, s);
        break;
    case COMPLETE_RATES: {
        const unsigned *rates;
        for (size_t i = 0, n = engine_rate_steps(&rates); i < n; i++) {
            char rate[16];
            snprintf(rate, sizeof rate, "%u", rates[i]);
            add(s, rate);
        }
        break;
    }
    case COMPLETE_FILES:
        add_scenarios(s, dirs);
        break;
    case COMPLETE_COMMANDS:
        add_commands(s);
        break;
    case COMPLETE_MODES:
        knob_completions(knob_by_id(KNOB_MODE), add_word, s);
        add(s, COMPARE_OFF);
        break;
    case COMPLETE_CONN: /* open ones: what it acts on */
        add_conns(s, e, false);
        break;
    case COMPLETE_CONNS:
        add_conns(s, e, true);
        add_names(s, cmd->names);
        break;
    case COMPLETE_CLIENTS:
        add_clients(s, e, true);
        add_names(s, cmd->names);
        break;
    case COMPLETE_EXPECT:
        add_targets(s, e, cmd->names);
        break;
    case COMPLETE_SHOW:
        add(s, SHOW_KNOBS);
        break;
    }
}

/* After expect's target: TARGET [not] PROPERTY [OP N]; 'not' only before
 * a yes/no property, an operator only after a counted one. */
static void add_expect_rest(struct sink *s, char *const *words, int nw)
{
    static const char *const ops[] = {"=", "!=", "<", "<=", ">", ">=", NULL};
    enum expect_target t = expect_target_kind(expect_target_name(words[1]));
    if (nw == 2) {
        add(s, EXPECT_NOT);
        add_props(s, t, -1);
    } else if (!strcmp(words[2], EXPECT_NOT)) {
        add_props(s, t, 1);
    } else if (expect_prop_kind(t, words[2]) == 0) {
        add_list(s, ops);
    }
}

void complete_line(struct engine *e, const char *const *dirs, const char *line, size_t point,
                   struct completion *out)
{
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
    struct cmd_entry cmd;
    struct sbuf err = {0};
    if (nw == 0) {
        add_commands(&s);
    } else if (cmd_lookup(words[0], &cmd, &err) == 0) {
        if (nw == 1)
            add_first(&s, e, dirs, &cmd);
        else if (cmd.complete == COMPLETE_EXPECT && nw <= 3)
            add_expect_rest(&s, words, nw);
        else if (cmd.complete == COMPLETE_MODES && nw == 2 && strcmp(words[1], COMPARE_OFF) != 0)
            for (const struct knob_word *m = knob_by_id(KNOB_MODE)->words; m->word; m++)
                if (strcmp(m->word, words[1]) != 0)
                    add(&s, m->word);
    }
    sbuf_free(&err);
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
