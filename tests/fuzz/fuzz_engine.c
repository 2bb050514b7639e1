/*
 * fuzz_engine.c - libFuzzer target: a scenario file run on a real engine.
 *
 * The input is a scenario.  If it parses, it runs as `epollviz --headless`
 * would run it: a fresh server on a free loopback port, real clients,
 * every line to the end, `dump` rendering the screen to a file; and once
 * more side by side when it says `# run also: --compare A,B` as the
 * lessons do.  Counts are bounded first (fuzz.h): a line over the budget
 * ends the run there.  Then one frame is rendered from what is left and
 * must keep the grid's promises.  Crashes, leaks, undefined behaviour and
 * hangs (-timeout) are the findings.
 *
 * The server refuses connections past FUZZ_MAX_CONNS and the process may
 * open only FUZZ_FDS more descriptors while an input runs, so that an
 * input with many clients (in all, or side by side) also reaches the
 * refusals, EMFILE and the server's spare descriptor, on both ends.
 *
 *   make fuzz FUZZ_TARGETS=engine FUZZ_SECONDS=60
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "engine.h"
#include "fuzz.h"
#include "options.h"
#include "render.h"
#include "scenario.h"

#define FUZZ_MAX_CONNS 20
#define FUZZ_FDS 64

/* Leaves FUZZ_FDS descriptors free from now on (they are handed out
 * lowest first); the old limit goes to *saved. */
static void limit_fds(struct rlimit *saved)
{
    int lowest = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (lowest < 0 || getrlimit(RLIMIT_NOFILE, saved) < 0)
        fuzz_fail("cannot take stock of descriptors");
    close(lowest);
    struct rlimit r = *saved;
    if ((rlim_t)lowest + FUZZ_FDS < r.rlim_cur)
        r.rlim_cur = (rlim_t)lowest + FUZZ_FDS;
    if (setrlimit(RLIMIT_NOFILE, &r) < 0)
        fuzz_fail("cannot limit descriptors");
}

/* Every line goes through the last guard headless output has, then away. */
static void sink(void *ctx, enum trace_kind kind, const char *text)
{
    struct sbuf *safe = ctx;
    (void)kind;
    sbuf_reset(safe);
    sbuf_add_sanitized(safe, text);
}

struct run {
    struct engine *engine;
    const struct scenario *sc;
};

/* As headless: the host renders the screen for `dump`, nothing else. */
static int host(void *ctx, enum host_request req, const struct host_args *a, struct sbuf *err)
{
    const struct run *r = ctx;
    if (req != HOST_DUMP) {
        sbuf_add(err, "only the terminal UI can do that");
        return -1;
    }
    struct view v = {0};
    v.gl = glyphs_for(false);
    struct screen s = {.engine = r->engine, .scenario = r->sc, .view = &v};
    return screen_dump(&s, a->cols ? a->cols : SCREEN_DEFAULT_W,
                       a->rows ? a->rows : SCREEN_DEFAULT_H, a->dir, a->arg, err);
}

/* The input's lines, bounded; NULL if nothing is left to run. */
static char *bounded(const char *text, size_t len)
{
    struct fuzz_budget b;
    struct sbuf out = {0}, line = {0}, ran = {0};
    fuzz_budget_init(&b);
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - text - pos) : len - pos;
        sbuf_reset(&line);
        sbuf_addn(&line, text + pos, n);
        pos += n + (nl != NULL);
        if (!fuzz_bound_line(&b, sbuf_str(&line), FUZZ_CLIENTS - b.clients, &ran))
            break;
        sbuf_add(&out, sbuf_str(&ran));
        sbuf_addc(&out, '\n');
    }
    sbuf_free(&line);
    sbuf_free(&ran);
    return out.s;
}

static void run(const char *text, const enum server_mode *compare)
{
    struct sbuf errors = {0}, err = {0}, safe = {0};
    unsigned nerrors = 0;
    struct scenario *sc = scenario_parse("fuzz.scn", text, strlen(text), &errors, &nerrors);
    if (!sc) /* lines are dropped only from the end, so it still parses */
        fuzz_fail("the bounded input does not parse:\n%s", sbuf_str(&errors));
    struct server_config cfg;
    server_config_defaults(&cfg);
    cfg.port = 0;
    cfg.max_conns = FUZZ_MAX_CONNS;
    scenario_server_config(&cfg);
    struct trace trace = {.line = sink, .ctx = &safe};
    struct rlimit fds;
    limit_fds(&fds);
    struct engine *e = compare ? engine_new_compare(&cfg, compare, &trace, &err)
                               : engine_new(&cfg, &trace, &err);
    if (!e)
        fuzz_fail("no server: %s", sbuf_str(&err));
    struct run r = {e, sc};
    struct engine_host h = {host, &r};
    engine_set_host(e, &h);

    scenario_run(sc, e);

    struct view v = {0};
    v.gl = glyphs_for(false);
    struct screen s = {.engine = e, .scenario = sc, .view = &v};
    struct grid g;
    grid_init(&g, SCREEN_DEFAULT_W, SCREEN_DEFAULT_H);
    render_screen(&s, &g);
    fuzz_check_grid(&g);
    grid_free(&g);

    engine_free(e);
    setrlimit(RLIMIT_NOFILE, &fds);
    scenario_free(sc);
    sbuf_free(&errors);
    sbuf_free(&err);
    sbuf_free(&safe);
}

/* The modes of a `# run also: --compare A,B` line, as tests/run reads it. */
static bool wants_compare(const char *text, enum server_mode modes[2])
{
    static const char mark[] = "# run also: --compare ";
    const char *at = strstr(text, mark);
    char arg[32];
    if (!at)
        return false;
    at += sizeof mark - 1;
    snprintf(arg, sizeof arg, "%.*s", (int)strcspn(at, " \t\r\n"), at);
    return compare_parse(arg, modes) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sbuf errors = {0};
    unsigned nerrors = 0;
    struct scenario *sc = scenario_parse("fuzz.scn", (const char *)data, size, &errors, &nerrors);
    sbuf_free(&errors);
    if (!sc) /* the parser's own target covers what it rejects */
        return 0;
    scenario_free(sc);

    char *text = bounded((const char *)data, size);
    if (!text)
        return 0;
    enum server_mode modes[2];
    fuzz_scratch(0);
    run(text, NULL);
    if (wants_compare(text, modes))
        run(text, modes);
    fuzz_scratch(1);
    free(text);
    return 0;
}
