/*
 * test_expect.c - the expect grammar (targets, properties, operators) and
 * how a check is counted, with a side prefix in a comparison and in a single
 * run.
 */
#include "harness.h"

#include "command.h"
#include "expect.h"
#include "fixture.h"

void test_expect_valid(void)
{
    static const struct {
        const char *in;
        enum expect_target target;
        const char *name;
        bool negate;
        enum expect_op op;
        uint64_t value;
    } cases[] = {
        {"expect a pending 48", TARGET_CONN, "a", false, OP_EQ, 48},
        {"expect a pending = 0", TARGET_CONN, "a", false, OP_EQ, 0},
        {"expect a bytes != 7", TARGET_CONN, "a", false, OP_NE, 7},
        {"expect a reads < 2", TARGET_CONN, "a", false, OP_LT, 2},
        {"expect a reads <= 2", TARGET_CONN, "a", false, OP_LE, 2},
        {"expect a wakeups > 1", TARGET_CONN, "a", false, OP_GT, 1},
        {"expect a wakeups >= 1", TARGET_CONN, "a", false, OP_GE, 1},
        {"expect w.2 mods 18446744073709551615", TARGET_CONN, "w.2", false, OP_EQ,
         UINT64_MAX},
        {"expect a starved", TARGET_CONN, "a", false, OP_EQ, 0},
        {"expect a not starved", TARGET_CONN, "a", true, OP_EQ, 0},
        {"expect a not closed # comment", TARGET_CONN, "a", true, OP_EQ, 0},
        {"expect listener queue 0", TARGET_LISTENER, "listener", false, OP_EQ, 0},
        {"expect listener not starved", TARGET_LISTENER, "listener", true, OP_EQ, 0},
        {"expect listener wakeups >= 3", TARGET_LISTENER, "listener", false, OP_GE, 3},
        {"expect server ticks > 0", TARGET_SERVER, "server", false, OP_GT, 0},
        {"expect server reads 12", TARGET_SERVER, "server", false, OP_EQ, 12},
        {"e a eagain 1", TARGET_CONN, "a", false, OP_EQ, 1},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct cmd_line l;
        struct parse_error err;
        struct expect x;
        parse_error_init(&err);
        if (cmd_parse(cases[i].in, &l, &err) < 0) {
            harness_fail(__FILE__, __LINE__, "\"%s\": %s", cases[i].in, sbuf_str(&err.msg));
            parse_error_free(&err);
            continue;
        }
        CHECK_STR(l.cmd.name, "expect");
        CHECK_EQ(expect_parse(l.tok + 1, l.ntok - 1, &x, &err), 0);
        /* parsed once, with the line: the same as parsing again */
        CHECK_EQ(l.arg.expect.target, x.target);
        CHECK(l.arg.expect.prop == x.prop);
        CHECK_EQ(l.arg.expect.value, x.value);
        CHECK_EQ(x.target, cases[i].target);
        CHECK_STR(x.name, cases[i].name);
        CHECK(x.prop != NULL);
        CHECK_EQ(x.negate, cases[i].negate);
        CHECK_EQ(x.op, cases[i].op);
        CHECK_EQ(x.value, cases[i].value);
        CHECK_EQ(err.msg.len, 0);
        cmd_line_free(&l);
        parse_error_free(&err);
    }
}

/* What an unknown property's error lists for a connection. */
#define CONN_PROPS                                                                             \
    "pending, wakeups, renotify, reads, eagain, bytes, mods, eofreads, waited, twinwakeups, "  \
    "twinbytes, writes, wagain, written, outq, unsent, outwakeups, idleout, sendq, queued, "   \
    "recvq, received, starved, closed, halfclosed, armed, wstarved, paused, asleep, "          \
    "twinasleep, held"

