/*
 * test_jobs.c - long work in slices: a `tick N` that does not fit in one
 * slice stays as the engine's job, a scenario step waits for it, and Esc
 * or `stop` abandons it, all against a real server on loopback.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "harness.h"
#include "keymap.h"
#include "scenario.h"

/* More ticks than any machine runs in one slice (each is at least an
 * epoll_wait and an ioctl): the job is certain to outlive its first slice. */
#define LONG_TICKS "100000"

void test_jobs_long_tick_runs_in_slices(void)
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

void test_jobs_short_tick_finishes_at_once(void)
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

static struct scenario *parse(const char *text)
{
    struct sbuf errors = {0};
    unsigned nerrors = 0;
    struct scenario *sc = scenario_parse("jobs.scn", text, strlen(text), &errors, &nerrors);
    if (!sc)
        harness_fail(__FILE__, __LINE__, "rejected: %s", sbuf_str(&errors));
    sbuf_free(&errors);
    return sc;
}

void test_jobs_step_waits_for_its_job(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    struct scenario *sc = parse("connect a\ntick " LONG_TICKS "\nsay \"after the ticks\"\n"
                                "step\nsay \"step two\"\n");
    REQUIRE(sc);
    scenario_next(sc, f.e);
    CHECK(scenario_in_step(sc));
    CHECK(engine_busy(f.e));
    CHECK(!strstr(engine_narration(f.e), "after the ticks"));
    CHECK(!scenario_done(sc));
    /* The next step cannot start before this one has run. */
    scenario_next(sc, f.e);
    CHECK_EQ(scenario_step(sc), 1);
    /* Finish the job quickly: the rest of it is abandoned, then the
     * step's remaining lines run once the engine is free. */
    engine_job_stop(f.e);
    scenario_continue(sc, f.e);
    CHECK(!scenario_in_step(sc));
    CHECK_CONTAINS(engine_narration(f.e), "after the ticks");
    scenario_next(sc, f.e);
    CHECK_EQ(scenario_step(sc), 2);
    CHECK_STR(engine_narration(f.e), "step two");
    CHECK(scenario_done(sc));
    scenario_free(sc);
    fixture_close(&f);
}

void test_jobs_stop_skips_the_rest_of_the_step(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    struct scenario *sc = parse("connect a\ntick " LONG_TICKS "\nsay \"never\"\n"
                                "expect a wakeups 0\nstep\nsay \"step two\"\n");
    REQUIRE(sc);
    scenario_next(sc, f.e);
    REQUIRE(engine_busy(f.e));
    scenario_stop(sc, f.e);
    CHECK(!engine_busy(f.e));
    CHECK(!scenario_in_step(sc));
    CHECK(!strstr(engine_narration(f.e), "never"));
    CHECK_EQ(engine_expects_passed(f.e) + engine_expects_failed(f.e), 0);
    CHECK_CONTAINS(sbuf_str(&f.log), "stopped: the step's last 2 lines not run");
    scenario_next(sc, f.e);
    CHECK_STR(engine_narration(f.e), "step two");
    scenario_free(sc);
    fixture_close(&f);
}

void test_jobs_headless_run_is_the_same_in_slices(void)
{
    /* scenario_run finishes every job before the next line, so a step's
     * expect sees all of its ticks. */
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    struct scenario *sc = parse("connect a\ntick 20000\nexpect server ticks 20000\n");
    REQUIRE(sc);
    uint64_t before = server_stats(engine_server(f.e))->tick;
    scenario_run(sc, f.e);
    CHECK(!engine_busy(f.e));
    CHECK_EQ(server_stats(engine_server(f.e))->tick - before, 20000);
    CHECK_EQ(scenario_runtime_errors(sc), 0);
    scenario_free(sc);
    fixture_close(&f);
}

static bool write_scenario(const char *path, const char *text)
{
    if ((mkdir("tests/tmp", 0777) < 0 && errno != EEXIST) ||
        (mkdir("tests/tmp/unit", 0777) < 0 && errno != EEXIST))
        return false;
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return false;
    bool ok = fputs(text, fp) >= 0;
    return fclose(fp) == 0 && ok;
}

void test_jobs_presenter_shows_progress_and_esc_stops(void)
{
    char path[64];
    snprintf(path, sizeof path, "tests/tmp/unit/jobs-%ld.scn", (long)getpid());
    REQUIRE(write_scenario(path, "title \"long\"\nconnect a\nstep\ntick " LONG_TICKS
                                 "\nsay \"done ticking\"\nstep\nsay \"the end\"\n"));
    struct presenter *p = fixture_presenter_at(__FILE__, __LINE__, path, NULL, false);
    remove(path);
    REQUIRE(p);
    struct grid g = {0};
    struct sbuf b = {0};
    CHECK(!presenter_busy(p));
    presenter_key(p, ' ');
    CHECK(presenter_busy(p));
    CHECK(presenter_work(p));
    CHECK_CONTAINS(screen(p, &g, &b), "running: tick ");
    CHECK_CONTAINS(screen(p, &g, &b), " of 100,000   Esc stops");
    /* space while the step runs says why nothing happens */
    CHECK_EQ(presenter_command(p, "next"), -1);
    CHECK_CONTAINS(screen(p, &g, &b), "this step is still running");
    presenter_key(p, KEY_CODE_ESC);
    CHECK(!presenter_busy(p));
    CHECK_CONTAINS(screen(p, &g, &b), "Stopped by the presenter after tick ");
    CHECK_CONTAINS(screen(p, &g, &b), "the rest of this step was not run");
    CHECK(!strstr(screen(p, &g, &b), "done ticking"));
    /* The lesson goes on with its next step. */
    presenter_key(p, ' ');
    CHECK_CONTAINS(screen(p, &g, &b), "the end");
    /* `stop` with nothing running says so. */
    CHECK_EQ(presenter_command(p, "stop"), -1);
    CHECK_CONTAINS(screen(p, &g, &b), "nothing is running");
    sbuf_free(&b);
    grid_free(&g);
    presenter_free(p);
}

/* The message line after a step that ran in slices is what the step said
 * last, as it is when the step fits in one slice: the progress line goes,
 * and neither a message from before the job nor one after it is lost. */
void test_jobs_message_after_a_sliced_step(void)
{
    char path[64];
    snprintf(path, sizeof path, "tests/tmp/unit/jobs-msg-%ld.scn", (long)getpid());
    REQUIRE(write_scenario(path, "title \"long\"\nconnect a\nstep\nbudget 64\ntick " LONG_TICKS
                                 "\nstep\ntick " LONG_TICKS "\nbudget 32\n"));
    struct presenter *p = fixture_presenter_at(__FILE__, __LINE__, path, NULL, false);
    remove(path);
    REQUIRE(p);
    struct grid g = {0};
    struct sbuf b = {0};
    /* Said before the job: still there once it is done. */
    presenter_key(p, ' ');
    CHECK(presenter_busy(p));
    CHECK(presenter_work(p));
    CHECK_CONTAINS(screen(p, &g, &b), "running: tick ");
    while (presenter_work(p))
        ;
    CHECK(!strstr(screen(p, &g, &b), "running: tick "));
    CHECK_CONTAINS(screen(p, &g, &b), "budget 64: read at most 64 B per wakeup");
    /* Said after the job, in the same step: shown. */
    presenter_key(p, ' ');
    CHECK(presenter_busy(p));
    while (presenter_work(p))
        ;
    CHECK_CONTAINS(screen(p, &g, &b), "budget 32: read at most 32 B per wakeup");
    sbuf_free(&b);
    grid_free(&g);
    presenter_free(p);
}
