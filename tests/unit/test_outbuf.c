/*
 * test_outbuf.c - the bounded output of headless free play, on real pipes
 * and sockets: writing never blocks when nobody reads, dropped lines are
 * counted and reported once the reader catches up, every line that
 * arrives is whole, the fd handed in keeps its own flags, a reader that
 * is gone is an error, and draining gives up at its deadline.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "outbuf.h"
#include "util.h"

/* Reads what is there now (fd non-blocking) into b; the bytes read. */
static size_t take(int fd, struct sbuf *b)
{
    char buf[4096];
    size_t got = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        sbuf_addn(b, buf, (size_t)n);
        got += (size_t)n;
    }
    return got;
}

/* Checks the transcript: "line K" lines with K rising, no line cut, and
 * notices whose counts add up to what was dropped in between. */
static void check_lines(const char *text, unsigned long long dropped, int last, int line)
{
    long prev = -1;
    unsigned long long noticed = 0, missing = 0;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        if (!nl) {
            harness_fail(__FILE__, line, "a line without its newline: \"%.40s\"", p);
            return;
        }
        long k;
        unsigned long long n;
        char tail[64];
        if (sscanf(p, "line %ld", &k) == 1) {
            if (k <= prev)
                harness_fail(__FILE__, line, "line %ld after line %ld", k, prev);
            missing += (unsigned long long)(k - prev - 1);
            prev = k;
        } else if (sscanf(p, "[%llu line%63[^\n]", &n, tail) == 2 &&
                   strcmp(tail, n == 1 ? " dropped: output too slow]" : "s dropped: output too slow]") == 0) {
            noticed += n;
        } else {
            harness_fail(__FILE__, line, "unexpected line \"%.*s\"", (int)(nl - p), p);
        }
        p = nl + 1;
    }
    missing += (unsigned long long)(last - prev);
    if (missing != dropped || noticed != dropped)
        harness_fail(__FILE__, line, "%llu lines missing, %llu noticed, %llu dropped", missing,
                     noticed, dropped);
}

static void add_line(struct outbuf *b, int k)
{
    char text[160];
    snprintf(text, sizeof text, "line %d %0120d", k, 0);
    outbuf_line(b, text);
}

void test_outbuf_drops_and_resumes_on_a_pipe(void)
{
    int p[2];
    struct sbuf got = {0};
    REQUIRE(pipe2(p, O_CLOEXEC) == 0);
    fcntl(p[1], F_SETPIPE_SZ, 4096);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    int fd = outbuf_nonblocking_fd(p[1]);
    REQUIRE(fd >= 0);
    /* The fd handed in is left as it was: blocking, for whoever shares it. */
    CHECK(!(fcntl(p[1], F_GETFL) & O_NONBLOCK));
    CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);

    struct outbuf *b = outbuf_new(fd, 2048);
    /* Nobody reads: 200 lines of 130 bytes never block, most are dropped. */
    for (int k = 0; k < 200; k++)
        add_line(b, k);
    CHECK(outbuf_dropped(b) > 100);
    CHECK(outbuf_pending(b) <= 2048);
    CHECK_EQ(outbuf_flush(b), 0);

    /* The reader catches up: the notice comes once the buffer is half
     * empty, then lines are kept again. */
    for (int round = 0; round < 10; round++) {
        take(p[0], &got);
        outbuf_flush(b);
    }
    CHECK_CONTAINS(sbuf_str(&got), " lines dropped: output too slow]\n");
    for (int k = 200; k < 205; k++)
        add_line(b, k);
    CHECK_EQ(outbuf_drain(b, 1000), 0);
    take(p[0], &got);
    CHECK_CONTAINS(sbuf_str(&got), "line 204 ");
    check_lines(sbuf_str(&got), outbuf_dropped(b), 204, __LINE__);

    /* The final line always goes in, after a notice of what it follows. */
    unsigned long long before = outbuf_dropped(b);
    for (int k = 205; k < 400; k++)
        add_line(b, k);
    CHECK(outbuf_dropped(b) > before);
    outbuf_final(b, "the end");
    sbuf_reset(&got);
    while (outbuf_pending(b)) {
        take(p[0], &got);
        outbuf_flush(b);
    }
    take(p[0], &got);
    CHECK_CONTAINS(sbuf_str(&got), " lines dropped: output too slow]\nthe end\n");

    outbuf_free(b);
    close(fd);
    close(p[0]);
    close(p[1]);
    sbuf_free(&got);
}

