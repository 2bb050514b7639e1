/*
 * bare.c - the yardstick: a bare epoll sink server, nothing shown.
 *
 * What epollviz's taught server does with its default knobs, minus every
 * instrument: listen on loopback, accept every pending connection, read
 * each ready connection until EAGAIN into a 64 KiB buffer (the same
 * buffer and the same 256 events per epoll_wait as epollviz), discard
 * the bytes, close on end of stream.  Level- or edge-triggered.
 *
 * It stops by itself: half a second after every connection it accepted
 * has closed (so whoever measures its CPU time can still read it), after
 * --seconds (default 60), or on SIGINT/SIGTERM.  It prints one line as it
 * starts and one as it ends:
 *
 *   bare: listening on 127.0.0.1:PORT mode lt
 *   bare: mode=lt conns=N bytes=B reads=R wakeups=W waits=E seconds=T cpu_s=C
 *
 * `make bench` runs it beside epollviz; `make test` runs it tiny to check
 * that it still works and that its byte count adds up.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 256
#define READ_BUF (64 * 1024)

struct bare {
    bool et;
    int epfd, lfd, sigfd;
    unsigned long long accepted, open, bytes, reads, wakeups, waits;
    unsigned char buf[READ_BUF];
};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "bare: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void usage(void)
{
    fputs("usage: bare [--mode lt|et] [--port N] [--seconds S]\n"
          "  a bare epoll sink server on 127.0.0.1 (port 0: any free one): reads\n"
          "  every connection until EAGAIN, discards the bytes, and stops half a\n"
          "  second after every connection it accepted has closed, after S seconds\n"
          "  (default 60), or on SIGINT/SIGTERM\n",
          stderr);
    exit(2);
}

static void accept_all(struct bare *b)
{
    for (;;) {
        int fd = accept4(b->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            die("accept4"); /* EMFILE included: a yardstick must not limp */
        }
        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | (b->et ? EPOLLET : 0),
                                 .data.fd = fd};
        if (epoll_ctl(b->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
            die("epoll_ctl");
        b->accepted++;
        b->open++;
    }
}

static void serve(struct bare *b, int fd)
{
    b->wakeups++;
    for (;;) {
        ssize_t n = read(fd, b->buf, sizeof b->buf);
        b->reads++;
        if (n > 0) {
            b->bytes += (unsigned long long)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        close(fd); /* end of stream, or an error such as a reset */
        b->open--;
        return;
    }
}

int main(int argc, char **argv)
{
    struct bare *b = calloc(1, sizeof *b);
    unsigned port = 0;
    double seconds = 60;

    if (!b)
        die("calloc");
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            usage();
        if (strcmp(argv[i], "--mode") == 0) {
            const char *m = argv[++i];
            if (strcmp(m, "lt") != 0 && strcmp(m, "et") != 0)
                usage();
            b->et = strcmp(m, "et") == 0;
        } else if (strcmp(argv[i], "--port") == 0) {
            port = (unsigned)strtoul(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--seconds") == 0) {
            seconds = strtod(argv[++i], NULL);
            if (!(seconds > 0))
                usage();
        } else {
            usage();
        }
    }

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    if ((b->sigfd = signalfd(-1, &set, SFD_CLOEXEC)) < 0)
        die("signalfd");

    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    int one = 1;
    if ((b->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0)
        die("socket");
    setsockopt(b->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(b->lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(b->lfd, SOMAXCONN) < 0 ||
        getsockname(b->lfd, (struct sockaddr *)&sa, &len) < 0)
        die("listen");
    if ((b->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
        die("epoll_create1");
    /* The listener's event carries fd -1 in data, the signalfd -2: no
     * connection has those. */
    struct epoll_event lev = {.events = EPOLLIN | (b->et ? EPOLLET : 0), .data.fd = -1};
    struct epoll_event sev = {.events = EPOLLIN, .data.fd = -2};
    if (epoll_ctl(b->epfd, EPOLL_CTL_ADD, b->lfd, &lev) < 0 ||
        epoll_ctl(b->epfd, EPOLL_CTL_ADD, b->sigfd, &sev) < 0)
        die("epoll_ctl");
    printf("bare: listening on 127.0.0.1:%u mode %s\n", ntohs(sa.sin_port), b->et ? "et" : "lt");
    fflush(stdout);

    double start = now_s(), end = start + seconds;
    struct epoll_event ev[MAX_EVENTS];
    double all_closed = 0; /* when the last connection closed; 0: some are open */
    bool stop = false;
    while (!stop) {
        double t = now_s(), until = end;
        if (b->accepted > 0 && b->open == 0) {
            if (!all_closed)
                all_closed = t;
            if (all_closed + 0.5 < until)
                until = all_closed + 0.5; /* linger, then stop */
        } else {
            all_closed = 0;
        }
        double left = until - t;
        if (left <= 0)
            break;
        int n = epoll_wait(b->epfd, ev, MAX_EVENTS, left > 1 ? 1000 : (int)(left * 1000) + 1);
        b->waits++;
        if (n < 0 && errno != EINTR)
            die("epoll_wait");
        for (int i = 0; i < n; i++) {
            if (ev[i].data.fd == -1)
                accept_all(b);
            else if (ev[i].data.fd == -2)
                stop = true;
            else
                serve(b, ev[i].data.fd);
        }
    }

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    printf("bare: mode=%s conns=%llu bytes=%llu reads=%llu wakeups=%llu waits=%llu "
           "seconds=%.3f cpu_s=%.3f\n",
           b->et ? "et" : "lt", b->accepted, b->bytes, b->reads, b->wakeups, b->waits,
           now_s() - start, cpu);
    free(b);
    return 0;
}