void test_expect_errors(void)
{
    static const struct bad_line cases[] = {
        /* missing property */
        {"expect a not", 10, "expected a property after 'not'"},
        {"expect listener not", 17, "expected a property after 'not'"},
        /* unknown property, listing the valid ones for that target */
        {"expect a foo", 10,
         "unknown property 'foo' for a connection; expected one of: " CONN_PROPS},
        {"expect a queue 0", 10,
         "unknown property 'queue' for a connection; expected one of: " CONN_PROPS},
        {"expect listener pending 0", 17,
         "unknown property 'pending' for the listener; expected one of: queue, peak, accepts, "
         "wakeups, calls, eagain, emfile, rejected, starved, armed"},
        {"expect server queue 0", 15,
         "unknown property 'queue' for the server; expected one of: ticks, events, empty, reads, "
         "eagain, syscalls, eofreads, twinevents, conns, writes, idleout, waits"},
        {"expect a Pending 1", 10,
         "unknown property 'Pending' for a connection; expected one of: " CONN_PROPS},
        {"expect a not not starved", 14,
         "unknown property 'not' for a connection; expected one of: " CONN_PROPS},
        /* 'not' with a counted property: at the 'not' */
        {"expect a not pending 3", 10, "'not' goes with yes/no properties; use != with 'pending'"},
        {"expect server not ticks", 15, "'not' goes with yes/no properties; use != with 'ticks'"},
        /* a value on a flag property: at the value */
        {"expect a starved 1", 18, "'starved' is a yes/no property and takes no value"},
        {"expect a not closed yes", 21, "'closed' is a yes/no property and takes no value"},
        {"expect listener armed = 1", 23, "'armed' is a yes/no property and takes no value"},
        /* missing number: at the word it should follow */
        {"expect a pending", 10, "expected a number after 'pending'"},
        {"expect a pending >=", 18, "expected a number after '>='"},
        {"expect listener queue !=  # none", 23, "expected a number after '!='"},
        /* not a number */
        {"expect a pending abc", 18, "expected a whole number, found 'abc'"},
        {"expect a pending = -1", 20, "expected a whole number, found '-1'"},
        {"expect a pending => 3", 18, "expected a whole number, found '=>'"},
        {"expect a pending == 3", 18, "expected a whole number, found '=='"},
        {"expect a pending 18446744073709551616", 18,
         "expected a whole number, found '18446744073709551616'"},
        /* trailing junk */
        {"expect a pending 3 x", 20, "unexpected 'x' after the value"},
        {"expect a pending 3 4", 20, "unexpected '4' after the value"},
        {"expect a pending = 3 4", 22, "unexpected '4' after the value"},
        {"expect server ticks > 1 x", 25, "unexpected 'x' after the value"},
    };
    CHECK_BAD(cases);

    /* The lists in the messages are the table's own. */
    static const struct {
        const char *in;
        enum expect_target t;
    } lists[] = {
        {"expect a bogus", TARGET_CONN},
        {"expect listener bogus", TARGET_LISTENER},
        {"expect server bogus", TARGET_SERVER},
    };
    for (size_t i = 0; i < ARRAY_LEN(lists); i++) {
        struct cmd_line l;
        struct parse_error err;
        struct sbuf props = {0};
        parse_error_init(&err);
        expect_list_props(lists[i].t, &props);
        CHECK(props.len > 0);
        CHECK_EQ(cmd_parse(lists[i].in, &l, &err), -1);
        const char *tail = strstr(sbuf_str(&err.msg), "expected one of: ");
        CHECK(tail != NULL);
        if (tail)
            CHECK_STR(tail + strlen("expected one of: "), sbuf_str(&props));
        sbuf_free(&props);
        cmd_line_free(&l);
        parse_error_free(&err);
    }
}

