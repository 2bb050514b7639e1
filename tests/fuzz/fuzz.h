/*
 * fuzz.h - what the fuzz targets share: libFuzzer's entry points, the
 * bounds that keep one input fast, and a scratch directory to run in.
 *
 * Each target (fuzz_*.c) defines LLVMFuzzerTestOneInput.  It is linked
 * either with libFuzzer (make fuzz, clang) or with replay.c, a main()
 * that runs files once through it under the normal compiler (make test,
 * make check: the seed corpus is then a regression suite).
 *
 * Inputs that execute (fuzz_engine, fuzz_presenter) run real sockets on
 * loopback.  fuzz_bound_line keeps what one input may ask for small, so a
 * run stays in milliseconds: the point is to reach every command with
 * hostile arguments and states, not to measure a flood.
 */
#ifndef EPOLLVIZ_FUZZ_H
#define EPOLLVIZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "grid.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Per input, over every line it runs (the lessons fit in these). */
#define FUZZ_TICKS 300            /* ticks in all */
#define FUZZ_TICKS_PER_LINE 200
#define FUZZ_CLIENTS 32           /* clients connected in all */
#define FUZZ_CLIENTS_PER_LINE 8
#define FUZZ_BYTES (256 * 1024)   /* bytes sent by all clients in all */
#define FUZZ_BYTES_PER_LINE 100000

struct fuzz_budget {
    unsigned ticks, clients; /* what is left */
    size_t bytes;
};

void fuzz_budget_init(struct fuzz_budget *b);

/* One command line that an input wants to run, with `clients_now`
 * clients connected (a send may name them all).  Returns 1 with the line
 * to run in `out` (the same line, or a tick or send with a smaller count
 * that fits what is left of the budget, which it then spends), or 0: the
 * budget is spent (a connect is whole or not at all) or the line would
 * touch files outside the scratch directory (`dump` elsewhere than a
 * FILE.txt there, `load` of a path starting with '/' or holding '..');
 * the input stops there.  Lines that do not parse are run as they are
 * (their error is the point). */
int fuzz_bound_line(struct fuzz_budget *b, const char *line, unsigned clients_now,
                    struct sbuf *out);

/* Enters (0) and leaves (1) the scratch directory where `dump` writes:
 * a fresh temporary directory holding a link `scenarios` to the lessons,
 * so that `load scenarios/04-et-starvation.scn` works.  Made on first
 * entry, removed at exit. */
void fuzz_scratch(int leave);

/* The directory of the lessons (FUZZ_SCENARIO_DIR at build time). */
const char *fuzz_scenario_dir(void);

/* A rendered frame must keep grid_check's promises; abort() if not. */
void fuzz_check_grid(const struct grid *g);

/* abort() with a message: the way a target reports a broken promise. */
_Noreturn void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
