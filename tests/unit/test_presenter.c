/*
 * test_presenter.c - the presenter: keys and the prompt's lines turned into
 * commands, the lesson's steps, the menu, the overlays, dump, side by side,
 * and the progress of long work, checked on the screen it renders.
 */
#include "harness.h"

#include <dirent.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "command.h"
#include "fixture.h"
#include "keymap.h"
#include "presenter.h"

/* The mode badge at (x, y): 11 cells in the mode's role, its word centred. */
static bool starts_with_badge(struct grid *g, int x, int y, const char *badge, enum role role)
{
    char text[96] = "";
    for (int i = 0; i < 11; i++) {
        const struct cell *c = grid_at(g, x + i, y);
        if (!c || c->role != role)
            return false;
        strncat(text, c->ch, sizeof text - strlen(text) - 1);
    }
    return strstr(text, badge) != NULL;
}

/* The comparison screen: both headers, no row wider than the grid. */
static void check_compare_screen_at(int at, struct presenter *p, int w, int h, bool across)
{
    struct grid g = {0};
    struct sbuf b = {0};
    presenter_resize(p, w, h);
    presenter_render(p, &g);
    check_cells_at(__FILE__, at, &g);
    if (!starts_with_badge(&g, 0, 0, "LT", ROLE_MODE_LT))
        harness_fail(__FILE__, at, "%dx%d: no LT badge at 0,0: \"%s\"", w, h, row(&g, 0, &b));
    int et_x = -1, et_y = -1;
    for (int y = 0; y < h && et_y < 0; y++)
        for (int x = 0; x < w; x++)
            if (grid_at(&g, x, y)->role == ROLE_MODE_ET) {
                et_x = x;
                et_y = y;
                break;
            }
    if (et_y < 0) {
        harness_fail(__FILE__, at, "%dx%d: no ET badge", w, h);
    } else if (!starts_with_badge(&g, et_x, et_y, "ET", ROLE_MODE_ET)) {
        harness_fail(__FILE__, at, "%dx%d: the ET badge at %d,%d is not whole", w, h, et_x, et_y);
    } else if (across) {
        /* Left and right: the two halves and a line between them. */
        if (et_y != 0 || et_x != (w - 1) / 2 + 1)
            harness_fail(__FILE__, at, "%dx%d: ET badge at %d,%d, not on the right", w, h, et_x,
                         et_y);
        if (strcmp(grid_at(&g, (w - 1) / 2, 3)->ch, "│") != 0)
            harness_fail(__FILE__, at, "%dx%d: no line between the sides", w, h);
    } else {
        /* Top and bottom: ET below LT, both starting at the left edge. */
        if (et_x != 0 || et_y < 4 || et_y > h / 2)
            harness_fail(__FILE__, at, "%dx%d: ET badge at %d,%d, not below", w, h, et_x, et_y);
    }
    /* Each side's listener line. */
    int l1 = find_row(&g, "listener 127.0.0.1:");
    if (l1 != 2)
        harness_fail(__FILE__, at, "%dx%d: first listener on row %d", w, h, l1);
    if (!across && find_row_from(&g, l1 + 1, "listener 127.0.0.1:") != et_y + 2)
        harness_fail(__FILE__, at, "%dx%d: no listener under the ET header", w, h);
    grid_free(&g);
    sbuf_free(&b);
}

#define check_compare_screen(p, w, h, across) check_compare_screen_at(__LINE__, (p), (w), (h), (across))

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static long ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* ---- the prompt, help, side by side ------------------------------------- */

void test_presenter_prompt_cursor_counts_columns(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN);
    REQUIRE(p);
    CHECK(!presenter_prompt_active(p));
    int x = 0, y = 0;
    presenter_render(p, &g);
    presenter_prompt_cursor(p, &x, &y);
    CHECK(x < 0); /* no prompt drawn */

    presenter_prompt_open(p);
    CHECK(presenter_prompt_active(p));
    static const char text[] = "say \"h\xc3\xa9\xc3\xa9\"";
    size_t after = strlen("say \"h\xc3\xa9\xc3\xa9"); /* 10 bytes, 8 columns */
    presenter_prompt_show(p, ":", text, after);
    presenter_render(p, &g);
    presenter_prompt_cursor(p, &x, &y);
    CHECK_EQ(x, 1 + 8);
    CHECK_EQ(y, g.h - 2);
    CHECK_STR(row(&g, y, &b), ":say \"h\xc3\xa9\xc3\xa9\"");
    /* The hint under it, instead of the status line. */
    CHECK_CONTAINS(row(&g, g.h - 1, &b), "Enter runs");
    check_cells(&g);

    /* Double-width characters take two columns each. */
    static const char wide[] = "say \"\xe8\xaa\xad\xe3\x81\xbf\"";   /* 読み */
    presenter_prompt_show(p, ":", wide, strlen("say \"\xe8\xaa\xad\xe3\x81\xbf"));
    presenter_render(p, &g);
    presenter_prompt_cursor(p, &x, &y);
    CHECK_EQ(x, 1 + 5 + 4);
    check_cells(&g);
    /* At the start, and in the middle of the multibyte text. */
    presenter_prompt_show(p, ":", text, 0);
    presenter_render(p, &g);
    presenter_prompt_cursor(p, &x, &y);
    CHECK_EQ(x, 1);
    presenter_prompt_show(p, ":", text, strlen("say \"h\xc3\xa9"));
    presenter_render(p, &g);
    presenter_prompt_cursor(p, &x, &y);
    CHECK_EQ(x, 1 + 7);

    /* A line longer than the screen scrolls: the cursor stays on it. */
    struct sbuf longer = {0};
    sbuf_add(&longer, "say \"");
    for (int i = 0; i < 80; i++)
        sbuf_add(&longer, "\xc3\xa9");
    presenter_prompt_show(p, ":", sbuf_str(&longer), longer.len);
    presenter_render(p, &g);
    presenter_prompt_cursor(p, &x, &y);
    CHECK(x >= 0 && x <= g.w - 2);
    CHECK(x > g.w / 2);
    CHECK_STR(grid_at(&g, x - 1, y)->ch, "\xc3\xa9"); /* the last é, just left of it */
    CHECK_STR(grid_at(&g, x, y)->ch, " ");
    check_cells(&g);
    /* The cursor in the middle of a scrolled line sits on its character. */
    sbuf_add(&longer, "\xe8\xaa\xad\"");
    presenter_prompt_show(p, ":", sbuf_str(&longer), longer.len - 4);
    presenter_render(p, &g);
    presenter_prompt_cursor(p, &x, &y);
    CHECK(x >= 0 && x <= g.w - 2);
    CHECK_STR(grid_at(&g, x, y)->ch, "\xe8\xaa\xad");
    CHECK_STR(grid_at(&g, x + 1, y)->ch, "");
    check_cells(&g);
    sbuf_free(&longer);

    presenter_prompt_close(p);
    CHECK(!presenter_prompt_active(p));
    presenter_render(p, &g);
    presenter_prompt_cursor(p, &x, &y);
    CHECK(x < 0);
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

