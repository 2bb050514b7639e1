/*
 * render.c - the layout: header, listener, the connections (each drawn by
 * panel.c), narration, message and status lines, and the overlays on top,
 * laid out for the grid's size.
 */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "census.h"
#include "codepane.h"
#include "confirm.h"
#include "kernelview.h"
#include "keymap.h"
#include "menu.h"
#include "narration.h"
#include "panel.h"
#include "panes.h"
#include "promptbox.h"
#include "scroll.h"
#include "server.h"
#include "textbox.h"
#include "textfile.h"
#include "tracepane.h"

/* ---- the layout's measures ------------------------------------------- */

#define INDENT PANEL_INDENT
#define MODE_BADGE_W 11      /* the header's two-row mode block */
#define HEADER_ROWS 2
#define QUEUE_BAR_W 8        /* the listener's accept-queue bar */
#define SIDE_CHROME 4        /* a side's rows besides its panels: header, listener, rule */
#define BOTTOM_ROWS 2        /* the message and the status line */
#define MESSAGE_MAX_ROWS 3   /* a long message wraps onto a second row, a third at 80 */
#define REASON_MAX_ROWS 3    /* and the listener's starvation reason, onto two more */
#define NARRATION_MIN 2      /* a rule and one line */
#define RULE_CHROME 8        /* "─ " title " ── " step " ─" around the two texts */
#define NARRATION_FLOOR 5    /* lines of text the narration keeps when room is short:
                                a long sentence fits whole on one page */

struct server *side_server(const struct screen *s)
{
    return engine_side_server(s->engine, s->side);
}

static const char *mode_badge(enum server_mode m, enum role *r, const char **sub)
{
    switch (m) {
    case MODE_ET:
        *r = ROLE_MODE_ET;
        *sub = "edge";
        return "ET";
    case MODE_ONESHOT:
        *r = ROLE_MODE_ONESHOT;
        *sub = "one-shot";
        return "ONESHOT";
    case MODE_LT:
    default:
        *r = ROLE_MODE_LT;
        *sub = "level";
        return "LT";
    }
}

/* Writes text centred in [x, x + w). */
static void put_centred(struct grid *g, int x, int y, int w, enum role r, const char *text)
{
    int tw = text_width(text);
    grid_put_clip(g, x + (tw < w ? (w - tw) / 2 : 0), y, w, r, text, "");
}

/* ---- header and listener ---------------------------------------------- */

/* The header's knob with its value, as draw_header writes it (0: not
 * shown). */
static int header_knob_width(const struct knob *k, const struct knobs *kn)
{
    struct sbuf v = {0};
    knob_format(k, knob_get(k, kn), true, &v);
    int w = text_width(k->name) + 1 + text_width(sbuf_str(&v));
    sbuf_free(&v);
    return w;
}

/* Which knobs the header shows in `avail` columns: those its rows ask
 * for, but when they do not fit (the write side's knobs at 80 columns),
 * those at their default go, in the table's order: the lesson changed
 * the others, and the later rows (the write side's) are what it is
 * about when they are shown at all.  Returns their width. */
static int header_knobs(const struct knobs *kn, int avail, bool show[KNOB_COUNT])
{
    const struct knob *k;
    int w = 0;
    for (size_t i = 0; (k = knob_at(i)); i++) {
        show[k->id] = k->id != KNOB_MODE && knob_in_header(k, kn);
        if (show[k->id])
            w += (w ? 2 : 0) + header_knob_width(k, kn);
    }
    for (size_t i = 0; w > avail && (k = knob_at(i)); i++) {
        if (show[k->id] && knob_get(k, kn) == k->defval) {
            show[k->id] = false;
            w -= 2 + header_knob_width(k, kn);
        }
    }
    return w;
}

