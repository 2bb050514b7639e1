/*
 * load.c - a load generator for a sink server on loopback, bounded in
 * count and time.
 *
 * It opens connections to 127.0.0.1 only, waits until the server holds
 * them all, then either floods (each connection sends --messages messages
 * as fast as the server takes them, then shuts down its sending side and
 * waits for the server to close: a clean close after our end of stream
 * proves the server read every byte), or paces (--rate messages a second
 * in total for --seconds).  --idle adds connections that send nothing.
 *
 * With --pid it finds the server's listening port in /proc, waits until
 * the process holds every connection (its socket descriptors), and
 * measures the server's CPU time over the measured interval from
 * /proc/PID/schedstat (nanoseconds; /proc/PID/stat's clock ticks where
 * schedstat is missing).  It prints one line:
 *
 *   load: conns=N idle=I size=B batch=K messages=M bytes=B writes=W
 *         seconds=T msgs_per_s=R complete=yes clean=N reset=0
 *         server_cpu_s=C server_cpu_pct=P server_us_per_msg=U load_cpu_s=L
 *
 * (on one line).  complete=no (exit status 1) when the time bound ended a
 * flood, or the server closed or reset connections: never a figure for
 * work that was not done.  Errors go to stderr as "load: ...".
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 30000
#define CONNECT_WAVE 256  /* handshakes in flight at once: well under any backlog */
#define SETUP_SECONDS 30  /* connecting, and waiting for the server to hold them */
#define CLOSE_SECONDS 10  /* after a paced run: flushing and the server's closes */
#define TIMER_TAG UINT32_MAX

struct conn {
    int fd;
    bool active;      /* sends; idle connections never do */
    bool shut;        /* our end of stream was sent */
    uint64_t owed;    /* bytes still to write */
    uint64_t offset;  /* position in the pattern */
    uint32_t events;  /* what epoll watches for it now */
};

struct load {
    long pid;
    unsigned port;
    unsigned conns, idle;
    unsigned size, batch;
    unsigned long long messages; /* per connection, flood */
    double rate;                 /* messages a second in total; 0 = flood */
    double seconds;              /* bound of a flood, length of a paced run */
    bool paced;
    const char *started; /* created when the measured run begins */

    int epfd;
    struct conn *c;
    unsigned n;        /* conns + idle */
    char *pattern;     /* size * batch bytes */
    size_t chunk;
    unsigned long long bytes, writes;
    unsigned clean, reset, lost_idle, finished;
};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static _Noreturn void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
    va_list ap;
    fputs("load: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static _Noreturn void usage(void)
{
    fputs("usage: load (--pid PID | --port N) [--conns N] [--messages M] [--size B]\n"
          "            [--batch K] [--rate R] [--idle N] [--seconds S] [--started FILE]\n"
          "  connects to 127.0.0.1 only.  Flood (no --rate): each of N connections\n"
          "  (default 1) sends M messages (default 1000) of B bytes (default 64),\n"
          "  K per write (default 1), then shuts down and waits for the server to\n"
          "  close; S (default 30) bounds it.  --rate R: R messages a second in\n"
          "  total for S seconds.  --idle N: N more connections that send nothing.\n"
          "  --pid: find the port in /proc, wait until the server holds every\n"
          "  connection, and measure its CPU time over the run.  --started: create\n"
          "  FILE when the measured run begins.\n",
          stderr);
    exit(2);
}

static double number(const char *s, double lo, double hi)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= lo && v <= hi))
        usage();
    return v;
}

/* ---- the server, seen from /proc --------------------------------------- */

