/*
 * handout.c - a lesson as Markdown (see handout.h).
 *
 * The screens are screens.c's, from its walk of the lesson: a handout
 * shows what the class saw, at one size.  Only the layout of the text is
 * this file's.
 */
#include "handout.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "screens.h"

struct handout {
    const struct options *o;
    FILE *out;
    struct sbuf rules; /* the "Rule:" paragraphs met so far */
};

/* A fence longer than any run of backticks in text, so no screen closes
 * its block early. */
static unsigned fence_len(const char *text)
{
    unsigned longest = 0, run = 0;
    for (const char *s = text; *s; s++) {
        run = *s == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    return longest < 3 ? 3 : longest + 1;
}

static void fenced(FILE *out, const char *info, const char *text)
{
    unsigned n = fence_len(text);
    for (unsigned i = 0; i < n; i++)
        fputc('`', out);
    fprintf(out, "%s\n%s", info, text);
    if (*text && text[strlen(text) - 1] != '\n')
        fputc('\n', out);
    for (unsigned i = 0; i < n; i++)
        fputc('`', out);
    fputs("\n\n", out);
}

static void screen_page(void *ctx, unsigned page, unsigned pages, const char *text)
{
    struct handout *h = ctx;
    if (pages > 1)
        fprintf(h->out, "Screen, narration page %u of %u:\n\n", page + 1, pages);
    else
        fputs("Screen:\n\n", h->out);
    fenced(h->out, "text", text);
}

/* One paragraph per said line; the rule's are also kept for the end. */
static void narration(struct handout *h, const char *text)
{
    while (*text) {
        size_t n = strcspn(text, "\n");
        if (n) {
            fprintf(h->out, "%.*s\n\n", (int)n, text);
            if (strncmp(text, "Rule:", 5) == 0)
                sbuf_printf(&h->rules, "%.*s\n\n", (int)n, text);
        }
        text += n + (text[n] == '\n');
    }
}

static void step(void *ctx, struct presenter *p, struct grid *g)
{
    struct handout *h = ctx;
    const struct scenario *sc = presenter_scenario(p);
    const struct engine *e = presenter_engine(p);
    fprintf(h->out, "## Step %u of %u\n\n", scenario_step(sc), scenario_steps(sc));
    narration(h, engine_narration(e));
    if (engine_step_expects(e)) {
        fputs("Expects:\n\n", h->out);
        for (size_t i = 0; i < engine_step_expects(e); i++) {
            const struct expect_result *r = engine_step_expect(e, i);
            fprintf(h->out, "- `%s`: %s (%s)\n", r->text, r->passed ? "passed" : "FAILED",
                    r->detail);
        }
        fputs("\n", h->out);
    }
    screens_pages(p, h->o->handout_size.w, h->o->handout_size.h, g, screen_page, h);
}

/* The title and how many steps come from the file itself, before the
 * walk prints anything. */
int handout_write(const struct options *o, FILE *out)
{
    struct sbuf err = {0};
    unsigned nerrors = 0;
    struct scenario *sc = scenario_load(o->scenario, &err, &nerrors);
    if (!sc) {
        scenario_error_tally(&err, nerrors);
        fprintf(stderr, "%s\n", sbuf_str(&err));
        sbuf_free(&err);
        return 2;
    }
    sbuf_free(&err);
    const char *title = *scenario_title(sc) ? scenario_title(sc) : scenario_name(sc);
    fprintf(out, "# %s\n\n", title);
    fprintf(out, "Lesson `%s`, %u steps. Each screen is the terminal UI's at %dx%d after the step.\n\n",
            scenario_name(sc), scenario_steps(sc), o->handout_size.w, o->handout_size.h);
    fputs("## How to run it live\n\n", out);
    struct sbuf cmd = {0};
    sbuf_printf(&cmd, "epollviz %s\n", scenario_name(sc));
    fenced(out, "sh", sbuf_str(&cmd));
    sbuf_free(&cmd);
    fputs("Space (or n) runs the next step; ? lists the keys.\n\n", out);
    scenario_free(sc);

    struct handout h = {o, out, {0}};
    int status = screens_walk(o, step, &h);
    fputs("## The rule\n\n", out);
    fputs(h.rules.len ? sbuf_str(&h.rules) : "This lesson states no rule.\n\n", out);
    sbuf_free(&h.rules);
    return status;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.scn names of dir, sorted; the count (0 if none or no dir). */
static size_t lessons(const char *dir, char ***names)
{
    size_t n = 0;
    *names = NULL;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len > 4 && strcmp(de->d_name + len - 4, ".scn") == 0) {
            *names = xrealloc(*names, (n + 1) * sizeof **names);
            (*names)[n++] = xstrdup(de->d_name);
        }
    }
    closedir(d);
    if (n)
        qsort(*names, n, sizeof **names, by_name);
    return n;
}

static FILE *create(const char *dir, const char *name, struct sbuf *path)
{
    sbuf_reset(path);
    sbuf_printf(path, "%s/%s", dir, name);
    FILE *f = fopen(sbuf_str(path), "w");
    if (!f)
        fprintf(stderr, "epollviz: cannot write %s: %s\n", sbuf_str(path), strerror(errno));
    return f;
}

int handout_all(const struct options *o, const char *const *dirs)
{
    char **names = NULL;
    size_t n = 0;
    const char *from = NULL;
    for (const char *const *d = dirs; *d && !n; d++)
        if ((n = lessons(*d, &names)))
            from = *d;
    if (!n) {
        fprintf(stderr, "epollviz: --handout all: no lessons (*.scn) in %s or the other places "
                        "the menu looks\n", dirs[0]);
        return 2;
    }
    if (mkdir(o->handout_dir, 0777) < 0 && errno != EEXIST) {
        fprintf(stderr, "epollviz: cannot make %s: %s\n", o->handout_dir, strerror(errno));
        return 2;
    }
    struct sbuf path = {0}, scn = {0}, md = {0}, index = {0};
    int status = 0;
    sbuf_add(&index, "# epollviz lessons\n\n");
    for (size_t i = 0; i < n && status < 2; i++) {
        sbuf_reset(&scn);
        sbuf_printf(&scn, "%s/%s", from, names[i]);
        sbuf_reset(&md);
        sbuf_printf(&md, "%.*s.md", (int)(strlen(names[i]) - 4), names[i]);
        FILE *f = create(o->handout_dir, sbuf_str(&md), &path);
        if (!f) {
            status = 2;
            break;
        }
        struct options one = *o;
        one.scenario = sbuf_str(&scn);
        int rc = handout_write(&one, f);
        if (fclose(f) != 0) {
            fprintf(stderr, "epollviz: cannot write %s: %s\n", sbuf_str(&path), strerror(errno));
            rc = 2;
        }
        if (rc > status)
            status = rc;
        /* The index links each by its title, the handout's first line. */
        struct sbuf err = {0};
        unsigned nerrors = 0;
        struct scenario *sc = scenario_load(sbuf_str(&scn), &err, &nerrors);
        sbuf_printf(&index, "%zu. [%s](%s)\n", i + 1,
                    sc && *scenario_title(sc) ? scenario_title(sc) : names[i], sbuf_str(&md));
        scenario_free(sc);
        sbuf_free(&err);
    }
    if (status < 2) {
        FILE *f = create(o->handout_dir, "index.md", &path);
        if (!f || fputs(sbuf_str(&index), f) < 0 || fclose(f) != 0)
            status = 2;
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    sbuf_free(&path);
    sbuf_free(&scn);
    sbuf_free(&md);
    sbuf_free(&index);
    return status;
}
