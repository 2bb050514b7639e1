/*
 * expect.c - properties an `expect` line can check, in one table, and the
 * words a connection's panel uses for those that some lessons count.
 */
#include "expect.h"

#include <string.h>

#include "probe.h"
#include "server.h"

#define GROUP_DETAILS 4 /* failing members named in a group expect */

struct expect_prop {
    const char *name;
    enum expect_target target;
    bool flag;        /* true/false property: no operator or value */
    bool client_side; /* read from the scenario client, not the server's socket */
    uint64_t (*get)(const void *obj);
    const char *help;
};

#define C(field) ((const struct conn *)obj)->field
#define L(field) ((const struct listener_info *)obj)->field
#define S(field) server_stats((const struct server *)obj)->field

/* Asked now, as the screen asks a count it draws (the sample may have
 * carried it from the server's reads: server.c, "what a read tells"). */
static uint64_t c_pending(const void *obj)
{
    long n = C(fd) >= 0 ? probe_pending(C(fd)) : 0;
    return n > 0 ? (uint64_t)n : 0;
}
static uint64_t c_wakeups(const void *obj) { return C(wakeups); }
static uint64_t c_renotify(const void *obj) { return C(renotify); }
static uint64_t c_reads(const void *obj) { return C(reads); }
static uint64_t c_eagain(const void *obj) { return C(eagain_reads); }
static uint64_t c_bytes(const void *obj) { return C(bytes_read); }
static uint64_t c_mods(const void *obj) { return C(mods); }
static uint64_t c_starved(const void *obj) { return C(notify.starved) != STARVE_NONE; }
static uint64_t c_closed(const void *obj) { return C(state) == CONN_CLOSED; }
static uint64_t c_halfclosed(const void *obj) { return C(state) == CONN_PEER_CLOSED; }
static uint64_t c_armed(const void *obj) { return C(notify.armed); }
static uint64_t c_eofreads(const void *obj) { return C(eof_reads); }
static uint64_t c_waited(const void *obj) { return C(waited); }
static uint64_t c_twinwakeups(const void *obj) { return C(twin_wakeups); }
static uint64_t c_twinbytes(const void *obj) { return C(twin_bytes); }
static uint64_t c_writes(const void *obj) { return C(writes); }
static uint64_t c_wagain(const void *obj) { return C(eagain_writes); }
static uint64_t c_written(const void *obj) { return C(bytes_written); }
static uint64_t c_unsent(const void *obj) { return appbuf_len(&C(out)); }
static uint64_t c_outwakeups(const void *obj) { return C(out_wakeups); }
static uint64_t c_idleout(const void *obj) { return C(idle_out); }
static uint64_t c_wstarved(const void *obj) { return C(wnotify.starved) != STARVE_NONE; }
static uint64_t c_paused(const void *obj) { return C(reading_paused); }
/* Asked of the kernel now, as the client's sendq is. */
static uint64_t c_outq(const void *obj)
{
    long q = C(fd) >= 0 ? probe_send_queue(C(fd)) : 0;
    return q > 0 ? (uint64_t)q : 0;
}
static uint64_t c_asleep(const void *obj) { return C(asleep); }
static uint64_t c_twinasleep(const void *obj) { return C(twin_asleep); }
static uint64_t k_sendq(const void *obj)
{
    const struct client *k = obj;
    long q = k->fd >= 0 ? probe_send_queue(k->fd) : 0;
    return q > 0 ? (uint64_t)q : 0;
}
static uint64_t k_queued(const void *obj) { return ((const struct client *)obj)->queued; }
static uint64_t k_recvq(const void *obj) { return client_recvq(obj); }
static uint64_t k_received(const void *obj) { return ((const struct client *)obj)->received; }
static uint64_t k_held(const void *obj) { return ((const struct client *)obj)->held; }
static uint64_t s_eofreads(const void *obj) { return S(eof_reads); }
static uint64_t s_twinevents(const void *obj) { return S(twin_events); }
static uint64_t s_writes(const void *obj) { return S(writes); }
static uint64_t s_idleout(const void *obj) { return S(idle_out); }
static uint64_t l_queue(const void *obj) { return L(queued); }
static uint64_t l_peak(const void *obj) { return L(queue_peak); }
static uint64_t l_accepts(const void *obj) { return L(accepts); }
static uint64_t l_wakeups(const void *obj) { return L(wakeups); }
static uint64_t l_calls(const void *obj) { return L(accept_calls); }
static uint64_t l_eagain(const void *obj) { return L(accept_eagain); }
static uint64_t l_emfile(const void *obj) { return L(accept_emfile); }
static uint64_t l_rejected(const void *obj) { return L(rejected); }
static uint64_t l_starved(const void *obj) { return L(notify.starved) != STARVE_NONE; }
static uint64_t l_armed(const void *obj) { return L(notify.armed); }
static uint64_t s_tick(const void *obj) { return S(tick); }
static uint64_t s_waits(const void *obj) { return S(tick) - S(asleep_ticks); }
static uint64_t s_events(const void *obj) { return S(events); }
static uint64_t s_empty(const void *obj) { return S(empty_waits); }
static uint64_t s_reads(const void *obj) { return S(reads); }
static uint64_t s_eagain(const void *obj) { return S(eagain_reads); }
static uint64_t s_syscalls(const void *obj) { return S(syscalls); }
static uint64_t s_conns(const void *obj) { return S(open_conns); }