void test_expect_sides(void)
{
    struct fixture f;
    struct sbuf d = {0};
    REQUIRE(open_compare(&f, MODE_LT, MODE_ET));
    run(&f, "budget 16");
    run(&f, "connect a");
    run(&f, "tick");
    run(&f, "send a 64");
    run(&f, "tick 4");
    engine_step_begin(f.e);

    /* A side prefix checks that side only. */
    expect_is(&f, "expect et:a starved", PASSED);
    expect_is(&f, "expect lt:a not starved", PASSED);
    expect_is(&f, "expect lt:a renotify 3", PASSED);
    expect_is(&f, "expect et:a renotify 3", FAILED);
    expect_is(&f, "expect et:a wakeups 1", PASSED);
    expect_is(&f, "expect et:server empty 3", PASSED);
    expect_is(&f, "expect lt:listener accepts 1", PASSED);
    /* Its detail names only that side. */
    REQUIRE(expect_at(__FILE__, __LINE__, &f, "expect et:a pending 48", &d) == PASSED);
    CHECK_STR(sbuf_str(&d), "et: a pending is 48");

    /* No prefix: it must hold on both sides, and says what each had. */
    REQUIRE(expect_at(__FILE__, __LINE__, &f, "expect a wakeups 4", &d) == FAILED);
    CHECK_STR(sbuf_str(&d), "lt: a wakeups is 4; et: a wakeups is 1");
    REQUIRE(expect_at(__FILE__, __LINE__, &f, "expect a starved", &d) == FAILED);
    CHECK_STR(sbuf_str(&d), "lt: a is not starved; et: a is starved");
    REQUIRE(expect_at(__FILE__, __LINE__, &f, "expect a reads >= 1", &d) == PASSED);
    CHECK_STR(sbuf_str(&d), "lt: a reads is 4; et: a reads is 1");
    REQUIRE(expect_at(__FILE__, __LINE__, &f, "expect listener accepts 1", &d) == PASSED);
    CHECK_STR(sbuf_str(&d), "lt: listener accepts is 1; et: listener accepts is 1");
    REQUIRE(expect_at(__FILE__, __LINE__, &f, "expect server ticks 5", &d) == PASSED);
    CHECK_STR(sbuf_str(&d), "lt: server ticks is 5; et: server ticks is 5");

    /* A side that is not in this comparison: skipped, counted neither way. */
    unsigned passed = engine_expects_passed(f.e), failed = engine_expects_failed(f.e);
    size_t kept = engine_step_expects(f.e);
    REQUIRE(expect_at(__FILE__, __LINE__, &f, "expect oneshot:a starved", &d) == SKIPPED);
    CHECK_CONTAINS(sbuf_str(&d), "expect oneshot:a starved: skipped");
    CHECK_EQ(engine_expects_passed(f.e), passed);
    CHECK_EQ(engine_expects_failed(f.e), failed);
    CHECK_EQ(engine_step_expects(f.e), kept);
    /* The transcript says which failed, once per expect, with both sides. */
    CHECK_CONTAINS(sbuf_str(&f.log),
                   "expect a wakeups 4: FAILED (lt: a wakeups is 4; et: a wakeups is 1)\n");
    CHECK_CONTAINS(sbuf_str(&f.log), "expect et:a starved: passed (et: a is starved)\n");
    CHECK_EQ(engine_expects_passed(f.e), 10);
    CHECK_EQ(engine_expects_failed(f.e), 3);
    sbuf_free(&d);
    fixture_close(&f);
}

/* In a single run, a side prefix applies while the server is in that mode
 * and is skipped otherwise. */
void test_expect_side_in_single_run(void)
{
    struct fixture f;
    struct sbuf d = {0};
    REQUIRE(open_single(&f, MODE_LT));
    run(&f, "budget 16");
    run(&f, "connect a");
    run(&f, "tick");
    run(&f, "send a 64");
    run(&f, "tick 2");

    unsigned passed = engine_expects_passed(f.e), failed = engine_expects_failed(f.e);
    REQUIRE(expect_at(__FILE__, __LINE__, &f, "expect et:a starved", &d) == SKIPPED);
    CHECK_STR(sbuf_str(&d), "expect et:a starved: skipped: no et side in this run\n");
    /* A skip is neither: the counts and the step's list stay as they were. */
    CHECK_EQ(engine_expects_passed(f.e), passed);
    CHECK_EQ(engine_expects_failed(f.e), failed);
    CHECK_EQ(engine_step_expects(f.e), 0);
    expect_is(&f, "expect et:a wakeups 99", SKIPPED); /* false, but not checked */
    expect_is(&f, "expect oneshot:listener starved", SKIPPED);
    CHECK_EQ(engine_expects_failed(f.e), 0);

    /* The server's mode matches: checked, and the detail has no side. */
    REQUIRE(expect_at(__FILE__, __LINE__, &f, "expect lt:a wakeups 2", &d) == PASSED);
    CHECK_STR(sbuf_str(&d), "a wakeups is 2");
    expect_is(&f, "expect lt:a wakeups 3", FAILED);
    CHECK_EQ(engine_expects_passed(f.e), 1);
    CHECK_EQ(engine_expects_failed(f.e), 1);
    CHECK_EQ(engine_step_expects(f.e), 2);

    /* It goes by the mode the server is in now, not the one it started in. */
    run(&f, "mode et");
    expect_is(&f, "expect lt:a wakeups 2", SKIPPED);
    expect_is(&f, "expect et:a wakeups 2", PASSED);
    run(&f, "tick"); /* the MOD reported a once more; 16 of 32 read */
    expect_is(&f, "expect et:a wakeups 3", PASSED);
    expect_is(&f, "expect et:a starved", PASSED);
    expect_is(&f, "expect a starved", PASSED);
    CHECK_EQ(engine_expects_passed(f.e), 5);
    CHECK_EQ(engine_expects_failed(f.e), 1);
    sbuf_free(&d);
    fixture_close(&f);
}
