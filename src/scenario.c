/*
 * scenario.c - loading, checking and stepping through scenario files.
 */
#include "scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "expect.h"

struct scenario_line {
    struct cmd_line cmd;
    int lineno;
};

struct scenario {
    char *name;
    char *dir; /* where the file is: what its lines name is beside it */
    char *title;
    struct scenario_line *lines;
    size_t n;
    size_t pc;
    unsigned steps, step;
    unsigned runtime_errors;
    bool in_step; /* the current step has lines left, waiting for the engine's job */
};

/* Client names the file has connected so far, to catch typos up front. */
struct known {
    char **names;
    unsigned *counts;
    size_t n;
};

static void known_add(struct known *k, const char *name, unsigned count)
{
    k->names = xrealloc(k->names, (k->n + 1) * sizeof *k->names);
    k->counts = xrealloc(k->counts, (k->n + 1) * sizeof *k->counts);
    k->names[k->n] = xstrdup(name);
    k->counts[k->n++] = count;
}

static bool known_has(const struct known *k, const char *name)
{
    for (size_t i = 0; i < k->n; i++) {
        size_t len = strlen(k->names[i]);
        if (strcmp(k->names[i], name) == 0)
            return true;
        unsigned long long member;
        if (k->counts[i] > 1 && strncmp(k->names[i], name, len) == 0 && name[len] == '.' &&
            name[len + 1] != '0' && parse_uint(name + len + 1, k->counts[i], &member) == 0 &&
            member >= 1)
            return true;
    }
    return false;
}

static void known_free(struct known *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->names[i]);
    free(k->names);
    free(k->counts);
}

/* A file name as it may be shown on a terminal. */
static char *display_name(const char *path)
{
    struct sbuf b = {0};
    sbuf_add_sanitized(&b, path);
    if (!b.s)
        return xstrdup("");
    return b.s;
}

/* The directory part of a path: "." for a bare file name. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    struct sbuf b = {0};
    sbuf_addn(&b, path, (size_t)(slash - path));
    return b.s;
}

static void report(struct sbuf *errors, unsigned *nerrors, const char *name, int lineno, int col,
                   const char *msg)
{
    if ((*nerrors)++ >= SCENARIO_MAX_ERRORS)
        return;
    if (col > 0)
        sbuf_printf(errors, "%s:%d:%d: error: ", name, lineno, col);
    else
        sbuf_printf(errors, "%s:%d: error: ", name, lineno);
    sbuf_add_sanitized(errors, msg); /* it may quote the file's words */
    sbuf_addc(errors, '\n');
}

void scenario_error_tally(struct sbuf *b, unsigned nerrors)
{
    if (nerrors > SCENARIO_MAX_ERRORS)
        sbuf_printf(b, "epollviz: ... and %u more errors (%u in all), nothing was run",
                    nerrors - SCENARIO_MAX_ERRORS, nerrors);
    else
        sbuf_printf(b, "epollviz: %u error%s, nothing was run", nerrors, nerrors == 1 ? "" : "s");
}

/* A binary is not a scenario: one error at its first NUL byte or invalid
 * UTF-8 sequence, instead of one for nearly every line.  Columns count
 * characters, as the tokenizer's do.  Returns false if it is not text. */
static bool is_text(const char *name, const char *text, size_t len, struct sbuf *errors,
                    unsigned *nerrors)
{
    int lineno = 1, col = 1;
    for (size_t i = 0; i < len;) {
        const unsigned char *p = (const unsigned char *)text + i;
        size_t n = utf8_seq_len(p, len - i);
        if (*p == '\0' || n == 0) {
            char msg[80];
            if (*p == '\0')
                snprintf(msg, sizeof msg, "NUL byte: this does not look like a text file");
            else
                snprintf(msg, sizeof msg,
                         "invalid UTF-8 byte 0x%02x: this does not look like a text file", *p);
            report(errors, nerrors, name, lineno, col, msg);
            return false;
        }
        if (*p == '\n')
            lineno++, col = 1;
        else
            col++;
        i += n;
    }
    return true;
}

/* Checks that go beyond one line: names used before `connect`, a second
 * title.  Returns the column of the problem, or 0 with msg empty. */
static int check_context(const struct cmd_line *l, struct known *k, bool *titled,
                         struct sbuf *msg)
{
    const char *name = l->cmd.name;
    unsigned flags = l->cmd.flags;
    const struct token *arg = l->ntok > 1 ? &l->tok[1] : NULL;

    if (flags & CMD_WRITES) {
        /* A lesson opened from the menu runs at once: it may write a
         * screen beside itself, never anywhere else. */
        const char *path = arg->text;
        size_t n = strlen(path);
        if (path[0] == '/' || strstr(path, "..") || n < 5 || strcmp(path + n - 4, ".txt") != 0) {
            sbuf_add(msg, "a scenario may dump only to a relative FILE.txt without '..'");
            return arg->col;
        }
        return 0;
    }
    if (flags & CMD_LIVE) {
        sbuf_printf(msg, "'%s' is for the presenter (a key or the prompt), not a scenario file",
                    name);
        return l->tok[0].col;
    }

