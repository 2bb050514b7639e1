/*
 * command.c - the command table, and each command's parser and handler.
 * The table is the single source for scenario files, the prompt,
 * completion and help (tmux's cmd_entry, with designated initializers);
 * the knobs' commands come from the knob table.
 */
#include "command.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clientcmd.h"
#include "grid.h"

#define MAX_TICKS 100000

void cmd_line_free(struct cmd_line *line)
{
    tokens_free(line->tok, line->ntok);
    line->tok = NULL;
    line->ntok = 0;
    line->cmd = (struct cmd_entry){0};
    line->arg = (struct cmd_args){0};
}

/* ---- argument parsers shared by the commands --------------------------- */

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

static int parse_narration(struct cmd_line *l, struct parse_error *err)
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

/* ---- knobs: one check and one handler, for every row of knob.h ------- */

static int parse_knob(struct cmd_line *l, struct parse_error *err)
{
    const struct knob *k = l->cmd.knob;
    const struct token *t = &l->tok[1];
    struct sbuf what = {0};
    int rc = 0;
    if (t->quoted || knob_parse(k, t->text, &l->arg.value) < 0) {
        knob_expected(k, t->quoted, &what);
        if (t->quoted)
            parse_error_at(err, t->col, "expected %s, not a quoted string", sbuf_str(&what));
        else
            parse_error_at(err, t->col, "expected %s, found '%s'", sbuf_str(&what), t->text);
        rc = -1;
    }
    sbuf_free(&what);
    return rc;
}

static int exec_knob(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    const struct knob *k = l->cmd.knob;
    (void)err;
    if (engine_comparing(e) && k->per_side) {
        /* The comparison is the point: each side keeps its own. */
        trace_emit(engine_trace(e), TRACE_KNOB, "%s %s: side by side, each side keeps its %s (%s | %s)",
                   k->name, l->tok[1].text, k->name, engine_side_name(e, 0), engine_side_name(e, 1));
        return 0;
    }
    for (unsigned i = 0; i < engine_sides(e); i++)
        engine_set_knob(e, i, k->id, l->arg.value, &l->origin);
    return 0;
}

/* show knobs: a line per knob, its value and who set it (knob_origin).
 * Side by side, a knob whose sides differ (the mode) gets a line per side. */
static int parse_show(struct cmd_line *l, struct parse_error *err)
{
    if (l->tok[1].quoted || strcmp(l->tok[1].text, SHOW_KNOBS) != 0) {
        parse_error_at(err, l->tok[1].col, "expected '%s', found '%s'", SHOW_KNOBS, l->tok[1].text);
        return -1;
    }
    return 0;
}

void cmd_show_line(struct engine *e, const char *knob, const char *side, const char *value,
                   const char *from)
{
    const struct knob *k;
    int w = 4; /* the longest knob name: the columns line up */
    for (size_t i = 0; (k = knob_at(i)); i++)
        if ((int)strlen(k->name) > w)
            w = (int)strlen(k->name);
    if (engine_comparing(e))
        trace_emit(engine_trace(e), TRACE_SCRIPT, "%-*s  %-5s %-10s %s", w, knob, side, value, from);
    else
        trace_emit(engine_trace(e), TRACE_SCRIPT, "%-*s  %-10s %s", w, knob, value, from);
}

static void show_knob(struct engine *e, const struct knob *k, unsigned side, bool named)
{
    struct sbuf value = {0}, from = {0};
    knob_format(k, knob_get(k, server_knobs(engine_side_server(e, side))), true, &value);
    knob_origin_format(engine_knob_origin(e, side, k->id), &from);
    cmd_show_line(e, k->name, named ? engine_side_name(e, side) : "both", sbuf_str(&value),
              sbuf_str(&from));
    sbuf_free(&value);
    sbuf_free(&from);
}

/* The clock after the knobs: it is set like one (run, pause, p, --rate,
 * the startup file) and shared by the sides. */
static void show_clock(struct engine *e)
{
    struct sbuf value = {0}, from = {0};
    if (!engine_running(e))
        sbuf_add(&value, "paused");
    else if (engine_rate(e))
        sbuf_printf(&value, "%u/s", engine_rate(e));
    else
        sbuf_add(&value, "on events");
    knob_origin_format(engine_clock_origin(e), &from);
    cmd_show_line(e, "clock", "both", sbuf_str(&value), sbuf_str(&from));
    sbuf_free(&value);
    sbuf_free(&from);
}

