/*
 * token.h - the words of one line of the command language.
 *
 * A line is a sequence of words separated by blanks, or double-quoted
 * strings with \" \\ \n \t \xHH escapes; # starts a comment.  Text must be
 * valid UTF-8 without control characters (a string may hold any byte
 * through \xHH).  Columns count characters from 1, so an error can point
 * at the very place in a scenario file or at the prompt.
 *
 * This is the bottom of the language: the command table (command.h) and
 * the expect grammar (expect.h) both read tokens, neither of them is
 * needed here.
 */
#ifndef EPOLLVIZ_TOKEN_H
#define EPOLLVIZ_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct token {
    char *text;  /* unescaped, NUL-terminated */
    size_t len;  /* may hold NUL bytes when quoted */
    int col;     /* 1-based column of the token's first character */
    int end_col; /* column just after its last character */
    bool quoted;
};

/* Where parsing failed: column (1-based, 0 = the whole line) and message. */
struct parse_error {
    int col;
    struct sbuf msg;
};

void parse_error_init(struct parse_error *err);
void parse_error_free(struct parse_error *err);
/* Sets the column and appends the message. */
void parse_error_at(struct parse_error *err, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Splits `text` into *tok (malloc'd, *ntok of them; none for a blank or
 * comment line).  0, or -1 with err filled and nothing to free. */
int tokenize(const char *text, struct token **tok, int *ntok, struct parse_error *err);
void tokens_free(struct token *tok, int ntok);

/* Argument checks shared by the commands: a word, not a quoted string
 * ("expected WHAT, not a quoted string"); a count from 1 to max into *v
 * ("expected WHAT from 1 to MAX, found '...'").  0, or -1 with err set. */
int token_want_word(const struct token *t, struct parse_error *err, const char *what);
int token_count(const struct token *t, unsigned long long max, struct parse_error *err,
                const char *what, unsigned long long *v);

/* Appends the tokens as they could be typed again: strings quoted and
 * escaped, words as they are, one space between (for transcripts). */
void tokens_text(const struct token *tok, int ntok, struct sbuf *out);

#endif