    if (flags & CMD_TITLE) {
        if (*titled) {
            sbuf_add(msg, "a scenario has one title; this is the second");
            return l->tok[0].col;
        }
        *titled = true;
        return 0;
    }
    if (flags & CMD_CONNECT) {
        unsigned long long count = l->arg.count;
        for (size_t i = 0; i < k->n; i++) {
            size_t len = strlen(k->names[i]);
            if (strcmp(k->names[i], arg->text) == 0 ||
                (strncmp(k->names[i], arg->text, len) == 0 && arg->text[len] == '.')) {
                sbuf_printf(msg, "client '%s' is already connected (client names are unique)",
                            arg->text);
                return arg->col;
            }
        }
        known_add(k, arg->text, (unsigned)count);
        return 0;
    }
    unsigned names = l->cmd.names;
    if (!names || !arg)
        return 0;
    const char *target = names & NAMES_SIDE ? expect_target_name(arg->text) : arg->text;
    static const struct {
        const char *word;
        unsigned flag;
    } words[] = {{"all", NAMES_ALL}, {"listener", NAMES_LISTENER}, {"server", NAMES_SERVER}};
    for (size_t i = 0; i < ARRAY_LEN(words); i++)
        if (strcmp(target, words[i].word) == 0) {
            if (names & words[i].flag)
                return 0;
            sbuf_printf(msg, "'%s' cannot be used with %s here", target, name);
            return arg->col;
        }
    if (!known_has(k, target)) {
        sbuf_printf(msg, "unknown client '%s': no earlier 'connect %s'", target, target);
        return arg->col;
    }
    return 0;
}

struct scenario *scenario_parse(const char *name, const char *text, size_t len,
                                struct sbuf *errors, unsigned *nerrors)
{
    struct scenario *sc = xcalloc(1, sizeof *sc);
    struct known known = {0};
    bool titled = false;
    unsigned bad = 0;
    int lineno = 0;
    size_t cap = 0;
    bool pending_step = false, had_command = false;

    sc->dir = dir_of(name);
    sc->name = display_name(name);
    name = sc->name;
    sc->steps = 1;
    if (!is_text(name, text, len, errors, &bad))
        len = 0;
    for (size_t pos = 0; pos < len;) {
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;
        pos += n + (nl != NULL);
        lineno++;

        char *copy = xmalloc(n + 1);
        memcpy(copy, start, n);
        copy[n] = '\0';

        struct cmd_line l;
        struct parse_error err;
        parse_error_init(&err);
        if (cmd_parse(copy, &l, &err) < 0) {
            report(errors, &bad, name, lineno, err.col, sbuf_str(&err.msg));
        } else if (l.cmd.name) {
            struct sbuf msg = {0};
            int col = check_context(&l, &known, &titled, &msg);
            if (msg.len) {
                report(errors, &bad, name, lineno, col, sbuf_str(&msg));
                cmd_line_free(&l);
            } else {
                if (l.cmd.flags & CMD_TITLE)
                    sc->title = xstrdup(l.tok[1].text);
                /* A segment is a run of commands; steps separate segments. */
                if (l.cmd.flags & CMD_STEP) {
                    pending_step = true;
                } else {
                    if (pending_step && had_command)
                        sc->steps++;
                    pending_step = false;
                    had_command = true;
                }
                if (sc->n == cap) {
                    cap = cap ? cap * 2 : 32;
                    sc->lines = xrealloc(sc->lines, cap * sizeof *sc->lines);
                }
                sc->lines[sc->n].cmd = l;
                sc->lines[sc->n].cmd.dir = sc->dir;
                sc->lines[sc->n].cmd.origin = knob_origin(FROM_SCENARIO, sc->name, lineno, 0);
                sc->lines[sc->n++].lineno = lineno;
            }
            sbuf_free(&msg);
        }
        parse_error_free(&err);
        free(copy);
    }
    known_free(&known);
    *nerrors = bad;
    if (bad) {
        scenario_free(sc);
        return NULL;
    }
    return sc;
}

