/*
 * fixture.c - the shared unit-test fixtures (see fixture.h).  Failures go
 * through harness_fail with the caller's file and line, never this file's.
 */
#include "fixture.h"

#include "harness.h"

#include "command.h"

/* ---- engines ------------------------------------------------------------ */

static void collect(void *ctx, enum trace_kind kind, const char *text)
{
    (void)kind;
    sbuf_printf(ctx, "%s\n", text);
}

struct engine *fixture_engine_at(const char *file, int line, const struct server_config *cfg,
                                 const enum server_mode *modes, const struct trace *trace)
{
    struct server_config c;
    struct sbuf err = {0};
    if (cfg)
        c = *cfg;
    else
        server_config_defaults(&c);
    c.port = 0; /* never a fixed port: tests run side by side */
    struct engine *e = modes ? engine_new_compare(&c, modes, trace, &err)
                             : engine_new(&c, trace, &err);
    if (!e)
        harness_fail(file, line, "engine: %s", sbuf_str(&err));
    sbuf_free(&err);
    return e;
}

bool fixture_open_at(const char *file, int line, struct fixture *f,
                     const struct server_config *cfg, const enum server_mode *modes)
{
    memset(f, 0, sizeof *f);
    f->trace = (struct trace){collect, &f->log};
    f->e = fixture_engine_at(file, line, cfg, modes, &f->trace);
    return f->e != NULL;
}

void fixture_close(struct fixture *f)
{
    engine_free(f->e);
    sbuf_free(&f->log);
}

void fixture_run_at(const char *file, int line, struct engine *e, const char *cmd,
                    const char *want)
{
    struct cmd_line l;
    struct parse_error perr;
    struct sbuf err = {0};

    parse_error_init(&perr);
    if (cmd_parse(cmd, &l, &perr) < 0) {
        harness_fail(file, line, "'%s' does not parse: %s", cmd, sbuf_str(&perr.msg));
    } else {
        int rc = cmd_exec(e, &l, &err);
        if (!want && rc < 0)
            harness_fail(file, line, "'%s' failed: %s", cmd, sbuf_str(&err));
        else if (want && rc == 0)
            harness_fail(file, line, "'%s' succeeded", cmd);
        else if (want && !strstr(sbuf_str(&err), want))
            harness_fail(file, line, "'%s': '%s' lacks '%s'", cmd, sbuf_str(&err), want);
        cmd_line_free(&l);
    }
    parse_error_free(&perr);
    sbuf_free(&err);
}

/* ---- presenters --------------------------------------------------------- */

static const char *const scenario_dirs[] = {"scenarios", NULL};

struct presenter *fixture_presenter_at(const char *file, int line, const char *scenario,
                                       const char *const *dirs, bool compare)
{
    struct presenter_config cfg = {0};
    struct sbuf err = {0};
    server_config_defaults(&cfg.server);
    cfg.server.port = 0;
    cfg.scenario = scenario;
    cfg.dirs = dirs ? dirs : scenario_dirs;
    cfg.compare = compare;
    /* Read only while compare is on: the pair the lessons contrast. */
    cfg.compare_modes[0] = MODE_LT;
    cfg.compare_modes[1] = MODE_ET;
    struct presenter *p = presenter_new(&cfg, &err);
    if (!p)
        harness_fail(file, line, "presenter_new: %s", sbuf_str(&err));
    sbuf_free(&err);
    if (p)
        presenter_resize(p, 100, 30);
    return p;
}

/* ---- reading a grid ----------------------------------------------------- */

const char *row(const struct grid *g, int y, struct sbuf *b)
{
    sbuf_reset(b);
    grid_row_text(g, y, b);
    return sbuf_str(b);
}

const char *text_of(const struct grid *g, struct sbuf *b)
{
    sbuf_reset(b);
    grid_text(g, b);
    return sbuf_str(b);
}

const char *screen(struct presenter *p, struct grid *g, struct sbuf *b)
{
    presenter_render(p, g);
    return text_of(g, b);
}

int find_row_from(const struct grid *g, int from, const char *needle)
{
    struct sbuf b = {0};
    int found = -1;
    for (int y = from; y < g->h && found < 0; y++)
        if (strstr(row(g, y, &b), needle))
            found = y;
    sbuf_free(&b);
    return found;
}

int find_row(const struct grid *g, const char *needle)
{
    return find_row_from(g, 0, needle);
}

void check_cells_at(const char *file, int line, const struct grid *g)
{
    struct sbuf why = {0};
    if (grid_check(g, &why) < 0)
        harness_fail(file, line, "%s", sbuf_str(&why));
    sbuf_free(&why);
}
