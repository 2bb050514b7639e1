/*
 * test_engine.c - the engine: two servers side by side on one set of
 * clients, and long ticks that run in slices as the engine's job.
 */
#include "harness.h"

#include "command.h"
#include "engine.h"
#include "fixture.h"

void test_engine_compare_has_two_sides(void)
{
    struct fixture f;
    REQUIRE(open_compare(&f, MODE_LT, MODE_ET));
    CHECK_EQ(engine_sides(f.e), 2);
    CHECK(engine_comparing(f.e));
    CHECK_STR(engine_side_name(f.e, 0), "lt");
    CHECK_STR(engine_side_name(f.e, 1), "et");
    CHECK_STR(engine_side_name(f.e, 2), "");
    CHECK(engine_side_server(f.e, 2) == NULL);
    CHECK(engine_side_clients(f.e, 2) == NULL);
    struct server *lt = engine_side_server(f.e, 0), *et = engine_side_server(f.e, 1);
    REQUIRE(lt && et && lt != et);
    CHECK(engine_server(f.e) == lt);
    CHECK(engine_clients(f.e) == engine_side_clients(f.e, 0));
    CHECK(engine_side_clients(f.e, 0) != engine_side_clients(f.e, 1));
    CHECK_EQ(server_knobs(lt)->mode, MODE_LT);
    CHECK_EQ(server_knobs(et)->mode, MODE_ET);
    /* Two listeners, two epoll instances. */
    CHECK(server_port(lt) != 0 && server_port(et) != 0);
    CHECK(server_port(lt) != server_port(et));
    CHECK(server_epoll_fd(lt) != server_epoll_fd(et));
    fixture_close(&f);

    /* One server: one side, no name. */
    REQUIRE(open_single(&f, MODE_ET));
    CHECK_EQ(engine_sides(f.e), 1);
    CHECK(!engine_comparing(f.e));
    CHECK_STR(engine_side_name(f.e, 0), "");
    CHECK(engine_side_server(f.e, 0) == engine_server(f.e));
    CHECK(engine_side_server(f.e, 1) == NULL);
    fixture_close(&f);

    /* Other pairs, and the same mode twice is refused with a reason. */
    REQUIRE(open_compare(&f, MODE_ONESHOT, MODE_LT));
    CHECK_STR(engine_side_name(f.e, 0), "oneshot");
    CHECK_STR(engine_side_name(f.e, 1), "lt");
    fixture_close(&f);
    struct server_config cfg;
    struct sbuf err = {0};
    server_config_defaults(&cfg);
    cfg.port = 0;
    const enum server_mode same[2] = {MODE_ET, MODE_ET};
    CHECK(engine_new_compare(&cfg, same, NULL, &err) == NULL);
    CHECK_STR(sbuf_str(&err), "a comparison needs two different modes, not et twice");
    sbuf_free(&err);
}

