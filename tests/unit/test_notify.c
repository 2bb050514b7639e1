/*
 * test_notify.c - the starvation rule, case by case: when no event will
 * come.
 */
#include "harness.h"

#include "fixture.h"
#include "notify.h"

void test_notify_starvation_rule(void)
{
    static const struct {
        enum server_mode mode;
        struct notify n;
        bool waiting, fresh;
        enum starve_kind want;
    } cases[] = {
        {MODE_LT, {.armed = true, .stopped_early = true}, true, false, STARVE_NONE},
        {MODE_ET, {.armed = true, .stopped_early = true}, true, false, STARVE_EDGE},
        {MODE_ET, {.armed = true, .stopped_early = true}, true, true, STARVE_NONE},
        {MODE_ET, {.armed = true, .stopped_early = true}, false, false, STARVE_NONE},
        {MODE_ET, {.armed = true, .stopped_early = false}, true, false, STARVE_NONE},
        {MODE_ET, {.armed = true, .stopped_early = true, .event_due = true}, true, false, STARVE_NONE},
        {MODE_ONESHOT, {.armed = false}, true, true, STARVE_DISARMED},
        {MODE_ONESHOT, {.armed = false, .event_due = true}, true, false, STARVE_NONE},
        {MODE_ONESHOT, {.armed = true, .stopped_early = true}, true, false, STARVE_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum starve_kind got =
            notify_starvation(cases[i].mode, &cases[i].n, cases[i].waiting, cases[i].fresh);
        if (got != cases[i].want)
            harness_fail(__FILE__, __LINE__, "case %zu: %d != %d", i, (int)got, (int)cases[i].want);
    }
}
