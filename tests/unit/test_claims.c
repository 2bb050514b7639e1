/*
 * test_claims.c - the verdict rules of --claims on fixed inputs (the
 * figures of a real run, then each changed so the rule must say something
 * else), every claim with a verdict and something that decides it, and
 * the probes against the real kernel.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "claims.h"

static void cell(struct claim_inputs *in, enum bench_shape sh, enum server_mode m,
                 enum read_strategy r, int b, double waits, double events, double reads,
                 double eagain, double syscalls, double csw, unsigned starved)
{
    in->cost[sh][m][r][b] = (struct claim_cost){true, waits, events, reads, eagain, syscalls,
                                                csw, 1.0, starved};
}

/* The figures of one --claims run on the development VM, rounded. */
static void measured(struct claim_inputs *in)
{
    memset(in, 0, sizeof *in);
    for (int sh = 0; sh < SHAPE_COUNT; sh++)
        for (int m = 0; m < CLAIM_MODES; m++) {
            bool et = m == MODE_ET;
            double rt = sh == SHAPE_BURSTY ? 1.0 : 0.05;
            cell(in, sh, m, STRATEGY_EAGAIN, 0, 0.1, rt, 2 * rt, rt, 2 * rt + 0.1, 0.06, 0);
            cell(in, sh, m, STRATEGY_SHORT, 0, 0.1, rt, rt, 0, rt + 0.1, 0.07, 0);
            cell(in, sh, m, STRATEGY_ONCE, 0, 0.1, rt, rt, 0, rt + 0.12, 0.07, 0);
            for (int r = 0; r < CLAIM_READERS; r++)
                cell(in, sh, m, r, 1, et ? 0.45 : 0.33, 4, 4, 0, 4.4, 0.1, et ? 16 : 0);
        }
    static const unsigned n[3] = {100, 1000, 10000};
    static const double lt_us[3] = {15.6, 160, 4357};
    for (int i = 0; i < 3; i++) {
        in->unread[MODE_LT][i] = (struct claim_unread){true, n[i], n[i], lt_us[i]};
        in->unread[MODE_ET][i] = (struct claim_unread){true, n[i], 0, 0.2};
        in->unread[MODE_ONESHOT][i] = (struct claim_unread){true, n[i], 0, 0.2};
    }
    in->probed = true;
    in->et_rearrival_wakeups = 2;
    in->single_accepts = 1;
    in->single_queue = 2;
    in->blocking_slept = true;
}

static enum verdict judge(int number, const struct claim_inputs *in, struct sbuf *why)
{
    sbuf_reset(why);
    return claims_judge(claim_at((size_t)number - 1), in, why);
}

void test_claims_rules_on_measured_figures(void)
{
    struct claim_inputs in;
    struct sbuf why = {0};
    measured(&in);
    static const enum verdict want[CLAIMS] = {
        VERDICT_HOLDS,  VERDICT_NOT,    VERDICT_NUANCE, VERDICT_NUANCE, VERDICT_NOT,    VERDICT_NOT,
        VERDICT_NOT,    VERDICT_NUANCE, VERDICT_NUANCE, VERDICT_NUANCE, VERDICT_HOLDS,  VERDICT_NOT,
    };
    for (int i = 1; i <= CLAIMS; i++) {
        enum verdict v = judge(i, &in, &why);
        if (v != want[i - 1])
            harness_fail(__FILE__, __LINE__, "claim %d: %s (%s), want %s", i, verdict_name(v),
                         sbuf_str(&why), verdict_name(want[i - 1]));
    }
    /* The why carries the numbers it read. */
    judge(5, &in, &why);
    CHECK_CONTAINS(sbuf_str(&why), "eagain 2.10 vs 2.10");
    judge(9, &in, &why);
    CHECK_CONTAINS(sbuf_str(&why), "4357.0 us at N = 10000");
    judge(12, &in, &why);
    CHECK_CONTAINS(sbuf_str(&why), "of three clients 1 was served and 2 waited");
    sbuf_free(&why);
}