/* The essay's difference, counted: the same lines on both servers. */
void test_engine_compare_lt_renotifies_et_starves(void)
{
    struct fixture f;
    REQUIRE(open_compare(&f, MODE_LT, MODE_ET));
    run(&f, "budget 16");
    run(&f, "connect a");
    run(&f, "tick");
    run(&f, "send a 64");
    run(&f, "tick 4");
    struct conn *lt = side_conn(&f, 0, "a"), *et = side_conn(&f, 1, "a");
    REQUIRE(lt && et && lt != et);
    CHECK_EQ(lt->wakeups, 4);
    CHECK_EQ(lt->renotify, 3);
    CHECK_EQ(lt->bytes_read, 64);
    CHECK_EQ(lt->pending, 0);
    CHECK(lt->notify.starved == STARVE_NONE);
    CHECK_EQ(et->wakeups, 1);
    CHECK_EQ(et->renotify, 0);
    CHECK_EQ(et->bytes_read, 16);
    CHECK_EQ(et->pending, 48);
    CHECK(et->notify.starved == STARVE_EDGE);
    /* The same traffic: both clients sent 64 bytes, once each. */
    CHECK_EQ(side_client(&f, 0, "a")->sent, 64);
    CHECK_EQ(side_client(&f, 1, "a")->sent, 64);
    /* Both clocks moved together. */
    CHECK_EQ(server_stats(engine_side_server(f.e, 0))->tick, 5);
    CHECK_EQ(server_stats(engine_side_server(f.e, 1))->tick, 5);

    /* The transcript: server lines carry their side, client lines come once. */
    CHECK_CONTAINS(sbuf_str(&f.log), "[lt] tick 5: epoll_wait(0) = 1: a IN\n");
    CHECK_CONTAINS(sbuf_str(&f.log), "[et] tick 5: epoll_wait(0) = 0\n");
    CHECK_CONTAINS(sbuf_str(&f.log), "[lt]   a: woken again with no new bytes (re-notification 3)");
    CHECK_CONTAINS(sbuf_str(&f.log), "[et]   a: STARVED since tick 2: 48 B waiting");
    CHECK_EQ(log_count(&f, "[lt] budget 16:"), 1);
    CHECK_EQ(log_count(&f, "[et] budget 16:"), 1);
    CHECK_EQ(log_count(&f, "client a: connected"), 1);
    CHECK_EQ(log_count(&f, "client a: send 64 B"), 1);
    CHECK_EQ(log_count(&f, "[lt] client"), 0);
    CHECK_EQ(log_count(&f, "[et] client"), 0);
    /* Every server line has a side: none starts with "tick" bare. */
    CHECK_EQ(log_count(&f, "\ntick "), 0);
    /* Side by side, tick by tick: LT's tick 3 comes before ET's tick 3,
     * which comes before LT's tick 4. */
    long lt3 = log_find(&f, 0, "[lt] tick 3:"), et3 = log_find(&f, 0, "[et] tick 3:"),
         lt4 = log_find(&f, 0, "[lt] tick 4:");
    CHECK(lt3 >= 0 && lt3 < et3 && et3 < lt4);
    fixture_close(&f);
}

/* Every knob reaches both sides, except the mode, which each side keeps. */
void test_engine_compare_knobs_on_both_sides_mode_pinned(void)
{
    struct fixture f;
    REQUIRE(open_compare(&f, MODE_LT, MODE_ET));
    struct server *s0 = engine_side_server(f.e, 0), *s1 = engine_side_server(f.e, 1);
    run(&f, "connect a");
    run(&f, "tick");
    uint64_t mods0 = side_conn(&f, 0, "a")->mods, mods1 = side_conn(&f, 1, "a")->mods;
    run(&f, "mode oneshot");
    CHECK_EQ(server_knobs(s0)->mode, MODE_LT);
    CHECK_EQ(server_knobs(s1)->mode, MODE_ET);
    /* Pinned means no EPOLL_CTL_MOD either. */
    CHECK_EQ(side_conn(&f, 0, "a")->mods, mods0);
    CHECK_EQ(side_conn(&f, 1, "a")->mods, mods1);
    CHECK_CONTAINS(sbuf_str(&f.log),
                   "mode oneshot: side by side, each side keeps its mode (lt | et)\n");
    run(&f, "mode et");
    CHECK_EQ(server_knobs(s0)->mode, MODE_LT);
    CHECK_EQ(server_knobs(s1)->mode, MODE_ET);

    run(&f, "budget 64");
    CHECK_EQ(server_knobs(s0)->budget, 64);
    CHECK_EQ(server_knobs(s1)->budget, 64);
    run(&f, "accept one");
    CHECK_EQ(server_knobs(s0)->accept, ACCEPT_ONE);
    CHECK_EQ(server_knobs(s1)->accept, ACCEPT_ONE);
    run(&f, "autorearm off");
    CHECK(!server_knobs(s0)->autorearm && !server_knobs(s1)->autorearm);
    run(&f, "eof ignore");
    CHECK(server_knobs(s0)->eof_ignore && server_knobs(s1)->eof_ignore);
    run(&f, "eof close");
    CHECK(!server_knobs(s0)->eof_ignore && !server_knobs(s1)->eof_ignore);
    run(&f, "rcvbuf 8192");
    CHECK_EQ(server_knobs(s0)->rcvbuf, 8192);
    CHECK_EQ(server_knobs(s1)->rcvbuf, 8192);
    run(&f, "twin on");
    CHECK(server_knobs(s0)->twin && server_knobs(s1)->twin);
    run(&f, "twin off");
    CHECK(!server_knobs(s0)->twin && !server_knobs(s1)->twin);
    CHECK_EQ(log_count(&f, "[lt] twin on:"), 1);
    CHECK_EQ(log_count(&f, "[et] twin on:"), 1);
    /* The clock is the engine's: said once, without a side. */
    run(&f, "run 8");
    CHECK(engine_running(f.e));
    CHECK_EQ(engine_rate(f.e), 8);
    CHECK_EQ(log_count(&f, "clock run: 8 ticks per second"), 1);
    CHECK_EQ(log_count(&f, "] clock run"), 0);
    run(&f, "pause");
    CHECK(!engine_running(f.e));
    fixture_close(&f);
}

