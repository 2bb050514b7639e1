/*
 * crash.c - handlers for the signals that end the process behind the
 * host loop's back: give the terminal back with tcsetattr and write only,
 * then let the signal do what it would have done (see crash.h).
 */
#include "crash.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "util.h"

/* Default action "terminate" or "core", and not read from the signalfd. */
static const int guarded[] = {
    SIGSEGV, SIGBUS,  SIGABRT, SIGFPE,    SIGILL,  SIGSYS, SIGTRAP, SIGXCPU, SIGXFSZ,
    SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGIO,  SIGPWR,  SIGSTKFLT,
};
#define NGUARDED (sizeof guarded / sizeof guarded[0])

/* A stack overflow is a SIGSEGV with no stack left to run a handler on. */
#define ALTSTACK_SIZE (64 * 1024)

/* Static: a signal handler can reach nothing else.  Written only outside
 * handlers, except `armed`. */
static struct {
    volatile sig_atomic_t armed; /* curses owns the terminal: undo it */
    int fd;
    bool saved, installed;
    struct termios tio;          /* as the shell handed it over */
    char undo[256];              /* bracketed paste off; rmkx sgr0 cnorm rmcup, from terminfo */
    size_t undo_len;
    struct sigaction prev[NGUARDED];
    bool took[NGUARDED];         /* we replaced prev[i] */
    void *altstack;              /* ours, if there was none */
} guard = {.fd = -1};

static void give_back(void)
{
    if (!guard.armed)
        return;
    guard.armed = 0;
    size_t off = 0;
    while (off < guard.undo_len) {
        ssize_t n = write(guard.fd, guard.undo + off, guard.undo_len - off);
        if (n > 0)
            off += (size_t)n;
        else if (n < 0 && errno == EINTR)
            continue;
        else
            break;
    }
    if (guard.saved)
        tcsetattr(guard.fd, TCSANOW, &guard.tio);
}

static void on_fatal(int signo, siginfo_t *info, void *uctx)
{
    int saved_errno = errno;
    give_back();
    size_t i = 0;
    while (i < NGUARDED && guarded[i] != signo)
        i++;
    const struct sigaction *prev = i < NGUARDED ? &guard.prev[i] : NULL;
    /* Hand it on, as if we had never been here.  A previous handler (a
     * sanitizer reporting a SEGV) gets the original siginfo; otherwise the
     * default action, raised again: it is delivered as this handler
     * returns, since the signal is blocked until then, and a fault that
     * was real faults again at the same instruction. */
    if (prev && (prev->sa_flags & SA_SIGINFO) && prev->sa_sigaction) {
        sigaction(signo, prev, NULL);
        prev->sa_sigaction(signo, info, uctx);
    } else if (prev && !(prev->sa_flags & SA_SIGINFO) && prev->sa_handler != SIG_DFL &&
               prev->sa_handler != SIG_IGN) {
        sigaction(signo, prev, NULL);
        prev->sa_handler(signo);
    } else {
        signal(signo, SIG_DFL);
        raise(signo);
    }
    errno = saved_errno;
}

void crash_save(int fd)
{
    guard.fd = fd;
    guard.saved = tcgetattr(fd, &guard.tio) == 0;
}

static void add_raw(const char *s)
{
    size_t n = strlen(s);
    if (n <= sizeof guard.undo - guard.undo_len) {
        memcpy(guard.undo + guard.undo_len, s, n);
        guard.undo_len += n;
    }
}

static void add_cap(const char *name)
{
    const char *s = tigetstr(name);
    if (!s || s == (const char *)-1)
        return;
    add_raw(s);
}

static void install(void)
{
    stack_t cur;
    /* A sanitizer may have its own alternate stack: keep it. */
    if (sigaltstack(NULL, &cur) == 0 && (cur.ss_flags & SS_DISABLE)) {
        stack_t ss = {.ss_sp = xmalloc(ALTSTACK_SIZE), .ss_size = ALTSTACK_SIZE};
        if (sigaltstack(&ss, NULL) == 0)
            guard.altstack = ss.ss_sp;
        else
            free(ss.ss_sp);
    }
    struct sigaction sa = {.sa_sigaction = on_fatal, .sa_flags = SA_SIGINFO | SA_ONSTACK};
    sigemptyset(&sa.sa_mask);
    /* Also from a background process group, tcsetattr and write must
     * not stop us with SIGTTOU halfway. */
    sigaddset(&sa.sa_mask, SIGTTOU);
    for (size_t i = 0; i < NGUARDED; i++) {
        if (sigaction(guarded[i], NULL, &guard.prev[i]) < 0)
            continue;
        /* Ignored (SIGPIPE-like, or by whoever started us): stays so. */
        if (!(guard.prev[i].sa_flags & SA_SIGINFO) && guard.prev[i].sa_handler == SIG_IGN)
            continue;
        guard.took[i] = sigaction(guarded[i], &sa, NULL) == 0;
    }
    guard.installed = true;
}

void crash_arm(void)
{
    if (guard.fd < 0)
        return;
    if (!guard.installed) {
        /* ncurses' endwin order: keypad off, attributes off, cursor on,
         * then out of the alternate screen. */
        guard.undo_len = 0;
        add_raw("\033[?2004l"); /* bracketed paste off (tui.c turns it on) */
        add_cap("rmkx");
        add_cap("sgr0");
        add_cap("cnorm");
        add_cap("rmcup");
        install();
    }
    guard.armed = 1;
}

void crash_disarm(void)
{
    guard.armed = 0;
}

void crash_release(void)
{
    guard.armed = 0;
    for (size_t i = 0; i < NGUARDED; i++)
        if (guard.took[i]) {
            sigaction(guarded[i], &guard.prev[i], NULL);
            guard.took[i] = false;
        }
    if (guard.altstack) {
        stack_t off = {.ss_flags = SS_DISABLE};
        sigaltstack(&off, NULL);
        free(guard.altstack);
        guard.altstack = NULL;
    }
    guard.installed = false;
}