/* Each rule says something else when its numbers do. */
void test_claims_rules_follow_the_numbers(void)
{
    struct claim_inputs in;
    struct sbuf why = {0};

    measured(&in);
    in.unread[MODE_LT][2].events = 10; /* LT stopped reporting what waits */
    CHECK_EQ(judge(1, &in, &why), VERDICT_NOT);

    measured(&in);
    in.et_rearrival_wakeups = 1; /* ET silent on a second arrival */
    CHECK_EQ(judge(2, &in, &why), VERDICT_HOLDS);
    CHECK_EQ(judge(4, &in, &why), VERDICT_HOLDS); /* the stall would last */

    measured(&in);
    in.cost[SHAPE_BURSTY][MODE_ET][STRATEGY_SHORT][0].starved = 3; /* a short read stranded */
    CHECK_EQ(judge(3, &in, &why), VERDICT_HOLDS);

    measured(&in);
    for (int r = 0; r < CLAIM_READERS; r++)
        in.cost[SHAPE_BURSTY][MODE_ET][r][1].starved = 0;
    CHECK_EQ(judge(4, &in, &why), VERDICT_NOT);
    CHECK_EQ(judge(11, &in, &why), VERDICT_NOT);

    measured(&in);
    in.cost[SHAPE_BURSTY][MODE_LT][STRATEGY_ONCE][0].syscalls = 3; /* one reader dearer under LT */
    CHECK_EQ(judge(5, &in, &why), VERDICT_NUANCE);
    for (int r = 0; r < CLAIM_READERS; r++)
        in.cost[SHAPE_BURSTY][MODE_LT][r][0].syscalls = 5;
    CHECK_EQ(judge(5, &in, &why), VERDICT_HOLDS);
    CHECK_EQ(judge(8, &in, &why), VERDICT_HOLDS); /* ET's cheapest now clearly cheaper */

    measured(&in);
    in.cost[SHAPE_BURSTY][MODE_LT][STRATEGY_EAGAIN][0].reads = 1.5; /* wakeups that found nothing */
    CHECK_EQ(judge(6, &in, &why), VERDICT_HOLDS);

    measured(&in);
    for (int sh = 0; sh < SHAPE_COUNT; sh++)
        for (int r = 0; r < CLAIM_READERS; r++)
            in.cost[sh][MODE_LT][r][0].csw = 0.5;
    CHECK_EQ(judge(7, &in, &why), VERDICT_HOLDS);

    measured(&in);
    in.unread[MODE_LT][2].us = 10; /* no growth with N */
    in.unread[MODE_LT][2].events = 100;
    CHECK_EQ(judge(9, &in, &why), VERDICT_NOT);
    measured(&in);
    in.cost[SHAPE_BURSTY][MODE_LT][STRATEGY_EAGAIN][0].events = 3; /* LT more events drained too */
    CHECK_EQ(judge(9, &in, &why), VERDICT_HOLDS);

    measured(&in);
    in.cost[SHAPE_SATURATED][MODE_LT][STRATEGY_ONCE][1].starved = 2;
    CHECK_EQ(judge(10, &in, &why), VERDICT_NOT);

    measured(&in);
    in.single_accepts = 3;
    in.single_queue = 0;
    CHECK_EQ(judge(12, &in, &why), VERDICT_UNDECIDED);

    /* Nothing measured: no rule guesses. */
    memset(&in, 0, sizeof in);
    for (int i = 1; i <= CLAIMS; i++)
        CHECK_EQ(judge(i, &in, &why), VERDICT_UNDECIDED);
    sbuf_free(&why);
}

/* Twelve claims, each decided by a bench row or a lesson that exists, and
 * the printed table has a verdict on every one. */
void test_claims_every_claim_has_a_verdict_and_a_decider(void)
{
    struct claim_inputs in;
    struct sbuf out = {0};
    measured(&in);
    size_t n = 0;
    for (const struct claim *c; (c = claim_at(n)); n++) {
        CHECK_EQ(c->number, (int)n + 1);
        CHECK(c->bench || c->lesson);
        /* each lesson named is a lesson of the repository */
        char names[128];
        snprintf(names, sizeof names, "%s", c->lesson ? c->lesson : "");
        for (char *save = NULL, *l = strtok_r(names, ", ", &save); l; l = strtok_r(NULL, ", ", &save)) {
            char path[192];
            snprintf(path, sizeof path, "scenarios/%s.scn", l);
            if (access(path, R_OK) != 0)
                harness_fail(__FILE__, __LINE__, "claim %d names lesson %s: no %s", c->number, l, path);
        }
    }
    CHECK_EQ(n, CLAIMS);
    claims_print(&in, false, &out);
    const char *p = sbuf_str(&out);
    size_t verdicts = 0;
    while ((p = strstr(p, "    verdict: "))) {
        p += 13;
        CHECK(strncmp(p, "undecided", 9) != 0);
        verdicts++;
    }
    CHECK_EQ(verdicts, CLAIMS);
    sbuf_reset(&out);
    claims_print(&in, true, &out);
    CHECK_CONTAINS(sbuf_str(&out), "| # | claim | decided by | verdict |");
    CHECK_CONTAINS(sbuf_str(&out), "| 12 | The Go server handles multiple connections with non-blocking I/O.");
    sbuf_free(&out);
}

/* The probes run the taught server on loopback against the real kernel. */
void test_claims_probes_measure_the_kernel(void)
{
    struct claim_inputs in;
    struct sbuf err = {0};
    memset(&in, 0, sizeof in);
    REQUIRE(claims_probe(&in, &err) == 0);
    CHECK(in.probed);
    CHECK_EQ(in.et_rearrival_wakeups, 2); /* Linux ET: every arrival */
    CHECK_EQ(in.single_accepts, 1);
    CHECK_EQ(in.single_queue, 2);
    CHECK(in.blocking_slept);
    sbuf_free(&err);
}
