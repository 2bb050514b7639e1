/*
 * notify.h - the starvation rule: will epoll report what is waiting?
 *
 * Pure functions of the state the server keeps per socket, so the rule is
 * stated once for connections and the listener and tested on its own.
 * The kernel facts behind it are asserted in tests/unit/test_server.c:
 *  - ET reports a fd again whenever something new arrives, even if older
 *    data still waits;
 *  - EPOLL_CTL_ADD/MOD on a fd with something waiting queues one event;
 *  - a one-shot fd that fired reports nothing until EPOLL_CTL_MOD.
 */
#ifndef EPOLLVIZ_NOTIFY_H
#define EPOLLVIZ_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "knob.h"
#include "util.h"

/* Why a starved socket gets no event. */
enum starve_kind {
    STARVE_NONE,
    STARVE_EDGE,     /* edge-triggered, stopped before EAGAIN, nothing new since */
    STARVE_DISARMED, /* one-shot fired and was not re-armed */
};

/* How epoll will treat a socket next, as the kernel rules predict it. */
struct notify {
    bool armed;         /* false after a one-shot event until EPOLL_CTL_MOD */
    bool stopped_early; /* the last handling stopped before EAGAIN */
    bool event_due;     /* ADD/MOD found something waiting: one event will come */
    enum starve_kind starved;
    uint64_t starved_since; /* tick at which it became starved */
};

/* `waiting`: bytes, an unread end of stream or connections wait in the
 * kernel; `fresh`: some of it arrived after the last handling began. */
enum starve_kind notify_starvation(enum server_mode mode, const struct notify *n, bool waiting,
                                   bool fresh);

/* Who could still make a new edge for a starved socket. */
enum waker {
    WAKER_CLIENT,  /* a connection whose client may send more */
    WAKER_NONE,    /* a connection whose peer has closed: nobody */
    WAKER_CONNECT, /* the listener: a new connection */
    WAKER_WINDOW,  /* a connection whose receive window is closed: nobody until it is read */
};

/* One line saying why, e.g. "48 B waiting, read stopped before EAGAIN, no
 * new edge until the client sends".  `what` names what waits. */
void notify_reason(enum starve_kind k, const char *what, enum waker waker, struct sbuf *out);

/* The write side's line: "48 B unsent, send stopped before EAGAIN: no
 * EPOLLOUT edge until the client sends"; `client_can_wake`: bytes from the
 * client would make an event (EPOLLIN is registered), which reports
 * EPOLLOUT with it. */
void notify_write_reason(enum starve_kind k, const char *what, bool client_can_wake,
                         struct sbuf *out);

/* The same reasons in fewer words, for a row too narrow for the whole
 * line (a panel's last row, whose first row shows what waits): brevity 0
 * is the line above; 1 leaves out `what`, 2 and NOTIFY_BREVITY_MAX say
 * less, each still true. */
#define NOTIFY_BREVITY_MAX 3
void notify_reason_brief(enum starve_kind k, const char *what, enum waker waker, int brevity,
                         struct sbuf *out);
void notify_write_reason_brief(enum starve_kind k, const char *what, bool client_can_wake,
                               int brevity, struct sbuf *out);

#endif