struct scenario *scenario_load(const char *path, struct sbuf *errors, unsigned *nerrors)
{
    /* Non-blocking, then checked: a FIFO named *.scn must not hang the menu. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    char *shown = display_name(path);
    *nerrors = 0;
    if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        fd = -1;
        errno = EINVAL;
        sbuf_printf(errors, "%s: error: not a regular file\n", shown);
        *nerrors = 1;
        free(shown);
        return NULL;
    }
    FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
    if (!f) {
        sbuf_printf(errors, "%s: error: cannot open: %s\n", shown, strerror(errno));
        if (fd >= 0)
            close(fd);
        *nerrors = 1;
        free(shown);
        return NULL;
    }
    char *buf = xmalloc(SCENARIO_MAX_BYTES + 1);
    size_t len = fread(buf, 1, SCENARIO_MAX_BYTES + 1, f);
    bool failed = ferror(f);
    int e = errno;
    fclose(f);
    struct scenario *sc = NULL;
    if (failed) {
        sbuf_printf(errors, "%s: error: cannot read: %s\n", shown, strerror(e));
        *nerrors = 1;
    } else if (len > SCENARIO_MAX_BYTES) {
        sbuf_printf(errors, "%s: error: larger than %d bytes; is this a scenario file?\n", shown,
                    SCENARIO_MAX_BYTES);
        *nerrors = 1;
    } else {
        sc = scenario_parse(path, buf, len, errors, nerrors);
    }
    free(buf);
    free(shown);
    return sc;
}

void scenario_free(struct scenario *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->n; i++)
        cmd_line_free(&sc->lines[i].cmd);
    free(sc->lines);
    free(sc->name);
    free(sc->dir);
    free(sc->title);
    free(sc);
}

const char *scenario_name(const struct scenario *sc) { return sc->name; }
const char *scenario_title(const struct scenario *sc) { return sc->title ? sc->title : ""; }
void scenario_server_config(struct server_config *cfg)
{
    cfg->data_preview = 32;
    cfg->knobs.rcvbuf = 65536; /* the kernel doubles it: 128 KiB, about its usual start */
    cfg->origin[KNOB_RCVBUF] = knob_origin(FROM_LESSON, NULL, 0, 0);
    /* The echo lessons' send queue: fixed, so a slow reader fills it the
     * same way every run (32 KiB once the kernel doubles it). */
    cfg->sndbuf = 16384;
}

unsigned scenario_steps(const struct scenario *sc) { return sc->steps; }
unsigned scenario_step(const struct scenario *sc) { return sc->step; }
static bool is_step_line(const struct scenario *sc, size_t i)
{
    return sc->lines[i].cmd.cmd.flags & CMD_STEP;
}

bool scenario_done(const struct scenario *sc)
{
    if (sc->in_step)
        return false;
    size_t pc = sc->pc;
    while (pc < sc->n && is_step_line(sc, pc))
        pc++;
    return pc >= sc->n;
}
unsigned scenario_runtime_errors(const struct scenario *sc) { return sc->runtime_errors; }

/* Runs the current step's lines while the engine has no job; a line that
 * leaves one (a long tick) pauses the step until the job is done. */
static void run_lines(struct scenario *sc, struct engine *e)
{
    const struct trace *t = engine_trace(e);
    struct sbuf err = {0};

    while (sc->in_step && !engine_busy(e)) {
        if (sc->pc >= sc->n || is_step_line(sc, sc->pc)) {
            sc->in_step = false;
            if (sc->pc < sc->n)
                sc->pc++;
            break;
        }
        const struct scenario_line *l = &sc->lines[sc->pc++];
        sbuf_reset(&err);
        if (cmd_exec(e, &l->cmd, &err) < 0) {
            sc->runtime_errors++;
            trace_emit(t, TRACE_ERROR, "%s:%d: error: %s", sc->name, l->lineno, sbuf_str(&err));
        }
    }
    sbuf_free(&err);
}

void scenario_next(struct scenario *sc, struct engine *e)
{
    if (sc->in_step)
        return;
    while (sc->pc < sc->n && is_step_line(sc, sc->pc))
        sc->pc++;
    if (sc->pc >= sc->n)
        return;
    sc->step++;
    sc->in_step = true;
    engine_step_begin(e);
    trace_emit(engine_trace(e), TRACE_SCRIPT, "--- step %u of %u ---", sc->step, sc->steps);
    run_lines(sc, e);
}

bool scenario_in_step(const struct scenario *sc)
{
    return sc->in_step;
}

void scenario_continue(struct scenario *sc, struct engine *e)
{
    run_lines(sc, e);
}

void scenario_stop(struct scenario *sc, struct engine *e)
{
    engine_job_stop(e);
    if (!sc->in_step)
        return;
    unsigned skipped = 0;
    while (sc->pc < sc->n && !is_step_line(sc, sc->pc)) {
        sc->pc++;
        skipped++;
    }
    if (sc->pc < sc->n)
        sc->pc++;
    sc->in_step = false;
    if (skipped)
        trace_emit(engine_trace(e), TRACE_SCRIPT, "stopped: the step's last %u line%s not run",
                   skipped, skipped == 1 ? "" : "s");
}

bool scenario_advance(struct scenario *sc, struct engine *e)
{
    if (engine_busy(e))
        engine_work(e, ENGINE_SLICE_NS);
    else if (sc->in_step)
        run_lines(sc, e);
    else
        scenario_next(sc, e);
    return !scenario_done(sc) || sc->in_step || engine_busy(e);
}

void scenario_run(struct scenario *sc, struct engine *e)
{
    while (scenario_advance(sc, e))
        ;
}