static void draw_header(const struct screen *s, struct grid *g)
{
    struct server *srv = side_server(s);
    const struct server_stats *st = server_stats(srv);
    enum role mr;
    const char *sub;
    const struct knobs *kn = server_knobs(srv);
    const char *mode = mode_badge(kn->mode, &mr, &sub);

    /* The mode is the lesson: a two-row block in its own colour. */
    const int bw = MODE_BADGE_W;
    grid_fill(g, 0, 0, bw, mr, " ");
    grid_fill(g, 0, 1, bw, mr, " ");
    put_centred(g, 0, 0, bw, mr, mode);
    put_centred(g, 0, 1, bw, mr, sub);

    /* The clock and the tick close the row; measured first, so that the
     * knobs before them can make room. */
    struct sbuf clock = {0};
    if (!engine_running(s->engine))
        sbuf_add(&clock, "paused");
    else if (engine_rate(s->engine))
        sbuf_printf(&clock, "%u/s", engine_rate(s->engine));
    else
        sbuf_add(&clock, "on events");
    struct sbuf tick = {0};
    sbuf_printf(&tick, "%llu", (unsigned long long)st->tick);
    int clock_w = text_width("  clock ") + text_width(sbuf_str(&clock));
    int tick_w = text_width("  tick ") + text_width(sbuf_str(&tick));

    /* Then the knobs the header shows, from their rows (header_knobs);
     * the mode is the badge. */
    const struct knob *k;
    bool show[KNOB_COUNT];
    int used = header_knobs(kn, g->w - (bw + 2) - clock_w - tick_w, show);
    /* Narrower than 80 columns the clock gives way before a knob the
     * lesson set: the key line still says p runs it. */
    bool clock_fits = bw + 2 + used + clock_w + tick_w <= g->w;
    int x = bw + 2;
    for (size_t i = 0; (k = knob_at(i)); i++) {
        if (!show[k->id])
            continue;
        struct sbuf v = {0};
        knob_format(k, knob_get(k, kn), true, &v);
        x = grid_putf(g, x, 0, ROLE_DIM, "%s%s ", x > bw + 2 ? "  " : "", k->name);
        x = grid_put(g, x, 0, ROLE_TEXT, sbuf_str(&v));
        sbuf_free(&v);
    }
    if (clock_fits) {
        x = grid_put(g, x, 0, ROLE_DIM, "  clock ");
        x = grid_put(g, x, 0, ROLE_TEXT, sbuf_str(&clock));
    }
    x = grid_put(g, x, 0, ROLE_DIM, "  tick ");
    grid_put(g, x, 0, ROLE_TEXT, sbuf_str(&tick));
    sbuf_free(&clock);
    sbuf_free(&tick);

    x = bw + 2;
    x = grid_put(g, x, 1, ROLE_DIM, "epoll_wait ");
    x = grid_putf(g, x, 1, ROLE_TEXT, "%llu", (unsigned long long)(st->tick - st->asleep_ticks));
    x = grid_putf(g, x, 1, ROLE_DIM, " (%llu empty)", (unsigned long long)st->empty_waits);
    x = grid_put(g, x, 1, ROLE_DIM, "  events ");
    x = grid_putf(g, x, 1, ROLE_TEXT, "%llu", (unsigned long long)st->events);
    x = grid_put(g, x, 1, ROLE_DIM, "  reads ");
    x = grid_putf(g, x, 1, ROLE_TEXT, "%llu", (unsigned long long)st->reads);
    x = grid_put(g, x, 1, ROLE_DIM, "  EAGAIN ");
    grid_putf(g, x, 1, ROLE_TEXT, "%llu", (unsigned long long)st->eagain_reads);
}

