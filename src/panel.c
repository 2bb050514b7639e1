/*
 * panel.c - one connection as the screen shows it: the five-row panel
 * (name, the kernel's receive buffer, counters, the timeline, why it
 * starves) and the one-line dense row (census.c says what epoll will do
 * with each connection).
 */
#include "panel.h"

#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>

#include "census.h"
#include "expect.h"
#include "notify.h"
#include "server.h"

#define LABEL_MIN_W 15       /* a connection's name: "127.0.0.1:54321" fits at 80 */
#define LABEL_MAX_W 24
#define LABEL_SHARE 5        /* and a fifth of the width in between */
#define STATE_W 13           /* "half-closed", "closed", "open" and a gap */
#define BUFFER_WORD_W 7      /* "buffer " */
#define BUFFER_BAR_MAX 40    /* the panel's receive-buffer bar */
#define BUFFER_BAR_MIN 4     /* below this the bar is left out */
#define TIMELINE_X 10        /* the strip starts after "wakeup" */
#define DENSE_WIDE 100       /* from this width the dense rows get room to breathe */
#define DENSE_BAR_W 8
#define DENSE_BAR_W_WIDE 10
#define DENSE_BYTES_W 8      /* "128 KiB" after the bar */
#define TAIL_MIN_ROOM 8      /* the last bytes shown only with this much room */

static int label_width(const struct grid *g)
{
    int w = g->w / LABEL_SHARE;
    return w < LABEL_MIN_W ? LABEL_MIN_W : w > LABEL_MAX_W ? LABEL_MAX_W : w;
}

/* "STARVED 5 ticks": the epoll_wait calls since it began that could not
 * report it (none yet at the tick it began); `word` names the side. */
static void badge_text_of(const char *word, uint64_t ticks, char *buf, size_t len)
{
    if (!ticks)
        snprintf(buf, len, " %s ", word);
    else
        snprintf(buf, len, " %s %llu tick%s ", word, (unsigned long long)ticks,
                 ticks == 1 ? "" : "s");
}

static void badge_text(uint64_t ticks, char *buf, size_t len)
{
    badge_text_of("STARVED", ticks, buf, len);
}

int panel_starved_badge(struct grid *g, int x, int y, uint64_t ticks)
{
    char b[48];
    badge_text(ticks, b, sizeof b);
    return grid_put(g, x, y, ROLE_STARVED, b);
}

int panel_starved_badge_width(uint64_t ticks)
{
    char b[48];
    badge_text(ticks, b, sizeof b);
    return text_width(b);
}

static const char *state_word(const struct conn *c)
{
    switch (c->state) {
    case CONN_OPEN:
        return "open";
    case CONN_PEER_CLOSED:
        return "half-closed"; /* the peer's FIN came: shutdown() or close(), who knows */
    case CONN_CLOSED:
    default:
        return "closed";
    }
}

static long pending_of(const struct conn *c)
{
    return c->pending > 0 ? c->pending : 0;
}

static int draw_label(struct grid *g, int y, const struct conn *c, bool sel,
                      const struct glyphs *gl)
{
    if (sel)
        grid_put(g, 0, y, ROLE_SELECTED, gl->selected);
    enum role r = sel ? ROLE_SELECTED : c->state == CONN_CLOSED ? ROLE_DIM : ROLE_LABEL;
    grid_put_clip(g, PANEL_INDENT, y, label_width(g), r, c->label, gl->ellipsis);
    return PANEL_INDENT + label_width(g) + 1;
}

/* What some lessons need beyond the usual counters, said only when it
 * happened, in the words of the properties that expect checks. */
static void lesson_counters(const struct screen *s, const struct conn *c, struct sbuf *out)
{
    const struct client *k =
        c->scripted ? client_find(engine_side_clients(s->engine, s->side), c->label) : NULL;
    expect_notes(c, k, out);
}

/* A connection the server writes to: its panel shows both queues. */
static bool writes_back(const struct screen *s, const struct conn *c)
{
    return server_knobs(side_server(s))->reply == REPLY_ECHO || c->writes;
}

/* The write side is in play: the panel gets its `out` row.  EPOLLOUT
 * alone (out always without echo) counts: its wakeups are the lesson. */
