/*
 * outbuf.c - bounded, non-blocking line output with counted drops (see
 * outbuf.h).  Pending bytes live in one array twice the capacity: lines
 * are appended at its end and moved back to the front only when the end
 * is reached, so each byte is moved at most once on average.
 */
#include "outbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

struct outbuf {
    int fd;
    bool socket;
    size_t cap;        /* most bytes pending before lines are dropped */
    char *buf;
    size_t size;       /* of buf: room for cap, the notice and the final line */
    size_t off, end;   /* pending bytes are buf[off..end) */
    unsigned long long dropped, skipping; /* in all; since the last notice */
    int error;
};

struct outbuf *outbuf_new(int fd, size_t cap)
{
    struct outbuf *b = xcalloc(1, sizeof *b);
    struct stat st;
    b->fd = fd;
    b->socket = fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
    b->cap = cap;
    b->size = 2 * cap + 128;
    b->buf = xmalloc(b->size);
    return b;
}

void outbuf_free(struct outbuf *b)
{
    if (!b)
        return;
    free(b->buf);
    free(b);
}

size_t outbuf_pending(const struct outbuf *b) { return b->end - b->off; }
unsigned long long outbuf_dropped(const struct outbuf *b) { return b->dropped; }
int outbuf_error(const struct outbuf *b) { return b->error; }

/* Appends n bytes and a newline, whatever the fill (the array grows for
 * the final line, which may be long). */
static void put(struct outbuf *b, const char *s, size_t n)
{
    if (b->error)
        return;
    if (b->end + n + 1 > b->size && b->off > 0) {
        memmove(b->buf, b->buf + b->off, b->end - b->off);
        b->end -= b->off;
        b->off = 0;
    }
    if (b->end + n + 1 > b->size) {
        b->size = b->end + n + 1;
        b->buf = xrealloc(b->buf, b->size);
    }
    memcpy(b->buf + b->end, s, n);
    b->end += n;
    b->buf[b->end++] = '\n';
}

static void write_some(struct outbuf *b)
{
    while (!b->error && b->off < b->end) {
        size_t n = b->end - b->off;
        ssize_t w = b->socket ? send(b->fd, b->buf + b->off, n, MSG_DONTWAIT | MSG_NOSIGNAL)
                              : write(b->fd, b->buf + b->off, n);
        if (w > 0) {
            b->off += (size_t)w;
        } else if (w < 0 && errno == EINTR) {
            continue;
        } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return;
        } else {
            b->error = w < 0 ? errno : EIO;
            b->off = b->end = 0;
        }
    }
    if (b->off == b->end)
        b->off = b->end = 0;
}

static void notice(struct outbuf *b)
{
    char text[80];
    int n = snprintf(text, sizeof text, "[%llu line%s dropped: output too slow]", b->skipping,
                     b->skipping == 1 ? "" : "s");
    put(b, text, (size_t)n);
    b->skipping = 0;
}

int outbuf_flush(struct outbuf *b)
{
    write_some(b);
    /* Output resumes at half: dropping one line, keeping the next, and so
     * on would scatter notices through the transcript. */
    if (b->skipping && outbuf_pending(b) <= b->cap / 2) {
        notice(b);
        write_some(b);
    }
    return b->error ? -1 : 0;
}

void outbuf_add(struct outbuf *b, const char *line, size_t n)
{
    /* A tick that makes more than the buffer holds writes what the fd
     * takes before it drops anything: a file never has to drop. */
    if (!b->skipping && outbuf_pending(b) + n + 1 > b->cap)
        write_some(b);
    if (b->error)
        return;
    if (b->skipping || outbuf_pending(b) + n + 1 > b->cap) {
        b->skipping++;
        b->dropped++;
        return;
    }
    put(b, line, n);
}

void outbuf_line(struct outbuf *b, const char *line)
{
    outbuf_flush(b);
    outbuf_add(b, line, strlen(line));
    write_some(b);
}

void outbuf_final(struct outbuf *b, const char *line)
{
    if (b->skipping)
        notice(b);
    put(b, line, strlen(line));
    write_some(b);
}

int outbuf_drain(struct outbuf *b, int timeout_ms)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        write_some(b);
        if (b->error)
            return -1;
        if (b->off == b->end)
            return 0;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long spent = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (spent >= timeout_ms)
            return -1;
        struct pollfd p = {.fd = b->fd, .events = POLLOUT};
        if (poll(&p, 1, (int)(timeout_ms - spent)) < 0 && errno != EINTR)
            return -1;
    }
}

int outbuf_nonblocking_fd(int fd)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return -1;
    if (S_ISREG(st.st_mode) || S_ISSOCK(st.st_mode))
        return fcntl(fd, F_DUPFD_CLOEXEC, 0);
    /* O_NONBLOCK on fd itself would reach every process sharing it (the
     * shell's terminal, the rest of a pipeline): open it anew instead. */
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    return open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
}
