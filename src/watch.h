/*
 * watch.h - the instrument's own epoll set: which connections have
 * something new to read, told in O(ready) rather than by asking the kernel
 * about every open socket.
 *
 * It is not the taught server's set and is never counted or shown: it
 * holds every connection socket edge-triggered (EPOLLIN|EPOLLRDHUP|EPOLLET),
 * whatever the lesson's mode, one-shot state or clock.  Linux reports an
 * edge-triggered socket again on every arrival, even with older bytes
 * still unread (NOTES.md), so each watch_ready names the sockets that got
 * bytes, a FIN or a reset since the previous one and still have something
 * to report when it looks (bytes read meanwhile leave nothing to name),
 * and only those: a socket whose bytes wait unread is not named again
 * until more arrive.  The
 * server samples those, plus the sockets it is already following
 * (server.c, "sampling").
 *
 * Call order: watch_new, watch_add per accepted socket (closing the socket
 * removes it: the kernel drops a closed file from every epoll set), any
 * number of watch_ready, watch_free.  Made with epoll_create, not
 * epoll_create1, so a trace of the server's own calls can tell it apart
 * (tests/e2e/strace.sh).
 */
#ifndef EPOLLVIZ_WATCH_H
#define EPOLLVIZ_WATCH_H

#include <stddef.h>
#include <stdint.h>

struct watch;

/* NULL if the kernel refuses an epoll instance (errno set). */
struct watch *watch_new(void);
void watch_free(struct watch *w);

/* Watches fd; `key` comes back from watch_ready.  A key rather than a
 * pointer: a socket closed here may stay in the set while another process
 * holds a copy of it.  0, or -1 (errno set). */
int watch_add(struct watch *w, int fd, uint64_t key);

/* Calls fn(ctx, key, events) once for each watched socket that got
 * something since the previous call and still has it to report (events:
 * EPOLLIN, EPOLLRDHUP on a FIN,
 * EPOLLHUP|EPOLLERR on a reset); `room` is how many sockets are watched
 * (so one call sees them all).  Returns how many were reported. */
size_t watch_ready(struct watch *w, size_t room,
                   void (*fn)(void *ctx, uint64_t key, uint32_t events), void *ctx);

#endif