/* Returns the rows used (1, or more with a starvation reason). */
static int draw_listener(const struct screen *s, struct grid *g, int y)
{
    struct server *srv = side_server(s);
    const struct listener_info *l = server_listener(srv);
    const struct glyphs *gl = s->view->gl;

    int x = grid_put(g, 0, y, ROLE_LABEL, "listener ");
    x = grid_put(g, x, y, ROLE_TEXT, l->address);
    x = grid_put(g, x, y, ROLE_DIM, "  queue ");
    fill_bar(g, x, y, QUEUE_BAR_W, l->queued, l->queue_limit ? l->queue_limit : 1, gl, ROLE_BAR);
    x += QUEUE_BAR_W + 2;
    x = grid_putf(g, x, y, ROLE_TEXT, " %u of %u", (unsigned)l->queued, (unsigned)l->queue_limit);
    x = grid_putf(g, x, y, ROLE_DIM, "  accepted ");
    x = grid_putf(g, x, y, ROLE_TEXT, "%llu", (unsigned long long)l->accepts);
    if (l->rejected) {
        x = grid_put(g, x, y, ROLE_DIM, "  refused ");
        x = grid_putf(g, x, y, ROLE_TEXT, "%llu", (unsigned long long)l->rejected);
    }
    x = grid_put(g, x, y, ROLE_DIM, "  wakeups ");
    x = grid_putf(g, x, y, ROLE_TEXT, "%llu", (unsigned long long)l->wakeups);
    if (l->paused)
        x = grid_put(g, x + 2, y, ROLE_ERROR, "PAUSED: out of file descriptors");
    if (l->retired) {
        /* accept single: the queue is the kernel's count, not ours. */
        char note[160];
        snprintf(note, sizeof note,
                 "  single accept done: %u in the accept queue, waiting for good (measured: TCP_INFO)",
                 (unsigned)l->queued);
        if (text_width(note) > g->w) /* the same in fewer words */
            snprintf(note, sizeof note,
                     "  single accept done: %u in the accept queue for good (measured: TCP_INFO)",
                     (unsigned)l->queued);
        grid_put_clip(g, 0, y + 1, g->w, ROLE_DIM, note, gl->ellipsis);
        return 2;
    }
    if (l->notify.starved == STARVE_NONE)
        return 1;
    uint64_t ticks = server_stats(srv)->tick - l->notify.starved_since;
    struct sbuf why = {0};
    listener_starve_reason(l, l->notify.starved, &why);
    grid_put(g, 0, y + 1, ROLE_STARVED_TEXT, "  ");
    /* The badge goes after the counters, or where it cannot cover them:
     * first on the reason's row. */
    int rx = INDENT;
    if (x + 2 + panel_starved_badge_width(ticks) <= g->w)
        panel_starved_badge(g, x + 2, y, ticks);
    else
        rx = panel_starved_badge(g, INDENT, y + 1, ticks) + 1;
    int rows = put_wrapped(g, rx, y + 1, g->w - rx, REASON_MAX_ROWS, ROLE_STARVED_TEXT,
                           sbuf_str(&why), gl->ellipsis);
    sbuf_free(&why);
    return 1 + rows;
}

/* ---- connections ------------------------------------------------------ */

size_t render_selected_index(const struct screen *s)
{
    struct server *first = engine_server(s->engine), *srv = side_server(s);
    size_t at = server_conn_index(first, s->view->selected);
    if (at == SIZE_MAX) {
        /* Nobody chose: the first connection still open, so a lesson's
         * closed first client does not keep the one full panel. */
        at = 0;
        while (at < server_conn_count(first) && server_conn_at(first, at)->fd < 0)
            at++;
        if (at == server_conn_count(first))
            return 0;
    }
    const struct conn *sel = server_conn_at(first, at);
    if (srv == first)
        return at;
    for (size_t i = 0; i < server_conn_count(srv); i++)
        if (strcmp(server_conn_at(srv, i)->label, sel->label) == 0)
            return i;
    return 0;
}

/* Returns the dense list's first line as drawn (the view's, moved to keep
 * the selection in sight). */
