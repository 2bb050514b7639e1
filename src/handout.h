/*
 * handout.h - a lesson as Markdown, to take home.
 *
 * `epollviz --handout LESSON` walks the lesson as --screens does (the
 * presenter the terminal UI drives, stepped by space) and writes, on
 * standard output:
 *
 *     # TITLE
 *     (the lesson's file, its steps, the size of the screens)
 *     ## How to run it live        (the command, in a fenced block)
 *     ## Step N of M               (per step: its narration, one paragraph
 *                                   each; its expects and their results;
 *                                   its screen, one fenced block per page
 *                                   of narration, at o->handout_size)
 *     ## The rule                  (every narration paragraph that starts
 *                                   with "Rule:")
 *
 * `epollviz --handout all DIR` writes one such file per lesson of the
 * first lesson directory that has any (DIR/NN-name.md) and DIR/index.md
 * linking them.  Identical from run to run but for the line of the screen
 * that shows the port.
 */
#ifndef EPOLLVIZ_HANDOUT_H
#define EPOLLVIZ_HANDOUT_H

#include <stdio.h>

#include "options.h"

/* o->scenario's handout to out.  Exit status as screens_main's: 0, 1 if an
 * expect failed (the handout is still written), 2 if the lesson does not
 * load. */
int handout_write(const struct options *o, FILE *out);

/* --handout all: every *.scn of the first directory of dirs (NULL-
 * terminated) that has any, into o->handout_dir (made if missing).  0, 1
 * if a lesson's expect failed, 2 if a file cannot be written or no lesson
 * was found; each problem said on stderr. */
int handout_all(const struct options *o, const char *const *dirs);

#endif
