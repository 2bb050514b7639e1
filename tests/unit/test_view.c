/*
 * test_view.c - what the class sees: the cell grid, the widgets, whole
 * screens at every size and the presenter's keys, against a real engine
 * with real loopback clients (port 0), never against hand-made records.
 *
 * Screens are checked as the text `dump` would write (grid_text), plus a
 * cell-level check that no row is wider or narrower than the grid and no
 * cell carries a control byte.
 */
#include "harness.h"

#include <dirent.h>
#include <ftw.h>
#include <errno.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <locale.h>
#include <wchar.h>

#include "engine.h"
#include "fixture.h"
#include "grid.h"
#include "keymap.h"
#include "presenter.h"
#include "render.h"
#include "scenario.h"
#include "server.h"
#include "widgets.h"

/* ---- fixtures ---------------------------------------------------------- */

/* An engine with no transcript (nothing here reads it) and the view state
 * render_screen draws with. */
struct view_fixture {
    struct engine *e;
    struct view view;
};

static bool setup(struct view_fixture *f)
{
    memset(f, 0, sizeof *f);
    f->e = fixture_engine_at(__FILE__, __LINE__, NULL, NULL, NULL);
    f->view.gl = glyphs_for(false);
    return f->e != NULL;
}

static void teardown(struct view_fixture *f)
{
    engine_free(f->e);
}

static struct conn *conn(struct view_fixture *f, const char *label)
{
    return server_find(engine_server(f->e), label);
}

static uint64_t ticks_of(struct engine *e)
{
    return server_stats(engine_server(e))->tick;
}

/* Renders the fixture's engine (free play) into a fresh w x h grid; the
 * caller frees it.  Keeps where the dense list stands, as the presenter does. */
static void render_at(struct view_fixture *f, struct grid *g, int w, int h)
{
    struct render_out out;
    struct screen s = {.engine = f->e, .scenario = NULL, .view = &f->view, .out = &out};
    grid_init(g, w, h);
    render_screen(&s, g);
    f->view.top = out.conn_top;
}

static char scratch[64];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* At exit: the scratch files of a passing or failing run both go (a
 * failing check prints what it saw). */
static void remove_scratch(void)
{
    if (scratch[0])
        nftw(scratch, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* A scratch directory of this process under tests/tmp/unit/, removed at exit. */
static const char *scratch_dir(void)
{
    char *dir = scratch;
    if (!dir[0]) {
        if ((mkdir("tests/tmp", 0777) < 0 && errno != EEXIST) ||
            (mkdir("tests/tmp/unit", 0777) < 0 && errno != EEXIST))
            return NULL;
        snprintf(dir, sizeof scratch, "tests/tmp/unit/v%ld", (long)getpid());
        if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
            dir[0] = '\0';
            return NULL;
        }
        atexit(remove_scratch);
    }
    return dir;
}

static bool write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(text, 1, strlen(text), f) == strlen(text);
    return fclose(f) == 0 && ok;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct sbuf b = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sbuf_addn(&b, buf, n);
    fclose(f);
    char *s = xstrdup(sbuf_str(&b));
    sbuf_free(&b);
    return s;
}

/* ---- grid -------------------------------------------------------------- */

void test_view_grid_put_clips_at_right_edge(void)
{
    struct grid g;
    struct sbuf b = {0};
    grid_init(&g, 10, 3);
    CHECK_EQ(grid_put(&g, 7, 0, ROLE_TEXT, "abcdef"), 10);
    CHECK_STR(row(&g, 0, &b), "       abc");
    /* Starting left of the grid: only the visible part is written. */
    CHECK_EQ(grid_put(&g, -2, 1, ROLE_TEXT, "wxyz"), 2);
    CHECK_STR(row(&g, 1, &b), "yz");
    /* Rows outside the grid are ignored. */
    CHECK_EQ(grid_put(&g, 0, 3, ROLE_TEXT, "nope"), 0);
    CHECK_EQ(grid_put(&g, 0, -1, ROLE_TEXT, "nope"), 0);
    CHECK(grid_at(&g, 10, 0) == NULL && grid_at(&g, 0, 3) == NULL && grid_at(&g, -1, 0) == NULL);
    /* grid_putf and grid_fill clip the same way. */
    CHECK_EQ(grid_putf(&g, 8, 2, ROLE_TEXT, "%d", 12345), 10);
    grid_fill(&g, 5, 2, 20, ROLE_DIM, "-");
    CHECK_STR(row(&g, 2, &b), "     -----");
    CHECK_EQ(grid_at(&g, 9, 2)->role, ROLE_DIM);
    check_cells(&g);
    CHECK_STR(text_of(&g, &b), "       abc\nyz\n     -----\n");
    grid_free(&g);
    sbuf_free(&b);
}

void test_view_grid_control_bytes_become_question_marks(void)
{
    struct grid g;
    struct sbuf b = {0};
    grid_init(&g, 40, 2);
    /* ESC, CR, LF, TAB, DEL, C1 CSI as UTF-8, a lone continuation byte,
     * an overlong '/', a truncated sequence, 0xff. */
    int end = grid_put(&g, 0, 0, ROLE_TEXT,
                       "a\x1b[2Jb\rc\nd\te\x7f" "f\xc2\x9bg\x80h\xc0\xafi\xe2\x82");
    CHECK_STR(row(&g, 0, &b), "a?[2Jb?c?d?e?f?g?h??i??");
    CHECK_EQ(end, 23);
    CHECK_EQ(text_width("a\x1b[2Jb\rc\nd\te\x7f" "f\xc2\x9bg\x80h\xc0\xafi\xe2\x82"), 23);
    grid_put(&g, 0, 1, ROLE_TEXT, "\xff\xfe" "ok \xc2\x85\xc2\xa0|");
    CHECK_STR(row(&g, 1, &b), "??ok ?\xc2\xa0|"); /* NEL is C1; NBSP is printable */
    check_cells(&g);
    /* Nothing below 0x20, no DEL and no C1 in the whole text. */
    const char *t = text_of(&g, &b);
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
        CHECK(*p >= 0x20 || *p == '\n');
        CHECK(*p != 0x7f);
        if (p[0] == 0xc2)
            CHECK(p[1] < 0x80 || p[1] > 0x9f);
    }
    grid_free(&g);
    sbuf_free(&b);
}

void test_view_grid_wide_chars_take_two_columns(void)
{
    struct grid g;
    struct sbuf b = {0};
    grid_init(&g, 5, 3);
    CHECK_EQ(text_width("日本語"), 6);
    /* Two fit; the third would straddle the edge and is not split. */
    CHECK_EQ(grid_put(&g, 0, 0, ROLE_TEXT, "日本語"), 4);
    CHECK_STR(grid_at(&g, 0, 0)->ch, "日");
    CHECK_STR(grid_at(&g, 1, 0)->ch, "");
    CHECK_STR(grid_at(&g, 2, 0)->ch, "本");
    CHECK_STR(grid_at(&g, 3, 0)->ch, "");
    CHECK_STR(grid_at(&g, 4, 0)->ch, " ");
    CHECK_STR(row(&g, 0, &b), "日本");
    /* One column left at the edge: the wide character is not written. */
    CHECK_EQ(grid_put(&g, 4, 1, ROLE_TEXT, "語x"), 4);
    CHECK_STR(row(&g, 1, &b), "");
    CHECK_EQ(grid_put(&g, 1, 2, ROLE_TEXT, "a語b"), 5);
    CHECK_STR(row(&g, 2, &b), " a語b");
    CHECK_EQ(grid_at(&g, 3, 2)->role, ROLE_TEXT);
    check_cells(&g);
    grid_free(&g);
    sbuf_free(&b);
}

void test_view_grid_combining_marks_join(void)
{
    struct grid g;
    struct sbuf b = {0};
    grid_init(&g, 6, 2);
    /* e + U+0301 COMBINING ACUTE: one column, one cell. */
    CHECK_EQ(text_width("e\xcc\x81x"), 2);
    CHECK_EQ(grid_put(&g, 0, 0, ROLE_TEXT, "e\xcc\x81x"), 2);
    CHECK_STR(grid_at(&g, 0, 0)->ch, "e\xcc\x81");
    CHECK_STR(grid_at(&g, 1, 0)->ch, "x");
    CHECK_STR(row(&g, 0, &b), "e\xcc\x81x");
    /* Zero-width space joins too; a mark with nothing before it is dropped. */
    CHECK_EQ(grid_put(&g, 0, 1, ROLE_TEXT, "\xcc\x81" "a\xe2\x80\x8b" "b"), 2);
    CHECK_STR(grid_at(&g, 0, 1)->ch, "a\xe2\x80\x8b");
    CHECK_STR(grid_at(&g, 1, 1)->ch, "b");
    /* Marks beyond what a cell holds are dropped, never overflow it. */
    grid_put(&g, 3, 0, ROLE_TEXT, "o\xcc\x81\xcc\x82\xcc\x83\xcc\x84");
    CHECK(strlen(grid_at(&g, 3, 0)->ch) < sizeof grid_at(&g, 3, 0)->ch);
    CHECK(strncmp(grid_at(&g, 3, 0)->ch, "o\xcc\x81", 3) == 0);
    check_cells(&g);
    grid_free(&g);
    sbuf_free(&b);
}

