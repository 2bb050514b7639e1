/*
 * tracepane.c - the ring of the server's recent calls and the pane that
 * shows them (see tracepane.h).
 */
#include "tracepane.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

#define MARGIN_MIN 4 /* "t12 " */

void tracelog_clear(struct tracelog *t)
{
    t->n = 0;
    t->tick = 0;
    t->step_from = 0;
    t->last = (struct tracelog_last){0};
}

void tracelog_step(struct tracelog *t)
{
    t->step_from = t->n;
}

/* The colour role of a call, from what it returned. */
static enum role call_role(const struct call *c)
{
    if (c->kind != CALL_NOTE && c->kind != CALL_WAIT && c->ret < 0 && c->err == EAGAIN)
        return ROLE_TRACE_EAGAIN;
    if (c->kind == CALL_READ && c->ret == 0)
        return ROLE_TRACE_EOF;
    if (c->kind == CALL_WAIT && c->ret == 0)
        return ROLE_TRACE_EMPTY;
    return ROLE_TEXT;
}

static bool fit_call(const char *text, int w, struct sbuf *out);

/* The text a line keeps: a call's too long for the ring shortened as the
 * pane shortens it (its result kept), else cut on a character's start,
 * and said so. */
static void shape(const char *text, char out[TRACELOG_TEXT])
{
    struct sbuf fit = {0};
    if (strlen(text) >= TRACELOG_TEXT && fit_call(text, TRACELOG_TEXT - 1, &fit) &&
        fit.len < TRACELOG_TEXT)
        text = sbuf_str(&fit);
    size_t len = strlen(text);
    if (len < TRACELOG_TEXT) {
        memcpy(out, text, len + 1);
    } else {
        len = TRACELOG_TEXT - 4;
        while (len > 0 && (text[len] & 0xc0) == 0x80)
            len--;
        memcpy(out, text, len);
        memcpy(out + len, "...", 4);
    }
    sbuf_free(&fit);
}

static struct tracelog_line *new_line(struct tracelog *t, unsigned conn, enum role role,
                                      bool first)
{
    struct tracelog_line *l = &t->line[t->n % TRACELOG_LINES];
    l->tick = t->tick;
    l->seq = t->n++;
    l->conn = conn;
    l->first = first;
    l->role = (unsigned char)role;
    l->is_rec = false;
    return l;
}

static void keep(struct tracelog *t, const char *text, unsigned conn, enum role role, bool first)
{
    shape(text, new_line(t, conn, role, first)->text);
}

/* A record takes no more room in a line than its text would. */
_Static_assert(sizeof(struct tracelog_rec) <= TRACELOG_TEXT, "a trace record outgrows its line");

/* A read or send whose shown bytes, label and reader fit a record (no
 * note): kept as one.  The rest are worded now. */
static bool keep_rec(struct tracelog *t, const struct call *c)
{
    size_t n = c->kind == CALL_SEND ? c->want : c->ret > 0 ? (size_t)c->ret : 0;
    size_t shown = c->shown && c->shown < n ? c->shown : n;
    const char *who = c->who ? c->who : "";
    size_t label_len = c->label ? strlen(c->label) : 0;
    if ((c->kind != CALL_READ && c->kind != CALL_SEND) || c->note || !c->label ||
        label_len >= sizeof t->line[0].rec.label || shown > TRACELOG_REC_DATA ||
        (who[0] && strcmp(who, "twin ")))
        return false;
    struct tracelog_line *l = new_line(t, c->conn, call_role(c), false);
    struct tracelog_rec *r = &l->rec;
    l->is_rec = true;
    r->kind = (unsigned char)c->kind;
    r->twin = who[0] != 0;
    r->fd = c->fd;
    r->ret = c->ret;
    r->err = c->err;
    r->want = c->want;
    r->shown = c->shown;
    memcpy(r->label, c->label, label_len + 1);
    if (shown)
        memcpy(r->data, c->data, shown);
    return true;
}

