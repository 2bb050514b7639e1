/*
 * test_render.c - whole screens from a real engine at every size: the
 * layouts, the smallest one, starvation and its end, escaped client bytes, a
 * thousand connections, overlays.
 */
#include "harness.h"

#include <sys/resource.h>
#include <unistd.h>

#include "fixture.h"
#include "keymap.h"
#include "render.h"

/* Renders the fixture's engine (free play) into a fresh w x h grid; the
 * caller frees it.  Keeps where the dense list stands, as the presenter does. */
static void render_at(struct fixture *f, struct grid *g, int w, int h)
{
    struct render_out out;
    struct screen s = {.engine = f->e, .scenario = NULL, .view = &f->view, .out = &out};
    grid_init(g, w, h);
    render_screen(&s, g);
    f->view.top = out.conn_top;
}

struct accepted {
    struct fixture *f;
    size_t want;
};

static bool all_accepted(void *arg)
{
    struct accepted *w = arg;
    run(w->f, "tick");
    return server_stats(engine_server(w->f->e))->open_conns >= w->want;
}

void test_render_sizes(void)
{
    static const struct {
        const char *cmd, *word, *sub;
    } modes[] = {{"mode lt", "LT", "level"}, {"mode et", "ET", "edge"},
                 {"mode oneshot", "ONESHOT", "one-shot"}};
    struct fixture f;
    struct sbuf b = {0};
    REQUIRE(fixture_open(&f, NULL));
    for (size_t m = 0; m < ARRAY_LEN(modes); m++) {
        run(&f, modes[m].cmd);
        for (size_t i = 0; i < ARRAY_LEN(screen_sizes); i++) {
            struct grid g;
            render_at(&f, &g, screen_sizes[i].w, screen_sizes[i].h);
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
    for (size_t i = 0; i < ARRAY_LEN(screen_sizes); i++) {
        struct grid g;
        render_at(&f, &g, screen_sizes[i].w, screen_sizes[i].h);
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
    for (size_t i = 0; i < ARRAY_LEN(screen_sizes); i++) {
        struct grid g;
        grid_init(&g, screen_sizes[i].w, screen_sizes[i].h);
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
    fixture_close(&f);
    sbuf_free(&b);
}

void test_render_too_small(void)
{
    static const struct {
        int w, h;
    } small[] = {{59, 18}, {60, 17}, {20, 5}, {1, 1}, {0, 0}};
    struct fixture f;
    struct sbuf b = {0};
    REQUIRE(fixture_open(&f, NULL));
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
    fixture_close(&f);
    sbuf_free(&b);
}

void test_render_starved_then_mode_switch(void)
{
    struct fixture f;
    struct sbuf b = {0};
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "mode et");
    run(&f, "budget 16");
    run(&f, "connect a");
    run(&f, "send a 64");
    run(&f, "tick 3");
    struct conn *a = conn(&f, "a");
    REQUIRE(a && a->notify.starved == STARVE_EDGE);
    for (size_t i = 0; i < ARRAY_LEN(screen_sizes); i++) {
        struct grid g;
        render_at(&f, &g, screen_sizes[i].w, screen_sizes[i].h);
        check_screen(&g, "ET", "edge");
        const char *t = text_of(&g, &b);
        CHECK_CONTAINS(t, "STARVED");
        CHECK_CONTAINS(t, "48 B");                  /* the buffer's row */
        if (g.w >= 80) /* the reason, whole in its row; narrower, fewer words */
            CHECK_CONTAINS(t, "stopped before EAGAIN");
        CHECK_CONTAINS(t, "no new edge until the client sends");
        CHECK_CONTAINS(t, "1 starved");
        int r = find_row(&g, "STARVED");
        REQUIRE(r >= 0);
        CHECK_EQ(grid_at(&g, 3, r)->role, ROLE_STARVED);
        grid_free(&g);
    }
    run(&f, "mode lt"); /* EPOLL_CTL_MOD: an event is due, nothing starves */
    for (size_t i = 0; i < ARRAY_LEN(screen_sizes); i++) {
        struct grid g;
        render_at(&f, &g, screen_sizes[i].w, screen_sizes[i].h);
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
    for (size_t i = 0; i < ARRAY_LEN(screen_sizes); i++) {
        struct grid g;
        render_at(&f, &g, screen_sizes[i].w, screen_sizes[i].h);
        check_screen(&g, "ET", "edge");
        /* Beside the counters, or where it covers none: on the reason's row. */
        if (!strstr(row(&g, 2, &b), "STARVED"))
            CHECK_CONTAINS(row(&g, 3, &b), "  STARVED ");
        CHECK_CONTAINS(row(&g, 3, &b), "2 connections in the accept queue");
        /* One row lower, or two: the reason wraps, never cut. */
        int c = find_row(&g, "─ connections ");
        CHECK(c >= 4 && c <= 6);
        CHECK_CONTAINS(row(&g, c - 1, &b), "client connects");
        grid_free(&g);
    }
    fixture_close(&f);
    sbuf_free(&b);
}

void test_render_escapes_client_bytes(void)
{
    struct fixture f;
    struct sbuf b = {0};
    REQUIRE(fixture_open(&f, NULL));
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
    fixture_close(&f);
    sbuf_free(&b);
}

void test_render_thousand_connections(void)
{
    enum { N = 1000 };
    struct rlimit saved, need;
    REQUIRE(getrlimit(RLIMIT_NOFILE, &saved) == 0);
    /* Both ends live in this process: two descriptors per connection. */
    rlim_t fds = 2 * N + 64;
    need = saved;
    if (saved.rlim_cur != RLIM_INFINITY && saved.rlim_cur < fds) {
        if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < fds) {
            printf("# test_render_thousand_connections: skipped: RLIMIT_NOFILE hard limit "
                   "%llu < %llu\n",
                   (unsigned long long)saved.rlim_max, (unsigned long long)fds);
            return;
        }
        need.rlim_cur = fds;
        REQUIRE(setrlimit(RLIMIT_NOFILE, &need) == 0);
    }

    struct fixture f;
    struct sbuf b = {0};
    if (!fixture_open(&f, NULL)) {
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

    for (size_t i = 0; i < ARRAY_LEN(screen_sizes); i++) {
        struct grid g;
        f.view.selected = 0;
        f.view.top = 0;
        render_at(&f, &g, screen_sizes[i].w, screen_sizes[i].h);
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
        render_at(&f, &g, screen_sizes[i].w, screen_sizes[i].h);
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
        render_at(&f, &g, screen_sizes[i].w, screen_sizes[i].h);
        CHECK_EQ(f.view.top, 500); /* moved up: it is the first line now */
        CHECK_EQ(find_row_from(&g, r + 2, "▶ w.501 "), r + 1 + PANEL_ROWS);
        f.view.selected = server_conn_at(srv, 0)->id;
        grid_free(&g);
        render_at(&f, &g, screen_sizes[i].w, screen_sizes[i].h);
        CHECK_EQ(f.view.top, 0);
        grid_free(&g);
    }
    fixture_close(&f);
    sbuf_free(&b);
    setrlimit(RLIMIT_NOFILE, &saved);
}

/* Overlays over narration in a double-width script: every row must stay
 * as wide as the screen. */
void test_render_overlay_over_wide_narration(void)
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
    REQUIRE(write_text(sbuf_str(&path), sbuf_str(&text)));
    struct presenter *p = new_presenter(sbuf_str(&path));
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
    fixture_presenter_free(p);
    unlink(sbuf_str(&path));
    grid_free(&g);
    sbuf_free(&b);
    sbuf_free(&path);
    sbuf_free(&text);
}

/* A step with expects but nothing said (and one with neither) must draw:
 * the narration pane has no lines of text then. */
void test_render_step_without_say(void)
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

/* The header's first row ends whole at every size, the clock and the
 * tick last: with the write side's knobs at 80 columns, knobs at their
 * default make room (the first first), the others stay; narrower, the
 * clock too. */
void test_render_header_fits(void)
{
    struct fixture f;
    struct sbuf b = {0};
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "mode et");
    run(&f, "reply echo");
    run(&f, "out always");
    run(&f, "wbudget 16");
    run(&f, "tick 123");
    for (size_t i = 0; i < ARRAY_LEN(screen_sizes); i++) {
        struct grid g;
        render_at(&f, &g, screen_sizes[i].w, screen_sizes[i].h);
        const char *top = row(&g, 0, &b);
        size_t n = strlen(top);
        while (n && top[n - 1] == ' ')
            n--;
        if (!(n >= 8 && strncmp(top + n - 8, "tick 123", 8) == 0))
            harness_fail(__FILE__, __LINE__, "%dx%d: header ends \"%s\"", g.w, g.h, top);
        if (g.w >= 80) /* narrower, the clock gives way first */
            CHECK_CONTAINS(top, "clock paused");
        CHECK_CONTAINS(top, "reply echo");
        CHECK_CONTAINS(top, "out always");
        CHECK_CONTAINS(top, "wbudget 16 B");
        if (g.w >= 100) /* room for all: nothing is dropped */
            CHECK_CONTAINS(top, "budget drain");
        grid_free(&g);
    }
    fixture_close(&f);
    sbuf_free(&b);
}

/* A count drawn is FIONREAD's: a count the sample carried from the
 * server's reads is asked before its panel is drawn, full or dense; one
 * off screen is not. */
void test_render_asks_the_counts_it_draws(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "connect w 40");
    run(&f, "tick");
    run(&f, "send w 8");
    run(&f, "tick");
    struct conn *first = conn(&f, "w.1"), *last = conn(&f, "w.40");
    REQUIRE(first && last);
    CHECK(first->pending_from == PENDING_FROM_READS);
    CHECK(last->pending_from == PENDING_FROM_READS);
    struct grid g;
    render_at(&f, &g, 100, 30); /* the first ones drawn, one line each */
    CHECK(first->pending_from == PENDING_ASKED);
    CHECK_EQ(first->pending, 0);
    CHECK(last->pending_from == PENDING_FROM_READS); /* not on screen */
    grid_free(&g);
    fixture_close(&f);
}
