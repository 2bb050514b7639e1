/*
 * claims.c - the essay's twelve claims, judged from what was just
 * measured (see claims.h).
 *
 * Each claim has a rule: a function of struct claim_inputs alone that
 * returns a verdict and says why with the numbers it read.  The inputs
 * come from a --bench-modes run and three probes of the taught server;
 * nothing is typed in.  Thresholds are stated where they are used: a
 * difference under 10% is "the same" (two runs of the bench differ by
 * about that on a shared machine).
 */
#include "claims.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "options.h"
#include "probe.h"
#include "server.h"

#define SAME 0.10 /* relative difference under which two figures are the same */

enum { B_DRAIN, B_16 };

static const struct claim_cost *cost(const struct claim_inputs *in, enum bench_shape sh,
                                     enum server_mode m, enum read_strategy r, int b)
{
    return &in->cost[sh][m][r][b];
}

static bool same(double a, double b)
{
    double hi = a > b ? a : b;
    return hi == 0 || (a > b ? a - b : b - a) <= SAME * hi;
}

static const char *const reader_names[] = {"eagain", "short", "once"};

static enum verdict undecided(struct sbuf *why, const char *what)
{
    sbuf_add(why, what);
    return VERDICT_UNDECIDED;
}

/* ---- the rules ---------------------------------------------------------- */

/* 1. LT notifies while data stays pending. */
static enum verdict judge_lt_pending(const struct claim_inputs *in, struct sbuf *why)
{
    bool all = true, any = false;
    sbuf_add(why, "LT returned every fd still holding unread data on every epoll_wait:");
    for (int i = 0; i < BENCH_UNREAD_SIZES; i++) {
        const struct claim_unread *u = &in->unread[MODE_LT][i];
        if (!u->done)
            continue;
        any = true;
        all &= u->events >= 0.99 * u->n;
        sbuf_printf(why, "%s N = %u: %.1f a call", i ? "," : "", u->n, u->events);
    }
    if (!any) {
        sbuf_reset(why);
        sbuf_add(why, "the unread-ready shape was not measured");
        return VERDICT_UNDECIDED;
    }
    if (!all) {
        sbuf_reset(why);
        sbuf_add(why, "LT did not report every fd holding data on every call");
        return VERDICT_NOT;
    }
    return VERDICT_HOLDS;
}

/* 2. ET notifies once, on the transition not-ready -> ready. */
static enum verdict judge_et_once(const struct claim_inputs *in, struct sbuf *why)
{
    if (!in->probed)
        return undecided(why, "not probed");
    if (in->et_rearrival_wakeups >= 2) {
        sbuf_printf(why,
                    "Linux ET fires on every arrival, not only on the transition: with 48 B "
                    "already waiting, 1 B more woke the fd again (%u wakeups); and once per "
                    "EPOLL_CTL_MOD with data waiting (the unread-ready first call: every fd)",
                    in->et_rearrival_wakeups);
        return VERDICT_NOT;
    }
    sbuf_printf(why, "a second arrival while bytes waited did not wake ET (%u wakeup)",
                in->et_rearrival_wakeups);
    return VERDICT_HOLDS;
}

/* 3. ET requires non-blocking I/O and reading until EAGAIN. */
static enum verdict judge_et_eagain(const struct claim_inputs *in, struct sbuf *why)
{
    const struct claim_cost *sh = cost(in, SHAPE_BURSTY, MODE_ET, STRATEGY_SHORT, B_DRAIN);
    const struct claim_cost *ea = cost(in, SHAPE_BURSTY, MODE_ET, STRATEGY_EAGAIN, B_DRAIN);
    const struct claim_cost *ss = cost(in, SHAPE_SATURATED, MODE_ET, STRATEGY_SHORT, B_DRAIN);
    if (!sh->done || !ea->done || !ss->done || !in->probed)
        return undecided(why, "not measured");
    bool short_ok = sh->starved == 0 && ss->starved == 0 && sh->reads < ea->reads && !same(sh->reads, ea->reads);
    if (!short_ok) {
        sbuf_printf(why, "ET stopping at a short read starved %u connection(s) or saved no read "
                         "(%.2f vs %.2f reads a message)",
                    sh->starved + ss->starved, sh->reads, ea->reads);
        return in->blocking_slept ? VERDICT_HOLDS : VERDICT_UNDECIDED;
    }
    sbuf_printf(why,
                "non-blocking: yes%s; until EAGAIN: no, a short read proves the buffer empty: ET "
                "stopping at a short read starved no connection and made %.2f reads a message "
                "against %.2f until EAGAIN (bursty)",
                in->blocking_slept ? " (a read with nothing to return sleeps on a blocking fd, "
                                     "derived: lesson 15)" : "",
                sh->reads, ea->reads);
    return VERDICT_NUANCE;
}