const char *tracelog_text(const struct tracelog_line *l, struct sbuf *buf)
{
    if (!l->is_rec)
        return l->text;
    const struct tracelog_rec *r = &l->rec;
    struct call c = {.kind = (enum call_kind)r->kind, .conn = l->conn, .label = r->label,
                     .who = r->twin ? "twin " : "", .fd = r->fd, .ret = r->ret, .err = r->err,
                     .want = r->want, .data = r->data, .shown = r->shown};
    char text[TRACELOG_TEXT];
    sbuf_reset(buf);
    call_strace(&c, buf);
    shape(sbuf_str(buf), text);
    sbuf_reset(buf);
    sbuf_add(buf, text);
    return sbuf_str(buf);
}

static const struct tracelog_line *newest(const struct tracelog *t)
{
    return t->n ? &t->line[(t->n - 1) % TRACELOG_LINES] : NULL;
}

void tracelog_last(struct tracelog *t, const struct call *c)
{
    if (c->kind == CALL_WAIT)
        t->tick = c->tick;
    if (c->kind != CALL_NOTE)
        t->last = (struct tracelog_last){true, c->kind, c->ret, c->err};
}

void tracelog_call(struct tracelog *t, enum trace_kind kind, const struct call *c)
{
    if (!(TRACELOG_KINDS & TRACE_BIT(kind)))
        return;
    struct call shown = *c;
    /* A note right under its own connection's lines needs no name. */
    const struct tracelog_line *prev = newest(t);
    if (c->kind == CALL_NOTE && prev && prev->conn == c->conn && !prev->first)
        shown.label = NULL;
    tracelog_last(t, c);
    if (keep_rec(t, &shown))
        return;
    sbuf_reset(&t->scratch);
    call_strace(&shown, &t->scratch);
    keep(t, sbuf_str(&t->scratch), c->conn, call_role(c), c->kind == CALL_WAIT);
}

void tracelog_free(struct tracelog *t)
{
    sbuf_free(&t->scratch);
}

void tracelog_add(struct tracelog *t, enum trace_kind kind, const char *text)
{
    if (!(TRACELOG_KINDS & TRACE_BIT(kind)))
        return;
    /* A tick's own line that is no epoll_wait ("tick 7: no epoll_wait:
     * ..." while the reader sleeps in read()) starts that tick's lines as
     * an epoll_wait does: the margin says t7, not the last wait's tick. */
    unsigned long long tick;
    int skip = 0;
    if (kind == TRACE_TICK && sscanf(text, "tick %llu: %n", &tick, &skip) == 1 && skip > 0) {
        t->tick = tick;
        keep(t, text + skip, 0, ROLE_TEXT, true);
        return;
    }
    keep(t, text + strspn(text, " "), 0, ROLE_TEXT, false);
}

bool tracelog_shows(const struct tracelog_line *l, unsigned follow)
{
    return !follow || l->first || l->conn == follow;
}

static uint64_t oldest_kept(const struct tracelog *t)
{
    return t->n > TRACELOG_LINES ? t->n - TRACELOG_LINES : 0;
}

static const struct tracelog_line *at(const struct tracelog *t, uint64_t seq)
{
    return &t->line[seq % TRACELOG_LINES];
}

/* The bottom line as a seq in the ring (the newest for TRACE_NEWEST). */
static uint64_t bottom_seq(const struct tracelog *t, uint64_t bottom)
{
    uint64_t lo = oldest_kept(t);
    if (bottom == TRACE_NEWEST || bottom >= t->n)
        return t->n - 1;
    return bottom < lo ? lo : bottom;
}

uint64_t tracelog_scroll(const struct tracelog *t, unsigned follow, uint64_t bottom, long by,
                         int rows)
{
    if (!t->n)
        return TRACE_NEWEST;
    uint64_t lo = oldest_kept(t), cur = bottom_seq(t, bottom);
    /* Older: never so far that the pane would show fewer lines than it has. */
    if (by < 0) {
        uint64_t floor = lo;
        int seen = 0;
        for (uint64_t s = lo; s < t->n && seen < rows; s++)
            if (tracelog_shows(at(t, s), follow) && ++seen == rows)
                floor = s;
        for (long k = 0; k < -by && cur > floor; k++) {
            uint64_t s = cur;
            while (s > floor && !tracelog_shows(at(t, --s), follow))
                ;
            cur = s;
        }
        if (cur < floor)
            cur = floor;
    }
    for (long k = 0; k < by; k++) {
        uint64_t s = cur;
        while (++s < t->n && !tracelog_shows(at(t, s), follow))
            ;
        if (s >= t->n)
            return TRACE_NEWEST;
        cur = s;
    }
    for (uint64_t s = cur + 1; s < t->n; s++)
        if (tracelog_shows(at(t, s), follow))
            return cur;
    return TRACE_NEWEST;
}