static size_t draw_conns(const struct screen *s, struct grid *g, int y0, int rows)
{
    struct server *srv = side_server(s);
    const struct view *v = s->view;
    size_t n = server_conn_count(srv);
    struct census cs = *server_census(srv);
    char title[160];

    char closed[48] = "";
    if (cs.closed)
        snprintf(closed, sizeof closed, "%zu closed", cs.closed);
    /* Each count says what the next epoll_wait calls will do; starved
     * first, and shorter forms where the rule is narrow. */
    const char *b = v->gl->bullet;
    int room = g->w - 6 - (cs.closed ? text_width(closed) + 2 : 0);
    /* The write side's, said only when there are any: of the starved,
     * write-starved; of every tick, busy-looping (EPOLLOUT, nothing to write). */
    char wr[64] = "";
    if (cs.wstarved)
        snprintf(wr, sizeof wr, " %s %zu write-starved", b, cs.wstarved);
    if (cs.busy)
        snprintf(wr + strlen(wr), sizeof wr - strlen(wr), " %s %zu busy-looping", b, cs.busy);
    snprintf(title, sizeof title,
             "connections %zu %s %zu starved %s %zu every tick %s %zu next tick %s %zu idle%s",
             cs.open, b, cs.starved, b, cs.every_tick, b, cs.next_tick, b, cs.idle, wr);
    if (wr[0] && text_width(title) > room)
        snprintf(title, sizeof title, "connections %zu %s %zu starved %s %zu every tick%s",
                 cs.open, b, cs.starved, b, cs.every_tick, wr);
    if (text_width(title) > room)
        snprintf(title, sizeof title,
                 "connections %zu %s %zu starved %s %zu every tick %s %zu next tick %s %zu idle",
                 cs.open, b, cs.starved, b, cs.every_tick, b, cs.next_tick, b, cs.idle);
    if (text_width(title) > room)
        snprintf(title, sizeof title, "connections %zu %s %zu starved %s %zu every tick %s %zu next tick",
                 cs.open, b, cs.starved, b, cs.every_tick, b, cs.next_tick);
    if (text_width(title) > room)
        snprintf(title, sizeof title, "connections %zu %s %zu starved", cs.open, b, cs.starved);
    title_rule(g, y0, v->gl, title, closed);
    y0++;
    rows--;
    if (rows <= 0)
        return v->top;
    if (n == 0) {
        put_centred(g, 0, y0 + rows / 2, g->w, ROLE_DIM,
                    v->hint[0] ? v->hint : "no connections yet");
        return v->top;
    }
    size_t sel = render_selected_index(s);
    if (panels_rows(s, n, rows) <= rows) {
        /* A count on screen is FIONREAD's (a carried one is asked). */
        for (size_t i = 0; i < n; i++) {
            server_ask_shown(srv, i);
            const struct conn *c = server_conn_at(srv, i);
            panel_draw(s, g, y0, c, i == sel);
            y0 += panel_rows(s, c);
        }
        return v->top;
    }
    /* More than fit: the selected one in full, then one line each (at
     * least three, or every connection when there are fewer). */
    int sel_rows = panel_rows(s, server_conn_at(srv, sel));
    if (rows >= sel_rows + (n < 3 ? (int)n : 3)) {
        server_ask_shown(srv, sel);
        panel_draw(s, g, y0, server_conn_at(srv, sel), true);
        y0 += sel_rows;
        rows -= sel_rows;
    }
    size_t shown = (size_t)rows;
    size_t top = scroll_top(v->top, sel, n, shown);
    for (size_t i = 0; i < shown && top + i < n; i++) {
        server_ask_shown(srv, top + i);
        panel_draw_dense(s, g, y0 + (int)i, server_conn_at(srv, top + i), top + i == sel);
    }
    return top;
}

/* ---- narration, message, status --------------------------------------- */

#define MAX_PAGES 64

/* Rows the narration pane would like: its rule, every line of narration
 * and one per expect. */
static int narration_rows(const struct screen *s, const struct grid *g, struct narration *nr)
{
    memset(nr, 0, sizeof *nr);
    if (!s->scenario)
        return NARRATION_MIN;
    narration_wrap(nr, engine_narration(s->engine), g->w - 2 * INDENT);
    return 1 + (int)nr->n + (int)engine_step_expects(s->engine);
}

static void draw_expect(const struct screen *s, struct grid *g, int row, size_t i)
{
    const struct glyphs *gl = s->view->gl;
    const struct expect_result *r = engine_step_expect(s->engine, i);
    int x = grid_put(g, INDENT, row, r->passed ? ROLE_OK : ROLE_FAIL, r->passed ? gl->ok : gl->fail);
    x = grid_put(g, x + 1, row, r->passed ? ROLE_TEXT : ROLE_FAIL, r->text);
    grid_putf(g, x, row, ROLE_DIM, "  (%s)", r->detail);
}

