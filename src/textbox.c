/*
 * textbox.c - the two overlays of text: the keys (help: from the keymap,
 * then the panes and the layout rule) and a command's output (`help`),
 * each with its drawing and its keys; both scroll when longer than the
 * screen, and any other key closes them.
 */
#include "textbox.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "scroll.h"

#define BOX_MARGIN 2    /* columns left free on each side */
#define HELP_MAX_W 78   /* the keys' box at most this wide */
#define HELP_KEYS_W 20  /* the keys' column */

/* ---- what both overlays share: their scrolling ---------------------- */

/* The first line shown (`want` kept in range) and the largest it can be,
 * for `lines` lines in a box showing `shown`. */
static void scroll_range(size_t want, size_t lines, size_t shown, size_t *top, size_t *last_top)
{
    *top = scroll_clamp(want, lines, shown);
    *last_top = scroll_clamp(SIZE_MAX / 2, lines, shown);
}

/* A box's last line: where it is in its text, or only how to close it. */
static void scroll_footer(struct grid *g, int x, int y, size_t top, size_t shown, size_t lines,
                          const struct glyphs *gl, const char *closes)
{
    if (lines > shown)
        grid_putf(g, x, y, ROLE_DIM, "lines %zu-%zu of %zu   %s PgUp PgDn scroll   other keys close",
                  top + 1, top + shown, lines, gl->up_down);
    else
        grid_put(g, x, y, ROLE_DIM, closes);
}

static void overlay_open(struct view *v, enum overlay which)
{
    v->text_top = 0;
    v->text_last_top = SIZE_MAX / 2; /* known once a frame has laid it out */
    v->overlay = which;
}

/* The moving keys scroll (false); any other closes the overlay (true). */
static bool scroll_or_close(struct view *v, int key, size_t page)
{
    if (scroll_key(&v->text_top, keymap_action(key), v->text_last_top + 1, page))
        return false;
    v->overlay = OVERLAY_NONE;
    return true;
}

/* After the keys, the timeline's legend, then the panes and the rule
 * that places them: what the class sees besides the connections, said
 * where the keys are.  In the legend \1 to \5 stand for the glyphs of
 * the set in use (level, arrival, wake, idle_wake, no_level). */
static const char *const help_panes[][2] = {
    {"", ""},
    {"timeline", "a connection's last ticks, the newest at the right"},
    {"  level", "\1 data waits to be read, \2 it arrived"},
    {"  wakeup", "\3 epoll_wait returned the fd"},
    {"  out", "the write side (reply echo, EPOLLOUT): \1 replies"},
    {"", "wait to be written (in the starved colour when"},
    {"", "write-starved), \3 EPOLLOUT came with replies to"},
    {"", "write, \4 EPOLLOUT came with nothing to write (the"},
    {"", "LT busy loop), \5 neither"},
    {"", ""},
    {"panes", "v cycles all, trace, code, kernel, none"},
    {"", "(--panes chooses at start)"},
    {"  trace", "the server's calls as strace prints them, newest"},
    {"", "last; with many connections, the selected one's and"},
    {"", "every epoll_wait (f: all, or back to one). Tab: the"},
    {"", "moving keys scroll it back through the lesson, Tab"},
    {"", "again: they select connections"},
    {"  code", "the server's loop in C, made from the knobs; the"},
    {"", "line of its last call is marked (t moves the mark)"},
    {"  kernel", "the epoll instance: its interest list read from"},
    {"", "/proc/self/fdinfo; what the next epoll_wait will"},
    {"", "report, derived from the rules the tests check"},
    {"layout", "the connections first, then the narration (it"},
    {"", "pages, never cut), then the panes in the rows left:"},
    {"", "from 140 columns the code beside the connections,"},
    {"", "the trace under it if it fits, else below the"},
    {"", "connections; the kernel view below them"},
};

/* A legend line with its glyph stand-ins replaced, into buf. */
static const char *legend_line(const char *text, const struct glyphs *gl, struct sbuf *buf)
{
    const char *glyph[] = {NULL, gl->level, gl->arrival, gl->wake, gl->idle_wake, gl->no_level};
    sbuf_reset(buf);
    for (; *text; text++) {
        if ((unsigned char)*text < ARRAY_LEN(glyph) && glyph[(unsigned char)*text])
            sbuf_add(buf, glyph[(unsigned char)*text]);
        else
            sbuf_addc(buf, *text);
    }
    return sbuf_str(buf);
}

/* Row i of the help: a key binding's, or a line about the timeline or
 * the panes (its glyphs from gl, written into buf). */
static bool help_row(size_t i, const char **keys, const char **text, struct key_binding *b,
                     const struct glyphs *gl, struct sbuf *buf)
{
    size_t n = 0;
    for (size_t k = 0; keymap_at(k, b) == 0; k++) {
        if (!b->label[0])
            continue;
        if (n++ == i) {
            *keys = b->label;
            *text = b->help;
            return true;
        }
    }
    if (i - n < ARRAY_LEN(help_panes)) {
        *keys = help_panes[i - n][0];
        *text = legend_line(help_panes[i - n][1], gl, buf);
        return true;
    }
    return false;
}

