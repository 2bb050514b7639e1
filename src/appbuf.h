/*
 * appbuf.h - a connection's application buffer: the bytes the server has
 * to write back (reply echo) and the kernel would not take yet.
 *
 * A plain FIFO of bytes.  It never grows past what it is asked to hold:
 * the server checks its bound (the reply-buffer knob) before it reads, so
 * a client that never reads cannot make it grow past that bound.
 * appbuf_data gives the oldest bytes, contiguous, for one write; after the
 * write, appbuf_consume drops what the kernel took.  A zeroed struct is an
 * empty buffer; appbuf_free releases it (and leaves it empty).
 */
#ifndef EPOLLVIZ_APPBUF_H
#define EPOLLVIZ_APPBUF_H

#include <stddef.h>

struct appbuf {
    unsigned char *data;
    size_t start, len, cap;
    size_t peak;  /* the most it ever held */
    size_t bound; /* what it may hold (the owner's; 0: none): its allocation
                     stops there rather than double past it */
};

static inline size_t appbuf_len(const struct appbuf *b) { return b->len; }
/* Appends n bytes (the caller keeps the bound). */
void appbuf_push(struct appbuf *b, const void *p, size_t n);
/* The oldest bytes, all of them, contiguous (NULL when empty). */
const unsigned char *appbuf_data(const struct appbuf *b);
/* Drops the oldest n bytes (n <= appbuf_len). */
void appbuf_consume(struct appbuf *b, size_t n);
void appbuf_free(struct appbuf *b);

#endif
