/*
 * command.c - the command table, and each command's check and handler.  The table is the single source for scenario files, the prompt,
 * completion and help (tmux's cmd_entry, in spirit).
 */
#include "command.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "grid.h"

#define MAX_TICKS 100000
#define MAX_RATE 1000
#define MAX_GROUP 10000
#define MAX_SEND (16u * 1024 * 1024)
#define MAX_SEND_TOTAL (64u * 1024 * 1024) /* over all members of a group */

void cmd_line_free(struct cmd_line *line)
{
    tokens_free(line->tok, line->ntok);
    line->tok = NULL;
    line->ntok = 0;
    line->cmd = NULL;
}

/* ---- argument checks shared by check and exec -------------------------- */

static int want_plain(const struct token *t, struct parse_error *err, const char *what)
{
    if (t->quoted) {
        parse_error_at(err, t->col, "expected %s, not a quoted string", what);
        return -1;
    }
    return 0;
}

static int check_count(const struct token *t, unsigned long long max, struct parse_error *err,
                       const char *what)
{
    unsigned long long v;
    if (want_plain(t, err, what) < 0)
        return -1;
    if (parse_uint(t->text, max, &v) < 0 || v == 0) {
        parse_error_at(err, t->col, "expected %s from 1 to %llu, found '%s'", what, max, t->text);
        return -1;
    }
    return 0;
}

static unsigned long long count_arg(const struct token *t)
{
    unsigned long long v = 0;
    parse_uint(t->text, ULLONG_MAX, &v);
    return v;
}

/* Narration is shown on screen: well-formed UTF-8, no C0/C1 controls but
 * newline and tab, whatever escapes produced it. */
static int check_text(const struct token *t, struct parse_error *err)
{
    const unsigned char *p = (const unsigned char *)t->text;
    for (size_t i = 0; i < t->len;) {
        size_t n = utf8_seq_len(p + i, t->len - i);
        if (n == 0) {
            parse_error_at(err, t->col, "narration must be valid UTF-8 (found byte \\x%02x)", p[i]);
            return -1;
        }
        int cc = utf8_control(p + i, n);
        if (cc >= 0 && cc != '\n' && cc != '\t') {
            parse_error_at(err, t->col, "narration may not contain control characters (found \\x%02x)", cc);
            return -1;
        }
        i += n;
    }
    return 0;
}

/* ---- the commands ------------------------------------------------------ */

static int check_narration(const struct cmd_line *l, struct parse_error *err)
{
    return check_text(&l->tok[1], err);
}

static int exec_title(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    (void)err;
    engine_set_title(e, l->tok[1].text);
    trace_emit(engine_trace(e), TRACE_SCRIPT, "title: %s", l->tok[1].text);
    return 0;
}

static int exec_say(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    (void)err;
    engine_say(e, l->tok[1].text);
    return 0;
}

static int exec_step(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    (void)e, (void)l, (void)err; /* a pause point: the scenario runner stops here */
    return 0;
}

/* ---- knobs: one check and one handler, driven by a table -------------- */

#define RCVBUF_MIN 1024
#define RCVBUF_MAX (16 * 1024 * 1024)

union knob_value {
    enum server_mode mode;
    size_t budget;
    enum accept_policy accept;
    bool on;
};

static int parse_mode(const char *s, union knob_value *v) { return mode_parse(s, &v->mode); }
static int parse_budget(const char *s, union knob_value *v) { return budget_parse(s, &v->budget); }
static int parse_accept(const char *s, union knob_value *v) { return accept_parse(s, &v->accept); }
static int parse_onoff(const char *s, union knob_value *v) { return onoff_parse(s, &v->on); }
static int parse_eof(const char *s, union knob_value *v)
{
    if (strcmp(s, "close") != 0 && strcmp(s, "ignore") != 0)
        return -1;
    v->on = strcmp(s, "ignore") == 0;
    return 0;
}
static int parse_rcvbuf(const char *s, union knob_value *v)
{
    unsigned long long n;
    if (parse_uint(s, RCVBUF_MAX, &n) < 0 || n < RCVBUF_MIN)
        return -1;
    v->budget = (size_t)n;
    return 0;
}

