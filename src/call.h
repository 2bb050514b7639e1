/*
 * call.h - a call the taught server made, as a record, and its two
 * wordings: the headless transcript's line and the trace pane's
 * strace-style line.  One record, both lines made from it here, so the
 * transcript and the pane never disagree about what a call returned.
 *
 * The transcript's wording names no fd (two runs of a lesson print the
 * same bytes, and a terminal's process holds other fds than a headless
 * one); the pane's names the fds, as strace does, because the kernel view
 * beside it does too: `read(7 a, "abc", 16) = 3`.
 *
 * To add a call (the write side: CALL_WRITE), add a kind here and a case
 * to both wordings; the pane, its roles and the code pane's mark follow
 * from the kind.
 */
#ifndef EPOLLVIZ_CALL_H
#define EPOLLVIZ_CALL_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum call_kind {
    CALL_NOTE,   /* not a call: what the server did or saw, about one connection */
    CALL_WAIT,   /* epoll_wait */
    CALL_ACCEPT, /* accept4 on the listener */
    CALL_READ,   /* read on a connection */
    CALL_SEND,   /* send on a connection (reply echo): data is what it was given */
};

/* One fd that epoll_wait returned. */
struct call_ready {
    const char *label;
    int fd;
    uint32_t events;
};

struct call {
    enum call_kind kind;
    unsigned conn;     /* the connection the line is about (its id), 0: none */
    const char *label; /* its name; "listener" for a failed accept */
    const char *who;   /* the reader: "" or "twin " (NULL reads as "") */
    int fd;            /* the fd the call was made on */
    long long ret;     /* what it returned: -1 with err */
    int err;
    const char *note;  /* CALL_NOTE: the text; else said after the result, or NULL */
    /* CALL_READ: bytes asked, and those got (shown of them; 0 shows all);
     * CALL_SEND: bytes given, and those it took */
    size_t want;
    const unsigned char *data;
    size_t shown;
    /* CALL_WAIT */
    unsigned long long tick;
    int epfd, maxevents, timeout;
    const struct call_ready *ready; /* the first nready of the ret it returned */
    int nready;
};

/* The transcript's line (the words every lesson's golden transcript has). */
void call_transcript(const struct call *c, struct sbuf *out);
/* The pane's line, strace-style: `read(7 a, "abc", 16) = 3` (a note
 * with no label: its text alone, under its connection's call). */
void call_strace(const struct call *c, struct sbuf *out);

#endif