static bool out_row(const struct screen *s, const struct conn *c)
{
    return writes_back(s, c) || (c->registered & EPOLLOUT) || c->out_wakeups;
}

int panel_rows(const struct screen *s, const struct conn *c)
{
    return PANEL_ROWS + out_row(s, c);
}

int panels_rows(const struct screen *s, size_t n, int cap)
{
    struct server *srv = side_server(s);
    if (n > (size_t)cap / PANEL_ROWS)
        return cap + 1; /* too many to fit whatever their rows */
    int rows = 0;
    for (size_t i = 0; i < n; i++)
        rows += panel_rows(s, server_conn_at(srv, i));
    return rows;
}

/* "word ▕bar▏ 48 B of 128 KiB" from x to before end: a kernel queue
 * against its size.  The bar is left out where it would be too short;
 * with `brief` (two queues on one row) the size goes first, then the bar,
 * so the count always shows. */
static void bar_field(struct grid *g, int x, int end, int y, const char *word, uint64_t v,
                      long cap, enum role bar, enum role text, const struct glyphs *gl,
                      bool brief)
{
    char a[24], b[24];
    struct sbuf tail = {0};
    format_bytes(v, a, sizeof a);
    format_bytes(cap > 0 ? (uint64_t)cap : 0, b, sizeof b);
    sbuf_printf(&tail, " %s of %s", a, b);
    int word_w = text_width(word);
    int bar_w = end - x - word_w - 2 - text_width(sbuf_str(&tail));
    if (brief && bar_w < BUFFER_BAR_MIN) {
        sbuf_reset(&tail);
        sbuf_printf(&tail, " %s", a);
        bar_w = end - x - word_w - 2 - text_width(sbuf_str(&tail));
        if (bar_w < BUFFER_BAR_MIN) {
            grid_put(g, x, y, ROLE_DIM, word);
            grid_put(g, x + word_w, y, text, a);
            sbuf_free(&tail);
            return;
        }
    }
    if (bar_w > BUFFER_BAR_MAX)
        bar_w = BUFFER_BAR_MAX;
    if (bar_w >= BUFFER_BAR_MIN) {
        grid_put(g, x, y, ROLE_DIM, word);
        fill_bar(g, x + word_w, y, bar_w, v, cap > 0 ? (uint64_t)cap : 1, gl, bar);
        grid_put(g, x + word_w + bar_w + 2, y, text, sbuf_str(&tail));
    }
    sbuf_free(&tail);
}

/* Why a socket starves, in the most words that fit w columns: the
 * whole line of the transcript where there is room, a shorter true one
 * where not (the panel's first row shows the bytes that wait). */
typedef void reason_fn(const struct conn *c, enum starve_kind k, int brevity, struct sbuf *out);

static void put_reason(struct grid *g, int x, int y, int w, const struct conn *c,
                       enum starve_kind k, reason_fn *fn, const struct glyphs *gl)
{
    struct sbuf why = {0};
    for (int b = 0; b <= NOTIFY_BREVITY_MAX; b++) {
        sbuf_reset(&why);
        fn(c, k, b, &why);
        if (text_width(sbuf_str(&why)) <= w)
            break;
    }
    grid_put_clip(g, x, y, w, ROLE_STARVED_TEXT, sbuf_str(&why), gl->ellipsis);
    sbuf_free(&why);
}

/* Row 5 of a connection whose replies wait with no event to come, or
 * whose EPOLLOUT wakes it for nothing: the write side's lint, each in a
 * shorter form where the row is narrow. */
