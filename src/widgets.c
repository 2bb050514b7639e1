/*
 * widgets.c - fill bars, timeline strips, byte counts, wrapping.
 */
#include "widgets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const unicode_eighths[7] = {"▏", "▎", "▍", "▌", "▋", "▊", "▉"};

static const struct glyphs unicode_glyphs = {
    .bar_full = "█", .bar_empty = "░", .bar_open = " ", .bar_close = " ",
    .eighths = unicode_eighths,
    .level = "█", .arrival = "▼", .no_level = "·", .wake = "▲", .closed = "✕",
    .second_wake = "△", .both_wake = "◆", .idle_wake = "△",
    .selected = "▶", .ok = "✓", .fail = "✗", .rule = "─", .ellipsis = "…", .bullet = "·",
    .up_down = "↑↓",
    .vline = "│", .top_left = "┌", .top_right = "┐", .bottom_left = "└", .bottom_right = "┘",
    .tee_down = "┬", .tee_left = "┤", .tee_right = "├", .cross = "┼",
};

static const struct glyphs ascii_glyphs = {
    .bar_full = "#", .bar_empty = ".", .bar_open = "[", .bar_close = "]",
    .eighths = NULL,
    .level = "#", .arrival = "v", .no_level = ".", .wake = "^", .closed = "x",
    .second_wake = "t", .both_wake = "*", .idle_wake = "o",
    .selected = ">", .ok = "PASS", .fail = "FAIL", .rule = "-", .ellipsis = "~", .bullet = "|",
    .up_down = "up/down",
    .vline = "|", .top_left = "+", .top_right = "+", .bottom_left = "+", .bottom_right = "+",
    .tee_down = "+", .tee_left = "+", .tee_right = "+", .cross = "+",
};

const struct glyphs *glyphs_for(bool ascii)
{
    return ascii ? &ascii_glyphs : &unicode_glyphs;
}

void fill_bar(struct grid *g, int x, int y, int width, uint64_t value, uint64_t max,
              const struct glyphs *gl, enum role full)
{
    if (width <= 0)
        return;
    grid_put(g, x, y, ROLE_DIM, gl->bar_open);
    grid_fill(g, x + 1, y, width, ROLE_BAR_EMPTY, gl->bar_empty);
    grid_put(g, x + 1 + width, y, ROLE_DIM, gl->bar_close);
    if (value == 0 || max == 0)
        return;
    if (value > max)
        value = max;
    /* Measured in eighths of a cell (whole cells in ASCII): rounded down,
     * but never to nothing, and never to a full bar unless the buffer is
     * full, so "a little" and "full" are both visible. */
    uint64_t step = gl->eighths ? 1 : 8;
    uint64_t total = (uint64_t)width * 8;
    uint64_t e = value * total / max / step * step;
    if (e < 2 * step)
        e = gl->eighths ? 2 : 8; /* a quarter cell is the least a room can see */
    if (e >= total && value < max)
        e = total - step;
    int cells = (int)(e / 8);
    grid_fill(g, x + 1, y, cells, full, gl->bar_full);
    if (e % 8)
        grid_put(g, x + 1 + cells, y, full, gl->eighths[e % 8 - 1]);
}

void timeline_strip(struct grid *g, int x, int y, int width, const struct timeline *t,
                    uint64_t now, const struct glyphs *gl)
{
    for (int i = 0; i < width; i++) {
        uint64_t back = (uint64_t)(width - 1 - i);
        if (back >= now)
            continue; /* before the first tick */
        uint8_t m = timeline_get(t, now - back);
        if (!(m & MARK_VALID))
            continue;
        const char *lv = gl->no_level;
        enum role lr = ROLE_DIM;
        if (m & MARK_ARRIVED) {
            lv = gl->arrival;
            lr = ROLE_ARRIVAL;
        } else if (m & MARK_LEVEL) {
            lv = gl->level;
            lr = (m & MARK_STARVED) ? ROLE_STARVED_TEXT : ROLE_LEVEL;
        }
        if (m & MARK_CLOSED) {
            lv = gl->closed;
            lr = ROLE_DIM;
        }
        grid_put(g, x + i, y, lr, lv);
        /* The wakeup row: the server's epoll set, a second one, or both. */
        if ((m & MARK_WOKEN) && (m & MARK_WOKEN_SECOND))
            grid_put(g, x + i, y + 1, ROLE_WAKE, gl->both_wake);
        else if (m & MARK_WOKEN)
            grid_put(g, x + i, y + 1, ROLE_WAKE, gl->wake);
        else if (m & MARK_WOKEN_SECOND)
            grid_put(g, x + i, y + 1, ROLE_WAKE, gl->second_wake);
    }
}

void out_strip(struct grid *g, int x, int y, int width, const struct timeline *t,
               const struct wtimeline *w, uint64_t now, const struct glyphs *gl)
{
    for (int i = 0; i < width; i++) {
        uint64_t back = (uint64_t)(width - 1 - i);
        if (back >= now)
            continue;
        uint64_t tick = now - back;
        uint8_t m = timeline_get(t, tick);
        if (!(m & MARK_VALID) || (m & MARK_CLOSED))
            continue; /* the level row says closed */
        uint8_t wm = wtimeline_get(w, tick);
        if (wm & WMARK_OUT)
            grid_put(g, x + i, y, ROLE_WAKE, (wm & WMARK_WAITING) ? gl->wake : gl->idle_wake);
        else if (wm & WMARK_WAITING)
            grid_put(g, x + i, y, (wm & WMARK_STARVED) ? ROLE_STARVED_TEXT : ROLE_LEVEL,
                     gl->level);
        else
            grid_put(g, x + i, y, ROLE_DIM, gl->no_level);
    }
}