void test_presenter_prompt_submit(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN);
    REQUIRE(p);
    struct server *s = engine_server(presenter_engine(p));

    /* An error keeps the prompt open, with the message and the usage. */
    presenter_prompt_open(p);
    CHECK_EQ(presenter_prompt_submit(p, "budget lots"), -1);
    CHECK(presenter_prompt_active(p));
    presenter_prompt_show(p, ":", "budget lots", 11);
    presenter_render(p, &g);
    int x, y;
    presenter_prompt_cursor(p, &x, &y);
    CHECK_EQ(y, g.h - 3);
    CHECK_EQ(x, 12);
    CHECK_STR(row(&g, g.h - 3, &b), ":budget lots");
    CHECK_CONTAINS(row(&g, g.h - 2, &b),
                   "expected a byte count from 1 to 1048576 or 'drain', found 'lots'");
    CHECK_EQ(grid_at(&g, 0, g.h - 2)->role, ROLE_ERROR);
    CHECK_STR(row(&g, g.h - 1, &b), "usage: budget BYTES|drain   (help budget explains it)");
    check_cells(&g);

    /* An unknown command: the error, and where to look. */
    CHECK_EQ(presenter_prompt_submit(p, "frobnicate now"), -1);
    CHECK(presenter_prompt_active(p));
    presenter_render(p, &g);
    CHECK_CONTAINS(row(&g, g.h - 2, &b), "unknown command 'frobnicate'");
    CHECK_STR(row(&g, g.h - 1, &b), "help lists the commands");

    /* A run-time error (not a parse error) keeps it open too. */
    CHECK_EQ(presenter_prompt_submit(p, "  send nobody 5"), -1);
    CHECK(presenter_prompt_active(p));
    presenter_render(p, &g);
    CHECK_CONTAINS(row(&g, g.h - 2, &b), "no client named 'nobody'");
    CHECK_STR(row(&g, g.h - 1, &b), "usage: send NAME BYTES|\"text\"   (help send explains it)");
    /* An abbreviation names its command's usage. */
    CHECK_EQ(presenter_prompt_submit(p, "bud 0"), -1);
    presenter_render(p, &g);
    CHECK_STR(row(&g, g.h - 1, &b), "usage: budget BYTES|drain   (help budget explains it)");

    /* Completions are listed in a box above the prompt. */
    char w0[] = "budget", w1[] = "bytes", w2[] = "b-side";
    char *words[] = {w0, w1, w2};
    presenter_prompt_matches(p, words, 3);
    presenter_render(p, &g);
    int box = find_row(&g, "completions");
    CHECK(box > 0 && box < g.h - 3);
    int list = find_row_from(&g, box, "budget");
    CHECK(list > box && list < g.h - 3);
    CHECK_CONTAINS(row(&g, list, &b), "bytes");
    CHECK_CONTAINS(row(&g, list, &b), "b-side");
    check_cells(&g);
    /* Too many to list: how many more. */
    char *many[80];
    char names[80][16];
    for (int i = 0; i < 80; i++) {
        snprintf(names[i], sizeof names[i], "w%02d", i);
        many[i] = names[i];
    }
    presenter_prompt_matches(p, many, 80);
    presenter_render(p, &g);
    CHECK(find_row(&g, "and 16 more: type more letters") > 0);
    check_cells(&g);

    /* Success runs the line and closes the prompt (and its list). */
    CHECK_EQ(presenter_prompt_submit(p, "budget 64"), 0);
    CHECK(!presenter_prompt_active(p));
    CHECK_EQ(server_knobs(s)->budget, 64);
    presenter_render(p, &g);
    CHECK(find_row(&g, "completions") < 0);
    CHECK(find_row(&g, "usage: budget") < 0);
    /* Opening again starts clean. */
    presenter_prompt_open(p);
    presenter_render(p, &g);
    presenter_prompt_cursor(p, &x, &y);
    CHECK_EQ(y, g.h - 2);
    CHECK(find_row(&g, "expected a byte count") < 0);
    presenter_prompt_close(p);
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

/* A live command that fails once it runs (a file that cannot be opened)
 * is an error like any other: the prompt stays open with the error and
 * the usage. */
void test_presenter_prompt_failed_live_command_keeps_prompt(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN);
    REQUIRE(p);
    unsigned gen = presenter_generation(p);
    presenter_prompt_open(p);
    CHECK_EQ(presenter_prompt_submit(p, "load tests/tmp/no-such-lesson.scn"), -1);
    CHECK(presenter_prompt_active(p));
    CHECK_EQ(presenter_generation(p), gen); /* the lesson goes on */
    presenter_render(p, &g);
    CHECK_CONTAINS(row(&g, g.h - 2, &b), "no-such-lesson.scn: error: cannot open");
    CHECK_STR(row(&g, g.h - 1, &b), "usage: load FILE   (help load explains it)");
    presenter_prompt_close(p);
    /* The same through presenter_command: -1, as for any failed line. */
    CHECK_EQ(presenter_command(p, "load tests/tmp/no-such-lesson.scn"), -1);
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

void test_presenter_help_overlay(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN);
    REQUIRE(p);
    presenter_resize(p, 100, 50);
    presenter_prompt_open(p);
    CHECK_EQ(presenter_prompt_submit(p, "help"), 0);
    CHECK(!presenter_prompt_active(p));
    const char *t = screen(p, &g, &b);
    /* A line per command, from the command table. */
    struct cmd_entry c;
    for (size_t i = 0; cmd_at(i, &c) == 0; i++) {
        struct sbuf want = {0};
        sbuf_printf(&want, "%-9s %s", c.name, c.help);
        char cut[60];
        snprintf(cut, sizeof cut, "%s", sbuf_str(&want));
        CHECK_CONTAINS(t, cut);
        sbuf_free(&want);
    }
    CHECK_CONTAINS(t, "any key closes");
    check_cells(&g);
    presenter_key(p, 'x');
    CHECK(!strstr(screen(p, &g, &b), "any key closes"));

    /* help CMD: its usage and its line. */
    CHECK_EQ(presenter_command(p, "help budget"), 0);
    t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "usage: budget BYTES|drain");
    CHECK_CONTAINS(t, "bytes read per wakeup, or read until EAGAIN");
    CHECK(!strstr(t, "title \"text\""));
    presenter_key(p, ' ');
    CHECK_EQ(presenter_command(p, "help expect"), 0);
    t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "usage: expect TARGET [not] PROPERTY [OP NUMBER]");
    CHECK_CONTAINS(t, "NAME: pending, wakeups");
    CHECK_CONTAINS(t, "listener: queue, peak");
    CHECK_CONTAINS(t, "server: ticks, events");
    presenter_key(p, ' ');
    /* help of nothing: an error, no overlay. */
    CHECK_EQ(presenter_command(p, "help frob"), -1);
    CHECK(!strstr(screen(p, &g, &b), "any key closes"));
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