static const struct expect_prop props[] = {
    {"pending", TARGET_CONN, false, false, c_pending, "bytes waiting in the kernel (FIONREAD)"},
    {"wakeups", TARGET_CONN, false, false, c_wakeups, "times epoll_wait returned the connection"},
    {"renotify", TARGET_CONN, false, false, c_renotify, "wakeups with no new byte since the previous one"},
    {"reads", TARGET_CONN, false, false, c_reads, "read() calls, EAGAIN ones included"},
    {"eagain", TARGET_CONN, false, false, c_eagain, "read() calls that returned EAGAIN"},
    {"bytes", TARGET_CONN, false, false, c_bytes, "bytes read by the server"},
    {"mods", TARGET_CONN, false, false, c_mods, "EPOLL_CTL_MOD calls on the connection"},
    {"eofreads", TARGET_CONN, false, false, c_eofreads, "read() calls that returned 0 (end of stream)"},
    {"waited", TARGET_CONN, false, false, c_waited,
     "bytes read from other connections earlier in the tick of its last wakeup"},
    {"twinwakeups", TARGET_CONN, false, false, c_twinwakeups, "times the twin epoll set returned it"},
    {"twinbytes", TARGET_CONN, false, false, c_twinbytes, "bytes the twin reader read"},
    {"writes", TARGET_CONN, false, false, c_writes, "send() calls of its replies, EAGAIN ones included"},
    {"wagain", TARGET_CONN, false, false, c_wagain, "send() calls that returned EAGAIN"},
    {"written", TARGET_CONN, false, false, c_written, "bytes the server wrote back"},
    {"outq", TARGET_CONN, false, false, c_outq,
     "bytes in the server's kernel send queue, sent or not (SIOCOUTQ)"},
    {"unsent", TARGET_CONN, false, false, c_unsent,
     "bytes waiting in the server's reply buffer, not yet given to send()"},
    {"outwakeups", TARGET_CONN, false, false, c_outwakeups, "wakeups that reported EPOLLOUT"},
    {"idleout", TARGET_CONN, false, false, c_idleout, "EPOLLOUT wakeups with nothing to write"},
    {"sendq", TARGET_CONN, false, true, k_sendq,
     "bytes in the client's kernel send queue, sent or not (SIOCOUTQ)"},
    {"queued", TARGET_CONN, false, true, k_queued,
     "bytes the client holds because its socket took no more"},
    {"recvq", TARGET_CONN, false, true, k_recvq,
     "bytes waiting unread in the client's own socket (FIONREAD)"},
    {"received", TARGET_CONN, false, true, k_received,
     "bytes the client read from its socket (what the server sent it)"},
    {"starved", TARGET_CONN, true, false, c_starved, "bytes wait and no event can come"},
    {"closed", TARGET_CONN, true, false, c_closed, "the server closed its socket"},
    {"halfclosed", TARGET_CONN, true, false, c_halfclosed, "the peer shut down its sending side, still open"},
    {"armed", TARGET_CONN, true, false, c_armed, "one-shot not yet fired (always true in lt/et)"},
    {"wstarved", TARGET_CONN, true, false, c_wstarved,
     "replies wait to be written and no EPOLLOUT event can come"},
    {"paused", TARGET_CONN, true, false, c_paused,
     "the server stopped reading it: its reply buffer is full (backpressure)"},
    {"asleep", TARGET_CONN, true, false, c_asleep,
     "twin blocking: the server's reader sleeps inside read() on it (derived: FIONREAD = 0)"},
    {"twinasleep", TARGET_CONN, true, false, c_twinasleep,
     "twin blocking: the twin reader sleeps inside read() on it (derived: FIONREAD = 0)"},
    {"held", TARGET_CONN, true, true, k_held, "the client does not read its socket (hold)"},
    {"queue", TARGET_LISTENER, false, false, l_queue, "connections in the accept queue (tcpi_unacked)"},
    {"peak", TARGET_LISTENER, false, false, l_peak, "the longest accept queue seen"},
    {"accepts", TARGET_LISTENER, false, false, l_accepts, "connections accepted"},
    {"wakeups", TARGET_LISTENER, false, false, l_wakeups, "times epoll_wait returned the listener"},
    {"calls", TARGET_LISTENER, false, false, l_calls, "accept() calls, EAGAIN ones included"},
    {"eagain", TARGET_LISTENER, false, false, l_eagain, "accept() calls that returned EAGAIN"},
    {"emfile", TARGET_LISTENER, false, false, l_emfile, "accept() calls that failed with EMFILE/ENFILE"},
    {"rejected", TARGET_LISTENER, false, false, l_rejected, "connections refused (limit or no fds)"},
    {"starved", TARGET_LISTENER, true, false, l_starved, "connections wait and no event can come"},
    {"armed", TARGET_LISTENER, true, false, l_armed, "one-shot not yet fired (always true in lt/et)"},
    {"ticks", TARGET_SERVER, false, false, s_tick, "ticks so far: epoll_wait calls, and ticks asleep in read()"},
    {"events", TARGET_SERVER, false, false, s_events, "events returned by epoll_wait, summed"},
    {"empty", TARGET_SERVER, false, false, s_empty, "epoll_wait calls that returned nothing"},
    {"reads", TARGET_SERVER, false, false, s_reads, "read() calls on all connections"},
    {"eagain", TARGET_SERVER, false, false, s_eagain, "read() calls that returned EAGAIN"},
    {"syscalls", TARGET_SERVER, false, false, s_syscalls, "syscalls made by the server loop"},
    {"eofreads", TARGET_SERVER, false, false, s_eofreads, "read() calls that returned 0"},
    {"twinevents", TARGET_SERVER, false, false, s_twinevents, "events the twin epoll set returned"},
    {"conns", TARGET_SERVER, false, false, s_conns, "open connections"},
    {"writes", TARGET_SERVER, false, false, s_writes, "send() calls of replies on all connections"},
    {"idleout", TARGET_SERVER, false, false, s_idleout, "EPOLLOUT wakeups with nothing to write"},
    {"waits", TARGET_SERVER, false, false, s_waits, "epoll_wait calls (a tick asleep in read() makes none)"},

};

