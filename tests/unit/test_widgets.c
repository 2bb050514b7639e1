/*
 * test_widgets.c - the pieces panels are made of: fill bars, the timeline
 * strip, byte counts, wrapped text.
 */
#include "harness.h"

#include <stdlib.h>

#include "fixture.h"
#include "widgets.h"

/* The glyphs of a bar's inner cells, as one string. */
static const char *bar_cells(struct grid *g, int y, int width, struct sbuf *b)
{
    sbuf_reset(b);
    for (int i = 0; i < width; i++)
        sbuf_add(b, grid_at(g, 1 + i, y)->ch);
    return sbuf_str(b);
}

/* Draws a's timeline (width columns up to now) and returns the two rows. */
static void strip_of(struct fixture *f, const char *label, int width, struct sbuf *level,
                     struct sbuf *wake)
{
    struct grid g;
    struct conn *c = conn(f, label);
    sbuf_reset(level);
    sbuf_reset(wake);
    if (!c) {
        harness_fail(__FILE__, __LINE__, "no connection %s", label);
        return;
    }
    grid_init(&g, width, 2);
    timeline_strip(&g, 0, 0, width, &c->timeline, ticks_of(f->e), f->view.gl);
    check_cells(&g);
    for (int i = 0; i < width; i++) {
        sbuf_add(level, grid_at(&g, i, 0)->ch);
        sbuf_add(wake, grid_at(&g, i, 1)->ch);
    }
    grid_free(&g);
}

/* Wraps and checks the lines; frees them. */
static void wrap_at(int at, const char *text, int width, const char *const *want, size_t nwant)
{
    size_t max = 8;
    char **lines = xcalloc(max, sizeof *lines); /* heap: ASan sees any overrun */
    size_t n = wrap_text(text, width, lines, max);
    if (n != nwant)
        harness_fail(__FILE__, at, "wrap \"%s\" at %d: %zu lines, want %zu", text, width, n, nwant);
    for (size_t i = 0; i < n && i < max; i++) {
        if (i < nwant && strcmp(lines[i], want[i]) != 0)
            harness_fail(__FILE__, at, "wrap \"%s\" at %d: line %zu is \"%s\", want \"%s\"", text,
                         width, i, lines[i], want[i]);
        if (text_width(lines[i]) > width)
            harness_fail(__FILE__, at, "line \"%s\" is wider than %d", lines[i], width);
        free(lines[i]);
    }
    free(lines);
}

#define WRAP(text, width, ...)                                                        \
    do {                                                                              \
        static const char *const want_[] = {__VA_ARGS__};                             \
        wrap_at(__LINE__, (text), (width), want_, ARRAY_LEN(want_));                   \
    } while (0)

void test_widgets_fill_bar_empty_sliver_full(void)
{
    const struct glyphs *gl = glyphs_for(false);
    struct grid g;
    struct sbuf b = {0};
    grid_init(&g, 14, 8);

    fill_bar(&g, 0, 0, 10, 0, 100, gl, ROLE_BAR);
    CHECK_STR(bar_cells(&g, 0, 10, &b), "░░░░░░░░░░");
    CHECK_EQ(grid_at(&g, 1, 0)->role, ROLE_BAR_EMPTY);
    /* One byte of a megabyte still shows: a quarter cell. */
    fill_bar(&g, 0, 1, 10, 1, 1 << 20, gl, ROLE_BAR);
    CHECK_STR(bar_cells(&g, 1, 10, &b), "▎░░░░░░░░░");
    CHECK_EQ(grid_at(&g, 1, 1)->role, ROLE_BAR);
    /* Half. */
    fill_bar(&g, 0, 2, 10, 50, 100, gl, ROLE_BAR);
    CHECK_STR(bar_cells(&g, 2, 10, &b), "█████░░░░░");
    /* One byte short of full is not full. */
    fill_bar(&g, 0, 3, 10, 999, 1000, gl, ROLE_STARVED_TEXT);
    CHECK_STR(bar_cells(&g, 3, 10, &b), "█████████▉");
    CHECK_EQ(grid_at(&g, 10, 3)->role, ROLE_STARVED_TEXT);
    fill_bar(&g, 0, 4, 10, 131071, 131072, gl, ROLE_BAR);
    CHECK(strcmp(bar_cells(&g, 4, 10, &b), "██████████") != 0);
    /* Full only at max; above max clamps to full. */
    fill_bar(&g, 0, 5, 10, 100, 100, gl, ROLE_BAR);
    CHECK_STR(bar_cells(&g, 5, 10, &b), "██████████");
    grid_put(&g, 12, 6, ROLE_TEXT, "|"); /* nothing right of the bar is touched */
    fill_bar(&g, 0, 6, 10, 5000, 100, gl, ROLE_BAR);
    CHECK_STR(bar_cells(&g, 6, 10, &b), "██████████");
    CHECK_STR(grid_at(&g, 11, 6)->ch, gl->bar_close);
    CHECK_STR(grid_at(&g, 12, 6)->ch, "|");
    /* max 0 draws an empty bar, not a division by zero. */
    fill_bar(&g, 0, 7, 10, 5, 0, gl, ROLE_BAR);
    CHECK_STR(bar_cells(&g, 7, 10, &b), "░░░░░░░░░░");
    /* Every bar is width + 2 columns, delimiters included. */
    for (int y = 0; y < 8; y++)
        if (y != 6)
            CHECK(text_width(row(&g, y, &b)) <= 12);
    check_cells(&g);
    grid_free(&g);
    sbuf_free(&b);
}

