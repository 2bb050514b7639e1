/*
 * test_token.c - the tokenizer: words, quoted strings and their escapes,
 * comments, columns counted in characters, and every error with its column.
 * The cases go through cmd_parse, as a scenario line or the prompt would, so
 * each error is pinned where the user sees it.
 */
#include "harness.h"

#include "command.h"
#include "fixture.h"
#include "token.h"

void test_token_words_and_columns(void)
{
    static const struct {
        const char *in;
        int ntok;
        const char *text[4];
        int col[4];
    } cases[] = {
        {"tick 3", 2, {"tick", "3"}, {1, 6}},
        {"   tick    3   ", 2, {"tick", "3"}, {4, 12}},
        {"\ttick\t\t3", 2, {"tick", "3"}, {2, 8}}, /* a tab is one column */
        {"connect w 3", 3, {"connect", "w", "3"}, {1, 9, 11}},
        {"say \xc3\xa9t\xc3\xa9", 2, {"say", "\xc3\xa9t\xc3\xa9"}, {1, 5}},
        /* columns count characters: "é" is two bytes but one column */
        {"expect \xc3\xa9 pending 3", 4, {"expect", "\xc3\xa9", "pending", "3"}, {1, 8, 10, 18}},
        {"expect \xe2\x9c\x93\xe2\x9c\x93 bytes >= 3", 5,
         {"expect", "\xe2\x9c\x93\xe2\x9c\x93", "bytes", ">="}, {1, 8, 11, 17}},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct cmd_line l;
        struct parse_error err;
        parse_error_init(&err);
        int rc = cmd_parse(cases[i].in, &l, &err);
        if (rc < 0) {
            harness_fail(__FILE__, __LINE__, "case %zu: %s", i, sbuf_str(&err.msg));
        } else {
            CHECK_EQ(l.ntok, cases[i].ntok);
            for (int k = 0; k < l.ntok && k < 4 && cases[i].text[k]; k++) {
                CHECK_STR(l.tok[k].text, cases[i].text[k]);
                CHECK_EQ(l.tok[k].len, strlen(cases[i].text[k]));
                CHECK_EQ(l.tok[k].col, cases[i].col[k]);
                CHECK(!l.tok[k].quoted);
            }
        }
        cmd_line_free(&l);
        parse_error_free(&err);
    }

    /* The tokenizer runs before the lookup: a multi-byte command word is
     * one word, reported at its column. */
    static const struct bad_line bad[] = {
        {"  t\xc3\xaf" "ck x", 3, "unknown command 't\xc3\xaf" "ck' (did you mean tick?)"},
        {"\xc3\xa9 tick", 1, "unknown command '\xc3\xa9' (try: help)"},
    };
    CHECK_BAD(bad);
}

void test_token_strings_and_escapes(void)
{
    static const struct {
        const char *in;
        const char *text; /* the unescaped second token */
        size_t len;
        int col;
    } cases[] = {
        {"say \"hello world\"", "hello world", 11, 5},
        {"say \"\"", "", 0, 5},
        {"say \"a\\\"b\"", "a\"b", 3, 5},
        {"say \"back\\\\slash\"", "back\\slash", 10, 5},
        {"say \"one\\ntwo\\tthree\"", "one\ntwo\tthree", 13, 5},
        {"say \"\\x41\\x7a\\x7A\\x20\"", "Azz ", 4, 5},
        {"send a \"x\\x00y\"", "x\0y", 3, 8}, /* a NUL byte inside a string is kept */
        {"say \"# not a comment\"", "# not a comment", 15, 5},
        {"say \"caf\xc3\xa9 \xe2\x9c\x93\"", "caf\xc3\xa9 \xe2\x9c\x93", 9, 5},
        {"  say   \"x\"  ", "x", 1, 9},
        {"say \"x\"# a comment right after the string", "x", 1, 5},
        {"say \"x\"\t", "x", 1, 5},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct cmd_line l;
        struct parse_error err;
        parse_error_init(&err);
        int rc = cmd_parse(cases[i].in, &l, &err);
        CHECK_EQ(rc, 0);
        if (rc == 0) {
            int last = l.ntok - 1;
            CHECK_EQ(l.ntok, strncmp(cases[i].in, "send", 4) == 0 ? 3 : 2);
            CHECK(l.tok[last].quoted);
            CHECK_EQ(l.tok[last].col, cases[i].col);
            CHECK_EQ(l.tok[last].len, cases[i].len);
            CHECK(memcmp(l.tok[last].text, cases[i].text, cases[i].len) == 0);
            CHECK_EQ(l.tok[last].text[cases[i].len], '\0');
        } else {
            harness_fail(__FILE__, __LINE__, "case %zu: %s", i, sbuf_str(&err.msg));
        }
        cmd_line_free(&l);
        parse_error_free(&err);
    }
    /* Columns after a string count its source characters, escapes included. */
    struct cmd_line l;
    struct parse_error err;
    parse_error_init(&err);
    REQUIRE(cmd_parse("send a \"\\x41\\n\xc3\xa9\" ", &l, &err) == 0);
    CHECK_EQ(l.tok[2].col, 8);
    cmd_line_free(&l);
    REQUIRE(cmd_parse("say \"\\x41\\n\xc3\xa9\" x", &l, &err) < 0);
    CHECK_EQ(err.col, 15); /* s a y _ " \ x 4 1 \ n é " _ x */
    CHECK_STR(sbuf_str(&err.msg), "too many arguments for say; usage: say \"text\"");
    parse_error_free(&err);
}