/* Socket inodes the process holds; returns how many (at most `max` kept). */
static size_t server_sockets(long pid, unsigned long *inodes, size_t max)
{
    char path[64], link[64];
    size_t n = 0;
    snprintf(path, sizeof path, "/proc/%ld/fd", pid);
    DIR *d = opendir(path);
    if (!d)
        fail("cannot read the server's descriptors (%s): is it running?", path);
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char fd[384];
        snprintf(fd, sizeof fd, "%s/%s", path, e->d_name);
        ssize_t k = readlink(fd, link, sizeof link - 1);
        if (k <= 0)
            continue;
        link[k] = '\0';
        unsigned long ino;
        if (sscanf(link, "socket:[%lu]", &ino) == 1) {
            if (inodes && n < max)
                inodes[n] = ino;
            n++;
        }
    }
    closedir(d);
    return n;
}

/* The port the process listens on over IPv4 (127.0.0.1 or any address),
 * or 0 if none yet. */
static unsigned listening_port(long pid)
{
    unsigned long inodes[64];
    size_t ni = server_sockets(pid, inodes, 64);
    char path[64], line[512];
    unsigned port = 0, found = 0;
    snprintf(path, sizeof path, "/proc/%ld/net/tcp", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f)) {
        unsigned ip, p, st;
        unsigned long ino;
        /* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
        if (sscanf(line, " %*u: %x:%x %*x:%*x %x %*x:%*x %*x:%*x %*x %*u %*u %lu", &ip, &p, &st,
                   &ino) != 4 || st != 0x0a)
            continue;
        if (ip != htonl(INADDR_LOOPBACK) && ip != 0)
            continue;
        for (size_t i = 0; i < ni && i < 64; i++)
            if (inodes[i] == ino) {
                port = p;
                found++;
            }
    }
    fclose(f);
    if (found > 1)
        fail("the server listens on %u ports on loopback: give --port", found);
    return port;
}

/* CPU time of the process so far, in seconds. */
static double server_cpu(long pid)
{
    char path[64];
    unsigned long long ns, ut, st;
    snprintf(path, sizeof path, "/proc/%ld/schedstat", pid);
    FILE *f = fopen(path, "r");
    if (f) {
        int ok = fscanf(f, "%llu", &ns) == 1 && ns > 0;
        fclose(f);
        if (ok)
            return (double)ns / 1e9;
    }
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    if (!(f = fopen(path, "r")))
        return -1;
    /* Field 2 is "(comm)" and may hold spaces: skip to the last ')'. */
    char buf[1024];
    size_t k = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[k] = '\0';
    char *p = strrchr(buf, ')');
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static double own_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* ---- connecting -------------------------------------------------------- */

static void watch(struct load *l, unsigned i, uint32_t events, int op)
{
    struct epoll_event ev = {.events = events, .data.u32 = i};
    if (op == EPOLL_CTL_MOD && l->c[i].events == events)
        return; /* one syscall less per write burst */
    if (epoll_ctl(l->epfd, op, l->c[i].fd, &ev) < 0)
        fail("epoll_ctl: %s", strerror(errno));
    l->c[i].events = events;
}

static void connect_all(struct load *l)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)l->port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    double deadline = now_s() + SETUP_SECONDS;
    struct epoll_event ev[CONNECT_WAVE];
    int one = 1;

    for (unsigned first = 0; first < l->n; first += CONNECT_WAVE) {
        unsigned last = first + CONNECT_WAVE < l->n ? first + CONNECT_WAVE : l->n;
        unsigned waiting = 0;
        for (unsigned i = first; i < last; i++) {
            int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0)
                fail("socket: %s (raise the descriptor limit: ulimit -n)", strerror(errno));
            /* Each write its own segment, as the scenario clients do. */
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            l->c[i] = (struct conn){.fd = fd, .active = i < l->conns};
            if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0 && errno != EINPROGRESS)
                fail("connect: %s", strerror(errno));
            watch(l, i, EPOLLOUT, EPOLL_CTL_ADD);
            waiting++;
        }
        while (waiting) {
            if (now_s() > deadline)
                fail("connecting took longer than %d seconds", SETUP_SECONDS);
            int k = epoll_wait(l->epfd, ev, CONNECT_WAVE, 100);
            for (int j = 0; j < k; j++) {
                unsigned i = ev[j].data.u32;
                int err = 0;
                socklen_t len = sizeof err;
                getsockopt(l->c[i].fd, SOL_SOCKET, SO_ERROR, &err, &len);
                if (err)
                    fail("connect: %s", strerror(err));
                /* From now on only a close (or data) from the server. */
                watch(l, i, EPOLLIN | EPOLLRDHUP, EPOLL_CTL_MOD);
                waiting--;
            }
        }
    }
}

