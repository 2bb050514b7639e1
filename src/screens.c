/*
 * screens.c - every step of a lesson rendered as text (see screens.h).
 *
 * The screens come from the presenter and the renderer the terminal UI
 * uses, moved by the same key, so a screen here is the screen a terminal
 * of that size shows after that many presses of space (a step whose
 * narration takes pages there: each page, as space shows them): the tests
 * compare these instead of reading a terminal wherever no terminal is
 * involved.
 */
#include "screens.h"

#include <limits.h>
#include <stdio.h>

#include "presenter.h"

/* Bytes that arrived without a tick show on a live screen once its
 * sampler has looked (within a quarter of a second); here, at once. */
static void sample(struct presenter *p)
{
    struct engine *e = presenter_engine(p);
    for (unsigned i = 0; i < engine_sides(e); i++)
        server_sample(engine_side_server(e, i));
}

void screens_pages(struct presenter *p, int w, int h, struct grid *g, screens_page fn, void *ctx)
{
    struct sbuf text = {0};
    presenter_resize(p, w, h);
    unsigned pages = 1;
    for (unsigned page = 0; page < pages; page++) {
        presenter_narration_page(p, page);
        presenter_render(p, g);
        pages = presenter_narration_pages(p);
        sbuf_reset(&text);
        grid_text(g, &text);
        fn(ctx, page, pages, sbuf_str(&text));
    }
    presenter_narration_page(p, 0);
    sbuf_free(&text);
}

struct print_ctx {
    const struct scenario *sc;
    int w, h;
};

static void print_page(void *ctx, unsigned page, unsigned pages, const char *text)
{
    const struct print_ctx *pc = ctx;
    printf("=== step %u of %u at %dx%d", scenario_step(pc->sc), scenario_steps(pc->sc), pc->w,
           pc->h);
    if (pages > 1)
        printf(", page %u of %u", page + 1, pages);
    printf(" ===\n");
    fputs(text, stdout);
}

/* Every size asked, and at each every page the step's narration takes
 * there. */
static void print_screens(void *ctx, struct presenter *p, struct grid *g)
{
    const struct options *o = ctx;
    for (unsigned i = 0; i < o->nscreens; i++) {
        struct print_ctx pc = {presenter_scenario(p), o->screens[i].w, o->screens[i].h};
        screens_pages(p, pc.w, pc.h, g, print_page, &pc);
    }
}

int screens_walk(const struct options *o, screens_visit visit, void *ctx)
{
    struct presenter_config cfg;
    struct sbuf err = {0};

    presenter_config_from(&cfg, o);
    if (!o->port_given)
        cfg.server.port = 0; /* any free port, as a headless scenario */
    struct presenter *p = presenter_new(&cfg, &err);
    if (!p) {
        fprintf(stderr, "%s\n", sbuf_str(&err));
        sbuf_free(&err);
        return 2;
    }
    sbuf_free(&err);

    struct grid g = {0};
    int status = 0;
    for (;;) {
        /* A long tick runs in slices, as between the terminal's keys. */
        while (presenter_busy(p))
            presenter_work(p);
        const struct scenario *sc = presenter_scenario(p);
        unsigned step = scenario_step(sc);
        sample(p);
        visit(ctx, p, &g);
        if (scenario_done(sc))
            break;
        /* Every page was seen: space goes on to the next step. */
        presenter_narration_page(p, UINT_MAX);
        presenter_key(p, ' ');
        if (presenter_scenario(p) != sc || scenario_step(sc) != step + 1) {
            fprintf(stderr, "epollviz: space did not take %s from step %u to the next\n",
                    scenario_name(sc), step);
            status = 1;
            break;
        }
    }
    if (engine_expects_failed(presenter_engine(p)) ||
        scenario_runtime_errors(presenter_scenario(p)))
        status = 1;
    grid_free(&g);
    presenter_free(p);
    return status;
}

int screens_main(const struct options *o)
{
    return screens_walk(o, print_screens, (void *)o);
}
