/*
 * harness.h - a tiny test harness: each test is a function listed once in
 * test-list.h; checks print both sides on failure and the run goes on.
 */
#ifndef EPOLLVIZ_HARNESS_H
#define EPOLLVIZ_HARNESS_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

extern int harness_failed; /* checks failed in the current test */

void harness_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond))                                                                 \
            harness_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);                    \
    } while (0)

#define CHECK_EQ(a, b)                                                               \
    do {                                                                             \
        unsigned long long va_ = (unsigned long long)(a), vb_ = (unsigned long long)(b); \
        if (va_ != vb_)                                                              \
            harness_fail(__FILE__, __LINE__, "%s == %s: %llu != %llu", #a, #b, va_, vb_); \
    } while (0)

#define CHECK_STR(a, b)                                                              \
    do {                                                                             \
        const char *sa_ = (a), *sb_ = (b);                                           \
        if (strcmp(sa_, sb_) != 0)                                                   \
            harness_fail(__FILE__, __LINE__, "%s == %s:\n  \"%s\"\n  \"%s\"", #a, #b, sa_, sb_); \
    } while (0)

#define CHECK_CONTAINS(hay, needle)                                                  \
    do {                                                                             \
        const char *h_ = (hay), *n_ = (needle);                                      \
        if (!strstr(h_, n_))                                                         \
            harness_fail(__FILE__, __LINE__, "\"%s\" not found in:\n%s", n_, h_);    \
    } while (0)

/* Stops the current test when a precondition fails: what it opened
 * through the fixture (engines, presenters) is closed, and it returns. */
#define REQUIRE(cond)                                                                \
    do {                                                                             \
        if (!(cond)) {                                                               \
            harness_fail(__FILE__, __LINE__, "REQUIRE(%s)", #cond);                  \
            harness_teardown();                                                      \
            return;                                                                  \
        }                                                                            \
    } while (0)

/* What a failed REQUIRE tears down: the fixture registers each thing it
 * opens (fn(arg) closes it) and forgets it once the test closes it.  The
 * teardown runs inside the test, where a fixture on its stack is still
 * alive, newest first.  A test that returns with something still open
 * fails ("left open"), since only the test itself can close it there. */
void harness_defer(void (*fn)(void *), void *arg);
void harness_undefer(void *arg);
void harness_teardown(void);

/* Polls `cond` every millisecond for up to `ms`; true once it holds.  For
 * waiting on the kernel (another process, a real peer), never a fixed sleep. */
bool harness_poll(bool (*cond)(void *), void *arg, int ms);

#define X(name) void name(void);
#include "test-list.h"
#undef X

#endif