static void set_mode(struct server *s, const union knob_value *v) { server_set_mode(s, v->mode); }
static void set_budget(struct server *s, const union knob_value *v) { server_set_budget(s, v->budget); }
static void set_accept(struct server *s, const union knob_value *v) { server_set_accept(s, v->accept); }
static void set_autorearm(struct server *s, const union knob_value *v) { server_set_autorearm(s, v->on); }
static void set_eof(struct server *s, const union knob_value *v) { server_set_eof_ignore(s, v->on); }
static void set_rcvbuf(struct server *s, const union knob_value *v) { server_set_rcvbuf(s, v->budget); }
static void set_twin(struct server *s, const union knob_value *v) { server_set_twin(s, v->on); }

_Static_assert(DRAIN_CAP == 1048576, "the budget message names the cap");
_Static_assert(RCVBUF_MAX == 16777216, "the rcvbuf message names the limit");

static const struct knob {
    const char *cmd;
    const char *plain;    /* what to write instead of a quoted string */
    const char *expected; /* the values, for "expected ..., found ..." */
    int (*parse)(const char *s, union knob_value *v);
    void (*apply)(struct server *s, const union knob_value *v);
} knobs[] = {
    {"mode", "lt, et or oneshot", "lt, et or oneshot", parse_mode, set_mode},
    {"budget", "a byte count or 'drain'", "a byte count from 1 to 1048576 or 'drain'",
     parse_budget, set_budget},
    {"accept", "one or all", "one or all", parse_accept, set_accept},
    {"autorearm", "on or off", "on or off", parse_onoff, set_autorearm},
    {"eof", "close or ignore", "close or ignore", parse_eof, set_eof},
    {"rcvbuf", "a byte count", "a byte count from 1024 to 16777216", parse_rcvbuf, set_rcvbuf},
    {"twin", "on or off", "on or off", parse_onoff, set_twin},
};

static const struct knob *knob_of(const struct cmd_line *l)
{
    for (size_t i = 0; i < ARRAY_LEN(knobs); i++)
        if (strcmp(knobs[i].cmd, l->cmd->name) == 0)
            return &knobs[i];
    fatal("command %s is not a knob", l->cmd->name);
}

static int check_knob(const struct cmd_line *l, struct parse_error *err)
{
    const struct knob *k = knob_of(l);
    union knob_value v;
    if (want_plain(&l->tok[1], err, k->plain) < 0)
        return -1;
    if (k->parse(l->tok[1].text, &v) < 0) {
        parse_error_at(err, l->tok[1].col, "expected %s, found '%s'", k->expected, l->tok[1].text);
        return -1;
    }
    return 0;
}

static int exec_knob(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    const struct knob *k = knob_of(l);
    union knob_value v;
    (void)err;
    k->parse(l->tok[1].text, &v); /* checked when the line was parsed */
    if (engine_comparing(e) && k->apply == set_mode) {
        /* The comparison is the point: each side keeps its own mode. */
        trace_emit(engine_trace(e), TRACE_KNOB, "mode %s: side by side, each side keeps its mode (%s | %s)",
                   l->tok[1].text, engine_side_name(e, 0), engine_side_name(e, 1));
        return 0;
    }
    for (unsigned i = 0; i < engine_sides(e); i++)
        k->apply(engine_side_server(e, i), &v);
    return 0;
}

static int check_tick(const struct cmd_line *l, struct parse_error *err)
{
    return l->ntok > 1 ? check_count(&l->tok[1], MAX_TICKS, err, "a tick count") : 0;
}

static int exec_tick(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    (void)err;
    engine_tick(e, l->ntok > 1 ? (unsigned)count_arg(&l->tok[1]) : 1);
    return 0;
}

static int check_run(const struct cmd_line *l, struct parse_error *err)
{
    return l->ntok > 1 ? check_count(&l->tok[1], MAX_RATE, err, "ticks per second") : 0;
}

static int exec_run(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    (void)err;
    engine_run(e, l->ntok > 1 ? (unsigned)count_arg(&l->tok[1]) : 0);
    return 0;
}

static int exec_pause(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    (void)l, (void)err;
    engine_pause(e);
    return 0;
}

static int check_name(const struct token *t, struct parse_error *err)
{
    struct sbuf why = {0};
    int rc = 0;
    if (want_plain(t, err, "a client name") < 0)
        return -1;
    if (client_name_check(t->text, &why) < 0) {
        parse_error_at(err, t->col, "bad client name '%s': %s", t->text, sbuf_str(&why));
        rc = -1;
    }
    sbuf_free(&why);
    return rc;
}

