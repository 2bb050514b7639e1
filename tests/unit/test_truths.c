/*
 * test_truths.c - what the screen says is true of the kernel: the census
 * counts connections by what epoll will do with them, a FIN makes a
 * connection half-closed (not "closed"), and a starved connection whose
 * receive window is closed is not said to wait for its client to send,
 * and a send queue passes SO_SNDBUF by one segment at most, as lesson 20
 * says.
 */
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "fixture.h"
#include "harness.h"
#include "notify.h"
#include "panel.h"
#include "probe.h"

/* Renders f's engine at w x h into g. */
static void draw_at(struct fixture *f, struct grid *g, int w, int h)
{
    struct view v = {0};
    v.gl = glyphs_for(false);
    struct screen s = {.engine = f->e, .view = &v};
    grid_free(g);
    grid_init(g, w, h);
    render_screen(&s, g);
}

static const char *census_row(struct fixture *f, struct grid *g, struct sbuf *b)
{
    draw_at(f, g, 100, 30);
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

/* Where a decimal unit (KB, MB, GB, kB) is written in text, or NULL: the
 * screen counts in KiB and MiB (format_bytes), so the words must too. */
static const char *decimal_unit(const char *text)
{
    for (const char *p = text; (p = strpbrk(p, "kKMG")) != NULL; p++) {
        bool after_number = p > text && (p[-1] == ' ' || (p[-1] >= '0' && p[-1] <= '9'));
        bool word_end = p[1] == 'B' && !(p[2] >= 'A' && p[2] <= 'Z') &&
                        !(p[2] >= 'a' && p[2] <= 'z');
        if (after_number && word_end)
            return p;
    }
    return NULL;
}

static void check_units(const char *path)
{
    char *text = read_text(path);
    if (!text) {
        harness_fail(__FILE__, __LINE__, "cannot read %s", path);
        return;
    }
    const char *at = decimal_unit(text);
    if (at) {
        int line = 1;
        for (const char *q = text; q < at; q++)
            line += *q == '\n';
        harness_fail(__FILE__, __LINE__, "%s:%d: a decimal unit (\"%.2s\"); the screen says KiB",
                     path, line, at);
    }
    free(text);
}

/* One unit everywhere: the lessons' words, the README and the man page
 * say KiB as the screen does (lessons 10 and 11 said "KB"). */
void test_truths_one_unit_everywhere(void)
{
    CHECK(decimal_unit("a sends 60 KB") != NULL);
    CHECK(decimal_unit("8KB") != NULL);
    CHECK(decimal_unit("8 KiB, 64 MiB, a KBD, OKB") == NULL);
    check_units("README.md");
    check_units("epollviz.1");
    DIR *d = opendir("scenarios");
    REQUIRE(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 4, ".scn") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "scenarios/%s", e->d_name);
        check_units(path);
    }
    closedir(d);
}

/* The listener's STARVED badge never covers its own counters: where they
 * leave no room (80 columns), it opens the reason's row (lesson 07). */
void test_truths_listener_badge_covers_nothing(void)
{
    struct fixture f;
    struct grid g = {0};
    struct sbuf b = {0};
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "mode et");
    run(&f, "accept one");
    run(&f, "connect w 3");
    run(&f, "tick 4");
    static const int widths[] = {80, 100, 160};
    for (size_t i = 0; i < ARRAY_LEN(widths); i++) {
        draw_at(&f, &g, widths[i], 24);
        int r = find_row(&g, "listener ");
        REQUIRE(r >= 0);
        const char *line = row(&g, r, &b);
        CHECK_CONTAINS(line, "2 of 4096  accepted 1  wakeups 1");
        if (!strstr(line, "STARVED 3 ticks"))
            CHECK_CONTAINS(row(&g, r + 1, &b), "  STARVED 3 ticks  2 connections in the accept queue");
    }
    sbuf_free(&b);
    grid_free(&g);
    fixture_close(&f);
}

/* The dense line keeps the number the fairness lesson is about: what a
 * connection waited for others (lesson 10 side by side lost it). */
void test_truths_dense_line_keeps_waited(void)
{
    struct fixture f;
    struct grid g = {0};
    struct sbuf b = {0};
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "mode lt");
    run(&f, "budget drain");
    run(&f, "connect flood");
    run(&f, "connect b");
    run(&f, "tick");
    run(&f, "send flood 20000");
    run(&f, "send b \"ping\\n\"");
    run(&f, "tick");
    struct conn *c = server_find(engine_server(f.e), "b");
    REQUIRE(c);
    REQUIRE(c->waited == 20000);
    struct view v = {0};
    v.gl = glyphs_for(false);
    struct screen s = {.engine = f.e, .view = &v};
    /* The narrowest screen: the number comes before the usual counters. */
    grid_init(&g, 80, 1);
    panel_draw_dense(&s, &g, 0, c, false);
    CHECK_CONTAINS(row(&g, 0, &b), "waited 19 KiB");
    sbuf_free(&b);
    grid_free(&g);
    fixture_close(&f);
}

/* Lesson 20's second step says its out bar may pass SO_SNDBUF by up to
 * one segment (the kernel checks for room before it starts a segment, not
 * while it fills one): there the server's send queue (SIOCOUTQ) is at most
 * SO_SNDBUF and the socket's MSS (TCP_INFO). */
void test_truths_send_queue_passes_sndbuf_by_a_segment_at_most(void)
{
    struct presenter *p = new_presenter("scenarios/20-slow-reader.scn");
    REQUIRE(p);
    keys(p, " ");
    while (presenter_busy(p))
        presenter_work(p);
    REQUIRE(scenario_step(presenter_scenario(p)) == 2);
    CHECK_CONTAINS(engine_narration(presenter_engine(p)), "by up to one segment");
    struct server *s = psrv(p);
    REQUIRE(server_conn_count(s) == 2);
    const struct conn *a = server_conn_at(s, 0);
    REQUIRE(strcmp(a->label, "a") == 0);
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    REQUIRE(getsockopt(a->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0);
    CHECK(a->outq > 0);
    CHECK(a->sndbuf > 0);
    if (a->outq > a->sndbuf + (long)ti.tcpi_snd_mss)
        harness_fail(__FILE__, __LINE__, "send queue %ld B: over SO_SNDBUF %ld B and a segment (%u B)",
                     a->outq, a->sndbuf, ti.tcpi_snd_mss);
    if (a->outq > a->sndbuf)
        printf("# send queue %ld B, SO_SNDBUF %ld B: %ld B over, one segment of %u B at most\n",
               a->outq, a->sndbuf, a->outq - a->sndbuf, ti.tcpi_snd_mss);
    fixture_presenter_free(p);
}
