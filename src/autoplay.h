/*
 * autoplay.h - `--play SECONDS` (and `--loop`): a lesson that moves on by
 * itself, for an unattended screen.
 *
 * A countdown of the period, as pure bookkeeping: the presenter feeds it
 * the time that passed (presenter_play) and says whether a step could be
 * taken now; it answers what to do.  The countdown:
 *   - starts again in full whenever the lesson moved (a step or a page,
 *     by autoplay or by hand: n and space still work while playing);
 *   - stands at its full period while a step is still running (long work
 *     in slices): the next one is counted from when this one finished;
 *   - holds while something covers the lesson (an overlay, the prompt)
 *     and while paused (the P key);
 *   - at the end of the lesson does nothing, or with --loop restarts it.
 */
#ifndef EPOLLVIZ_AUTOPLAY_H
#define EPOLLVIZ_AUTOPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AUTOPLAY_MAX_SECONDS 3600

struct autoplay {
    uint64_t period_ns; /* 0: off */
    uint64_t left_ns;
    bool loop, paused;
};

enum autoplay_move {
    AUTOPLAY_WAIT,    /* nothing yet */
    AUTOPLAY_NEXT,    /* what space does: the next page or step */
    AUTOPLAY_RESTART, /* the lesson again from the top (--loop) */
};

/* Off when seconds is 0. */
void autoplay_init(struct autoplay *a, unsigned seconds, bool loop);
bool autoplay_on(const struct autoplay *a);
/* The lesson moved (or was replaced): the full period again. */
void autoplay_reset(struct autoplay *a);
/* P: pause or resume; the countdown goes on from where it stood. */
void autoplay_toggle(struct autoplay *a);

/* What the lesson is doing now, for autoplay_elapse. */
enum autoplay_state {
    AUTOPLAY_READY,   /* a step can be taken */
    AUTOPLAY_BUSY,    /* a step is still running */
    AUTOPLAY_COVERED, /* an overlay or the prompt is over it */
    AUTOPLAY_END,     /* the last step has been shown */
};
/* ns passed since the last call.  When the countdown runs out it starts
 * again and the move is returned. */
enum autoplay_move autoplay_elapse(struct autoplay *a, uint64_t ns, enum autoplay_state st);

/* For the narration's rule: "playing: next in 3 s", "playing: again in
 * 3 s" (at the end, with loop), "paused: P plays" or, at the end without
 * loop, "" (the rule says the lesson ended). */
void autoplay_label(const struct autoplay *a, enum autoplay_state st, char *buf, size_t n);

#endif
