/*
 * autoplay.c - the countdown behind --play and --loop (see autoplay.h).
 *
 * No clock of its own: the host's timer says how much time passed, so a
 * test moves time by hand.
 */
#include "autoplay.h"

#include <stdio.h>

#define NS_PER_S 1000000000ull

void autoplay_init(struct autoplay *a, unsigned seconds, bool loop)
{
    *a = (struct autoplay){.period_ns = seconds * NS_PER_S, .loop = loop};
    a->left_ns = a->period_ns;
}

bool autoplay_on(const struct autoplay *a)
{
    return a->period_ns != 0;
}

void autoplay_reset(struct autoplay *a)
{
    a->left_ns = a->period_ns;
}

void autoplay_toggle(struct autoplay *a)
{
    a->paused = !a->paused;
}

enum autoplay_move autoplay_elapse(struct autoplay *a, uint64_t ns, enum autoplay_state st)
{
    if (!autoplay_on(a))
        return AUTOPLAY_WAIT;
    if (st == AUTOPLAY_BUSY) {
        a->left_ns = a->period_ns;
        return AUTOPLAY_WAIT;
    }
    if (a->paused || st == AUTOPLAY_COVERED || (st == AUTOPLAY_END && !a->loop))
        return AUTOPLAY_WAIT;
    if (ns < a->left_ns) {
        a->left_ns -= ns;
        return AUTOPLAY_WAIT;
    }
    a->left_ns = a->period_ns;
    return st == AUTOPLAY_END ? AUTOPLAY_RESTART : AUTOPLAY_NEXT;
}

void autoplay_label(const struct autoplay *a, enum autoplay_state st, char *buf, size_t n)
{
    /* Whole seconds, rounded up: "next in 1 s" until the step is taken. */
    unsigned long long s = (a->left_ns + NS_PER_S - 1) / NS_PER_S;
    if (!autoplay_on(a) || (st == AUTOPLAY_END && !a->loop))
        snprintf(buf, n, "%s", "");
    else if (a->paused)
        snprintf(buf, n, "paused: P plays");
    else
        snprintf(buf, n, "playing: %s in %llu s", st == AUTOPLAY_END ? "again" : "next", s);
}
