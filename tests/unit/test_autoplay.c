/*
 * test_autoplay.c - the countdown behind --play and --loop: time moved by
 * hand, each lesson state (ready, busy, covered, at its end), P, and the
 * rule's label.
 */
#include "harness.h"

#include "autoplay.h"
#include "fixture.h"
#include "panes.h"
#include "presenter.h"

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

/* The presenter's side: presenter_play over lesson 04, time moved by
 * hand, as the TUI's timer would. */
static struct presenter *playing(unsigned seconds, bool loop)
{
    struct presenter_config cfg = {0};
    struct sbuf err = {0};
    server_config_defaults(&cfg.server);
    cfg.server.port = 0;
    cfg.scenario = ET_SCN;
    cfg.panes = PANES_ALL;
    cfg.play = seconds;
    cfg.loop = loop;
    struct presenter *p = presenter_new(&cfg, &err);
    if (!p)
        harness_fail(__FILE__, __LINE__, "presenter_new: %s", sbuf_str(&err));
    sbuf_free(&err);
    if (p)
        presenter_resize(p, SCREEN_DEFAULT_W, SCREEN_DEFAULT_H);
    return p;
}

static unsigned step_now(const struct presenter *p)
{
    return scenario_step(presenter_scenario(p));
}

void test_autoplay_presenter_steps_pauses_and_loops(void)
{
    struct presenter *p = playing(2, true);
    REQUIRE(p);
    struct grid g = {0};
    struct sbuf b = {0};
    CHECK(presenter_playing(p));
    CHECK(presenter_play(p, 0)); /* the rule gets its label */
    CHECK_CONTAINS(screen(p, &g, &b), "step 1 of 5 \xc2\xb7 playing: next in 2 s");
    CHECK(presenter_play(p, S + S / 2));
    CHECK_EQ(step_now(p), 1u);
    CHECK_CONTAINS(screen(p, &g, &b), "playing: next in 1 s");
    CHECK(presenter_play(p, S / 2));
    CHECK_EQ(step_now(p), 2u);
    /* Space by hand: the next step gets the full period. */
    presenter_play(p, S + S / 2);
    keys(p, " ");
    CHECK_EQ(step_now(p), 3u);
    presenter_play(p, S + S / 2);
    CHECK_EQ(step_now(p), 3u);
    /* The help over the lesson holds the count; P pauses. */
    keys(p, "?");
    presenter_play(p, 60 * S);
    CHECK_EQ(step_now(p), 3u);
    keys(p, "\x1b"); /* Esc closes the help */
    CHECK(!presenter_quitting(p));
    keys(p, "P");
    presenter_play(p, 60 * S);
    CHECK_EQ(step_now(p), 3u);
    CHECK_CONTAINS(screen(p, &g, &b), "paused: P plays");
    keys(p, "P");
    presenter_play(p, 2 * S);
    CHECK_EQ(step_now(p), 4u);
    /* --loop: past the last step (and its pages), the lesson again. */
    unsigned generation = presenter_generation(p);
    for (int i = 0; i < 8 && presenter_generation(p) == generation; i++) {
        screen(p, &g, &b); /* the pages are counted by a frame, as on screen */
        presenter_play(p, 2 * S);
    }
    CHECK(presenter_generation(p) != generation);
    CHECK_EQ(step_now(p), 1u);
    CHECK_CONTAINS(screen(p, &g, &b), "step 1 of 5 \xc2\xb7 playing: next in 2 s");
    sbuf_free(&b);
    grid_free(&g);
    presenter_free(p);
}
