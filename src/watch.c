/*
 * watch.c - the instrument's edge-triggered set over every connection
 * (see watch.h): what lets a tick cost what is active.
 */
#include "watch.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "util.h"

struct watch {
    int epfd;
    struct epoll_event *ev;
    size_t cap;
};

struct watch *watch_new(void)
{
    /* epoll_create, not epoll_create1: see watch.h. */
    int fd = epoll_create(1);
    if (fd < 0)
        return NULL;
    (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    struct watch *w = xcalloc(1, sizeof *w);
    w->epfd = fd;
    return w;
}

void watch_free(struct watch *w)
{
    if (!w)
        return;
    close(w->epfd);
    free(w->ev);
    free(w);
}

int watch_add(struct watch *w, int fd, uint64_t key)
{
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.u64 = key};
    return epoll_ctl(w->epfd, EPOLL_CTL_ADD, fd, &ev);
}

size_t watch_ready(struct watch *w, size_t room,
                   void (*fn)(void *ctx, uint64_t key, uint32_t events), void *ctx)
{
    /* Room for every watched socket: with less, the rest would be named
     * by the next call, a sample late. */
    if (room > w->cap) {
        size_t cap = w->cap ? w->cap : 64;
        while (cap < room)
            cap *= 2;
        w->ev = xrealloc(w->ev, cap * sizeof *w->ev);
        w->cap = cap;
    }
    int n = epoll_wait(w->epfd, w->ev, (int)w->cap, 0);
    for (int i = 0; i < n; i++)
        fn(ctx, w->ev[i].data.u64, w->ev[i].events);
    return n > 0 ? (size_t)n : 0;
}