/* 4. A partial read under ET stalls the connection. */
static enum verdict judge_partial_stalls(const struct claim_inputs *in, struct sbuf *why)
{
    unsigned starved = 0, lt = 0, conns = 0;
    bool done = false;
    for (int r = 0; r < CLAIM_READERS; r++) {
        const struct claim_cost *c = cost(in, SHAPE_BURSTY, MODE_ET, (enum read_strategy)r, B_16);
        done |= c->done;
        starved += c->starved;
        conns += c->done ? BENCH_CONNS : 0;
        lt += cost(in, SHAPE_BURSTY, MODE_LT, (enum read_strategy)r, B_16)->starved;
    }
    if (!done)
        return undecided(why, "not measured");
    if (!starved) {
        sbuf_add(why, "ET with a 16 B budget left no connection starved");
        return VERDICT_NOT;
    }
    sbuf_printf(why, "ET with a 16 B budget left %u of %u connections starved (three readers, "
                     "bursty; LT: %u)",
                starved, conns, lt);
    if (in->probed && in->et_rearrival_wakeups >= 2) {
        sbuf_add(why, ", until the client sends again: the next arrival wakes it (lesson 05)");
        return VERDICT_NUANCE;
    }
    return VERDICT_HOLDS;
}

/* Syscalls a message, LT against ET, for each reader reading to the end;
 * returns how many readers LT costs more (by more than SAME). */
static int lt_dearer(const struct claim_inputs *in, enum bench_shape shp, struct sbuf *why,
                     bool *done)
{
    int dearer = 0;
    *done = true;
    for (int r = 0; r < CLAIM_READERS; r++) {
        const struct claim_cost *l = cost(in, shp, MODE_LT, (enum read_strategy)r, B_DRAIN);
        const struct claim_cost *e = cost(in, shp, MODE_ET, (enum read_strategy)r, B_DRAIN);
        *done &= l->done && e->done;
        dearer += l->syscalls > e->syscalls && !same(l->syscalls, e->syscalls);
        sbuf_printf(why, "%s%s %.2f vs %.2f", r ? ", " : "", reader_names[r], l->syscalls,
                    e->syscalls);
    }
    return dearer;
}

/* 5. LT costs more syscalls. */
static enum verdict judge_lt_syscalls(const struct claim_inputs *in, struct sbuf *why)
{
    struct sbuf nums = {0};
    bool done;
    int dearer = lt_dearer(in, SHAPE_BURSTY, &nums, &done);
    enum verdict v;
    if (!done)
        v = VERDICT_UNDECIDED, sbuf_add(why, "not measured");
    else if (dearer == 0)
        v = VERDICT_NOT,
        sbuf_printf(why, "with the same reader LT and ET make the same syscalls a message "
                         "(bursty, LT vs ET: %s); the reader decides (until EAGAIN costs one "
                         "read more a wakeup in both)",
                    sbuf_str(&nums));
    else if (dearer == CLAIM_READERS)
        v = VERDICT_HOLDS, sbuf_printf(why, "LT made more syscalls a message with every reader (bursty, LT vs ET: %s)",
                                       sbuf_str(&nums));
    else
        v = VERDICT_NUANCE, sbuf_printf(why, "LT made more with %d of 3 readers (bursty, LT vs ET: %s)",
                                        dearer, sbuf_str(&nums));
    sbuf_free(&nums);
    return v;
}