unsigned tracepane_follow(const struct screen *s)
{
    struct server *srv = side_server(s);
    int f = s->view->trace_follow;
    if (!server_conn_count(srv) || f < 0 || (f == 0 && !s->conns_dense))
        return 0;
    return server_conn_at(srv, render_selected_index(s))->id;
}

/* The lines a pane of `rows` shows with its bottom at `bottom`: into
 * pick (oldest first), their number returned; whether lines it shows
 * are left above and below. */
static size_t window(const struct tracelog *t, unsigned follow, uint64_t bottom, size_t rows,
                     uint64_t *pick, bool *older, bool *newer)
{
    size_t shown = 0;
    *older = *newer = false;
    if (!t || !t->n || !rows)
        return 0;
    uint64_t lo = oldest_kept(t), b = bottom_seq(t, bottom);
    /* From the bottom line up; then, near the top, down past it. */
    for (uint64_t up = b + 1; up > lo && shown < rows;)
        if (tracelog_shows(at(t, --up), follow))
            pick[shown++] = up;
    for (size_t i = 0; i < shown / 2; i++) {
        uint64_t x = pick[i];
        pick[i] = pick[shown - 1 - i];
        pick[shown - 1 - i] = x;
    }
    for (uint64_t d = b + 1; d < t->n && shown < rows; d++)
        if (tracelog_shows(at(t, d), follow))
            pick[shown++] = d;
    if (!shown)
        return 0;
    for (uint64_t u = pick[0]; u > lo && !*older;)
        *older = tracelog_shows(at(t, --u), follow);
    for (uint64_t d = pick[shown - 1] + 1; d < t->n && !*newer; d++)
        *newer = tracelog_shows(at(t, d), follow);
    return shown;
}

/* ---- a line in the pane's width ----------------------------------------
 * A call's result is the point of its line: where the line is too long,
 * what it passed is shortened, never what it returned.  A note wraps. */

#define NOTE_ROWS_MAX 3

static const char *last_of(const char *text, const char *needle)
{
    const char *hit = NULL;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        hit = p;
    return hit;
}

/* epoll_wait(5, [a IN, b IN, +98], 256, 0) = 100: fewer fds named, the
 * rest counted. */
static bool fit_ready_list(const char *text, const char *res, int w, struct sbuf *out)
{
    const char *lb = strchr(text, '['), *rb = NULL;
    for (const char *p = lb; p && p < res; p = strchr(p + 1, ']'))
        if (*p == ']')
            rb = p;
    if (!lb || !rb)
        return false;
    const char *item[TRACELOG_TEXT / 4]; /* "a IN" and ", " at the least */
    size_t len[ARRAY_LEN(item)], named = 0;
    long more = 0;
    for (const char *p = lb + 1; p < rb && named < ARRAY_LEN(item);) {
        const char *e = strstr(p, ", ");
        if (!e || e > rb)
            e = rb;
        if (*p == '+')
            more += strtol(p + 1, NULL, 10);
        else
            item[named] = p, len[named++] = (size_t)(e - p);
        p = e < rb ? e + 2 : rb;
    }
    for (size_t keep = named; keep-- > 0;) {
        sbuf_reset(out);
        sbuf_addn(out, text, (size_t)(lb + 1 - text));
        for (size_t i = 0; i < keep; i++) {
            sbuf_addn(out, item[i], len[i]);
            sbuf_add(out, ", ");
        }
        sbuf_printf(out, "+%ld", more + (long)(named - keep));
        sbuf_add(out, rb);
        if (text_width(sbuf_str(out)) <= w)
            return true;
    }
    return named > 0;
}