static const char *const op_names[] = {"=", "!=", "<", "<=", ">", ">="};

/* ---- the panel's words for the counters some lessons are about --------- */

static void say_mods(const void *obj, struct sbuf *out)
{
    const char *sep = "";
    if (C(mods)) {
        sbuf_printf(out, "%llu EPOLL_CTL_MOD", (unsigned long long)C(mods));
        sep = "   ";
    }
    /* what the next EPOLL_CTL_MOD is waited for */
    if (!C(notify.armed) && C(notify.starved) == STARVE_NONE)
        sbuf_printf(out, "%sone-shot fired: no event until EPOLL_CTL_MOD", sep);
}

static void say_eofreads(const void *obj, struct sbuf *out)
{
    if (C(eof_reads))
        sbuf_printf(out, "%llu read%s of 0 (end of stream)", (unsigned long long)C(eof_reads),
                    C(eof_reads) == 1 ? "" : "s");
}

static void say_waited(const void *obj, struct sbuf *out)
{
    char a[24];
    if (!C(waited))
        return;
    format_bytes(C(waited), a, sizeof a);
    sbuf_printf(out, "waited behind %s for others", a);
}

static void say_twin(const void *obj, struct sbuf *out)
{
    char a[24];
    if (!C(twin_wakeups))
        return;
    format_bytes(C(twin_bytes), a, sizeof a);
    sbuf_printf(out, "twin set: %llu wakeup%s, read %s", (unsigned long long)C(twin_wakeups),
                C(twin_wakeups) == 1 ? "" : "s", a);
    if (C(twin_tail_len)) {
        sbuf_add(out, ", last \"");
        sbuf_add_escaped(out, C(twin_tail), C(twin_tail_len));
        sbuf_addc(out, '"');
    }
}