void test_view_grid_text_trims_trailing_blanks(void)
{
    struct grid g;
    struct sbuf b = {0};
    grid_init(&g, 8, 4);
    grid_put(&g, 0, 0, ROLE_TEXT, "a  b    ");
    grid_put(&g, 3, 2, ROLE_TEXT, "c");
    grid_fill(&g, 0, 3, 8, ROLE_DIM, " "); /* blank but painted: still trimmed */
    CHECK_STR(text_of(&g, &b), "a  b\n\n   c\n\n");
    CHECK_STR(row(&g, 2, &b), "   c");
    /* grid_row_text appends to what is there. */
    sbuf_reset(&b);
    sbuf_add(&b, ">");
    grid_row_text(&g, 0, &b);
    CHECK_STR(sbuf_str(&b), ">a  b");
    /* grid_clear blanks every cell again. */
    grid_clear(&g);
    CHECK_STR(text_of(&g, &b), "\n\n\n\n");
    CHECK_EQ(grid_at(&g, 0, 3)->role, ROLE_TEXT);
    grid_free(&g);
    sbuf_free(&b);
}

void test_view_grid_ascii_shows_non_ascii_as_question_marks(void)
{
    struct grid g;
    struct sbuf b = {0};
    grid_init(&g, 12, 2);
    g.ascii = true;
    /* é, a wide character, U+2588 and a combining mark: each one '?'. */
    CHECK_EQ(grid_put(&g, 0, 0, ROLE_TEXT, "\xc3\xa9日\xe2\x96\x88x\xcc\x81!\x1b"), 7);
    CHECK_STR(row(&g, 0, &b), "???x?!?");
    grid_put(&g, 0, 1, ROLE_TEXT, "plain [##..]");
    CHECK_STR(row(&g, 1, &b), "plain [##..]");
    const char *t = text_of(&g, &b);
    for (const unsigned char *p = (const unsigned char *)t; *p; p++)
        CHECK(*p < 0x80);
    check_cells(&g);
    grid_free(&g);
    sbuf_free(&b);
}

void test_view_grid_put_clip_ellipsis_only_when_cut(void)
{
    struct grid g;
    struct sbuf b = {0};
    grid_init(&g, 12, 6);
    /* Exactly the width: no ellipsis. */
    CHECK_EQ(grid_put_clip(&g, 0, 0, 5, ROLE_TEXT, "abcde", "…"), 5);
    CHECK_STR(row(&g, 0, &b), "abcde");
    /* One more: cut, and the ellipsis takes the last column. */
    CHECK_EQ(grid_put_clip(&g, 0, 1, 5, ROLE_TEXT, "abcdef", "…"), 5);
    CHECK_STR(row(&g, 1, &b), "abcd…");
    /* Wide characters are not split to make room for it. */
    CHECK_EQ(grid_put_clip(&g, 0, 2, 4, ROLE_TEXT, "日本語", "~"), 3);
    CHECK_STR(row(&g, 2, &b), "日~");
    /* Control bytes count as the '?' they become. */
    CHECK_EQ(grid_put_clip(&g, 0, 3, 3, ROLE_TEXT, "\x1b[2", "~"), 3);
    CHECK_STR(row(&g, 3, &b), "?[2");
    /* Nothing at width 0; an empty ellipsis simply cuts. */
    CHECK_EQ(grid_put_clip(&g, 4, 4, 0, ROLE_TEXT, "abc", "…"), 4);
    CHECK_EQ(grid_put_clip(&g, 0, 4, 2, ROLE_TEXT, "abc", ""), 2);
    CHECK_STR(row(&g, 4, &b), "ab");
    /* Role and return value of a cut. */
    CHECK_EQ(grid_put_clip(&g, 6, 5, 4, ROLE_TITLE, "abcdefgh", "…"), 10);
    CHECK_STR(row(&g, 5, &b), "      abc…");
    CHECK_EQ(grid_at(&g, 9, 5)->role, ROLE_TITLE);
    check_cells(&g);
    grid_free(&g);
    sbuf_free(&b);
}

/* "Clipped to width columns" holds even when the ellipsis is wider than
 * the room (a multi-column ellipsis such as "..."). */
void test_view_grid_put_clip_never_exceeds_width(void)
{
    struct grid g;
    struct sbuf b = {0};
    grid_init(&g, 12, 6);
    for (int w = 1; w <= 4; w++) {
        grid_clear(&g);
        int end = grid_put_clip(&g, 0, 5, w, ROLE_TEXT, "abcdefgh", "...");
        if (end > w)
            harness_fail(__FILE__, __LINE__, "width %d with ellipsis \"...\": wrote %d columns (\"%s\")",
                         w, end, row(&g, 5, &b));
    }
    grid_free(&g);
    sbuf_free(&b);
}

/* Overwriting one half of a double-width character must not leave the
 * other half behind: overlays (help, menu) are drawn over the narration,
 * which may be in any script. */
void test_view_grid_overwrite_half_of_wide_char(void)
{
    struct grid g;
    grid_init(&g, 6, 3);
    grid_put(&g, 0, 0, ROLE_TEXT, "日本ab");
    grid_put(&g, 0, 0, ROLE_OVERLAY, "x"); /* over the left half of 日 */
    grid_put(&g, 0, 1, ROLE_TEXT, "日本ab");
    grid_put(&g, 1, 1, ROLE_OVERLAY, "|"); /* over the right half of 日 */
    grid_put(&g, 0, 2, ROLE_TEXT, "ab日本");
    grid_put(&g, 2, 2, ROLE_OVERLAY, "本"); /* wide over wide, aligned: fine */
    check_cells(&g);
    grid_free(&g);
}

/* A combining mark after a double-width character belongs to that
 * character's cell, not to the empty cell right of it: otherwise that cell
 * no longer reads as the right half, and overwriting it later leaves the
 * wide character whole next to the new one (a row one column too wide). */
void test_view_grid_mark_after_wide_char_joins_it(void)
{
    struct grid g;
    struct sbuf b = {0};
    grid_init(&g, 6, 1);
    CHECK_EQ(grid_put(&g, 0, 0, ROLE_TEXT, "日\xcc\x81" "ab"), 4);
    CHECK_STR(grid_at(&g, 0, 0)->ch, "日\xcc\x81");
    CHECK_STR(grid_at(&g, 1, 0)->ch, "");
    CHECK_STR(row(&g, 0, &b), "日\xcc\x81" "ab");
    grid_put(&g, 1, 0, ROLE_OVERLAY, "|");
    check_cells(&g);
    grid_free(&g);
    sbuf_free(&b);
}

/* ---- widgets ----------------------------------------------------------- */

/* The glyphs of a bar's inner cells, as one string. */
static const char *bar_cells(struct grid *g, int y, int width, struct sbuf *b)
{
    sbuf_reset(b);
    for (int i = 0; i < width; i++)
        sbuf_add(b, grid_at(g, 1 + i, y)->ch);
    return sbuf_str(b);
}

void test_view_fill_bar_empty_sliver_full(void)
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

void test_view_fill_bar_ascii_whole_cells(void)
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

