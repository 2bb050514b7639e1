/*
 * hostloop.h - the host event loop around the taught server.
 *
 * A second epoll instance, never the taught one: it watches the terminal,
 * timers, signals, scenario clients and the taught server's epoll fd, so
 * every wakeup counted on screen is one the lesson is about.  Handlers
 * change state and return; the owner draws once per turn.
 */
#ifndef EPOLLVIZ_HOSTLOOP_H
#define EPOLLVIZ_HOSTLOOP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

typedef void (*host_fn)(void *ctx, int fd, uint32_t events);

struct hostloop;

struct hostloop *hostloop_new(void);
void hostloop_free(struct hostloop *h);

/* Watches fd for `events` (level-triggered unless EPOLLET is given) and
 * calls fn with what epoll reported. */
int hostloop_add(struct hostloop *h, int fd, uint32_t events, host_fn fn, void *ctx);
void hostloop_del(struct hostloop *h, int fd);

/* Blocks the signals in `set` and delivers them through a signalfd to fn,
 * which receives the signal number in `events`. */
int hostloop_signals(struct hostloop *h, const sigset_t *set, host_fn fn, void *ctx);

/* A periodic timer (a timerfd the loop owns and closes); fn receives the
 * expiration count in `events`.  Returns the timer's fd, or -1.  It starts
 * disarmed; hostloop_timer_set gives it a period (0 disarms it again). */
int hostloop_timer_new(struct hostloop *h, host_fn fn, void *ctx);
int hostloop_timer_set(struct hostloop *h, int timer, uint64_t period_ns);

/* One epoll_wait (timeout_ms, -1 = block) and its handlers; returns the
 * number of handlers run. */
int hostloop_turn(struct hostloop *h, int timeout_ms);
void hostloop_stop(struct hostloop *h);
bool hostloop_stopped(const struct hostloop *h);

#endif
