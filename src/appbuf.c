/*
 * appbuf.c - the application buffer: a FIFO of bytes in one allocation,
 * compacted rather than grown when its head has been written, so its
 * allocation stays near the most it held at once.
 */
#include "appbuf.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define APPBUF_STEP_MAX (64 * 1024) /* doubling stops here */

void appbuf_push(struct appbuf *b, const void *p, size_t n)
{
    if (!n)
        return;
    if (b->start + b->len + n > b->cap && b->start) {
        memmove(b->data, b->data + b->start, b->len);
        b->start = 0;
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        /* Past 64 KiB, straight to the bound: each doubling left the
         * old block in the heap (glibc keeps freed blocks that size),
         * 200 KiB more resident than the bound of 1 MiB (measured); the
         * untouched pages of one block cost nothing.  Never past the
         * bound, which doubling would overshoot by up to its size. */
        if (b->bound && (cap > b->bound || cap > APPBUF_STEP_MAX))
            cap = b->bound > b->len + n ? b->bound : b->len + n;
        b->data = xrealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->start + b->len, p, n);
    b->len += n;
    if (b->len > b->peak)
        b->peak = b->len;
}

const unsigned char *appbuf_data(const struct appbuf *b)
{
    return b->len ? b->data + b->start : NULL;
}

void appbuf_consume(struct appbuf *b, size_t n)
{
    if (n > b->len)
        fatal("appbuf_consume: %zu of %zu bytes", n, b->len);
    b->start += n;
    b->len -= n;
    if (!b->len)
        b->start = 0;
}

void appbuf_free(struct appbuf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}