/* twin blocking: which reader sleeps in read(), and that it is derived. */
static void say_asleep(const void *obj, struct sbuf *out)
{
    if (!C(asleep) && !C(twin_asleep))
        return;
    sbuf_printf(out, "%s ASLEEP in read() (derived)",
                C(asleep) && C(twin_asleep) ? "both readers"
                : C(asleep)                 ? "server's reader"
                                            : "twin reader");
}

/* The write side, in its properties' words, once it wrote or was woken
 * for writing. */
static void say_writes(const void *obj, struct sbuf *out)
{
    char a[24], b[24];
    if (!C(writes) && !C(out_wakeups))
        return;
    format_bytes(C(bytes_written), a, sizeof a);
    format_bytes(appbuf_len(&C(out)), b, sizeof b);
    /* The calls, then the bytes: a narrow panel keeps what comes first. */
    sbuf_printf(out, "writes %llu  wagain %llu  outwakeups %llu", (unsigned long long)C(writes),
                (unsigned long long)C(eagain_writes), (unsigned long long)C(out_wakeups));
    if (C(idle_out))
        sbuf_printf(out, " (idle %llu)", (unsigned long long)C(idle_out));
    sbuf_printf(out, "  written %s  unsent %s", a, b);
}

/* The client's queues, as last sampled: flow control holding it back. */
static void say_client(const void *obj, struct sbuf *out)
{
    const struct client *k = obj;
    char a[24], b[24];
    if (k->sendq <= 0 && k->queued == 0)
        return;
    format_bytes((uint64_t)k->sendq, a, sizeof a);
    format_bytes(k->queued, b, sizeof b);
    sbuf_printf(out, "client: %s in its send queue, %s held back", a, b);
}

/* A held client: what waits unread in its socket, as last sampled. */
static void say_held(const void *obj, struct sbuf *out)
{
    const struct client *k = obj;
    char a[24];
    if (!k->held)
        return;
    format_bytes(k->unread > 0 ? (uint64_t)k->unread : 0, a, sizeof a);
    sbuf_printf(out, "client held: %s unread in its socket", a);
}

/* In the order the panel says them; each belongs to the property with that
 * getter (and reads the client when the property does). */
static const struct {
    uint64_t (*get)(const void *obj);
    void (*say)(const void *obj, struct sbuf *out);
} notes[] = {
    {c_mods, say_mods},     {c_eofreads, say_eofreads}, {c_waited, say_waited},
    {c_asleep, say_asleep}, {c_twinwakeups, say_twin}, {c_writes, say_writes},
    {k_sendq, say_client}, {k_held, say_held},
};

static const struct expect_prop *prop_of(uint64_t (*get)(const void *obj))
{
    for (size_t i = 0; i < ARRAY_LEN(props); i++)
        if (props[i].get == get)
            return &props[i];
    fatal("a note names no property");
}

void expect_notes(const struct conn *c, const struct client *k, struct sbuf *out)
{
    struct sbuf one = {0};
    for (size_t i = 0; i < ARRAY_LEN(notes); i++) {
        const void *obj = prop_of(notes[i].get)->client_side ? (const void *)k : (const void *)c;
        if (!obj)
            continue;
        sbuf_reset(&one);
        notes[i].say(obj, &one);
        if (one.len)
            sbuf_printf(out, "%s%s", out->len ? "   " : "", sbuf_str(&one));
    }
    sbuf_free(&one);
}

static const char *target_word(enum expect_target t)
{
    return t == TARGET_CONN ? "a connection" : t == TARGET_LISTENER ? "the listener" : "the server";
}

void expect_list_props(enum expect_target t, struct sbuf *out)
{
    bool first = true;
    for (size_t i = 0; i < ARRAY_LEN(props); i++)
        if (props[i].target == t) {
            sbuf_printf(out, "%s%s", first ? "" : ", ", props[i].name);
            first = false;
        }
}

int expect_prop_kind(enum expect_target t, const char *name)
{
    for (size_t i = 0; i < ARRAY_LEN(props); i++)
        if (props[i].target == t && strcmp(props[i].name, name) == 0)
            return props[i].flag ? 1 : 0;
    return -1;
}

