/*
 * test_panes.c - the explaining panes: the choice (--panes, the pane
 * key's cycle), the trace pane showing the transcript's own lines, and
 * the kernel view showing every fd of the interest list as fdinfo has it,
 * and the code pane, line by line true of the server under every knob.
 */
#include "harness.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>

#include "call.h"
#include "codepane.h"
#include "fdinfo.h"
#include "fixture.h"
#include "kernelview.h"
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
    /* strace's words, with the fds the kernel view names. */
    struct server *srv = psrv(p);
    const struct conn *a = server_find(srv, "a");
    REQUIRE(a);
    char want[128];
    snprintf(want, sizeof want, "t2  epoll_wait(%d, [a IN], 256, 0) = 1", server_epoll_fd(srv));
    int w = find_row_from(&g, t, want);
    snprintf(want, sizeof want, "    read(%d a, \"abcdefghijklmnop\", 16) = 16", a->fd);
    int r = find_row_from(&g, t, want);
    CHECK(w > t && r > w);
    if (!(w > t && r > w))
        printf("# no '%s' under the epoll_wait in\n%s", want, text_of(&g, &b));
    /* A note under its connection's own call needs no name. */
    CHECK(find_row_from(&g, t, "    budget of 16 B spent before EAGAIN") > r);
    snprintf(want, sizeof want, "accept4(%d listener, ...) = %d a", server_listener_fd(srv), a->fd);
    CHECK(find_row_from(&g, t, want) > t);
    /* The step's own lines stand out: the first step's are dim. */
    CHECK_EQ(grid_at(&g, 4, w)->role, ROLE_TEXT);
    CHECK_EQ(grid_at(&g, 4, r)->role, ROLE_TEXT);
    int w1 = find_row_from(&g, t, "t1  epoll_wait(");
    REQUIRE(w1 > t);
    CHECK_EQ(grid_at(&g, 0, w1)->role, ROLE_DIM);
    CHECK_EQ(grid_at(&g, 4, w1)->role, ROLE_DIM);
    /* The EAGAIN of the accept loop has its own role. */
    int e = find_row_from(&g, t, "...) = -1 EAGAIN");
    REQUIRE(e > t);
    const char *line = row(&g, e, &b);
    int x = (int)(strstr(line, "accept4(") - line);
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

/* A kernel view with room for fewer fds than the interest list holds
 * says so: with a row to spare, which are above and below; with room for
 * one fd only, on its rule ("1 shown"), so no fd is hidden unsaid. */
