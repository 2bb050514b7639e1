/*
 * fuzz_options.c - libFuzzer target: the command line.
 *
 * The input is the arguments after the program's name, one per line (a
 * NUL byte ends an argument too; at most 64; an empty input is none).
 * options_parse must accept them or say what is wrong in one printable
 * line (main prints it to the terminal as it is), and give the same
 * answer when called again with the same words (the unit tests call it
 * many times in one process; getopt keeps state between calls).  When
 * the options ask for a server, one is opened on a free port with them
 * and closed: the listen address is the part of the command line that
 * reaches the kernel.
 *
 *   make fuzz FUZZ_TARGETS=options FUZZ_SECONDS=60
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "fuzz.h"
#include "options.h"

#define MAX_ARGS 64

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
    memcpy(text, data, size);
    text[size] = '\0';
    argv[argc++] = name;
    if (size)
        argv[argc++] = text;
    for (size_t k = 0; k < size; k++)
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
    if (ra < 0) {
        /* main() prints it as it is: one line, nothing a terminal obeys. */
        struct sbuf safe = {0};
        sbuf_add_sanitized(&safe, sbuf_str(&ea));
        if (ea.len == 0 || strcmp(sbuf_str(&safe), sbuf_str(&ea)) != 0)
            fuzz_fail("an error must be one printable line: '%s'", sbuf_str(&safe));
        sbuf_free(&safe);
    }

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