/* The narration rule's right-hand text: "step 2 of 5 · " then, under
 * autoplay, its label, then with more than one page "page 1 of 3 · ",
 * then the key that moves on (`next`). */
static void step_text(const struct screen *s, size_t page, size_t pages, const char *next,
                      char *out, size_t size)
{
    const struct scenario *sc = s->scenario;
    const char *b = s->view->gl->bullet;
    char play[96] = "", at[48] = "";
    if (*s->view->play) /* autoplay: playing, the seconds to the next step */
        snprintf(play, sizeof play, "%s %s ", s->view->play, b);
    if (pages > 1)
        snprintf(at, sizeof at, "page %zu of %zu %s ", page + 1, pages, b);
    snprintf(out, size, "step %u of %u %s %s%s%s", scenario_step(sc), scenario_steps(sc), b, play,
             at, next);
}

/* The step's narration and its expects; in pages when they do not fit
 * (never a sentence cut: see narration.h), the page the view asks for. */
static void draw_narration(const struct screen *s, struct grid *g, int y, int rows,
                           const struct narration *nr, struct render_out *out)
{
    const struct glyphs *gl = s->view->gl;
    if (!s->scenario) {
        title_rule(g, y, gl, "free play", NULL);
        if (rows > 1)
            grid_put_clip(g, INDENT, y + 1, g->w - INDENT - 1, ROLE_NARRATION, s->view->hint,
                          gl->ellipsis);
        return;
    }
    const struct scenario *sc = s->scenario;
    size_t nexp = engine_step_expects(s->engine), total = nr->n + nexp;
    size_t avail = rows > 1 ? (size_t)rows - 1 : 1, starts[MAX_PAGES];
    size_t pages = narration_pages(nr, nexp, avail, starts, MAX_PAGES);
    if (pages > MAX_PAGES)
        pages = MAX_PAGES;
    size_t page = s->view->nar_page < pages ? s->view->nar_page : pages - 1;
    out->nar_pages = (unsigned)pages;
    out->nar_page = (unsigned)page;

    char title[256], step[160];
    const char *name = strrchr(scenario_name(sc), '/');
    snprintf(title, sizeof title, "%s %s %s", name ? name + 1 : scenario_name(sc), gl->bullet,
             *scenario_title(sc) ? scenario_title(sc) : "(untitled)");
    bool last_page = page + 1 == pages;
    const char *next = !last_page ? "space: more" : scenario_done(sc) ? "end: r restarts"
                                                                      : "space: next";
    step_text(s, page, pages, next, step, sizeof step);
    /* The title whole rather than the file's name: without the name
     * when both do not fit beside the step; then without the page count
     * (the key still says whether there is more). */
    if (text_width(title) + text_width(step) + RULE_CHROME > g->w)
        snprintf(title, sizeof title, "%s",
                 *scenario_title(sc) ? scenario_title(sc) : name ? name + 1 : scenario_name(sc));
    if (text_width(title) + text_width(step) + RULE_CHROME > g->w && pages > 1)
        step_text(s, page, 1, next, step, sizeof step);
    title_rule(g, y, gl, title, step);

    /* This page: its lines from the sentence it begins with up to the
     * sentence the next page begins with; of a line shared with another
     * page's sentence, only this page's part (narration_page_span), so no
     * sentence shows half. */
    struct narration_page pg;
    narration_page_span(nr, total, avail, starts, pages, page, &pg);
    size_t span = pg.end - pg.from + 1;
    char **lines = xcalloc(span, sizeof *lines);
    size_t nl = narration_page_lines(nr, &pg, lines, span);
    int row = y + 1;
    for (size_t i = 0; i < nl; i++, row++) {
        grid_put_clip(g, INDENT, row, g->w - INDENT - 1, ROLE_NARRATION, lines[i], gl->ellipsis);
        free(lines[i]);
    }
    free(lines);
    for (size_t i = pg.from > nr->n ? pg.from : nr->n; i < pg.end; i++, row++)
        draw_expect(s, g, row, i - nr->n);
}

