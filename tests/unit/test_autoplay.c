/*
 * test_autoplay.c - the countdown behind --play and --loop: time moved by
 * hand, each lesson state (ready, busy, covered, at its end), P, and the
 * rule's label.
 */
#include "harness.h"

#include "autoplay.h"

#define S 1000000000ull

static const char *label(const struct autoplay *a, enum autoplay_state st)
{
    static char buf[64];
    autoplay_label(a, st, buf, sizeof buf);
    return buf;
}

void test_autoplay_counts_down_and_steps(void)
{
    struct autoplay a;
    autoplay_init(&a, 0, false);
    CHECK(!autoplay_on(&a));
    CHECK_EQ(autoplay_elapse(&a, 100 * S, AUTOPLAY_READY), AUTOPLAY_WAIT);
    CHECK_STR(label(&a, AUTOPLAY_READY), "");

    autoplay_init(&a, 2, false);
    CHECK(autoplay_on(&a));
    CHECK_STR(label(&a, AUTOPLAY_READY), "playing: next in 2 s");
    CHECK_EQ(autoplay_elapse(&a, S + S / 2, AUTOPLAY_READY), AUTOPLAY_WAIT);
    CHECK_STR(label(&a, AUTOPLAY_READY), "playing: next in 1 s"); /* rounded up */
    CHECK_EQ(autoplay_elapse(&a, S / 2, AUTOPLAY_READY), AUTOPLAY_NEXT);
    CHECK_STR(label(&a, AUTOPLAY_READY), "playing: next in 2 s"); /* the next period */
    /* A step taken by hand: the full period again. */
    CHECK_EQ(autoplay_elapse(&a, S, AUTOPLAY_READY), AUTOPLAY_WAIT);
    autoplay_reset(&a);
    CHECK_EQ(autoplay_elapse(&a, S + S / 2, AUTOPLAY_READY), AUTOPLAY_WAIT);
}

void test_autoplay_waits_for_long_steps_and_overlays(void)
{
    struct autoplay a;
    autoplay_init(&a, 2, false);
    /* A step still running: the next is counted from when it ends. */
    CHECK_EQ(autoplay_elapse(&a, S + S / 2, AUTOPLAY_READY), AUTOPLAY_WAIT);
    CHECK_EQ(autoplay_elapse(&a, 60 * S, AUTOPLAY_BUSY), AUTOPLAY_WAIT);
    CHECK_EQ(autoplay_elapse(&a, S + S / 2, AUTOPLAY_READY), AUTOPLAY_WAIT);
    CHECK_EQ(autoplay_elapse(&a, S / 2, AUTOPLAY_READY), AUTOPLAY_NEXT);
    /* An overlay holds the countdown where it stood. */
    CHECK_EQ(autoplay_elapse(&a, S + S / 2, AUTOPLAY_READY), AUTOPLAY_WAIT);
    CHECK_EQ(autoplay_elapse(&a, 60 * S, AUTOPLAY_COVERED), AUTOPLAY_WAIT);
    CHECK_EQ(autoplay_elapse(&a, S / 2, AUTOPLAY_READY), AUTOPLAY_NEXT);
}

void test_autoplay_pause_and_loop(void)
{
    struct autoplay a;
    autoplay_init(&a, 3, false);
    autoplay_toggle(&a);
    CHECK_STR(label(&a, AUTOPLAY_READY), "paused: P plays");
    CHECK_EQ(autoplay_elapse(&a, 60 * S, AUTOPLAY_READY), AUTOPLAY_WAIT);
    autoplay_toggle(&a);
    CHECK_STR(label(&a, AUTOPLAY_READY), "playing: next in 3 s");
    CHECK_EQ(autoplay_elapse(&a, 3 * S, AUTOPLAY_READY), AUTOPLAY_NEXT);
    /* At the end without --loop: nothing more, and no label (the rule
     * says the lesson ended). */
    CHECK_EQ(autoplay_elapse(&a, 60 * S, AUTOPLAY_END), AUTOPLAY_WAIT);
    CHECK_STR(label(&a, AUTOPLAY_END), "");
    /* With it: the lesson again once the period is over. */
    autoplay_init(&a, 3, true);
    CHECK_STR(label(&a, AUTOPLAY_END), "playing: again in 3 s");
    CHECK_EQ(autoplay_elapse(&a, 2 * S, AUTOPLAY_END), AUTOPLAY_WAIT);
    CHECK_EQ(autoplay_elapse(&a, S, AUTOPLAY_END), AUTOPLAY_RESTART);
    CHECK_STR(label(&a, AUTOPLAY_READY), "playing: next in 3 s");
}