/* Client actions and server-side actions happen on both sides. */
void test_engine_compare_actions_on_both_sides(void)
{
    struct fixture f;
    REQUIRE(open_compare(&f, MODE_LT, MODE_ET));
    run(&f, "budget 16");
    run(&f, "connect w 3");
    run(&f, "connect solo");
    run(&f, "tick");
    for (unsigned side = 0; side < 2; side++) {
        CHECK_EQ(client_count(engine_side_clients(f.e, side)), 4);
        CHECK_EQ(server_stats(engine_side_server(f.e, side))->open_conns, 4);
        CHECK(side_conn(&f, side, "w.3") != NULL);
    }
    run(&f, "send w 40");
    run(&f, "send solo \"hello\"");
    run(&f, "tick");
    for (unsigned side = 0; side < 2; side++) {
        CHECK_EQ(side_conn(&f, side, "w.2")->bytes_read, 16);
        CHECK_EQ(side_conn(&f, side, "w.2")->pending, 24);
        CHECK_EQ(side_conn(&f, side, "solo")->bytes_read, 5);
    }
    /* drain: both sides read to EAGAIN. */
    run(&f, "drain w.1");
    CHECK_EQ(side_conn(&f, 0, "w.1")->pending, 0);
    CHECK_EQ(side_conn(&f, 1, "w.1")->pending, 0);
    CHECK_EQ(side_conn(&f, 0, "w.1")->eagain_reads, 1);
    CHECK_EQ(side_conn(&f, 1, "w.1")->eagain_reads, 1);
    /* drop: both sides close their end. */
    run(&f, "drop w.2");
    CHECK(side_conn(&f, 0, "w.2")->state == CONN_CLOSED);
    CHECK(side_conn(&f, 1, "w.2")->state == CONN_CLOSED);
    run_fails(&f, "drain w.2", "no open connection named 'w.2'");
    /* rearm on the ET side re-reports the pending bytes of w.3. */
    run(&f, "rearm w.3");
    CHECK(side_conn(&f, 1, "w.3")->notify.starved == STARVE_NONE);
    run(&f, "tick");
    CHECK_EQ(side_conn(&f, 1, "w.3")->wakeups, 2);
    /* shutdown and close: every side's client does it. */
    run(&f, "shutdown solo");
    run(&f, "close w.3");
    for (unsigned side = 0; side < 2; side++) {
        CHECK_EQ(side_client(&f, side, "solo")->state, CLIENT_SHUT);
        CHECK_EQ(side_client(&f, side, "w.3")->state, CLIENT_CLOSED);
    }
    run(&f, "tick");
    for (unsigned side = 0; side < 2; side++) {
        CHECK_EQ(side_conn(&f, side, "solo")->eof_reads, 1);
        CHECK(side_conn(&f, side, "solo")->state == CONN_CLOSED);
    }
    fixture_close(&f);
}

/* A failing client action is one error, not one per side: the second
 * side's copy of the same client is not "one more" of it. */
