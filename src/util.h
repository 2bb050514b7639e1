/*
 * util.h - memory, growable strings and byte escaping shared by every module.
 *
 * Out-of-memory is a bug-class failure here: the x* allocators call fatal(),
 * which reports and exits.  Nothing in this header can fail otherwise.
 */
#ifndef EPOLLVIZ_UTIL_H
#define EPOLLVIZ_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Runs first in fatal(): a terminal front end restores the terminal there
 * so the message lands on a sane screen. */
void fatal_set_hook(void (*hook)(void));

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* A NUL-terminated, growable string.  Zero-initialise, then append. */
struct sbuf {
    char *s;
    size_t len;
    size_t cap;
};

void sbuf_add(struct sbuf *b, const char *s);
void sbuf_addn(struct sbuf *b, const char *s, size_t n);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void sbuf_reset(struct sbuf *b);
void sbuf_free(struct sbuf *b);
/* Returns the string (never NULL; "" when empty). */
const char *sbuf_str(const struct sbuf *b);

/*
 * Appends bytes from a client as printable ASCII: printable characters stay,
 * backslash and double quote are escaped, \n \r \t by name, everything else
 * (controls, ESC, DEL, every byte >= 0x80) as \xHH.  The output can never
 * carry a terminal control sequence.
 */
void sbuf_add_escaped(struct sbuf *b, const void *data, size_t len);

/* Length of the well-formed UTF-8 sequence (RFC 3629) at p within `avail`
 * bytes, or 0 if there is none: overlong forms, surrogates and code points
 * above U+10FFFF are rejected. */
size_t utf8_seq_len(const unsigned char *p, size_t avail);

/* Whether the avail bytes at p begin a well-formed sequence that needs
 * more bytes than that (a character cut short, not a wrong one). */
bool utf8_unfinished(const unsigned char *p, size_t avail);

/* The control character (C0, DEL or C1) that the n-byte sequence at p
 * encodes, or -1 if it is not one. */
int utf8_control(const unsigned char *p, size_t n);

/* Appends text for a terminal: valid, printable UTF-8 stays as it is;
 * control characters (C0, DEL, C1) and invalid bytes become \xHH. */
void sbuf_add_sanitized(struct sbuf *b, const char *text);

/* "0 B", "48 B", "1.5 KiB", "128 KiB", "3.2 MiB" */
void format_bytes(uint64_t n, char *buf, size_t len);
/* 31200 -> "31,200": a count a class reads from the back of the room. */
void format_thousands(unsigned v, char *buf, size_t len);

/* Length of the prefix of s made of printable ASCII (0x20..0x7e): where
 * it is the whole string, the string is safe for a terminal as it is. */
size_t ascii_printable_span(const char *s);

/* strtoull for a whole token of decimal digits; returns 0 on success. */
int parse_uint(const char *s, unsigned long long max, unsigned long long *out);

#endif