void test_panes_kernel_view_says_what_it_leaves_out(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "connect a");
    run(&f, "connect b");
    run(&f, "tick");
    struct view v = {0};
    v.gl = glyphs_for(false);
    struct screen s = {.engine = f.e, .view = &v};
    struct grid g = {0};
    struct sbuf b = {0};
    static const struct {
        int h;
        const char *rule, *last;
    } cases[] = {
        {5, "3 fds in its interest list ", NULL},    /* rule, head, all three */
        {4, "3 fds in its interest list ", "above"}, /* one shown, a line says what is cut */
        {3, "3 fds in its interest list, 1 shown", NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        grid_free(&g);
        grid_init(&g, 80, cases[i].h);
        kernelview_draw(&s, &g);
        CHECK_CONTAINS(row(&g, 0, &b), cases[i].rule);
        if (cases[i].last)
            CHECK_CONTAINS(row(&g, cases[i].h - 1, &b), cases[i].last);
        if (cases[i].h == 5)
            CHECK(!strstr(row(&g, 0, &b), "shown"));
    }
    grid_free(&g);
    sbuf_free(&b);
    fixture_close(&f);
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

/* The same for the write side: for every mode and every combination of
 * out and wbudget with reply echo (and out always without it), the
 * lines say what the server does: EPOLLOUT in the kernel's mask, where
 * the send loop stops, the MOD that adds and removes EPOLLOUT, and the
 * wakeups with nothing to write. */
void test_panes_code_is_what_the_writer_does(void)
{
    static const char *const modes[] = {"lt", "et", "oneshot"};
    for (unsigned m = 0; m < 3; m++)
        for (unsigned combo = 0; combo < 5; combo++) {
            bool echo = combo < 4, always = combo & 1, budget = combo & 2;
            if (combo == 4)
                always = true;
            char cmd[64], what[96];
            struct fixture f;
            REQUIRE(fixture_open(&f, NULL));
            run(&f, echo ? "reply echo" : "reply none");
            run(&f, always ? "out always" : "out needed");
            run(&f, budget ? "wbudget 16" : "wbudget drain");
            snprintf(cmd, sizeof cmd, "mode %s", modes[m]);
            run(&f, cmd);
            snprintf(what, sizeof what, "mode %s, reply %s, out %s, wbudget %s", modes[m],
                     echo ? "echo" : "none", always ? "always" : "needed", budget ? "16" : "drain");
            struct code_lines c;
            codepane_lines(server_knobs(engine_server(f.e)), &c);
            run(&f, "connect a");
            run(&f, "tick");
            struct sbuf w = {0};
            kernel_words(&f, "a", &w);
            if (has_line(&c, "EPOLLRDHUP | EPOLLOUT") != (strstr(sbuf_str(&w), "OUT") != NULL))
                harness_fail(__FILE__, __LINE__, "%s: at accept the kernel holds '%s'", what,
                             sbuf_str(&w));
            /* 64 B in: the send loop, and EPOLLOUT while bytes are left. */
            run(&f, "send a 64");
            run(&f, "tick");
            struct conn *a = conn(&f, "a");
            REQUIRE(a);
            uint64_t sent = a->bytes_written;
            if (echo && (has_line(&c, "while (out[fd].len > 0) {") != (sent == 64) ||
                         has_line(&c, "sent < 16) {") != (sent == 16)))
                harness_fail(__FILE__, __LINE__, "%s: %llu B sent in one wakeup", what,
                             (unsigned long long)sent);
            if (!echo && (sent || has_line(&c, "send(")))
                harness_fail(__FILE__, __LINE__, "%s: %llu B sent without echo", what,
                             (unsigned long long)sent);
            sbuf_reset(&w);
            kernel_words(&f, "a", &w);
            bool out = strstr(sbuf_str(&w), "OUT") != NULL;
            bool mod_lines = has_line(&c, "ev.events ^= EPOLLOUT;");
            if (echo && !always && mod_lines != true)
                harness_fail(__FILE__, __LINE__, "%s: no MOD line for EPOLLOUT", what);
            if (echo && !always && out != (a->out.len > 0))
                harness_fail(__FILE__, __LINE__, "%s: %zu B left, the kernel holds '%s'", what,
                             a->out.len, sbuf_str(&w));
            /* Nothing to write, nothing arriving: LT with EPOLLOUT wakes anyway. */
            if (m != 2) {
                run(&f, "wbudget drain");
                run(&f, "tick 3");
                uint64_t idle = a->idle_out;
                run(&f, "tick 2");
                bool spins = a->idle_out == idle + 2;
                if (has_line(&c, "every wait returns fd") != spins)
                    harness_fail(__FILE__, __LINE__, "%s: 2 ticks gave %llu idle EPOLLOUT wakeups",
                                 what, (unsigned long long)(a->idle_out - idle));
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

/* The column of the wide layout's divider: its ┬ on the connections'
 * rule (row c), or -1. */
static int divider_x(struct grid *g, int c)
{
    for (int i = 0; i < g->w; i++)
        if (strcmp(grid_at(g, i, c)->ch, "\xe2\x94\xac") == 0) /* ┬ */
            return i;
    return -1;
}

/* The code pane's rows (it starts at column x0) that carry the mark, and
 * the text of the last one from the mark on, in b. */
static int marked_rows(struct grid *g, int x0, struct sbuf *b)
{
    int n = 0;
    for (int y = 0; y < g->h; y++) {
        const struct cell *m = grid_at(g, x0, y);
        if (strcmp(m->ch, "\xe2\x96\xb6") != 0 || m->role != ROLE_SELECTED) /* ▶ */
            continue;
        n++;
        sbuf_reset(b);
        for (int x = x0; x < g->w; x++)
            sbuf_add(b, grid_at(g, x, y)->ch);
    }
    return n;
}

/* The code pane marks the line of the last call: lesson 04's first step
 * ends on accept4's EAGAIN, its second on the read of 16 bytes, and a
 * tick with nothing to report on epoll_wait. */
void test_panes_code_marks_the_last_call(void)
{
    struct presenter *p = new_presenter(ET_SCN);
    REQUIRE(p);
    struct grid g = {0};
    struct sbuf b = {0}, r = {0};
    presenter_resize(p, 160, 40);
    screen(p, &g, &b);
    int x0 = divider_x(&g, find_row(&g, "connections 1")) + 1;
    REQUIRE(x0 > 0);
    static const struct {
        const char *keys, *marked;
    } steps[] = {
        {"", "      while ((fd = accept4(lfd, ...)) >= 0) {"},
        {" ", "      r = read(fd, buf, 16 - got);"},
        {"t", "  n = epoll_wait(ep, evs, maxevents, 0);"},
    };
    for (size_t i = 0; i < ARRAY_LEN(steps); i++) {
        keys(p, steps[i].keys);
        screen(p, &g, &b);
        CHECK_EQ(marked_rows(&g, x0, &r), 1);
        char want[96];
        snprintf(want, sizeof want, "\xe2\x96\xb6%s", steps[i].marked);
        CHECK_CONTAINS(sbuf_str(&r), want);
    }
    /* The code pane alone (no trace kept): the mark still follows. */
    keys(p, "vv");
    CHECK_EQ(presenter_command(p, "send a 1"), 0);
    keys(p, "t");
    screen(p, &g, &b);
    CHECK_EQ(marked_rows(&g, x0, &r), 1);
    CHECK_CONTAINS(sbuf_str(&r), "\xe2\x96\xb6      r = read(fd, buf, 16 - got);");
    /* Fewer rows than lines: the marked line stays in sight, the rule
     * says which lines show. */
    presenter_resize(p, 160, 24);
    screen(p, &g, &b);
    CHECK_EQ(marked_rows(&g, x0, &r), 1);
    CHECK_CONTAINS(sbuf_str(&r), "r = read(fd, buf, 16 - got);");
    int c = find_row(&g, "the server loop (et");
    REQUIRE(c >= 0);
    CHECK(strstr(row(&g, c, &b), " of ") != NULL);
    grid_free(&g);
    sbuf_free(&b);
    sbuf_free(&r);
    fixture_presenter_free(p);
}

/* The code pane in fewer rows than lines, its mark (send, near the end
 * of an echo server's loop) moved by hand: at every height the window is
 * rows-1 consecutive lines that hold the marked line, with the lines
 * around it where there are some (pinned to the end near it), and the
 * rule says which: "A-B of N". */
void test_panes_code_window_keeps_the_mark(void)
{
    static struct tracelog t; /* large: not on the stack */
    struct fixture f;
    struct sbuf b = {0}, want = {0};
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "reply echo");
    struct code_lines c;
    codepane_lines(server_knobs(engine_server(f.e)), &c);
    int n = (int)c.n, mark = codepane_line_of(&c, CALL_SEND);
    REQUIRE(mark > n / 2 && mark < n - 2);
    tracelog_clear(&t);
    t.last = (struct tracelog_last){.any = true, .kind = CALL_SEND};
    f.view.tracelog = &t;
    struct screen s = {.engine = f.e, .view = &f.view};
    bool pinned = false, centred = false;
    for (int h = 3; h <= n + 2; h++) {
        struct grid g;
        grid_init(&g, 100, h);
        codepane_draw(&s, &g);
        int rows = h - 1;
        /* Which lines show: the run of the listing that every row
         * matches (a row is the mark or a blank, then the line). */
        int shown = rows < n ? rows : n, top = -1, marked = 0, at = -1;
        for (int i = 0; i + shown <= n && top < 0; i++) {
            int k = 0;
            for (; k < shown; k++) {
                const char *text = row(&g, 1 + k, &b);
                bool here = strncmp(text, "\xe2\x96\xb6", 3) == 0; /* ▶ */
                if (strcmp(text + (here ? 3 : 1), c.line[i + k]) != 0 || (!here && *text != ' '))
                    break;
            }
            if (k == shown)
                top = i;
        }
        if (top < 0) {
            harness_fail(__FILE__, __LINE__, "%d rows: not %d lines of the listing in a row:\n%s",
                         h, shown, text_of(&g, &b));
            grid_free(&g);
            continue;
        }
        for (int k = 0; k < shown; k++)
            if (strncmp(row(&g, 1 + k, &b), "\xe2\x96\xb6", 3) == 0) {
                marked++;
                at = top + k;
                CHECK_EQ(grid_at(&g, 0, 1 + k)->role, ROLE_SELECTED);
            }
        CHECK_EQ(at, mark);
        CHECK_EQ(marked, 1);
        const char *rule = row(&g, 0, &b);
        CHECK_CONTAINS(rule, "the server loop (lt, drain, accept all, echo)");
        sbuf_reset(&want);
        if (rows < n) {
            sbuf_printf(&want, " %d-%d of %d ", top + 1, top + rows, n);
            CHECK_CONTAINS(rule, sbuf_str(&want));
            /* The lines around the mark: half the window above it, or
             * the listing's end in sight. */
            int above = mark - top;
            if (top + rows == n) {
                pinned = true;
                CHECK(above >= rows / 2);
            } else {
                centred = true;
                CHECK_EQ(above, rows / 2);
            }
        } else {
            CHECK_EQ(top, 0);
            CHECK(strstr(rule, " of ") == NULL);
        }
        grid_free(&g);
    }
    CHECK(pinned && centred);
    sbuf_free(&b);
    sbuf_free(&want);
    fixture_close(&f);
}

/* The wide layout's divider joins the rules it meets: it never crosses
 * the connections' rule or a pane's. */
void test_panes_divider_joins_the_rules(void)
{
    struct presenter *p = new_presenter(ET_SCN);
    REQUIRE(p);
    struct grid g = {0};
    struct sbuf b = {0};
    presenter_resize(p, 160, 40);
    keys(p, " ");
    screen(p, &g, &b);
    int c = find_row(&g, "connections 1"), x = divider_x(&g, c);
    REQUIRE(x > 0);
    int rules = 0, end = find_row(&g, "04-et-starvation.scn");
    const char *rule = "\xe2\x94\x80", *bar = "\xe2\x94\x82"; /* ─ │ */
    for (int y = c + 1; y < end; y++) {
        const char *here = grid_at(&g, x, y)->ch;
        if (strcmp(grid_at(&g, x - 1, y)->ch, rule) == 0 ||
            strcmp(grid_at(&g, x + 1, y)->ch, rule) == 0) {
            rules++;
            if (strcmp(here, bar) == 0)
                harness_fail(__FILE__, __LINE__, "row %d: a bare line crosses a rule", y);
        } else {
            CHECK_STR(here, bar);
        }
    }
    CHECK(rules >= 2); /* the trace's and the kernel view's, at least */
    grid_free(&g);
    sbuf_free(&b);
    fixture_presenter_free(p);
}

/* With few connections (each in its panel) the trace shows every call;
 * with many (one line each) it follows the selected one (and every
 * epoll_wait), f shows all; Tab gives it the moving keys, PgUp goes back
 * through the lesson and stays there while new lines come, End returns. */
void test_panes_trace_follows_and_scrolls(void)
{
    struct presenter *p = new_presenter(ET_SCN);
    REQUIRE(p);
    struct grid g = {0};
    struct sbuf b = {0};
    CHECK_EQ(presenter_command(p, "connect b"), 0);
    CHECK_CONTAINS(screen(p, &g, &b), "trace: the server's calls");
    const char *const cmds[] = {"connect c", "connect d", "connect e", "send b \"bee\"",
                                "send a \"aay\"", "tick", "tick 30", "select b"};
    for (size_t i = 0; i < ARRAY_LEN(cmds); i++)
        CHECK_EQ(presenter_command(p, cmds[i]), 0);
    const char *t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "trace of b: its calls and every epoll_wait");
    /* Scroll back to b's read: a's is not among the lines. */
    keys(p, "\t");
    CHECK_CONTAINS(screen(p, &g, &b), "Tab connections");
    for (int i = 0; i < 10; i++)
        presenter_key(p, KEY_CODE_PGUP);
    t = screen(p, &g, &b);
    CHECK_CONTAINS(t, " b, \"bee\", 16) = 3");
    CHECK(!strstr(t, " a, \"aay\", 16) = 3"));
    CHECK_CONTAINS(t, "End: newer below");
    int top = find_row(&g, "trace of b");
    REQUIRE(top >= 0);
    char first[256];
    snprintf(first, sizeof first, "%s", row(&g, top + 1, &b));
    /* New lines do not move what is shown. */
    CHECK_EQ(presenter_command(p, "tick 3"), 0);
    screen(p, &g, &b);
    CHECK_STR(row(&g, top + 1, &b), first);
    /* f: every connection's lines. */
    keys(p, "f");
    presenter_key(p, KEY_CODE_HOME); /* the first lines */
    t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "t1  epoll_wait(");
    CHECK_CONTAINS(t, "trace: the server's calls");
    CHECK_CONTAINS(t, " a, \"aay\", 16) = 3");
    /* End: the newest line at the bottom again; Tab: j k select again. */
    presenter_key(p, KEY_CODE_END);
    t = screen(p, &g, &b);
    CHECK_CONTAINS(t, "t34 ");
    CHECK(!strstr(t, "newer below"));
    keys(p, "\tg");
    CHECK_CONTAINS(screen(p, &g, &b), "\xe2\x96\xb6 a ");
    /* f again: the selected one's, now a's. */
    keys(p, "f");
    CHECK_CONTAINS(screen(p, &g, &b), "trace of a: its calls and every epoll_wait");
    grid_free(&g);
    sbuf_free(&b);
    fixture_presenter_free(p);
}

/* One record, two wordings: the transcript's (no fd) and strace's. */
void test_panes_call_wordings(void)
{
    static const struct {
        struct call c;
        const char *transcript, *strace;
    } cases[] = {
        {{.kind = CALL_READ, .conn = 1, .label = "a", .fd = 7, .ret = 3, .want = 16,
          .data = (const unsigned char *)"a\x1b" "c"},
         "  a: read(16) = 3 \"a\\x1bc\"", "read(7 a, \"a\\x1bc\", 16) = 3"},
        {{.kind = CALL_READ, .label = "a", .who = "twin ", .fd = 7, .ret = 5, .want = 16,
          .data = (const unsigned char *)"abcde", .shown = 2},
         "  a: twin read(16) = 5 \"ab\" +3 B", "twin read(7 a, \"ab\"...+3, 16) = 5"},
        {{.kind = CALL_READ, .label = "a", .fd = 7, .ret = -1, .err = EAGAIN, .want = 16},
         "  a: read(16) = -1 EAGAIN", "read(7 a, ..., 16) = -1 EAGAIN"},
        {{.kind = CALL_READ, .label = "a", .fd = 7, .ret = -1, .err = ECONNRESET, .want = 16},
         "  a: read(16) = -1 Connection reset by peer", "read(7 a, ..., 16) = -1 ECONNRESET"},
        {{.kind = CALL_READ, .label = "a", .fd = 7, .ret = 0, .want = 16, .note = ", ignored"},
         "  a: read(16) = 0 (end of stream), ignored",
         "read(7 a, \"\", 16) = 0 (end of stream), ignored"},
        {{.kind = CALL_ACCEPT, .conn = 2, .label = "b", .fd = 4, .ret = 9},
         "  listener: accept() = connection #2 b", "accept4(4 listener, ...) = 9 b"},
        {{.kind = CALL_ACCEPT, .label = "listener", .fd = 4, .ret = -1, .err = EAGAIN},
         "  listener: accept() = -1 EAGAIN", "accept4(4 listener, ...) = -1 EAGAIN"},
        {{.kind = CALL_NOTE, .conn = 1, .label = "a", .note = "budget of 16 B spent"},
         "  a: budget of 16 B spent", "a: budget of 16 B spent"},
        {{.kind = CALL_WAIT, .tick = 4, .epfd = 5, .maxevents = 256, .ret = -1, .err = EINTR},
         "tick 4: epoll_wait(0) = -1 EINTR", "epoll_wait(5, [], 256, 0) = -1 EINTR"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct sbuf t = {0}, s = {0};
        call_transcript(&cases[i].c, &t);
        call_strace(&cases[i].c, &s);
        CHECK_STR(sbuf_str(&t), cases[i].transcript);
        CHECK_STR(sbuf_str(&s), cases[i].strace);
        sbuf_free(&t);
        sbuf_free(&s);
    }
    /* More ready than listed: counted. */
    struct call_ready r[2] = {{"a", 7, EPOLLIN}, {"b", 8, EPOLLIN | EPOLLRDHUP}};
    struct call w = {.kind = CALL_WAIT, .tick = 9, .epfd = 5, .maxevents = 256, .ret = 5,
                     .ready = r, .nready = 2};
    struct sbuf t = {0}, s = {0};
    call_transcript(&w, &t);
    call_strace(&w, &s);
    CHECK_STR(sbuf_str(&t), "tick 9: epoll_wait(0) = 5: a IN, b IN|RDHUP, +3 more");
    CHECK_STR(sbuf_str(&s), "epoll_wait(5, [a IN, b IN|RDHUP, +3], 256, 0) = 5");
    sbuf_free(&t);
    sbuf_free(&s);
}

/* Lesson 16 at 80 and 100 columns: 100 fds ready, the epoll_wait line
 * too long for the pane names fewer and counts the rest, its result
 * whole at the end of the row. */
void test_panes_trace_keeps_the_result(void)
{
    static const int widths[] = {80, 100};
    struct presenter *p = new_presenter("scenarios/16-unread-ready.scn");
    REQUIRE(p);
    struct grid g = {0};
    struct sbuf b = {0};
    keys(p, " ");
    while (presenter_work(p))
        ;
    for (size_t i = 0; i < ARRAY_LEN(widths); i++) {
        presenter_resize(p, widths[i], widths[i] == 80 ? 24 : 30);
        screen(p, &g, &b);
        int t = find_row(&g, "trace");
        REQUIRE(t >= 0);
        char want[64];
        snprintf(want, sizeof want, "epoll_wait(%d, [w.1 IN, ", server_epoll_fd(psrv(p)));
        int w = find_row_from(&g, t, want);
        REQUIRE(w > t);
        const char *line = row(&g, w, &b);
        size_t n = strlen(line);
        while (n && line[n - 1] == ' ')
            n--;
        CHECK(n >= 7 && !strncmp(line + n - 7, ") = 100", 7));
        CHECK_CONTAINS(line, "w.1 IN, ");
        CHECK_CONTAINS(line, ", +9");
        CHECK(!strstr(line, "\xe2\x80\xa6")); /* … */
    }
    grid_free(&g);
    sbuf_free(&b);
    fixture_presenter_free(p);
}

/* A call's line longer than the ring keeps: shortened as the pane does,
 * the result kept (not cut off with the end of the line). */
void test_panes_trace_ring_keeps_the_result(void)
{
    static struct tracelog t; /* large: not on the stack */
    struct call_ready ready[8];
    for (size_t i = 0; i < ARRAY_LEN(ready); i++)
        ready[i] = (struct call_ready){"127.0.0.1:54321", 7 + (int)i, EPOLLIN | EPOLLRDHUP};
    struct call c = {.kind = CALL_WAIT, .ret = 100, .epfd = 5, .maxevents = 256, .ready = ready,
                     .nready = (int)ARRAY_LEN(ready)};
    tracelog_clear(&t);
    tracelog_call(&t, TRACE_TICK, &c);
    REQUIRE(t.n == 1);
    const char *line = t.line[0].text;
    size_t n = strlen(line);
    CHECK(n >= 7 && !strcmp(line + n - 7, ") = 100"));
    CHECK_CONTAINS(line, "epoll_wait(5, [127.0.0.1:54321 IN|RDHUP, ");
    CHECK_CONTAINS(line, ", 256, 0) = 100");
    if (n < 7 || strcmp(line + n - 7, ") = 100"))
        printf("# kept: %s\n", line);
    tracelog_free(&t);
}

/* A tick that makes no epoll_wait (its reader asleep in read()) starts
 * its own lines, labelled with its own tick: the pane's margin must not
 * say t5 beside "tick 7: no epoll_wait". Other text lines stay in the
 * group of the last epoll_wait. */
void test_panes_trace_tick_without_a_wait_has_its_tick(void)
{
    static struct tracelog t; /* large: not on the stack */
    struct call c = {.kind = CALL_WAIT, .ret = 0, .epfd = 5, .maxevents = 256, .tick = 5};
    tracelog_clear(&t);
    tracelog_call(&t, TRACE_TICK, &c);
    tracelog_add(&t, TRACE_IO, "  a: a note of tick 5");
    tracelog_add(&t, TRACE_TICK, "tick 7: no epoll_wait: the server's reader sleeps inside read()");
    REQUIRE(t.n == 3);
    CHECK(t.line[0].first && t.line[0].tick == 5);
    CHECK(!t.line[1].first && t.line[1].tick == 5);
    CHECK(t.line[2].first);
    CHECK_EQ(t.line[2].tick, 7);
    CHECK_STR(t.line[2].text, "no epoll_wait: the server's reader sleeps inside read()");
    tracelog_free(&t);
}

/* A record's words are byte for byte the ones a line worded when kept
 * gets (the same call with an empty note is kept as text, as every read
 * and send was): long labels, bytes that escape to four characters each,
 * so that the line passes the ring's width and is shortened as the pane
 * shortens it, a preview of 0 (all), the bound of what a record holds,
 * the twin reader, errors. */
void test_panes_trace_record_words_match_the_kept_text(void)
{
    static struct tracelog t; /* large: not on the stack */
    unsigned char bin[TRACELOG_REC_DATA + 1];
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (unsigned char)(0x80 + i * 3);
    char label[CONN_LABEL_MAX];
    memset(label, 'L', sizeof label - 1);
    label[sizeof label - 1] = '\0';
    const struct call cases[] = {
        {.kind = CALL_READ, .conn = 1, .label = label, .fd = 7, .ret = TRACELOG_REC_DATA,
         .want = 65536, .data = bin, .shown = 256},
        {.kind = CALL_READ, .conn = 1, .label = label, .who = "twin ", .fd = 7,
         .ret = 5000, .want = 65536, .data = bin, .shown = TRACELOG_REC_DATA},
        {.kind = CALL_READ, .conn = 1, .label = "[::1]:54321", .fd = 7, .ret = 30, .want = 30,
         .data = bin, .shown = 0},
        {.kind = CALL_SEND, .conn = 1, .label = label, .fd = 7, .ret = 20, .want = TRACELOG_REC_DATA,
         .data = bin, .shown = 256},
        {.kind = CALL_SEND, .conn = 1, .label = "a", .fd = 7, .ret = -1, .err = EPIPE, .want = 9,
         .data = bin, .shown = 32},
        {.kind = CALL_READ, .conn = 1, .label = "a", .who = "twin ", .fd = 7, .ret = -1,
         .err = EAGAIN, .want = 16},
    };
    struct sbuf rec = {0}, text = {0};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct call as_text = cases[i];
        as_text.note = "";
        tracelog_clear(&t);
        tracelog_call(&t, TRACE_IO, &cases[i]);
        tracelog_call(&t, TRACE_IO, &as_text);
        REQUIRE(t.n == 2);
        CHECK(t.line[0].is_rec);
        CHECK(!t.line[1].is_rec);
        CHECK_STR(tracelog_text(&t.line[0], &rec), tracelog_text(&t.line[1], &text));
        CHECK(strlen(sbuf_str(&rec)) < TRACELOG_TEXT);
    }
    CHECK_CONTAINS(sbuf_str(&rec), "twin read(7 a, ..., 16) = -1 EAGAIN");
    sbuf_free(&rec);
    sbuf_free(&text);
    tracelog_free(&t);
}

/* Reads and sends are kept as records and worded when drawn: the words are
 * the ones the call's record gives at once, from bytes copied when kept. */
void test_panes_trace_records_worded_when_drawn(void)
{
    static struct tracelog t; /* large: not on the stack */
    static const char bytes[] = "abc\x1b" "defghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU";
    unsigned char buf[64];
    memcpy(buf, bytes, sizeof bytes);
    const struct call cases[] = {
        {.kind = CALL_READ, .conn = 1, .label = "a", .fd = 7, .ret = 40, .want = 65536,
         .data = buf, .shown = 256},
        {.kind = CALL_READ, .conn = 1, .label = "a", .who = "twin ", .fd = 7, .ret = 5,
         .want = 16, .data = buf, .shown = 2},
        {.kind = CALL_READ, .conn = 1, .label = "a", .fd = 7, .ret = -1, .err = EAGAIN,
         .want = 65496},
        {.kind = CALL_READ, .conn = 2, .label = "127.0.0.1:54321", .fd = 9, .ret = -1,
         .err = ECONNRESET, .want = 16},
        {.kind = CALL_SEND, .conn = 1, .label = "a", .fd = 7, .ret = 12, .want = 12, .data = buf,
         .shown = 256},
    };
    tracelog_clear(&t);
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        tracelog_call(&t, TRACE_IO, &cases[i]);
    memset(buf, 'z', sizeof buf); /* the caller's buffer is reused: the log kept its own */
    memcpy(buf, bytes, sizeof bytes);
    struct sbuf want = {0}, got = {0};
    REQUIRE(t.n == ARRAY_LEN(cases));
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        CHECK(t.line[i].is_rec);
        sbuf_reset(&want);
        call_strace(&cases[i], &want);
        CHECK_STR(tracelog_text(&t.line[i], &got), sbuf_str(&want));
    }
    memset(buf, 'z', sizeof buf);
    CHECK_STR(tracelog_text(&t.line[0], &got),
              "read(7 a, \"abc\\x1bdefghijklmnopqrstuvwxyz0123456789ABC\", 65536) = 40");

    /* More bytes shown than a record keeps, or a note: worded at once. */
    struct call long_read = {.kind = CALL_READ, .conn = 1, .label = "a", .fd = 7, .ret = 60,
                             .want = 60, .data = buf, .shown = 256};
    struct call noted = {.kind = CALL_READ, .conn = 1, .label = "a", .fd = 7, .ret = 0,
                         .want = 16, .note = ", ignored"};
    tracelog_call(&t, TRACE_IO, &long_read);
    tracelog_call(&t, TRACE_IO, &noted);
    CHECK(!t.line[t.n - 2].is_rec);
    CHECK(!t.line[t.n - 1].is_rec);
    CHECK_STR(tracelog_text(&t.line[t.n - 1], &got),
              "read(7 a, \"\", 16) = 0 (end of stream), ignored");
    sbuf_free(&want);
    sbuf_free(&got);
    tracelog_free(&t);
}
