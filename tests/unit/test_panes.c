/*
 * test_panes.c - the explaining panes: the choice (--panes, the pane
 * key's cycle), the trace pane showing the transcript's own lines, and
 * the kernel view showing every fd of the interest list as fdinfo has it.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

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