void test_engine_compare_client_error_said_once(void)
{
    struct fixture f;
    REQUIRE(open_compare(&f, MODE_LT, MODE_ET));
    run(&f, "connect solo");
    run(&f, "connect w 3");
    run(&f, "tick");
    run(&f, "shutdown solo");
    run(&f, "shutdown w");
    run_fails(&f, "send nobody 3", "no client named 'nobody' (open one with: connect nobody)");
    struct sbuf err = {0};
    struct cmd_line l;
    struct parse_error perr;
    parse_error_init(&perr);
    REQUIRE(cmd_parse("send solo 3", &l, &perr) == 0);
    CHECK_EQ(cmd_exec(f.e, &l, &err), -1);
    CHECK_STR(sbuf_str(&err), "client solo cannot send: it shut down its sending side");
    cmd_line_free(&l);
    /* A group of three: two more of w, as in a single run. */
    sbuf_reset(&err);
    REQUIRE(cmd_parse("send w 3", &l, &perr) == 0);
    CHECK_EQ(cmd_exec(f.e, &l, &err), -1);
    CHECK_STR(sbuf_str(&err), "client w.1 cannot send: it shut down its sending side (and 2 more of w)");
    cmd_line_free(&l);
    parse_error_free(&perr);
    sbuf_free(&err);
    fixture_close(&f);
}

void test_engine_long_tick_runs_in_slices(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "connect a");
    uint64_t before = server_stats(engine_server(f.e))->tick;
    run(&f, "tick " LONG_TICKS);
    unsigned done, total;
    CHECK(engine_busy(f.e));
    CHECK(engine_job_progress(f.e, &done, &total));
    CHECK_EQ(total, 100000);
    CHECK(done > 0 && done < total);
    /* Every tick counted is one the server ran: nothing is skipped or doubled. */
    CHECK_EQ(server_stats(engine_server(f.e))->tick - before, done);

    /* A slice of no time still runs one tick: work always moves. */
    unsigned was = done;
    CHECK(engine_work(f.e, 0));
    engine_job_progress(f.e, &done, &total);
    CHECK_EQ(done, was + 1);
    CHECK_EQ(server_stats(engine_server(f.e))->tick - before, done);

    /* A tick while the job runs joins it. */
    run(&f, "tick 5");
    engine_job_progress(f.e, &done, &total);
    CHECK_EQ(total, 100005);

    engine_job_stop(f.e);
    CHECK(!engine_busy(f.e));
    CHECK(!engine_job_progress(f.e, &done, &total));
    CHECK_CONTAINS(sbuf_str(&f.log), "stopped: ");
    CHECK_CONTAINS(sbuf_str(&f.log), " of 100005 ticks run, the rest abandoned");
    uint64_t at_stop = server_stats(engine_server(f.e))->tick;
    CHECK(!engine_work(f.e, 0)); /* nothing left to run */
    CHECK_EQ(server_stats(engine_server(f.e))->tick, at_stop);
    fixture_close(&f);
}

void test_engine_short_tick_finishes_at_once(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    run(&f, "connect a");
    run(&f, "send a 10");
    uint64_t before = server_stats(engine_server(f.e))->tick;
    run(&f, "tick 3");
    CHECK(!engine_busy(f.e));
    CHECK_EQ(server_stats(engine_server(f.e))->tick - before, 3);
    CHECK_EQ(server_find(engine_server(f.e), "a")->bytes_read, 10);
    fixture_close(&f);
}

/* What set each knob: the config's origins at start, then each command
 * line's own (the prompt's by default, a key's when it says so), per side
 * under a comparison; show knobs lists them. */
static const char *origin_of(struct engine *e, unsigned side, enum knob_id id, struct sbuf *b)
{
    sbuf_reset(b);
    knob_origin_format(engine_knob_origin(e, side, id), b);
    return sbuf_str(b);
}

/* show knobs prints every line of want (NULL-terminated; one space
 * between columns). */
static void shows_knobs_at(int at, struct fixture *f, const char *const *want)
{
    struct sbuf flat = {0};
    sbuf_reset(&f->log);
    fixture_run_at(__FILE__, at, f->e, "show knobs", NULL);
    squeezed(sbuf_str(&f->log), &flat);
    for (; *want; want++)
        if (!strstr(sbuf_str(&flat), *want))
            harness_fail(__FILE__, at, "show knobs lacks '%s' in:\n%s", *want, sbuf_str(&f->log));
    sbuf_free(&flat);
}
#define shows_knobs(f, want) shows_knobs_at(__LINE__, (f), (want))

