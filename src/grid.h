/*
 * grid.h - the screen as a grid of cells, each with a role (what it means,
 * not how it looks).
 *
 * The renderer draws into a grid; the terminal front end maps roles to
 * colours and paints it; `dump` writes it as plain text.  One rendering,
 * three uses, and every layout can be tested without a terminal.
 *
 * grid_put is the last guard before the screen: it takes any bytes and
 * shows control characters and invalid UTF-8 as '?', so nothing written
 * through it can reach the terminal as a control sequence.
 */
#ifndef EPOLLVIZ_GRID_H
#define EPOLLVIZ_GRID_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

enum role {
    ROLE_TEXT,
    ROLE_DIM,        /* secondary text, closed connections */
    ROLE_TITLE,      /* the program's name, pane titles */
    ROLE_LABEL,      /* a connection's name */
    ROLE_SELECTED,   /* the selected connection's marker and name */
    ROLE_MODE_LT,    /* the mode badge, one colour per mode */
    ROLE_MODE_ET,
    ROLE_MODE_ONESHOT,
    ROLE_BAR,        /* the filled part of a bar */
    ROLE_BAR_EMPTY,
    ROLE_LEVEL,      /* timeline: data waiting */
    ROLE_ARRIVAL,    /* timeline: data arrived */
    ROLE_WAKE,       /* timeline: epoll_wait returned the fd */
    ROLE_STARVED,    /* the STARVED badge */
    ROLE_STARVED_TEXT, /* why it starves; starving level ticks */
    ROLE_OK,         /* an expect that held */
    ROLE_FAIL,       /* an expect that failed */
    ROLE_ERROR,      /* an error message */
    ROLE_KEY,        /* a key name in the status line and help */
    ROLE_NARRATION,  /* the scenario's say text */
    ROLE_OVERLAY,    /* help, menu and question boxes */
    ROLE_OVERLAY_SEL, /* the menu's cursor */
    ROLE_TRACE_EAGAIN, /* trace: a call that returned EAGAIN */
    ROLE_TRACE_EOF,    /* trace: a read of 0, the end of the stream */
    ROLE_TRACE_EMPTY,  /* trace: an epoll_wait that returned nothing */
    ROLE_COUNT
};

/* One column.  `ch` is one UTF-8 character; "" in the column right of a
 * double-width character. */
struct cell {
    char ch[8];
    uint8_t role;
};

struct grid {
    int w, h;
    struct cell *cells;
    bool ascii; /* show every non-ASCII character as '?' (a terminal without UTF-8) */
};

/* Screen sizes.  Below the minimum the renderer says "terminal too small";
 * the default is the size the lessons are written for and what `dump`
 * writes headless; the maximum bounds what a terminal or a `dump` line
 * can make us allocate. */
#define SCREEN_MIN_W 60
#define SCREEN_MIN_H 18
#define SCREEN_DEFAULT_W 100
#define SCREEN_DEFAULT_H 30
#define SCREEN_MAX_W 1000
#define SCREEN_MAX_H 500

/* Reads "COLSxROWS" (100x30) within the bounds above; 0, or -1 with what
 * is wrong in err. */
int screen_size_parse(const char *text, int *w, int *h, struct sbuf *err);

void grid_init(struct grid *g, int w, int h);
void grid_free(struct grid *g);
/* Blank cells of ROLE_TEXT. */
void grid_clear(struct grid *g);
struct cell *grid_at(struct grid *g, int x, int y); /* NULL outside */

/* Writes text from (x, y), clipped at the right edge; returns the column
 * after the last one written. */
int grid_put(struct grid *g, int x, int y, enum role r, const char *text);
int grid_putf(struct grid *g, int x, int y, enum role r, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Writes text clipped to `width` columns, ending in `ellipsis` when cut. */
int grid_put_clip(struct grid *g, int x, int y, int width, enum role r, const char *text,
                  const char *ellipsis);
/* Repeats one character n times. */
void grid_fill(struct grid *g, int x, int y, int n, enum role r, const char *ch);

/* Copies src into g with its top-left corner at (x, y), clipped. */
void grid_blit(struct grid *g, int x, int y, const struct grid *src);

/* Columns that text takes on screen (the same rules as grid_put). */
int text_width(const char *text);

/* The grid as lines of text, trailing blanks trimmed, each ending in \n. */
void grid_text(const struct grid *g, struct sbuf *out);
/* One row, as grid_text would write it, without the newline. */
void grid_row_text(const struct grid *g, int y, struct sbuf *out);

/* What `dump` and the painter rely on: every cell holds one printable
 * UTF-8 character (with any marks joined to it), or "" right of a
 * double-width one, and every row is exactly g->w columns wide on screen.
 * 0, or -1 with the first cell or row that breaks it described in why. */
int grid_check(const struct grid *g, struct sbuf *why);

#endif
