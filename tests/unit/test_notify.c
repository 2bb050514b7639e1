/*
 * test_notify.c - the starvation rule, case by case: when no event will
 * come.
 */
#include <string.h>

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

/* The shorter forms of a reason, for a narrow panel: each no longer than
 * the one before, the bytes said only by the whole line, and each still
 * names who could end it; the whole line is the transcript's. */
void test_notify_reasons_brief(void)
{
    struct sbuf full = {0}, b = {0};
    for (int k = STARVE_EDGE; k <= STARVE_DISARMED; k++)
        for (int w = 0; w < 2 * 4; w++) {
            int prev = 0;
            sbuf_reset(&full);
            if (w < 4)
                notify_reason((enum starve_kind)k, "48 B waiting", (enum waker)w, &full);
            else
                notify_write_reason((enum starve_kind)k, "48 B unsent", w == 4, &full);
            for (int brevity = 0; brevity <= NOTIFY_BREVITY_MAX; brevity++) {
                sbuf_reset(&b);
                if (w < 4)
                    notify_reason_brief((enum starve_kind)k, "48 B waiting", (enum waker)w,
                                        brevity, &b);
                else
                    notify_write_reason_brief((enum starve_kind)k, "48 B unsent", w == 4, brevity,
                                              &b);
                const char *t = sbuf_str(&b);
                if (!brevity)
                    CHECK_STR(t, sbuf_str(&full));
                else
                    CHECK(b.len <= (size_t)prev && !strstr(t, "48 B"));
                CHECK(strstr(t, "edge") || strstr(t, "EPOLLOUT") || strstr(t, "re-arm"));
                prev = (int)b.len;
            }
        }
    sbuf_free(&full);
    sbuf_free(&b);
}
