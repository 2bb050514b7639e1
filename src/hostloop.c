/*
 * hostloop.c - a small fd-to-handler event loop on its own epoll instance.
 */
#include "hostloop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "util.h"

struct watch {
    int fd;
    host_fn fn;
    void *ctx;
    enum { WATCH_FD, WATCH_SIGNAL, WATCH_TIMER } kind;
};

struct hostloop {
    int epfd;
    struct watch **w;
    size_t n;
    int sigfd;
    bool stopped;
};

struct hostloop *hostloop_new(void)
{
    struct hostloop *h = xcalloc(1, sizeof *h);
    h->sigfd = -1;
    h->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (h->epfd < 0)
        fatal("epoll_create1: %s", strerror(errno));
    return h;
}

void hostloop_free(struct hostloop *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++) {
        if (h->w[i]->kind == WATCH_TIMER && h->w[i]->fd >= 0)
            close(h->w[i]->fd);
        free(h->w[i]);
    }
    free(h->w);
    if (h->sigfd >= 0)
        close(h->sigfd);
    close(h->epfd);
    free(h);
}

static int watch(struct hostloop *h, int fd, uint32_t events, host_fn fn, void *ctx, int kind)
{
    struct watch *w = xcalloc(1, sizeof *w);
    *w = (struct watch){.fd = fd, .fn = fn, .ctx = ctx, .kind = kind};
    struct epoll_event ev = {.events = events, .data.ptr = w};
    if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
        free(w);
        return -1;
    }
    h->w = xrealloc(h->w, (h->n + 1) * sizeof *h->w);
    h->w[h->n++] = w;
    return 0;
}

int hostloop_add(struct hostloop *h, int fd, uint32_t events, host_fn fn, void *ctx)
{
    return watch(h, fd, events, fn, ctx, WATCH_FD);
}

void hostloop_del(struct hostloop *h, int fd)
{
    for (size_t i = 0; i < h->n; i++)
        if (h->w[i]->fd == fd) {
            epoll_ctl(h->epfd, EPOLL_CTL_DEL, fd, NULL);
            /* Stale pointers in the current batch are skipped by fd == -1. */
            h->w[i]->fd = -1;
            h->w[i]->fn = NULL;
        }
}

int hostloop_signals(struct hostloop *h, const sigset_t *set, host_fn fn, void *ctx)
{
    if (sigprocmask(SIG_BLOCK, set, NULL) < 0)
        return -1;
    h->sigfd = signalfd(-1, set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (h->sigfd < 0)
        return -1;
    return watch(h, h->sigfd, EPOLLIN, fn, ctx, WATCH_SIGNAL);
}

int hostloop_timer_new(struct hostloop *h, host_fn fn, void *ctx)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (fd < 0)
        return -1;
    if (watch(h, fd, EPOLLIN, fn, ctx, WATCH_TIMER) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int hostloop_timer_set(struct hostloop *h, int timer, uint64_t period_ns)
{
    struct itimerspec its = {0};
    (void)h;
    its.it_interval.tv_sec = (time_t)(period_ns / 1000000000u);
    its.it_interval.tv_nsec = (long)(period_ns % 1000000000u);
    its.it_value = its.it_interval;
    return timerfd_settime(timer, 0, &its, NULL);
}

static void dispatch(struct watch *w, uint32_t events)
{
    if (!w->fn || w->fd < 0)
        return;
    if (w->kind == WATCH_SIGNAL) {
        struct signalfd_siginfo si;
        while (read(w->fd, &si, sizeof si) == (ssize_t)sizeof si)
            w->fn(w->ctx, w->fd, si.ssi_signo);
        return;
    }
    if (w->kind == WATCH_TIMER) {
        uint64_t expirations = 0;
        if (read(w->fd, &expirations, sizeof expirations) == (ssize_t)sizeof expirations)
            w->fn(w->ctx, w->fd, expirations > UINT32_MAX ? UINT32_MAX : (uint32_t)expirations);
        return;
    }
    w->fn(w->ctx, w->fd, events);
}

int hostloop_turn(struct hostloop *h, int timeout_ms)
{
    struct epoll_event ev[32];
    int n = epoll_wait(h->epfd, ev, 32, timeout_ms);
    if (n < 0) {
        if (errno == EINTR)
            return 0;
        fatal("host epoll_wait: %s", strerror(errno));
    }
    for (int i = 0; i < n && !h->stopped; i++)
        dispatch(ev[i].data.ptr, ev[i].events);
    /* Forget removed watches once no batch can refer to them. */
    size_t j = 0;
    for (size_t i = 0; i < h->n; i++) {
        if (h->w[i]->fd < 0)
            free(h->w[i]);
        else
            h->w[j++] = h->w[i];
    }
    h->n = j;
    return n;
}

void hostloop_stop(struct hostloop *h)
{
    h->stopped = true;
}

bool hostloop_stopped(const struct hostloop *h)
{
    return h->stopped;
}
