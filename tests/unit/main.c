/*
 * main.c - runs every test in test-list.h (or those whose name contains
 * argv[1]) and prints a TAP-like line per test.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

#include "harness.h"

int harness_failed;

void harness_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "    %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    harness_failed++;
}

/* What harness_teardown closes, newest last. */
#define DEFERRED_MAX 16
static struct {
    void (*fn)(void *);
    void *arg;
} deferred[DEFERRED_MAX];
static size_t ndeferred;

void harness_defer(void (*fn)(void *), void *arg)
{
    if (ndeferred == DEFERRED_MAX) {
        fprintf(stderr, "harness: more than %d things open in one test\n", DEFERRED_MAX);
        abort();
    }
    deferred[ndeferred].fn = fn;
    deferred[ndeferred].arg = arg;
    ndeferred++;
}

void harness_undefer(void *arg)
{
    for (size_t i = ndeferred; i-- > 0;)
        if (deferred[i].arg == arg) {
            memmove(&deferred[i], &deferred[i + 1], (ndeferred - i - 1) * sizeof deferred[0]);
            ndeferred--;
            return;
        }
}

void harness_teardown(void)
{
    while (ndeferred > 0) {
        ndeferred--;
        deferred[ndeferred].fn(deferred[ndeferred].arg);
    }
}

bool harness_poll(bool (*cond)(void *), void *arg, int ms)
{
    struct timespec nap = {0, 1000 * 1000};
    for (int i = 0; i <= ms; i++) {
        if (cond(arg))
            return true;
        nanosleep(&nap, NULL);
    }
    return cond(arg);
}

static const struct {
    const char *name;
    void (*fn)(void);
} tests[] = {
#define X(name) {#name, name},
#include "test-list.h"
#undef X
};

int main(int argc, char **argv)
{
    int ok = 0, bad = 0, n = 0;
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (argc > 1 && !strstr(tests[i].name, argv[1]))
            continue;
        harness_failed = 0;
        fflush(stdout);
        tests[i].fn();
        if (ndeferred) {
            /* Its fixtures lived on its stack, gone now: only report. */
            harness_fail(__FILE__, __LINE__, "%s returned with %zu fixture(s) or presenter(s) open",
                         tests[i].name, ndeferred);
            ndeferred = 0;
        }
        n++;
        if (harness_failed) {
            printf("not ok %d - %s\n", n, tests[i].name);
            bad++;
        } else {
            printf("ok %d - %s\n", n, tests[i].name);
            ok++;
        }
        fflush(stdout);
    }
    printf("1..%d\n", n);
    printf("# unit tests: %d ok, %d not ok\n", ok, bad);
    return bad ? 1 : 0;
}
