/*
 * expect.h - the assertions of `expect` lines.
 *
 *   expect TARGET [not] PROPERTY [OP VALUE]
 *
 * TARGET is a client name (its server-side connection; a group means every
 * member), `listener` or `server`.  Counted properties take an optional
 * operator (= != < <= > >=, default =) and a number; flags (starved,
 * closed, ...) take none and may be negated with `not`.
 */
#ifndef EPOLLVIZ_EXPECT_H
#define EPOLLVIZ_EXPECT_H

#include <stdbool.h>
#include <stdint.h>

#include "command.h"
#include "engine.h"

enum expect_target { TARGET_CONN, TARGET_LISTENER, TARGET_SERVER };
enum expect_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

struct expect {
    enum expect_target target;
    const char *name; /* client name for TARGET_CONN (points into the line) */
    const struct expect_prop *prop;
    bool negate;
    enum expect_op op;
    uint64_t value;
};

/* Parses the arguments of an expect line (tokens after the word). */
int expect_parse(const struct cmd_line *line, struct expect *out, struct cmd_error *err);
/* Evaluates; `detail` gets the observed value(s) in words. */
bool expect_eval(const struct expect *x, struct engine *e, struct sbuf *detail);

/* For help and completion: the property names for a target. */
void expect_list_props(enum expect_target t, struct sbuf *out);

#endif
