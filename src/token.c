/*
 * token.c - the tokenizer of the command language: one line in, words and
 * strings out, each with its column, or the first error with its column.
 */
#include "token.h"

#include <stdlib.h>
#include <string.h>

void parse_error_init(struct parse_error *err)
{
    err->col = 0;
    err->msg = (struct sbuf){0};
}

void parse_error_free(struct parse_error *err)
{
    sbuf_free(&err->msg);
}

void parse_error_at(struct parse_error *err, int col, const char *fmt, ...)
{
    va_list ap;
    err->col = col;
    va_start(ap, fmt);
    sbuf_vprintf(&err->msg, fmt, ap);
    va_end(ap);
}

/* Text is NUL-terminated here, so 4 is always a safe bound: a NUL stops
 * the continuation-byte checks. */
static size_t utf8_len(const unsigned char *p)
{
    return utf8_seq_len(p, 4);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

struct token_list {
    struct token *tok;
    int n;
};

static void push_token(struct token_list *line, struct sbuf *text, int col, int end, bool quoted)
{
    line->tok = xrealloc(line->tok, (size_t)(line->n + 1) * sizeof *line->tok);
    struct token *t = &line->tok[line->n++];
    t->len = text->len;
    t->text = xmalloc(text->len + 1);
    memcpy(t->text, sbuf_str(text), text->len + 1);
    t->col = col;
    t->end_col = end;
    t->quoted = quoted;
    sbuf_reset(text);
}

int tokenize(const char *s, struct token **tok, int *ntok, struct parse_error *err)
{
    struct token_list list = {NULL, 0}, *line = &list;
    const unsigned char *p = (const unsigned char *)s;
    struct sbuf text = {0};
    int col = 1; /* counts characters, not bytes */

    while (*p) {
        size_t n = utf8_len(p);
        if (n == 0) {
            parse_error_at(err, col, "invalid UTF-8 byte 0x%02x", *p);
            goto fail;
        }
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
            p++, col++;
            continue;
        }
        if (utf8_control(p, n) >= 0) {
            parse_error_at(err, col, "control character 0x%02x is not allowed here", utf8_control(p, n));
            goto fail;
        }
        if (*p == '#')
            break;
        int start = col;
        if (*p != '"') {
            while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
                size_t m = utf8_len(p);
                if (m == 0 || utf8_control(p, m) >= 0) {
                    parse_error_at(err, col, m ? "control character 0x%02x is not allowed here"
                                         : "invalid UTF-8 byte 0x%02x", m ? utf8_control(p, m) : *p);
                    goto fail;
                }
                if (*p == '"') {
                    parse_error_at(err, col, "unexpected '\"' inside a word; put a space before the string");
                    goto fail;
                }
                sbuf_addn(&text, (const char *)p, m);
                p += m, col++;
            }
            push_token(line, &text, start, col, false);
            continue;
        }
        p++, col++; /* opening quote */
        for (;;) {
            if (!*p || *p == '\n' || *p == '\r') {
                parse_error_at(err, start, "unterminated string: expected a closing '\"'");
                goto fail;
            }
            if (*p == '"') {
                p++, col++;
                break;
            }
            if (*p == '\\') {
                int ecol = col;
                char c = (char)p[1];
                if (!c || c == '\n' || c == '\r') {
                    parse_error_at(err, start, "unterminated string: expected a closing '\"'");
                    goto fail;
                }
                const char *simple = strchr("\"\\nt", c);
                if (c && simple) {
                    sbuf_addc(&text, c == 'n' ? '\n' : c == 't' ? '\t' : c);
                    p += 2, col += 2;
                    continue;
                }
                if (c == 'x' && hexval((char)p[2]) >= 0 && hexval((char)p[3]) >= 0) {
                    sbuf_addc(&text, (char)(hexval((char)p[2]) * 16 + hexval((char)p[3])));
                    p += 4, col += 4;
                    continue;
                }
                parse_error_at(err, ecol, "unknown escape in string; expected \\\" \\\\ \\n \\t or \\xHH");
                goto fail;
            }
            size_t m = utf8_len(p);
            if (m == 0 || utf8_control(p, m) >= 0) {
                parse_error_at(err, col, m ? "control character 0x%02x in a string; write it as \\xHH"
                                     : "invalid UTF-8 byte 0x%02x", m ? utf8_control(p, m) : *p);
                goto fail;
            }
            sbuf_addn(&text, (const char *)p, m);
            p += m, col++;
        }
        if (*p && *p != ' ' && *p != '\t' && *p != '#' && *p != '\r' && *p != '\n') {
            parse_error_at(err, col, "expected a space after the closing '\"'");
            goto fail;
        }
        push_token(line, &text, start, col, true);
    }
    sbuf_free(&text);
    *tok = list.tok;
    *ntok = list.n;
    return 0;
fail:
    sbuf_free(&text);
    tokens_free(list.tok, list.n);
    *tok = NULL;
    *ntok = 0;
    return -1;
}

void tokens_free(struct token *tok, int ntok)
{
    for (int i = 0; i < ntok; i++)
        free(tok[i].text);
    free(tok);
}

void tokens_text(const struct token *tok, int ntok, struct sbuf *out)
{
    for (int i = 0; i < ntok; i++) {
        if (i)
            sbuf_addc(out, ' ');
        if (tok[i].quoted) {
            sbuf_addc(out, '"');
            sbuf_add_escaped(out, tok[i].text, tok[i].len);
            sbuf_addc(out, '"');
        } else {
            sbuf_add(out, tok[i].text);
        }
    }
}

int token_want_word(const struct token *t, struct parse_error *err, const char *what)
{
    if (t->quoted) {
        parse_error_at(err, t->col, "expected %s, not a quoted string", what);
        return -1;
    }
    return 0;
}

int token_count(const struct token *t, unsigned long long max, struct parse_error *err,
                const char *what, unsigned long long *v)
{
    if (token_want_word(t, err, what) < 0)
        return -1;
    if (parse_uint(t->text, max, v) < 0 || *v == 0) {
        parse_error_at(err, t->col, "expected %s from 1 to %llu, found '%s'", what, max, t->text);
        return -1;
    }
    return 0;
}
