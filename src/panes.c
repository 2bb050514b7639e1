/*
 * panes.c - the pane choice and the layout rule (see panes.h).
 */
#include "panes.h"

#include <stdbool.h>
#include <string.h>

#define PANE_MIN_ROWS 4   /* a pane's rule and three lines */
#define SIDE_SHARE 5      /* the right-hand column: 2/5 of the width ... */
#define SIDE_MAX_W 72     /* ... at most */

static const struct {
    unsigned bit;
    const char *name;
} names[] = {
    {PANE_TRACE, "trace"},
    {PANE_CODE, "code"},
    {PANE_KERNEL, "kernel"},
};

int panes_parse(const char *text, unsigned *out, struct sbuf *err)
{
    if (strcmp(text, "all") == 0) {
        *out = PANES_ALL;
        return 0;
    }
    if (strcmp(text, "none") == 0) {
        *out = 0;
        return 0;
    }
    unsigned v = 0;
    for (const char *p = text;;) {
        size_t len = strcspn(p, ",");
        size_t i = 0;
        while (i < ARRAY_LEN(names) &&
               !(strlen(names[i].name) == len && strncmp(p, names[i].name, len) == 0))
            i++;
        if (i == ARRAY_LEN(names)) {
            sbuf_printf(err, "'%.*s' is not a pane: expected all, none, or trace, code and "
                        "kernel joined by commas", (int)len, p);
            return -1;
        }
        v |= names[i].bit;
        if (!p[len])
            break;
        p += len + 1;
    }
    *out = v;
    return 0;
}

void panes_format(unsigned panes, struct sbuf *out)
{
    if ((panes & PANES_ALL) == PANES_ALL) {
        sbuf_add(out, "all");
        return;
    }
    if (!(panes & PANES_ALL)) {
        sbuf_add(out, "none");
        return;
    }
    const char *sep = "";
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        if (panes & names[i].bit) {
            sbuf_printf(out, "%s%s", sep, names[i].name);
            sep = ",";
        }
}

unsigned panes_next(unsigned panes)
{
    static const unsigned cycle[] = {PANES_ALL, PANE_TRACE, PANE_CODE, PANE_KERNEL, 0};
    for (size_t i = 0; i < ARRAY_LEN(cycle); i++)
        if ((panes & PANES_ALL) == cycle[i])
            return cycle[(i + 1) % ARRAY_LEN(cycle)];
    return PANES_ALL;
}

static struct rect rect(int x, int y, int w, int h)
{
    return (struct rect){x, y, w, h > 0 ? h : 0};
}

void panes_place(unsigned chosen, const struct pane_room *r, struct pane_layout *out)
{
    memset(out, 0, sizeof *out);
    int cw = r->w;
    bool trace_below = chosen & PANE_TRACE;
    /* Beside the connections: the code, then the trace under it. */
    if (r->w >= PANES_WIDE && (chosen & (PANE_CODE | PANE_TRACE))) {
        int sw = r->w * 2 / SIDE_SHARE;
        if (sw > SIDE_MAX_W)
            sw = SIDE_MAX_W;
        cw = r->w - sw - 1;
        int x = cw + 1, y = r->y, h = r->h;
        if (chosen & PANE_CODE) {
            /* The code whole; the trace under it only in what is left,
             * else below the connections. */
            int ch = r->code_rows < h ? r->code_rows : h;
            if (ch >= PANE_MIN_ROWS) {
                out->code = rect(x, y, sw, ch);
                y += ch;
                h -= ch;
            }
        }
        if ((chosen & PANE_TRACE) && h >= PANE_MIN_ROWS) {
            out->trace = rect(x, y, sw, h);
            trace_below = false;
        }
    }
    /* The connections first; below them, what is left. */
    int need = r->conn_full <= r->h ? r->conn_full
             : r->conn_dense <= r->h ? r->conn_dense
             : r->h * 2 / 3;
    int spare = r->h - need, y = r->y + need;
    bool kernel = chosen & PANE_KERNEL;
    if (trace_below && spare >= PANE_MIN_ROWS) {
        int th = spare;
        if (kernel && spare >= 2 * PANE_MIN_ROWS) {
            int kh = r->kernel_rows < spare / 2 ? r->kernel_rows : spare / 2;
            if (kh < PANE_MIN_ROWS)
                kh = PANE_MIN_ROWS;
            th = spare - kh;
        } else {
            kernel = false;
        }
        /* The trace is nearest the connections, the kernel view under it. */
        out->trace = rect(0, y, cw, th);
        y += th;
        spare -= th;
    }
    if (kernel && spare >= PANE_MIN_ROWS - 1) {
        int kh = r->kernel_rows < spare ? r->kernel_rows : spare;
        out->kernel = rect(0, y, cw, kh);
    }
    /* The connections keep every row the panes below did not take. */
    int below = out->trace.h && out->trace.x == 0 ? out->trace.y
              : out->kernel.h ? out->kernel.y : r->y + r->h;
    out->conns = rect(0, r->y, cw, below - r->y);
}