/* 6. LT produces "spurious" wakeups: a wakeup that finds nothing to read. */
static enum verdict judge_spurious(const struct claim_inputs *in, struct sbuf *why)
{
    const struct claim_cost *l = cost(in, SHAPE_BURSTY, MODE_LT, STRATEGY_EAGAIN, B_DRAIN);
    const struct claim_cost *e = cost(in, SHAPE_BURSTY, MODE_ET, STRATEGY_EAGAIN, B_DRAIN);
    if (!l->done || !e->done)
        return undecided(why, "not measured");
    /* Reading until EAGAIN, every wakeup makes one EAGAIN read; the reads
     * that returned bytes, per wakeup, are at least 1 unless some wakeup
     * found nothing. */
    double fruitful = l->events > 0 ? (l->reads - l->eagain) / l->events : 0;
    if (fruitful >= 0.99) {
        sbuf_printf(why,
                    "no LT wakeup found nothing to read: %.3f reads that returned bytes a wakeup "
                    "(bursty, until EAGAIN), %.3f events a message against ET's %.3f; an LT "
                    "wakeup with no new bytes reports bytes still waiting (re-notification, "
                    "lesson 03), which is not spurious",
                    fruitful, l->events, e->events);
        return VERDICT_NOT;
    }
    sbuf_printf(why, "%.0f%% of LT wakeups found nothing to read", (1 - fruitful) * 100);
    return VERDICT_HOLDS;
}

/* 7. LT increases context switching under load. */
static enum verdict judge_csw(const struct claim_inputs *in, struct sbuf *why)
{
    double lt = 0, et = 0;
    for (int sh = 0; sh < SHAPE_COUNT; sh++)
        for (int r = 0; r < CLAIM_READERS; r++) {
            const struct claim_cost *l = cost(in, (enum bench_shape)sh, MODE_LT, (enum read_strategy)r, B_DRAIN);
            const struct claim_cost *e = cost(in, (enum bench_shape)sh, MODE_ET, (enum read_strategy)r, B_DRAIN);
            if (!l->done || !e->done)
                return undecided(why, "not measured");
            lt += l->csw;
            et += e->csw;
        }
    sbuf_printf(why, "context switches of the server thread a message, summed over readers and "
                     "shapes: LT %.3f, ET %.3f",
                lt, et);
    if (lt > 1.5 * et && lt - et > 0.01)
        return VERDICT_HOLDS;
    sbuf_add(why, "; they follow how often the server runs out of work, not the mode");
    return VERDICT_NOT;
}

/* 8. ET minimizes user-kernel transitions. */
static enum verdict judge_et_transitions(const struct claim_inputs *in, struct sbuf *why)
{
    double lt = 1e18, et = 1e18;
    int lt_r = 0, et_r = 0;
    for (int r = 0; r < CLAIM_READERS; r++) {
        const struct claim_cost *l = cost(in, SHAPE_BURSTY, MODE_LT, (enum read_strategy)r, B_DRAIN);
        const struct claim_cost *e = cost(in, SHAPE_BURSTY, MODE_ET, (enum read_strategy)r, B_DRAIN);
        if (!l->done || !e->done)
            return undecided(why, "not measured");
        if (l->syscalls < lt)
            lt = l->syscalls, lt_r = r;
        if (e->syscalls < et)
            et = e->syscalls, et_r = r;
    }
    const struct claim_unread *ul = &in->unread[MODE_LT][BENCH_UNREAD_SIZES - 1];
    const struct claim_unread *ue = &in->unread[MODE_ET][BENCH_UNREAD_SIZES - 1];
    if (et < lt && !same(et, lt)) {
        sbuf_printf(why, "ET's cheapest reader (%s) made %.2f syscalls a message, LT's (%s) %.2f (bursty)",
                    reader_names[et_r], et, reader_names[lt_r], lt);
        return VERDICT_HOLDS;
    }
    sbuf_printf(why,
                "per message ET's cheapest reader (%s, %.2f syscalls) costs what LT's (%s, %.2f) "
                "does (bursty): the saving is the reader's",
                reader_names[et_r], et, reader_names[lt_r], lt);
    if (ul->done && ue->done && ue->events < ul->events)
        sbuf_printf(why, "; ET does return less where data is left unread: %.0f fds a call "
                         "against LT's %.0f (N = %u)",
                    ue->events, ul->events, ul->n);
    return VERDICT_NUANCE;
}

