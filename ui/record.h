/*
 * record.h - `--record FILE`: the terminal UI as an asciicast v2 file.
 *
 * ncurses writes to its terminal with write(2) on a file descriptor, not
 * through its FILE, so the bytes cannot be caught on their way out of the
 * process.  Instead the TUI runs on a pseudo-terminal, in a child process
 * that is otherwise the same program, and this process passes everything
 * it writes on to the real terminal as it comes (unchanged: the real
 * terminal is raw meanwhile) and into FILE (src/cast.c).  Keys, resizes and
 * the signals sent to this process go the other way.  So the recording is
 * exactly what the terminal was sent, and nothing else.
 */
#ifndef EPOLLVIZ_RECORD_H
#define EPOLLVIZ_RECORD_H

/* What record_start returns in the child. */
#define RECORD_CHILD (-1)

/* Call with a terminal on standard input and output, before anything is
 * drawn.  Creates FILE; if it cannot, says why on stderr and returns 2 with
 * nothing started.  Then forks: in the child, whose standard input and
 * output (and standard error, if it was the terminal) are now the
 * pseudo-terminal, returns RECORD_CHILD, and the caller runs the TUI and
 * exits with its status.  In the parent, relays until the child is gone
 * and returns the child's exit status (1 if it was 0 but FILE could not
 * be written, which is then said on stderr). */
int record_start(const char *path);

#endif