/* Draws a's timeline (width columns up to now) and returns the two rows. */
static void strip_of(struct view_fixture *f, const char *label, int width, struct sbuf *level,
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

void test_view_timeline_lt_wakes_while_level_is_high(void)
{
    struct view_fixture f;
    struct sbuf lv = {0}, wk = {0};
    REQUIRE(setup(&f));
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
    teardown(&f);
    sbuf_free(&lv);
    sbuf_free(&wk);
}

void test_view_timeline_et_wakes_once_level_stays(void)
{
    struct view_fixture f;
    struct sbuf lv = {0}, wk = {0};
    REQUIRE(setup(&f));
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
    teardown(&f);
    sbuf_free(&lv);
    sbuf_free(&wk);
}

void test_view_timeline_blank_before_the_connection(void)
{
    struct view_fixture f;
    struct sbuf lv = {0}, wk = {0};
    REQUIRE(setup(&f));
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
    teardown(&f);
    sbuf_free(&lv);
    sbuf_free(&wk);
}

void test_view_format_bytes_boundaries(void)
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

void test_view_wrap_text(void)
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
void test_view_wrap_text_never_splits_a_character(void)
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

/* ---- render_screen ----------------------------------------------------- */

static const struct {
    int w, h;
} sizes[] = {{100, 30}, {80, 24}, {60, 18}};

/* What every full screen has: the mode block in the first two rows, the
 * listener, the status line last, and no row wider than the grid. */
static void check_screen_at(int at, const struct grid *g, const char *mode, const char *sub)
{
    struct sbuf b = {0};
    char block[16] = {0};
    /* The badge is the first 11 columns, ASCII. */
    row(g, 0, &b);
    memcpy(block, sbuf_str(&b), strnlen(sbuf_str(&b), 11));
    if (!strstr(block, mode))
        harness_fail(__FILE__, at, "%dx%d: row 0 does not start with %s: \"%s\"", g->w, g->h, mode,
                     row(g, 0, &b));
    memset(block, 0, sizeof block);
    row(g, 1, &b);
    memcpy(block, sbuf_str(&b), strnlen(sbuf_str(&b), 11));
    if (!strstr(block, sub))
        harness_fail(__FILE__, at, "%dx%d: row 1 lacks %s: \"%s\"", g->w, g->h, sub, row(g, 1, &b));
    if (strncmp(row(g, 2, &b), "listener 127.0.0.1:", 19) != 0)
        harness_fail(__FILE__, at, "%dx%d: no listener line: \"%s\"", g->w, g->h, row(g, 2, &b));
    /* The status line: keys and their words, help among them. */
    row(g, g->h - 1, &b);
    if (!strstr(sbuf_str(&b), "m mode") || !strstr(sbuf_str(&b), "? help"))
        harness_fail(__FILE__, at, "%dx%d: the last row is not the status line: \"%s\"", g->w,
                     g->h, sbuf_str(&b));
    for (int y = 0; y < g->h; y++)
        if (text_width(row(g, y, &b)) > g->w)
            harness_fail(__FILE__, at, "%dx%d: row %d is %d columns: \"%s\"", g->w, g->h, y,
                         text_width(sbuf_str(&b)), sbuf_str(&b));
    check_cells_at(__FILE__, at, g);
    sbuf_free(&b);
}

#define check_screen(g, mode, sub) check_screen_at(__LINE__, (g), (mode), (sub))

void test_view_render_sizes(void)
{
    static const struct {
        const char *cmd, *word, *sub;
    } modes[] = {{"mode lt", "LT", "level"}, {"mode et", "ET", "edge"},
                 {"mode oneshot", "ONESHOT", "one-shot"}};
    struct view_fixture f;
    struct sbuf b = {0};
    REQUIRE(setup(&f));
    for (size_t m = 0; m < ARRAY_LEN(modes); m++) {
        run(&f, modes[m].cmd);
        for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
            struct grid g;
            render_at(&f, &g, sizes[i].w, sizes[i].h);
            check_screen(&g, modes[m].word, modes[m].sub);
            /* No connection yet: the free-play pane and the empty list. */
            CHECK(find_row(&g, "no connections yet") > 0);
            CHECK(find_row(&g, "free play") > 0);
            grid_free(&g);
        }
    }
    /* With connections, data and a closed one, at every size. */
    run(&f, "mode lt");
    run(&f, "budget 16");
    run(&f, "connect a");
    run(&f, "connect b");
    run(&f, "send a 100");
    run(&f, "tick 2");
    run(&f, "drop b");
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        struct grid g;
        render_at(&f, &g, sizes[i].w, sizes[i].h);
        check_screen(&g, "LT", "level");
        int r = find_row(&g, "connections 1 ");
        CHECK(r > 2);
        CHECK(find_row(&g, "1 closed") == r);
        CHECK(find_row_from(&g, r, "▶ a ") > r);
        CHECK(find_row_from(&g, r, "b ") > r);
        CHECK(find_row_from(&g, r, "│ level") > r);
        CHECK(find_row_from(&g, r, "│ wakeup") > r);
        if (g.h >= 24) /* both panels in full */
            CHECK(find_row_from(&g, r, "closed at tick 2") > r);
        else /* a in full, then one line each */
            CHECK(find_row_from(&g, r, "  b ") > r + PANEL_ROWS);
        CHECK_CONTAINS(row(&g, 0, &b), "budget 16 B");
        CHECK_CONTAINS(row(&g, 0, &b), "tick 2");
        grid_free(&g);
    }
    /* ASCII: no byte above 0x7f anywhere, still a full screen. */
    f.view.gl = glyphs_for(true);
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        struct grid g;
        grid_init(&g, sizes[i].w, sizes[i].h);
        g.ascii = true;
        struct screen s = {.engine = f.e, .scenario = NULL, .view = &f.view};
        render_screen(&s, &g);
        check_screen(&g, "LT", "level");
        for (const unsigned char *p = (const unsigned char *)text_of(&g, &b); *p; p++)
            if (*p >= 0x80) {
                harness_fail(__FILE__, __LINE__, "%dx%d ascii: byte \\x%02x", g.w, g.h, *p);
                break;
            }
        grid_free(&g);
    }
    teardown(&f);
    sbuf_free(&b);
}

void test_view_render_too_small(void)
{
    static const struct {
        int w, h;
    } small[] = {{59, 18}, {60, 17}, {20, 5}, {1, 1}, {0, 0}};
    struct view_fixture f;
    struct sbuf b = {0};
    REQUIRE(setup(&f));
    run(&f, "connect a");
    run(&f, "tick");
    for (size_t i = 0; i < ARRAY_LEN(small); i++) {
        struct grid g;
        render_at(&f, &g, small[i].w, small[i].h);
        const char *t = text_of(&g, &b);
        if (small[i].w >= 20 && !strstr(t, "terminal too small"))
            harness_fail(__FILE__, __LINE__, "%dx%d: no 'terminal too small' in\n%s", small[i].w,
                         small[i].h, t);
        if (strstr(t, "listener"))
            harness_fail(__FILE__, __LINE__, "%dx%d: drew the screen anyway", small[i].w,
                         small[i].h);
        check_cells(&g);
        grid_free(&g);
    }
    /* The minimum itself draws the full screen. */
    struct grid g;
    render_at(&f, &g, SCREEN_MIN_W, SCREEN_MIN_H);
    CHECK(!strstr(text_of(&g, &b), "terminal too small"));
    check_screen(&g, "LT", "level");
    grid_free(&g);
    teardown(&f);
    sbuf_free(&b);
}

void test_view_render_starved_then_mode_switch(void)
{
    struct view_fixture f;
    struct sbuf b = {0};
    REQUIRE(setup(&f));
    run(&f, "mode et");
    run(&f, "budget 16");
    run(&f, "connect a");
    run(&f, "send a 64");
    run(&f, "tick 3");
    struct conn *a = conn(&f, "a");
    REQUIRE(a && a->notify.starved == STARVE_EDGE);
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        struct grid g;
        render_at(&f, &g, sizes[i].w, sizes[i].h);
        check_screen(&g, "ET", "edge");
        const char *t = text_of(&g, &b);
        CHECK_CONTAINS(t, "STARVED");
        CHECK_CONTAINS(t, "48 B waiting");
        CHECK_CONTAINS(t, "1 starved");
        int r = find_row(&g, "STARVED");
        REQUIRE(r >= 0);
        CHECK_EQ(grid_at(&g, 3, r)->role, ROLE_STARVED);
        grid_free(&g);
    }
    run(&f, "mode lt"); /* EPOLL_CTL_MOD: an event is due, nothing starves */
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        struct grid g;
        render_at(&f, &g, sizes[i].w, sizes[i].h);
        check_screen(&g, "LT", "level");
        const char *t = text_of(&g, &b);
        if (strstr(t, "STARVED") || strstr(t, "waiting,"))
            harness_fail(__FILE__, __LINE__, "%dx%d: still starved after mode lt:\n%s", g.w, g.h,
                         t);
        CHECK_CONTAINS(t, "0 starved");
        grid_free(&g);
    }

    /* A starved listener: ET, one accept per wakeup, three waiting. */
    run(&f, "mode et");
    run(&f, "accept one");
    run(&f, "connect w 3");
    run(&f, "tick 2");
    REQUIRE(server_listener(engine_server(f.e))->notify.starved != STARVE_NONE);
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        struct grid g;
        render_at(&f, &g, sizes[i].w, sizes[i].h);
        check_screen(&g, "ET", "edge");
        CHECK_CONTAINS(row(&g, 2, &b), "STARVED");
        CHECK_CONTAINS(row(&g, 3, &b), "2 connections in the accept queue");
        CHECK(find_row(&g, "─ connections ") == 4); /* one row lower */
        grid_free(&g);
    }
    teardown(&f);
    sbuf_free(&b);
}

