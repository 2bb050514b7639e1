/*
 * cast.c - asciicast v2 lines: a header, then one JSON array per event.
 *
 * What the terminal was sent goes into JSON strings unchanged except for
 * the escapes JSON needs (and escapes for every control character, so a
 * file shown with cat cannot drive the terminal).  Each event is flushed
 * at once: the file is whole up to the last frame even if the process is
 * killed, and a test can replay it while the session goes on.
 */
#include "cast.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct cast {
    FILE *out;
    unsigned char held[4]; /* the start of a character split across writes */
    size_t nheld;
    int error; /* the first errno of a failed write, or 0 */
    struct sbuf line;
};

static void json_bytes(struct sbuf *out, const unsigned char *p, size_t len, unsigned char held[4],
                       size_t *nheld)
{
    size_t i = 0;
    while (i < len) {
        size_t n = utf8_seq_len(p + i, len - i);
        if (n == 0) {
            if (utf8_unfinished(p + i, len - i)) {
                memcpy(held, p + i, len - i);
                *nheld = len - i;
                return;
            }
            sbuf_add(out, "\xef\xbf\xbd"); /* U+FFFD */
            i++;
            continue;
        }
        int ctl = utf8_control(p + i, n);
        if (ctl >= 0)
            sbuf_printf(out, "\\u%04x", (unsigned)ctl);
        else if (p[i] == '"' || p[i] == '\\')
            sbuf_printf(out, "\\%c", p[i]);
        else
            sbuf_addn(out, (const char *)p + i, n);
        i += n;
    }
}

void cast_json_bytes(struct sbuf *out, unsigned char held[4], size_t *nheld, const void *data,
                     size_t len)
{
    if (*nheld == 0) {
        json_bytes(out, data, len, held, nheld);
        return;
    }
    /* Rare (a character cut at a write's end): join the two. */
    unsigned char *joined = xmalloc(*nheld + len);
    memcpy(joined, held, *nheld);
    memcpy(joined + *nheld, data, len);
    size_t n = *nheld + len;
    *nheld = 0;
    json_bytes(out, joined, n, held, nheld);
    free(joined);
}

/* A JSON string of text from the environment, or null. */
static void json_string(struct sbuf *out, const char *s)
{
    if (!s) {
        sbuf_add(out, "null");
        return;
    }
    unsigned char held[4];
    size_t nheld = 0;
    sbuf_addc(out, '"');
    json_bytes(out, (const unsigned char *)s, strlen(s), held, &nheld);
    if (nheld)
        sbuf_add(out, "\xef\xbf\xbd");
    sbuf_addc(out, '"');
}

static void put_line(struct cast *c)
{
    sbuf_addc(&c->line, '\n');
    if ((fwrite(c->line.s, 1, c->line.len, c->out) != c->line.len || fflush(c->out) != 0) &&
        !c->error)
        c->error = errno ? errno : EIO;
    sbuf_reset(&c->line);
}

static void time_of(struct sbuf *b, uint64_t t_ns)
{
    sbuf_printf(b, "[%llu.%06llu, ", (unsigned long long)(t_ns / 1000000000u),
                (unsigned long long)(t_ns % 1000000000u / 1000u));
}

struct cast *cast_new(FILE *out, unsigned cols, unsigned rows, time_t start, const char *term,
                      const char *shell)
{
    struct cast *c = xcalloc(1, sizeof *c);
    c->out = out;
    sbuf_printf(&c->line, "{\"version\": 2, \"width\": %u, \"height\": %u, \"timestamp\": %lld, ",
                cols, rows, (long long)start);
    sbuf_add(&c->line, "\"env\": {\"TERM\": ");
    json_string(&c->line, term);
    sbuf_add(&c->line, ", \"SHELL\": ");
    json_string(&c->line, shell);
    sbuf_add(&c->line, "}}");
    put_line(c);
    return c;
}

void cast_output(struct cast *c, uint64_t t_ns, const void *data, size_t len)
{
    time_of(&c->line, t_ns);
    sbuf_add(&c->line, "\"o\", \"");
    size_t before = c->line.len;
    cast_json_bytes(&c->line, c->held, &c->nheld, data, len);
    if (c->line.len == before) { /* only the start of a character */
        sbuf_reset(&c->line);
        return;
    }
    sbuf_add(&c->line, "\"]");
    put_line(c);
}

void cast_resize(struct cast *c, uint64_t t_ns, unsigned cols, unsigned rows)
{
    time_of(&c->line, t_ns);
    sbuf_printf(&c->line, "\"r\", \"%ux%u\"]", cols, rows);
    put_line(c);
}

int cast_finish(struct cast *c, uint64_t t_ns, struct sbuf *err)
{
    if (c->nheld) { /* the output ended inside a character */
        c->nheld = 0;
        time_of(&c->line, t_ns);
        sbuf_add(&c->line, "\"o\", \"\xef\xbf\xbd\"]");
        put_line(c);
    }
    if (c->error) {
        sbuf_add(err, strerror(c->error));
        return -1;
    }
    return 0;
}

void cast_free(struct cast *c)
{
    if (!c)
        return;
    sbuf_free(&c->line);
    free(c);
}