static bool write_lint(const struct screen *s, struct grid *g, int y, const struct conn *c,
                       uint64_t now)
{
    const struct glyphs *gl = s->view->gl;
    bool lt = server_knobs(side_server(s))->mode == MODE_LT;
    int w = g->w - 3;
    struct sbuf why = {0}, brief = {0};
    if (c->wnotify.starved != STARVE_NONE) {
        char b[48];
        badge_text_of("WRITE-STARVED", now - c->wnotify.starved_since, b, sizeof b);
        int x = grid_put(g, 2, y, ROLE_STARVED, b) + 1;
        put_reason(g, x, y, g->w - x - 1, c, c->wnotify.starved, conn_wstarve_reason_brief, gl);
        return true;
    }
    if (census_busy_looping(lt, c) && c->idle_out) {
        sbuf_printf(&why, "EPOLLOUT registered with nothing to write: LT reports it on every tick "
                          "(%llu so far)", (unsigned long long)c->idle_out);
        sbuf_printf(&brief, "EPOLLOUT registered, nothing to write: reported every tick "
                            "(%llu so far)", (unsigned long long)c->idle_out);
    } else if (c->reading_paused) {
        char b[24];
        format_bytes(appbuf_len(&c->out), b, sizeof b);
        sbuf_printf(&why, "reading stopped: %s of replies wait, the client is not reading "
                          "(backpressure)", b);
        sbuf_printf(&brief, "reading stopped: %s of replies wait, the client is not reading", b);
    }
    bool drawn = why.len > 0;
    if (drawn)
        grid_put_clip(g, 2, y, w, ROLE_STARVED_TEXT,
                      sbuf_str(text_width(sbuf_str(&why)) <= w ? &why : &brief), gl->ellipsis);
    sbuf_free(&why);
    sbuf_free(&brief);
    return drawn;
}

/* The last bytes of a field, `last "..."`, cut from the left to fit w
 * columns (the newest bytes stay), never inside an escape; false if fewer
 * than TAIL_MIN_ROOM columns would be left for them. */
static bool tail_to_fit(const char *field, int w, const char *ellipsis, struct sbuf *out)
{
    const char *q = strstr(field, "last \"");
    if (!q)
        return false;
    q += 6;
    int over = text_width(field) + text_width(ellipsis) - w;
    const char *p = q, *end = field + strlen(field) - 1; /* the closing quote */
    while (over > 0 && p < end) {
        int n = *p != '\\' ? 1 : p[1] == 'x' ? 4 : 2;
        p += n;
        over -= n;
    }
    if (over > 0 || end - p < TAIL_MIN_ROOM / 2)
        return false;
    sbuf_addn(out, field, (size_t)(q - field));
    sbuf_add(out, ellipsis);
    sbuf_add(out, p);
    return true;
}

/* Fields ("   " between notes, "  " between a note's counters) from x
 * to before end: each whole, in order, as many as fit; a field of last
 * bytes gives up its oldest ones, else only them. */
static void put_fields(struct grid *g, int x, int y, int end, enum role r, const char *text,
                       const struct glyphs *gl)
{
    const char *p = text;
    int gap = 0;
    struct sbuf field = {0}, cut = {0};
    while (*p) {
        const char *e = strstr(p, "  ");
        size_t len = e ? (size_t)(e - p) : strlen(p);
        size_t spaces = e ? strspn(e, " ") : 0;
        sbuf_reset(&field);
        sbuf_addn(&field, p, len);
        const char *shown = sbuf_str(&field);
        int room = end - x - gap;
        bool cut_here = text_width(shown) > room;
        if (cut_here) {
            sbuf_reset(&cut);
            const char *last = strstr(shown, ", last \"");
            if (tail_to_fit(shown, room, gl->ellipsis, &cut))
                shown = sbuf_str(&cut);
            else if (last && (int)(last - shown) <= room)
                shown = (sbuf_addn(&cut, shown, (size_t)(last - shown)), sbuf_str(&cut));
            else
                break;
        }
        x = grid_put(g, x + gap, y, r, shown);
        gap = (int)spaces;
        p += len + spaces;
        if (cut_here) /* what follows would read as the end of the cut field */
            break;
    }
    sbuf_free(&field);
    sbuf_free(&cut);
}