/* A server that closes a connection before the run is refusing it (a
 * connection limit): say so rather than measure fewer connections. */
static void check_none_closed(struct load *l, int timeout_ms)
{
    struct epoll_event ev[64];
    int k = epoll_wait(l->epfd, ev, 64, timeout_ms);
    if (k > 0)
        fail("the server closed a connection before the run (of %u asked): a connection "
             "limit? (epollviz: --max-conns)", l->n);
}

static void wait_held(struct load *l, size_t before)
{
    double deadline = now_s() + SETUP_SECONDS;
    size_t held = 0;
    while ((held = server_sockets(l->pid, NULL, 0)) < before + l->n) {
        if (now_s() > deadline)
            fail("after %d s the server holds %zu of %u connections", SETUP_SECONDS,
                 held >= before ? held - before : 0, l->n);
        check_none_closed(l, 20);
    }
    check_none_closed(l, 0);
}

/* ---- sending ----------------------------------------------------------- */

static void closed_by_server(struct load *l, unsigned i)
{
    struct conn *c = &l->c[i];
    char b[4096];
    ssize_t r;
    while ((r = read(c->fd, b, sizeof b)) > 0)
        ; /* a sink server sends nothing; discard whatever it did */
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return; /* not closed yet */
    if (!c->active)
        l->lost_idle++;
    else if (r == 0 && c->shut && !c->owed)
        l->clean++;
    else
        l->reset++;
    close(c->fd);
    c->fd = -1;
    l->finished++;
}

/* Writes what the connection owes until EAGAIN; then, if asked, ends its
 * stream. */
static void flush(struct load *l, unsigned i, bool shut_when_done)
{
    struct conn *c = &l->c[i];
    while (c->owed) {
        size_t at = (size_t)(c->offset % l->chunk);
        size_t n = l->chunk - at;
        if (n > c->owed)
            n = (size_t)c->owed;
        ssize_t w = write(c->fd, l->pattern + at, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                watch(l, i, EPOLLIN | EPOLLRDHUP | EPOLLOUT, EPOLL_CTL_MOD);
                return;
            }
            closed_by_server(l, i); /* EPIPE, ECONNRESET */
            if (c->fd >= 0) {
                l->reset++;
                close(c->fd);
                c->fd = -1;
                l->finished++;
            }
            return;
        }
        l->writes++;
        l->bytes += (uint64_t)w;
        c->owed -= (uint64_t)w;
        c->offset += (uint64_t)w;
    }
    if (shut_when_done && !c->shut) {
        shutdown(c->fd, SHUT_WR);
        c->shut = true;
    }
    watch(l, i, EPOLLIN | EPOLLRDHUP, EPOLL_CTL_MOD);
}

static void on_event(struct load *l, const struct epoll_event *ev, bool shut_when_done)
{
    unsigned i = ev->data.u32;
    if (l->c[i].fd < 0)
        return;
    if (ev->events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
        closed_by_server(l, i);
        if (l->c[i].fd < 0)
            return;
    }
    if (ev->events & EPOLLOUT)
        flush(l, i, shut_when_done);
}

/* Every active connection sends its messages, ends its stream, and waits
 * for the server's close; returns false if the time bound came first. */