void test_widgets_fill_bar_ascii_whole_cells(void)
{
    const struct glyphs *gl = glyphs_for(true);
    struct grid g;
    struct sbuf b = {0};
    grid_init(&g, 14, 6); /* wider than the bar: an overrun would show */
    g.ascii = true;
    fill_bar(&g, 0, 0, 10, 0, 100, gl, ROLE_BAR);
    CHECK_STR(row(&g, 0, &b), "[..........]");
    fill_bar(&g, 0, 1, 10, 1, 1 << 20, gl, ROLE_BAR); /* a sliver is one whole cell */
    CHECK_STR(row(&g, 1, &b), "[#.........]");
    fill_bar(&g, 0, 2, 10, 55, 100, gl, ROLE_BAR); /* rounded down to whole cells */
    CHECK_STR(row(&g, 2, &b), "[#####.....]");
    fill_bar(&g, 0, 3, 10, 99, 100, gl, ROLE_BAR);
    CHECK_STR(row(&g, 3, &b), "[#########.]");
    fill_bar(&g, 0, 4, 10, 100, 100, gl, ROLE_BAR);
    CHECK_STR(row(&g, 4, &b), "[##########]");
    fill_bar(&g, 0, 5, 10, 101, 100, gl, ROLE_BAR);
    CHECK_STR(row(&g, 5, &b), "[##########]");
    fill_bar(&g, 0, 5, 10, 5000, 100, gl, ROLE_BAR);
    CHECK_STR(row(&g, 5, &b), "[##########]");
    /* Only '#' and '.' inside, whatever the value. */
    for (uint64_t v = 0; v <= 100; v++) {
        grid_clear(&g);
        fill_bar(&g, 0, 0, 10, v, 100, gl, ROLE_BAR);
        const char *r = bar_cells(&g, 0, 10, &b);
        if (strspn(r, "#.") != 10 || (v > 0 && r[0] != '#') || (v < 100 && r[9] == '#'))
            harness_fail(__FILE__, __LINE__, "value %llu of 100: \"%s\"", (unsigned long long)v, r);
    }
    grid_free(&g);
    sbuf_free(&b);
}

void test_widgets_timeline_lt_wakes_while_level_is_high(void)
{
    struct fixture f;
    struct sbuf lv = {0}, wk = {0};
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "mode lt");
    run(&f, "budget 16");
    run(&f, "connect a");
    run(&f, "send a 64");
    run(&f, "tick 4");
    /* Tick 1 accepts a (the bytes arrived before it: ▼, a is not yet in
     * the epoll set, so no wakeup); ticks 2-4 read 16 B each, and LT
     * reports a on every one of them while bytes wait. */
    strip_of(&f, "a", 6, &lv, &wk);
    CHECK_STR(sbuf_str(&lv), "  ▼███");
    CHECK_STR(sbuf_str(&wk), "   ▲▲▲");
    struct conn *a = conn(&f, "a");
    REQUIRE(a);
    for (uint64_t t = a->opened_tick + 1; t <= ticks_of(f.e); t++) {
        uint8_t m = timeline_get(&a->timeline, t);
        if ((m & MARK_LEVEL) && !(m & MARK_WOKEN))
            harness_fail(__FILE__, __LINE__, "LT tick %llu: level high, no wakeup",
                         (unsigned long long)t);
    }

    /* The same once a is registered before the bytes arrive: the arrival
     * tick wakes, and so does every tick after it until drained. */
    run(&f, "connect b");
    run(&f, "tick");
    run(&f, "send b 40");
    run(&f, "tick 4");
    strip_of(&f, "b", 6, &lv, &wk);
    CHECK_STR(sbuf_str(&lv), " ·▼██·");
    CHECK_STR(sbuf_str(&wk), "  ▲▲▲ ");
    fixture_close(&f);
    sbuf_free(&lv);
    sbuf_free(&wk);
}

