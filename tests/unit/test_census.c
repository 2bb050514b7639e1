/*
 * test_census.c - the census the server keeps as it goes equals a count
 * of every record, through every lesson (single and side by side) and
 * through the commands that change what epoll will do.
 */
#include "harness.h"

#include <string.h>
#include <unistd.h>

#include "census.h"
#include "fixture.h"
#include "presenter.h"
#include "scenario.h"

/* Every record counted anew, in one pass: what the kept counts must equal. */
static void count_every_record(struct server *srv, struct census *c)
{
    bool lt = server_knobs(srv)->mode == MODE_LT;
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < server_conn_count(srv); i++)
        census_add(c, census_share(lt, server_conn_at(srv, i)), 1);
}

static bool same(struct server *srv, const char *where, unsigned step)
{
    struct census all;
    count_every_record(srv, &all);
    const struct census *kept = server_census(srv);
    if (!memcmp(&all, kept, sizeof all))
        return true;
    harness_fail(__FILE__, __LINE__,
                 "%s step %u: kept open %zu every %zu next %zu starved %zu idle %zu closed %zu "
                 "wstarved %zu busy %zu; counted %zu %zu %zu %zu %zu %zu %zu %zu",
                 where, step, kept->open, kept->every_tick, kept->next_tick, kept->starved,
                 kept->idle, kept->closed, kept->wstarved, kept->busy, all.open, all.every_tick,
                 all.next_tick, all.starved, all.idle, all.closed, all.wstarved, all.busy);
    return false;
}

static void through_lesson(const char *path, bool compare)
{
    struct presenter *p = fixture_presenter_at(__FILE__, __LINE__, path, NULL, compare);
    if (!p)
        return;
    for (unsigned guard = 0; guard < 100; guard++) {
        while (presenter_busy(p))
            presenter_work(p);
        struct engine *e = presenter_engine(p);
        const struct scenario *sc = presenter_scenario(p);
        bool ok = true;
        for (unsigned i = 0; i < engine_sides(e) && ok; i++)
            ok = same(engine_side_server(e, i), path, scenario_step(sc));
        if (!ok || scenario_done(sc))
            break;
        unsigned step = scenario_step(sc);
        while (scenario_step(presenter_scenario(p)) == step && !scenario_done(presenter_scenario(p)))
            presenter_key(p, ' ');
    }
    fixture_presenter_free(p);
}

static void single_and_compared(const char *path, void *ctx)
{
    (void)ctx;
    through_lesson(path, false);
    through_lesson(path, true);
}

void test_census_kept_equals_counted_in_every_lesson(void)
{
    CHECK(each_lesson(single_and_compared, NULL) >= 20);
}

/* Commands that move connections between classes without a tick, mode
 * switches, the write side, and closed records pruned. */
void test_census_kept_through_commands(void)
{
    static const char *const lines[] = {
        "connect w 6", "tick", "send w.1 40", "send w.2 40", "budget 16", "tick",
        "mode et", "tick", "send w.3 10", "tick", "mode oneshot", "autorearm off",
        "send w.4 5", "tick", "tick", "rearm w.4", "mode lt", "eof ignore", "shutdown w.5",
        "tick 2", "eof close", "tick", "budget drain", "drain w.1", "drop w.2", "reply echo",
        "out always", "send w.3 30", "tick", "out needed", "wbudget 8", "mode et",
        "send w.6 64", "tick 3", "close w.3", "tick 2", "mode lt", "tick",
    };
    struct fixture f;
    struct server_config cfg;
    server_config_defaults(&cfg);
    cfg.closed_keep = 1;
    REQUIRE(fixture_open(&f, &cfg));
    struct server *srv = engine_server(f.e);
    /* Outside clients: their closed records are pruned. */
    int fd[3];
    for (int i = 0; i < 3; i++)
        fd[i] = dial(f.e);
    for (size_t i = 0; i < ARRAY_LEN(lines); i++) {
        run(&f, lines[i]);
        if (!same(srv, lines[i], (unsigned)i))
            break;
        if (i == 1)
            for (int k = 0; k < 3; k++)
                close(fd[k]);
    }
    for (int i = 0; i < 20 && server_conn_count(srv) > 6 + 1; i++)
        run(&f, "tick");
    CHECK(server_conn_count(srv) <= 6 + 1); /* the strangers' records pruned */
    same(srv, "after pruning", 0);
    fixture_close(&f);
}
