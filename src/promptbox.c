/*
 * promptbox.c - the command prompt as the screen shows it: the line being
 * typed (readline owns the editing and the keys), the last error with the
 * command's usage, and the box of completions above it.
 */
#include "promptbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMPLETION_SPARE_ROWS 6 /* rows the completions leave to the screen */

/* The prompt replaces the message and status lines: the line being typed,
 * then the last error (with the command's usage) or a hint; completions
 * are listed in a box above. */
void prompt_draw(const struct view *v, struct grid *g, int *cursor_x, int *cursor_y)
{
    const struct prompt_view *pv = &v->prompt;
    const struct glyphs *gl = v->gl;
    int y = g->h - (pv->error[0] ? 3 : 2);
    for (int r = y; r < g->h; r++)
        grid_fill(g, 0, r, g->w, ROLE_TEXT, " ");
    /* Keep the cursor on screen: scroll the line left if it is long. */
    char head[PROMPT_MAX];
    size_t point = pv->point < sizeof head ? pv->point : sizeof head - 1;
    memcpy(head, pv->line, point);
    head[point] = '\0';
    const char *shown = pv->line;
    int cx = text_width(head);
    while (cx > g->w - 2 && *shown) {
        size_t n = utf8_seq_len((const unsigned char *)shown, strnlen(shown, 4));
        shown += n ? n : 1;
        cx = text_width(head + (shown - pv->line));
    }
    grid_put(g, 0, y, ROLE_TEXT, shown);
    *cursor_x = cx;
    *cursor_y = y;
    if (pv->error[0]) {
        grid_put_clip(g, 0, y + 1, g->w, ROLE_ERROR, pv->error, gl->ellipsis);
        grid_put_clip(g, 0, y + 2, g->w, ROLE_DIM, pv->usage, gl->ellipsis);
    } else
        grid_put_clip(g, 0, y + 1, g->w, ROLE_DIM,
                      "Enter runs   Esc or Ctrl-G cancels   Tab completes   Up/Down and Ctrl-R: history",
                      gl->ellipsis);
    if (!pv->nmatches)
        return;
    int colw = 0;
    for (size_t i = 0; i < pv->nmatches; i++)
        if (text_width(pv->matches[i]) > colw)
            colw = text_width(pv->matches[i]);
    colw += 2;
    int cols = (g->w - 4) / colw > 0 ? (g->w - 4) / colw : 1;
    int rows = ((int)pv->nmatches + cols - 1) / cols + (pv->more_matches ? 1 : 0);
    if (rows > g->h - COMPLETION_SPARE_ROWS)
        rows = g->h - COMPLETION_SPARE_ROWS;
    int top = y - rows - 2;
    draw_box(g, 0, top, g->w, rows + 2, gl, "completions");
    for (size_t i = 0; i < pv->nmatches; i++) {
        int r = (int)i / cols, c = (int)i % cols;
        if (r >= rows)
            break;
        grid_put_clip(g, 2 + c * colw, top + 1 + r, colw - 1, ROLE_OVERLAY, pv->matches[i],
                      gl->ellipsis);
    }
    if (pv->more_matches)
        grid_putf(g, 2, top + rows, ROLE_DIM, "and %zu more: type more letters", pv->more_matches);
}

void promptbox_open(struct prompt_view *pv)
{
    pv->active = true;
    pv->error[0] = pv->usage[0] = '\0';
    pv->line[0] = '\0';
    pv->point = 0;
}

void promptbox_show(struct prompt_view *pv, const char *prompt, const char *text, size_t point)
{
    size_t plen = strlen(prompt), tlen = strlen(text), from = 0;
    if (point > tlen)
        point = tlen;
    /* A line longer than the view keeps the part around the cursor (the
     * whole line is what runs; the screen shows at most one row of it). */
    if (plen + tlen >= sizeof pv->line && point > sizeof pv->line / 2) {
        from = point - sizeof pv->line / 2;
        while (from < point && ((unsigned char)text[from] & 0xc0) == 0x80)
            from++; /* not in the middle of a character */
    }
    int n = snprintf(pv->line, sizeof pv->line, "%s%s", prompt, text + from);
    pv->point = plen + (point - from);
    if (n < 0 || pv->point > strlen(pv->line))
        pv->point = strlen(pv->line);
}

void promptbox_matches(struct prompt_view *pv, char *const *words, size_t n)
{
    for (size_t i = 0; i < pv->nmatches; i++)
        free(pv->matches[i]);
    pv->nmatches = pv->more_matches = 0;
    for (size_t i = 0; i < n; i++) {
        if (pv->nmatches == PROMPT_MATCHES) {
            pv->more_matches = n - i;
            break;
        }
        pv->matches[pv->nmatches++] = xstrdup(words[i]);
    }
}
