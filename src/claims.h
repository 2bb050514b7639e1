/*
 * claims.h - --claims: the twelve claims of the seed's essay on LT and ET,
 * each judged by a rule in code from numbers just measured.
 *
 * The numbers are a --bench-modes run (benchmodes.h) and three probes of
 * the taught server on loopback: does ET report a second arrival while
 * bytes already wait; how many clients does accept single serve; does a
 * reader of the seed's blocking fd sleep.  claims_inputs_from_bench and
 * claims_probe fill a struct claim_inputs; each claim's rule reads only
 * that struct, so the rules are unit-tested on fixed inputs.
 *
 * Call order: claims_inputs_from_bench, claims_probe (0, or -1 with a
 * message), then claims_judge for each claim, or claims_print for all.
 */
#ifndef EPOLLVIZ_CLAIMS_H
#define EPOLLVIZ_CLAIMS_H

#include <stdbool.h>
#include <stddef.h>

#include "benchmodes.h"
#include "util.h"

#define CLAIMS 12
#define CLAIM_MODES 3   /* lt, et, oneshot (enum server_mode) */
#define CLAIM_READERS 3 /* eagain, short, once (enum read_strategy) */
#define CLAIM_BUDGETS 2 /* drain, 16 */

enum verdict { VERDICT_HOLDS, VERDICT_NUANCE, VERDICT_NOT, VERDICT_UNDECIDED };

/* One bench cell, per message. */
struct claim_cost {
    bool done;
    double waits, events, reads, eagain, syscalls, csw, cpu_us;
    unsigned starved; /* connections starved when the load ended */
};

/* unread-ready at one size: events per epoll_wait after the first call,
 * microseconds per call, the connections held. */
struct claim_unread {
    bool done;
    unsigned n;
    double events, us;
};

struct claim_inputs {
    /* [shape][mode][reader][budget: 0 drain, 1 16] */
    struct claim_cost cost[SHAPE_COUNT][CLAIM_MODES][CLAIM_READERS][CLAIM_BUDGETS];
    /* unread-ready, [mode][size] */
    struct claim_unread unread[CLAIM_MODES][BENCH_UNREAD_SIZES];
    bool probed;
    unsigned et_rearrival_wakeups; /* ET: wakeups after a 64 B send read 16 B, then 1 B more (2 = woken again) */
    unsigned single_accepts, single_queue; /* accept single, three clients: accepted, left in the queue */
    bool blocking_slept;          /* twin blocking: a reader finding nothing slept in read() */
};

struct claim {
    int number;
    const char *text;     /* the claim, as the essay makes it */
    const char *bench;    /* the bench rows that decide it, or NULL */
    const char *lesson;   /* the lesson that shows it, or NULL */
    enum verdict (*judge)(const struct claim_inputs *in, struct sbuf *why);
};

const struct claim *claim_at(size_t i); /* NULL past the twelfth */
const char *verdict_name(enum verdict v);
/* The claim's verdict and why, with the numbers it read. */
enum verdict claims_judge(const struct claim *c, const struct claim_inputs *in, struct sbuf *why);

void claims_inputs_from_bench(const struct bench_result *r, struct claim_inputs *in);
int claims_probe(struct claim_inputs *in, struct sbuf *err);
/* Every claim, what decides it and its verdict; markdown: the README's table. */
void claims_print(const struct claim_inputs *in, bool markdown, struct sbuf *out);

struct options;
/* --claims: a bench run, the probes, the verdicts on stdout. */
int claims_main(const struct options *o);

#endif
