/*
 * grid.c - cells, clipping and the plain-text form of the screen.
 */
#include "grid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int screen_size_parse(const char *text, int *w, int *h, struct sbuf *err)
{
    unsigned long long cols, rows;
    const char *x = strchr(text, 'x');
    char num[8];
    size_t n = x ? (size_t)(x - text) : 0;

    if (x && n < sizeof num) {
        memcpy(num, text, n);
        num[n] = '\0';
        if (parse_uint(num, SCREEN_MAX_W, &cols) == 0 &&
            parse_uint(x + 1, SCREEN_MAX_H, &rows) == 0 && cols >= SCREEN_MIN_W &&
            rows >= SCREEN_MIN_H) {
            *w = (int)cols;
            *h = (int)rows;
            return 0;
        }
    }
    sbuf_printf(err, "expected a size COLSxROWS from %dx%d to %dx%d, found '%s'", SCREEN_MIN_W,
                SCREEN_MIN_H, SCREEN_MAX_W, SCREEN_MAX_H, text);
    return -1;
}

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

/* Code points shown two columns wide: East Asian wide and fullwidth
 * forms, and the emoji that terminals draw as pictures (glibc 2.36's
 * wcwidth agrees on these). */
static const struct { uint32_t lo, hi; } wide[] = {
    {0x1100, 0x115f},   {0x231a, 0x231b},   {0x2329, 0x232a},   {0x23e9, 0x23ec},
    {0x23f0, 0x23f0},   {0x23f3, 0x23f3},   {0x25fd, 0x25fe},   {0x2614, 0x2615},
    {0x2648, 0x2653},   {0x267f, 0x267f},   {0x2693, 0x2693},   {0x26a1, 0x26a1},
    {0x26aa, 0x26ab},   {0x26bd, 0x26be},   {0x26c4, 0x26c5},   {0x26ce, 0x26ce},
    {0x26d4, 0x26d4},   {0x26ea, 0x26ea},   {0x26f2, 0x26f3},   {0x26f5, 0x26f5},
    {0x26fa, 0x26fa},   {0x26fd, 0x26fd},   {0x2705, 0x2705},   {0x270a, 0x270b},
    {0x2728, 0x2728},   {0x274c, 0x274c},   {0x274e, 0x274e},   {0x2753, 0x2755},
    {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27b0, 0x27b0},   {0x27bf, 0x27bf},
    {0x2b1b, 0x2b1c},   {0x2b50, 0x2b50},   {0x2b55, 0x2b55},   {0x2e80, 0x303e},
    {0x3041, 0x3096},   {0x309b, 0xa4cf},   {0xa960, 0xa97f},   {0xac00, 0xd7a3},
    {0xf900, 0xfaff},   {0xfe10, 0xfe19},   {0xfe30, 0xfe6f},   {0xff00, 0xff60},
    {0xffe0, 0xffe6},   {0x16fe0, 0x16fe3}, {0x16ff0, 0x16ff1}, {0x17000, 0x18cd5},
    {0x18d00, 0x18d08}, {0x1aff0, 0x1aff3}, {0x1aff5, 0x1affb}, {0x1affd, 0x1affe},
    {0x1b000, 0x1b2ff},
    {0x1f004, 0x1f004}, {0x1f0cf, 0x1f0cf}, {0x1f18e, 0x1f18e}, {0x1f191, 0x1f19a},
    {0x1f200, 0x1f202}, {0x1f210, 0x1f23b}, {0x1f240, 0x1f248}, {0x1f250, 0x1f251},
    {0x1f260, 0x1f265}, {0x1f300, 0x1f320}, {0x1f32d, 0x1f335}, {0x1f337, 0x1f37c},
    {0x1f37e, 0x1f393}, {0x1f3a0, 0x1f3ca}, {0x1f3cf, 0x1f3d3}, {0x1f3e0, 0x1f3f0},
    {0x1f3f4, 0x1f3f4}, {0x1f3f8, 0x1f43e}, {0x1f440, 0x1f440}, {0x1f442, 0x1f4fc},
    {0x1f4ff, 0x1f53d}, {0x1f54b, 0x1f54e}, {0x1f550, 0x1f567}, {0x1f57a, 0x1f57a},
    {0x1f595, 0x1f596}, {0x1f5a4, 0x1f5a4}, {0x1f5fb, 0x1f64f}, {0x1f680, 0x1f6c5},
    {0x1f6cc, 0x1f6cc}, {0x1f6d0, 0x1f6d2}, {0x1f6d5, 0x1f6d7}, {0x1f6dc, 0x1f6df},
    {0x1f6eb, 0x1f6ec}, {0x1f6f4, 0x1f6fc}, {0x1f7e0, 0x1f7eb}, {0x1f7f0, 0x1f7f0},
    {0x1f90c, 0x1f93a}, {0x1f93c, 0x1f945}, {0x1f947, 0x1f9ff}, {0x1fa70, 0x1faff},
    {0x20000, 0x2fffd}, {0x30000, 0x3fffd},
};

/* Display width of a code point: 0 for combining marks and zero-width
 * characters, 2 for the table above, 1 otherwise.  Our own table rather
 * than wcwidth(), so layout does not depend on the locale. */
static int cp_width(uint32_t cp)
{
    if ((cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x200b && cp <= 0x200f) ||
        (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0xfe00 && cp <= 0xfe0f) || cp == 0xfeff ||
        (cp >= 0x302a && cp <= 0x302d) || cp == 0x3099 || cp == 0x309a)
        return 0;
    size_t lo = 0, hi = ARRAY_LEN(wide);
    while (lo < hi) { /* binary search: the table is sorted */
        size_t mid = (lo + hi) / 2;
        if (cp < wide[mid].lo)
            hi = mid;
        else if (cp > wide[mid].hi)
            lo = mid + 1;
        else
            return 2;
    }
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

int grid_check(const struct grid *g, struct sbuf *why)
{
    for (int y = 0; y < g->h; y++) {
        int cols = 0;
        for (int x = 0; x < g->w; x++) {
            const struct cell *c = &g->cells[y * g->w + x];
            const unsigned char *p = (const unsigned char *)c->ch;
            size_t len = strnlen(c->ch, sizeof c->ch);
            if (len == sizeof c->ch) {
                sbuf_printf(why, "cell %d,%d is not terminated", x, y);
                return -1;
            }
            for (size_t i = 0; i < len;) {
                size_t n = utf8_seq_len(p + i, len - i);
                if (n == 0 || utf8_control(p + i, n) >= 0) {
                    sbuf_printf(why, "cell %d,%d holds a raw byte \\x%02x", x, y, p[i]);
                    return -1;
                }
                i += n;
            }
            if (len == 0 && (x == 0 || text_width(g->cells[y * g->w + x - 1].ch) != 2)) {
                sbuf_printf(why, "%dx%d: cell %d,%d is the right half of nothing: \"", g->w, g->h,
                            x, y);
                grid_row_text(g, y, why);
                sbuf_addc(why, '"');
                return -1;
            }
            cols += text_width(c->ch);
        }
        if (cols != g->w) {
            sbuf_printf(why, "%dx%d: row %d is %d columns wide on screen, not %d: \"", g->w, g->h,
                        y, cols, g->w);
            grid_row_text(g, y, why);
            sbuf_addc(why, '"');
            return -1;
        }
    }
    return 0;
}
