/*
 * cmdlines.c - command lines arriving in pieces, run one by one (see
 * cmdlines.h).  The scenario runner checks a whole file before it runs;
 * here each line runs as it comes, as at the prompt.
 */
#include "cmdlines.h"

#include <stdlib.h>
#include <string.h>

#include "command.h"

struct cmdlines {
    char *name;
    struct sbuf line; /* the line so far */
    unsigned lineno;
    bool overlong;    /* the line passed CMDLINES_MAX: said at its end, not run */
};

struct cmdlines *cmdlines_new(const char *name)
{
    struct cmdlines *c = xcalloc(1, sizeof *c);
    c->name = xstrdup(name);
    return c;
}

void cmdlines_free(struct cmdlines *c)
{
    if (!c)
        return;
    sbuf_free(&c->line);
    free(c->name);
    free(c);
}

static void run_line(struct cmdlines *c, struct engine *e, const char *text)
{
    const struct trace *t = engine_trace(e);
    struct cmd_line line;
    struct parse_error perr;
    struct sbuf err = {0};

    parse_error_init(&perr);
    if (cmd_parse(text, &line, &perr) < 0) {
        struct sbuf msg = {0};
        sbuf_add_sanitized(&msg, sbuf_str(&perr.msg));
        if (perr.col > 0)
            trace_emit(t, TRACE_ERROR, "%s:%u:%d: error: %s", c->name, c->lineno, perr.col,
                       sbuf_str(&msg));
        else
            trace_emit(t, TRACE_ERROR, "%s:%u: error: %s", c->name, c->lineno, sbuf_str(&msg));
        sbuf_free(&msg);
    } else {
        if (cmd_exec(e, &line, &err) < 0)
            trace_emit(t, TRACE_ERROR, "%s:%u: error: %s: %s", c->name, c->lineno, line.cmd.name,
                       sbuf_str(&err));
        cmd_line_free(&line);
    }
    parse_error_free(&perr);
    sbuf_free(&err);
}

/* Where the first NUL is, in characters from 1 (as the tokenizer counts
 * columns): UTF-8 continuation bytes do not start one. */
static int nul_column(const struct sbuf *line)
{
    const char *s = sbuf_str(line), *nul = memchr(s, '\0', line->len);
    int col = 1;
    for (const char *p = s; p < nul; p++)
        col += ((unsigned char)*p & 0xc0) != 0x80;
    return col;
}

/* The line so far is complete: run it, or say why not. */
static void end_line(struct cmdlines *c, struct engine *e)
{
    c->lineno++;
    if (c->line.len && sbuf_str(&c->line)[c->line.len - 1] == '\r')
        c->line.s[--c->line.len] = '\0';
    if (c->overlong || c->line.len > CMDLINES_MAX)
        trace_emit(engine_trace(e), TRACE_ERROR, "%s:%u: error: a line of over %d bytes, not run",
                   c->name, c->lineno, CMDLINES_MAX);
    else if (memchr(sbuf_str(&c->line), '\0', c->line.len))
        trace_emit(engine_trace(e), TRACE_ERROR, "%s:%u:%d: error: a NUL byte in the line, not run",
                   c->name, c->lineno, nul_column(&c->line));
    else
        run_line(c, e, sbuf_str(&c->line));
    sbuf_reset(&c->line);
    c->overlong = false;
}

void cmdlines_feed(struct cmdlines *c, struct engine *e, const char *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (bytes[i] == '\n')
            end_line(c, e);
        else if (c->line.len <= CMDLINES_MAX) /* one more: a CR after CMDLINES_MAX bytes */
            sbuf_addc(&c->line, bytes[i]);
        else
            c->overlong = true;
    }
}

void cmdlines_end(struct cmdlines *c, struct engine *e)
{
    if (c->line.len || c->overlong)
        end_line(c, e);
}