void test_presenter_compare_screen(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(LT_SCN);
    REQUIRE(p);
    CHECK(!engine_comparing(presenter_engine(p)));
    presenter_key(p, ' '); /* step 2: a sends 64 */
    unsigned gen = presenter_generation(p);
    CHECK_EQ(presenter_command(p, "compare lt et"), 0);
    struct engine *e = presenter_engine(p);
    CHECK(engine_comparing(e));
    CHECK(presenter_generation(p) != gen);
    CHECK_STR(engine_side_name(e, 0), "lt");
    CHECK_STR(engine_side_name(e, 1), "et");
    /* The lesson starts again from the top, on both servers. */
    const char *t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "step 1 of 6");
    CHECK_CONTAINS(t, "side by side: lt first, et second, on the same traffic");
    CHECK_EQ(server_stats(engine_side_server(e, 0))->tick, 1);
    CHECK_EQ(server_stats(engine_side_server(e, 1))->tick, 1);
    check_compare_screen(p, 100, 30, false);
    check_compare_screen(p, 80, 24, false);
    check_compare_screen(p, 140, 40, false);
    check_compare_screen(p, 141, 40, true);
    check_compare_screen(p, 160, 40, true);
    check_compare_screen(p, 200, 60, true);

    /* Through the lesson: each side's expects hold on it, none fails. */
    presenter_resize(p, 160, 40);
    for (int i = 0; i < 5; i++)
        presenter_key(p, ' ');
    t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "step 6 of 6");
    CHECK_EQ(engine_expects_failed(presenter_engine(p)), 0);
    CHECK(engine_expects_passed(presenter_engine(p)) >= 14);
    /* The ET side starved where the LT side re-notified. */
    e = presenter_engine(p);
    CHECK_EQ(server_find(engine_side_server(e, 0), "a")->renotify, 3);
    CHECK(server_find(engine_side_server(e, 1), "a")->notify.starved == STARVE_EDGE);
    CHECK_CONTAINS(t, "STARVED");
    check_compare_screen(p, 160, 40, true);

    /* The prompt and its completions over the two sides. */
    presenter_prompt_open(p);
    presenter_prompt_show(p, ":", "expect et:a s", 13);
    char m0[] = "sendq", m1[] = "starved";
    char *m[] = {m0, m1};
    presenter_prompt_matches(p, m, 2);
    presenter_render(p, &g);
    check_cells(&g);
    CHECK(find_row(&g, "completions") > 0);
    CHECK_STR(row(&g, g.h - 2, &b), ":expect et:a s");
    presenter_prompt_close(p);

    /* m: each side keeps its mode, and says so. */
    presenter_key(p, 'm');
    CHECK_EQ(server_knobs(engine_side_server(e, 0))->mode, MODE_LT);
    CHECK_EQ(server_knobs(engine_side_server(e, 1))->mode, MODE_ET);
    presenter_render(p, &g);
    CHECK_CONTAINS(row(&g, g.h - 2, &b), "side by side, each side keeps its mode (lt | et)");

    /* compare off: one server again, the lesson from the top. */
    gen = presenter_generation(p);
    CHECK_EQ(presenter_command(p, "compare off"), 0);
    CHECK(!engine_comparing(presenter_engine(p)));
    CHECK(presenter_generation(p) != gen);
    presenter_resize(p, 100, 30);
    t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "step 1 of 6");
    CHECK_CONTAINS(row(&g, g.h - 2, &b), "one server again");
    CHECK(starts_with_badge(&g, 0, 0, "LT", ROLE_MODE_LT));
    /* Off twice: said, nothing rebuilt. */
    gen = presenter_generation(p);
    presenter_command(p, "compare off");
    CHECK_EQ(presenter_generation(p), gen);
    presenter_render(p, &g);
    CHECK_CONTAINS(row(&g, g.h - 2, &b), "compare: already one server");
    /* A bad pair is refused before anything is rebuilt. */
    CHECK_EQ(presenter_command(p, "compare et et"), -1);
    CHECK_EQ(presenter_generation(p), gen);
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

void test_presenter_compare_free_play_and_config(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    /* Free play: compare gives two servers on the same (empty) traffic. */
    struct presenter *p = new_presenter(NULL);
    REQUIRE(p);
    presenter_key(p, KEY_CODE_ESC); /* close the menu */
    CHECK_EQ(presenter_command(p, "compare et oneshot"), 0);
    struct engine *e = presenter_engine(p);
    CHECK(engine_comparing(e));
    CHECK_EQ(server_knobs(engine_side_server(e, 0))->mode, MODE_ET);
    CHECK_EQ(server_knobs(engine_side_server(e, 1))->mode, MODE_ONESHOT);
    CHECK(engine_running(e));
    CHECK_EQ(presenter_command(p, "connect a"), 0);
    CHECK_EQ(presenter_command(p, "send a 10"), 0);
    CHECK_EQ(presenter_command(p, "tick 2"), 0);
    CHECK_EQ(server_find(engine_side_server(e, 0), "a")->bytes_read, 10);
    CHECK_EQ(server_find(engine_side_server(e, 1), "a")->bytes_read, 10);
    presenter_render(p, &g);
    check_cells(&g);
    CHECK(starts_with_badge(&g, 0, 0, "ET", ROLE_MODE_ET));
    CHECK(find_row_from(&g, 3, "ONESHOT") > 3);
    /* Through the prompt too. */
    presenter_prompt_open(p);
    CHECK_EQ(presenter_prompt_submit(p, "compare off"), 0);
    CHECK(!presenter_prompt_active(p));
    CHECK(!engine_comparing(presenter_engine(p)));
    fixture_presenter_free(p);

    /* Asked for at start: a scenario on two servers from its first step. */
    p = new_compare_presenter(ET_SCN);
    REQUIRE(p);
    e = presenter_engine(p);
    CHECK(engine_comparing(e));
    CHECK_EQ(server_stats(engine_side_server(e, 0))->tick, 1);
    CHECK_EQ(server_stats(engine_side_server(e, 1))->tick, 1);
    /* The lesson's `mode et` did not change the LT side. */
    CHECK_EQ(server_knobs(engine_side_server(e, 0))->mode, MODE_LT);
    const char *t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "step 1 of 5");
    for (int i = 0; i < 3; i++)
        presenter_key(p, ' ');
    CHECK_EQ(engine_expects_failed(presenter_engine(p)), 0);
    check_compare_screen(p, 100, 30, false);
    check_compare_screen(p, 160, 40, true);
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

/* In free play, compare and compare off keep what the presenter set: the
 * knobs and the clock come along to the fresh servers. */
