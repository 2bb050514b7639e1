/*
 * util.c - allocation that cannot fail quietly, growable strings, escaping.
 */
#include "util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void (*fatal_hook)(void);

void fatal_set_hook(void (*hook)(void))
{
    fatal_hook = hook;
}

void fatal(const char *fmt, ...)
{
    va_list ap;

    if (fatal_hook) {
        void (*hook)(void) = fatal_hook;
        fatal_hook = NULL; /* a fatal inside the hook must not loop */
        hook();
    }
    fputs("epollviz: fatal: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(70); /* EX_SOFTWARE */
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        fatal("out of memory (%zu bytes)", n);
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        fatal("out of memory (%zu x %zu bytes)", count, size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        fatal("out of memory (%zu bytes)", n);
    return q;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

static void sbuf_reserve(struct sbuf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->s = xrealloc(b->s, cap);
    b->cap = cap;
    b->s[b->len] = '\0'; /* valid even if nothing is appended after all */
}

void sbuf_addn(struct sbuf *b, const char *s, size_t n)
{
    sbuf_reserve(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sbuf_add(struct sbuf *b, const char *s)
{
    sbuf_addn(b, s, strlen(s));
}

void sbuf_addc(struct sbuf *b, char c)
{
    sbuf_addn(b, &c, 1);
}

void sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    if (!fmt) /* also keeps gcc's sanitizer builds from seeing a NULL path */
        fatal("sbuf_vprintf: no format");
    /* Most lines fit in the room already there: format once, into it. */
    size_t room = b->cap > b->len ? b->cap - b->len : 0;
    va_copy(ap2, ap);
    int n = vsnprintf(room ? b->s + b->len : NULL, room, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        fatal("bad format string '%s'", fmt);
    if ((size_t)n >= room) {
        sbuf_reserve(b, (size_t)n);
        vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    }
    b->len += (size_t)n;
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

void sbuf_reset(struct sbuf *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
}

void sbuf_free(struct sbuf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

const char *sbuf_str(const struct sbuf *b)
{
    return b->s ? b->s : "";
}

size_t ascii_printable_span(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (p[n] >= 0x20 && p[n] < 0x7f)
        n++;
    return n;
}

/* Bytes that stand for themselves in escaped text. */
static int plain(unsigned char c)
{
    return c >= 0x20 && c < 0x7f && c != '\\' && c != '"';
}

void sbuf_add_escaped(struct sbuf *b, const void *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = data, *end = p + len;

    /* Client bytes are mostly text: copy each run of plain bytes at once
     * and escape only what lies between the runs. */
    sbuf_reserve(b, len);
    while (p < end) {
        const unsigned char *run = p;
        while (p < end && plain(*p))
            p++;
        if (p > run)
            sbuf_addn(b, (const char *)run, (size_t)(p - run));
        if (p == end)
            break;
        unsigned char c = *p++;
        char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
        size_t n = 2;
        switch (c) {
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        case '\\': esc[1] = '\\'; break;
        case '"': esc[1] = '"'; break;
        default: n = 4;
        }
        sbuf_addn(b, esc, n);
    }
}

int parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
    unsigned long long v = 0;

    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        unsigned d = (unsigned)(*s - '0');
        if (d > max || v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* The length of the sequence that lead byte c starts (0 if none) and the
 * range allowed for its second byte. */
static size_t utf8_lead(unsigned char c, unsigned char *lo, unsigned char *hi)
{
    *lo = 0x80, *hi = 0xbf;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return 2;
    if (c == 0xe0)
        return *lo = 0xa0, 3; /* no overlong forms */
    if (c == 0xed)
        return *hi = 0x9f, 3; /* no UTF-16 surrogates */
    if (c >= 0xe1 && c <= 0xef)
        return 3;
    if (c == 0xf0)
        return *lo = 0x90, 4;
    if (c >= 0xf1 && c <= 0xf3)
        return 4;
    if (c == 0xf4)
        return *hi = 0x8f, 4; /* nothing above U+10FFFF */
    return 0;
}

/* Whether the avail bytes at p follow the rules as far as they go. */
static bool utf8_prefix_ok(const unsigned char *p, size_t avail, unsigned char lo, unsigned char hi)
{
    if (avail > 1 && (p[1] < lo || p[1] > hi))
        return false;
    for (size_t i = 2; i < avail; i++)
        if ((p[i] & 0xc0) != 0x80)
            return false;
    return true;
}

size_t utf8_seq_len(const unsigned char *p, size_t avail)
{
    unsigned char lo, hi;
    if (avail == 0)
        return 0;
    size_t n = utf8_lead(p[0], &lo, &hi);
    if (n == 0 || avail < n || !utf8_prefix_ok(p, n, lo, hi))
        return 0;
    return n;
}

bool utf8_unfinished(const unsigned char *p, size_t avail)
{
    unsigned char lo, hi;
    if (avail == 0)
        return false;
    size_t n = utf8_lead(p[0], &lo, &hi);
    return n > avail && utf8_prefix_ok(p, avail, lo, hi);
}

int utf8_control(const unsigned char *p, size_t n)
{
    if (n == 1 && (p[0] < 0x20 || p[0] == 0x7f))
        return p[0];
    if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
        return p[1]; /* U+0080..U+009F: C1, e.g. the one-character CSI */
    return -1;
}

void sbuf_add_sanitized(struct sbuf *b, const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    for (;;) {
        /* Printable ASCII, nearly every byte of a transcript, in runs. */
        size_t run = ascii_printable_span((const char *)p);
        if (run)
            sbuf_addn(b, (const char *)p, run);
        p += run;
        if (!*p)
            return;
        /* A sequence is at most 4 bytes, and the NUL ends any of them. */
        size_t n = utf8_seq_len(p, strnlen((const char *)p, 4));
        if (n == 0 || utf8_control(p, n) >= 0) {
            sbuf_add_escaped(b, p, n ? n : 1);
            p += n ? n : 1;
            continue;
        }
        sbuf_addn(b, (const char *)p, n);
        p += n;
    }
}

void format_bytes(uint64_t n, char *buf, size_t len)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
    if (n < 1024) {
        snprintf(buf, len, "%llu B", (unsigned long long)n);
        return;
    }
    double v = (double)n / 1024;
    size_t u = 0;
    while (v >= 1024 && u + 1 < ARRAY_LEN(units)) {
        v /= 1024;
        u++;
    }
    if (v < 10 && (uint64_t)(v * 10) % 10)
        snprintf(buf, len, "%.1f %s", (double)(uint64_t)(v * 10) / 10, units[u]);
    else
        snprintf(buf, len, "%llu %s", (unsigned long long)v, units[u]);
}

void format_thousands(unsigned v, char *buf, size_t len)
{
    char digits[16];
    int n = snprintf(digits, sizeof digits, "%u", v);
    size_t o = 0;
    for (int i = 0; i < n && o + 2 < len; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    if (len)
        buf[o < len ? o : len - 1] = '\0';
}
