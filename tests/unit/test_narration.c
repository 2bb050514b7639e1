/*
 * test_narration.c - the narration pane never cuts a sentence: pages
 * break where a sentence begins, and in every lesson, at every size a
 * class may use, each sentence a step says can be read whole on some page
 * of that step, and no page shows part of one (the end of a page's last
 * sentence, or the start of the next page's first, on a shared line).
 */
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"
#include "harness.h"
#include "narration.h"
#include "scenario.h"

void test_narration_pages_start_at_sentences(void)
{
    struct narration nr;
    /* 12 columns: "One two." | "Three four" | "five six." | "Seven." */
    narration_wrap(&nr, "One two. Three four five six. Seven.", 12);
    REQUIRE(nr.n == 4);
    CHECK_STR(nr.line[1], "Three four");
    CHECK_EQ(nr.sentence_from[0], 0);
    CHECK_EQ(nr.sentence_from[1], 1); /* "Three" begins the line */
    CHECK_EQ(nr.sentence_from[2], 1); /* and goes on here */
    CHECK_EQ(nr.sentence_from[3], 3);
    size_t starts[8];
    /* Two rows a page: the second sentence would be cut at row 2, so the
     * second page starts with it. */
    CHECK_EQ(narration_pages(&nr, 0, 2, starts, 8), 3);
    CHECK_EQ(starts[0], 0);
    CHECK_EQ(starts[1], 1);
    CHECK_EQ(starts[2], 3);
    /* Everything fits: one page. */
    CHECK_EQ(narration_pages(&nr, 2, 6, starts, 8), 1);
    /* Expects after the narration are sentences of their own. */
    CHECK_EQ(narration_pages(&nr, 3, 4, starts, 8), 2);
    CHECK_EQ(starts[1], 4);
    /* A sentence longer than a page goes on where the page stopped. */
    narration_free(&nr);
    narration_wrap(&nr, "a b c d e f g h i j k l m n o p.", 4);
    CHECK_EQ(narration_pages(&nr, 0, 2, starts, 8), (nr.n + 1) / 2);
    CHECK_EQ(starts[1], 2);
    narration_free(&nr);
    /* A sentence that ends mid-line: the next one begins on that line. */
    narration_wrap(&nr, "Aa. Bb cc dd ee.", 7);
    REQUIRE(nr.n == 3); /* "Aa. Bb" "cc dd" "ee." */
    CHECK_EQ(nr.sentence_from[1], 0);
    CHECK_EQ(nr.sentence_from[2], 0);
    narration_free(&nr);
}

/* Every sentence of the text is whole on some page of `rows` lines, as
 * narration_page_span says the pane shows it. */
static void sentences_whole_in_pages(const char *text, int width, size_t rows)
{
    struct narration nr;
    size_t starts[64];
    narration_wrap(&nr, text, width);
    size_t pages = narration_pages(&nr, 0, rows, starts, 64);
    /* Sentence by sentence: the lines it spans, found by their text. */
    struct sbuf joined = {0};
    for (const char *p = text; *p;) {
        size_t n = 0;
        while (p[n] && !(p[n] == '.' && (p[n + 1] == ' ' || !p[n + 1])))
            n++;
        if (p[n])
            n++;
        char sentence[256];
        snprintf(sentence, sizeof sentence, "%.*s", (int)n, p);
        /* The lines it spans: a sentence longer than a page cannot be
         * whole on one, whatever the pages do. */
        size_t first = 0, last = 0, at = 0;
        sbuf_reset(&joined);
        for (size_t i = 0; i < nr.n; i++)
            sbuf_printf(&joined, "%s ", nr.line[i]);
        const char *hit = strstr(sbuf_str(&joined), sentence);
        REQUIRE(hit);
        size_t from = (size_t)(hit - sbuf_str(&joined)), to = from + n - 1;
        for (size_t i = 0; i < nr.n; at += strlen(nr.line[i]) + 1, i++) {
            if (from >= at)
                first = i;
            if (to >= at)
                last = i;
        }
        p += n;
        while (*p == ' ')
            p++;
        if (last - first + 1 > rows)
            continue;
        bool found = false;
        for (size_t k = 0; k < pages && !found; k++) {
            struct narration_page pg;
            narration_page_span(&nr, nr.n, rows, starts, pages, k, &pg);
            char *lines[64];
            size_t nl = narration_page_lines(&nr, &pg, lines, 64);
            CHECK(nl <= pg.end - pg.from + (pg.head > 0));
            sbuf_reset(&joined);
            for (size_t i = 0; i < nl; i++) {
                sbuf_printf(&joined, "%s ", lines[i]);
                free(lines[i]);
            }
            found = strstr(sbuf_str(&joined), sentence) != NULL;
        }
        if (!found)
            harness_fail(__FILE__, __LINE__, "width %d, %zu rows: not whole on any page: \"%s\"",
                         width, rows, sentence);
    }
    sbuf_free(&joined);
    narration_free(&nr);
}