static int check_connect(const struct cmd_line *l, struct parse_error *err)
{
    if (check_name(&l->tok[1], err) < 0)
        return -1;
    return l->ntok > 2 ? check_count(&l->tok[2], MAX_GROUP, err, "a connection count") : 0;
}

static int exec_connect(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    unsigned n = l->ntok > 2 ? (unsigned)count_arg(&l->tok[2]) : 1;
    const struct listener_info *li = server_listener(engine_server(e));
    /* Beyond the backlog the kernel holds handshakes back: tick first. */
    if (li->queue_limit && li->queued + n > li->queue_limit) {
        sbuf_printf(err, "the accept queue holds %u connections and %u already wait; "
                         "tick to accept them before connecting %u more",
                    li->queue_limit, li->queued, n);
        return -1;
    }
    for (unsigned i = 0; i < engine_sides(e); i++)
        if (client_connect(engine_side_clients(e, i), l->tok[1].text, n, err) < 0)
            return -1;
    engine_settle(e);
    return 0;
}

static int check_send(const struct cmd_line *l, struct parse_error *err)
{
    const struct token *t = &l->tok[2];
    if (want_plain(&l->tok[1], err, "a client name") < 0)
        return -1;
    if (t->quoted) {
        if (t->len == 0) {
            parse_error_at(err, t->col, "expected some text to send, found an empty string");
            return -1;
        }
        if (t->len > MAX_SEND) {
            parse_error_at(err, t->col, "at most %u bytes in one send", MAX_SEND);
            return -1;
        }
        return 0;
    }
    return check_count(t, MAX_SEND, err, "a byte count (or a quoted string)");
}

static int do_send(struct client_set *cs, struct client *c, void *arg, struct sbuf *err)
{
    const struct token *t = arg;
    if (t->quoted)
        return client_send(cs, c, t->text, t->len, err);
    return client_send_pattern(cs, c, (size_t)count_arg(t), err);
}

static int exec_send(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    const struct token *what = &l->tok[2];
    size_t each = what->quoted ? what->len : (size_t)count_arg(what), members = 0;
    struct client_set *cs = engine_clients(e);
    for (size_t i = 0; i < client_count(cs); i++)
        members += client_matches(client_at(cs, i), l->tok[1].text);
    /* Client bytes are never dropped, so they are bounded before they queue. */
    if (members && each > MAX_SEND_TOTAL / members) {
        sbuf_printf(err, "%zu clients x %zu B would queue more than %u MiB; send less at a time",
                    members, each, MAX_SEND_TOTAL >> 20);
        return -1;
    }
    return engine_each_client(e, l->tok[1].text, do_send, (void *)what, err);
}

static int check_client(const struct cmd_line *l, struct parse_error *err)
{
    return want_plain(&l->tok[1], err, "a client name");
}

static int do_shutdown(struct client_set *cs, struct client *c, void *arg, struct sbuf *err)
{
    (void)arg;
    return client_shutdown(cs, c, err);
}

static int do_close(struct client_set *cs, struct client *c, void *arg, struct sbuf *err)
{
    (void)arg;
    return client_close(cs, c, err);
}

static int exec_shutdown(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    return engine_each_client(e, l->tok[1].text, do_shutdown, NULL, err);
}

static int exec_close(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    return engine_each_client(e, l->tok[1].text, do_close, NULL, err);
}

/* Server-side connections named by a client, a group, a label or "all". */
static size_t each_conn(struct engine *e, const char *name,
                        void (*fn)(struct server *, struct conn *))
{
    size_t n = 0, len = strlen(name);
    bool all = strcmp(name, "all") == 0;

    for (unsigned side = 0; side < engine_sides(e); side++) {
        struct server *s = engine_side_server(e, side);
        for (size_t i = 0; i < server_conn_count(s); i++) {
            struct conn *c = server_conn_at(s, i);
            bool match = all || strcmp(c->label, name) == 0 ||
                         (c->scripted && strncmp(c->label, name, len) == 0 && c->label[len] == '.');
            if (match && c->fd >= 0) {
                fn(s, c);
                n++;
            }
        }
    }
    return n;
}