void test_presenter_free_play_keeps_knobs_and_clock(void)
{
    struct presenter *p = new_presenter(NULL);
    REQUIRE(p);
    presenter_key(p, KEY_CODE_ESC);
    CHECK_EQ(presenter_command(p, "budget 32"), 0);
    CHECK_EQ(presenter_command(p, "accept one"), 0);
    CHECK_EQ(presenter_command(p, "eof ignore"), 0);
    CHECK_EQ(presenter_command(p, "pause"), 0);
    CHECK_EQ(presenter_command(p, "compare lt et"), 0);
    struct engine *e = presenter_engine(p);
    REQUIRE(engine_comparing(e));
    for (unsigned i = 0; i < 2; i++) {
        struct server *s = engine_side_server(e, i);
        CHECK_EQ(server_knobs(s)->budget, 32);
        CHECK_EQ(server_knobs(s)->accept, ACCEPT_ONE);
        CHECK(server_knobs(s)->eof_ignore);
    }
    CHECK(!engine_running(e));
    CHECK_EQ(presenter_command(p, "run 8"), 0);
    CHECK_EQ(presenter_command(p, "compare off"), 0);
    e = presenter_engine(p);
    CHECK(!engine_comparing(e));
    CHECK_EQ(server_knobs(engine_server(e))->budget, 32);
    CHECK(engine_running(e));
    CHECK_EQ(engine_rate(e), 8);
    fixture_presenter_free(p);
}

/* help's text is longer than 30 rows: it scrolls, and any other key
 * closes it without doing anything else. */
void test_presenter_help_overlay_scrolls(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN);
    REQUIRE(p);
    CHECK_EQ(presenter_command(p, "help"), 0);
    const char *t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "lines 1-");
    int r = find_row(&g, "title");
    CHECK(r > 0);
    presenter_key(p, KEY_CODE_DOWN);
    t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "lines 2-");
    CHECK(find_row(&g, "title ") < 0); /* the first line scrolled away */
    presenter_key(p, KEY_CODE_END);
    t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "quit");
    enum server_mode before = server_knobs(engine_server(presenter_engine(p)))->mode;
    presenter_key(p, 'm'); /* closes, and only closes */
    t = screen(p, &g, &b);
    CHECK(!strstr(t, "other keys close"));
    CHECK_EQ(server_knobs(engine_server(presenter_engine(p)))->mode, before);
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

/* A line longer than the prompt's view shows the part around the cursor,
 * with the cursor on the right character. */
void test_presenter_prompt_long_line_keeps_the_cursor_in_view(void)
{
    struct grid g = {0};
    struct sbuf b = {0}, line = {0};
    struct presenter *p = new_presenter(NULL);
    REQUIRE(p);
    presenter_key(p, KEY_CODE_ESC);
    presenter_prompt_open(p);
    sbuf_add(&line, "say \"");
    for (int i = 0; i < 3000; i++)
        sbuf_addc(&line, (char)('a' + i % 26));
    size_t point = 2500; /* on the letter ('a' + (2500 - 5) % 26) */
    presenter_prompt_show(p, ":", sbuf_str(&line), point);
    presenter_render(p, &g);
    int x, y;
    presenter_prompt_cursor(p, &x, &y);
    REQUIRE(x >= 0 && x < g.w);
    char want[2] = {(char)('a' + (point - 5) % 26), 0};
    CHECK_STR(grid_at(&g, x, y)->ch, want);
    check_cells(&g);
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
    sbuf_free(&line);
}

/* ---- keys, steps, the menu, dump ---------------------------------------- */

void test_presenter_space_steps(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN);
    REQUIRE(p);
    const char *t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "04-et-starvation.scn");
    CHECK_CONTAINS(t, "ET: a partial read starves the connection");
    CHECK_CONTAINS(t, "step 1 of 5");
    CHECK_CONTAINS(t, "Same server, same 16-byte budget");
    check_screen(&g, "ET", "edge");
    CHECK(strncmp(row(&g, g.h - 1, &b), "space next", 10) == 0);

    keys(p, " ");
    t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "step 2 of 5");
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
    CHECK_CONTAINS(t, "step 3 of 5");
    CHECK_CONTAINS(t, "✓ expect et:a starved");
    CHECK(!strstr(t, "lt:a")); /* a single ET run skips the LT side's expects */
    CHECK_CONTAINS(t, "STARVED");
    CHECK(!strstr(t, "✓ expect a wakeups 1 ")); /* the old step's list is gone */

    /* Narration, expects and the starved panel share the small screens. */
    for (size_t i = 0; i < ARRAY_LEN(screen_sizes); i++) {
        presenter_resize(p, screen_sizes[i].w, screen_sizes[i].h);
        t = screen(p, &g, &b);
        check_screen(&g, "ET", "edge");
        CHECK_CONTAINS(t, "step 3 of 5");
        /* Every sentence shows; what does not fit goes on a next page,
         * which space shows before the next step (and < goes back). */
        CHECK_CONTAINS(t, "Five more epoll_wait calls");
        CHECK_CONTAINS(t, "connection is STARVED."); /* the whole narration */
        CHECK(find_row(&g, "│  STARVED 5 ticks") > 0);
        if (screen_sizes[i].h >= 24) {
            CHECK_CONTAINS(t, "✓ expect et:server empty 5");
            CHECK(!strstr(t, "space: more"));
            continue;
        }
        /* The page count gives way to the title on a narrow rule; the
         * key still says there is more. */
        bool counted = screen_sizes[i].w >= 90;
        CHECK(!strstr(t, "✓ expect et:server empty 5"));
        CHECK(!counted || strstr(t, "page 1 of 2"));
        CHECK_CONTAINS(t, "space: more");
        keys(p, " ");
        t = screen(p, &g, &b);
        CHECK_CONTAINS(t, "step 3 of 5");
        CHECK(!counted || strstr(t, "page 2 of 2"));
        CHECK_CONTAINS(t, "✓ expect et:server empty 5");
        CHECK_CONTAINS(t, "space: next");
        keys(p, "<");
        t = screen(p, &g, &b);
        CHECK_CONTAINS(t, "space: more");
        CHECK_CONTAINS(t, "Five more epoll_wait calls");
    }
    presenter_resize(p, 100, 30);

    keys(p, " ");
    t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "step 4 of 5");
    CHECK_CONTAINS(t, "Draining by hand");
    CHECK_CONTAINS(t, "✓ expect a not starved");
    keys(p, " ");
    t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "step 5 of 5");
    CHECK_CONTAINS(t, "end: r restarts");
    CHECK_CONTAINS(t, "✓ expect a not starved");
    CHECK_EQ(engine_expects_failed(presenter_engine(p)), 0);
    /* Past the end: a message, nothing runs. */
    uint64_t ticks = ticks_of(presenter_engine(p));
    keys(p, " ");
    CHECK_CONTAINS(message(p, &g, &b), "the scenario is over");
    CHECK_EQ(ticks_of(presenter_engine(p)), ticks);
    check_screen(&g, "ET", "edge");
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