static int status_width(const struct key_binding *b)
{
    return text_width(b->status_keys) + 1 + text_width(b->status) + 2;
}

/* The keys that fit, in table order; help and quit always, at the right. */
static void draw_status(const struct screen *s, struct grid *g, int y)
{
    int right = 0, x = 0;
    struct key_binding kb;
    const struct key_binding *b = &kb;
    for (size_t i = 0; keymap_at(i, &kb) == 0; i++)
        if (b->status_keys[0] && (b->act == ACT_HELP || b->act == ACT_QUIT))
            right += status_width(b);
    int rx = g->w - right + 2;
    /* The trace pane has the moving keys: its own keys say so. */
    static const char *const trace_keys[][2] = {
        {"Tab", "connections"}, {"PgUp/PgDn j/k", "scroll"}, {"End", "newest"},
        {"f", "follow/all"},
    };
    bool trace = s->view->focus == FOCUS_TRACE;
    for (size_t i = 0; trace && i < ARRAY_LEN(trace_keys); i++) {
        int kw = text_width(trace_keys[i][0]) + 1 + text_width(trace_keys[i][1]) + 2;
        if (x + kw > g->w - right)
            break;
        x = grid_put(g, x, y, ROLE_KEY, trace_keys[i][0]);
        x = grid_put(g, x + 1, y, ROLE_DIM, trace_keys[i][1]) + 2;
    }
    for (size_t i = 0; keymap_at(i, &kb) == 0; i++) {
        if (!b->status_keys[0] || (b->act == ACT_NEXT && !s->scenario))
            continue;
        bool pinned = b->act == ACT_HELP || b->act == ACT_QUIT;
        if (trace && !pinned)
            continue;
        int *at = pinned ? &rx : &x;
        if (!pinned && x + status_width(b) > g->w - right)
            continue;
        *at = grid_put(g, *at, y, ROLE_KEY, b->status_keys);
        *at = grid_put(g, *at + 1, y, ROLE_DIM, b->status) + 2;
    }
}

/* ---- overlays ---------------------------------------------------------- */

/* ---- the screen -------------------------------------------------------- */

/* One server's part of the screen: header, listener, connections. */
static void draw_side(const struct screen *s, struct grid *g, int y_end, struct render_out *out)
{
    draw_header(s, g);
    int y = HEADER_ROWS;
    y += draw_listener(s, g, y);
    size_t top = draw_conns(s, g, y, y_end - y);
    if (s->side == 0)
        out->conn_top = top; /* the other side follows the first side's selection */
}

typedef void pane_draw_fn(const struct screen *s, struct grid *g);

/* Draws a pane into its own grid, so it knows only its size, and puts it
 * at r. */
static void draw_in(const struct screen *s, struct grid *g, struct rect r, pane_draw_fn *draw)
{
    if (r.h <= 0 || r.w <= 0)
        return;
    struct grid part;
    grid_init(&part, r.w, r.h);
    part.ascii = g->ascii;
    draw(s, &part);
    grid_blit(g, r.x, r.y, &part);
    grid_free(&part);
}

static bool rule_at(struct rect r, int y)
{
    return r.h > 0 && r.y == y;
}

/* The line between the connections and the right-hand column, joined to
 * the rules it meets (a rule is never crossed by a bare line). */
static void draw_divider(const struct glyphs *gl, struct grid *g, const struct pane_layout *pl,
                         int y, int y_end)
{
    int x = pl->conns.w;
    for (int r = y; r < y_end; r++) {
        bool left = r == y || (pl->trace.x == 0 && rule_at(pl->trace, r)) ||
                    rule_at(pl->kernel, r);
        bool right = (pl->trace.x > 0 && rule_at(pl->trace, r)) || rule_at(pl->code, r);
        const char *c = r == y ? gl->tee_down
                      : left && right ? gl->cross
                      : left ? gl->tee_left
                      : right ? gl->tee_right : gl->vline;
        grid_put(g, x, r, ROLE_DIM, c);
    }
}