void test_widgets_timeline_et_wakes_once_level_stays(void)
{
    struct fixture f;
    struct sbuf lv = {0}, wk = {0};
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "mode et");
    run(&f, "budget 16");
    run(&f, "connect a");
    run(&f, "send a 64");
    run(&f, "tick 4");
    /* One wakeup (the EPOLL_CTL_ADD after the accept reports the bytes
     * already there), then the level stays high with no wakeup: starved. */
    strip_of(&f, "a", 6, &lv, &wk);
    CHECK_STR(sbuf_str(&lv), "  ▼███");
    CHECK_STR(sbuf_str(&wk), "   ▲  ");
    struct conn *a = conn(&f, "a");
    REQUIRE(a);
    CHECK_EQ(a->wakeups, 1);
    CHECK_EQ(a->pending, 48);

    /* Registered first: the one wakeup sits exactly under the arrival. */
    run(&f, "connect b");
    run(&f, "tick");
    run(&f, "send b 64");
    run(&f, "tick 4");
    strip_of(&f, "b", 6, &lv, &wk);
    CHECK_STR(sbuf_str(&lv), " ·▼███");
    CHECK_STR(sbuf_str(&wk), "  ▲   ");
    /* The level row keeps showing the stranded bytes, in the starved role. */
    struct conn *b = conn(&f, "b");
    REQUIRE(b);
    struct grid g;
    grid_init(&g, 6, 2);
    timeline_strip(&g, 0, 0, 6, &b->timeline, ticks_of(f.e), f.view.gl);
    CHECK_EQ(grid_at(&g, 2, 0)->role, ROLE_ARRIVAL);
    CHECK_EQ(grid_at(&g, 2, 1)->role, ROLE_WAKE);
    for (int x = 3; x < 6; x++)
        CHECK_EQ(grid_at(&g, x, 0)->role, ROLE_STARVED_TEXT);
    grid_free(&g);

    /* A new byte is a new edge: one more wakeup under the new arrival. */
    run(&f, "send b 1");
    run(&f, "tick");
    strip_of(&f, "b", 6, &lv, &wk);
    CHECK_STR(sbuf_str(&lv), "·▼███▼");
    CHECK_STR(sbuf_str(&wk), " ▲   ▲");
    fixture_close(&f);
    sbuf_free(&lv);
    sbuf_free(&wk);
}

/* Draws a's `out` row (width columns up to now) into row. */
static void out_of(struct fixture *f, const char *label, int width, struct sbuf *row,
                   enum role *roles)
{
    struct grid g;
    struct conn *c = conn(f, label);
    sbuf_reset(row);
    if (!c) {
        harness_fail(__FILE__, __LINE__, "no connection %s", label);
        return;
    }
    grid_init(&g, width, 1);
    out_strip(&g, 0, 0, width, &c->timeline, &c->wtimeline, ticks_of(f->e), f->view.gl);
    check_cells(&g);
    for (int i = 0; i < width; i++) {
        sbuf_add(row, grid_at(&g, i, 0)->ch);
        if (roles)
            roles[i] = grid_at(&g, i, 0)->role;
    }
    grid_free(&g);
}

/* An idle echo connection under LT with `out always`: epoll_wait reports
 * EPOLLOUT on every tick with nothing waiting (the busy loop), drawn as
 * an empty wakeup on each; with `out needed` no EPOLLOUT, and its ring
 * is never allocated. */