void test_narration_a_sentence_ending_mid_line_stays_whole(void)
{
    /* At 20 columns "Bb cc dd ee ff. Gg" ends one sentence mid-line and
     * begins the next: the page that shows the first must show that line. */
    static const char text[] = "Aa aa aa aa aa. Bb cc dd ee ff. Gg hh ii jj kk ll mm nn. Oo pp.";
    for (int width = 12; width <= 30; width++)
        for (size_t rows = 2; rows <= 4; rows++)
            sentences_whole_in_pages(text, width, rows);
}

/* The row of the narration pane's rule ("step N of M"); -1 if none. */
static int narration_rule(const struct grid *g)
{
    struct sbuf r = {0};
    int rule = -1;
    for (int y = 0; y < g->h && rule < 0; y++)
        if (strstr(row(g, y, &r), " step ") && strstr(sbuf_str(&r), " of "))
            rule = y;
    sbuf_free(&r);
    return rule;
}

/* The narration pane's text on the screen: the rows under its rule, up to
 * the message line, joined by single spaces. */
static void pane_text(const struct grid *g, struct sbuf *out)
{
    struct sbuf r = {0};
    int rule = narration_rule(g);
    for (int y = rule + 1; rule >= 0 && y < g->h - 2; y++) {
        const char *t = row(g, y, &r);
        while (*t == ' ')
            t++;
        if (*t) {
            sbuf_add(out, t);
            sbuf_addc(out, ' ');
        }
    }
    sbuf_free(&r);
}

/* The narration pane's sentences on the screen: its rows under the rule,
 * joined by single spaces, for as long as they are text of `flat` (the
 * step's narration on one line): up to an expect, a blank row or the
 * message line. */
static void pane_sentences(const struct grid *g, const char *flat, struct sbuf *out)
{
    struct sbuf r = {0}, more = {0};
    int rule = narration_rule(g);
    for (int y = rule + 1; rule >= 0 && y < g->h - 1; y++) {
        const char *t = row(g, y, &r);
        while (*t == ' ')
            t++;
        if (!*t)
            break;
        sbuf_reset(&more);
        sbuf_printf(&more, "%s%s%s", sbuf_str(out), *sbuf_str(out) ? " " : "", t);
        if (!strstr(flat, sbuf_str(&more)))
            break;
        sbuf_reset(out);
        sbuf_add(out, sbuf_str(&more));
    }
    sbuf_free(&r);
    sbuf_free(&more);
}

static bool is_stop(char c)
{
    return c == '.' || c == '?' || c == '!';
}

/* A page shows whole sentences only: its text is `said`'s (`flat`: the
 * same on one line) from the start of a sentence (or paragraph) to the end
 * of one; reports a page that begins or ends inside a sentence, which the
 * class would read half of. */
static void no_sentence_half(const char *lesson, unsigned step, int w, int h, const char *said,
                             const char *flat, const char *shown, unsigned page)
{
    const char *hit = *shown ? strstr(flat, shown) : NULL;
    if (!hit)
        return;
    size_t at = (size_t)(hit - flat), end = at + strlen(shown);
    bool starts = at == 0 || said[at - 1] == '\n' || (at >= 2 && said[at - 1] == ' ' && is_stop(said[at - 2]));
    bool ends = !said[end] || said[end] == '\n' || (is_stop(said[end - 1]) && said[end] == ' ');
    if (!starts || !ends)
        harness_fail(__FILE__, __LINE__, "%s step %u at %dx%d, page %u %s inside a sentence: \"%s\"",
                     lesson, step, w, h, page + 1, !starts ? "begins" : "ends", shown);
}