static int no_conn(const char *name, struct sbuf *err)
{
    sbuf_printf(err, "no open connection named '%s'", name);
    return -1;
}

static int exec_rearm(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    const char *name = l->tok[1].text;
    if (strcmp(name, "listener") == 0) {
        for (unsigned i = 0; i < engine_sides(e); i++)
            server_rearm_listener(engine_side_server(e, i));
        return 0;
    }
    if (!each_conn(e, name, server_rearm))
        return no_conn(name, err);
    return 0;
}

static int exec_drain(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    if (!each_conn(e, l->tok[1].text, server_drain))
        return no_conn(l->tok[1].text, err);
    return 0;
}

static void drop_one(struct server *s, struct conn *c)
{
    server_drop(s, c, "dropped by the presenter");
}

static int exec_drop(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    if (!each_conn(e, l->tok[1].text, drop_one))
        return no_conn(l->tok[1].text, err);
    return 0;
}

static int check_expect(const struct cmd_line *l, struct parse_error *err)
{
    struct expect x;
    return expect_parse(l->tok + 1, l->ntok - 1, &x, err);
}

static int exec_expect(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    struct expect x;
    struct parse_error perr;
    struct sbuf detail = {0}, text = {0};

    parse_error_init(&perr);
    if (expect_parse(l->tok + 1, l->ntok - 1, &x, &perr) < 0) {
        sbuf_add(err, sbuf_str(&perr.msg));
        parse_error_free(&perr);
        return -1;
    }
    enum expect_outcome r = expect_eval(&x, e, &detail);
    tokens_text(l->tok, l->ntok, &text);
    if (r == EXPECT_SKIPPED) {
        trace_emit(engine_trace(e), TRACE_EXPECT, "%s: %s", sbuf_str(&text), sbuf_str(&detail));
    } else {
        bool ok = r == EXPECT_PASSED;
        engine_record_expect(e, sbuf_str(&text), ok, sbuf_str(&detail));
        trace_emit(engine_trace(e), TRACE_EXPECT, "%s: %s (%s)", sbuf_str(&text),
                   ok ? "passed" : "FAILED", sbuf_str(&detail));
    }
    sbuf_free(&detail);
    sbuf_free(&text);
    return 0;
}

static int check_help(const struct cmd_line *l, struct parse_error *err)
{
    struct sbuf why = {0};
    int rc = 0;
    if (l->ntok > 1 && want_plain(&l->tok[1], err, "a command name") < 0)
        return -1;
    if (l->ntok > 1 && !cmd_lookup(l->tok[1].text, &why)) {
        parse_error_at(err, l->tok[1].col, "%s", sbuf_str(&why));
        rc = -1;
    }
    sbuf_free(&why);
    return rc;
}

static int exec_help(struct engine *e, const struct cmd_line *l, struct sbuf *err);

/* ---- what only a live front end does: asked of the engine's host ------ */

static int check_path(const struct cmd_line *l, struct parse_error *err)
{
    if (l->tok[1].len == 0 || memchr(l->tok[1].text, '\0', l->tok[1].len)) {
        err->col = l->tok[1].col;
        sbuf_add(&err->msg, "expected a file name");
        return -1;
    }
    return 0;
}

/* dump FILE [COLSxROWS] */
static int check_dump(const struct cmd_line *l, struct parse_error *err)
{
    int w, h;
    if (check_path(l, err) < 0)
        return -1;
    if (l->ntok > 2 && (want_plain(&l->tok[2], err, "a size COLSxROWS") < 0 ||
                        screen_size_parse(l->tok[2].text, &w, &h, &err->msg) < 0)) {
        err->col = l->tok[2].col;
        return -1;
    }
    return 0;
}

/* The presenter's commands, by name: each asks the host for its request,
 * with the first argument (a file, a connection) when it has one. */
