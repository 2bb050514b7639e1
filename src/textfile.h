/*
 * textfile.h - writing a text file that a command names, safely.
 *
 * `dump FILE` writes where a scenario file or the prompt says.  A lesson
 * opened from the menu runs at once, so a planted symbolic link (or a
 * second hard link) beside it must not turn the write into an overwrite
 * of some other file.  The file is written only if it is, or becomes, a
 * regular file with one name, reached without following any link at its
 * last component; it is truncated only after that check.
 */
#ifndef EPOLLVIZ_TEXTFILE_H
#define EPOLLVIZ_TEXTFILE_H

#include <stddef.h>

#include "util.h"

/* Writes len bytes of text to path, replacing what was there.  With dir
 * (a scenario's directory), path is resolved beneath dir, and no component
 * of it may be a symbolic link; without, as given (relative to the
 * current directory).  Returns 0, or -1 with "cannot write PATH: why" in
 * err. */
int textfile_write(const char *dir, const char *path, const char *text, size_t len,
                   struct sbuf *err);

#endif