/* 9. LT scales worse (more events per connection as connections grow). */
static enum verdict judge_scales(const struct claim_inputs *in, struct sbuf *why)
{
    const struct claim_unread *l0 = &in->unread[MODE_LT][0];
    const struct claim_unread *l2 = &in->unread[MODE_LT][BENCH_UNREAD_SIZES - 1];
    const struct claim_unread *e0 = &in->unread[MODE_ET][0];
    const struct claim_unread *e2 = &in->unread[MODE_ET][BENCH_UNREAD_SIZES - 1];
    const struct claim_cost *bl = cost(in, SHAPE_BURSTY, MODE_LT, STRATEGY_EAGAIN, B_DRAIN);
    const struct claim_cost *be = cost(in, SHAPE_BURSTY, MODE_ET, STRATEGY_EAGAIN, B_DRAIN);
    if (!l0->done || !l2->done || !e0->done || !e2->done || !bl->done || !be->done)
        return undecided(why, "not measured");
    bool lt_grows = l2->n > l0->n && l2->events > l0->events * 2 && l2->us > 2 * l0->us;
    bool et_flat = e2->events <= e0->events + 0.5 && e2->us < 2 * e0->us + 1;
    if (!lt_grows) {
        sbuf_printf(why, "LT's epoll_wait did not grow with N (%u: %.1f us, %u: %.1f us)", l0->n,
                    l0->us, l2->n, l2->us);
        return VERDICT_NOT;
    }
    sbuf_printf(why,
                "for fds left holding data: LT returned each on every call, %.0f events and "
                "%.1f us at N = %u, %.0f and %.1f us at N = %u; ET %.0f and %.1f us",
                l0->events, l0->us, l0->n, l2->events, l2->us, l2->n, e2->events, e2->us);
    if (same(bl->events, be->events)) {
        sbuf_printf(why, "; with every fd drained, events a message are the same (bursty: LT "
                         "%.3f, ET %.3f)",
                    bl->events, be->events);
        return et_flat ? VERDICT_NUANCE : VERDICT_UNDECIDED;
    }
    return et_flat ? VERDICT_HOLDS : VERDICT_UNDECIDED;
}

/* 10. LT is fail-soft (forgiving of bugs). */
static enum verdict judge_fail_soft(const struct claim_inputs *in, struct sbuf *why)
{
    unsigned lt = 0, et = 0, conns = 0;
    double waits16 = 0, waits = 0;
    for (int sh = 0; sh < SHAPE_COUNT; sh++)
        for (int r = 0; r < CLAIM_READERS; r++) {
            const struct claim_cost *l = cost(in, (enum bench_shape)sh, MODE_LT, (enum read_strategy)r, B_16);
            const struct claim_cost *e = cost(in, (enum bench_shape)sh, MODE_ET, (enum read_strategy)r, B_16);
            if (!l->done || !e->done)
                return undecided(why, "not measured");
            lt += l->starved;
            et += e->starved;
            conns += BENCH_CONNS;
        }
    waits16 = cost(in, SHAPE_BURSTY, MODE_LT, STRATEGY_EAGAIN, B_16)->waits;
    waits = cost(in, SHAPE_BURSTY, MODE_LT, STRATEGY_EAGAIN, B_DRAIN)->waits;
    if (lt) {
        sbuf_printf(why, "LT with a 16 B budget left %u connection(s) starved", lt);
        return VERDICT_NOT;
    }
    sbuf_printf(why,
                "a reader that stops early (16 B budget) starved no LT connection (ET: %u of %u), "
                "but LT pays with re-notifications: %.3f epoll_wait calls a message against "
                "%.3f when it reads to the end (bursty)",
                et, conns, waits16, waits);
    return VERDICT_NUANCE;
}