void test_engine_knob_origins_follow_who_set_them(void)
{
    struct server_config cfg;
    struct sbuf b = {0};
    server_config_defaults(&cfg);
    cfg.knobs.budget = 16;
    cfg.origin[KNOB_BUDGET] = knob_origin(FROM_FILE, "rc", 2, 0);
    cfg.knobs.accept = ACCEPT_ONE;
    cfg.origin[KNOB_ACCEPT] = knob_origin(FROM_COMMAND_LINE, NULL, 0, 0);
    struct fixture f;
    REQUIRE(fixture_open(&f, &cfg));
    CHECK_STR(origin_of(f.e, 0, KNOB_BUDGET, &b), "startup file rc:2");
    CHECK_STR(origin_of(f.e, 0, KNOB_ACCEPT, &b), "command line");
    CHECK_STR(origin_of(f.e, 0, KNOB_MODE, &b), "default");
    run(&f, "mode et"); /* a line of the prompt */
    CHECK_STR(origin_of(f.e, 0, KNOB_MODE, &b), "prompt");
    struct knob_origin key = knob_origin(FROM_KEY, NULL, 0, 'B');
    run_from(&f, "budget 1", &key);
    CHECK_STR(origin_of(f.e, 0, KNOB_BUDGET, &b), "key B");
    CHECK_STR(origin_of(f.e, 0, KNOB_ACCEPT, &b), "command line"); /* untouched */
    /* A line that fails to parse sets nothing. */
    struct cmd_line l;
    struct parse_error perr;
    parse_error_init(&perr);
    CHECK_EQ(cmd_parse("budget lots", &l, &perr), -1);
    parse_error_free(&perr);
    CHECK_STR(origin_of(f.e, 0, KNOB_BUDGET, &b), "key B");

    static const char *const single[] = {
        "knob value set by\n", "\nmode et prompt\n", "\nbudget 1 B key B\n",
        "\naccept one command line\n", "\ntwin off default\n", NULL};
    shows_knobs(&f, single);
    parse_fails("show clients", 6, "expected 'knobs', found 'clients'");
    fixture_close(&f);

    /* Side by side: the modes are each side's, from who asked for the
     * comparison; the other knobs are set on both and said once. */
    server_config_defaults(&cfg);
    cfg.origin[KNOB_MODE] = knob_origin(FROM_COMMAND_LINE, NULL, 0, 0);
    static const enum server_mode modes[2] = {MODE_LT, MODE_ET};
    REQUIRE(fixture_open_at(__FILE__, __LINE__, &f, &cfg, modes));
    run(&f, "mode oneshot"); /* pinned: sets nothing, so its origin stays */
    run(&f, "budget 64");
    for (unsigned i = 0; i < 2; i++) {
        CHECK_STR(origin_of(f.e, i, KNOB_MODE, &b), "command line");
        CHECK_STR(origin_of(f.e, i, KNOB_BUDGET, &b), "prompt");
    }
    static const char *const sides[] = {
        "knob side value set by\n", "\nmode lt lt command line\n",
        "\nmode et et command line\n", "\nbudget both 64 B prompt\n", NULL};
    shows_knobs(&f, sides);
    CHECK_EQ(log_lines(&f, "budget ", ""), 1); /* wbudget is another knob */
    fixture_close(&f);
    sbuf_free(&b);
}

/* hold and release through the command table, on both sides of a
 * comparison; the client properties expect reads.  No server writes here
 * (reply none): what the client received stays 0 and nothing waits. */
void test_engine_hold_and_release_commands(void)
{
    struct fixture f;
    REQUIRE(open_compare(&f, MODE_LT, MODE_ET));
    run(&f, "connect a");
    run(&f, "send a 10");
    run(&f, "tick");
    expect_is(&f, "expect a not held", PASSED);
    run(&f, "hold a");
    CHECK_EQ(log_count(&f, "client a: hold: stops reading its socket"), 1); /* said once */
    CHECK(side_client(&f, 0, "a")->held && side_client(&f, 1, "a")->held);
    expect_is(&f, "expect a held", PASSED);
    expect_is(&f, "expect a recvq 0", PASSED);
    expect_is(&f, "expect a received 0", PASSED);
    run_fails(&f, "hold a", "client a is already held");
    run(&f, "release a");
    expect_is(&f, "expect a not held", PASSED);
    run_fails(&f, "release a", "client a is not held");
    run_fails(&f, "hold b", "no client named 'b'");
    run(&f, "close a");
    run_fails(&f, "hold a", "client a cannot hold: it is closed");
    fixture_close(&f);
}
