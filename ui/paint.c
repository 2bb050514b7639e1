/*
 * paint.c - roles to colours and attributes, grid to curses.
 */
#include "paint.h"

#include <curses.h>
#include <string.h>

/* What each role looks like.  Monochrome keeps every distinction that
 * matters: STARVED stays reverse video and bold, with the word. */
static const struct look {
    short fg, bg;       /* -1: the terminal's default */
    attr_t colour_attr; /* with colour */
    attr_t mono_attr;   /* without */
} looks[ROLE_COUNT] = {
    [ROLE_TEXT] = {-1, -1, A_BOLD, A_BOLD},
    [ROLE_DIM] = {-1, -1, A_NORMAL, A_NORMAL},
    [ROLE_TITLE] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    [ROLE_LABEL] = {COLOR_CYAN, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    [ROLE_SELECTED] = {COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE},
    [ROLE_MODE_LT] = {COLOR_BLACK, COLOR_GREEN, A_BOLD, A_REVERSE | A_BOLD},
    [ROLE_MODE_ET] = {COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BOLD},
    [ROLE_MODE_ONESHOT] = {COLOR_WHITE, COLOR_MAGENTA, A_BOLD, A_REVERSE | A_BOLD},
    [ROLE_BAR] = {COLOR_GREEN, -1, A_BOLD, A_BOLD},
    [ROLE_BAR_EMPTY] = {-1, -1, A_NORMAL, A_NORMAL},
    [ROLE_LEVEL] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
    [ROLE_ARRIVAL] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    [ROLE_WAKE] = {COLOR_CYAN, -1, A_BOLD, A_BOLD},
    [ROLE_STARVED] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD},
    [ROLE_STARVED_TEXT] = {COLOR_RED, -1, A_BOLD, A_BOLD},
    [ROLE_OK] = {COLOR_GREEN, -1, A_BOLD, A_BOLD},
    [ROLE_FAIL] = {COLOR_RED, -1, A_BOLD, A_BOLD | A_REVERSE},
    [ROLE_ERROR] = {COLOR_RED, -1, A_BOLD, A_BOLD},
    [ROLE_KEY] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    [ROLE_NARRATION] = {-1, -1, A_BOLD, A_BOLD},
    [ROLE_OVERLAY] = {-1, -1, A_NORMAL, A_NORMAL},
    [ROLE_OVERLAY_SEL] = {COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE},
    [ROLE_TRACE_EAGAIN] = {COLOR_MAGENTA, -1, A_BOLD, A_UNDERLINE},
    [ROLE_TRACE_EOF] = {COLOR_RED, -1, A_NORMAL, A_BOLD | A_UNDERLINE},
    [ROLE_TRACE_EMPTY] = {-1, -1, A_DIM, A_DIM},
};

static attr_t attrs[ROLE_COUNT];

void paint_init(bool mono)
{
    bool colour = !mono && has_colors() && start_color() == OK;
    if (colour)
        use_default_colors();
    for (int r = 0; r < ROLE_COUNT; r++) {
        if (!colour) {
            attrs[r] = looks[r].mono_attr;
            continue;
        }
        init_pair((short)(r + 1), looks[r].fg, looks[r].bg);
        attrs[r] = looks[r].colour_attr | COLOR_PAIR(r + 1);
    }
}

void paint_grid(const struct grid *g)
{
    char run[4096];
    for (int y = 0; y < g->h; y++) {
        int x = 0;
        while (x < g->w) {
            /* One addstr per run of cells with the same role. */
            uint8_t role = g->cells[y * g->w + x].role;
            size_t len = 0;
            int start = x;
            while (x < g->w && g->cells[y * g->w + x].role == role) {
                const char *ch = g->cells[y * g->w + x].ch;
                size_t n = strlen(ch);
                if (len + n >= sizeof run)
                    break;
                memcpy(run + len, ch, n);
                len += n;
                x++;
            }
            run[len] = '\0';
            attrset(attrs[role < ROLE_COUNT ? role : ROLE_TEXT]);
            /* The bottom-right cell makes addstr return ERR (the cursor
             * cannot move past it); the cell is still drawn. */
            mvaddstr(y, start, run);
        }
    }
    attrset(A_NORMAL);
}