void test_widgets_out_row_idle_echo_under_out_always(void)
{
    struct fixture f;
    struct sbuf row = {0};
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "mode lt");
    run(&f, "reply echo");
    run(&f, "out always");
    run(&f, "connect a");
    run(&f, "tick 5");
    struct conn *a = conn(&f, "a");
    REQUIRE(a);
    /* Tick 1 accepts a (no event for it yet); ticks 2-5 report it. */
    for (uint64_t t = a->opened_tick + 1; t <= ticks_of(f.e); t++)
        CHECK_EQ(wtimeline_get(&a->wtimeline, t), WMARK_OUT);
    CHECK_EQ(wtimeline_get(&a->wtimeline, a->opened_tick), 0);
    out_of(&f, "a", 6, &row, NULL);
    CHECK_STR(sbuf_str(&row), " ·△△△△");

    /* The fix: EPOLLOUT only while replies wait.  Nothing waits, nothing
     * reported, nothing kept. */
    run(&f, "out needed");
    run(&f, "connect b");
    run(&f, "tick 4");
    struct conn *b = conn(&f, "b");
    REQUIRE(b);
    for (uint64_t t = b->opened_tick; t <= ticks_of(f.e); t++)
        CHECK_EQ(wtimeline_get(&b->wtimeline, t), 0);
    CHECK(b->wtimeline.cells == NULL);
    out_of(&f, "b", 6, &row, NULL);
    CHECK_STR(sbuf_str(&row), "  ····");
    /* A echoes the bytes it is sent at once: nothing waits a tick. */
    run(&f, "send b 10");
    run(&f, "tick");
    CHECK_EQ(wtimeline_get(&b->wtimeline, ticks_of(f.e)), 0);
    fixture_close(&f);
    sbuf_free(&row);
}

/* ET write starvation: the write budget leaves replies waiting and no
 * EPOLLOUT edge comes: waiting without EPOLLOUT, in the starved role,
 * tick after tick, until the client's next byte makes an edge. */
void test_widgets_out_row_et_write_starvation(void)
{
    struct fixture f;
    struct sbuf row = {0};
    enum role roles[8];
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "mode et");
    run(&f, "reply echo");
    run(&f, "out always");
    run(&f, "wbudget 16");
    run(&f, "connect a");
    run(&f, "tick 2");
    run(&f, "send a 64");
    run(&f, "tick");
    struct conn *a = conn(&f, "a");
    REQUIRE(a);
    uint64_t sent = ticks_of(f.e);
    /* The tick that read 64 B: EPOLLOUT with IN, 48 B left unsent, and
     * starved from its end on (the transcript says "since" this tick). */
    CHECK_EQ(wtimeline_get(&a->wtimeline, sent), WMARK_OUT | WMARK_WAITING | WMARK_STARVED);
    run(&f, "tick 4");
    for (uint64_t t = sent + 1; t <= ticks_of(f.e); t++)
        CHECK_EQ(wtimeline_get(&a->wtimeline, t), WMARK_WAITING | WMARK_STARVED);
    CHECK_EQ(appbuf_len(&a->out), 48);
    out_of(&f, "a", 8, &row, roles);
    CHECK_STR(sbuf_str(&row), " ·△▲████");
    for (int x = 4; x < 8; x++)
        CHECK_EQ(roles[x], ROLE_STARVED_TEXT);
    CHECK_EQ(roles[2], ROLE_WAKE);
    CHECK_EQ(roles[3], ROLE_WAKE);

    /* A new byte is an edge: EPOLLOUT comes with IN, replies still wait. */
    run(&f, "wbudget drain");
    run(&f, "send a 1");
    run(&f, "tick");
    CHECK_EQ(wtimeline_get(&a->wtimeline, ticks_of(f.e)), WMARK_OUT | WMARK_WAITING);
    run(&f, "tick");
    CHECK_EQ(wtimeline_get(&a->wtimeline, ticks_of(f.e)), 0);
    CHECK_EQ(appbuf_len(&a->out), 0);
    fixture_close(&f);
    sbuf_free(&row);
}

void test_widgets_timeline_blank_before_the_connection(void)
{
    struct fixture f;
    struct sbuf lv = {0}, wk = {0};
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "tick 3");
    run(&f, "connect a");
    run(&f, "tick 3"); /* accepted at tick 4 */
    struct conn *a = conn(&f, "a");
    REQUIRE(a);
    CHECK_EQ(a->opened_tick, 4);
    /* 10 columns up to tick 6: ticks -3..3 blank in both rows. */
    strip_of(&f, "a", 10, &lv, &wk);
    CHECK_STR(sbuf_str(&lv), "       ···");
    CHECK_STR(sbuf_str(&wk), "          ");
    /* After a drop: the closing tick is marked, later ones stay blank. */
    run(&f, "drop a");
    run(&f, "tick 2");
    strip_of(&f, "a", 10, &lv, &wk);
    const char *l = sbuf_str(&lv);
    CHECK(strncmp(l, "     ", 5) == 0); /* ticks -1..3 */
    CHECK(strstr(l, "✕") != NULL);
    CHECK(strcmp(l + strlen(l) - 2, "  ") == 0); /* ticks 7 and 8: gone */
    fixture_close(&f);
    sbuf_free(&lv);
    sbuf_free(&wk);
}

