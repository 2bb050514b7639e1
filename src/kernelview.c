/*
 * kernelview.c - the interest list read from the kernel, beside what the
 * next epoll_wait will do with each fd (see kernelview.h).
 */
#include "kernelview.h"

#include <stdio.h>
#include <string.h>

#include "census.h"
#include "fdinfo.h"
#include "panel.h"
#include "scroll.h"
#include "server.h"

#define FD_W 5        /* "   12" */
#define NAME_W 14
#define MASK_W 26     /* "disarmed (one-shot fired)" and a gap: the most it takes */
#define MASK_W_MIN 17 /* "read from fdinfo" and a gap */

int kernelview_rows(const struct screen *s)
{
    return 2 + (int)server_interest(side_server(s))->n;
}

/* The open connection on fd, or NULL. */
static const struct conn *conn_on(struct server *srv, int fd)
{
    for (size_t i = 0; i < server_conn_count(srv); i++) {
        const struct conn *c = server_conn_at(srv, i);
        if (c->fd == fd)
            return c;
    }
    return NULL;
}

/* What the next epoll_wait does with a connection, by the census rules;
 * `brief`: in fewer words, for a narrow column. */
static enum role derived_conn(bool lt, const struct conn *c, bool brief, char *out, size_t n)
{
    char b[32];
    format_bytes(c->pending > 0 ? (uint64_t)c->pending : 0, b, sizeof b);
    const char *what = c->pending > 0 ? b : "end of stream";
    switch (census_class(lt, c)) {
    case CENSUS_STARVED:
        if (c->notify.starved == STARVE_NONE) {
            format_bytes(appbuf_len(&c->out), b, sizeof b);
            snprintf(out, n, "write-starved: %s%s, no EPOLLOUT will come", b,
                     brief ? "" : " to write");
        } else {
            snprintf(out, n, "starved: %s, no event will come", what);
        }
        return ROLE_STARVED_TEXT;
    case CENSUS_EVERY_TICK:
        if (c->pending <= 0 && c->state == CONN_OPEN && census_writable_every_tick(c)) {
            snprintf(out, n, "every tick: %s%s", brief ? "EPOLLOUT" : "writable (EPOLLOUT)",
                     appbuf_len(&c->out) ? "" : ", nothing to write");
            return appbuf_len(&c->out) ? ROLE_TEXT : ROLE_STARVED_TEXT;
        }
        snprintf(out, n, "every tick: %s waiting (level)", what);
        return ROLE_TEXT;
    case CENSUS_NEXT_TICK:
        snprintf(out, n, "next tick: %s, an event is due", what);
        return ROLE_TEXT;
    case CENSUS_CLOSED:
    case CENSUS_IDLE:
        break;
    }
    snprintf(out, n, "idle: nothing waiting");
    return ROLE_DIM;
}

static enum role derived_listener(bool lt, const struct listener_info *l, char *out, size_t n)
{
    if (l->notify.starved != STARVE_NONE) {
        snprintf(out, n, "starved: %u queued, no event will come", l->queued);
        return ROLE_STARVED_TEXT;
    }
    if (l->queued) {
        snprintf(out, n, "%s: %u in the accept queue", lt ? "every tick" : "next tick",
                 l->queued);
        return ROLE_TEXT;
    }
    snprintf(out, n, "idle: accept queue empty");
    return ROLE_DIM;
}

void kernelview_draw(const struct screen *s, struct grid *g)
{
    struct server *srv = side_server(s);
    const struct fdinfo *fi = server_interest(srv);
    const struct glyphs *gl = s->view->gl;
    bool lt = server_knobs(srv)->mode == MODE_LT;
    /* The selected connection stays in sight; a last row says what is
     * cut, or with room for one fd only, the rule says how many show. */
    const struct conn *sel = server_conn_at(srv, render_selected_index(s));
    size_t rows = g->h > 2 ? (size_t)g->h - 2 : 0, at = 0;
    for (size_t i = 0; sel && i < fi->n; i++)
        if (fi->v[i].fd == sel->fd)
            at = i;
    bool cut = rows < fi->n && rows > 1;
    if (cut)
        rows--;
    char title[64], right[96];
    snprintf(title, sizeof title, "kernel: epoll instance %d", server_epoll_fd(srv));
    snprintf(right, sizeof right, "%zu fd%s in its interest list", fi->n, fi->n == 1 ? "" : "s");
    if (!cut && g->h > 2 && rows < fi->n)
        snprintf(right + strlen(right), sizeof right - strlen(right), ", %zu shown", rows);
    title_rule(g, 0, gl, title, right);
    if (g->h < 2)
        return;
    size_t top = scroll_top(0, at, fi->n, rows);

    /* The masks' column as wide as the widest shown: the derived words
     * get the rest. */
    int mask_w = MASK_W_MIN;
    struct sbuf mask = {0};
    for (size_t i = top; i < top + rows && i < fi->n; i++) {
        sbuf_reset(&mask);
        fdinfo_mask_words(fi->v[i].events, &mask);
        int w = text_width(sbuf_str(&mask)) + 1;
        mask_w = w > mask_w ? (w < MASK_W ? w : MASK_W) : mask_w;
    }
    sbuf_free(&mask);
    int mx = FD_W + 1 + NAME_W + 1, dx = mx + mask_w;
    grid_put(g, 1, 1, ROLE_DIM, "fd name");
    grid_put_clip(g, mx, 1, mask_w - 1, ROLE_TITLE, "read from fdinfo", gl->ellipsis);
    grid_put_clip(g, dx, 1, g->w - dx, ROLE_TITLE, "next epoll_wait: derived", gl->ellipsis);
    int listen_fd = server_listener_fd(srv);
    for (size_t i = 0; i < rows && top + i < fi->n; i++) {
        const struct fdinfo_entry *e = &fi->v[top + i];
        int y = 2 + (int)i;
        char derived[96];
        enum role dr = ROLE_DIM;
        const struct conn *c = e->fd == listen_fd ? NULL : conn_on(srv, e->fd);
        grid_putf(g, 0, y, ROLE_DIM, "%*d", FD_W, e->fd);
        if (e->fd == listen_fd) {
            grid_put(g, FD_W + 1, y, ROLE_LABEL, "listener");
            dr = derived_listener(lt, server_listener(srv), derived, sizeof derived);
        } else if (c) {
            grid_put_clip(g, FD_W + 1, y, NAME_W, c == sel ? ROLE_SELECTED : ROLE_LABEL, c->label,
                          gl->ellipsis);
            dr = derived_conn(lt, c, false, derived, sizeof derived);
            if (text_width(derived) > g->w - dx)
                dr = derived_conn(lt, c, true, derived, sizeof derived);
        } else {
            grid_put(g, FD_W + 1, y, ROLE_DIM, "?");
            snprintf(derived, sizeof derived, "-");
        }
        struct sbuf words = {0};
        fdinfo_mask_words(e->events, &words);
        grid_put_clip(g, mx, y, mask_w - 1, ROLE_TEXT, sbuf_str(&words), gl->ellipsis);
        sbuf_free(&words);
        grid_put_clip(g, dx, y, g->w - dx, dr, derived, gl->ellipsis);
    }
    if (cut)
        grid_putf(g, 1, g->h - 1, ROLE_DIM, "%zu above, %zu below (the selected connection "
                  "stays in sight)", top, fi->n - top - rows);
}
