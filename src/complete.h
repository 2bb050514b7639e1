/*
 * complete.h - what Tab may put at the cursor of a command line.
 *
 * Candidates come from the same places the commands take their words:
 * the command table, the knobs' values, the clients and connections of
 * the engine, expect's properties and the scenario files.  The prompt
 * (ui/prompt.c) hands them to readline; tests call this directly.
 */
#ifndef EPOLLVIZ_COMPLETE_H
#define EPOLLVIZ_COMPLETE_H

#include <stddef.h>

#include "engine.h"

struct completion {
    char **words; /* sorted, without duplicates, each malloc'd */
    size_t n;
    size_t start; /* byte offset in the line of the word being completed */
};

/* Candidates for the word that ends at `point` in `line`, those starting
 * with what is typed so far.  `dirs` (NULL-terminated) is where `load`
 * finds scenario files. */
void complete_line(struct engine *e, const char *const *dirs, const char *line, size_t point,
                   struct completion *out);
void completion_free(struct completion *c);

#endif
