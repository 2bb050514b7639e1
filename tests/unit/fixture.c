/*
 * fixture.c - the unit tests' one fixture and shared helpers (see
 * fixture.h).  Failures go through harness_fail with the caller's file and
 * line, never this file's.
 */
#include "fixture.h"
#include "panes.h"

#include "harness.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command.h"
#include "expect.h"
#include "probe.h"

/* ---- engines ------------------------------------------------------------ */

static void collect(void *ctx, enum trace_kind kind, const char *text)
{
    (void)kind;
    sbuf_printf(ctx, "%s\n", text);
}

static struct engine *engine_at(const char *file, int line, const struct server_config *cfg,
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

static void close_fixture(void *f)
{
    fixture_close(f);
}

bool fixture_open_at(const char *file, int line, struct fixture *f,
                     const struct server_config *cfg, const enum server_mode *modes)
{
    memset(f, 0, sizeof *f);
    f->trace = (struct trace){.line = collect, .ctx = &f->log};
    f->view.gl = glyphs_for(false);
    f->e = engine_at(file, line, cfg, modes, &f->trace);
    if (f->e)
        harness_defer(close_fixture, f);
    return f->e != NULL;
}

void fixture_close(struct fixture *f)
{
    harness_undefer(f);
    engine_free(f->e);
    f->e = NULL;
    sbuf_free(&f->log);
}

bool fixture_open_modes_at(const char *file, int at, struct fixture *f, bool compare,
                           enum server_mode m0, enum server_mode m1)
{
    struct server_config cfg;
    const enum server_mode modes[2] = {m0, m1};
    server_config_defaults(&cfg);
    cfg.knobs.mode = m0;
    return fixture_open_at(file, at, f, &cfg, compare ? modes : NULL);
}

void fixture_run_at(const char *file, int line, struct engine *e, const char *cmd,
                    const char *want)
{
    fixture_run_from_at(file, line, e, cmd, want, NULL);
}

void fixture_run_from_at(const char *file, int line, struct engine *e, const char *cmd,
                         const char *want, const struct knob_origin *from)
{
    struct cmd_line l;
    struct parse_error perr;
    struct sbuf err = {0};

    parse_error_init(&perr);
    if (cmd_parse(cmd, &l, &perr) < 0) {
        harness_fail(file, line, "'%s' does not parse: %s", cmd, sbuf_str(&perr.msg));
    } else {
        if (from)
            l.origin = *from;
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

const char *squeezed(const char *in, struct sbuf *out)
{
    sbuf_reset(out);
    for (; *in; in++)
        if (*in != ' ' || !out->len || out->s[out->len - 1] != ' ')
            sbuf_addc(out, *in);
    return sbuf_str(out);
}

/* ---- reading an engine -------------------------------------------------- */

struct conn *conn(struct fixture *f, const char *label)
{
    return server_find(engine_server(f->e), label);
}

struct conn *side_conn(struct fixture *f, unsigned side, const char *label)
{
    return server_find(engine_side_server(f->e, side), label);
}

struct client *side_client(struct fixture *f, unsigned side, const char *name)
{
    return client_find(engine_side_clients(f->e, side), name);
}

uint64_t ticks_of(struct engine *e)
{
    return server_stats(engine_server(e))->tick;
}

unsigned each_lesson(void (*fn)(const char *path, void *ctx), void *ctx)
{
    DIR *d = opendir("scenarios");
    if (!d)
        return 0;
    struct dirent *de;
    unsigned n = 0;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len < 5 || strcmp(de->d_name + len - 4, ".scn") != 0)
            continue;
        char path[300];
        snprintf(path, sizeof path, "scenarios/%s", de->d_name);
        fn(path, ctx);
        n++;
    }
    closedir(d);
    return n;
}

int dial(struct engine *e)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_port = htons(server_port(engine_server(e)));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

struct pending_wait {
    int sfd;
    long at_least;
};

static bool pending_reaches(void *arg)
{
    const struct pending_wait *w = arg;
    return probe_pending(w->sfd) >= w->at_least;
}

bool client_sends_at(const char *file, int line, int fd, int sfd, size_t len, long at_least)
{
    unsigned char *data = xmalloc(len);
    memset(data, 'x', len);
    ssize_t n = write(fd, data, len);
    free(data);
    if (n != (ssize_t)len)
        harness_fail(file, line, "the client wrote %zd B of %zu", n, len);
    struct pending_wait w = {sfd, at_least};
    return harness_poll(pending_reaches, &w, 5000);
}

size_t log_count(const struct fixture *f, const char *needle)
{
    size_t n = 0;
    for (const char *p = sbuf_str(&f->log); (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

size_t log_lines(const struct fixture *f, const char *prefix, const char *needle)
{
    size_t n = 0;
    for (const char *p = sbuf_str(&f->log); *p;) {
        size_t len = strcspn(p, "\n");
        if (strncmp(p, prefix, strlen(prefix)) == 0) {
            char *line = xmalloc(len + 1);
            memcpy(line, p, len);
            line[len] = '\0';
            n += strstr(line, needle) != NULL;
            free(line);
        }
        p += len + (p[len] == '\n');
    }
    return n;
}

long log_find(const struct fixture *f, size_t from, const char *needle)
{
    const char *log = sbuf_str(&f->log);
    if (from > strlen(log))
        return -1;
    const char *p = strstr(log + from, needle);
    return p ? (long)(p - log) : -1;
}

enum outcome expect_at(const char *file, int at, struct fixture *f, const char *line,
                       struct sbuf *detail)
{
    unsigned passed = engine_expects_passed(f->e), failed = engine_expects_failed(f->e);
    size_t kept = engine_step_expects(f->e);
    fixture_run_at(file, at, f->e, line, NULL);
    unsigned dp = engine_expects_passed(f->e) - passed, df = engine_expects_failed(f->e) - failed;
    size_t dk = engine_step_expects(f->e) - kept;
    if (detail)
        sbuf_reset(detail);
    if (dp + df > 1 || dk != dp + df) {
        harness_fail(file, at, "'%s' counted %u passed, %u failed, kept %zu", line, dp, df, dk);
        return FAILED;
    }
    if (dk && detail)
        sbuf_add(detail, engine_step_expect(f->e, kept)->detail);
    if (!dk && detail) {
        /* The transcript's last line says it was skipped. */
        const char *log = sbuf_str(&f->log);
        size_t n = strlen(log);
        size_t start = n ? n - 1 : 0;
        while (start > 0 && log[start - 1] != '\n')
            start--;
        sbuf_addn(detail, log + start, n - start);
    }
    return dp ? PASSED : df ? FAILED : SKIPPED;
}

/* ---- parsing lines ------------------------------------------------------ */

const char *shown(struct sbuf *b, const char *s)
{
    sbuf_reset(b);
    sbuf_add_escaped(b, s, strlen(s));
    sbuf_addn(b, "", 0); /* sbuf_add_escaped of "" leaves a fresh buffer unterminated */
    return sbuf_str(b);
}

void check_bad_at(const char *file, int line, const struct bad_line *cases, size_t n)
{
    struct sbuf in = {0};
    for (size_t i = 0; i < n; i++) {
        struct cmd_line l;
        struct parse_error err;
        parse_error_init(&err);
        int rc = cmd_parse(cases[i].in, &l, &err);
        if (rc != -1) {
            harness_fail(file, line, "\"%s\": parsed (rc %d), expected col %d: %s",
                         shown(&in, cases[i].in), rc, cases[i].col, cases[i].msg);
        } else {
            if (err.col != cases[i].col)
                harness_fail(file, line, "\"%s\": column %d, expected %d (%s)",
                             shown(&in, cases[i].in), err.col, cases[i].col, sbuf_str(&err.msg));
            if (strcmp(sbuf_str(&err.msg), cases[i].msg) != 0)
                harness_fail(file, line, "\"%s\": message\n  \"%s\"\n  expected\n  \"%s\"",
                             shown(&in, cases[i].in), sbuf_str(&err.msg), cases[i].msg);
            if (l.cmd.name || l.tok || l.ntok)
                harness_fail(file, line, "\"%s\": a failed parse left tokens behind",
                             shown(&in, cases[i].in));
        }
        cmd_line_free(&l);
        parse_error_free(&err);
    }
    sbuf_free(&in);
}

void check_good_at(const char *file, int line, const struct good_line *cases, size_t n)
{
    struct sbuf in = {0};
    for (size_t i = 0; i < n; i++) {
        struct cmd_line l;
        struct parse_error err;
        parse_error_init(&err);
        if (cmd_parse(cases[i].in, &l, &err) < 0) {
            harness_fail(file, line, "\"%s\": rejected at column %d: %s",
                         shown(&in, cases[i].in), err.col, sbuf_str(&err.msg));
        } else {
            const char *got = l.cmd.name ? l.cmd.name : "(none)";
            const char *want = cases[i].cmd ? cases[i].cmd : "(none)";
            if (strcmp(got, want) != 0)
                harness_fail(file, line, "\"%s\": command %s, expected %s",
                             shown(&in, cases[i].in), got, want);
            if (l.ntok != cases[i].ntok)
                harness_fail(file, line, "\"%s\": %d tokens, expected %d",
                             shown(&in, cases[i].in), l.ntok, cases[i].ntok);
            if (err.msg.len)
                harness_fail(file, line, "\"%s\": accepted but left a message: %s",
                             shown(&in, cases[i].in), sbuf_str(&err.msg));
        }
        cmd_line_free(&l);
        parse_error_free(&err);
    }
    sbuf_free(&in);
}

void parse_fails_at(const char *file, int at, const char *line, int col, const char *want)
{
    struct cmd_line l;
    struct parse_error err;
    parse_error_init(&err);
    if (cmd_parse(line, &l, &err) == 0) {
        harness_fail(file, at, "'%s' parses", line);
        cmd_line_free(&l);
    } else {
        if (err.col != col)
            harness_fail(file, at, "'%s': column %d, not %d", line, err.col, col);
        if (!strstr(sbuf_str(&err.msg), want))
            harness_fail(file, at, "'%s': '%s' lacks '%s'", line, sbuf_str(&err.msg), want);
    }
    parse_error_free(&err);
}

/* ---- presenters --------------------------------------------------------- */

static const char *const scenario_dirs[] = {"scenarios", NULL};

static void free_presenter(void *p)
{
    presenter_free(p);
}

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
    cfg.panes = PANES_ALL; /* as a user sees it */
    /* Read only while compare is on: the pair the lessons contrast. */
    cfg.compare_modes[0] = MODE_LT;
    cfg.compare_modes[1] = MODE_ET;
    struct presenter *p = presenter_new(&cfg, &err);
    if (!p)
        harness_fail(file, line, "presenter_new: %s", sbuf_str(&err));
    sbuf_free(&err);
    if (p) {
        presenter_resize(p, SCREEN_DEFAULT_W, SCREEN_DEFAULT_H);
        harness_defer(free_presenter, p);
    }
    return p;
}

void fixture_presenter_free(struct presenter *p)
{
    harness_undefer(p);
    presenter_free(p);
}

void keys(struct presenter *p, const char *k)
{
    for (; *k; k++)
        presenter_key(p, (unsigned char)*k);
}

struct server *psrv(struct presenter *p)
{
    return engine_server(presenter_engine(p));
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

const char *message(struct presenter *p, struct grid *g, struct sbuf *b)
{
    presenter_render(p, g);
    /* A long message wraps onto the row above: narration rows start with
     * their indent, its rule with a rule; a message at column 0. */
    struct sbuf first = {0};
    const char *above = row(g, g->h - 3, &first);
    bool wrapped = above[0] && above[0] != ' ' && strncmp(above, "\xe2\x94\x80", 3) != 0 &&
                   above[0] != '-';
    row(g, g->h - 2, b);
    if (wrapped) {
        struct sbuf both = {0};
        sbuf_printf(&both, "%s %s", sbuf_str(&first), sbuf_str(b));
        sbuf_reset(b);
        sbuf_add(b, sbuf_str(&both));
        sbuf_free(&both);
    }
    sbuf_free(&first);
    return sbuf_str(b);
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

const struct screen_size screen_sizes[3] = {{100, 30}, {80, 24}, {60, 18}};

void check_screen_at(const char *file, int at, const struct grid *g, const char *mode,
                     const char *sub)
{
    struct sbuf b = {0};
    char block[16] = {0};
    /* The badge is the first 11 columns, ASCII. */
    row(g, 0, &b);
    memcpy(block, sbuf_str(&b), strnlen(sbuf_str(&b), 11));
    if (!strstr(block, mode))
        harness_fail(file, at, "%dx%d: row 0 does not start with %s: \"%s\"", g->w, g->h, mode,
                     row(g, 0, &b));
    memset(block, 0, sizeof block);
    row(g, 1, &b);
    memcpy(block, sbuf_str(&b), strnlen(sbuf_str(&b), 11));
    if (!strstr(block, sub))
        harness_fail(file, at, "%dx%d: row 1 lacks %s: \"%s\"", g->w, g->h, sub, row(g, 1, &b));
    if (strncmp(row(g, 2, &b), "listener 127.0.0.1:", 19) != 0)
        harness_fail(file, at, "%dx%d: no listener line: \"%s\"", g->w, g->h, row(g, 2, &b));
    /* The status line: keys and their words, help among them. */
    row(g, g->h - 1, &b);
    if (!strstr(sbuf_str(&b), "m mode") || !strstr(sbuf_str(&b), "? help"))
        harness_fail(file, at, "%dx%d: the last row is not the status line: \"%s\"", g->w,
                     g->h, sbuf_str(&b));
    for (int y = 0; y < g->h; y++)
        if (text_width(row(g, y, &b)) > g->w)
            harness_fail(file, at, "%dx%d: row %d is %d columns: \"%s\"", g->w, g->h, y,
                         text_width(sbuf_str(&b)), sbuf_str(&b));
    check_cells_at(file, at, g);
    sbuf_free(&b);
}

/* ---- scratch files ------------------------------------------------------ */

static char scratch[64];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* At exit: the scratch files of a passing or failing run both go (a
 * failing check prints what it saw). */
static void remove_scratch(void)
{
    if (scratch[0])
        nftw(scratch, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

const char *scratch_dir(void)
{
    char *dir = scratch;
    if (!dir[0]) {
        if ((mkdir("tests/tmp", 0777) < 0 && errno != EEXIST) ||
            (mkdir("tests/tmp/unit", 0777) < 0 && errno != EEXIST))
            return NULL;
        snprintf(dir, sizeof scratch, "tests/tmp/unit/v%ld", (long)getpid());
        if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
            dir[0] = '\0';
            return NULL;
        }
        atexit(remove_scratch);
    }
    return dir;
}

bool write_bytes(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

bool write_text(const char *path, const char *text)
{
    return write_bytes(path, text, strlen(text));
}

char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct sbuf b = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sbuf_addn(&b, buf, n);
    fclose(f);
    char *s = xstrdup(sbuf_str(&b));
    sbuf_free(&b);
    return s;
}
