/*
 * record.c - the relay between the real terminal and a TUI on a
 * pseudo-terminal, writing what passes to the screen into a recording.
 *
 * The parent keeps the real terminal raw (no output processing, no
 * signal keys: Ctrl-C travels as a byte to the pseudo-terminal, whose line
 * discipline turns it into the child's SIGINT, as the real terminal would
 * have).  It runs its own small host loop: the master side of the
 * pseudo-terminal, standard input, and a signalfd for resizes and for the
 * signals it passes on to the child.
 */
#include "record.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cast.h"
#include "hostloop.h"

/* For fatal(): the real terminal's settings to put back (set while raw). */
static const struct termios *restore_tio;

static void restore_terminal(void)
{
    if (restore_tio)
        tcsetattr(STDIN_FILENO, TCSADRAIN, restore_tio);
}

struct relay {
    struct hostloop *loop;
    int master;
    pid_t child;
    struct cast *cast;
    struct timespec start;
    struct winsize size;
    struct sbuf keys; /* typed, not yet taken by the pseudo-terminal */
    size_t keys_done;
    bool stdin_open, stdin_watched, screen_gone;
};

static uint64_t elapsed_ns(const struct relay *r)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)(now.tv_sec - r->start.tv_sec) * 1000000000u + (uint64_t)now.tv_nsec -
           (uint64_t)r->start.tv_nsec;
}

/* All of it, or -1 once the terminal is gone. */
static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno == EAGAIN) {
            struct pollfd pfd = {.fd = fd, .events = POLLOUT};
            poll(&pfd, 1, -1);
            continue;
        }
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static void on_master(void *ctx, int fd, uint32_t events);
static void on_stdin(void *ctx, int fd, uint32_t events);

/* While typed bytes wait for room in the pseudo-terminal, standard input
 * is not read (the wait is the back-pressure) and the master is watched
 * for room as well as for output.  Never a blocking write: the child may
 * be busy writing its screen, which only this loop can take. */
static void watch(struct relay *r)
{
    bool waiting = r->keys_done < r->keys.len;
    hostloop_del(r->loop, r->master);
    if (hostloop_add(r->loop, r->master, EPOLLIN | (waiting ? EPOLLOUT : 0), on_master, r) < 0)
        fatal("cannot watch the pseudo-terminal: %s", strerror(errno));
    bool want_stdin = r->stdin_open && !waiting;
    if (want_stdin != r->stdin_watched) {
        if (want_stdin)
            hostloop_add(r->loop, STDIN_FILENO, EPOLLIN, on_stdin, r);
        else
            hostloop_del(r->loop, STDIN_FILENO);
        r->stdin_watched = want_stdin;
    }
}

static void pass_keys(struct relay *r)
{
    while (r->keys_done < r->keys.len) {
        ssize_t w = write(r->master, r->keys.s + r->keys_done, r->keys.len - r->keys_done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break; /* EAGAIN: later; an error: the child is gone, on_master ends it */
        r->keys_done += (size_t)w;
    }
    if (r->keys_done == r->keys.len) {
        sbuf_reset(&r->keys);
        r->keys_done = 0;
    }
}

static void on_master(void *ctx, int fd, uint32_t events)
{
    struct relay *r = ctx;
    char buf[65536];
    bool waiting = r->keys_done < r->keys.len;

    if (events & EPOLLOUT)
        pass_keys(r);
    /* A bounded number of reads per turn, so keys still get through while
     * the child draws without pause. */
    for (int i = 0; i < 16; i++) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            break;
        if (n <= 0) { /* EIO: the child closed its side, every byte is read */
            hostloop_stop(r->loop);
            return;
        }
        /* The screen first: the recording must never hold up the class. */
        if (!r->screen_gone && write_all(STDOUT_FILENO, buf, (size_t)n) < 0)
            r->screen_gone = true;
        cast_output(r->cast, elapsed_ns(r), buf, (size_t)n);
    }
    if (waiting != (r->keys_done < r->keys.len))
        watch(r);
}

static void on_stdin(void *ctx, int fd, uint32_t events)
{
    struct relay *r = ctx;
    char buf[4096];
    (void)events;
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        /* The terminal hung up: the child gets what a hang-up gives it. */
        r->stdin_open = false;
        kill(r->child, SIGHUP);
        watch(r);
        return;
    }
    sbuf_addn(&r->keys, buf, (size_t)n);
    pass_keys(r);
    if (r->keys_done < r->keys.len)
        watch(r);
}

