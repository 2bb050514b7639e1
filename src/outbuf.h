/*
 * outbuf.h - a bounded buffer of output lines, written without blocking.
 *
 * Headless free play prints a line per event while it serves clients.  A
 * reader that stops reading (a pipe nobody drains, a terminal on Ctrl-S)
 * must not stop the server: lines go into a buffer of fixed capacity,
 * written as the fd takes them.  A line that does not fit is dropped and
 * counted; once the buffer has drained to half, a line
 * "[N lines dropped: output too slow]" stands for those, and lines are
 * kept again.  Lines are whole: one is written entirely or dropped.
 *
 * The fd should not block: outbuf_nonblocking_fd makes one that writes
 * where stdout does without changing stdout itself (its open file
 * description is shared with the shell and the other processes of a
 * pipeline).  A socket is written with send(MSG_DONTWAIT).  Writes to a
 * blocking fd (a regular file, or the fallback) simply complete.
 *
 * The owner watches the fd for EPOLLOUT while outbuf_pending() and calls
 * outbuf_flush when it is writable (and after each batch of outbuf_add).
 */
#ifndef EPOLLVIZ_OUTBUF_H
#define EPOLLVIZ_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>

struct outbuf;

/* `fd` stays the caller's. */
struct outbuf *outbuf_new(int fd, size_t cap);
void outbuf_free(struct outbuf *b);

/* Appends line and a newline, or drops it when it does not fit (or while
 * lines are being dropped, until the buffer has drained to half); then
 * writes what the fd takes now. */
void outbuf_line(struct outbuf *b, const char *line);
/* Appends the n bytes of line and a newline like outbuf_line, but writes
 * nothing until the buffer is full: the owner adds what one tick made,
 * then calls outbuf_flush once, so a busy server makes one write per
 * tick, not one per line.  A line that does not fit first makes room by
 * writing what the fd takes now, and is dropped only if that is not
 * enough. */
void outbuf_add(struct outbuf *b, const char *line, size_t n);
/* The last line (a summary): appended whatever the fill, after the
 * notice of the lines dropped since the last one, if any. */
void outbuf_final(struct outbuf *b, const char *line);

/* Writes what the fd takes now.  0, or -1 once a write has failed (the
 * reader is gone: EPIPE); the buffer then keeps nothing more. */
int outbuf_flush(struct outbuf *b);
/* Writes until nothing is pending, waiting at most timeout_ms for the fd
 * to take more.  0 when all was written, -1 otherwise. */
int outbuf_drain(struct outbuf *b, int timeout_ms);

size_t outbuf_pending(const struct outbuf *b);            /* bytes not yet written */
unsigned long long outbuf_dropped(const struct outbuf *b); /* lines dropped in all */
int outbuf_error(const struct outbuf *b);                  /* errno of the failed write, or 0 */

/* A new fd that writes where fd does but never blocks, made without
 * touching fd's own flags: a pipe, FIFO or terminal is opened again
 * through /proc/self/fd with O_NONBLOCK (a new open file description);
 * a regular file or a socket is duplicated (writes to a file do not wait
 * for a reader; a socket is written with MSG_DONTWAIT).  -1 if none can
 * be had (no /proc, a FIFO whose reader is gone). */
int outbuf_nonblocking_fd(int fd);

#endif