static int exec_host(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    static const struct {
        const char *name;
        enum host_request req;
    } requests[] = {
        {"next", HOST_NEXT},     {"restart", HOST_RESTART}, {"load", HOST_LOAD},
        {"dump", HOST_DUMP},     {"select", HOST_SELECT},   {"menu", HOST_MENU},
        {"free", HOST_FREE},     {"quit", HOST_QUIT},       {"stop", HOST_STOP},
    };
    struct host_args a = {.arg = l->ntok > 1 ? l->tok[1].text : NULL, .dir = l->dir};
    /* dump's size was checked with the line */
    if (l->ntok > 2 && screen_size_parse(l->tok[2].text, &a.cols, &a.rows, err) < 0)
        return -1;
    for (size_t i = 0; i < ARRAY_LEN(requests); i++)
        if (strcmp(l->cmd->name, requests[i].name) == 0)
            return engine_host_request(e, requests[i].req, &a, err);
    fatal("command %s asks the host for nothing", l->cmd->name);
}

static int check_compare(const struct cmd_line *l, struct parse_error *err)
{
    enum server_mode m[2];
    for (int i = 1; i < l->ntok; i++)
        if (want_plain(&l->tok[i], err, "a mode") < 0)
            return -1;
    if (l->ntok == 2 && strcmp(l->tok[1].text, "off") == 0)
        return 0;
    if (l->ntok == 3 && mode_parse(l->tok[1].text, &m[0]) == 0 &&
        mode_parse(l->tok[2].text, &m[1]) == 0 && m[0] != m[1])
        return 0;
    parse_error_at(err, l->tok[1].col, "expected two different modes (lt et, et oneshot ...) or 'off'");
    return -1;
}

static int exec_compare(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    char arg[32];
    if (l->ntok == 2)
        snprintf(arg, sizeof arg, "off");
    else
        snprintf(arg, sizeof arg, "%s,%s", l->tok[1].text, l->tok[2].text);
    struct host_args a = {.arg = arg};
    return engine_host_request(e, HOST_COMPARE, &a, err);
}


/* name, alias, usage, help, min and max arguments, what the first names,
 * check, handler */
