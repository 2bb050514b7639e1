/*
 * cmdlines.h - command lines that arrive in pieces (headless free play's
 * standard input: a terminal's lines, or a pipe's bytes), split into
 * lines and each run through the command table on an engine, as a line
 * typed at the TUI's prompt is (its knobs' origin: the prompt).
 *
 * What a command prints (help, show knobs) and every error go to the
 * engine's trace; an error reads NAME:LINE:COL: error: what, as in a
 * scenario.  A line longer than CMDLINES_MAX bytes (its CR aside), or
 * one that holds a NUL byte, is an error that names it, and is not run:
 * never cut short into another command.
 */
#ifndef EPOLLVIZ_CMDLINES_H
#define EPOLLVIZ_CMDLINES_H

#include <stddef.h>

#include "engine.h"

#define CMDLINES_MAX 4096

struct cmdlines;

/* `name` names the input in errors ("stdin"); it is copied. */
struct cmdlines *cmdlines_new(const char *name);
void cmdlines_free(struct cmdlines *c);

/* Takes n more bytes; runs each line they complete on e (a trailing CR
 * is dropped).  Bytes of an unfinished line wait for the next call. */
void cmdlines_feed(struct cmdlines *c, struct engine *e, const char *bytes, size_t n);
/* The input ended: a last line without its newline runs as if it had one. */
void cmdlines_end(struct cmdlines *c, struct engine *e);

#endif