static void on_signal(void *ctx, int fd, uint32_t signo)
{
    struct relay *r = ctx;
    struct winsize ws;
    (void)fd;
    if (signo != SIGWINCH) { /* SIGINT, SIGTERM, SIGHUP, SIGQUIT: the TUI's to answer */
        kill(r->child, (int)signo);
        return;
    }
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 || !ws.ws_col || !ws.ws_row ||
        (ws.ws_col == r->size.ws_col && ws.ws_row == r->size.ws_row))
        return;
    r->size = ws;
    ioctl(r->master, TIOCSWINSZ, &ws); /* the kernel sends the child its SIGWINCH */
    cast_resize(r->cast, elapsed_ns(r), ws.ws_col, ws.ws_row);
}

static int relay(struct relay *r, const char *path, FILE *file, const struct termios *saved)
{
    struct termios raw = *saved;
    cfmakeraw(&raw);
    restore_tio = saved;
    fatal_set_hook(restore_terminal);
    tcsetattr(STDIN_FILENO, TCSANOW, &raw);

    r->stdin_open = true;
    fcntl(r->master, F_SETFL, fcntl(r->master, F_GETFL) | O_NONBLOCK);
    watch(r);
    while (!hostloop_stopped(r->loop))
        hostloop_turn(r->loop, -1);

    tcsetattr(STDIN_FILENO, TCSADRAIN, saved);
    fatal_set_hook(NULL);
    restore_tio = NULL;
    int st, status;
    while (waitpid(r->child, &st, 0) < 0 && errno == EINTR)
        ;
    status = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 1;

    uint64_t t = elapsed_ns(r);
    struct sbuf err = {0};
    int bad = cast_finish(r->cast, t, &err);
    if (fclose(file) != 0 && !bad) {
        sbuf_add(&err, strerror(errno));
        bad = -1;
    }
    if (bad) {
        fprintf(stderr, "epollviz: --record %s: %s; the recording is incomplete\n", path,
                sbuf_str(&err));
        if (status == 0)
            status = 1;
    } else {
        printf("epollviz: recorded %llu.%llu s in %s (play it with: asciinema play %s)\n",
               (unsigned long long)(t / 1000000000u),
               (unsigned long long)(t % 1000000000u / 100000000u), path, path);
    }
    sbuf_free(&err);
    return status;
}

int record_start(const char *path)
{
    struct relay r = {.master = -1};
    struct termios saved;
    sigset_t set, old;

    FILE *file = fopen(path, "w");
    if (!file) {
        fprintf(stderr, "epollviz: --record %s: %s\n", path, strerror(errno));
        return 2;
    }
    if (tcgetattr(STDIN_FILENO, &saved) < 0 || ioctl(STDOUT_FILENO, TIOCGWINSZ, &r.size) < 0) {
        fprintf(stderr, "epollviz: --record: the terminal's settings: %s\n", strerror(errno));
        fclose(file);
        return 2;
    }

    /* Blocked before the fork so none is lost; the child unblocks them. */
    sigemptyset(&set);
    sigaddset(&set, SIGWINCH);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGQUIT);
    sigprocmask(SIG_BLOCK, &set, &old);

    /* Messages that went to a file stay there (the screen is not theirs). */
    int err_fd = isatty(STDERR_FILENO) ? -1 : fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    fflush(NULL);
    /* The TUI's terminal has no suspend key: a child on a pseudo-terminal
     * of its own is an orphaned process group, which the kernel never
     * stops, so Ctrl-Z would only flash the screen.  It reaches the TUI as
     * an ordinary key instead. */
    struct termios child_tio = saved;
    child_tio.c_cc[VSUSP] = _POSIX_VDISABLE;
    r.child = forkpty(&r.master, NULL, &child_tio, &r.size);
    if (r.child < 0) {
        fprintf(stderr, "epollviz: --record: cannot open a pseudo-terminal: %s\n", strerror(errno));
        sigprocmask(SIG_SETMASK, &old, NULL);
        fclose(file);
        return 2;
    }
    if (r.child == 0) {
        if (err_fd >= 0) {
            dup2(err_fd, STDERR_FILENO);
            close(err_fd);
        }
        fclose(file);
        sigprocmask(SIG_SETMASK, &old, NULL);
        return RECORD_CHILD;
    }
    if (err_fd >= 0)
        close(err_fd);

    clock_gettime(CLOCK_MONOTONIC, &r.start);
    const char *term = getenv("TERM"), *shell = getenv("SHELL");
    r.cast = cast_new(file, r.size.ws_col, r.size.ws_row, time(NULL), term, shell);
    r.loop = hostloop_new();
    if (hostloop_signals(r.loop, &set, on_signal, &r) < 0)
        fatal("cannot set up signal handling");
    int status = relay(&r, path, file, &saved);
    cast_free(r.cast);
    hostloop_free(r.loop);
    close(r.master);
    sbuf_free(&r.keys);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return status;
}