/* 11. ET bugs fail silently. */
static enum verdict judge_silent(const struct claim_inputs *in, struct sbuf *why)
{
    unsigned et = 0, conns = 0;
    bool done = false;
    for (int r = 0; r < CLAIM_READERS; r++) {
        const struct claim_cost *e = cost(in, SHAPE_BURSTY, MODE_ET, (enum read_strategy)r, B_16);
        done |= e->done;
        et += e->starved;
        conns += e->done ? BENCH_CONNS : 0;
    }
    if (!done)
        return undecided(why, "not measured");
    if (!et) {
        sbuf_add(why, "the ET bug of stopping early left nothing stranded");
        return VERDICT_NOT;
    }
    sbuf_printf(why,
                "%u of %u ET connections whose reader stopped early (16 B budget, bursty) sat "
                "with bytes waiting and no event, and no error or return value said so: only "
                "a derived rule (STARVED) shows it",
                et, conns);
    return VERDICT_HOLDS;
}

/* 12. The Go server handles multiple connections with non-blocking I/O. */
static enum verdict judge_seed(const struct claim_inputs *in, struct sbuf *why)
{
    if (!in->probed)
        return undecided(why, "not probed");
    if (in->single_accepts == 1 && in->single_queue >= 1) {
        sbuf_printf(why,
                    "one Accept(): of three clients %u was served and %u waited in the accept "
                    "queue for good (TCP_INFO)%s",
                    in->single_accepts, in->single_queue,
                    in->blocking_slept ? "; and its fd was blocking: a read with nothing to "
                                         "return sleeps (derived)"
                                       : "");
        return VERDICT_NOT;
    }
    sbuf_printf(why, "accept single served %u of three clients", in->single_accepts);
    return VERDICT_UNDECIDED;
}

static const struct claim claims[CLAIMS] = {
    {1, "LT notifies while data stays pending.", "unread-ready lt", "03-lt-partial-reads",
     judge_lt_pending},
    {2, "ET notifies once, on the transition not-ready -> ready.", NULL, "05-et-every-arrival",
     judge_et_once},
    {3, "ET requires non-blocking I/O and reading until EAGAIN.", "bursty et eagain/short drain",
     "13-et-short-reads, 15-seed-as-written", judge_et_eagain},
    {4, "A partial read under ET stalls the connection.", "bursty et budget 16 (starved)",
     "04-et-starvation", judge_partial_stalls},
    {5, "LT costs more syscalls.", "bursty lt/et drain, syscalls/msg", "14-reader-costs",
     judge_lt_syscalls},
    {6, "LT produces \"spurious\" wakeups.", "bursty lt/et eagain drain, reads and events/msg",
     "03-lt-partial-reads", judge_spurious},
    {7, "LT increases context switching under load.", "saturated+bursty drain, vcsw+ivcsw/msg",
     NULL, judge_csw},
    {8, "ET minimizes user-kernel transitions.", "bursty drain syscalls/msg; unread-ready",
     "14-reader-costs, 16-unread-ready", judge_et_transitions},
    {9, "LT scales worse (more events per connection as connections grow).",
     "unread-ready lt/et; bursty events/msg", "16-unread-ready", judge_scales},
    {10, "LT is fail-soft (forgiving of bugs).", "lt/et budget 16 (starved), waits/msg",
     "03-lt-partial-reads", judge_fail_soft},
    {11, "ET bugs fail silently.", "bursty et budget 16 (starved)", "04-et-starvation",
     judge_silent},
    {12, "The Go server handles multiple connections with non-blocking I/O.", NULL,
     "15-seed-as-written", judge_seed},
};

const struct claim *claim_at(size_t i)
{
    return i < CLAIMS ? &claims[i] : NULL;
}

const char *verdict_name(enum verdict v)
{
    switch (v) {
    case VERDICT_HOLDS:
        return "holds";
    case VERDICT_NUANCE:
        return "holds with nuance";
    case VERDICT_NOT:
        return "does not hold";
    case VERDICT_UNDECIDED:
        break;
    }
    return "undecided";
}

enum verdict claims_judge(const struct claim *c, const struct claim_inputs *in, struct sbuf *why)
{
    return c->judge(in, why);
}

/* ---- the inputs ---------------------------------------------------------- */