void test_presenter_mode_toggles(void)
{
    /* m toggles LT and ET, the two a class compares; one-shot is a
     * command away (mode oneshot), and m leaves it for LT. */
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN);
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
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

void test_presenter_budget_ladder(void)
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
    struct presenter *p = new_presenter(ET_SCN);
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
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

void test_presenter_accept_clock_and_rate(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN);
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
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

void test_presenter_restart(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN);
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
    CHECK_CONTAINS(t, "step 1 of 5");
    CHECK_CONTAINS(t, "Same server, same 16-byte budget");
    check_screen(&g, "ET", "edge");
    /* And it runs again from there. */
    keys(p, " ");
    CHECK_CONTAINS(screen(p, &g, &b), "step 2 of 5");
    CHECK_EQ(server_find(psrv(p), "a")->wakeups, 1);
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

/* r confirms on the message line that the lesson started again. */
void test_presenter_restart_says_so(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN);
    REQUIRE(p);
    keys(p, " ");
    keys(p, "r");
    CHECK_CONTAINS(message(p, &g, &b), "restarted scenarios/04-et-starvation.scn on a fresh server");
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

void test_presenter_quit_asks_mid_scenario(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN);
    REQUIRE(p);
    keys(p, " ");
    keys(p, "q");
    CHECK(!presenter_quitting(p));
    const char *t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "quit?");
    CHECK_CONTAINS(t, "The scenario is at step 2 of 5.");
    CHECK_CONTAINS(t, "y quit   n keep going");
    check_cells(&g);
    keys(p, "n");
    CHECK(!presenter_quitting(p));
    t = screen(p, &g, &b);
    CHECK(!strstr(t, "quit?"));
    CHECK_CONTAINS(t, "step 2 of 5"); /* nothing else happened */
    keys(p, "q");
    CHECK(!presenter_quitting(p));
    keys(p, "y");
    CHECK(presenter_quitting(p));
    fixture_presenter_free(p);

    /* At the end of the scenario q quits at once. */
    p = new_presenter(ET_SCN);
    REQUIRE(p);
    keys(p, "    ");
    keys(p, "q");
    CHECK(presenter_quitting(p));
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

void test_presenter_menu_lists_and_loads(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN);
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
    fixture_presenter_free(p);

    /* Free play opens on the menu; Esc leaves it for free play. */
    p = new_presenter(NULL);
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
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

void test_presenter_menu_broken_scenario(void)
{
    struct grid g = {0};
    struct sbuf b = {0}, path = {0};
    const char *dir = scratch_dir();
    REQUIRE(dir);
    sbuf_printf(&path, "%s/x.scn", dir);
    REQUIRE(write_text(sbuf_str(&path), "connect a\nsend b 5\ntick 0\n"));
    const char *const dirs[] = {"scenarios", dir, NULL};
    struct presenter *p = new_presenter_in(ET_SCN, dirs);
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
    CHECK_CONTAINS(t, "step 2 of 5");
    keys(p, " ");
    CHECK_CONTAINS(screen(p, &g, &b), "step 3 of 5");
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
    fixture_presenter_free(p);
    unlink(sbuf_str(&path));
    grid_free(&g);
    sbuf_free(&b);
    sbuf_free(&path);
}

void test_presenter_drain_and_drop_selected(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN);
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
    fixture_presenter_free(p);

    /* Free play, many connections: the keys move the selection and d, x
     * act on the one selected. */
    p = new_presenter(NULL);
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
    /* (Not to w.28: see test_presenter_send_after_drop_does_not_stall.) */
    CHECK_EQ(presenter_command(p, "send w.1 10"), 0);
    CHECK_EQ(presenter_command(p, "send w.2 10"), 0);
    CHECK_EQ(presenter_command(p, "tick"), 0);
    keys(p, "g");
    keys(p, "d");
    CHECK_EQ(server_find(psrv(p), "w.1")->pending, 0);
    CHECK_EQ(server_find(psrv(p), "w.2")->pending, 6);
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

/* x closes the server's side; the client's next bytes draw a reset.  The
 * lesson must go on at once, not wait for loopback to "settle" and then
 * blame the machine. */