static bool flood(struct load *l, double deadline)
{
    struct epoll_event ev[256];
    for (unsigned i = 0; i < l->conns; i++) {
        l->c[i].owed = l->messages * l->size;
        watch(l, i, EPOLLIN | EPOLLRDHUP | EPOLLOUT, EPOLL_CTL_MOD);
    }
    while (l->finished - l->lost_idle < l->conns) {
        double left = deadline - now_s();
        if (left <= 0)
            return false;
        int k = epoll_wait(l->epfd, ev, 256, left > 0.1 ? 100 : (int)(left * 1000) + 1);
        for (int j = 0; j < k; j++)
            on_event(l, &ev[j], true);
    }
    return true;
}

/* --rate messages a second (K per write, to the connections in turn) for
 * `seconds`; then every active connection ends its stream. */
static void paced(struct load *l, double end)
{
    struct epoll_event ev[256];
    int tfd = -1;
    unsigned next = 0;
    if (l->rate > 0 && l->conns > 0) {
        double period = l->batch / l->rate;
        struct itimerspec its = {0};
        its.it_interval.tv_sec = (time_t)period;
        its.it_interval.tv_nsec = (long)((period - (double)(time_t)period) * 1e9);
        if (its.it_interval.tv_sec == 0 && its.it_interval.tv_nsec == 0)
            its.it_interval.tv_nsec = 1;
        its.it_value = its.it_interval;
        tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        struct epoll_event tev = {.events = EPOLLIN, .data.u32 = TIMER_TAG};
        if (tfd < 0 || epoll_ctl(l->epfd, EPOLL_CTL_ADD, tfd, &tev) < 0 ||
            timerfd_settime(tfd, 0, &its, NULL) < 0)
            fail("timerfd: %s", strerror(errno));
    }
    for (double left; (left = end - now_s()) > 0;) {
        int k = epoll_wait(l->epfd, ev, 256, left > 0.1 ? 100 : (int)(left * 1000) + 1);
        for (int j = 0; j < k; j++) {
            if (ev[j].data.u32 != TIMER_TAG) {
                on_event(l, &ev[j], false);
                continue;
            }
            uint64_t due = 0;
            if (read(tfd, &due, sizeof due) != sizeof due)
                continue;
            while (due-- > 0) {
                for (unsigned tries = 0; tries < l->conns && l->c[next].fd < 0; tries++)
                    next = (next + 1) % l->conns;
                if (l->c[next].fd < 0)
                    break;
                l->c[next].owed += (uint64_t)l->batch * l->size;
                flush(l, next, false);
                next = (next + 1) % l->conns;
            }
        }
    }
    if (tfd >= 0)
        close(tfd);
}

static void finish_paced(struct load *l)
{
    struct epoll_event ev[256];
    double deadline = now_s() + CLOSE_SECONDS;
    for (unsigned i = 0; i < l->conns; i++)
        if (l->c[i].fd >= 0)
            flush(l, i, true);
    while (l->finished - l->lost_idle < l->conns && now_s() < deadline) {
        int k = epoll_wait(l->epfd, ev, 256, 100);
        for (int j = 0; j < k; j++)
            on_event(l, &ev[j], true);
    }
}