void test_view_render_escapes_client_bytes(void)
{
    struct view_fixture f;
    struct sbuf b = {0};
    REQUIRE(setup(&f));
    run(&f, "connect a");
    /* The command language spells CR \x0d (it has no \r escape). */
    run(&f, "send a \"\\x1b[2J\\x0d\\n\"");
    run(&f, "tick 2");
    struct conn *a = conn(&f, "a");
    REQUIRE(a);
    REQUIRE(a->tail_len == 6);
    CHECK(memcmp(a->tail, "\x1b[2J\r\n", 6) == 0);
    struct grid g;
    render_at(&f, &g, 100, 30);
    const char *t = text_of(&g, &b);
    CHECK_CONTAINS(t, "\"\\x1b[2J\\r\\n\"");
    CHECK(!strchr(t, '\x1b') && !strchr(t, '\r'));
    check_screen(&g, "LT", "level");
    grid_free(&g);
    /* Narrower: cut from the left, the newest bytes stay, still escaped. */
    render_at(&f, &g, 80, 24);
    t = text_of(&g, &b);
    CHECK_CONTAINS(t, "\\r\\n\"");
    CHECK(!strchr(t, '\x1b') && !strchr(t, '\r'));
    check_screen(&g, "LT", "level");
    grid_free(&g);
    teardown(&f);
    sbuf_free(&b);
}

struct accepted {
    struct view_fixture *f;
    size_t want;
};

static bool all_accepted(void *arg)
{
    struct accepted *w = arg;
    run(w->f, "tick");
    return server_stats(engine_server(w->f->e))->open_conns >= w->want;
}

void test_view_render_thousand_connections(void)
{
    enum { N = 1000 };
    struct rlimit saved, need;
    REQUIRE(getrlimit(RLIMIT_NOFILE, &saved) == 0);
    /* Both ends live in this process: two descriptors per connection. */
    rlim_t fds = 2 * N + 64;
    need = saved;
    if (saved.rlim_cur != RLIM_INFINITY && saved.rlim_cur < fds) {
        if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < fds) {
            printf("# test_view_render_thousand_connections: skipped: RLIMIT_NOFILE hard limit "
                   "%llu < %llu\n",
                   (unsigned long long)saved.rlim_max, (unsigned long long)fds);
            return;
        }
        need.rlim_cur = fds;
        REQUIRE(setrlimit(RLIMIT_NOFILE, &need) == 0);
    }

    struct view_fixture f;
    struct sbuf b = {0};
    if (!setup(&f)) {
        harness_fail(__FILE__, __LINE__, "setup");
        setrlimit(RLIMIT_NOFILE, &saved);
        return;
    }
    run(&f, "connect w 1000");
    struct accepted w = {&f, N};
    CHECK(harness_poll(all_accepted, &w, 10000));
    struct server *srv = engine_server(f.e);
    CHECK_EQ(server_conn_count(srv), N);
    CHECK_EQ(server_stats(srv)->open_conns, N);

    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        struct grid g;
        f.view.selected = 0;
        f.view.top = 0;
        render_at(&f, &g, sizes[i].w, sizes[i].h);
        check_screen(&g, "LT", "level");
        int r = find_row(&g, "connections 1000 ");
        int nar = find_row(&g, "free play");
        REQUIRE(r == 3 && nar > r + PANEL_ROWS + 1);
        /* The selected (first) one in full ... */
        CHECK(strncmp(row(&g, r + 1, &b), "▶ w.1 ", strlen("▶ w.1 ")) == 0);
        CHECK_CONTAINS(row(&g, r + 2, &b), "wakeups ");
        CHECK_CONTAINS(row(&g, r + 3, &b), "level");
        CHECK_CONTAINS(row(&g, r + 4, &b), "wakeup");
        /* ... then one line each, in order, up to the narration. */
        int dense = nar - (r + 1 + PANEL_ROWS);
        CHECK(dense >= 3);
        for (int k = 0; k < dense; k++) {
            char want[32];
            snprintf(want, sizeof want, "%s w.%d ", k == 0 ? "▶" : " ", k + 1);
            row(&g, r + 1 + PANEL_ROWS + k, &b);
            if (strncmp(sbuf_str(&b), want, strlen(want)) != 0 || !strstr(sbuf_str(&b), "wake "))
                harness_fail(__FILE__, __LINE__, "%dx%d: dense row %d is \"%s\", want \"%s...\"",
                             g.w, g.h, k, sbuf_str(&b), want);
        }
        /* The last one selected: the list scrolls to keep it in sight. */
        unsigned last = server_conn_at(srv, N - 1)->id;
        f.view.selected = last;
        grid_free(&g);
        render_at(&f, &g, sizes[i].w, sizes[i].h);
        CHECK_EQ(f.view.top, N - (size_t)dense);
        CHECK(strncmp(row(&g, r + 1, &b), "▶ w.1000 ", strlen("▶ w.1000 ")) == 0);
        CHECK(strncmp(row(&g, nar - 1, &b), "▶ w.1000 ", strlen("▶ w.1000 ")) == 0);
        char first[32];
        snprintf(first, sizeof first, "  w.%d ", N - dense + 1);
        CHECK(strncmp(row(&g, r + 1 + PANEL_ROWS, &b), first, strlen(first)) == 0);
        check_screen(&g, "LT", "level");
        /* One in the middle, then back to the first: top follows. */
        f.view.selected = server_conn_at(srv, 500)->id;
        grid_free(&g);
        render_at(&f, &g, sizes[i].w, sizes[i].h);
        CHECK_EQ(f.view.top, 500); /* moved up: it is the first line now */
        CHECK_EQ(find_row_from(&g, r + 2, "▶ w.501 "), r + 1 + PANEL_ROWS);
        f.view.selected = server_conn_at(srv, 0)->id;
        grid_free(&g);
        render_at(&f, &g, sizes[i].w, sizes[i].h);
        CHECK_EQ(f.view.top, 0);
        grid_free(&g);
    }
    teardown(&f);
    sbuf_free(&b);
    setrlimit(RLIMIT_NOFILE, &saved);
}

/* ---- presenter --------------------------------------------------------- */

#define new_presenter(scenario, dirs) \
    fixture_presenter_at(__FILE__, __LINE__, (scenario), (dirs), false)
#define ET_SCN "scenarios/04-et-starvation.scn"

/* The message line (second to last row). */
static const char *message(struct presenter *p, struct grid *g, struct sbuf *b)
{
    presenter_render(p, g);
    return row(g, g->h - 2, b);
}

static void keys(struct presenter *p, const char *k)
{
    for (; *k; k++)
        presenter_key(p, (unsigned char)*k);
}

static struct server *psrv(struct presenter *p)
{
    return engine_server(presenter_engine(p));
}

void test_view_presenter_space_steps(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN, NULL);
    REQUIRE(p);
    const char *t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "04-et-starvation.scn");
    CHECK_CONTAINS(t, "ET: a partial read starves the connection");
    CHECK_CONTAINS(t, "step 1 of 4");
    CHECK_CONTAINS(t, "Same server, same 16-byte budget");
    check_screen(&g, "ET", "edge");
    CHECK(strncmp(row(&g, g.h - 1, &b), "space next", 10) == 0);

    keys(p, " ");
    t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "step 2 of 4");
    CHECK(!strstr(t, "Same server, same 16-byte budget"));
    CHECK_CONTAINS(t, "a sends 64 bytes");
    CHECK_CONTAINS(t, "✓ expect a wakeups 1");
    CHECK_CONTAINS(t, "✓ expect a pending 48");
    CHECK_CONTAINS(t, "✓ expect a eagain 0");
    int r = find_row(&g, "✓ expect a wakeups 1");
    REQUIRE(r > 0);
    CHECK_EQ(grid_at(&g, 2, r)->role, ROLE_OK);
    CHECK_EQ(ticks_of(presenter_engine(p)), 2);

    keys(p, "n"); /* n is next too */
    t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "step 3 of 4");
    CHECK_CONTAINS(t, "✓ expect et:a starved");
    CHECK(!strstr(t, "lt:a")); /* a single ET run skips the LT side's expects */
    CHECK_CONTAINS(t, "STARVED");
    CHECK(!strstr(t, "✓ expect a wakeups 1 ")); /* the old step's list is gone */

    /* Narration, expects and the starved panel share the small screens. */
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        presenter_resize(p, sizes[i].w, sizes[i].h);
        t = screen(p, &g, &b);
        check_screen(&g, "ET", "edge");
        CHECK_CONTAINS(t, "step 3 of 4");
        /* Every sentence shows; what does not fit goes on a next page,
         * which space shows before the next step (and < goes back). */
        CHECK_CONTAINS(t, "Five more epoll_wait calls");
        CHECK_CONTAINS(t, "connection is STARVED."); /* the whole narration */
        CHECK(find_row(&g, "│  STARVED 5 ticks") > 0);
        if (sizes[i].h >= 24) {
            CHECK_CONTAINS(t, "✓ expect et:server empty 5");
            CHECK(!strstr(t, "space: more"));
            continue;
        }
        CHECK(!strstr(t, "✓ expect et:server empty 5"));
        CHECK_CONTAINS(t, "page 1 of 2");
        CHECK_CONTAINS(t, "space: more");
        keys(p, " ");
        t = screen(p, &g, &b);
        CHECK_CONTAINS(t, "step 3 of 4");
        CHECK_CONTAINS(t, "page 2 of 2");
        CHECK_CONTAINS(t, "✓ expect et:server empty 5");
        CHECK_CONTAINS(t, "space: next");
        keys(p, "<");
        t = screen(p, &g, &b);
        CHECK_CONTAINS(t, "page 1 of 2");
        CHECK_CONTAINS(t, "Five more epoll_wait calls");
    }
    presenter_resize(p, 100, 30);

    keys(p, " ");
    t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "step 4 of 4");
    CHECK_CONTAINS(t, "end: r restarts");
    CHECK_CONTAINS(t, "✓ expect a not starved");
    CHECK_EQ(engine_expects_failed(presenter_engine(p)), 0);
    /* Past the end: a message, nothing runs. */
    uint64_t ticks = ticks_of(presenter_engine(p));
    keys(p, " ");
    CHECK_CONTAINS(message(p, &g, &b), "the scenario is over");
    CHECK_EQ(ticks_of(presenter_engine(p)), ticks);
    check_screen(&g, "ET", "edge");
    presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

