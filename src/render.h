/*
 * render.h - the whole screen, drawn into a grid from the engine's state.
 *
 * A pure function of the model and the view (view.h): it reads connection records
 * (sampled by the server once per tick) and never calls the kernel, so a
 * frame costs the same paused or running, and tests can check any layout
 * at any size without a terminal.
 */
#ifndef EPOLLVIZ_RENDER_H
#define EPOLLVIZ_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "grid.h"
#include "scenario.h"
#include "view.h"
#include "widgets.h"

/* Rows of one full connection panel. */
#define PANEL_ROWS 5

/* What a frame found out, for the presenter to keep: where the lists
 * stand now that their rows are known, and where the prompt's cursor is. */
struct render_out {
    int cursor_x, cursor_y; /* the prompt's cursor; -1 when no prompt is drawn */
    size_t conn_top;        /* the dense list's first line */
    size_t text_top;        /* the text overlay's first line, kept in range */
    size_t text_last_top;   /* the largest first line it can have */
    unsigned nar_page;      /* the narration's page shown (the view's, kept in range) */
    unsigned nar_pages;     /* pages the step's narration takes at this size */
    int trace_rows;         /* lines the trace pane showed; 0: not on screen */
    bool conns_dense;       /* the connections went one line each (many of them) */
};

struct screen {
    struct engine *engine;
    const struct scenario *scenario; /* NULL in free play */
    const struct view *view;
    unsigned side;         /* which server the side parts draw (0 unless comparing) */
    bool conns_dense;      /* the connections went one line each (the trace follows) */
    struct render_out *out; /* filled when not NULL */
};

/* The server the screen's side parts draw: side s->side of the engine
 * (the only one unless comparing). */
struct server *side_server(const struct screen *s);

/* Draws the whole screen into g; reads the model and the view and writes
 * nothing else (s->out, when given, says what the frame found out). */
void render_screen(const struct screen *s, struct grid *g);

/* Index (in the side's server order) of the selected connection; when
 * none is chosen, the first still open (else 0).  The other side of a
 * comparison selects the same name. */
size_t render_selected_index(const struct screen *s);

/* Renders at w x h and writes the text to path (beneath dir when given:
 * see textfile_write); -1 with a message in err. */
int screen_dump(const struct screen *s, int w, int h, const char *dir, const char *path,
                struct sbuf *err);

#endif