/* One server and the panes, placed by the rule in panes.h; the
 * connections want conn_full rows with every panel, conn_dense with one
 * line each (both counting the side's chrome, SIDE_CHROME). */
static void draw_single(const struct screen *s, struct grid *g, int y_end, int conn_full,
                        int conn_dense, struct render_out *out)
{
    draw_header(s, g);
    int y = HEADER_ROWS;
    y += draw_listener(s, g, y);
    int chrome = SIDE_CHROME - 1; /* the connections' rule is theirs */
    struct pane_room room = {
        .w = g->w,
        .y = y,
        .h = y_end - y,
        .conn_full = conn_full - chrome,
        .conn_dense = conn_dense - chrome,
        .kernel_rows = kernelview_rows(s),
        .code_rows = codepane_rows(s),
    };
    struct pane_layout pl;
    panes_place(s->view->panes, &room, &pl);
    if (pl.conns.w == g->w) {
        out->conn_top = draw_conns(s, g, y, pl.conns.h);
    } else {
        struct grid part;
        grid_init(&part, pl.conns.w, pl.conns.h);
        part.ascii = g->ascii;
        size_t top = draw_conns(s, &part, 0, pl.conns.h);
        grid_blit(g, 0, y, &part);
        grid_free(&part);
        draw_divider(s->view->gl, g, &pl, y, y_end);
        out->conn_top = top;
    }
    draw_in(s, g, pl.code, codepane_draw);
    /* Many connections (one line each): the trace follows the selected. */
    struct screen laid = *s;
    size_t n = server_conn_count(side_server(s));
    laid.conns_dense = pl.conns.h < 1 + panels_rows(s, n, pl.conns.h);
    draw_in(&laid, g, pl.trace, tracepane_draw);
    out->conns_dense = laid.conns_dense;
    draw_in(s, g, pl.kernel, kernelview_draw);
    out->trace_rows = pl.trace.h > 1 ? pl.trace.h - 1 : 0;
}

/* Side by side: left and right when both halves are wide enough for the
 * panels, else one above the other. */
#define SIDE_MIN_W 70

static void draw_sides(const struct screen *s, struct grid *g, int rows, struct render_out *out)
{
    unsigned n = engine_sides(s->engine);
    bool across = g->w >= (int)n * SIDE_MIN_W + 1;
    for (unsigned i = 0; i < n; i++) {
        struct screen one = *s;
        one.side = i;
        int w = across ? (g->w - 1) / (int)n : g->w;
        int h = across ? rows : rows / (int)n;
        struct grid part;
        grid_init(&part, w, h);
        part.ascii = g->ascii;
        draw_side(&one, &part, h, out);
        grid_blit(g, across ? (int)i * (w + 1) : 0, across ? 0 : (int)i * h, &part);
        grid_free(&part);
        if (across && i + 1 < n)
            for (int r = 0; r < rows; r++)
                grid_put(g, (int)(i + 1) * (w + 1) - 1, r, ROLE_DIM, s->view->gl->vline);
    }
}

/* The rows of the selected connection's panel on `side` (PANEL_ROWS
 * with no connection, or no such side). */
static int selected_panel_rows(const struct screen *s, unsigned side)
{
    if (side >= engine_sides(s->engine))
        return PANEL_ROWS;
    struct screen one = *s;
    one.side = side;
    struct server *srv = side_server(&one);
    if (!server_conn_count(srv))
        return PANEL_ROWS;
    return panel_rows(&one, server_conn_at(srv, render_selected_index(&one)));
}