/* Each sentence of `said` (split after . ? ! and at paragraphs) is in one
 * of the pages' texts; reports the first that is not. */
static void every_sentence_whole(const char *lesson, unsigned step, int w, int h,
                                 const char *said, const struct sbuf *pages, unsigned npages)
{
    const char *p = said;
    while (*p) {
        while (*p == ' ' || *p == '\n')
            p++;
        size_t n = 0;
        while (p[n] && p[n] != '\n' &&
               !((p[n] == '.' || p[n] == '?' || p[n] == '!') && (p[n + 1] == ' ' || !p[n + 1] || p[n + 1] == '\n')))
            n++;
        if (p[n] && p[n] != '\n')
            n++; /* the stop itself */
        if (!n)
            break;
        char sentence[512];
        snprintf(sentence, sizeof sentence, "%.*s", (int)n, p);
        bool found = false;
        for (unsigned i = 0; i < npages && !found; i++)
            found = strstr(sbuf_str(&pages[i]), sentence) != NULL;
        if (!found)
            harness_fail(__FILE__, __LINE__, "%s step %u at %dx%d: not whole on any page: \"%s\"",
                         lesson, step, w, h, sentence);
        p += n;
    }
}

static void check_lesson(const char *path, bool compare)
{
    static const int sizes[][2] = {{80, 24}, {100, 30}};
    for (size_t k = 0; k < ARRAY_LEN(sizes); k++) {
        struct presenter *p = fixture_presenter_at(__FILE__, __LINE__, path, NULL, compare);
        if (!p)
            return;
        int w = sizes[k][0], h = sizes[k][1];
        presenter_resize(p, w, h);
        struct grid g = {0};
        for (;;) {
            while (presenter_busy(p))
                presenter_work(p);
            const struct scenario *sc = presenter_scenario(p);
            unsigned step = scenario_step(sc);
            struct sbuf pages[16] = {{0}}, shown[16] = {{0}};
            unsigned npages = 0;
            char *said = xstrdup(engine_narration(presenter_engine(p))), *flat = xstrdup(said);
            for (char *c = flat; *c; c++)
                if (*c == '\n')
                    *c = ' ';
            /* Space until the step changes (or the lesson ends): each
             * press shows the next page. */
            for (;;) {
                presenter_render(p, &g);
                if (npages < ARRAY_LEN(pages)) {
                    pane_sentences(&g, flat, &shown[npages]);
                    pane_text(&g, &pages[npages++]);
                }
                if (presenter_narration_pages(p) <= 1 || npages >= presenter_narration_pages(p))
                    break;
                presenter_key(p, ' ');
            }
            every_sentence_whole(path, step, w, h, said, pages, npages);
            for (unsigned i = 0; i < npages; i++)
                no_sentence_half(path, step, w, h, said, flat, sbuf_str(&shown[i]), i);
            free(said);
            free(flat);
            for (unsigned i = 0; i < npages; i++) {
                sbuf_free(&pages[i]);
                sbuf_free(&shown[i]);
            }
            if (scenario_done(sc))
                break;
            presenter_key(p, ' ');
            if (scenario_step(presenter_scenario(p)) == step) {
                harness_fail(__FILE__, __LINE__, "%s: space did not leave step %u", path, step);
                break;
            }
        }
        grid_free(&g);
        fixture_presenter_free(p);
    }
}

static void check_lesson_as_run(const char *path, void *ctx)
{
    unsigned *compared = ctx;
    check_lesson(path, false);
    /* The lessons written to run side by side too, as tests/run does. */
    FILE *f = fopen(path, "r");
    char text[4096];
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    text[n] = '\0';
    if (f)
        fclose(f);
    if (strstr(text, "# run also: --compare lt,et"))
        check_lesson(path, true), (*compared)++;
}

void test_narration_every_sentence_of_every_lesson_readable(void)
{
    unsigned compared = 0;
    CHECK(each_lesson(check_lesson_as_run, &compared) >= 12);
    CHECK(compared >= 3);
}

/* A step that takes many pages, its sentences of every length ending
 * anywhere in a line, beside six connections (the narration at its
 * floor): every sentence is whole on some page as the screen draws it. */