/* Whether side n's knob differs from the first side's, in value or origin. */
static bool sides_differ(const struct engine *e, const struct knob *k, unsigned n)
{
    struct sbuf a = {0}, b = {0};
    knob_origin_format(engine_knob_origin(e, 0, k->id), &a);
    knob_origin_format(engine_knob_origin(e, n, k->id), &b);
    bool differ = strcmp(sbuf_str(&a), sbuf_str(&b)) != 0 ||
                  knob_get(k, server_knobs(engine_side_server(e, 0))) !=
                      knob_get(k, server_knobs(engine_side_server(e, n)));
    sbuf_free(&a);
    sbuf_free(&b);
    return differ;
}

static int exec_show(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    const struct knob *k;
    (void)l, (void)err;
    cmd_show_line(e, "knob", "side", "value", "set by");
    for (size_t i = 0; (k = knob_at(i)); i++) {
        bool differ = false;
        for (unsigned n = 1; n < engine_sides(e); n++)
            differ |= sides_differ(e, k, n);
        for (unsigned n = 0; n < (differ ? engine_sides(e) : 1); n++)
            show_knob(e, k, n, differ);
    }
    show_clock(e);
    return 0;
}

static int parse_tick(struct cmd_line *l, struct parse_error *err)
{
    return l->ntok > 1 ? token_count(&l->tok[1], MAX_TICKS, err, "a tick count", &l->arg.count)
                       : 0;
}

static int exec_tick(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    (void)err;
    engine_tick(e, l->arg.count ? (unsigned)l->arg.count : 1);
    return 0;
}

static int parse_run(struct cmd_line *l, struct parse_error *err)
{
    return l->ntok > 1 ? token_count(&l->tok[1], ENGINE_RATE_MAX, err, "ticks per second", &l->arg.count)
                       : 0;
}

static int exec_run(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    (void)err;
    engine_run(e, (unsigned)l->arg.count);
    engine_clock_from(e, &l->origin);
    return 0;
}

static int exec_pause(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    (void)l, (void)err;
    engine_pause(e);
    engine_clock_from(e, &l->origin);
    return 0;
}

/* help expect: the properties of each target */
static void help_expect(const struct trace *t)
{
    static const enum expect_target targets[] = {TARGET_CONN, TARGET_LISTENER, TARGET_SERVER};
    static const char *const names[] = {"NAME", "listener", "server"};
    for (size_t i = 0; i < ARRAY_LEN(targets); i++) {
        struct sbuf p = {0};
        expect_list_props(targets[i], &p);
        trace_emit(t, TRACE_SCRIPT, "  %s: %s", names[i], sbuf_str(&p));
        sbuf_free(&p);
    }
}

static int parse_expect(struct cmd_line *l, struct parse_error *err)
{
    return expect_parse(l->tok + 1, l->ntok - 1, &l->arg.expect, err);
}