void test_view_presenter_mode_toggles(void)
{
    /* m toggles LT and ET, the two a class compares; one-shot is a
     * command away (mode oneshot), and m leaves it for LT. */
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN, NULL);
    REQUIRE(p);
    CHECK_EQ(server_knobs(psrv(p))->mode, MODE_ET);
    keys(p, "m");
    CHECK_EQ(server_knobs(psrv(p))->mode, MODE_LT);
    screen(p, &g, &b);
    check_screen(&g, "LT", "level");
    CHECK_CONTAINS(message(p, &g, &b), "mode lt");
    keys(p, "m");
    CHECK_EQ(server_knobs(psrv(p))->mode, MODE_ET);
    screen(p, &g, &b);
    check_screen(&g, "ET", "edge");
    CHECK_EQ(presenter_command(p, "mode oneshot"), 0);
    screen(p, &g, &b);
    check_screen(&g, "ONESHOT", "one-shot");
    keys(p, "m");
    CHECK_EQ(server_knobs(psrv(p))->mode, MODE_LT);
    /* Each switch is a real EPOLL_CTL_MOD on a. */
    struct conn *a = server_find(psrv(p), "a");
    REQUIRE(a);
    CHECK_EQ(a->mods, 4);
    presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

void test_view_presenter_budget_ladder(void)
{
    /* b: 1 16 64 512 drain; B the other way; both stop at the ends. */
    static const struct {
        const char *from;
        int key;
        size_t want;
    } cases[] = {
        {"1", 'b', 16},   {"16", 'b', 64},  {"64", 'b', 512}, {"512", 'b', BUDGET_DRAIN},
        {"drain", 'b', BUDGET_DRAIN}, {"drain", 'B', 512}, {"512", 'B', 64}, {"64", 'B', 16},
        {"16", 'B', 1},   {"1", 'B', 1},
        /* between the steps: the next one either way */
        {"100", 'b', 512}, {"100", 'B', 64}, {"1000", 'b', BUDGET_DRAIN}, {"1000", 'B', 512},
        /* off the ladder at its ends: onto it */
        {"2000000", 'b', BUDGET_DRAIN}, {"2", 'B', 1},
    };
    struct grid g = {0};
    struct sbuf b = {0};
    char line[32];
    struct presenter *p = new_presenter(ET_SCN, NULL);
    REQUIRE(p);
    CHECK_EQ(server_knobs(psrv(p))->budget, 16);
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        snprintf(line, sizeof line, "budget %s", cases[i].from);
        if (presenter_command(p, line) < 0)
            snprintf(line, sizeof line, "budget %d", DRAIN_CAP); /* 2000000 is past the cap */
        presenter_command(p, line);
        presenter_key(p, cases[i].key);
        size_t got = server_knobs(psrv(p))->budget;
        if (got != cases[i].want)
            harness_fail(__FILE__, __LINE__, "budget %s, key %c: %zu, want %zu%s", cases[i].from,
                         cases[i].key, got, cases[i].want,
                         cases[i].want == BUDGET_DRAIN ? " (drain)" : "");
    }
    /* The header says what the keys set; at an end the key says why it
     * did nothing. */
    presenter_command(p, "budget 512");
    presenter_key(p, 'b');
    presenter_render(p, &g);
    CHECK_CONTAINS(row(&g, 0, &b), "budget drain");
    presenter_key(p, 'b');
    presenter_render(p, &g);
    CHECK_CONTAINS(row(&g, 0, &b), "budget drain");
    CHECK_CONTAINS(message(p, &g, &b), "budget drain is the top of the ladder (B steps down)");
    presenter_command(p, "budget 1");
    presenter_key(p, 'B');
    presenter_render(p, &g);
    CHECK_CONTAINS(row(&g, 0, &b), "budget 1 B");
    CHECK_CONTAINS(message(p, &g, &b), "budget 1 is the bottom of the ladder (b steps up)");
    /* Pressed five times from 1, b visits every budget once and stays. */
    size_t seen = 0;
    for (int i = 0; i < 5; i++) {
        presenter_key(p, 'b');
        size_t got = server_knobs(psrv(p))->budget;
        for (size_t k = 0; k < 5; k++)
            if (got == (size_t[]){1, 16, 64, 512, BUDGET_DRAIN}[k])
                seen |= (size_t)1 << k;
    }
    CHECK_EQ(seen, 0x1e); /* 16 64 512 drain, and drain again */
    CHECK_EQ(server_knobs(psrv(p))->budget, BUDGET_DRAIN);
    presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

void test_view_presenter_accept_clock_and_rate(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN, NULL);
    REQUIRE(p);
    struct engine *e = presenter_engine(p);
    /* a toggles the accept policy. */
    CHECK_EQ(server_knobs(psrv(p))->accept, ACCEPT_ALL);
    keys(p, "a");
    CHECK_EQ(server_knobs(psrv(p))->accept, ACCEPT_ONE);
    presenter_render(p, &g);
    CHECK_CONTAINS(row(&g, 0, &b), "accept one");
    keys(p, "a");
    CHECK_EQ(server_knobs(psrv(p))->accept, ACCEPT_ALL);

    /* p runs the clock (4/s by default) and pauses it. */
    CHECK(!engine_running(e));
    presenter_render(p, &g);
    CHECK_CONTAINS(row(&g, 0, &b), "clock paused");
    keys(p, "p");
    CHECK(engine_running(e));
    CHECK_EQ(engine_rate(e), 4);
    presenter_render(p, &g);
    CHECK_CONTAINS(row(&g, 0, &b), "clock 4/s");
    /* + and - step through 1 2 4 ... 64 and stop at the ends. */
    static const unsigned up[] = {8, 16, 32, 64, 64};
    for (size_t i = 0; i < ARRAY_LEN(up); i++) {
        keys(p, "+");
        CHECK_EQ(engine_rate(e), up[i]);
    }
    keys(p, "="); /* + without shift */
    CHECK_EQ(engine_rate(e), 64);
    static const unsigned down[] = {32, 16, 8, 4, 2, 1, 1};
    for (size_t i = 0; i < ARRAY_LEN(down); i++) {
        keys(p, "-");
        CHECK_EQ(engine_rate(e), down[i]);
    }
    presenter_render(p, &g);
    CHECK_CONTAINS(row(&g, 0, &b), "clock 1/s");
    keys(p, "p");
    CHECK(!engine_running(e));
    /* Paused, + sets the rate the next p runs at. */
    keys(p, "+");
    CHECK(!engine_running(e));
    CHECK_CONTAINS(message(p, &g, &b), "clock rate 2/s when it runs");
    keys(p, "p");
    CHECK(engine_running(e));
    CHECK_EQ(engine_rate(e), 2);
    /* t ticks once. */
    uint64_t before = ticks_of(e);
    keys(p, "t");
    CHECK_EQ(ticks_of(e), before + 1);
    presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