void test_widgets_format_bytes_boundaries(void)
{
    static const struct {
        uint64_t n;
        const char *want;
    } cases[] = {
        {0, "0 B"},
        {1, "1 B"},
        {1023, "1023 B"},
        {1024, "1 KiB"},
        {1536, "1.5 KiB"},
        {10 * 1024 - 1, "9.9 KiB"}, /* rounded down, never up to 10 */
        {10 * 1024, "10 KiB"},
        {10 * 1024 + 512, "10 KiB"}, /* no decimals from 10 on */
        {128 * 1024, "128 KiB"},
        {1024 * 1024 - 1, "1023 KiB"},
        {1024 * 1024, "1 MiB"},
        {3 * 1024 * 1024 + 200 * 1024, "3.1 MiB"},
        {(uint64_t)1 << 30, "1 GiB"},
        {(uint64_t)1 << 50, "1024 TiB"},
    };
    char buf[24];
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        format_bytes(cases[i].n, buf, sizeof buf);
        if (strcmp(buf, cases[i].want) != 0)
            harness_fail(__FILE__, __LINE__, "format_bytes(%llu) = \"%s\", want \"%s\"",
                         (unsigned long long)cases[i].n, buf, cases[i].want);
    }
    /* A short buffer is cut, still terminated. */
    char small[4];
    format_bytes(1536, small, sizeof small);
    CHECK_STR(small, "1.5");
}

void test_widgets_wrap_text(void)
{
    WRAP("the quick brown fox", 10, "the quick", "brown fox");
    WRAP("the quick brown fox", 9, "the quick", "brown fox");
    WRAP("the quick brown fox", 8, "the", "quick", "brown", "fox");
    WRAP("  spaces   between  ", 20, "spaces between");
    WRAP("abcdefghijkl", 5, "abcde", "fghij", "kl");
    WRAP("ab cdefghijkl mn", 5, "ab", "cdefg", "hijkl", "mn");
    /* Widths, not bytes: wide characters take two columns each. */
    WRAP("日本語日本語", 5, "日本", "語日", "本語");
    WRAP("ab 日本語", 4, "ab", "日本", "語");
    WRAP("caf\xc3\xa9 caf\xc3\xa9", 9, "caf\xc3\xa9 caf\xc3\xa9");
    WRAP("e\xcc\x81\xcc\x81\xcc\x81 x", 3, "e\xcc\x81\xcc\x81\xcc\x81 x");
    /* Nothing to wrap. */
    size_t n = wrap_text("", 10, NULL, 0);
    CHECK_EQ(n, 0);
    CHECK_EQ(wrap_text("   ", 10, NULL, 0), 0);

    /* More lines than room: the count is the whole, only max are stored. */
    char **lines = xcalloc(2, sizeof *lines);
    n = wrap_text("one two three four five", 5, lines, 2);
    CHECK_EQ(n, 5);
    CHECK_STR(lines[0], "one");
    CHECK_STR(lines[1], "two");
    free(lines[0]);
    free(lines[1]);
    free(lines);
    CHECK_EQ(wrap_text("one two three four five", 5, NULL, 0), 5);
}

/* A line narrower than one character still gets whole characters: the
 * text is cut between characters, never inside a UTF-8 sequence. */
void test_widgets_wrap_text_never_splits_a_character(void)
{
    static const char *const texts[] = {"日本", "ab日", "e\xcc\x81" "e\xcc\x81"};
    for (size_t t = 0; t < ARRAY_LEN(texts); t++) {
        for (int width = 1; width <= 3; width++) {
            char *lines[8] = {0};
            size_t n = wrap_text(texts[t], width, lines, 8);
            struct sbuf joined = {0};
            for (size_t i = 0; i < n && i < 8; i++) {
                const unsigned char *p = (const unsigned char *)lines[i];
                size_t len = strlen(lines[i]);
                for (size_t k = 0; k < len;) {
                    size_t m = utf8_seq_len(p + k, len - k);
                    if (!m) {
                        harness_fail(__FILE__, __LINE__,
                                     "wrap \"%s\" at %d: line %zu has a broken sequence at byte %zu",
                                     texts[t], width, i, k);
                        break;
                    }
                    k += m;
                }
                sbuf_add(&joined, lines[i]);
                free(lines[i]);
            }
            CHECK_STR(sbuf_str(&joined), texts[t]);
            sbuf_free(&joined);
        }
    }
}
