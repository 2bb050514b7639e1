/*
 * bound.c - what the executing fuzz targets share (see fuzz.h): the
 * budget that keeps one input fast, the scratch directory, the checks.
 *
 * The budget is applied by rewriting command lines before they run, not
 * by limits inside the engine: the program's own limits (100,000 ticks,
 * 10,000 clients, 16 MiB a send) are right for a class and far too much
 * for thousands of inputs a second.
 */
#include "fuzz.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command.h"

#ifndef FUZZ_SCENARIO_DIR
#define FUZZ_SCENARIO_DIR "scenarios"
#endif

void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("fuzz: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

void fuzz_budget_init(struct fuzz_budget *b)
{
    b->ticks = FUZZ_TICKS;
    b->clients = FUZZ_CLIENTS;
    b->bytes = FUZZ_BYTES;
}

/* As much of `want` as one line and what is left allow; spent from *left. */
static unsigned long long take(unsigned long long want, unsigned long long per_line,
                               unsigned long long left_now, unsigned long long unit)
{
    unsigned long long n = want < per_line ? want : per_line;
    if (n > left_now / unit)
        n = left_now / unit;
    return n;
}

static unsigned long long number(const struct token *t)
{
    unsigned long long v = 0;
    parse_uint(t->text, ~0ull, &v); /* the command's check accepted it */
    return v;
}

/* A file the line may touch: in the scratch directory, or (for load)
 * below it, which reaches the lessons through the link. */
static bool path_allowed(const char *cmd, const struct token *t)
{
    const char *path = t->text;
    size_t n = strlen(path);
    if (strcmp(cmd, "dump") == 0)
        return !strchr(path, '/') && n > 4 && strcmp(path + n - 4, ".txt") == 0;
    return path[0] != '/' && !strstr(path, "..");
}

int fuzz_bound_line(struct fuzz_budget *b, const char *text, unsigned clients_now,
                    struct sbuf *out)
{
    struct cmd_line l;
    struct parse_error err;
    int go = 1;

    sbuf_reset(out);
    parse_error_init(&err);
    if (cmd_parse(text, &l, &err) < 0 || !l.cmd.name) {
        parse_error_free(&err);
        sbuf_add(out, text);
        return 1;
    }
    parse_error_free(&err);

    const char *name = l.cmd.name;
    unsigned long long want = 0, got = 0;
    int count_tok = -1; /* the token that holds the count, to rewrite */
    if (strcmp(name, "tick") == 0) {
        count_tok = 1;
        want = l.ntok > 1 ? number(&l.tok[1]) : 1;
        got = take(want, FUZZ_TICKS_PER_LINE, b->ticks, 1);
        b->ticks -= (unsigned)got;
    } else if (strcmp(name, "connect") == 0) {
        /* All or nothing: fewer members would rename them (w.3 of 3). */
        want = l.ntok > 2 ? number(&l.tok[2]) : 1;
        got = take(want, FUZZ_CLIENTS_PER_LINE, b->clients, 1) == want ? want : 0;
        b->clients -= (unsigned)got;
    } else if (strcmp(name, "send") == 0) {
        /* It may name every client there is (a group, or a prefix). */
        unsigned long long members = clients_now ? clients_now : 1;
        const struct token *what = &l.tok[2];
        want = what->quoted ? what->len : number(what);
        got = take(want, FUZZ_BYTES_PER_LINE, b->bytes, members);
        if (what->quoted && got < want)
            got = 0; /* a text is sent whole or not at all */
        else if (!what->quoted)
            count_tok = 2;
        b->bytes -= (size_t)(got * members);
    } else if (strcmp(name, "dump") == 0 || strcmp(name, "load") == 0) {
        want = 1;
        got = path_allowed(name, &l.tok[1]);
    }

    if (want > 0 && got == 0)
        go = 0;
    else if (got < want) {
        /* Names and counts are plain words: joined again, they parse the same. */
        for (int i = 0; i < count_tok; i++)
            sbuf_printf(out, "%s ", l.tok[i].text);
        sbuf_printf(out, "%llu", got);
    } else {
        sbuf_add(out, text);
    }
    cmd_line_free(&l);
    return go;
}

/* ---- the scratch directory --------------------------------------------- */

static char scratch_dir[64];
static int home_fd = -1;

static void scratch_remove(void)
{
    if (!scratch_dir[0])
        return;
    DIR *d = opendir(scratch_dir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            unlinkat(dirfd(d), de->d_name, 0);
    }
    if (d)
        closedir(d);
    rmdir(scratch_dir);
}

const char *fuzz_scenario_dir(void)
{
    return FUZZ_SCENARIO_DIR;
}

void fuzz_scratch(int leave)
{
    if (leave) {
        if (home_fd >= 0 && fchdir(home_fd) < 0)
            fuzz_fail("cannot go back to the starting directory");
        return;
    }
    if (!scratch_dir[0]) {
        char link[128];
        snprintf(scratch_dir, sizeof scratch_dir, "/tmp/epollviz-fuzz.XXXXXX");
        if (!mkdtemp(scratch_dir))
            fuzz_fail("cannot make a scratch directory");
        atexit(scratch_remove);
        snprintf(link, sizeof link, "%s/scenarios", scratch_dir);
        if (symlink(fuzz_scenario_dir(), link) < 0)
            fuzz_fail("cannot link %s to %s", link, fuzz_scenario_dir());
        home_fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (home_fd < 0)
            fuzz_fail("cannot open the starting directory");
    }
    if (chdir(scratch_dir) < 0)
        fuzz_fail("cannot enter %s", scratch_dir);
}

void fuzz_check_grid(const struct grid *g)
{
    struct sbuf why = {0};
    if (grid_check(g, &why) < 0)
        fuzz_fail("a frame breaks the grid's promise: %s", sbuf_str(&why));
    sbuf_free(&why);
}
