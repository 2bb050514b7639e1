/*
 * cast.h - an asciicast v2 writer: what asciinema plays.
 *
 * The first line is a JSON object (version 2, width, height, the start
 * as a Unix time, the environment's TERM and SHELL); every later line is
 * one event, `[seconds, "o", "bytes written to the terminal"]` or
 * `[seconds, "r", "COLSxROWS"]` for a resize.
 *
 * The bytes are written as JSON strings of valid UTF-8: `"`, `\` and the
 * control characters (C0, DEL, C1) as escapes (\u00XX), any other valid
 * UTF-8 as it is.  A multibyte character split across two writes is held
 * back until its end arrives, so no event carries half of one; a byte that
 * can start no valid sequence becomes U+FFFD, as asciinema decodes it.
 *
 * Call order: cast_new, then any cast_output / cast_resize, then
 * cast_finish (which writes what is still held back) and cast_free.  The
 * writer does not own the FILE.  Times are nanoseconds since the start,
 * given by the caller and expected never to go back.
 */
#ifndef EPOLLVIZ_CAST_H
#define EPOLLVIZ_CAST_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "util.h"

struct cast;

/* Writes the header line to out.  term and shell may be NULL (then null). */
struct cast *cast_new(FILE *out, unsigned cols, unsigned rows, time_t start, const char *term,
                      const char *shell);
/* One "o" event with the bytes (none if they only begin a character). */
void cast_output(struct cast *c, uint64_t t_ns, const void *data, size_t len);
/* One "r" event. */
void cast_resize(struct cast *c, uint64_t t_ns, unsigned cols, unsigned rows);
/* Writes what is held back and flushes: 0, or -1 with the first write
 * error of the whole recording in err ("No space left on device"). */
int cast_finish(struct cast *c, uint64_t t_ns, struct sbuf *err);
void cast_free(struct cast *c);

/* Appends data as the inside of a JSON string (no quotes), escaped as
 * above; *held (up to 3 bytes, *nheld of them) carries an unfinished
 * character from one call to the next.  For the writer and its tests. */
void cast_json_bytes(struct sbuf *out, unsigned char held[4], size_t *nheld, const void *data,
                     size_t len);

#endif