size_t wrap_text(const char *text, int width, char **lines, size_t max)
{
    size_t n = 0;
    struct sbuf line = {0}, word = {0};
    int lw = 0;
    if (width < 1)
        width = 1;

    const char *p = text;
    for (;;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t wl = strcspn(p, " ");
        sbuf_reset(&word);
        sbuf_addn(&word, p, wl);
        p += wl;
        int ww = text_width(sbuf_str(&word));
        if (lw && lw + 1 + ww > width) {
            if (n < max)
                lines[n] = xstrdup(sbuf_str(&line));
            n++;
            sbuf_reset(&line);
            lw = 0;
        }
        /* A word wider than the line is cut into pieces of the width. */
        const char *w = sbuf_str(&word);
        while (ww > width - (lw ? lw + 1 : 0)) {
            if (lw) {
                if (n < max)
                    lines[n] = xstrdup(sbuf_str(&line));
                n++;
                sbuf_reset(&line);
                lw = 0;
                continue;
            }
            size_t cut = 0;
            int cw = 0;
            while (w[cut]) {
                size_t len = utf8_seq_len((const unsigned char *)w + cut, strnlen(w + cut, 4));
                if (!len)
                    len = 1;
                char one[8] = {0};
                memcpy(one, w + cut, len < 7 ? len : 7);
                int c = text_width(one);
                if (cw + c > width)
                    break;
                cw += c;
                cut += len;
            }
            if (cut == 0) /* one character wider than the line: it goes whole */
                cut = utf8_seq_len((const unsigned char *)w, strnlen(w, 4)) ?: 1;
            if (n < max) {
                struct sbuf piece = {0};
                sbuf_addn(&piece, w, cut);
                lines[n] = xstrdup(sbuf_str(&piece));
                sbuf_free(&piece);
            }
            n++;
            w += cut;
            ww = text_width(w);
        }
        if (*w) {
            if (lw)
                sbuf_addc(&line, ' ');
            sbuf_add(&line, w);
            lw += (lw ? 1 : 0) + ww;
        }
    }
    if (lw) {
        if (n < max)
            lines[n] = xstrdup(sbuf_str(&line));
        n++;
    }
    sbuf_free(&line);
    sbuf_free(&word);
    return n;
}

void draw_box(struct grid *g, int x, int y, int w, int h, const struct glyphs *gl,
              const char *title)
{
    for (int r = 0; r < h; r++)
        grid_fill(g, x, y + r, w, ROLE_OVERLAY, " ");
    grid_put(g, x, y, ROLE_OVERLAY, gl->top_left);
    grid_fill(g, x + 1, y, w - 2, ROLE_OVERLAY, gl->rule);
    grid_put(g, x + w - 1, y, ROLE_OVERLAY, gl->top_right);
    grid_put(g, x, y + h - 1, ROLE_OVERLAY, gl->bottom_left);
    grid_fill(g, x + 1, y + h - 1, w - 2, ROLE_OVERLAY, gl->rule);
    grid_put(g, x + w - 1, y + h - 1, ROLE_OVERLAY, gl->bottom_right);
    for (int r = 1; r < h - 1; r++) {
        grid_put(g, x, y + r, ROLE_OVERLAY, gl->vline);
        grid_put(g, x + w - 1, y + r, ROLE_OVERLAY, gl->vline);
    }
    if (title) {
        int tx = grid_put(g, x + 2, y, ROLE_OVERLAY, " ");
        tx = grid_put_clip(g, tx, y, w - 6, ROLE_TITLE, title, gl->ellipsis);
        grid_put(g, tx, y, ROLE_OVERLAY, " ");
    }
}

void title_rule(struct grid *g, int y, const struct glyphs *gl, const char *title,
                 const char *right)
{
    grid_fill(g, 0, y, g->w, ROLE_DIM, gl->rule);
    int x = 1;
    if (title && *title) {
        x = grid_put(g, x, y, ROLE_DIM, " ");
        x = grid_put_clip(g, x, y, g->w - 6 - (right ? text_width(right) + 2 : 0), ROLE_TITLE,
                          title, gl->ellipsis);
        x = grid_put(g, x, y, ROLE_DIM, " ");
    }
    if (right && *right) {
        int rw = text_width(right);
        int rx = g->w - rw - 3;
        if (rx > x) {
            grid_put(g, rx, y, ROLE_DIM, " ");
            grid_put(g, rx + 1, y, ROLE_TITLE, right);
            grid_put(g, rx + 1 + rw, y, ROLE_DIM, " ");
        }
    }
}

int put_wrapped(struct grid *g, int x, int y, int w, int max_rows, enum role r, const char *text,
                const char *ellipsis)
{
    char *lines[16];
    if (max_rows < 1)
        return 0;
    if (text_width(text) <= w || max_rows == 1) {
        if (g)
            grid_put_clip(g, x, y, w, r, text, ellipsis);
        return 1;
    }
    size_t n = wrap_text(text, w, lines, ARRAY_LEN(lines));
    size_t kept = n < ARRAY_LEN(lines) ? n : ARRAY_LEN(lines);
    int rows = n < (size_t)max_rows ? (int)n : max_rows;
    struct sbuf rest = {0};
    for (size_t i = 0; i < kept; i++) {
        if (g && (int)i < rows - 1)
            grid_put(g, x, y + (int)i, r, lines[i]);
        else if ((int)i >= rows - 1)
            sbuf_printf(&rest, "%s%s", rest.len ? " " : "", lines[i]);
        free(lines[i]);
    }
    if (g)
        grid_put_clip(g, x, y + rows - 1, w, r, sbuf_str(&rest), ellipsis);
    sbuf_free(&rest);
    return rows;
}
