/*
 * test_truths.c - what the screen says is true of the kernel: the census
 * counts connections by what epoll will do with them, a FIN makes a
 * connection half-closed (not "closed"), and a starved connection whose
 * receive window is closed is not said to wait for its client to send.
 */
#include "fixture.h"
#include "harness.h"
#include "notify.h"
#include "probe.h"

static const char *census_row(struct fixture *f, struct grid *g, struct sbuf *b)
{
    struct view v = {0};
    v.gl = glyphs_for(false);
    struct screen s = {.engine = f->e, .view = &v};
    grid_free(g);
    grid_init(g, 100, 30);
    render_screen(&s, g);
    int r = find_row(g, "connections ");
    return r < 0 ? "" : row(g, r, b);
}

void test_truths_census_counts_what_epoll_will_do(void)
{
    struct fixture f;
    struct grid g = {0};
    struct sbuf b = {0};
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "mode lt");
    run(&f, "eof ignore");
    run(&f, "connect a");
    run(&f, "connect b");
    run(&f, "tick");
    /* The EOF spin: LT reports b on every epoll_wait. */
    run(&f, "shutdown b");
    run(&f, "tick 3");
    CHECK_EQ(server_find(engine_server(f.e), "b")->wakeups, 3);
    CHECK_CONTAINS(census_row(&f, &g, &b), "connections 2 · 0 starved · 1 every tick · 0 next tick · 1 idle");
    /* Under ET the MOD reports it once more, then never: idle, not "to read". */
    run(&f, "mode et");
    run(&f, "tick 3");
    CHECK_EQ(server_find(engine_server(f.e), "b")->wakeups, 4);
    CHECK_CONTAINS(census_row(&f, &g, &b), "connections 2 · 0 starved · 0 every tick · 0 next tick · 2 idle");
    /* Bytes that arrived since the last handling: ET reports them next tick. */
    run(&f, "send a 10");
    CHECK_CONTAINS(census_row(&f, &g, &b), "0 starved · 0 every tick · 1 next tick · 1 idle");
    /* Read in part: no edge will come for the rest. */
    run(&f, "budget 4");
    run(&f, "tick");
    CHECK_CONTAINS(census_row(&f, &g, &b), "1 starved · 0 every tick · 0 next tick · 1 idle");
    sbuf_free(&b);
    grid_free(&g);
    fixture_close(&f);
}

void test_truths_fin_is_half_closed(void)
{
    struct fixture f;
    struct grid g = {0};
    struct sbuf b = {0};
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "eof ignore");
    run(&f, "connect a");
    run(&f, "tick");
    run(&f, "shutdown a");
    run(&f, "tick");
    census_row(&f, &g, &b);
    int r = find_row(&g, "▶ a ");
    REQUIRE(r >= 0);
    CHECK_CONTAINS(row(&g, r, &b), "half-closed");
    CHECK(!strstr(text_of(&g, &b), "peer closed"));
    sbuf_free(&b);
    grid_free(&g);
    fixture_close(&f);
}

void test_truths_starved_with_the_window_closed(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "rcvbuf 4096");
    run(&f, "mode et");
    run(&f, "budget 16");
    run(&f, "connect a");
    run(&f, "tick");
    /* Open window: the client could send, and that would make an edge. */
    run(&f, "send a 100");
    run(&f, "tick");
    struct conn *c = server_find(engine_server(f.e), "a");
    REQUIRE(c);
    CHECK(c->notify.starved == STARVE_EDGE);
    CHECK(!c->window_closed);
    struct sbuf why = {0};
    conn_starve_reason(c, c->notify.starved, &why);
    CHECK_CONTAINS(sbuf_str(&why), "no new edge until the client sends");
    /* Fill the buffer until the kernel advertises a zero window. */
    run(&f, "send a 20000");
    run(&f, "tick");
    c = server_find(engine_server(f.e), "a");
    CHECK(c->notify.starved == STARVE_EDGE);
    long w = probe_own_window(c->fd);
    if (w < 0) {
        printf("# skipped: this kernel does not report tcpi_rcv_wnd\n");
    } else {
        CHECK_EQ(w, 0);
        CHECK(c->window_closed);
        sbuf_reset(&why);
        conn_starve_reason(c, c->notify.starved, &why);
        CHECK_CONTAINS(sbuf_str(&why), "the receive window is closed, so the client cannot send");
        CHECK(!strstr(sbuf_str(&why), "until the client sends"));
    }
    sbuf_free(&why);
    fixture_close(&f);
}

/* A starvation that ends before the next epoll_wait was missed by no tick:
 * the transcript does not say "after 0 ticks" (lesson 07's re-arm). */
void test_truths_recovery_before_a_tick_is_not_after_0_ticks(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "mode et");
    run(&f, "budget 16");
    run(&f, "connect a");
    run(&f, "tick");
    run(&f, "send a 40");
    run(&f, "tick");
    REQUIRE(server_find(engine_server(f.e), "a")->notify.starved == STARVE_EDGE);
    run(&f, "rearm a");
    CHECK_CONTAINS(sbuf_str(&f.log), "a: no longer starved at once: ");
    CHECK(!strstr(sbuf_str(&f.log), "after 0 ticks"));
    /* Missed by two epoll_waits: it says two. */
    run(&f, "tick");
    REQUIRE(server_find(engine_server(f.e), "a")->notify.starved == STARVE_EDGE);
    run(&f, "tick 2");
    run(&f, "send a 1");
    CHECK_CONTAINS(sbuf_str(&f.log), "a: no longer starved after 2 ticks: ");
    fixture_close(&f);
}