void help_draw(const struct view *v, struct grid *g, size_t *top, size_t *last_top)
{
    const struct glyphs *gl = v->gl;
    size_t rows = 0;
    struct key_binding b;
    const char *keys, *text;
    struct sbuf buf = {0};
    while (help_row(rows, &keys, &text, &b, gl, &buf))
        rows++;
    int w = g->w - 2 * BOX_MARGIN < HELP_MAX_W ? g->w - 2 * BOX_MARGIN : HELP_MAX_W;
    int h = (int)rows + 4;
    if (h > g->h)
        h = g->h;
    size_t shown = (size_t)(h - 4);
    scroll_range(v->text_top, rows, shown, top, last_top);
    int x = (g->w - w) / 2, y = (g->h - h) / 2;
    draw_box(g, x, y, w, h, gl, "keys: each one runs a command");
    for (size_t r = 0; r < shown && help_row(*top + r, &keys, &text, &b, gl, &buf); r++) {
        int row = y + 1 + (int)r;
        grid_put(g, x + 2, row, ROLE_KEY, keys);
        grid_put_clip(g, x + 2 + HELP_KEYS_W, row, w - 4 - HELP_KEYS_W, ROLE_OVERLAY, text,
                      gl->ellipsis);
    }
    scroll_footer(g, x + 2, y + h - 2, *top, shown, rows, gl, "any key closes this help");
    sbuf_free(&buf);
}

void help_open(struct view *v)
{
    overlay_open(v, OVERLAY_HELP);
}

bool help_key(struct view *v, int key, size_t page)
{
    return scroll_or_close(v, key, page);
}

/* Lines longer than the box wrap, continuing under their own indent. */
static void wrap_lines(const char *text, int width, struct sbuf *out)
{
    char *wrapped[64];
    while (*text) {
        size_t len = strcspn(text, "\n"), indent = strspn(text, " ");
        if (indent > len)
            indent = len;
        struct sbuf line = {0};
        sbuf_addn(&line, text, len);
        if (text_width(sbuf_str(&line)) <= width) { /* fits: kept as it is, columns and all */
            sbuf_printf(out, "%s\n", sbuf_str(&line));
            sbuf_free(&line);
            text += len + (text[len] == '\n');
            continue;
        }
        sbuf_reset(&line);
        sbuf_addn(&line, text + indent, len - indent);
        int room = width - (int)indent - 2;
        size_t n = wrap_text(sbuf_str(&line), room > 8 ? room : 8, wrapped, ARRAY_LEN(wrapped));
        if (n == 0)
            sbuf_addc(out, '\n');
        for (size_t i = 0; i < n && i < ARRAY_LEN(wrapped); i++) {
            sbuf_printf(out, "%*s%s\n", (int)indent + (i ? 2 : 0), "", wrapped[i]);
            free(wrapped[i]);
        }
        sbuf_free(&line);
        text += len + (text[len] == '\n');
    }
}

void text_draw(const struct view *v, struct grid *g, size_t *top, size_t *last_top)
{
    const struct glyphs *gl = v->gl;
    struct sbuf wrapped = {0};
    wrap_lines(sbuf_str(&v->text), g->w - 2 * BOX_MARGIN - 4, &wrapped);
    size_t lines = 0;
    for (const char *p = sbuf_str(&wrapped); *p; p++)
        lines += *p == '\n';
    int w = g->w - 2 * BOX_MARGIN, h = (int)lines + 4;
    if (h > g->h - 2)
        h = g->h - 2;
    size_t shown = (size_t)(h - 4);
    scroll_range(v->text_top, lines, shown, top, last_top);
    int x = BOX_MARGIN, y = (g->h - h) / 2;
    draw_box(g, x, y, w, h, gl, v->text_title);
    const char *p = sbuf_str(&wrapped);
    for (size_t skip = 0; skip < *top && *p; skip++)
        p += strcspn(p, "\n") + 1;
    for (size_t r = 0; r < shown && *p; r++) {
        size_t n = strcspn(p, "\n");
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)n, p);
        grid_put_clip(g, x + 2, y + 1 + (int)r, w - 4, ROLE_OVERLAY, line, gl->ellipsis);
        p += n + (p[n] == '\n');
    }
    scroll_footer(g, x + 2, y + h - 2, *top, shown, lines, gl, "any key closes");
    sbuf_free(&wrapped);
}

void text_open(struct view *v, const char *title)
{
    snprintf(v->text_title, sizeof v->text_title, "%s", title);
    overlay_open(v, OVERLAY_TEXT);
}

bool text_key(struct view *v, int key, size_t page)
{
    return scroll_or_close(v, key, page);
}
