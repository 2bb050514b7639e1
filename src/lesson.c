/*
 * lesson.c - the lesson's life (see lesson.h): fresh engines, the port
 * fallback, and what free play carries over to them.
 */
#include "lesson.h"

#include <stdlib.h>
#include <string.h>

#include "knob.h"

struct lesson {
    struct lesson_config cfg;
    struct engine *engine;
    struct scenario *sc;
    char *path;
    unsigned generation;
};

/* Who set the clock a fresh engine starts with: a lesson pauses it, free
 * play runs it as the command line or startup file said (show knobs). */
static void set_clock_origin(const struct lesson *l, struct engine *e, bool scenario)
{
    struct knob_origin lesson = knob_origin(FROM_LESSON, NULL, 0, 0);
    engine_clock_from(e, scenario ? &lesson : &l->cfg.rate_from);
}

/* A fresh engine for free play or a scenario, on the configured port, or
 * any free one if that went to someone else between two servers: the
 * lesson goes on rather than ends (note says where). */
static struct engine *fresh_engine(struct lesson *l, bool scenario, struct sbuf *err,
                                   struct sbuf *note)
{
    struct server_config cfg = l->cfg.server;
    if (scenario)
        scenario_server_config(&cfg);
    if (l->cfg.compare)
        cfg.origin[KNOB_MODE] = l->cfg.compare_from;
    struct engine *e = l->cfg.compare
                           ? engine_new_compare(&cfg, l->cfg.compare_modes, l->cfg.trace, err)
                           : engine_new(&cfg, l->cfg.trace, err);
    if (!e && cfg.port != 0) {
        struct sbuf again = {0};
        cfg.port = 0;
        e = l->cfg.compare ? engine_new_compare(&cfg, l->cfg.compare_modes, l->cfg.trace, &again)
                           : engine_new(&cfg, l->cfg.trace, &again);
        if (e && note)
            sbuf_printf(note, "(listening on %s instead)", server_address(engine_server(e)));
        sbuf_free(&again);
    }
    if (e) {
        engine_set_host(e, &l->cfg.host);
        set_clock_origin(l, e, scenario);
    }
    return e;
}

/* The old engine goes first: the new one takes over its port.  No server
 * at all is a fatal error: the demo cannot go on without one. */
static void replace_engine(struct lesson *l, bool scenario, struct sbuf *note)
{
    struct sbuf err = {0};
    engine_free(l->engine);
    l->engine = fresh_engine(l, scenario, &err, note);
    if (!l->engine)
        fatal("cannot start a server: %s", sbuf_str(&err));
    sbuf_free(&err);
    l->generation++;
}

static void set_scenario(struct lesson *l, struct scenario *sc, const char *path)
{
    scenario_free(l->sc);
    l->sc = sc;
    if (l->path != path) {
        free(l->path);
        l->path = path ? xstrdup(path) : NULL;
    }
}

/* The scenario at path, parsed, or NULL with its first error in err. */
static struct scenario *parse_file(const char *path, struct sbuf *err)
{
    struct sbuf errors = {0};
    unsigned nerrors = 0;
    struct scenario *sc = scenario_load(path, &errors, &nerrors);
    if (!sc) {
        size_t first = strcspn(sbuf_str(&errors), "\n");
        sbuf_addn(err, sbuf_str(&errors), first);
        if (nerrors > 1)
            sbuf_printf(err, " (and %u more error%s)", nerrors - 1, nerrors == 2 ? "" : "s");
    }
    sbuf_free(&errors);
    return sc;
}

int lesson_check(const char *path, struct sbuf *err)
{
    struct scenario *sc = parse_file(path, err);
    scenario_free(sc);
    return sc ? 0 : -1;
}

int lesson_load(struct lesson *l, const char *path, struct sbuf *err, struct sbuf *note)
{
    struct scenario *sc = parse_file(path, err);
    if (!sc)
        return -1;
    replace_engine(l, true, note);
    set_scenario(l, sc, path);
    scenario_next(l->sc, l->engine);
    return 0;
}

int lesson_restart(struct lesson *l, struct sbuf *err, struct sbuf *note)
{
    if (!l->path) {
        sbuf_add(err, "no scenario is open");
        return -1;
    }
    char *path = xstrdup(l->path);
    int rc = lesson_load(l, path, err, note);
    free(path);
    return rc;
}

void lesson_free_play(struct lesson *l, struct sbuf *note)
{
    replace_engine(l, false, note);
    set_scenario(l, NULL, NULL);
    engine_run(l->engine, l->cfg.rate);
}

/* What free play carries over to fresh servers: the knobs and the clock
 * as the presenter left them, but those a comparison keeps per side (the
 * modes are the comparison's own). */
struct carry {
    struct knobs knobs;
    struct knob_origin origin[KNOB_COUNT];
    struct knob_origin clock_from;
    bool running;
    unsigned rate;
};

static void carry_save(const struct engine *e, struct carry *k)
{
    k->knobs = *server_knobs(engine_server(e));
    for (size_t n = 0; n < KNOB_COUNT; n++)
        k->origin[n] = *engine_knob_origin(e, 0, (enum knob_id)n);
    k->clock_from = *engine_clock_origin(e);
    k->running = engine_running(e);
    k->rate = engine_rate(e);
}

