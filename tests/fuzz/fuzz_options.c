/*
 * fuzz_options.c - libFuzzer target: the command line.
 *
 * The input is the arguments after the program's name, one per line (a
 * NUL byte ends an argument too; at most 64; an empty input is none), and
 * after a line "%%", if there is one, the startup file.  options_parse
 * must accept the words or say what is wrong in one printable line (main
 * prints it to the terminal as it is), and give the same answer when
 * called again with the same words (the unit tests call it many times in
 * one process; getopt keeps state between calls).  Then, as main does,
 * the startup file is read (from the scratch directory: never the user's
 * own), each error a printable line.  When the settings ask for a server,
 * one is opened on a free port with them and closed: the listen address
 * is the part of them that reaches the kernel.
 *
 *   make fuzz FUZZ_TARGETS=options FUZZ_SECONDS=60
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "fuzz.h"
#include "options.h"
#include "startup.h"

#define MAX_ARGS 64

/* Text for a terminal as it is: nothing in it is escaped by the last guard. */
static void printable(const char *what, const struct sbuf *text)
{
    struct sbuf safe = {0};
    for (const char *line = sbuf_str(text); *line;) {
        size_t n = strcspn(line, "\n");
        sbuf_reset(&safe);
        char *copy = xmalloc(n + 1);
        memcpy(copy, line, n);
        copy[n] = '\0';
        sbuf_add_sanitized(&safe, copy);
        if (strcmp(sbuf_str(&safe), copy) != 0)
            fuzz_fail("%s must be printable: '%s'", what, sbuf_str(&safe));
        free(copy);
        line += n + (line[n] == '\n');
    }
    sbuf_free(&safe);
}

/* The startup file `rc` (n bytes) read into o as main reads it. */
static void startup(const char *rc, size_t n, struct options *o)
{
    struct sbuf err = {0};
    fuzz_scratch(0);
    FILE *f = fopen("epollvizrc", "wb");
    if (!f || fwrite(rc, 1, n, f) != n || fclose(f) != 0)
        fuzz_fail("cannot write the startup file");
    if (startup_read("epollvizrc", o, &err) < 0 && err.len == 0)
        fuzz_fail("the startup file failed without a word");
    printable("a startup file's error", &err);
    fuzz_scratch(1);
    sbuf_free(&err);
}

/* The arguments' length: up to a line "%%", if there is one; the startup
 * file then starts at *rc_at (SIZE_MAX: there is none). */
static size_t split(const uint8_t *data, size_t size, size_t *rc_at)
{
    *rc_at = SIZE_MAX;
    for (size_t k = 0; k + 2 <= size; k++)
        if ((k == 0 || data[k - 1] == '\n') && data[k] == '%' && data[k + 1] == '%' &&
            (k + 2 == size || data[k + 2] == '\n')) {
            *rc_at = k + 2 < size ? k + 3 : size;
            return k ? k - 1 : 0; /* without the newline before "%%" */
        }
    return size;
}

static void parse(int argc, char **argv, struct options *o, struct sbuf *err, int *rc)
{
    char **copy = xmalloc(((size_t)argc + 1) * sizeof *copy);
    /* getopt_long permutes argv: each call gets the words in their order. */
    memcpy(copy, argv, ((size_t)argc + 1) * sizeof *copy);
    *rc = options_parse(argc, copy, o, err);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = xmalloc(size + 1);
    char *argv[MAX_ARGS + 2];
    int argc = 0;

    static char name[] = "epollviz";
    size_t rc_at, nargs = split(data, size, &rc_at);
    const char *rc = rc_at <= size ? (const char *)data + rc_at : NULL;
    size_t nrc = rc ? size - rc_at : 0;
    memcpy(text, data, nargs);
    text[nargs] = '\0';
    argv[argc++] = name;
    if (nargs)
        argv[argc++] = text;
    for (size_t k = 0; k < nargs; k++)
        if (text[k] == '\n' || text[k] == '\0') {
            text[k] = '\0';
            if (argc <= MAX_ARGS)
                argv[argc++] = text + k + 1;
        }
    argv[argc] = NULL;

    struct options a, b;
    struct sbuf ea = {0}, eb = {0};
    int ra, rb;
    parse(argc, argv, &a, &ea, &ra);
    parse(argc, argv, &b, &eb, &rb);
    if (ra != rb || strcmp(sbuf_str(&ea), sbuf_str(&eb)) != 0 || (ra == 0 && a.action != b.action))
        fuzz_fail("options_parse twice on the same words: %d '%s' (action %d), then %d '%s' (action %d)",
                  ra, sbuf_str(&ea), a.action, rb, sbuf_str(&eb), b.action);
    if (ra < 0 && (ea.len == 0 || strchr(sbuf_str(&ea), '\n')))
        fuzz_fail("an error must be one line: '%s'", sbuf_str(&ea));
    printable("an error on the command line", &ea);

    if (ra == 0 && rc && (a.action == ACTION_RUN || a.action == ACTION_KNOBS))
        startup(rc, nrc, &a);
    if (ra == 0 && a.action == ACTION_RUN) {
        struct sbuf err = {0};
        a.server.port = 0;
        struct engine *e = a.compare ? engine_new_compare(&a.server, a.compare_modes, NULL, &err)
                                     : engine_new(&a.server, NULL, &err);
        engine_free(e);
        sbuf_free(&err);
    }
    sbuf_free(&ea);
    sbuf_free(&eb);
    free(text);
    return 0;
}