void test_presenter_send_after_drop_does_not_stall(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(NULL);
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
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

void test_presenter_dump_writes_the_screen(void)
{
    struct grid g = {0};
    struct sbuf b = {0}, path = {0}, line = {0};
    const char *dir = scratch_dir();
    REQUIRE(dir);
    struct presenter *p = new_presenter(ET_SCN);
    REQUIRE(p);
    keys(p, "  ");
    for (size_t i = 0; i < ARRAY_LEN(screen_sizes); i++) {
        presenter_resize(p, screen_sizes[i].w, screen_sizes[i].h);
        sbuf_reset(&path);
        sbuf_printf(&path, "%s/screen-%dx%d.txt", dir, screen_sizes[i].w, screen_sizes[i].h);
        unlink(sbuf_str(&path));
        sbuf_reset(&line);
        sbuf_printf(&line, "dump %s", sbuf_str(&path));
        /* The same text render_screen draws at that size, as it was when
         * the command ran (then the message line says it was written). */
        struct sbuf before = {0};
        sbuf_add(&before, screen(p, &g, &b));
        CHECK_EQ(presenter_command(p, sbuf_str(&line)), 0);
        char *got = read_text(sbuf_str(&path));
        REQUIRE(got);
        const char *t = screen(p, &g, &b);
        CHECK_EQ(g.w, screen_sizes[i].w);
        CHECK_EQ(g.h, screen_sizes[i].h);
        CHECK_STR(got, sbuf_str(&before));
        CHECK_CONTAINS(t, "written to");
        sbuf_free(&before);
        CHECK_CONTAINS(got, "STARVED");
        size_t lines = 0;
        for (const char *s = got; *s; s++)
            lines += *s == '\n';
        CHECK_EQ(lines, (size_t)screen_sizes[i].h);
        free(got);
        unlink(sbuf_str(&path));
    }
    /* With a size, that size, whatever the terminal's: the same text the
     * screen has at that size. */
    for (size_t i = 0; i < ARRAY_LEN(screen_sizes); i++) {
        int w = screen_sizes[(i + 1) % ARRAY_LEN(screen_sizes)].w, h = screen_sizes[(i + 1) % ARRAY_LEN(screen_sizes)].h;
        presenter_resize(p, w, h);
        struct sbuf want = {0};
        sbuf_add(&want, screen(p, &g, &b));
        presenter_resize(p, screen_sizes[i].w, screen_sizes[i].h);
        sbuf_reset(&path);
        sbuf_printf(&path, "%s/sized.txt", dir);
        sbuf_reset(&line);
        sbuf_printf(&line, "dump %s %dx%d", sbuf_str(&path), w, h);
        CHECK_EQ(presenter_command(p, sbuf_str(&line)), 0);
        char *got = read_text(sbuf_str(&path));
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
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
    sbuf_free(&path);
    sbuf_free(&line);
}

void test_presenter_unknown_command_and_key(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN);
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
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

/* r and the menu replace the server: with a student connected from
 * outside, they ask first, since the student's connection will be reset. */
void test_presenter_restart_asks_when_outsiders_connected(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN);
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
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

/* Free play with one client connected from outside (a student's nc),
 * accepted: its socket in *fd.  NULL if that could not be set up. */
static struct presenter *free_play_with_outsider(int *fd)
{
    struct presenter *p = new_presenter(NULL);
    if (!p)
        return NULL;
    presenter_key(p, KEY_CODE_ESC);
    *fd = dial(presenter_engine(p));
    if (*fd < 0 || presenter_command(p, "tick") != 0) {
        if (*fd >= 0)
            close(*fd);
        fixture_presenter_free(p);
        return NULL;
    }
    return p;
}

/* A line typed at the prompt that starts a fresh server or quits asks
 * where its key asks, and y runs it as typed; a file that would not load
 * fails at the prompt, without a question. */
void test_presenter_typed_lines_ask_as_their_keys(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    static const struct {
        const char *line, *title, *what;
    } asks[] = {
        {"load " ET_SCN, "open this lesson?", "A fresh server resets 1 outside connection"},
        {"compare lt et", "compare?", "A fresh server resets 1 outside connection"},
        {"quit", "quit?", "Quitting resets 1 outside connection."},
    };
    /* Nobody to lose: a typed load opens at once. */
    struct presenter *p = new_presenter(NULL);
    REQUIRE(p);
    presenter_key(p, KEY_CODE_ESC); /* free play */
    unsigned gen = presenter_generation(p);
    CHECK_EQ(presenter_prompt_submit(p, "load " ET_SCN), 0);
    CHECK(presenter_generation(p) != gen);
    fixture_presenter_free(p);

    int fd;
    p = free_play_with_outsider(&fd);
    REQUIRE(p);
    gen = presenter_generation(p);
    for (size_t i = 0; i < sizeof asks / sizeof asks[0]; i++) {
        presenter_prompt_open(p);
        CHECK_EQ(presenter_prompt_submit(p, asks[i].line), 0);
        CHECK(!presenter_prompt_active(p));
        const char *t = screen(p, &g, &b);
        CHECK_CONTAINS(t, asks[i].title);
        CHECK_CONTAINS(t, asks[i].what);
        check_cells(&g);
        keys(p, "n");
        CHECK_EQ(presenter_generation(p), gen);
        CHECK(!presenter_quitting(p));
        CHECK(!strstr(screen(p, &g, &b), asks[i].title));
    }
    /* In free play there is no lesson to restart or leave: the error, not
     * a question. */
    presenter_prompt_open(p);
    CHECK_EQ(presenter_prompt_submit(p, "restart"), -1);
    CHECK_EQ(presenter_prompt_submit(p, "free"), -1);
    CHECK(presenter_prompt_active(p));
    /* Nor a second server to stop. */
    CHECK_EQ(presenter_prompt_submit(p, "compare off"), -1);
    CHECK_CONTAINS(screen(p, &g, &b), "already one server");
    const char *t = screen(p, &g, &b);
    CHECK(!strstr(t, "restart?") && !strstr(t, "leave the lesson?") && !strstr(t, "compare?"));
    /* A file that would not load: the prompt keeps the error. */
    CHECK_EQ(presenter_prompt_submit(p, "load tests/tmp/no-such-lesson.scn"), -1);
    CHECK(presenter_prompt_active(p));
    presenter_render(p, &g);
    CHECK_CONTAINS(row(&g, g.h - 2, &b), "no-such-lesson.scn: error: cannot open");
    presenter_prompt_close(p);
    CHECK_EQ(presenter_generation(p), gen);
    /* y runs the line as it was typed. */
    presenter_prompt_open(p);
    CHECK_EQ(presenter_prompt_submit(p, "load " ET_SCN), 0);
    keys(p, "y");
    CHECK(presenter_generation(p) != gen);
    CHECK_CONTAINS(screen(p, &g, &b), "step 1 of 5");
    /* In the lesson, a typed restart and free ask too. */
    close(fd);
    fd = dial(presenter_engine(p));
    REQUIRE(fd >= 0);
    CHECK_EQ(presenter_command(p, "tick"), 0);
    gen = presenter_generation(p);
    presenter_prompt_open(p);
    CHECK_EQ(presenter_prompt_submit(p, "restart"), 0);
    CHECK_CONTAINS(screen(p, &g, &b), "restart?");
    keys(p, "n");
    presenter_prompt_open(p);
    CHECK_EQ(presenter_prompt_submit(p, "free"), 0);
    CHECK_CONTAINS(screen(p, &g, &b), "leave the lesson?");
    keys(p, "y");
    CHECK(presenter_generation(p) != gen);
    CHECK(!presenter_scenario(p));

    /* A lesson whose file no longer loads: a typed restart or compare is
     * the error, not a question whose y would fail. */
    char path[256], *text = read_text(ET_SCN);
    REQUIRE(text && scratch_dir());
    snprintf(path, sizeof path, "%s/edited.scn", scratch_dir());
    REQUIRE(write_text(path, text));
    free(text);
    char line[300];
    snprintf(line, sizeof line, "load %s", path);
    presenter_prompt_open(p);
    CHECK_EQ(presenter_prompt_submit(p, line), 0);
    keys(p, "y");
    REQUIRE(presenter_scenario(p));
    REQUIRE(write_text(path, "frobnicate\n"));
    gen = presenter_generation(p);
    static const char *const refused[] = {"restart", "compare lt et"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        presenter_prompt_open(p);
        CHECK_EQ(presenter_prompt_submit(p, refused[i]), -1);
        CHECK_CONTAINS(screen(p, &g, &b), "edited.scn:1");
        CHECK(presenter_prompt_active(p));
        CHECK(!presenter_asking(p));
        presenter_prompt_close(p);
    }
    CHECK_EQ(presenter_generation(p), gen);
    close(fd);
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

/* From a lesson, the menu's first line leads back to free play. */
void test_presenter_menu_back_to_free_play(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN);
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
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

/* ---- long work in slices ------------------------------------------------ */

void test_presenter_shows_progress_and_esc_stops(void)
{
    char path[64];
    const char *dir = scratch_dir();
    REQUIRE(dir);
    snprintf(path, sizeof path, "%s/jobs.scn", dir);
    REQUIRE(write_text(path, "title \"long\"\nconnect a\nstep\ntick " LONG_TICKS
                                 "\nsay \"done ticking\"\nstep\nsay \"the end\"\n"));
    struct presenter *p = new_presenter(path);
    remove(path);
    REQUIRE(p);
    struct grid g = {0};
    struct sbuf b = {0};
    CHECK(!presenter_busy(p));
    presenter_key(p, ' ');
    CHECK(presenter_busy(p));
    CHECK(presenter_work(p));
    CHECK_CONTAINS(screen(p, &g, &b), "running: tick ");
    CHECK_CONTAINS(screen(p, &g, &b), " of 100,000   Esc stops");
    /* space while the step runs says why nothing happens */
    CHECK_EQ(presenter_command(p, "next"), -1);
    CHECK_CONTAINS(screen(p, &g, &b), "this step is still running");
    presenter_key(p, KEY_CODE_ESC);
    CHECK(!presenter_busy(p));
    CHECK_CONTAINS(screen(p, &g, &b), "Stopped by the presenter after tick ");
    CHECK_CONTAINS(screen(p, &g, &b), "the rest of this step was not run");
    CHECK(!strstr(screen(p, &g, &b), "done ticking"));
    /* The lesson goes on with its next step. */
    presenter_key(p, ' ');
    CHECK_CONTAINS(screen(p, &g, &b), "the end");
    /* `stop` with nothing running says so. */
    CHECK_EQ(presenter_command(p, "stop"), -1);
    CHECK_CONTAINS(screen(p, &g, &b), "nothing is running");
    sbuf_free(&b);
    grid_free(&g);
    fixture_presenter_free(p);
}

/* The message line after a step that ran in slices is what the step said
 * last, as it is when the step fits in one slice: the progress line goes,
 * and neither a message from before the job nor one after it is lost. */
void test_presenter_message_after_a_sliced_step(void)
{
    char path[64];
    const char *dir = scratch_dir();
    REQUIRE(dir);
    snprintf(path, sizeof path, "%s/jobs-msg.scn", dir);
    REQUIRE(write_text(path, "title \"long\"\nconnect a\nstep\nbudget 64\ntick " LONG_TICKS
                                 "\nstep\ntick " LONG_TICKS "\nbudget 32\n"));
    struct presenter *p = new_presenter(path);
    remove(path);
    REQUIRE(p);
    struct grid g = {0};
    struct sbuf b = {0};
    /* Said before the job: still there once it is done. */
    presenter_key(p, ' ');
    CHECK(presenter_busy(p));
    CHECK(presenter_work(p));
    CHECK_CONTAINS(screen(p, &g, &b), "running: tick ");
    while (presenter_work(p))
        ;
    CHECK(!strstr(screen(p, &g, &b), "running: tick "));
    CHECK_CONTAINS(screen(p, &g, &b), "budget 64: read at most 64 B per wakeup");
    /* Said after the job, in the same step: shown. */
    presenter_key(p, ' ');
    CHECK(presenter_busy(p));
    while (presenter_work(p))
        ;
    CHECK_CONTAINS(screen(p, &g, &b), "budget 32: read at most 32 B per wakeup");
    sbuf_free(&b);
    grid_free(&g);
    fixture_presenter_free(p);
}

/* A transcript line said under a tick ("  a: closed ...") is indented
 * there; on the message line it starts at the margin like any message. */
void test_presenter_message_starts_at_the_margin(void)
{
    struct presenter *p = new_presenter("scenarios/09-half-close.scn");
    REQUIRE(p);
    struct grid g = {0};
    struct sbuf b = {0};
    const char *m = message(p, &g, &b);
    CHECK_CONTAINS(m, "a: closed (end of stream: read returned 0)");
    CHECK(m[0] == 'a'); /* at the margin: not indented as under its tick */
    sbuf_free(&b);
    grid_free(&g);
    fixture_presenter_free(p);
}

/* With no connection chosen, the one marked (and given the full panel
 * when the others go one line each) is the first still open: in lesson
 * 09 the closed a would otherwise hide b's spinning timeline at 80x24. */
void test_presenter_selects_the_first_open_connection(void)
{
    struct presenter *p = new_presenter("scenarios/09-half-close.scn");
    REQUIRE(p);
    presenter_resize(p, 80, 24);
    struct grid g = {0};
    struct sbuf b = {0};
    keys(p, " ");
    screen(p, &g, &b);
    int r = find_row(&g, "\xe2\x96\xb6 b ");
    CHECK(r >= 0);
    if (r >= 0)
        CHECK_CONTAINS(row(&g, r, &b), "half-closed");
    CHECK(find_row(&g, "\xe2\x96\xb6 a ") < 0);
    CHECK(find_row(&g, "wakeup ") >= 0); /* b's timeline, in its panel */
    /* A choice made stands, closed or not. */
    keys(p, "k");
    screen(p, &g, &b);
    CHECK(find_row(&g, "\xe2\x96\xb6 a ") >= 0);
    sbuf_free(&b);
    grid_free(&g);
    fixture_presenter_free(p);
}

/* The TUI shows per-read lines only in the trace pane: without it, it
 * must not pay for them. */
void test_presenter_skips_per_read_lines(void)
{
    struct presenter *p = new_presenter(NULL);
    REQUIRE(p);
    const struct trace *t = engine_trace(presenter_engine(p));
    CHECK(trace_wants(t, TRACE_DATA)); /* every pane, the trace's included */
    CHECK(trace_wants(t, TRACE_IO));
    keys(p, "\033vv"); /* free play; all, trace, then the code pane alone */
    /* Its mark needs which call came last (no line is made of it). */
    CHECK(trace_wants(t, TRACE_IO));
    keys(p, "v"); /* the kernel view alone */
    CHECK(!trace_wants(t, TRACE_DATA));
    CHECK(!trace_wants(t, TRACE_IO));
    CHECK(!trace_wants(t, TRACE_TICK));
    CHECK(trace_wants(t, TRACE_ERROR));
    CHECK(trace_wants(t, TRACE_STARVE));
    CHECK(trace_wants(t, TRACE_SCRIPT)); /* help's text comes this way */
    fixture_presenter_free(p);
}

/* `--mode et --budget 4` asks for free play with those knobs: no menu.
 * Without a knob (or a scenario) the menu opens as before. */
void test_presenter_knobs_given_start_free_play(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    for (int given = 0; given < 2; given++) {
        struct presenter_config cfg = {0};
        struct sbuf err = {0};
        server_config_defaults(&cfg.server);
        cfg.server.port = 0;
        cfg.server.knobs.mode = MODE_ET;
        cfg.knobs_given = given;
        struct presenter *p = presenter_new(&cfg, &err);
        REQUIRE(p);
        presenter_resize(p, SCREEN_DEFAULT_W, SCREEN_DEFAULT_H);
        const char *t = screen(p, &g, &b);
        if (given) {
            CHECK(!strstr(t, "Esc free play"));
            CHECK_CONTAINS(message(p, &g, &b), "free play: ");
            CHECK_EQ(server_knobs(psrv(p))->mode, MODE_ET);
        } else {
            CHECK_CONTAINS(t, "Esc free play");
        }
        presenter_free(p);
        sbuf_free(&err);
    }
    grid_free(&g);
    sbuf_free(&b);
}

/* q, like r, asks first while students are connected from outside: their
 * connections would be reset. */
void test_presenter_quit_asks_when_outsiders_connected(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(NULL);
    REQUIRE(p);
    presenter_key(p, KEY_CODE_ESC); /* free play: no lesson to lose */
    keys(p, "q"); /* nothing to lose yet: q quits at once */
    CHECK(presenter_quitting(p));
    fixture_presenter_free(p);
    int fd;
    p = free_play_with_outsider(&fd);
    REQUIRE(p);
    keys(p, "q");
    CHECK(!presenter_quitting(p));
    const char *t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "quit?");
    CHECK_CONTAINS(t, "Quitting resets 1 outside connection.");
    keys(p, "n");
    CHECK(!presenter_quitting(p));
    keys(p, "qq"); /* the quit? box: q, q quits */
    CHECK(presenter_quitting(p));
    close(fd);
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

/* At 100 columns every line of the keys' help is whole (r's and q's were
 * cut): no ellipsis on its page. */
void test_presenter_help_lines_fit_100_columns(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN);
    REQUIRE(p);
    keys(p, "?");
    screen(p, &g, &b);
    for (int y = 0; y < g.h; y++) {
        const char *r = row(&g, y, &b);
        if (strstr(r, "│ ") && strstr(r, "…"))
            harness_fail(__FILE__, __LINE__, "help row %d is cut: %s", y, r);
    }
    CHECK_CONTAINS(screen(p, &g, &b), "quit; asks mid-lesson or with outside clients (quit)");
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

/* show knobs: an overlay like help's, and each knob says who set it: a
 * key by its name, the prompt, the comparison's origin per side; free
 * play's carry-over keeps the origin with the value. */
void test_presenter_show_knobs_follows_keys_and_prompt(void)
{
    struct grid g = {0};
    struct sbuf b = {0}, flat = {0};
    struct presenter *p = new_presenter(NULL);
    REQUIRE(p);
    presenter_key(p, KEY_CODE_ESC); /* free play */
    presenter_key(p, 'B');          /* budget drain -> 512 */
    presenter_key(p, 'm');          /* lt -> et */
    CHECK_EQ(presenter_command(p, "accept one"), 0);
    CHECK_EQ(presenter_command(p, "show knobs"), 0);
    const char *t = squeezed(screen(p, &g, &b), &flat); /* columns follow the names */
    CHECK_CONTAINS(t, " knob value set by ");
    CHECK_CONTAINS(t, " mode et key m ");
    CHECK_CONTAINS(t, " budget 512 B key B ");
    CHECK_CONTAINS(t, " accept one prompt ");
    CHECK_CONTAINS(t, " reader eagain default ");
    CHECK_CONTAINS(t, "any key closes");
    presenter_key(p, 'x');
    CHECK(!strstr(screen(p, &g, &b), "any key closes"));

    CHECK_EQ(presenter_command(p, "compare lt et"), 0);
    CHECK_EQ(presenter_command(p, "show knobs"), 0);
    t = squeezed(screen(p, &g, &b), &flat);
    CHECK_CONTAINS(t, " mode lt lt prompt ");
    CHECK_CONTAINS(t, " mode et et prompt ");
    CHECK_CONTAINS(t, " budget both 512 B key B "); /* carried over */
    presenter_key(p, 'x');
    presenter_key(p, 'b'); /* on both sides */
    CHECK_EQ(presenter_command(p, "show knobs"), 0);
    CHECK_CONTAINS(squeezed(screen(p, &g, &b), &flat), " budget both drain key b ");
    presenter_key(p, 'x');
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
    sbuf_free(&flat);
}

/* At 100 columns nothing the class reads is cut: a STARVED reason on the
 * message line (it wraps), the menu entry of the longest title, and a
 * lesson's title in its narration's rule at the last step. */
void test_presenter_texts_fit_100_columns(void)
{
    static const char *const title = "Half-close, close, and the loop that spins";
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter("scenarios/07-listener-accept-one.scn");
    REQUIRE(p);
    keys(p, " ");
    const char *m = message(p, &g, &b);
    CHECK_CONTAINS(m, "listener: STARVED since tick 1: 2 connections in the accept queue, "
                      "accept() stopped before EAGAIN, no new edge until another client connects");
    CHECK(!strstr(m, "\xe2\x80\xa6")); /* … */
    keys(p, "s");
    CHECK_CONTAINS(screen(p, &g, &b), title);
    fixture_presenter_free(p);

    p = new_presenter("scenarios/09-half-close.scn");
    REQUIRE(p);
    for (int i = 0; i < 20 && !scenario_done(presenter_scenario(p)); i++) {
        keys(p, " ");
        while (presenter_work(p))
            ;
    }
    REQUIRE(scenario_done(presenter_scenario(p)));
    screen(p, &g, &b);
    int r = find_row(&g, "end: r restarts");
    REQUIRE(r >= 0);
    CHECK_CONTAINS(row(&g, r, &b), title);
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}

/* ? lists the keys, then the panes and the layout rule; longer than the
 * screen, it scrolls with the moving keys, and another key closes it. */
void test_presenter_help_lists_the_panes(void)
{
    struct grid g = {0};
    struct sbuf b = {0};
    struct presenter *p = new_presenter(ET_SCN);
    REQUIRE(p);
    keys(p, "?");
    const char *t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "Tab ");
    CHECK_CONTAINS(t, "PgUp PgDn scroll   other keys close");
    presenter_key(p, KEY_CODE_END);
    t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "keys: each one runs a command"); /* still open */
    CHECK_CONTAINS(t, "panes               v cycles all, trace, code, kernel, none");
    CHECK_CONTAINS(t, "  trace             the server's calls as strace prints them");
    CHECK_CONTAINS(t, "  code              the server's loop in C");
    CHECK_CONTAINS(t, "  kernel            the epoll instance");
    CHECK_CONTAINS(t, "layout              the connections first, then the narration");
    /* The timeline's legend, the write side's row among it. */
    CHECK_CONTAINS(t, "  wakeup            ▲ epoll_wait returned the fd");
    CHECK_CONTAINS(t, "  out               the write side (reply echo, EPOLLOUT): █ replies");
    CHECK_CONTAINS(t, "write, △ EPOLLOUT came with nothing to write (the");
    keys(p, "x");
    CHECK(!strstr(screen(p, &g, &b), "keys: each one runs a command"));
    fixture_presenter_free(p);
    grid_free(&g);
    sbuf_free(&b);
}