void test_view_presenter_restart(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN, NULL);
    REQUIRE(p);
    keys(p, "  ");
    keys(p, "m");
    CHECK_EQ(server_find(psrv(p), "a")->wakeups, 1);
    CHECK_EQ(ticks_of(presenter_engine(p)), 7);
    unsigned gen = presenter_generation(p);
    keys(p, "r");
    CHECK(presenter_generation(p) != gen);
    /* A fresh server with the opening segment run: one tick, a idle. */
    struct conn *a = server_find(psrv(p), "a");
    REQUIRE(a);
    CHECK_EQ(a->wakeups, 0);
    CHECK_EQ(a->bytes_read, 0);
    CHECK_EQ(a->pending, 0);
    CHECK_EQ(a->mods, 0);
    CHECK_EQ(ticks_of(presenter_engine(p)), 1);
    CHECK_EQ(server_knobs(psrv(p))->mode, MODE_ET); /* the scenario's, not the m pressed */
    CHECK_EQ(engine_expects_passed(presenter_engine(p)), 0);
    const char *t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "step 1 of 4");
    CHECK_CONTAINS(t, "Same server, same 16-byte budget");
    check_screen(&g, "ET", "edge");
    /* And it runs again from there. */
    keys(p, " ");
    CHECK_CONTAINS(screen(p, &g, &b), "step 2 of 4");
    CHECK_EQ(server_find(psrv(p), "a")->wakeups, 1);
    presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

/* r confirms on the message line that the lesson started again. */
void test_view_presenter_restart_says_so(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN, NULL);
    REQUIRE(p);
    keys(p, " ");
    keys(p, "r");
    CHECK_CONTAINS(message(p, &g, &b), "restarted scenarios/04-et-starvation.scn on a fresh server");
    presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

void test_view_presenter_quit_asks_mid_scenario(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN, NULL);
    REQUIRE(p);
    keys(p, " ");
    keys(p, "q");
    CHECK(!presenter_quitting(p));
    const char *t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "quit?");
    CHECK_CONTAINS(t, "The scenario is at step 2 of 4.");
    CHECK_CONTAINS(t, "y quit   n keep going");
    check_cells(&g);
    keys(p, "n");
    CHECK(!presenter_quitting(p));
    t = screen(p, &g, &b);
    CHECK(!strstr(t, "quit?"));
    CHECK_CONTAINS(t, "step 2 of 4"); /* nothing else happened */
    keys(p, "q");
    CHECK(!presenter_quitting(p));
    keys(p, "y");
    CHECK(presenter_quitting(p));
    presenter_free(p);

    /* At the end of the scenario q quits at once. */
    p = new_presenter(ET_SCN, NULL);
    REQUIRE(p);
    keys(p, "   ");
    keys(p, "q");
    CHECK(presenter_quitting(p));
    presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void test_view_presenter_menu_lists_and_loads(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN, NULL);
    REQUIRE(p);
    keys(p, "s");
    const char *t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "Enter open");
    check_cells(&g);
    /* Every .scn file in scenarios/, sorted, with its title (the menu
     * clips long ones, so the first 40 columns). */
    DIR *dir = opendir("scenarios");
    REQUIRE(dir);
    char *files[64];
    size_t nfiles = 0;
    for (struct dirent *de; (de = readdir(dir)) && nfiles < ARRAY_LEN(files);) {
        size_t len = strlen(de->d_name);
        if (len > 4 && strcmp(de->d_name + len - 4, ".scn") == 0)
            files[nfiles++] = xstrdup(de->d_name);
    }
    closedir(dir);
    qsort(files, nfiles, sizeof *files, by_string);
    CHECK(nfiles >= 3);
    CHECK(nfiles <= (size_t)g.h - 9); /* else the menu scrolls: not all on one screen */
    int last = -1;
    for (size_t i = 0; i < nfiles; i++) {
        char path[320], title[48];
        struct sbuf errors = {0};
        unsigned nerrors = 0;
        snprintf(path, sizeof path, "scenarios/%s", files[i]);
        struct scenario *sc = scenario_load(path, &errors, &nerrors);
        if (sc)
            snprintf(title, sizeof title, "%.40s", scenario_title(sc));
        else /* a shipped scenario that does not parse is the menu's business too */
            snprintf(title, sizeof title, "error");
        scenario_free(sc);
        sbuf_free(&errors);
        int r = find_row(&g, files[i]);
        if (r < 0 || !strstr(row(&g, r, &b), title))
            harness_fail(__FILE__, __LINE__, "menu lacks %s with \"%s\"", files[i], title);
        CHECK(r > last); /* sorted by name */
        last = r;
        free(files[i]);
    }
    /* The cursor starts on the scenario that is open. */
    CHECK(find_row(&g, "▶ 04-et-starvation.scn") >= 0);
    /* Down, Enter: 05 is loaded on a fresh server, the menu closes. */
    unsigned gen = presenter_generation(p);
    presenter_key(p, KEY_CODE_DOWN);
    screen(p, &g, &b);
    CHECK(find_row(&g, "▶ 05-et-every-arrival.scn") >= 0);
    presenter_key(p, KEY_CODE_ENTER);
    CHECK(presenter_generation(p) != gen);
    CHECK_STR(engine_title(presenter_engine(p)),
              "ET fires on every arrival");
    t = screen(p, &g, &b);
    CHECK(!strstr(t, "Enter open"));
    CHECK_CONTAINS(t, "05-et-every-arrival.scn");
    CHECK_CONTAINS(t, "step 1 of 4");
    CHECK_CONTAINS(t, "✓ expect a starved");
    check_screen(&g, "ET", "edge");
    /* Esc closes the menu without loading anything. */
    gen = presenter_generation(p);
    keys(p, "s");
    presenter_key(p, KEY_CODE_ESC);
    CHECK(!strstr(screen(p, &g, &b), "Enter open"));
    CHECK_EQ(presenter_generation(p), gen);
    presenter_free(p);

    /* Free play opens on the menu; Esc leaves it for free play. */
    p = new_presenter(NULL, NULL);
    REQUIRE(p);
    t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "Enter open");
    CHECK_CONTAINS(t, "Esc free play");
    presenter_key(p, KEY_CODE_ESC);
    t = screen(p, &g, &b);
    CHECK(!strstr(t, "Enter open"));
    char hint[64];
    snprintf(hint, sizeof hint, "try: nc localhost %u", (unsigned)server_port(psrv(p)));
    CHECK_CONTAINS(t, hint);
    CHECK_CONTAINS(t, "free play");
    check_screen(&g, "LT", "level");
    presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

void test_view_presenter_menu_broken_scenario(void)
{
    struct grid g = {0};
    struct sbuf b = {0}, path = {0};
    const char *dir = scratch_dir();
    REQUIRE(dir);
    sbuf_printf(&path, "%s/x.scn", dir);
    REQUIRE(write_file(sbuf_str(&path), "connect a\nsend b 5\ntick 0\n"));
    const char *const dirs[] = {"scenarios", dir, NULL};
    struct presenter *p = new_presenter(ET_SCN, dirs);
    REQUIRE(p);
    keys(p, " ");
    keys(p, "s");
    screen(p, &g, &b);
    /* Listed with its first error, in the error role. */
    int r = find_row(&g, "x.scn");
    REQUIRE(r >= 0);
    CHECK_CONTAINS(row(&g, r, &b), "error: unknown client");
    int x = 0;
    while (x < g.w && strcmp(grid_at(&g, x, r)->ch, "e") != 0)
        x++;
    while (x < g.w && !(strcmp(grid_at(&g, x, r)->ch, "e") == 0 &&
                        strcmp(grid_at(&g, x + 1, r)->ch, "r") == 0))
        x++;
    REQUIRE(x < g.w);
    CHECK_EQ(grid_at(&g, x, r)->role, ROLE_ERROR);
    CHECK(find_row(&g, "01-lt-basics.scn") < r); /* after the first directory's */

    /* Loading it fails and the current scenario goes on. */
    struct engine *e = presenter_engine(p);
    unsigned gen = presenter_generation(p);
    presenter_key(p, KEY_CODE_END);
    screen(p, &g, &b);
    CHECK(find_row(&g, "▶ x.scn") >= 0);
    presenter_key(p, KEY_CODE_ENTER);
    CHECK_EQ(presenter_generation(p), gen);
    CHECK(presenter_engine(p) == e);
    const char *m = message(p, &g, &b);
    CHECK_CONTAINS(m, "load: ");
    CHECK_CONTAINS(m, "x.scn:2:6: error: unknown client");
    CHECK_EQ(grid_at(&g, 0, g.h - 2)->role, ROLE_ERROR);
    const char *t = screen(p, &g, &b);
    CHECK(!strstr(t, "Enter open"));
    CHECK_CONTAINS(t, "04-et-starvation.scn");
    CHECK_CONTAINS(t, "step 2 of 4");
    keys(p, " ");
    CHECK_CONTAINS(screen(p, &g, &b), "step 3 of 4");
    CHECK_EQ(server_find(psrv(p), "a")->pending, 48);

    /* The load command says the same, with the error count. */
    presenter_resize(p, 200, 30);
    sbuf_reset(&b);
    sbuf_printf(&b, "load \"%s\"", sbuf_str(&path));
    CHECK_EQ(presenter_command(p, sbuf_str(&b)), (unsigned long long)-1); /* loading fails */
    m = message(p, &g, &b);
    CHECK_CONTAINS(m, "error: unknown client");
    CHECK_CONTAINS(m, "(and 1 more error)");
    CHECK_EQ(presenter_generation(p), gen);
    presenter_free(p);
    unlink(sbuf_str(&path));
    grid_free(&g);
    sbuf_free(&b);
    sbuf_free(&path);
}

