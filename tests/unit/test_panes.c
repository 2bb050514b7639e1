/*
 * test_panes.c - the explaining panes: the choice (--panes, the pane
 * key's cycle), the trace pane showing the transcript's own lines, and
 * the kernel view showing every fd of the interest list as fdinfo has it,
 * and the code pane, line by line true of the server under every knob.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#include "codepane.h"
#include "fdinfo.h"
#include "fixture.h"
#include "panes.h"
#include "tracepane.h"

void test_panes_parse_and_cycle(void)
{
    unsigned v = 0;
    struct sbuf err = {0}, out = {0};
    CHECK_EQ(panes_parse("all", &v, &err), 0);
    CHECK_EQ(v, PANES_ALL);
    CHECK_EQ(panes_parse("kernel,trace", &v, &err), 0);
    CHECK_EQ(v, PANE_KERNEL | PANE_TRACE);
    panes_format(v, &out);
    CHECK_STR(sbuf_str(&out), "trace,kernel");
    CHECK_EQ(panes_parse("none", &v, &err), 0);
    CHECK_EQ(v, 0);
    CHECK_EQ(panes_parse("trace,cod", &v, &err), -1);
    CHECK_CONTAINS(sbuf_str(&err), "'cod' is not a pane");
    /* The key's cycle visits every single pane and comes back. */
    unsigned seen = 0, p = PANES_ALL;
    for (int i = 0; i < 5; i++) {
        p = panes_next(p);
        seen |= 1u << p;
    }
    CHECK_EQ(p, PANES_ALL);
    CHECK(seen & (1u << PANE_TRACE) && seen & (1u << PANE_CODE) && seen & (1u << PANE_KERNEL) &&
          seen & 1u);
    sbuf_free(&err);
    sbuf_free(&out);
}

/* Lesson 04, step 2, at 100x30: the trace pane shows the tick's
 * epoll_wait and read with their results, the tick in the margin. */
void test_panes_trace_shows_the_calls(void)
{
    struct presenter *p = new_presenter(ET_SCN);
    REQUIRE(p);
    struct grid g = {0};
    struct sbuf b = {0};
    keys(p, " ");
    screen(p, &g, &b);
    int t = find_row(&g, "trace: the server's calls");
    REQUIRE(t >= 0);
    int w = find_row_from(&g, t, "t2  epoll_wait(0) = 1: a IN");
    int r = find_row_from(&g, t, "a: read(16) = 16 \"abcdefghijklmnop\"");
    CHECK(w > t && r > w);
    CHECK(find_row_from(&g, t, "budget of 16 B spent before EAGAIN") > r);
    /* The EAGAIN of the accept loop has its own role. */
    int e = find_row_from(&g, t, "accept() = -1 EAGAIN");
    REQUIRE(e > t);
    const char *line = row(&g, e, &b);
    int x = (int)(strstr(line, "accept()") - line);
    CHECK_EQ(grid_at(&g, x, e)->role, ROLE_TRACE_EAGAIN);
    grid_free(&g);
    sbuf_free(&b);
    fixture_presenter_free(p);
}

/* The kernel view lists every fd of the interest list as /proc has it
 * now, each with its name and its mask in words. */
void test_panes_kernel_view_lists_every_fd(void)
{
    struct presenter *p = new_presenter(ET_SCN);
    REQUIRE(p);
    struct grid g = {0};
    struct sbuf b = {0}, err = {0};
    keys(p, " ");
    screen(p, &g, &b);
    int k = find_row(&g, "kernel: epoll instance");
    REQUIRE(k >= 0);
    CHECK(find_row_from(&g, k, "read from fdinfo") == k + 1);
    CHECK(find_row_from(&g, k, "next epoll_wait: derived") == k + 1);
    struct server *srv = psrv(p);
    struct fdinfo now;
    REQUIRE(fdinfo_read(server_epoll_fd(srv), &now, &err) == 0);
    CHECK_EQ(now.n, 2);
    for (size_t i = 0; i < now.n; i++) {
        struct sbuf want = {0};
        const char *name = now.v[i].fd == server_listener_fd(srv) ? "listener" : "a";
        sbuf_printf(&want, "%5d %-14s ", now.v[i].fd, name);
        fdinfo_mask_words(now.v[i].events, &want);
        CHECK(find_row_from(&g, k, sbuf_str(&want)) > k + 1);
        if (find_row_from(&g, k, sbuf_str(&want)) < 0)
            printf("# missing '%s' in\n%s", sbuf_str(&want), text_of(&g, &b));
        sbuf_free(&want);
    }
    CHECK(find_row_from(&g, k, "IN RDHUP ET") > k);
    CHECK(find_row_from(&g, k, "starved: 48 B, no event will come") > k);
    fdinfo_free(&now);
    grid_free(&g);
    sbuf_free(&b);
    sbuf_free(&err);
    fixture_presenter_free(p);
}

static bool has_line(const struct code_lines *c, const char *needle)
{
    for (size_t i = 0; i < c->n; i++)
        if (strstr(c->line[i], needle))
            return true;
    return false;
}

/* The mask words the kernel holds for the connection named label. */
static void kernel_words(struct fixture *f, const char *label, struct sbuf *out)
{
    struct server *srv = engine_server(f->e);
    const struct fdinfo *fi = server_interest(srv);
    struct conn *c = conn(f, label);
    for (size_t i = 0; c && i < fi->n; i++)
        if (fi->v[i].fd == c->fd)
            fdinfo_mask_words(fi->v[i].events, out);
}