int main(int argc, char **argv)
{
    struct load l = {.conns = 1, .size = 64, .batch = 1, .messages = 1000, .seconds = 30};
    bool seconds_given = false;

    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (i + 1 >= argc)
            usage();
        const char *v = argv[++i];
        if (strcmp(o, "--pid") == 0)
            l.pid = (long)number(v, 1, 1e9);
        else if (strcmp(o, "--port") == 0)
            l.port = (unsigned)number(v, 1, 65535);
        else if (strcmp(o, "--conns") == 0)
            l.conns = (unsigned)number(v, 0, MAX_CONNS);
        else if (strcmp(o, "--idle") == 0)
            l.idle = (unsigned)number(v, 0, MAX_CONNS);
        else if (strcmp(o, "--messages") == 0)
            l.messages = (unsigned long long)number(v, 1, 1e12);
        else if (strcmp(o, "--size") == 0)
            l.size = (unsigned)number(v, 1, 65536);
        else if (strcmp(o, "--batch") == 0)
            l.batch = (unsigned)number(v, 1, 1024);
        else if (strcmp(o, "--rate") == 0)
            l.rate = number(v, 0.001, 1e9), l.paced = true;
        else if (strcmp(o, "--started") == 0)
            l.started = v;
        else if (strcmp(o, "--seconds") == 0)
            l.seconds = number(v, 0.001, 3600), seconds_given = true;
        else
            usage();
    }
    if ((!l.pid && !l.port) || l.conns + l.idle == 0 || l.conns + l.idle > MAX_CONNS)
        usage();
    if (l.conns == 0)
        l.paced = true; /* idle connections only: a measured wait */
    if (l.paced && !seconds_given)
        l.seconds = 10;

    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (l.pid && !l.port) {
        double deadline = now_s() + SETUP_SECONDS;
        while (!(l.port = listening_port(l.pid))) {
            if (now_s() > deadline)
                fail("the server does not listen on loopback after %d seconds", SETUP_SECONDS);
            usleep(10000);
        }
    }
    l.n = l.conns + l.idle;
    l.c = calloc(l.n, sizeof *l.c);
    l.chunk = (size_t)l.size * l.batch;
    l.pattern = malloc(l.chunk);
    if (!l.c || !l.pattern)
        fail("out of memory");
    /* Lines of visible text: 63 letters and digits, then a newline. */
    for (size_t i = 0; i < l.chunk; i++) {
        static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        l.pattern[i] = (i + 1) % l.size == 0 ? '\n' : alnum[i % (sizeof alnum - 1)];
    }
    if ((l.epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
        fail("epoll_create1: %s", strerror(errno));

    size_t before = l.pid ? server_sockets(l.pid, NULL, 0) : 0;
    connect_all(&l);
    if (l.pid)
        wait_held(&l, before);

    if (l.started) {
        FILE *f = fopen(l.started, "w");
        if (!f)
            fail("%s: %s", l.started, strerror(errno));
        fclose(f);
    }
    double cpu0 = l.pid ? server_cpu(l.pid) : -1, own0 = own_cpu();
    double t0 = now_s(), t1;
    bool complete = false;
    if (l.paced) {
        paced(&l, t0 + l.seconds);
        t1 = now_s();
    } else {
        complete = flood(&l, t0 + l.seconds);
        t1 = now_s();
    }
    double cpu1 = l.pid ? server_cpu(l.pid) : -1, own1 = own_cpu();
    if (l.paced) {
        finish_paced(&l);
        complete = l.clean == l.conns;
    }
    complete = complete && l.clean == l.conns && l.reset == 0 && l.lost_idle == 0;
    for (unsigned i = 0; i < l.n; i++)
        if (l.c[i].fd >= 0)
            close(l.c[i].fd);

    double secs = t1 - t0;
    unsigned long long msgs = l.bytes / l.size;
    printf("load: conns=%u idle=%u size=%u batch=%u messages=%llu bytes=%llu writes=%llu "
           "seconds=%.3f msgs_per_s=%.0f complete=%s clean=%u reset=%u",
           l.conns, l.idle, l.size, l.batch, msgs, l.bytes, l.writes, secs,
           secs > 0 ? (double)msgs / secs : 0.0, complete ? "yes" : "no", l.clean, l.reset);
    if (l.lost_idle)
        printf(" lost_idle=%u", l.lost_idle);
    if (cpu0 >= 0 && cpu1 >= 0) {
        double cpu = cpu1 - cpu0;
        printf(" server_cpu_s=%.4f server_cpu_pct=%.2f", cpu, secs > 0 ? 100 * cpu / secs : 0.0);
        if (msgs)
            printf(" server_us_per_msg=%.4f", 1e6 * cpu / (double)msgs);
    }
    printf(" load_cpu_s=%.4f\n", own1 - own0);
    free(l.c);
    free(l.pattern);
    return complete ? 0 : 1;
}