void test_view_presenter_drain_and_drop_selected(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN, NULL);
    REQUIRE(p);
    keys(p, "  "); /* starved, 48 B waiting */
    struct conn *a = server_find(psrv(p), "a");
    REQUIRE(a && a->pending == 48);
    keys(p, "d");
    a = server_find(psrv(p), "a");
    REQUIRE(a);
    CHECK_EQ(a->pending, 0);
    CHECK_EQ(a->bytes_read, 64);
    CHECK(a->notify.starved == STARVE_NONE);
    CHECK_CONTAINS(screen(p, &g, &b), "0 starved");
    CHECK(find_row(&g, "│  STARVED") < 0); /* the panel's badge; the narration still says it */
    keys(p, "x");
    a = server_find(psrv(p), "a");
    REQUIRE(a);
    CHECK(a->state == CONN_CLOSED);
    CHECK_CONTAINS(screen(p, &g, &b), "closed at tick");
    keys(p, "x");
    CHECK_CONTAINS(message(p, &g, &b), "drop: a is already closed");
    presenter_free(p);

    /* Free play, many connections: the keys move the selection and d, x
     * act on the one selected. */
    p = new_presenter(NULL, NULL);
    REQUIRE(p);
    presenter_key(p, KEY_CODE_ESC);
    keys(p, "x");
    CHECK_CONTAINS(message(p, &g, &b), "no connection to act on yet");
    CHECK_EQ(presenter_command(p, "connect w 30"), 0);
    CHECK_EQ(presenter_command(p, "tick"), 0);
    REQUIRE(server_stats(psrv(p))->open_conns == 30);
    presenter_key(p, KEY_CODE_END);
    screen(p, &g, &b);
    CHECK(find_row(&g, "▶ w.30 ") >= 0);
    check_screen(&g, "LT", "level");
    keys(p, "kk");
    screen(p, &g, &b);
    CHECK(find_row(&g, "▶ w.28 ") >= 0);
    keys(p, "x");
    CHECK(server_find(psrv(p), "w.28")->state == CONN_CLOSED);
    CHECK(server_find(psrv(p), "w.27")->state == CONN_OPEN);
    CHECK(server_find(psrv(p), "w.29")->state == CONN_OPEN);
    presenter_key(p, KEY_CODE_HOME);
    screen(p, &g, &b);
    CHECK(find_row(&g, "▶ w.1 ") >= 0);
    presenter_key(p, KEY_CODE_UP); /* stays on the first */
    presenter_key(p, KEY_CODE_PGDN);
    screen(p, &g, &b);
    CHECK(find_row(&g, "▶ w.1 ") < 0);
    CHECK_EQ(presenter_command(p, "budget 4"), 0);
    /* (Not to w.28: see test_view_presenter_send_after_drop_does_not_stall.) */
    CHECK_EQ(presenter_command(p, "send w.1 10"), 0);
    CHECK_EQ(presenter_command(p, "send w.2 10"), 0);
    CHECK_EQ(presenter_command(p, "tick"), 0);
    keys(p, "g");
    keys(p, "d");
    CHECK_EQ(server_find(psrv(p), "w.1")->pending, 0);
    CHECK_EQ(server_find(psrv(p), "w.2")->pending, 6);
    presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

static long ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* x closes the server's side; the client's next bytes draw a reset.  The
 * lesson must go on at once, not wait for loopback to "settle" and then
 * blame the machine. */
void test_view_presenter_send_after_drop_does_not_stall(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(NULL, NULL);
    REQUIRE(p);
    presenter_key(p, KEY_CODE_ESC);
    CHECK_EQ(presenter_command(p, "connect a"), 0);
    CHECK_EQ(presenter_command(p, "connect b"), 0);
    CHECK_EQ(presenter_command(p, "tick"), 0);
    keys(p, "x"); /* a is selected */
    REQUIRE(server_find(psrv(p), "a")->state == CONN_CLOSED);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    presenter_command(p, "send a 10"); /* taken by the kernel; the peer resets */
    long ms = ms_since(&t0);
    if (ms > 500)
        harness_fail(__FILE__, __LINE__, "send to a dropped connection took %ld ms; message: %s", ms,
                     message(p, &g, &b));
    CHECK(!strstr(message(p, &g, &b), "did not settle"));
    presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

void test_view_presenter_dump_writes_the_screen(void)
{
    struct grid g = {0};
    struct sbuf b = {0}, path = {0}, line = {0};
    const char *dir = scratch_dir();
    REQUIRE(dir);
    struct presenter *p = new_presenter(ET_SCN, NULL);
    REQUIRE(p);
    keys(p, "  ");
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        presenter_resize(p, sizes[i].w, sizes[i].h);
        sbuf_reset(&path);
        sbuf_printf(&path, "%s/screen-%dx%d.txt", dir, sizes[i].w, sizes[i].h);
        unlink(sbuf_str(&path));
        sbuf_reset(&line);
        sbuf_printf(&line, "dump %s", sbuf_str(&path));
        /* The same text render_screen draws at that size, as it was when
         * the command ran (then the message line says it was written). */
        struct sbuf before = {0};
        sbuf_add(&before, screen(p, &g, &b));
        CHECK_EQ(presenter_command(p, sbuf_str(&line)), 0);
        char *got = read_file(sbuf_str(&path));
        REQUIRE(got);
        const char *t = screen(p, &g, &b);
        CHECK_EQ(g.w, sizes[i].w);
        CHECK_EQ(g.h, sizes[i].h);
        CHECK_STR(got, sbuf_str(&before));
        CHECK_CONTAINS(t, "written to");
        sbuf_free(&before);
        CHECK_CONTAINS(got, "STARVED");
        size_t lines = 0;
        for (const char *s = got; *s; s++)
            lines += *s == '\n';
        CHECK_EQ(lines, (size_t)sizes[i].h);
        free(got);
        unlink(sbuf_str(&path));
    }
    /* With a size, that size, whatever the terminal's: the same text the
     * screen has at that size. */
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        int w = sizes[(i + 1) % ARRAY_LEN(sizes)].w, h = sizes[(i + 1) % ARRAY_LEN(sizes)].h;
        presenter_resize(p, w, h);
        struct sbuf want = {0};
        sbuf_add(&want, screen(p, &g, &b));
        presenter_resize(p, sizes[i].w, sizes[i].h);
        sbuf_reset(&path);
        sbuf_printf(&path, "%s/sized.txt", dir);
        sbuf_reset(&line);
        sbuf_printf(&line, "dump %s %dx%d", sbuf_str(&path), w, h);
        CHECK_EQ(presenter_command(p, sbuf_str(&line)), 0);
        char *got = read_file(sbuf_str(&path));
        REQUIRE(got);
        CHECK_STR(got, sbuf_str(&want));
        sbuf_reset(&want);
        sbuf_printf(&want, "screen (%dx%d) written to", w, h);
        CHECK_CONTAINS(message(p, &g, &b), sbuf_str(&want));
        free(got);
        sbuf_free(&want);
        unlink(sbuf_str(&path));
    }
    /* A size below the smallest layout is refused, nothing written. */
    sbuf_reset(&line);
    sbuf_printf(&line, "dump %s 59x18", sbuf_str(&path));
    CHECK_EQ(presenter_command(p, sbuf_str(&line)), -1);
    CHECK_CONTAINS(message(p, &g, &b), "expected a size COLSxROWS from 60x18");
    CHECK(access(sbuf_str(&path), F_OK) != 0);
    /* A path that cannot be written: an error, and the screen goes on. */
    CHECK_EQ(presenter_command(p, "dump /nonexistent-dir/screen.txt"), -1);
    CHECK_CONTAINS(message(p, &g, &b), "cannot write /nonexistent-dir/screen.txt");
    CHECK_EQ(grid_at(&g, 0, g.h - 2)->role, ROLE_ERROR);
    presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
    sbuf_free(&path);
    sbuf_free(&line);
}