void test_narration_many_pages_keep_every_sentence(void)
{
    char path[64];
    snprintf(path, sizeof path, "tests/tmp/unit/pages-%ld.scn", (long)getpid());
    FILE *f = fopen(path, "w");
    if (!f) {
        (void)mkdir("tests/tmp", 0777);
        (void)mkdir("tests/tmp/unit", 0777);
        f = fopen(path, "w");
    }
    REQUIRE(f);
    fputs("title \"pages\"\nconnect c 6\ntick\nsay \"", f);
    static const char *const words[] = {"epoll", "reports", "a", "socket", "whose", "buffer",
                                        "holds", "bytes", "until", "the", "reader", "drains", "it"};
    unsigned seed = 7;
    for (int sentence = 0; sentence < 40; sentence++) {
        int len = 2 + (int)(seed % 17);
        for (int w = 0; w < len; w++) {
            seed = seed * 1103515245u + 12345u;
            fprintf(f, "%s%s", w ? " " : (sentence ? " S" : "S"),
                    words[(seed >> 16) % ARRAY_LEN(words)]);
        }
        fprintf(f, " %d.", sentence);
    }
    fputs("\"\n", f);
    fclose(f);
    check_lesson(path, false);
    remove(path);
}

/* The narration's rule with a title too long for both it and "page 1 of
 * N" at 80 columns: the title stays whole and the page count goes (the
 * key still says whether there is more); at 100 columns both fit. */
void test_narration_rule_drops_the_page_count_for_the_title(void)
{
    /* 43 columns: beside "step 1 of 2 · page 1 of N · space: more" the rule
     * needs 90 of 80, beside "step 1 of 2 · space: more" 76. */
    static const char title[] = "A title long enough to push the count aside";
    const char *dir = scratch_dir();
    REQUIRE(dir);
    char path[256];
    snprintf(path, sizeof path, "%s/pagecount.scn", dir);
    struct sbuf text = {0};
    sbuf_printf(&text, "title \"%s\"\nsay \"", title);
    for (int i = 0; i < 40; i++)
        sbuf_printf(&text, "%sSentence %d of a step that takes more than one page.", i ? " " : "", i);
    sbuf_add(&text, "\"\nstep\nsay \"The end.\"\n");
    bool written = write_text(path, sbuf_str(&text));
    sbuf_free(&text);
    REQUIRE(written);
    struct presenter *p = new_presenter(path);
    REQUIRE(p);
    struct grid g = {0};
    struct sbuf b = {0};
    const char *dot = " \xc2\xb7 "; /* the rule's bullet */
    char more[64], next[64], page1[64];
    snprintf(more, sizeof more, "step 1 of 2%sspace: more", dot);
    snprintf(next, sizeof next, "step 1 of 2%sspace: next", dot);

    /* Room for both: the count beside the whole title. */
    presenter_resize(p, 100, 30);
    screen(p, &g, &b);
    REQUIRE(presenter_narration_pages(p) >= 2);
    snprintf(page1, sizeof page1, "step 1 of 2%spage 1 of %u%sspace: more", dot,
             presenter_narration_pages(p), dot);
    int y = find_row(&g, "step 1 of 2");
    REQUIRE(y >= 0);
    const char *rule = row(&g, y, &b);
    CHECK_CONTAINS(rule, title);
    CHECK_CONTAINS(rule, page1);
    /* At 80 columns: the title whole, the count gone. */
    presenter_resize(p, 80, 24);
    screen(p, &g, &b);
    REQUIRE(presenter_narration_pages(p) >= 2);
    y = find_row(&g, "step 1 of 2");
    REQUIRE(y >= 0);
    rule = row(&g, y, &b);
    CHECK_CONTAINS(rule, title);
    CHECK_CONTAINS(rule, more);
    CHECK(strstr(rule, "page ") == NULL);
    CHECK(strstr(rule, "\xe2\x80\xa6") == NULL); /* nothing clipped with … */
    CHECK(text_width(rule) <= 80);
    /* The last page: the key says so, still without the count. */
    for (unsigned i = 1; i < presenter_narration_pages(p); i++)
        keys(p, " ");
    screen(p, &g, &b);
    y = find_row(&g, "step 1 of 2");
    REQUIRE(y >= 0);
    rule = row(&g, y, &b);
    CHECK_CONTAINS(rule, title);
    CHECK_CONTAINS(rule, next);
    CHECK(strstr(rule, "page ") == NULL);
    grid_free(&g);
    sbuf_free(&b);
    fixture_presenter_free(p);
}