void panel_draw(const struct screen *s, struct grid *g, int y, const struct conn *c,
                       bool sel)
{
    const struct glyphs *gl = s->view->gl;
    uint64_t now = server_stats(side_server(s))->tick;
    char got[24];
    enum role text = c->state == CONN_CLOSED ? ROLE_DIM : ROLE_TEXT;
    const int top = y;

    /* Row 1: name, state, the kernel's receive buffer. */
    int x = draw_label(g, y, c, sel, gl);
    grid_put(g, x, y, c->state == CONN_OPEN ? ROLE_DIM : ROLE_STARVED_TEXT, state_word(c));
    int bx = x + STATE_W;
    enum role in_role = c->notify.starved ? ROLE_STARVED_TEXT : ROLE_BAR;
    if (!writes_back(s, c)) {
        bar_field(g, bx, g->w, y, "buffer ", (uint64_t)pending_of(c), c->rcvbuf, in_role, text, gl,
                  false);
    } else {
        /* The receive queue beside the send queue (SIOCOUTQ), shown as
         * it is: it can pass SO_SNDBUF by a segment (DECISIONS.md). */
        int mid = bx + (g->w - bx) / 2;
        bar_field(g, bx, mid - 2, y, "in ", (uint64_t)pending_of(c), c->rcvbuf, in_role, text, gl,
                  true);
        bar_field(g, mid, g->w, y, "out ", c->outq > 0 ? (uint64_t)c->outq : 0, c->sndbuf,
                  c->wnotify.starved ? ROLE_STARVED_TEXT : ROLE_BAR, text, gl, true);
    }

    /* Row 2: what the server did, counted from real syscalls. */
    format_bytes(c->bytes_read, got, sizeof got);
    x = grid_put(g, 2, y + 1, ROLE_DIM, "wakeups ");
    x = grid_putf(g, x, y + 1, text, "%llu", (unsigned long long)c->wakeups);
    x = grid_put(g, x, y + 1, ROLE_DIM, "  renotify ");
    x = grid_putf(g, x, y + 1, text, "%llu", (unsigned long long)c->renotify);
    x = grid_put(g, x, y + 1, ROLE_DIM, "  reads ");
    x = grid_putf(g, x, y + 1, text, "%llu", (unsigned long long)c->reads);
    x = grid_put(g, x, y + 1, ROLE_DIM, "  EAGAIN ");
    x = grid_putf(g, x, y + 1, text, "%llu", (unsigned long long)c->eagain_reads);
    x = grid_put(g, x, y + 1, ROLE_DIM, "  read ");
    x = grid_put(g, x, y + 1, text, got);
    struct sbuf ev = {0};
    epoll_events_text(c->last_events, &ev);
    x = grid_put(g, x, y + 1, ROLE_DIM, "  last ");
    x = grid_put(g, x, y + 1, text, c->last_events ? sbuf_str(&ev) : "-");
    sbuf_free(&ev);
    if (c->tail_len && x + TAIL_MIN_ROOM < g->w) {
        struct sbuf b = {0};
        sbuf_addc(&b, '"');
        sbuf_add_escaped(&b, c->tail, c->tail_len);
        sbuf_addc(&b, '"');
        x = grid_put(g, x, y + 1, ROLE_DIM, "  ");
        /* Keep the newest bytes: cut from the left. */
        const char *shown = sbuf_str(&b);
        int room = g->w - x - 1, w = text_width(shown);
        if (w > room && room > 2) {
            x = grid_put(g, x, y + 1, ROLE_DIM, gl->ellipsis);
            shown += w - (room - 1);
        }
        grid_put(g, x, y + 1, text, shown);
        sbuf_free(&b);
    }

    /* Rows 3 and 4: the timeline, the picture of LT against ET; with the
     * write side in play, row 5 is its own (replies waiting, EPOLLOUT)
     * and the rest move down one. */
    int sx = TIMELINE_X, sw = g->w - sx - 1;
    grid_put(g, PANEL_INDENT, y + 2, ROLE_DIM, "level");
    grid_put(g, PANEL_INDENT, y + 3, ROLE_DIM, "wakeup");
    timeline_strip(g, sx, y + 2, sw, &c->timeline, now, gl);
    int rows = panel_rows(s, c);
    if (rows > PANEL_ROWS) {
        grid_put(g, PANEL_INDENT, y + 4, ROLE_DIM, "out");
        out_strip(g, sx, y + 4, sw, &c->timeline, &c->wtimeline, now, gl);
        y++;
    }

    /* The last row: why it starves, or how it ended. */
    if (c->notify.starved != STARVE_NONE) {
        x = panel_starved_badge(g, 2, y + 4, now - c->notify.starved_since);
        put_reason(g, x + 1, y + 4, g->w - x - 2, c, c->notify.starved, conn_starve_reason_brief,
                   gl);
    } else if (c->state == CONN_CLOSED && c->close_reason[0]) {
        grid_putf(g, 2, y + 4, ROLE_DIM, "closed at tick %llu: %s",
                  (unsigned long long)c->closed_tick, c->close_reason);
    } else if (!write_lint(s, g, y + 4, c, now)) {
        struct sbuf extra = {0};
        lesson_counters(s, c, &extra);
        put_fields(g, 2, y + 4, g->w - 1, ROLE_DIM, sbuf_str(&extra), gl);
        sbuf_free(&extra);
    }
    if (sel)
        for (int i = 1; i < rows; i++)
            grid_put(g, 0, top + i, ROLE_SELECTED, gl->vline);
}