enum expect_target expect_target_kind(const char *name)
{
    if (strcmp(name, "listener") == 0)
        return TARGET_LISTENER;
    if (strcmp(name, "server") == 0)
        return TARGET_SERVER;
    return TARGET_CONN;
}

static void fail_at(struct parse_error *err, const struct token *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail_at(struct parse_error *err, const struct token *t, const char *fmt, ...)
{
    va_list ap;
    err->col = t->col;
    va_start(ap, fmt);
    sbuf_vprintf(&err->msg, fmt, ap);
    va_end(ap);
}

int expect_parse(const struct token *t, int n, struct expect *out, struct parse_error *err)
{
    int i = 0;

    memset(out, 0, sizeof *out);
    for (int k = 0; k < n; k++)
        if (t[k].quoted) {
            struct sbuf shown = {0};
            sbuf_add_escaped(&shown, t[k].text, t[k].len);
            fail_at(err, &t[k], "expected a plain word or number, found the string \"%s\"",
                    sbuf_str(&shown));
            sbuf_free(&shown);
            return -1;
        }
    if (n < 2) {
        err->col = n ? t[0].col : 0;
        sbuf_add(&err->msg, "expected TARGET PROPERTY after 'expect'");
        return -1;
    }
    out->name = expect_target_name(t[0].text);
    if (out->name != t[0].text) {
        size_t n_side = (size_t)(out->name - t[0].text) - 1;
        memcpy(out->side, t[0].text, n_side);
        out->side[n_side] = '\0';
        if (!*out->name) {
            fail_at(err, &t[0], "expected a target after '%s'", t[0].text);
            return -1;
        }
    }
    out->target = expect_target_kind(out->name);
    i = 1;
    if (strcmp(t[i].text, EXPECT_NOT) == 0) {
        out->negate = true;
        if (++i >= n) {
            fail_at(err, &t[i - 1], "expected a property after '%s'", EXPECT_NOT);
            return -1;
        }
    }
    for (size_t k = 0; k < ARRAY_LEN(props); k++)
        if (props[k].target == out->target && strcmp(props[k].name, t[i].text) == 0)
            out->prop = &props[k];
    if (!out->prop) {
        struct sbuf list = {0};
        expect_list_props(out->target, &list);
        err->col = t[i].col;
        sbuf_printf(&err->msg, "unknown property '%s' for %s; expected one of: %s", t[i].text,
                    target_word(out->target), sbuf_str(&list));
        sbuf_free(&list);
        return -1;
    }
    i++;
    if (out->prop->flag) {
        if (i < n) {
            fail_at(err, &t[i], "'%s' is a yes/no property and takes no value", out->prop->name);
            return -1;
        }
        return 0;
    }
    if (out->negate) {
        fail_at(err, &t[i - 2], "'not' goes with yes/no properties; use != with '%s'",
                out->prop->name);
        return -1;
    }
    if (i < n) {
        for (size_t k = 0; k < ARRAY_LEN(op_names); k++)
            if (strcmp(t[i].text, op_names[k]) == 0) {
                out->op = (enum expect_op)k;
                i++;
                break;
            }
    }
    if (i >= n) {
        err->col = i - 1 < n ? t[i - 1].col : 0;
        sbuf_printf(&err->msg, "expected a number after '%s'", t[i - 1].text);
        return -1;
    }
    unsigned long long v;
    if (t[i].quoted || parse_uint(t[i].text, UINT64_MAX, &v) < 0) {
        fail_at(err, &t[i], "expected a whole number, found '%s'", t[i].text);
        return -1;
    }
    out->value = v;
    if (i + 1 < n) {
        fail_at(err, &t[i + 1], "unexpected '%s' after the value", t[i + 1].text);
        return -1;
    }
    return 0;
}

static bool compare(enum expect_op op, uint64_t a, uint64_t b)
{
    switch (op) {
    case OP_EQ: return a == b;
    case OP_NE: return a != b;
    case OP_LT: return a < b;
    case OP_LE: return a <= b;
    case OP_GT: return a > b;
    case OP_GE: return a >= b;
    }
    return false;
}

static bool check_value(const struct expect *x, uint64_t v, const char *who, struct sbuf *detail)
{
    bool ok = x->prop->flag ? (v != 0) != x->negate : compare(x->op, v, x->value);
    if (x->prop->flag)
        sbuf_printf(detail, "%s%s %s %s", detail->len ? "; " : "", who, v ? "is" : "is not",
                    x->prop->name);
    else
        sbuf_printf(detail, "%s%s %s is %llu", detail->len ? "; " : "", who, x->prop->name,
                    (unsigned long long)v);
    return ok;
}

const char *expect_target_name(const char *word)
{
    static const char *const sides[] = {"lt:", "et:", "oneshot:"};
    for (size_t i = 0; i < ARRAY_LEN(sides); i++)
        if (strncmp(word, sides[i], strlen(sides[i])) == 0)
            return word + strlen(sides[i]);
    return word;
}

static bool eval_side(const struct expect *x, struct server *s, struct client_set *cs,
                      struct sbuf *detail);

enum expect_outcome expect_eval(const struct expect *x, struct engine *e, struct sbuf *detail)
{
    unsigned checked = 0, failed = 0;
    struct sbuf one = {0};
    for (unsigned i = 0; i < engine_sides(e); i++) {
        struct server *s = engine_side_server(e, i);
        /* A side's name is its mode when made; a single run goes by the
         * mode it is in now. */
        const char *name = engine_comparing(e) ? engine_side_name(e, i) : mode_name(server_knobs(s)->mode);
        if (x->side[0] && strcmp(x->side, name) != 0)
            continue;
        sbuf_reset(&one);
        checked++;
        failed += !eval_side(x, s, engine_side_clients(e, i), &one);
        if (engine_comparing(e))
            sbuf_printf(detail, "%s%s: %s", detail->len ? "; " : "", name, sbuf_str(&one));
        else
            sbuf_add(detail, sbuf_str(&one));
    }
    sbuf_free(&one);
    if (!checked) {
        sbuf_printf(detail, "skipped: no %s side in this run", x->side);
        return EXPECT_SKIPPED;
    }
    return failed ? EXPECT_FAILED : EXPECT_PASSED;
}

static bool eval_side(const struct expect *x, struct server *s, struct client_set *cs,
                      struct sbuf *detail)
{
    if (x->target == TARGET_LISTENER)
        return check_value(x, x->prop->get(server_listener(s)), "listener", detail);
    if (x->target == TARGET_SERVER)
        return check_value(x, x->prop->get(s), "server", detail);

    /* A group passes when every member does; only failures are listed,
     * a few at most, so a class of 1,000 stays readable. */
    size_t matched = 0, failed = 0;
    struct sbuf one = {0};
    for (size_t i = 0; i < client_count(cs); i++) {
        const struct client *c = client_at(cs, i);
        if (!client_matches(c, x->name))
            continue;
        matched++;
        sbuf_reset(&one);
        const struct conn *conn = server_find(s, c->name);
        bool ok;
        if (x->prop->client_side) {
            ok = check_value(x, x->prop->get(c), c->name, &one);
        } else if (conn) {
            ok = check_value(x, x->prop->get(conn), c->name, &one);
        } else {
            sbuf_printf(&one, "%s has no server-side connection yet (not accepted)", c->name);
            ok = false;
        }
        if (!ok && ++failed <= GROUP_DETAILS)
            sbuf_printf(detail, "%s%s", failed > 1 ? "; " : "", sbuf_str(&one));
        else if (matched == 1 && strcmp(c->name, x->name) == 0)
            sbuf_add(detail, sbuf_str(&one)); /* a single client: say what was seen */
    }
    sbuf_free(&one);
    if (failed > GROUP_DETAILS)
        sbuf_printf(detail, "; and %zu more", failed - GROUP_DETAILS);
    if (matched > 1 && !failed)
        sbuf_printf(detail, "all %zu connections of %s", matched, x->name);
    else if (matched > 1)
        sbuf_printf(detail, " (%zu of %zu failed)", failed, matched);
    if (matched)
        return failed == 0;
    /* Outside clients are named by address; allow those too. */
    const struct conn *conn = server_find(s, x->name);
    if (conn && x->prop->client_side) {
        sbuf_printf(detail, "%s is not a scenario client: '%s' is measured on ours only",
                    x->name, x->prop->name);
        return false;
    }
    if (conn)
        return check_value(x, x->prop->get(conn), conn->label, detail);
    sbuf_printf(detail, "no client or connection named '%s'", x->name);
    return false;
}
