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