/* read(7 a, "abcdef"...+10, 16) = 16: fewer bytes quoted, cut between
 * escapes, then "..." as strace cuts a string (the length and the result
 * still count them all). */
static bool fit_quoted(const char *text, const char *res, int w, struct sbuf *out)
{
    const char *q = strchr(text, '"');
    if (!q || q > res)
        return false;
    const char *e = q + 1;
    while (*e && *e != '"')
        e += *e == '\\' && e[1] ? 2 : 1;
    if (*e != '"' || e > res)
        return false;
    const char *after = e + 1;
    if (!strncmp(after, "...", 3)) {
        after += 3;
        if (*after == '+')
            after += 1 + strspn(after + 1, "0123456789");
    }
    int fixed = text_width(text) - (int)(after - q) + 5; /* two quotes and "..." */
    int room = w - fixed, used = 0;
    const char *p = q + 1;
    while (p < e) {
        int n = *p != '\\' ? 1 : p[1] == 'x' ? 4 : 2;
        if (used + n > room)
            break;
        used += n;
        p += n;
    }
    sbuf_reset(out);
    sbuf_addn(out, text, (size_t)(p - text));
    sbuf_add(out, "\"...");
    sbuf_add(out, after);
    return true;
}

/* The line of a call with a result, in w columns; false for a note. */
static bool fit_call(const char *text, int w, struct sbuf *out)
{
    const char *res = last_of(text, ") = ");
    if (!res)
        return false;
    if (!strncmp(text, "epoll_wait(", 11))
        return fit_ready_list(text, res, w, out);
    return fit_quoted(text, res, w, out);
}

/* The rows a line takes in w columns, and, with g, drawn there. */
static int put_line(struct grid *g, int x, int y, int w, int max_rows, enum role r,
                    const char *text, const struct glyphs *gl)
{
    struct sbuf fit = {0};
    int rows = 1;
    if (text_width(text) <= w) {
        if (g)
            grid_put(g, x, y, r, text);
    } else if (fit_call(text, w, &fit)) {
        if (g)
            grid_put_clip(g, x, y, w, r, sbuf_str(&fit), gl->ellipsis);
    } else {
        rows = put_wrapped(g, x, y, w, max_rows < NOTE_ROWS_MAX ? max_rows : NOTE_ROWS_MAX, r,
                           text, gl->ellipsis);
    }
    sbuf_free(&fit);
    return rows;
}

/* The newest of the picked lines that fit `rows` once notes wrap: the
 * index of the first one drawn. */
static size_t first_that_fits(const struct tracelog *t, const uint64_t *pick, size_t shown,
                              int w, size_t rows, const struct glyphs *gl)
{
    size_t used = 0, i = shown;
    struct sbuf buf = {0};
    while (i > 0) {
        int n = put_line(NULL, 0, 0, w, NOTE_ROWS_MAX, ROLE_TEXT,
                         tracelog_text(at(t, pick[i - 1]), &buf), gl);
        if (used + (size_t)n > rows)
            break;
        used += (size_t)n;
        i--;
    }
    sbuf_free(&buf);
    return i < shown ? i : shown - 1;
}

