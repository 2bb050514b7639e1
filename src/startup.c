/*
 * startup.c - the startup file (see startup.h).
 *
 * Each line goes through the command language's tokenizer, so a string,
 * a comment and an error's column are what they are in a scenario; its
 * errors have the scenario's form, file:line:col: error: what.
 */
#include "startup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "knob.h"
#include "panes.h"
#include "token.h"

#define STARTUP_MAX_LINE 4096

bool startup_path(const struct options *o, struct sbuf *path)
{
    sbuf_reset(path);
    if (o->startup_file) {
        if (strcmp(o->startup_file, "/dev/null") == 0)
            return false;
        sbuf_add(path, o->startup_file);
        return true;
    }
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (xdg && *xdg)
        sbuf_printf(path, "%s/epollviz/epollvizrc", xdg);
    else if (home && *home)
        sbuf_printf(path, "%s/.config/epollviz/epollvizrc", home);
    else
        return false;
    return true;
}

/* One line's setting into o (what the command line set stays); the
 * knobs it sets remember path:lineno. */
static int setting(const struct token *tok, int ntok, struct options *o, const char *path,
                   int lineno, struct parse_error *pe)
{
    const struct knob *k = knob_by_name(tok[0].text);
    if (token_want_word(&tok[0], pe, "a setting") < 0)
        return -1;
    if (!k && strcmp(tok[0].text, "rate") != 0 && strcmp(tok[0].text, "panes") != 0) {
        parse_error_at(pe, tok[0].col,
                       "unknown setting '%s': a startup file sets the knobs (see --knobs), "
                       "rate and panes", tok[0].text);
        return -1;
    }
    if (ntok != 2) {
        parse_error_at(pe, ntok < 2 ? tok[0].end_col : tok[2].col, "%s takes one value",
                       tok[0].text);
        return -1;
    }
    const struct token *v = &tok[1];
    if (k) {
        size_t value;
        if (knob_parse(k, v->text, &value) < 0) {
            struct sbuf what = {0};
            knob_expected(k, false, &what);
            parse_error_at(pe, v->col, "%s: expected %s, found '%s'", k->name, sbuf_str(&what),
                           v->text);
            sbuf_free(&what);
            return -1;
        }
        if (o->server.origin[k->id].from != FROM_COMMAND_LINE) {
            knob_set(k, &o->server.knobs, value);
            o->server.origin[k->id] = knob_origin(FROM_FILE, path, (unsigned)lineno, 0);
        }
        return 0;
    }
    if (strcmp(tok[0].text, "rate") == 0) {
        unsigned long long n;
        if (token_count(v, ENGINE_RATE_MAX, pe, "ticks per second", &n) < 0)
            return -1;
        if (!o->rate) {
            o->rate = (unsigned)n;
            o->rate_from = knob_origin(FROM_FILE, path, (unsigned)lineno, 0);
        }
        return 0;
    }
    struct sbuf why = {0};
    unsigned panes;
    int rc = panes_parse(v->text, &panes, &why);
    if (rc < 0)
        parse_error_at(pe, v->col, "panes: %s", sbuf_str(&why));
    else if (o->panes_from.from != FROM_COMMAND_LINE) {
        o->panes = panes;
        o->panes_from = knob_origin(FROM_FILE, path, (unsigned)lineno, 0);
    }
    sbuf_free(&why);
    return rc;
}

int startup_read(const char *path, struct options *o, struct sbuf *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT && !o->startup_file)
            return 0; /* no file: the defaults */
        sbuf_printf(err, "%s: error: cannot open: %s\n", path, strerror(errno));
        return -1;
    }
    struct options tried = *o;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned errors = 0;
    for (int lineno = 1; (len = getline(&line, &cap, f)) >= 0; lineno++) {
        struct parse_error pe;
        struct token *tok = NULL;
        int ntok = 0;
        parse_error_init(&pe);
        if (len > STARTUP_MAX_LINE || memchr(line, '\0', (size_t)len)) {
            parse_error_at(&pe, 0, "not a line of text (a NUL byte, or over %d bytes)",
                           STARTUP_MAX_LINE);
        } else {
            if (len && line[len - 1] == '\n')
                line[--len] = '\0';
            if (tokenize(line, &tok, &ntok, &pe) == 0 && ntok > 0)
                setting(tok, ntok, &tried, path, lineno, &pe);
            tokens_free(tok, ntok);
        }
        if (pe.msg.len) {
            errors++;
            if (pe.col > 0)
                sbuf_printf(err, "%s:%d:%d: error: ", path, lineno, pe.col);
            else
                sbuf_printf(err, "%s:%d: error: ", path, lineno);
            sbuf_add_sanitized(err, sbuf_str(&pe.msg));
            sbuf_addc(err, '\n');
        }
        parse_error_free(&pe);
    }
    bool failed = ferror(f);
    free(line);
    fclose(f);
    if (failed) {
        sbuf_printf(err, "%s: error: cannot read\n", path);
        return -1;
    }
    if (errors)
        return -1;
    *o = tried;
    return 0;
}