void claims_inputs_from_bench(const struct bench_result *r, struct claim_inputs *in)
{
    memset(in, 0, sizeof *in);
    for (size_t i = 0; i < r->ncells; i++) {
        const struct bench_cell *c = &r->cells[i];
        struct claim_cost *k = &in->cost[c->shape][c->mode][c->reader][c->budget == BUDGET_DRAIN ? B_DRAIN : B_16];
        double m = c->messages ? (double)c->messages : 0;
        k->done = c->done && m > 0;
        if (!k->done)
            continue;
        k->waits = (double)c->waits / m;
        k->events = (double)c->events / m;
        k->reads = (double)c->reads / m;
        k->eagain = (double)c->eagain / m;
        k->syscalls = (double)c->syscalls / m;
        k->csw = (double)(c->vcsw + c->ivcsw) / m;
        k->cpu_us = (double)c->cpu_us / m;
        k->starved = c->starved;
    }
    for (size_t i = 0; i < r->nunread; i++) {
        const struct bench_unread *u = &r->unread[i];
        for (int s = 0; s < BENCH_UNREAD_SIZES; s++) {
            if (bench_unread_sizes[s] != u->n)
                continue;
            struct claim_unread *d = &in->unread[u->mode][s];
            d->done = u->done && u->calls > 0;
            d->n = u->held;
            d->events = u->calls ? (double)u->events / (double)u->calls : 0;
            d->us = u->us_per_call;
        }
    }
}

/* ---- the probes --------------------------------------------------------- */

/* A client of the probe's server (bench_dial). */
static int dial(struct server *s)
{
    struct sockaddr_storage ss;
    socklen_t len = server_sockaddr(s, &ss);
    return bench_dial(&ss, len);
}

static struct server *open_probe(enum server_mode mode, struct sbuf *err)
{
    struct server_config cfg;
    server_config_defaults(&cfg);
    cfg.port = 0;
    cfg.knobs.mode = mode;
    return server_open(&cfg, NULL, err);
}

/* The server's newest connection once it holds `want` bytes (FIONREAD),
 * ticking nothing; NULL after a second. */
static struct conn *holding(struct server *s, long want)
{
    double end = bench_now() + 1;
    for (;;) {
        struct conn *c = server_conn_count(s) ? server_conn_at(s, server_conn_count(s) - 1) : NULL;
        if (c && c->fd >= 0 && probe_pending(c->fd) >= want)
            return c;
        if (bench_now() > end)
            return NULL;
        poll(NULL, 0, 1);
    }
}

static bool accepted(struct server *s, uint64_t want)
{
    double end = bench_now() + 2;
    while (server_listener(s)->accepts < want && bench_now() < end)
        server_tick(s, 10);
    return server_listener(s)->accepts >= want;
}

/* ET, 16 B a wakeup: 64 B, a tick; then 1 B more, a tick. */
static int probe_rearrival(struct claim_inputs *in, struct sbuf *err)
{
    struct server *s = open_probe(MODE_ET, err);
    if (!s)
        return -1;
    server_set_knob(s, KNOB_BUDGET, 16);
    int fd = dial(s);
    int rc = -1;
    char buf[64];
    memset(buf, 'a', sizeof buf);
    if (fd >= 0 && accepted(s, 1) && write(fd, buf, 64) == 64 && holding(s, 64)) {
        server_tick(s, 0);
        if (write(fd, buf, 1) == 1 && holding(s, 49)) {
            server_tick(s, 0);
            in->et_rearrival_wakeups = (unsigned)server_conn_at(s, 0)->wakeups;
            rc = 0;
        }
    }
    if (rc < 0)
        sbuf_add(err, "the ET probe could not set up its connection");
    if (fd >= 0)
        close(fd);
    server_free(s);
    return rc;
}