void tracepane_draw(const struct screen *s, struct grid *g)
{
    const struct tracelog *t = s->view->tracelog;
    const struct glyphs *gl = s->view->gl;
    struct server *srv = side_server(s);
    unsigned follow = t ? tracepane_follow(s) : 0;
    bool focus = s->view->focus == FOCUS_TRACE, older, newer;
    char title[160], right[64] = "";
    uint64_t pick[SCREEN_MAX_H];
    size_t rows = g->h > 1 ? (size_t)g->h - 1 : 0;
    size_t shown = window(t, follow, s->view->trace_bottom,
                          rows < ARRAY_LEN(pick) ? rows : ARRAY_LEN(pick), pick, &older, &newer);

    char num[32];
    int margin = t ? snprintf(num, sizeof num, "t%llu ", (unsigned long long)t->tick) : 0;
    if (margin < MARGIN_MIN)
        margin = MARGIN_MIN;
    size_t from = shown ? first_that_fits(t, pick, shown, g->w - margin, rows, gl) : 0;
    older |= from > 0;

    if (newer)
        snprintf(right, sizeof right, "%s: newer below", focus ? "End" : "Tab");
    else if (focus)
        snprintf(right, sizeof right, "PgUp: older  f: %s", follow ? "all" : "follow");
    else
        snprintf(right, sizeof right, "t = tick%s", older ? "  Tab: scroll" : "");
    /* The longer title where it fits beside the keys, whole. */
    const char *who = follow ? server_conn_at(srv, render_selected_index(s))->label : NULL;
    for (int brief = 0; brief < 2; brief++) {
        if (who)
            snprintf(title, sizeof title, "trace of %s%s and every epoll_wait", who,
                     brief ? "" : ": its calls");
        else
            snprintf(title, sizeof title, "trace: the server's calls%s", brief ? "" : ", newest last");
        if (text_width(title) + text_width(right) + 8 <= g->w)
            break;
    }
    title_rule(g, 0, gl, title, right);
    if (focus)
        grid_put(g, 0, 0, ROLE_SELECTED, gl->selected);
    if (!t || g->h < 2)
        return;
    if (!shown) {
        grid_put(g, 1, 1, ROLE_DIM, "no epoll_wait yet: t ticks once");
        return;
    }
    int y = 1;
    struct sbuf buf = {0};
    for (size_t i = from; i < shown && y < g->h; i++) {
        const struct tracelog_line *l = at(t, pick[i]);
        /* Earlier steps' lines dim: the step's own stand out. */
        bool old = l->seq < t->step_from;
        if (l->first || i == from)
            grid_putf(g, 0, y, old || !l->first ? ROLE_DIM : ROLE_TITLE, "t%llu",
                      (unsigned long long)l->tick);
        enum role r = old && l->role == ROLE_TEXT ? ROLE_DIM : (enum role)l->role;
        y += put_line(g, margin, y, g->w - margin, g->h - y, r, tracelog_text(l, &buf), gl);
    }
    sbuf_free(&buf);
}

bool tracepane_key(const struct screen *s, struct view *v, enum key_action act, int rows,
                   char *msg, size_t msg_size)
{
    const struct tracelog *t = v->tracelog;
    unsigned follow = tracepane_follow(s);
    long by = 0;
    switch (act) {
    case ACT_FOCUS:
        if (!rows) {
            snprintf(msg, msg_size, "the trace pane is not on screen (v chooses the panes; "
                                    "side by side shows none)");
            return true;
        }
        v->focus = v->focus == FOCUS_TRACE ? FOCUS_CONNS : FOCUS_TRACE;
        snprintf(msg, msg_size, "%s", v->focus == FOCUS_TRACE
                 ? "trace: PgUp PgDn j k Home End scroll it, Tab selects connections again"
                 : "j k select connections again; Tab scrolls the trace");
        return true;
    case ACT_FOLLOW:
        /* The other of what the pane shows now. */
        v->trace_follow = follow ? -1 : 1;
        v->trace_bottom = TRACE_NEWEST;
        snprintf(msg, msg_size, "%s", follow
                 ? "trace: every connection's calls (f follows the selected one)"
                 : "trace: the selected connection's calls and every epoll_wait (f: all)");
        return true;
    case ACT_UP:
        by = -1;
        break;
    case ACT_DOWN:
        by = 1;
        break;
    case ACT_PAGE_UP:
        by = -(long)(rows > 1 ? rows - 1 : 1);
        break;
    case ACT_PAGE_DOWN:
        by = rows > 1 ? rows - 1 : 1;
        break;
    case ACT_FIRST:
        by = -(long)TRACELOG_LINES;
        break;
    case ACT_LAST:
        if (v->focus != FOCUS_TRACE)
            return false;
        v->trace_bottom = TRACE_NEWEST;
        return true;
    default:
        return false;
    }
    if (v->focus != FOCUS_TRACE || !t)
        return false;
    v->trace_bottom = tracelog_scroll(t, follow, v->trace_bottom, by, rows);
    return true;
}