void panel_draw_dense(const struct screen *s, struct grid *g, int y, const struct conn *c,
                       bool sel)
{
    const struct glyphs *gl = s->view->gl;
    uint64_t now = server_stats(side_server(s))->tick;
    enum role text = c->state == CONN_CLOSED ? ROLE_DIM : ROLE_TEXT;
    char pend[24];

    int x = draw_label(g, y, c, sel, gl);
    int bar = g->w >= DENSE_WIDE ? DENSE_BAR_W_WIDE : DENSE_BAR_W;
    fill_bar(g, x, y, bar, (uint64_t)pending_of(c), c->rcvbuf > 0 ? (uint64_t)c->rcvbuf : 1, gl,
             c->notify.starved ? ROLE_STARVED_TEXT : ROLE_BAR);
    format_bytes((uint64_t)pending_of(c), pend, sizeof pend);
    grid_put(g, x + bar + 3, y, text, pend);
    x += bar + 3 + DENSE_BYTES_W;
    if (c->state == CONN_CLOSED) {
        grid_put(g, x, y, ROLE_DIM, "closed");
        return;
    }
    int end = g->w;
    const struct notify *sn = c->notify.starved != STARVE_NONE ? &c->notify
                              : c->wnotify.starved != STARVE_NONE ? &c->wnotify
                                                                  : NULL;
    if (sn) {
        const char *word = sn == &c->notify ? "STARVED" : "WSTARVED";
        uint64_t ticks = now - sn->starved_since;
        struct sbuf b = {0};
        if (ticks)
            sbuf_printf(&b, " %s %llu ", word, (unsigned long long)ticks);
        else
            sbuf_printf(&b, " %s ", word);
        end = g->w - text_width(sbuf_str(&b));
        grid_put(g, end, y, ROLE_STARVED, sbuf_str(&b));
        sbuf_free(&b);
    }
    /* The fairness lesson's number first: a dense view is what many
     * connections get, and that lesson is about what each waited for the
     * others.  Then as many counters as fit whole, in this order. */
    const char *sep = g->w >= DENSE_WIDE ? "  " : " ";
    char fields[6][40];
    size_t n = 0;
    if (c->waited) {
        char w[24];
        format_bytes(c->waited, w, sizeof w);
        snprintf(fields[n++], sizeof fields[0], "waited %s", w);
    }
    snprintf(fields[n++], sizeof fields[0], "wake %llu", (unsigned long long)c->wakeups);
    snprintf(fields[n++], sizeof fields[0], "renot %llu", (unsigned long long)c->renotify);
    snprintf(fields[n++], sizeof fields[0], "reads %llu", (unsigned long long)c->reads);
    snprintf(fields[n++], sizeof fields[0], "EAG %llu", (unsigned long long)c->eagain_reads);
    if (c->state == CONN_PEER_CLOSED)
        snprintf(fields[n++], sizeof fields[0], "half-closed");
    for (size_t i = 0; i < n; i++) {
        int gap = i ? text_width(sep) : 0;
        if (x + gap + text_width(fields[i]) > end - 1)
            break;
        x = grid_put(g, x + gap, y, text, fields[i]);
    }
}