void test_token_comments_blank_crlf(void)
{
    static const struct good_line cases[] = {
        {"", NULL, 0},
        {"   ", NULL, 0},
        {"\t \t", NULL, 0},
        {"\r", NULL, 0},
        {"\r\n", NULL, 0},
        {"# a comment", NULL, 0},
        {"    # an indented comment \"with a quote", NULL, 0},
        {"#tick 3", NULL, 0},
        {"tick 3 # run three", "tick", 2},
        {"tick 3\r", "tick", 2},
        {"tick 3\r\n", "tick", 2},
        {"say \"crlf\"\r", "say", 2},
        {"step\r", "step", 1},
    };
    CHECK_GOOD(cases);

    /* '#' inside a word is part of it, so this count is not a number. */
    static const struct bad_line bad[] = {
        {"tick 3#x", 6, "expected a tick count from 1 to 100000, found '3#x'"},
    };
    CHECK_BAD(bad);

    struct cmd_line l;
    struct parse_error err;
    parse_error_init(&err);
    REQUIRE(cmd_parse("tick 3\r", &l, &err) == 0);
    CHECK_STR(l.tok[1].text, "3"); /* no \r left on the last word */
    CHECK_EQ(l.tok[1].len, 1);
    cmd_line_free(&l);
    parse_error_free(&err);
}

void test_token_errors(void)
{
    static const struct bad_line cases[] = {
        /* unterminated string: reported at the opening quote */
        {"say \"abc", 5, "unterminated string: expected a closing '\"'"},
        {"say \"abc\r", 5, "unterminated string: expected a closing '\"'"},
        {"say \"abc\\\"", 5, "unterminated string: expected a closing '\"'"},
        {"  title \"", 9, "unterminated string: expected a closing '\"'"},
        /* unknown escape: reported at the backslash */
        {"say \"a\\qb\"", 7, "unknown escape in string; expected \\\" \\\\ \\n \\t or \\xHH"},
        {"say \"\\r\"", 6, "unknown escape in string; expected \\\" \\\\ \\n \\t or \\xHH"},
        {"say \"\\x4g\"", 6, "unknown escape in string; expected \\\" \\\\ \\n \\t or \\xHH"},
        {"say \"\\x4\"", 6, "unknown escape in string; expected \\\" \\\\ \\n \\t or \\xHH"},
        {"say \"\\x\"", 6, "unknown escape in string; expected \\\" \\\\ \\n \\t or \\xHH"},
        {"say \"\xc3\xa9\\z\"", 7, "unknown escape in string; expected \\\" \\\\ \\n \\t or \\xHH"},
        {"say \"ab\\", 5, "unterminated string: expected a closing '\"'"},
        /* control characters, outside and inside strings */
        {"\x01tick", 1, "control character 0x01 is not allowed here"},
        {"tick\x01", 5, "control character 0x01 is not allowed here"},
        {"tick 3\x7f", 7, "control character 0x7f is not allowed here"},
        {"tick \x1b[2J", 6, "control character 0x1b is not allowed here"},
        {"tick\v3", 5, "control character 0x0b is not allowed here"},
        {"say \"a\x01\"", 7, "control character 0x01 in a string; write it as \\xHH"},
        {"say \"a\tb\"", 7, "control character 0x09 in a string; write it as \\xHH"},
        {"say \"\x7f\"", 6, "control character 0x7f in a string; write it as \\xHH"},
        {"say \"\xc3\xa9\x1b\"", 7, "control character 0x1b in a string; write it as \\xHH"},
        /* invalid UTF-8: the first bad byte, columns in characters */
        {"\xff", 1, "invalid UTF-8 byte 0xff"},
        {"tick \x80", 6, "invalid UTF-8 byte 0x80"},
        {"say \xc3\xa9\xff", 6, "invalid UTF-8 byte 0xff"},
        {"say \xc3(", 5, "invalid UTF-8 byte 0xc3"},
        {"say \xe2\x9c", 5, "invalid UTF-8 byte 0xe2"},            /* cut short by the end */
        {"say \xc0\xaf", 5, "invalid UTF-8 byte 0xc0"},            /* overlong lead byte */
        {"say \xf5\x80\x80\x80", 5, "invalid UTF-8 byte 0xf5"},    /* beyond U+10FFFF */
        {"say \"\xc3\xa9\xe9\"", 7, "invalid UTF-8 byte 0xe9"},    /* Latin-1 in a string */
        {"say \"x\" \xfe", 9, "invalid UTF-8 byte 0xfe"},
        /* quotes glued to words */
        {"tick a\"b\"", 7, "unexpected '\"' inside a word; put a space before the string"},
        {"say x\"", 6, "unexpected '\"' inside a word; put a space before the string"},
        {"say \"a\"b", 8, "expected a space after the closing '\"'"},
        {"say \"a\"\"b\"", 8, "expected a space after the closing '\"'"},
        {"say \"\xc3\xa9\"x", 8, "expected a space after the closing '\"'"},
        /* a string where the command word goes */
        {"\"tick\" 3", 1, "expected a command name, found a string"},
        {"  \"\"", 3, "expected a command name, found a string"},
    };
    CHECK_BAD(cases);
}