void test_outbuf_drain_deadline_and_reader_gone(void)
{
    int p[2];
    REQUIRE(pipe2(p, O_CLOEXEC) == 0);
    fcntl(p[1], F_SETPIPE_SZ, 4096);
    int fd = outbuf_nonblocking_fd(p[1]);
    REQUIRE(fd >= 0);
    struct outbuf *b = outbuf_new(fd, 64 * 1024);
    for (int k = 0; k < 100; k++)
        add_line(b, k);
    CHECK(outbuf_pending(b) > 0);
    CHECK_EQ(outbuf_dropped(b), 0);

    /* Nobody reads: drain gives up at its deadline, not much later. */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_EQ(outbuf_drain(b, 100), -1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    CHECK(ms >= 90 && ms < 1000);

    /* The reader goes away: the next write fails with EPIPE, and stays failed. */
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    close(p[0]);
    CHECK_EQ(outbuf_flush(b), -1);
    CHECK_EQ(outbuf_error(b), EPIPE);
    add_line(b, 100);
    CHECK_EQ(outbuf_pending(b), 0);
    CHECK_EQ(outbuf_flush(b), -1);
    signal(SIGPIPE, old);
    outbuf_free(b);
    close(fd);
    close(p[1]);
}

void test_outbuf_socket_never_blocks(void)
{
    int sv[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
    int sz = 4096;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
    int fd = outbuf_nonblocking_fd(sv[0]);
    REQUIRE(fd >= 0);
    /* A socket is duplicated (the same open file description): it must
     * stay blocking, and sends must not wait anyway. */
    struct outbuf *b = outbuf_new(fd, 4096);
    for (int k = 0; k < 2000; k++)
        add_line(b, k);
    CHECK(!(fcntl(sv[0], F_GETFL) & O_NONBLOCK));
    CHECK(outbuf_dropped(b) > 1000);
    outbuf_free(b);
    close(fd);
    close(sv[0]);
    close(sv[1]);
}

/* outbuf_add keeps lines until the owner flushes: a tick's lines leave in
 * one write.  Dropping follows the same bound as outbuf_line. */
void test_outbuf_add_writes_on_flush(void)
{
    int p[2];
    struct sbuf got = {0};
    REQUIRE(pipe2(p, O_CLOEXEC) == 0);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    int fd = outbuf_nonblocking_fd(p[1]);
    REQUIRE(fd >= 0);
    struct outbuf *b = outbuf_new(fd, 64);
    outbuf_add(b, "tick 1", 6);
    outbuf_add(b, "  a: read", 9);
    CHECK_EQ(take(p[0], &got), 0); /* nothing written yet */
    CHECK_EQ(outbuf_pending(b), 17);
    CHECK_EQ(outbuf_flush(b), 0);
    CHECK_EQ(outbuf_pending(b), 0);
    char buf[64];
    ssize_t n = read(p[0], buf, sizeof buf); /* both lines, one write */
    CHECK_EQ(n, 17);
    CHECK_EQ(memcmp(buf, "tick 1\n  a: read\n", 17), 0);
    /* A line past the capacity first makes room by writing: a reader that
     * keeps up loses nothing... */
    for (int k = 0; k < 10; k++)
        outbuf_add(b, "0123456789", 10);
    CHECK_EQ(outbuf_dropped(b), 0);
    size_t early = take(p[0], &got); /* written to make room */
    CHECK(early > 0);
    CHECK_EQ(outbuf_flush(b), 0);
    CHECK_EQ(early + take(p[0], &got), 110);
    /* ...and once the pipe is full, lines are dropped whole and counted. */
    fcntl(p[1], F_SETPIPE_SZ, 4096);
    for (int k = 0; k < 1000; k++)
        outbuf_add(b, "0123456789", 10);
    CHECK(outbuf_dropped(b) > 0);
    CHECK(outbuf_pending(b) <= 64);
    CHECK_EQ(take(p[0], &got) + outbuf_pending(b) + 11 * outbuf_dropped(b), 11000);
    outbuf_free(b);
    close(fd);
    close(p[0]);
    close(p[1]);
    sbuf_free(&got);
}
