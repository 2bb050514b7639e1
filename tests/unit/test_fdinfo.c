/*
 * test_fdinfo.c - the interest list read from /proc/self/fdinfo matches
 * what was registered, with the kernel's own touches: ERR and HUP added to
 * every entry, and a one-shot entry that fired disarmed to ONESHOT alone.
 */
#include <sys/epoll.h>
#include <unistd.h>

#include "fdinfo.h"
#include "fixture.h"
#include "harness.h"

static const struct fdinfo_entry *find(const struct fdinfo *fi, int fd)
{
    for (size_t i = 0; i < fi->n; i++)
        if (fi->v[i].fd == fd)
            return &fi->v[i];
    return NULL;
}

void test_fdinfo_reads_the_kernels_interest_list(void)
{
    int ep = epoll_create1(EPOLL_CLOEXEC), a[2], b[2];
    REQUIRE(ep >= 0 && pipe(a) == 0 && pipe(b) == 0);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET | EPOLLRDHUP, .data.u64 = 0x2a};
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, a[0], &ev) == 0);
    ev = (struct epoll_event){.events = EPOLLIN | EPOLLONESHOT, .data.u64 = 7};
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, b[0], &ev) == 0);

    struct fdinfo fi;
    struct sbuf err = {0}, w = {0};
    REQUIRE(fdinfo_read(ep, &fi, &err) == 0);
    CHECK_EQ(fi.n, 2);
    const struct fdinfo_entry *ea = find(&fi, a[0]), *eb = find(&fi, b[0]);
    REQUIRE(ea && eb);
    CHECK_EQ(ea->events, EPOLLIN | EPOLLET | EPOLLRDHUP | EPOLLERR | EPOLLHUP);
    CHECK_EQ(ea->data, 0x2a);
    CHECK_EQ(eb->events, EPOLLIN | EPOLLONESHOT | EPOLLERR | EPOLLHUP);
    fdinfo_mask_words(ea->events, &w);
    CHECK_STR(sbuf_str(&w), "IN RDHUP ET");
    fdinfo_free(&fi);

    /* The one-shot fires: the kernel keeps ONESHOT alone until a MOD. */
    CHECK(write(b[1], "x", 1) == 1);
    struct epoll_event got[4];
    CHECK_EQ(epoll_wait(ep, got, 4, 1000), 1);
    REQUIRE(fdinfo_read(ep, &fi, &err) == 0);
    eb = find(&fi, b[0]);
    REQUIRE(eb);
    CHECK_EQ(eb->events, EPOLLONESHOT);
    sbuf_reset(&w);
    fdinfo_mask_words(eb->events, &w);
    CHECK_STR(sbuf_str(&w), "disarmed (one-shot fired)");
    fdinfo_free(&fi);

    ev = (struct epoll_event){.events = EPOLLIN | EPOLLONESHOT, .data.u64 = 7};
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, b[0], &ev) == 0);
    REQUIRE(fdinfo_read(ep, &fi, &err) == 0);
    CHECK_EQ(find(&fi, b[0])->events, EPOLLIN | EPOLLONESHOT | EPOLLERR | EPOLLHUP);
    fdinfo_free(&fi);

    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, a[0], NULL) == 0);
    REQUIRE(fdinfo_read(ep, &fi, &err) == 0);
    CHECK_EQ(fi.n, 1);
    CHECK(!find(&fi, a[0]));
    fdinfo_free(&fi);
    sbuf_free(&w);
    sbuf_free(&err);
    close(a[0]), close(a[1]), close(b[0]), close(b[1]), close(ep);
}

void test_fdinfo_rejects_a_malformed_line(void)
{
    struct fdinfo fi;
    struct sbuf err = {0};
    CHECK_EQ(fdinfo_parse("pos:\t0\ntfd:        4 events: 80000019 data:                4  pos:0\n",
                          &fi, &err), 0);
    CHECK_EQ(fi.n, 1);
    CHECK_EQ(fi.v[0].fd, 4);
    CHECK_EQ(fi.v[0].events, 0x80000019u);
    fdinfo_free(&fi);
    CHECK_EQ(fdinfo_parse("tfd: x events: 1 data: 2\n", &fi, &err), -1);
    CHECK_CONTAINS(sbuf_str(&err), "fdinfo line 1: expected");
    CHECK_EQ(fdinfo_read(-1, &fi, &err), -1);
    sbuf_free(&err);
}

/* The server's kept list is the kernel's after every kind of change: a
 * fresh read of /proc/self/fdinfo agrees, entry by entry. */
static void same_as_kernel(const char *file, int line, struct fixture *f, const char *after)
{
    struct server *srv = engine_server(f->e);
    const struct fdinfo *kept = server_interest(srv);
    struct fdinfo now;
    struct sbuf err = {0};
    if (fdinfo_read(server_epoll_fd(srv), &now, &err) != 0) {
        harness_fail(file, line, "after '%s': %s", after, sbuf_str(&err));
        sbuf_free(&err);
        return;
    }
    bool same = kept->n == now.n;
    for (size_t i = 0; same && i < now.n; i++)
        same = kept->v[i].fd == now.v[i].fd && kept->v[i].events == now.v[i].events &&
               kept->v[i].data == now.v[i].data;
    if (!same)
        harness_fail(file, line, "after '%s': the server keeps %zu entries, the kernel has %zu "
                     "(or a mask differs)", after, kept->n, now.n);
    fdinfo_free(&now);
    sbuf_free(&err);
}

void test_fdinfo_server_keeps_the_kernels_list(void)
{
    static const char *const steps[] = {
        "connect a", "tick", "connect b", "tick", "mode et", "send a 10", "tick",
        "autorearm off", "mode oneshot", "send b 5", "tick", "rearm b", "send a 3", "tick",
        "close a", "tick", "mode lt", "tick",
    };
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    same_as_kernel(__FILE__, __LINE__, &f, "start");
    CHECK_EQ(server_interest(engine_server(f.e))->n, 1); /* the listener */
    for (size_t i = 0; i < ARRAY_LEN(steps); i++) {
        run(&f, steps[i]);
        same_as_kernel(__FILE__, __LINE__, &f, steps[i]);
    }
    fixture_close(&f);
}
