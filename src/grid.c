/*
 * grid.c - cells, clipping and the plain-text form of the screen.
 */
#include "grid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void grid_init(struct grid *g, int w, int h)
{
    g->w = w > 0 ? w : 0;
    g->h = h > 0 ? h : 0;
    g->ascii = false;
    g->cells = xcalloc((size_t)g->w * (size_t)g->h + 1, sizeof *g->cells);
    grid_clear(g);
}

void grid_free(struct grid *g)
{
    free(g->cells);
    g->cells = NULL;
    g->w = g->h = 0;
}

void grid_clear(struct grid *g)
{
    for (int i = 0; i < g->w * g->h; i++) {
        g->cells[i].ch[0] = ' ';
        g->cells[i].ch[1] = '\0';
        g->cells[i].role = ROLE_TEXT;
    }
}

struct cell *grid_at(struct grid *g, int x, int y)
{
    if (x < 0 || y < 0 || x >= g->w || y >= g->h)
        return NULL;
    return &g->cells[y * g->w + x];
}

static uint32_t decode(const unsigned char *p, size_t n)
{
    if (n == 1)
        return p[0];
    uint32_t cp = p[0] & (0x7f >> n);
    for (size_t i = 1; i < n; i++)
        cp = cp << 6 | (p[i] & 0x3f);
    return cp;
}

/* Display width of a code point: 0 for combining marks and zero-width
 * characters, 2 for East Asian wide ones and emoji, 1 otherwise.  Our own
 * table rather than wcwidth(), so layout does not depend on the locale. */
static int cp_width(uint32_t cp)
{
    if ((cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x200b && cp <= 0x200f) ||
        (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0xfe00 && cp <= 0xfe0f) || cp == 0xfeff ||
        cp == 0x3099 || cp == 0x309a)
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp != 0x303f) ||
        (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
        (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
        (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
        (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd))
        return 2;
    return 1;
}

/* The next character of text: its byte length (>= 1) and width.  Bytes
 * that are not printable UTF-8 come back as one '?' of width 1. */
static size_t next_char(const char *text, const char **shown, int *width)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t n = utf8_seq_len(p, strnlen(text, 4));
    if (n == 0 || utf8_control(p, n) >= 0) {
        *shown = NULL;
        *width = 1;
        return n ? n : 1;
    }
    *shown = text;
    *width = cp_width(decode(p, n));
    return n;
}

/* As next_char, for a grid that may only hold ASCII. */
static size_t next_cell(const struct grid *g, const char *text, const char **shown, int *width)
{
    size_t n = next_char(text, shown, width);
    if (g->ascii && n > 1) {
        *shown = NULL; /* shown as '?' */
        *width = 1;
    }
    return n;
}

int text_width(const char *text)
{
    int w = 0, cw;
    const char *shown;
    while (*text) {
        text += next_char(text, &shown, &cw);
        w += cw;
    }
    return w;
}

/* Before (x, y) is overwritten: a double-width character it is half of
 * must not survive as half a character, so the other half becomes blank. */
static void unpair(struct grid *g, int x, int y)
{
    struct cell *c = grid_at(g, x, y);
    if (!c)
        return;
    struct cell *left = grid_at(g, x - 1, y), *right = grid_at(g, x + 1, y);
    if (c->ch[0] == '\0' && left)
        strcpy(left->ch, " ");
    else if (right && right->ch[0] == '\0')
        strcpy(right->ch, " ");
}

int grid_put(struct grid *g, int x, int y, enum role r, const char *text)
{
    if (y < 0 || y >= g->h)
        return x;
    while (*text && x < g->w) {
        const char *shown;
        int cw;
        size_t n = next_cell(g, text, &shown, &cw);
        if (cw == 0) {
            /* A combining mark joins the character before it (the left
             * half, after a double-width one). */
            struct cell *prev = grid_at(g, x - 1, y);
            if (prev && prev->ch[0] == '\0')
                prev = grid_at(g, x - 2, y);
            if (prev && strlen(prev->ch) + n < sizeof prev->ch)
                strncat(prev->ch, text, n);
        } else if (x + cw > g->w) {
            break; /* a wide character that does not fit */
        } else if (x >= 0) {
            struct cell *c = grid_at(g, x, y);
            unpair(g, x, y);
            if (cw == 2)
                unpair(g, x + 1, y);
            if (shown) {
                memcpy(c->ch, shown, n);
                c->ch[n] = '\0';
            } else {
                strcpy(c->ch, "?");
            }
            c->role = (uint8_t)r;
            if (cw == 2) {
                c[1].ch[0] = '\0';
                c[1].role = (uint8_t)r;
            }
        }
        x += cw;
        text += n;
    }
    return x;
}

int grid_putf(struct grid *g, int x, int y, enum role r, const char *fmt, ...)
{
    struct sbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sbuf_vprintf(&b, fmt, ap);
    va_end(ap);
    x = grid_put(g, x, y, r, sbuf_str(&b));
    sbuf_free(&b);
    return x;
}

int grid_put_clip(struct grid *g, int x, int y, int width, enum role r, const char *text,
                  const char *ellipsis)
{
    if (width <= 0)
        return x;
    if (text_width(text) <= width)
        return grid_put(g, x, y, r, text);
    int ew = text_width(ellipsis);
    if (ew > width)
        ellipsis = ""; /* no room to say it was cut */
    ew = text_width(ellipsis);
    int room = width - ew, used = 0;
    const char *p = text;
    while (*p) {
        const char *shown;
        int cw;
        size_t n = next_char(p, &shown, &cw);
        if (used + cw > room)
            break;
        used += cw;
        p += n;
    }
    struct sbuf b = {0};
    sbuf_addn(&b, text, (size_t)(p - text));
    sbuf_add(&b, ellipsis);
    int end = grid_put(g, x, y, r, sbuf_str(&b));
    sbuf_free(&b);
    return end;
}

void grid_fill(struct grid *g, int x, int y, int n, enum role r, const char *ch)
{
    for (int i = 0; i < n; i++)
        grid_put(g, x + i, y, r, ch);
}

void grid_paint(struct grid *g, int x, int y, int n, enum role r)
{
    for (int i = 0; i < n; i++) {
        struct cell *c = grid_at(g, x + i, y);
        if (c)
            c->role = (uint8_t)r;
    }
}

void grid_row_text(const struct grid *g, int y, struct sbuf *out)
{
    size_t start = out->len;
    size_t keep = start;
    for (int x = 0; x < g->w; x++) {
        const struct cell *c = &g->cells[y * g->w + x];
        sbuf_add(out, c->ch);
        if (strcmp(c->ch, " ") != 0)
            keep = out->len;
    }
    out->len = keep;
    if (out->s)
        out->s[keep] = '\0';
}

void grid_text(const struct grid *g, struct sbuf *out)
{
    for (int y = 0; y < g->h; y++) {
        grid_row_text(g, y, out);
        sbuf_addc(out, '\n');
    }
}

void grid_blit(struct grid *g, int x, int y, const struct grid *src)
{
    for (int r = 0; r < src->h; r++)
        for (int c = 0; c < src->w; c++) {
            struct cell *d = grid_at(g, x + c, y + r);
            if (d)
                *d = src->cells[r * src->w + c];
        }
}