static int exec_expect(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    struct sbuf detail = {0}, text = {0};
    (void)err;
    enum expect_outcome r = expect_eval(&l->arg.expect, e, &detail);
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

static int parse_help(struct cmd_line *l, struct parse_error *err)
{
    struct sbuf why = {0};
    struct cmd_entry c;
    int rc = 0;
    if (l->ntok > 1 && token_want_word(&l->tok[1], err, "a command name") < 0)
        return -1;
    if (l->ntok > 1 && cmd_lookup(l->tok[1].text, &c, &why) < 0) {
        parse_error_at(err, l->tok[1].col, "%s", sbuf_str(&why));
        rc = -1;
    }
    sbuf_free(&why);
    return rc;
}

static int exec_help(struct engine *e, const struct cmd_line *l, struct sbuf *err);

/* ---- what only a live front end does: asked of the engine's host ------ */

static int parse_path(struct cmd_line *l, struct parse_error *err)
{
    if (l->tok[1].len == 0 || memchr(l->tok[1].text, '\0', l->tok[1].len)) {
        err->col = l->tok[1].col;
        sbuf_add(&err->msg, "expected a file name");
        return -1;
    }
    l->arg.host.arg = l->tok[1].text;
    return 0;
}

/* dump FILE [COLSxROWS] */
static int parse_dump(struct cmd_line *l, struct parse_error *err)
{
    struct host_args *a = &l->arg.host;
    if (parse_path(l, err) < 0)
        return -1;
    if (l->ntok > 2 && (token_want_word(&l->tok[2], err, "a size COLSxROWS") < 0 ||
                        screen_size_parse(l->tok[2].text, &a->cols, &a->rows, &err->msg) < 0)) {
        err->col = l->tok[2].col;
        return -1;
    }
    return 0;
}

/* compare MODE MODE, or compare off */
static int parse_compare(struct cmd_line *l, struct parse_error *err)
{
    struct host_args *a = &l->arg.host;
    for (int i = 1; i < l->ntok; i++)
        if (token_want_word(&l->tok[i], err, "a mode") < 0)
            return -1;
    if (l->ntok == 2 && strcmp(l->tok[1].text, COMPARE_OFF) == 0) {
        a->off = true;
        return 0;
    }
    if (l->ntok == 3 && compare_modes_parse(l->tok[1].text, l->tok[2].text, a->modes) == 0)
        return 0;
    parse_error_at(err, l->tok[1].col, "expected two different modes (lt et, et oneshot ...) or '%s'",
                   COMPARE_OFF);
    return -1;
}

/* The presenter's commands: each asks the host for its request, with what
 * its parser stored. */
static int exec_host(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    struct host_args a = l->arg.host;
    a.dir = l->dir; /* a scenario's files are beneath its directory */
    a.from = l->origin;
    return engine_host_request(e, l->cmd.host, &a, err);
}

/* In the order help lists them.  The entry without a name is where the
 * knobs' commands go, one per row of the knob table (cmd_at). */
static const struct cmd_entry commands[] = {
    {.name = "title", .args = "\"text\"", .help = "name the scenario (shown in the menu and header)",
     .min_args = 1, .max_args = 1, .parse = parse_narration, .exec = exec_title,
     .flags = CMD_TITLE},
    {.name = "say", .args = "\"text\"", .help = "narration shown to the class for this step",
     .min_args = 1, .max_args = 1, .parse = parse_narration, .exec = exec_say},
    {.name = "step", .args = "", .help = "a pause point: the presenter continues with space",
     .exec = exec_step, .flags = CMD_STEP},
    {.name = NULL}, /* the knobs */
    {.name = "tick", .alias = "t", .args = "[COUNT]",
     .help = "run COUNT server iterations (epoll_wait with timeout 0)",
     .max_args = 1, .parse = parse_tick, .exec = exec_tick},
    {.name = "run", .args = "[TICKS-PER-SECOND]",
     .help = "start the clock (no rate: tick when epoll has events)",
     .max_args = 1, .parse = parse_run, .exec = exec_run,
     .complete = COMPLETE_RATES},
    {.name = "pause", .args = "", .help = "stop the clock; advance with tick", .exec = exec_pause},
    {.name = "connect", .args = "NAME [COUNT]",
     .help = "open a loopback client (COUNT of them: NAME.1 ...)",
     .min_args = 1, .max_args = 2, .parse = parse_connect, .exec = exec_connect,
     .flags = CMD_CONNECT},
    {.name = "send", .args = "NAME BYTES|\"text\"",
     .help = "client sends BYTES of a visible pattern, or the text",
     .min_args = 2, .max_args = 2, .names = NAMES_CLIENT, .parse = parse_send, .exec = exec_send,
     .complete = COMPLETE_CLIENTS},
    {.name = "shutdown", .args = "NAME", .help = "client shuts down its sending side (FIN)",
     .min_args = 1, .max_args = 1, .names = NAMES_CLIENT, .parse = parse_client,
     .exec = exec_shutdown, .complete = COMPLETE_CLIENTS},
    {.name = "close", .args = "NAME", .help = "client closes its socket",
     .min_args = 1, .max_args = 1, .names = NAMES_CLIENT, .parse = parse_client,
     .exec = exec_close, .complete = COMPLETE_CLIENTS},
    {.name = "hold", .args = "NAME",
     .help = "client stops reading its socket: what the server sends it backs up",
     .min_args = 1, .max_args = 1, .names = NAMES_CLIENT, .parse = parse_client,
     .exec = exec_hold, .complete = COMPLETE_CLIENTS},
    {.name = "release", .args = "NAME", .help = "client reads its socket again (after hold)",
     .min_args = 1, .max_args = 1, .names = NAMES_CLIENT, .parse = parse_client,
     .exec = exec_release, .complete = COMPLETE_CLIENTS},
    {.name = "rearm", .args = "NAME|listener|all",
     .help = "EPOLL_CTL_MOD now: re-arms one-shot, re-reports data",
     .min_args = 1, .max_args = 1, .names = NAMES_CLIENT | NAMES_ALL | NAMES_LISTENER,
     .parse = parse_client, .exec = exec_rearm, .complete = COMPLETE_CLIENTS},
    {.name = "drain", .args = "NAME|all", .help = "the server reads the connection until EAGAIN now",
     .min_args = 1, .max_args = 1, .names = NAMES_CLIENT | NAMES_ALL, .parse = parse_client,
     .exec = exec_drain, .complete = COMPLETE_CONNS},
    {.name = "drop", .args = "NAME|all", .help = "the server closes the connection",
     .min_args = 1, .max_args = 1, .names = NAMES_CLIENT | NAMES_ALL, .parse = parse_client,
     .exec = exec_drop, .complete = COMPLETE_CONNS},
    {.name = "expect", .alias = "e", .args = "TARGET [not] PROPERTY [OP NUMBER]",
     .help = "check the state; a failed expect makes a headless run fail",
     .min_args = 2, .max_args = 5,
     .names = NAMES_CLIENT | NAMES_LISTENER | NAMES_SERVER | NAMES_SIDE,
     .parse = parse_expect, .exec = exec_expect, .complete = COMPLETE_EXPECT,
     .help_more = help_expect},
    {.name = "next", .alias = "n", .args = "", .help = "run the scenario to its next step (key: space or n)",
     .exec = exec_host, .flags = CMD_LIVE, .host = HOST_NEXT},
    {.name = "restart", .args = "",
     .help = "the scenario again from the top, on a fresh server (key: r)",
     .exec = exec_host, .flags = CMD_LIVE, .host = HOST_RESTART},
    {.name = "load", .args = "FILE", .help = "open a scenario file (key: s for the menu)",
     .min_args = 1, .max_args = 1, .parse = parse_path, .exec = exec_host, .flags = CMD_LIVE,
     .host = HOST_LOAD, .complete = COMPLETE_FILES},
    {.name = "dump", .args = "FILE [COLSxROWS]",
     .help = "write the screen as plain text to FILE, at COLSxROWS if given",
     .min_args = 1, .max_args = 2, .parse = parse_dump, .exec = exec_host, .flags = CMD_WRITES,
     .host = HOST_DUMP},
    {.name = "select", .args = "NAME", .help = "select a connection (keys: up, down, j, k)",
     .min_args = 1, .max_args = 1, .parse = parse_client, .exec = exec_host, .flags = CMD_LIVE,
     .host = HOST_SELECT, .complete = COMPLETE_CONN},
    {.name = "menu", .args = "", .help = "open the scenario menu (key: s)",
     .exec = exec_host, .flags = CMD_LIVE, .host = HOST_MENU},
    {.name = "free", .args = "",
     .help = "leave the scenario: free play on a fresh server (the menu's first line)",
     .exec = exec_host, .flags = CMD_LIVE, .host = HOST_FREE},
    {.name = "compare", .args = "MODE MODE|" COMPARE_OFF,
     .help = "two servers side by side on the same traffic, or one again",
     .min_args = 1, .max_args = 2, .parse = parse_compare, .exec = exec_host, .flags = CMD_LIVE,
     .host = HOST_COMPARE, .complete = COMPLETE_MODES},
    {.name = "stop", .args = "", .help = "abandon a long tick and the rest of its step (key: Esc)",
     .exec = exec_host, .flags = CMD_LIVE, .host = HOST_STOP},
    {.name = "quit", .alias = "q", .args = "", .help = "leave epollviz (key: q)",
     .exec = exec_host, .flags = CMD_LIVE, .host = HOST_QUIT},
    {.name = "show", .args = SHOW_KNOBS,
     .help = "list each knob's value and who set it (default, file:line, key b ...)",
     .min_args = 1, .max_args = 1, .parse = parse_show, .exec = exec_show, .flags = CMD_TEXT,
     .complete = COMPLETE_SHOW},
    {.name = "help", .alias = "h", .args = "[COMMAND]", .help = "list commands, or show one command's usage",
     .max_args = 1, .parse = parse_help, .exec = exec_help, .flags = CMD_TEXT,
     .complete = COMPLETE_COMMANDS},
};

void cmd_usage(const struct cmd_entry *c, struct sbuf *out)
{
    sbuf_add(out, c->name);
    if (c->knob) {
        sbuf_addc(out, ' ');
        knob_usage(c->knob, out);
    } else if (*c->args) {
        sbuf_printf(out, " %s", c->args);
    }
}

/* Where the knobs' commands stand among the others. */
static size_t knob_slot(void)
{
    size_t i = 0;
    while (commands[i].name)
        i++;
    return i;
}

size_t cmd_count(void)
{
    return ARRAY_LEN(commands) - 1 + KNOB_COUNT;
}

int cmd_at(size_t i, struct cmd_entry *out)
{
    size_t slot = knob_slot();
    const struct knob *k = i >= slot ? knob_at(i - slot) : NULL;
    if (k) {
        *out = (struct cmd_entry){
            .name = k->name, .help = k->help, .min_args = 1, .max_args = 1,
            .parse = parse_knob, .exec = exec_knob, .complete = COMPLETE_KNOB, .knob = k,
        };
        return 0;
    }
    if (i >= slot)
        i -= KNOB_COUNT - 1;
    if (i >= ARRAY_LEN(commands)) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    *out = commands[i];
    return 0;
}

static int exec_help(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    (void)err;
    if (l->ntok > 1) {
        struct cmd_entry c;
        if (cmd_lookup(l->tok[1].text, &c, err) < 0)
            return -1;
        struct sbuf use = {0};
        cmd_usage(&c, &use);
        trace_emit(engine_trace(e), TRACE_SCRIPT, "usage: %s", sbuf_str(&use));
        sbuf_free(&use);
        trace_emit(engine_trace(e), TRACE_SCRIPT, "  %s", c.help);
        if (c.help_more)
            c.help_more(engine_trace(e));
        return 0;
    }
    struct cmd_entry c;
    for (size_t i = 0; cmd_at(i, &c) == 0; i++)
        trace_emit(engine_trace(e), TRACE_SCRIPT, "%-9s %s", c.name, c.help);
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

int cmd_lookup(const char *word, struct cmd_entry *out, struct sbuf *err)
{
    struct cmd_entry c;
    size_t len = strlen(word), matches = 0, found = 0;

    for (size_t i = 0; cmd_at(i, &c) == 0; i++)
        if (strcmp(c.name, word) == 0 || (c.alias && strcmp(c.alias, word) == 0)) {
            *out = c;
            return 0;
        }
    for (size_t i = 0; cmd_at(i, &c) == 0; i++)
        if (len && strncmp(c.name, word, len) == 0) {
            found = i;
            matches++;
        }
    if (matches == 1)
        return cmd_at(found, out);
    if (matches > 1) {
        sbuf_printf(err, "ambiguous command '%s', could be:", word);
        for (size_t i = 0, k = 0; cmd_at(i, &c) == 0; i++)
            if (strncmp(c.name, word, len) == 0)
                sbuf_printf(err, "%s %s", k++ ? "," : "", c.name);
        return -1;
    }
    size_t best = 3;
    const char *near = NULL;
    for (size_t i = 0; cmd_at(i, &c) == 0; i++) {
        size_t d = edit_distance(word, c.name);
        if (d < best) {
            best = d;
            near = c.name;
        }
    }
    sbuf_printf(err, "unknown command '%s'", word);
    if (near)
        sbuf_printf(err, " (did you mean %s?)", near);
    else
        sbuf_add(err, " (try: help)");
    return -1;
}

/* ---- parse and run ----------------------------------------------------- */

int cmd_parse(const char *text, struct cmd_line *line, struct parse_error *err)
{
    memset(line, 0, sizeof *line);
    line->origin.from = FROM_PROMPT;
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
    if (cmd_lookup(w->text, &line->cmd, &why) < 0) {
        parse_error_at(err, w->col, "%s", sbuf_str(&why));
        sbuf_free(&why);
        goto fail;
    }
    sbuf_free(&why);
    const struct cmd_entry *c = &line->cmd;
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
    if (c->parse && c->parse(line, err) < 0)
        goto fail;
    return 0;
fail:
    cmd_line_free(line);
    return -1;
}

int cmd_exec(struct engine *e, const struct cmd_line *line, struct sbuf *err)
{
    if (!line->cmd.name)
        return 0;
    /* A client's socket may fail during any command (a refused connect
     * noticed while settling): that fails the command too. */
    unsigned failures[ENGINE_MAX_SIDES];
    for (unsigned i = 0; i < engine_sides(e); i++)
        failures[i] = client_failures(engine_side_clients(e, i));
    int rc = line->cmd.exec(e, line, err);
    for (unsigned i = 0; rc == 0 && i < engine_sides(e); i++)
        if (client_failures(engine_side_clients(e, i)) != failures[i]) {
            sbuf_add(err, client_last_failure(engine_side_clients(e, i)));
            rc = -1;
        }
    return rc;
}