void render_screen(const struct screen *s, struct grid *g)
{
    struct render_out scratch;
    struct render_out *out = s->out ? s->out : &scratch;
    const struct view *v = s->view;
    *out = (struct render_out){-1, -1, v->top, v->text_top, v->text_last_top, 0, 1, 0, false};
    grid_clear(g);
    if (g->w < SCREEN_MIN_W || g->h < SCREEN_MIN_H) {
        char msg[96];
        snprintf(msg, sizeof msg, "terminal too small: %dx%d", g->w, g->h);
        put_centred(g, 0, g->h / 2 - 1, g->w, ROLE_ERROR, msg);
        snprintf(msg, sizeof msg, "epollviz needs %dx%d", SCREEN_MIN_W, SCREEN_MIN_H);
        put_centred(g, 0, g->h / 2, g->w, ROLE_TEXT, msg);
        return;
    }
    struct narration nr;
    const bool two = engine_comparing(s->engine);
    /* A message wider than the screen wraps: its second row is the
     * narration's. */
    int msg_rows = v->message[0] ? put_wrapped(NULL, 0, 0, g->w, MESSAGE_MAX_ROWS, ROLE_TEXT,
                                               v->message, "") : 1;
    int bottom = g->h - BOTTOM_ROWS - (msg_rows - 1);
    int nar = narration_rows(s, g, &nr);
    /* Room for the narration: what it wants if every connection still
     * gets its panel (each side: header, listener, rule, the panels);
     * else what it wants if the connections go one line each but the
     * selected one; else all that leaves, never under a floor (a long
     * sentence fits whole on a page); what does not fit pages. */
    size_t n = server_conn_count(engine_server(s->engine));
    int sel_rows = selected_panel_rows(s, 0);
    int conn_min = two ? 2 * (SIDE_CHROME + 1) : SIDE_CHROME + sel_rows;
    /* Every connection in a panel, or the selected one in a panel and
     * then one line each (the selected one's included). */
    int two_rows = sel_rows > selected_panel_rows(s, 1) ? sel_rows : selected_panel_rows(s, 1);
    struct screen first = *s;
    first.side = 0;
    int conn_full = two ? 2 * (SIDE_CHROME + two_rows)
                        : SIDE_CHROME + (n ? panels_rows(&first, n, g->h) : 2);
    int conn_dense = two ? conn_full : SIDE_CHROME + (n ? sel_rows + (int)n : 2);
    int lines = (int)nr.n + (int)engine_step_expects(s->engine);
    int nar_min = s->scenario ? 1 + (lines < NARRATION_FLOOR ? lines : NARRATION_FLOOR)
                              : NARRATION_MIN;
    if (nar > bottom - conn_full) { /* the narration whole rather than every panel */
        int room = bottom - conn_dense;
        if (nar > room)
            nar = room > nar_min ? room : nar_min;
    }
    if (nar > bottom - conn_min)
        nar = bottom - conn_min;
    if (nar < NARRATION_MIN)
        nar = NARRATION_MIN;
    int nar_y = bottom - nar;
    if (two) {
        draw_sides(s, g, nar_y, out);
    } else {
        struct screen one = *s;
        one.side = 0;
        draw_single(&one, g, nar_y, conn_full, conn_dense, out);
    }
    draw_narration(s, g, nar_y, nar, &nr, out);
    narration_free(&nr);

    if (v->message[0])
        put_wrapped(g, 0, bottom, g->w, msg_rows, v->message_error ? ROLE_ERROR : ROLE_TEXT,
                    v->message, v->gl->ellipsis);
    draw_status(s, g, g->h - 1);

    switch (v->overlay) {
    case OVERLAY_HELP:
        help_draw(v, g, &out->text_top, &out->text_last_top);
        break;
    case OVERLAY_MENU:
        menu_draw(v, s->scenario != NULL, g);
        break;
    case OVERLAY_CONFIRM:
        confirm_draw(v, g);
        break;
    case OVERLAY_TEXT:
        text_draw(v, g, &out->text_top, &out->text_last_top);
        break;
    case OVERLAY_NONE:
        break;
    }
    if (v->prompt.active)
        prompt_draw(v, g, &out->cursor_x, &out->cursor_y);
}

int screen_dump(const struct screen *s, int w, int h, const char *dir, const char *path,
                struct sbuf *err)
{
    struct grid g;
    struct sbuf text = {0};
    grid_init(&g, w, h);
    render_screen(s, &g);
    grid_text(&g, &text);
    grid_free(&g);
    int rc = textfile_write(dir, path, sbuf_str(&text), text.len, err);
    sbuf_free(&text);
    return rc;
}
