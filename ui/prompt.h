/*
 * prompt.h - the `:` command prompt: GNU readline's callback interface,
 * fed the bytes that ncurses reads, drawn by the screen renderer.
 *
 * Readline's own terminal set-up, signal handlers and output are off: the
 * terminal belongs to ncurses, signals to the host loop's signalfd, and
 * the line is drawn from what our redisplay hook tells the presenter.
 * History persists in $XDG_STATE_HOME/epollviz/history (or
 * ~/.local/state/epollviz/history); INPUTRC is honoured as readline does.
 */
#ifndef EPOLLVIZ_PROMPT_H
#define EPOLLVIZ_PROMPT_H

#include <stdbool.h>

#include "presenter.h"

/* Once, before ncurses starts (so errors in an inputrc show on the plain
 * terminal): readline's settings and the history. */
void prompt_init(struct presenter *p);
/* At exit: readline torn down (the history is saved line by line). */
void prompt_shutdown(void);

/* Feeds one key from getch() while the presenter's prompt is open;
 * `next` is what getch returns right after an ESC (ERR if nothing), to
 * tell a bare ESC (cancel) from a Meta key.  Returns true if the screen
 * should be redrawn. */
bool prompt_key(int ch, int (*next)(void));
/* Ctrl-C: drop the line and close the prompt. */
void prompt_cancel(void);
/* Call after presenter keys: installs readline when the prompt opened. */
void prompt_sync(void);

#endif