/* For every combination of the knobs the code pane shows, what its lines
 * say is what the server does: the mask in the kernel, how many accepts
 * one wakeup makes, where the read loop stops, the re-arm, and what a
 * read of 0 does. */
void test_panes_code_is_what_the_server_does(void)
{
    static const char *const modes[] = {"lt", "et", "oneshot"};
    for (unsigned m = 0; m < 3; m++)
        for (unsigned combo = 0; combo < 16; combo++) {
            bool drain = combo & 1, all = combo & 2, rearm = combo & 4, ignore = combo & 8;
            char cmd[64];
            struct fixture f;
            REQUIRE(fixture_open(&f, NULL));
            snprintf(cmd, sizeof cmd, "budget %s", drain ? "drain" : "16");
            run(&f, cmd);
            run(&f, all ? "accept all" : "accept one");
            run(&f, rearm ? "autorearm on" : "autorearm off");
            run(&f, ignore ? "eof ignore" : "eof close");
            snprintf(cmd, sizeof cmd, "mode %s", modes[m]);
            run(&f, cmd);
            struct code_lines c;
            codepane_lines(server_knobs(engine_server(f.e)), &c);
            char what[96];
            snprintf(what, sizeof what, "mode %s, %s, accept %s, autorearm %s, eof %s", modes[m],
                     drain ? "drain" : "budget 16", all ? "all" : "one", rearm ? "on" : "off",
                     ignore ? "ignore" : "close");

            /* Accepts: two clients queued, one wakeup. */
            run(&f, "connect a");
            run(&f, "connect b");
            size_t before = log_count(&f, "accept() = connection");
            run(&f, "tick");
            size_t accepted = log_count(&f, "accept() = connection") - before;
            if (has_line(&c, "while ((fd = accept4") != (accepted == 2))
                harness_fail(__FILE__, __LINE__, "%s: %zu accepted in one wakeup", what, accepted);

            /* The mask the kernel holds for a connection. */
            struct sbuf w = {0};
            kernel_words(&f, "a", &w);
            bool et = strstr(sbuf_str(&w), "ET") != NULL;
            bool oneshot = strstr(sbuf_str(&w), "ONESHOT") != NULL;
            if (has_line(&c, "EPOLLIN | EPOLLRDHUP | EPOLLET;") != et ||
                has_line(&c, "EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;") != oneshot)
                harness_fail(__FILE__, __LINE__, "%s: the kernel holds '%s'", what, sbuf_str(&w));

            /* The read loop: 64 bytes, one wakeup. */
            run(&f, "send a 64");
            before = log_count(&f, "a: read(");
            size_t eagain = log_count(&f, "a: read(65536) = -1 EAGAIN");
            size_t spent = log_count(&f, "budget of 16 B spent");
            run(&f, "tick");
            bool reached_eagain = log_count(&f, "a: read(65536) = -1 EAGAIN") > eagain;
            bool budget_spent = log_count(&f, "budget of 16 B spent") > spent;
            if (has_line(&c, "for (;;) {  /* drain") != reached_eagain ||
                has_line(&c, "while (got < 16)") != budget_spent)
                harness_fail(__FILE__, __LINE__, "%s: %zu reads, EAGAIN %d, budget spent %d", what,
                             log_count(&f, "a: read(") - before, reached_eagain, budget_spent);

            /* The re-arm, as the kernel holds it after the wakeup. */
            sbuf_reset(&w);
            kernel_words(&f, "a", &w);
            bool disarmed = strstr(sbuf_str(&w), "disarmed") != NULL;
            bool mod = has_line(&c, "epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev); /* re-arm */");
            if (m == 2 && mod == disarmed)
                harness_fail(__FILE__, __LINE__, "%s: after the wakeup the kernel holds '%s'",
                             what, sbuf_str(&w));

            /* A read of 0: closed, or left registered by the bug. */
            if (m != 2 || rearm) {
                run(&f, "drain a");
                run(&f, "close a");
                run(&f, "tick");
                struct conn *a = conn(&f, "a");
                bool closed = a && a->state == CONN_CLOSED;
                if (has_line(&c, "BUG: fd stays registered") == closed)
                    harness_fail(__FILE__, __LINE__, "%s: after a read of 0 closed is %d", what,
                                 closed);
            }
            sbuf_free(&w);
            fixture_close(&f);
        }
}

/* At 160x40 the code pane sits beside the connections and follows the
 * knobs: EPOLLET in ET and not after m, the read loop after b. */
void test_panes_code_follows_the_knobs(void)
{
    struct presenter *p = new_presenter(ET_SCN);
    REQUIRE(p);
    struct grid g = {0};
    struct sbuf b = {0};
    presenter_resize(p, 160, 40);
    keys(p, " ");
    screen(p, &g, &b);
    int c = find_row(&g, "the server loop (et, budget 16");
    REQUIRE(c >= 0);
    CHECK(find_row(&g, "EPOLLIN | EPOLLRDHUP | EPOLLET;") > c);
    CHECK(find_row(&g, "while (got < 16) {") > c);
    keys(p, "m");
    screen(p, &g, &b);
    CHECK(find_row(&g, "the server loop (lt, budget 16") >= 0);
    CHECK(find_row(&g, "EPOLLET") < 0);
    CHECK(find_row(&g, "ev.events = EPOLLIN | EPOLLRDHUP;") >= 0);
    keys(p, "b");
    screen(p, &g, &b);
    CHECK(find_row(&g, "while (got < 64) {") >= 0);
    CHECK(find_row(&g, "while (got < 16) {") < 0);
    grid_free(&g);
    sbuf_free(&b);
    fixture_presenter_free(p);
}