/* utf8_len accepts any continuation bytes after a valid lead byte, so
 * overlong 3- and 4-byte forms, UTF-16 surrogates and code points above
 * U+10FFFF pass as "valid UTF-8" (RFC 3629 section 4 forbids them). */
void test_token_utf8_rejects_overlong_and_surrogates(void)
{
    static const struct {
        const char *in;
        int col;
    } cases[] = {
        {"say \xe0\x80\xa2", 5},     /* overlong '"' */
        {"say \xe0\x9f\xbf", 5},     /* overlong U+07FF */
        {"say \xed\xa0\x80", 5},     /* surrogate U+D800 */
        {"say \xed\xbf\xbf", 5},     /* surrogate U+DFFF */
        {"say \xf0\x8f\xbf\xbf", 5}, /* overlong U+FFFF */
        {"say \xf4\x90\x80\x80", 5}, /* U+110000 */
        {"say \"\xed\xa0\x80\"", 6},
    };
    struct sbuf in = {0};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct cmd_line l;
        struct parse_error err;
        parse_error_init(&err);
        int rc = cmd_parse(cases[i].in, &l, &err);
        if (rc == 0)
            harness_fail(__FILE__, __LINE__, "\"%s\": accepted as valid UTF-8",
                         shown(&in, cases[i].in));
        else if (err.col != cases[i].col || !strstr(sbuf_str(&err.msg), "invalid UTF-8"))
            harness_fail(__FILE__, __LINE__, "\"%s\": column %d: %s",
                         shown(&in, cases[i].in), err.col, sbuf_str(&err.msg));
        cmd_line_free(&l);
        parse_error_free(&err);
    }
    sbuf_free(&in);

    /* The boundaries just inside the valid ranges stay accepted. */
    static const struct good_line good[] = {
        {"say \xe0\xa0\x80", "say", 2},     /* U+0800 */
        {"say \xed\x9f\xbf", "say", 2},     /* U+D7FF */
        {"say \xee\x80\x80", "say", 2},     /* U+E000 */
        {"say \xf0\x90\x80\x80", "say", 2}, /* U+10000 */
        {"say \xf4\x8f\xbf\xbf", "say", 2}, /* U+10FFFF */
    };
    CHECK_GOOD(good);
}

void test_token_without_commands(void)
{
    struct token *tok;
    int n;
    struct parse_error err;
    parse_error_init(&err);
    /* No command table here: an unknown first word is just a word. */
    REQUIRE(tokenize("zzz \"a b\" \"\\x00\" 7 # no more", &tok, &n, &err) == 0);
    CHECK_EQ(n, 4);
    if (n == 4) {
        CHECK_STR(tok[0].text, "zzz");
        CHECK(!tok[0].quoted);
        CHECK_STR(tok[1].text, "a b");
        CHECK(tok[1].quoted);
        CHECK_EQ(tok[1].col, 5);
        CHECK_EQ(tok[1].end_col, 10);
        CHECK_EQ(tok[2].len, 1);
        CHECK_EQ(tok[2].text[0], 0);
        CHECK_STR(tok[3].text, "7");
    }
    struct sbuf back = {0};
    tokens_text(tok, n, &back);
    CHECK_STR(sbuf_str(&back), "zzz \"a b\" \"\\x00\" 7");
    sbuf_free(&back);
    tokens_free(tok, n);

    REQUIRE(tokenize("   # only a comment", &tok, &n, &err) == 0);
    CHECK_EQ(n, 0);
    tokens_free(tok, n);

    /* A failure leaves nothing to free and says where. */
    CHECK_EQ(tokenize("say \"open", &tok, &n, &err), -1);
    CHECK(tok == NULL);
    CHECK_EQ(n, 0);
    CHECK_EQ(err.col, 5);
    CHECK_STR(sbuf_str(&err.msg), "unterminated string: expected a closing '\"'");
    parse_error_free(&err);
}