static void carry_restore(struct engine *e, const struct carry *k)
{
    const struct knob *row;
    for (unsigned i = 0; i < engine_sides(e); i++) {
        struct server *s = engine_side_server(e, i);
        for (size_t n = 0; (row = knob_at(n)); n++) {
            size_t want = knob_get(row, &k->knobs);
            /* Only what a command could set (not a kernel default such as 0). */
            if (!row->per_side && knob_valid(row, want) && knob_get(row, server_knobs(s)) != want)
                engine_set_knob(e, i, row->id, want, &k->origin[row->id]);
        }
    }
    if (k->running)
        engine_run(e, k->rate);
    else
        engine_pause(e);
    engine_clock_from(e, &k->clock_from);
}

int lesson_compare_check(const struct lesson *l, const struct host_args *a, struct sbuf *err)
{
    if (a->off && !l->cfg.compare) {
        sbuf_add(err, "already one server");
        return -1;
    }
    return l->path ? lesson_check(l->path, err) : 0;
}

int lesson_compare(struct lesson *l, const struct host_args *a, struct sbuf *err,
                   struct sbuf *note)
{
    if (a->off && !l->cfg.compare)
        return lesson_compare_check(l, a, err); /* its error: one server already */
    struct carry k;
    carry_save(l->engine, &k);
    bool was = l->cfg.compare;
    if (a->off) {
        l->cfg.compare = false;
    } else {
        l->cfg.compare_modes[0] = a->modes[0];
        l->cfg.compare_modes[1] = a->modes[1];
        l->cfg.compare_from = a->from;
        l->cfg.compare = true;
    }
    if (l->path) {
        if (lesson_restart(l, err, note) < 0) {
            l->cfg.compare = was; /* nothing changed: say so next time too */
            return -1;
        }
        return 0;
    }
    lesson_free_play(l, note);
    carry_restore(l->engine, &k);
    return 0;
}

struct lesson *lesson_new(const struct lesson_config *cfg, const char *scenario,
                          struct sbuf *err)
{
    struct lesson *l = xcalloc(1, sizeof *l);
    l->cfg = *cfg;
    if (scenario) { /* a malformed lesson fails with every error listed */
        struct sbuf errors = {0};
        unsigned nerrors = 0;
        struct scenario *sc = scenario_load(scenario, &errors, &nerrors);
        if (!sc) {
            sbuf_add(err, sbuf_str(&errors));
            scenario_error_tally(err, nerrors);
            sbuf_free(&errors);
            free(l);
            return NULL;
        }
        scenario_free(sc);
    }
    /* The configured port must be ours: no fallback here. */
    struct server_config first = cfg->server;
    if (scenario)
        scenario_server_config(&first);
    if (cfg->compare)
        first.origin[KNOB_MODE] = cfg->compare_from;
    l->engine = cfg->compare ? engine_new_compare(&first, cfg->compare_modes, cfg->trace, err)
                             : engine_new(&first, cfg->trace, err);
    if (!l->engine) {
        free(l);
        return NULL;
    }
    engine_set_host(l->engine, &l->cfg.host);
    set_clock_origin(l, l->engine, scenario != NULL);
    if (!scenario)
        engine_run(l->engine, cfg->rate);
    return l;
}

void lesson_free(struct lesson *l)
{
    if (!l)
        return;
    engine_free(l->engine);
    scenario_free(l->sc);
    free(l->path);
    free(l);
}

struct engine *lesson_engine(const struct lesson *l) { return l->engine; }
struct scenario *lesson_scenario(const struct lesson *l) { return l->sc; }
const char *lesson_path(const struct lesson *l) { return l->path; }
unsigned lesson_generation(const struct lesson *l) { return l->generation; }
const struct lesson_config *lesson_config(const struct lesson *l) { return &l->cfg; }

bool lesson_busy(const struct lesson *l)
{
    return engine_busy(l->engine) || (l->sc && scenario_in_step(l->sc));
}

void lesson_work(struct lesson *l)
{
    if (engine_busy(l->engine))
        engine_work(l->engine, ENGINE_SLICE_NS);
    else if (l->sc && scenario_in_step(l->sc))
        scenario_continue(l->sc, l->engine);
}

bool lesson_stop(struct lesson *l, struct sbuf *said)
{
    unsigned done, total;
    char a[16], b[16];
    bool job = engine_job_progress(l->engine, &done, &total);
    format_thousands(done, a, sizeof a);
    format_thousands(total, b, sizeof b);
    if (job)
        sbuf_printf(said, "Stopped by the presenter after tick %s of %s.", a, b);
    else
        sbuf_add(said, "Stopped by the presenter.");
    if (l->sc && scenario_in_step(l->sc)) {
        scenario_stop(l->sc, l->engine);
        engine_say(l->engine, job ? "Stopped by the presenter: the rest of this step was not run."
                                  : sbuf_str(said));
        return true;
    }
    engine_job_stop(l->engine);
    return false;
}
