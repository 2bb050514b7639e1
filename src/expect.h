/*
 * expect.h - the assertions of `expect` lines.
 *
 *   expect TARGET [not] PROPERTY [OP VALUE]
 *
 * TARGET is a client name (its server-side connection; a group means every
 * member), `listener` or `server`, optionally after a side: `et:a` checks
 * only the ET side of a comparison (and, in a single run, only while the
 * server is in ET; otherwise the expect is skipped, neither passed nor
 * failed).  Without a side, a comparison must hold on both sides.  Counted properties take an optional
 * operator (= != < <= > >=, default =) and a number; flags (starved,
 * closed, ...) take none and may be negated with `not`.
 */
#ifndef EPOLLVIZ_EXPECT_H
#define EPOLLVIZ_EXPECT_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"
#include "token.h"

enum expect_target { TARGET_CONN, TARGET_LISTENER, TARGET_SERVER };
enum expect_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

struct expect {
    char side[16]; /* "" or a mode name: the side it checks */
    enum expect_target target;
    const char *name; /* client name for TARGET_CONN (points into the line) */
    const struct expect_prop *prop;
    bool negate;
    enum expect_op op;
    uint64_t value;
};

/* Parses the arguments of an expect line (the n tokens after the word);
 * out->name points into them.  0, or -1 with err filled. */
int expect_parse(const struct token *args, int n, struct expect *out, struct parse_error *err);
enum expect_outcome { EXPECT_FAILED, EXPECT_PASSED, EXPECT_SKIPPED };

/* Evaluates; `detail` gets the observed value(s) in words. */
enum expect_outcome expect_eval(const struct expect *x, struct engine *e, struct sbuf *detail);

/* The target without its side prefix ("a" for "et:a"). */
const char *expect_target_name(const char *word);
/* What a target (without its side) names: the listener, the server, or
 * else a client's connection. */
enum expect_target expect_target_kind(const char *name);

#define EXPECT_NOT "not" /* negates a yes/no property */

/* What a connection's panel says about the counters some lessons are about
 * (EPOLL_CTL_MOD calls, reads of 0, the twin reader, the client's queues
 * ...), each only when it happened, "   " between them; k is the
 * scenario client of the connection, or NULL. */
void expect_notes(const struct conn *c, const struct client *k, struct sbuf *out);

/* For help and completion: the property names for a target. */
void expect_list_props(enum expect_target t, struct sbuf *out);
/* 0 for a counted property, 1 for a yes/no one, -1 if t has no such property. */
int expect_prop_kind(enum expect_target t, const char *name);

#endif