static const struct cmd_entry commands[] = {
    {"title", NULL, "\"text\"", "name the scenario (shown in the menu and header)",
     1, 1, 0, check_narration, exec_title, 0},
    {"say", NULL, "\"text\"", "narration shown to the class for this step",
     1, 1, 0, check_narration, exec_say, 0},
    {"step", NULL, "", "a pause point: the presenter continues with space",
     0, 0, 0, NULL, exec_step, 0},
    {"mode", NULL, "lt|et|oneshot", "notification model; EPOLL_CTL_MOD on every fd",
     1, 1, 0, check_knob, exec_knob, 0},
    {"budget", NULL, "BYTES|drain", "bytes read per wakeup, or read until EAGAIN",
     1, 1, 0, check_knob, exec_knob, 0},
    {"accept", NULL, "one|all", "accept() once per wakeup, or until EAGAIN",
     1, 1, 0, check_knob, exec_knob, 0},
    {"autorearm", NULL, "on|off", "one-shot: re-arm after each handling, or leave fired fds silent",
     1, 1, 0, check_knob, exec_knob, 0},
    {"eof", NULL, "close|ignore", "on read() = 0: close (right) or ignore it (LT then spins)",
     1, 1, 0, check_knob, exec_knob, 0},
    {"rcvbuf", NULL, "BYTES", "SO_RCVBUF of connections accepted from now on",
     1, 1, 0, check_knob, exec_knob, 0},
    {"twin", NULL, "on|off", "the seed's design: a second epoll set in the other mode reads too",
     1, 1, 0, check_knob, exec_knob, 0},
    {"tick", "t", "[COUNT]", "run COUNT server iterations (epoll_wait with timeout 0)",
     0, 1, 0, check_tick, exec_tick, 0},
    {"run", NULL, "[TICKS-PER-SECOND]", "start the clock (no rate: tick when epoll has events)",
     0, 1, 0, check_run, exec_run, 0},
    {"pause", NULL, "", "stop the clock; advance with tick",
     0, 0, 0, NULL, exec_pause, 0},
    {"connect", NULL, "NAME [COUNT]", "open a loopback client (COUNT of them: NAME.1 ...)",
     1, 2, 0, check_connect, exec_connect, 0},
    {"send", NULL, "NAME BYTES|\"text\"", "client sends BYTES of a visible pattern, or the text",
     2, 2, NAMES_CLIENT, check_send, exec_send, 0},
    {"shutdown", NULL, "NAME", "client shuts down its sending side (FIN)",
     1, 1, NAMES_CLIENT, check_client, exec_shutdown, 0},
    {"close", NULL, "NAME", "client closes its socket",
     1, 1, NAMES_CLIENT, check_client, exec_close, 0},
    {"rearm", NULL, "NAME|listener|all", "EPOLL_CTL_MOD now: re-arms one-shot, re-reports data",
     1, 1, NAMES_CLIENT | NAMES_ALL | NAMES_LISTENER, check_client, exec_rearm, 0},
    {"drain", NULL, "NAME|all", "the server reads the connection until EAGAIN now",
     1, 1, NAMES_CLIENT | NAMES_ALL, check_client, exec_drain, 0},
    {"drop", NULL, "NAME|all", "the server closes the connection",
     1, 1, NAMES_CLIENT | NAMES_ALL, check_client, exec_drop, 0},
    {"expect", "e", "TARGET [not] PROPERTY [OP NUMBER]",
     "check the state; a failed expect makes a headless run fail",
     2, 5, NAMES_CLIENT | NAMES_LISTENER | NAMES_SERVER, check_expect, exec_expect, 0},
    {"next", "n", "", "run the scenario to its next step (key: space or n)",
     0, 0, 0, NULL, exec_host, CMD_LIVE},
    {"restart", NULL, "", "the scenario again from the top, on a fresh server (key: r)",
     0, 0, 0, NULL, exec_host, CMD_LIVE},
    {"load", NULL, "FILE", "open a scenario file (key: s for the menu)",
     1, 1, 0, check_path, exec_host, CMD_LIVE},
    {"dump", NULL, "FILE [COLSxROWS]", "write the screen as plain text to FILE, at COLSxROWS if given",
     1, 2, 0, check_dump, exec_host, 0},
    {"select", NULL, "NAME", "select a connection (keys: up, down, j, k)",
     1, 1, 0, check_client, exec_host, CMD_LIVE},
    {"menu", NULL, "", "open the scenario menu (key: s)",
     0, 0, 0, NULL, exec_host, CMD_LIVE},
    {"free", NULL, "", "leave the scenario: free play on a fresh server (the menu's first line)",
     0, 0, 0, NULL, exec_host, CMD_LIVE},
    {"compare", NULL, "MODE MODE|off", "two servers side by side on the same traffic, or one again",
     1, 2, 0, check_compare, exec_compare, CMD_LIVE},
    {"stop", NULL, "", "abandon a long tick and the rest of its step (key: Esc)",
     0, 0, 0, NULL, exec_host, CMD_LIVE},
    {"quit", "q", "", "leave epollviz (key: q)",
     0, 0, 0, NULL, exec_host, CMD_LIVE},
    {"help", NULL, "[COMMAND]", "list commands, or show one command's usage",
     0, 1, 0, check_help, exec_help, 0},
};

void cmd_usage(const struct cmd_entry *c, struct sbuf *out)
{
    sbuf_add(out, c->name);
    if (*c->args)
        sbuf_printf(out, " %s", c->args);
}

size_t cmd_count(void)
{
    return ARRAY_LEN(commands);
}

const struct cmd_entry *cmd_at(size_t i)
{
    return i < ARRAY_LEN(commands) ? &commands[i] : NULL;
}

static int exec_help(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    (void)err;
    if (l->ntok > 1) {
        const struct cmd_entry *c = cmd_lookup(l->tok[1].text, err);
        if (!c)
            return -1;
        struct sbuf use = {0};
        cmd_usage(c, &use);
        trace_emit(engine_trace(e), TRACE_SCRIPT, "usage: %s", sbuf_str(&use));
        sbuf_free(&use);
        trace_emit(engine_trace(e), TRACE_SCRIPT, "  %s", c->help);
        if (strcmp(c->name, "expect") == 0) {
            static const enum expect_target targets[] = {TARGET_CONN, TARGET_LISTENER,
                                                         TARGET_SERVER};
            static const char *const names[] = {"NAME", "listener", "server"};
            for (size_t i = 0; i < ARRAY_LEN(targets); i++) {
                struct sbuf p = {0};
                expect_list_props(targets[i], &p);
                trace_emit(engine_trace(e), TRACE_SCRIPT, "  %s: %s", names[i], sbuf_str(&p));
                sbuf_free(&p);
            }
        }
        return 0;
    }
    for (size_t i = 0; i < ARRAY_LEN(commands); i++)
        trace_emit(engine_trace(e), TRACE_SCRIPT, "%-9s %s", commands[i].name, commands[i].help);
    return 0;
}