void test_view_presenter_unknown_command_and_key(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN, NULL);
    REQUIRE(p);
    uint64_t ticks = ticks_of(presenter_engine(p));
    CHECK_EQ(presenter_command(p, "frobnicate"), -1);
    const char *m = message(p, &g, &b);
    CHECK_CONTAINS(m, "unknown command 'frobnicate'");
    CHECK(strstr(m, "try: help") || strstr(m, "did you mean"));
    CHECK_EQ(grid_at(&g, 0, g.h - 2)->role, ROLE_ERROR);
    CHECK_EQ(presenter_command(p, "tikc"), -1);
    CHECK_CONTAINS(message(p, &g, &b), "did you mean tick?");
    CHECK_EQ(presenter_command(p, "tick 1 2"), -1);
    CHECK_CONTAINS(message(p, &g, &b), "usage: tick");
    CHECK_EQ(presenter_command(p, "send nobody 5"), -1);
    CHECK_EQ(ticks_of(presenter_engine(p)), ticks); /* nothing ran */
    /* A line that runs clears nothing by itself, and an empty one is fine. */
    CHECK_EQ(presenter_command(p, ""), 0);
    CHECK_EQ(presenter_command(p, "tick"), 0);
    CHECK_EQ(ticks_of(presenter_engine(p)), ticks + 1);
    /* A key with no binding says so and points at the help. */
    presenter_key(p, 'Z');
    CHECK_CONTAINS(message(p, &g, &b), "no key 'Z' (? lists the keys)");
    presenter_key(p, 0x01);
    CHECK_CONTAINS(message(p, &g, &b), "no key ?");
    /* ? opens the help, any key closes it without acting. */
    keys(p, "?");
    const char *t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "keys: each one runs a command");
    check_cells(&g);
    enum server_mode mode = server_knobs(psrv(p))->mode;
    keys(p, "m");
    CHECK_EQ(server_knobs(psrv(p))->mode, mode);
    CHECK(!strstr(screen(p, &g, &b), "keys: each one runs a command"));
    presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

/* Overlays over narration in a double-width script: every row must stay
 * as wide as the screen. */
void test_view_render_overlay_over_wide_narration(void)
{
    struct grid g = {0};
    struct sbuf b = {0}, path = {0}, text = {0};
    const char *dir = scratch_dir();
    REQUIRE(dir);
    sbuf_printf(&path, "%s/wide.scn", dir);
    sbuf_add(&text, "title \"エッジトリガー\"\nconnect a\nsay \"");
    for (int i = 0; i < 20; i++)
        sbuf_add(&text, "読み残しのバイト。");
    sbuf_add(&text, "\"\nstep\ntick\n");
    REQUIRE(write_file(sbuf_str(&path), sbuf_str(&text)));
    struct presenter *p = new_presenter(sbuf_str(&path), NULL);
    REQUIRE(p);
    static const struct {
        int w, h;
    } at[] = {{100, 30}, {81, 24}, {60, 18}, {61, 18}};
    for (size_t i = 0; i < ARRAY_LEN(at); i++) {
        presenter_resize(p, at[i].w, at[i].h);
        screen(p, &g, &b);
        check_cells(&g); /* without an overlay: fine */
        keys(p, "?");
        screen(p, &g, &b);
        check_cells(&g);
        keys(p, "?");
        keys(p, "s");
        screen(p, &g, &b);
        check_cells(&g);
        presenter_key(p, KEY_CODE_ESC);
    }
    presenter_free(p);
    unlink(sbuf_str(&path));
    grid_free(&g);
    sbuf_free(&b);
    sbuf_free(&path);
    sbuf_free(&text);
}

/* Layout widths must match what the terminal draws: the C library's
 * wcwidth() in a UTF-8 locale (ncurses and terminals follow it) says which
 * characters take two columns, and the grid's own table must agree. */
void test_view_grid_width_agrees_with_wcwidth(void)
{
    char *old = setlocale(LC_CTYPE, NULL);
    char *saved = old ? strdup(old) : NULL;
    if (!setlocale(LC_CTYPE, "C.UTF-8")) {
        printf("# skipped: no C.UTF-8 locale to compare with\n");
        free(saved);
        return;
    }
    unsigned mismatches = 0;
    for (uint32_t cp = 0x300; cp < 0x40000; cp++) {
        if (cp >= 0xd800 && cp < 0xe000)
            continue;
        int libc = wcwidth((wchar_t)cp);
        if (libc < 0)
            continue;
        char buf[8];
        size_t n = 0;
        if (cp < 0x800) {
            buf[n++] = (char)(0xc0 | cp >> 6);
        } else if (cp < 0x10000) {
            buf[n++] = (char)(0xe0 | cp >> 12);
            buf[n++] = (char)(0x80 | (cp >> 6 & 0x3f));
        } else {
            buf[n++] = (char)(0xf0 | cp >> 18);
            buf[n++] = (char)(0x80 | (cp >> 12 & 0x3f));
            buf[n++] = (char)(0x80 | (cp >> 6 & 0x3f));
        }
        buf[n++] = (char)(0x80 | (cp & 0x3f));
        buf[n] = '\0';
        int ours = text_width(buf);
        if ((libc == 2) != (ours == 2) && mismatches++ < 5)
            harness_fail(__FILE__, __LINE__, "U+%04X: wcwidth %d, grid %d", (unsigned)cp, libc,
                         ours);
    }
    CHECK_EQ(mismatches, 0);
    setlocale(LC_CTYPE, saved ? saved : "C");
    free(saved);
}

/* r and the menu replace the server: with a student connected from
 * outside, they ask first, since the student's connection will be reset. */
void test_view_presenter_restart_asks_when_outsiders_connected(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN, NULL);
    REQUIRE(p);
    /* No outsider yet: r restarts at once. */
    unsigned gen = presenter_generation(p);
    keys(p, "r");
    CHECK(presenter_generation(p) != gen);

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(server_port(psrv(p)))};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
    CHECK_EQ(presenter_command(p, "tick"), 0); /* accepted, named by its address */
    gen = presenter_generation(p);
    keys(p, "r");
    const char *t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "restart?");
    CHECK_CONTAINS(t, "resets 1 outside connection");
    keys(p, "n");
    CHECK_EQ(presenter_generation(p), gen);
    t = screen(p, &g, &b);
    CHECK(!strstr(t, "restart?"));
    keys(p, "ry");
    CHECK(presenter_generation(p) != gen);
    close(fd);
    presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

/* A step with expects but nothing said (and one with neither) must draw:
 * the narration pane has no lines of text then. */
void test_view_render_step_without_say(void)
{
    static const char text[] = "connect a\ntick\nexpect a wakeups 0\nstep\ntick\n";
    struct sbuf errors = {0}, b = {0};
    unsigned nerrors = 0;
    struct scenario *sc = scenario_parse("quiet.scn", text, sizeof text - 1, &errors, &nerrors);
    REQUIRE(sc);
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    struct view v = {0};
    v.gl = glyphs_for(false);
    struct screen s = {.engine = f.e, .scenario = sc, .view = &v};
    static const int dims[][2] = {{100, 30}, {80, 24}, {60, 18}};
    for (int step = 0; step < 2; step++) {
        scenario_next(sc, f.e);
        for (size_t i = 0; i < ARRAY_LEN(dims); i++) {
            struct grid g;
            grid_init(&g, dims[i][0], dims[i][1]);
            render_screen(&s, &g);
            check_cells(&g);
            const char *t = text_of(&g, &b);
            CHECK_CONTAINS(t, "quiet.scn");
            if (step == 0)
                CHECK_CONTAINS(t, "✓ expect a wakeups 0");
            grid_free(&g);
        }
    }
    scenario_free(sc);
    fixture_close(&f);
    sbuf_free(&errors);
    sbuf_free(&b);
}

/* From a lesson, the menu's first line leads back to free play. */
void test_view_presenter_menu_back_to_free_play(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN, NULL);
    REQUIRE(p);
    keys(p, "s");
    const char *t = screen(p, &g, &b);
    int free_row = find_row(&g, "(free play)");
    int lesson_row = find_row(&g, "04-et-starvation.scn");
    CHECK(free_row > 0 && free_row < lesson_row);
    presenter_key(p, KEY_CODE_HOME);
    presenter_key(p, KEY_CODE_ENTER);
    t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "─ free play ─");
    CHECK(!strstr(t, "step "));
    CHECK(engine_running(presenter_engine(p))); /* the free-play clock */
    /* In free play the menu has no such line, and `free` says why not. */
    keys(p, "s");
    t = screen(p, &g, &b);
    CHECK(find_row(&g, "(free play)") < 0);
    presenter_key(p, KEY_CODE_ESC);
    CHECK_EQ(presenter_command(p, "free"), (unsigned long long)-1);
    CHECK_CONTAINS(text_of(&g, &b), "free play");
    presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}