/* accept single, three clients. */
static int probe_single(struct claim_inputs *in, struct sbuf *err)
{
    struct server *s = open_probe(MODE_LT, err);
    if (!s)
        return -1;
    server_set_knob(s, KNOB_ACCEPT, ACCEPT_SINGLE);
    int fds[3] = {dial(s), -1, -1};
    bool ok = fds[0] >= 0 && accepted(s, 1);
    fds[1] = dial(s);
    fds[2] = dial(s);
    double end = bench_now() + 2;
    while (ok && server_listener(s)->queued < 2 && bench_now() < end) {
        server_tick(s, 10);
        server_sample(s);
    }
    for (int i = 0; i < 3; i++)
        server_tick(s, 0);
    in->single_accepts = (unsigned)server_listener(s)->accepts;
    in->single_queue = server_listener(s)->queued;
    for (int i = 0; i < 3; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    server_free(s);
    if (!ok)
        sbuf_add(err, "the accept single probe could not connect");
    return ok ? 0 : -1;
}

/* twin blocking, the seed's reader: 40 B, both sets report, one reader
 * takes all, the other finds nothing. */
static int probe_blocking(struct claim_inputs *in, struct sbuf *err)
{
    struct server *s = open_probe(MODE_ET, err);
    if (!s)
        return -1;
    server_set_knob(s, KNOB_BUDGET, 1024);
    server_set_knob(s, KNOB_READER, STRATEGY_ONCE);
    server_set_knob(s, KNOB_TWIN, TWIN_BLOCKING);
    int fd = dial(s), rc = -1;
    char buf[40];
    memset(buf, 'b', sizeof buf);
    if (fd >= 0 && accepted(s, 1) && write(fd, buf, sizeof buf) == (ssize_t)sizeof buf &&
        holding(s, (long)sizeof buf)) {
        server_tick(s, 0);
        const struct conn *c = server_conn_at(s, 0);
        in->blocking_slept = c->asleep || c->twin_asleep;
        rc = 0;
    } else {
        sbuf_add(err, "the blocking probe could not set up its connection");
    }
    if (fd >= 0)
        close(fd);
    server_free(s);
    return rc;
}

int claims_probe(struct claim_inputs *in, struct sbuf *err)
{
    if (probe_rearrival(in, err) < 0 || probe_single(in, err) < 0 || probe_blocking(in, err) < 0)
        return -1;
    in->probed = true;
    return 0;
}

/* ---- printing ----------------------------------------------------------- */

static void decided_by(const struct claim *c, struct sbuf *out)
{
    if (c->bench)
        sbuf_printf(out, "bench: %s", c->bench);
    if (c->lesson)
        sbuf_printf(out, "%slesson %s", c->bench ? "; " : "", c->lesson);
    if (!c->bench)
        sbuf_add(out, "; a probe of the taught server");
}

void claims_print(const struct claim_inputs *in, bool markdown, struct sbuf *out)
{
    struct sbuf why = {0}, by = {0};
    if (markdown)
        sbuf_add(out, "| # | claim | decided by | verdict |\n|---|---|---|---|\n");
    for (size_t i = 0; i < CLAIMS; i++) {
        const struct claim *c = &claims[i];
        sbuf_reset(&why);
        sbuf_reset(&by);
        enum verdict v = claims_judge(c, in, &why);
        decided_by(c, &by);
        if (markdown)
            sbuf_printf(out, "| %d | %s | %s | **%s**: %s |\n", c->number, c->text, sbuf_str(&by),
                        verdict_name(v), sbuf_str(&why));
        else
            sbuf_printf(out, "%2d. %s\n    decided by: %s\n    verdict: %s: %s\n\n", c->number,
                        c->text, sbuf_str(&by), verdict_name(v), sbuf_str(&why));
    }
    sbuf_free(&why);
    sbuf_free(&by);
}

int claims_main(const struct options *o)
{
    struct bench_result r;
    struct claim_inputs in;
    struct sbuf err = {0}, out = {0};
    int status = 0;
    if (benchmodes_run(o->bench_seconds, stderr, &r, &err) < 0 ||
        (claims_inputs_from_bench(&r, &in), claims_probe(&in, &err) < 0)) {
        fprintf(stderr, "epollviz: --claims: %s\n", sbuf_str(&err));
        status = 1;
    } else {
        sbuf_printf(&out,
                    "epollviz --claims: the seed essay's twelve claims, each judged by a rule in "
                    "code (src/claims.c) from a --bench-modes run just made (%.0f s) and probes "
                    "of the taught server on loopback.\n\n",
                    r.elapsed);
        claims_print(&in, o->markdown, &out);
        fputs(sbuf_str(&out), stdout);
    }
    benchmodes_free(&r);
    sbuf_free(&err);
    sbuf_free(&out);
    return status;
}