/* ---- lookup ------------------------------------------------------------ */

/* Edits between two short words, a swap of neighbours counting as one
 * (optimal string alignment), so "sned" suggests send. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t d[32][32];
    if (la >= 32 || lb >= 32)
        return 99;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

const struct cmd_entry *cmd_lookup(const char *word, struct sbuf *err)
{
    const struct cmd_entry *found = NULL;
    size_t len = strlen(word), matches = 0;

    for (size_t i = 0; i < ARRAY_LEN(commands); i++)
        if (strcmp(commands[i].name, word) == 0 ||
            (commands[i].alias && strcmp(commands[i].alias, word) == 0))
            return &commands[i];
    for (size_t i = 0; i < ARRAY_LEN(commands); i++)
        if (len && strncmp(commands[i].name, word, len) == 0) {
            found = &commands[i];
            matches++;
        }
    if (matches == 1)
        return found;
    if (matches > 1) {
        sbuf_printf(err, "ambiguous command '%s', could be:", word);
        for (size_t i = 0, k = 0; i < ARRAY_LEN(commands); i++)
            if (strncmp(commands[i].name, word, len) == 0)
                sbuf_printf(err, "%s %s", k++ ? "," : "", commands[i].name);
        return NULL;
    }
    size_t best = 3;
    for (size_t i = 0; i < ARRAY_LEN(commands); i++) {
        size_t d = edit_distance(word, commands[i].name);
        if (d < best) {
            best = d;
            found = &commands[i];
        }
    }
    sbuf_printf(err, "unknown command '%s'", word);
    if (found)
        sbuf_printf(err, " (did you mean %s?)", found->name);
    else
        sbuf_add(err, " (try: help)");
    return NULL;
}

/* ---- parse and run ----------------------------------------------------- */

int cmd_parse(const char *text, struct cmd_line *line, struct parse_error *err)
{
    memset(line, 0, sizeof *line);
    if (tokenize(text, &line->tok, &line->ntok, err) < 0)
        goto fail;
    if (line->ntok == 0)
        return 0;
    const struct token *w = &line->tok[0];
    if (w->quoted) {
        parse_error_at(err, w->col, "expected a command name, found a string");
        goto fail;
    }
    struct sbuf why = {0};
    line->cmd = cmd_lookup(w->text, &why);
    if (!line->cmd) {
        parse_error_at(err, w->col, "%s", sbuf_str(&why));
        sbuf_free(&why);
        goto fail;
    }
    sbuf_free(&why);
    const struct cmd_entry *c = line->cmd;
    int nargs = line->ntok - 1;
    if (nargs < c->min_args || nargs > c->max_args) {
        struct sbuf use = {0};
        cmd_usage(c, &use);
        if (nargs < c->min_args)
            parse_error_at(err, line->tok[line->ntok - 1].end_col, "%s needs %s%d argument%s; usage: %s",
                     c->name, c->min_args == c->max_args ? "" : "at least ", c->min_args,
                     c->min_args == 1 ? "" : "s", sbuf_str(&use));
        else
            parse_error_at(err, line->tok[c->max_args + 1].col, "too many arguments for %s; usage: %s",
                     c->name, sbuf_str(&use));
        sbuf_free(&use);
        goto fail;
    }
    if (c->check && c->check(line, err) < 0)
        goto fail;
    return 0;
fail:
    cmd_line_free(line);
    return -1;
}

int cmd_exec(struct engine *e, const struct cmd_line *line, struct sbuf *err)
{
    if (!line->cmd)
        return 0;
    /* A client's socket may fail during any command (a refused connect
     * noticed while settling): that fails the command too. */
    unsigned failures[ENGINE_MAX_SIDES];
    for (unsigned i = 0; i < engine_sides(e); i++)
        failures[i] = client_failures(engine_side_clients(e, i));
    int rc = line->cmd->exec(e, line, err);
    for (unsigned i = 0; rc == 0 && i < engine_sides(e); i++)
        if (client_failures(engine_side_clients(e, i)) != failures[i]) {
            sbuf_add(err, client_last_failure(engine_side_clients(e, i)));
            rc = -1;
        }
    return rc;
}
