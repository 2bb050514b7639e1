/*
 * test_command.c - the command parser: tokenizer, command lookup, argument
 * counts and each command's check, including the expect grammar.  Every
 * error case pins the exact column and message.
 */
#include "harness.h"

#include "command.h"
#include "expect.h"
#include "util.h"

/* One line that must be rejected: where, and with which message. */
struct bad_line {
    const char *in;
    int col;
    const char *msg; /* the whole message */
};

/* One line that must parse: its command (NULL for blank) and token count. */
struct good_line {
    const char *in;
    const char *cmd;
    int ntok;
};

/* The input as printable ASCII for failure messages. */
static const char *shown(struct sbuf *b, const char *s)
{
    sbuf_reset(b);
    sbuf_add_escaped(b, s, strlen(s));
    sbuf_addn(b, "", 0); /* sbuf_add_escaped of "" leaves a fresh buffer unterminated */
    return sbuf_str(b);
}

static void check_bad(const struct bad_line *cases, size_t n, const char *file, int line)
{
    struct sbuf in = {0};
    for (size_t i = 0; i < n; i++) {
        struct cmd_line l;
        struct parse_error err;
        parse_error_init(&err);
        int rc = cmd_parse(cases[i].in, &l, &err);
        if (rc != -1) {
            harness_fail(file, line, "\"%s\": parsed (rc %d), expected col %d: %s",
                         shown(&in, cases[i].in), rc, cases[i].col, cases[i].msg);
        } else {
            if (err.col != cases[i].col)
                harness_fail(file, line, "\"%s\": column %d, expected %d (%s)",
                             shown(&in, cases[i].in), err.col, cases[i].col, sbuf_str(&err.msg));
            if (strcmp(sbuf_str(&err.msg), cases[i].msg) != 0)
                harness_fail(file, line, "\"%s\": message\n  \"%s\"\n  expected\n  \"%s\"",
                             shown(&in, cases[i].in), sbuf_str(&err.msg), cases[i].msg);
            if (l.cmd.name || l.tok || l.ntok)
                harness_fail(file, line, "\"%s\": a failed parse left tokens behind",
                             shown(&in, cases[i].in));
        }
        cmd_line_free(&l);
        parse_error_free(&err);
    }
    sbuf_free(&in);
}

static void check_good(const struct good_line *cases, size_t n, const char *file, int line)
{
    struct sbuf in = {0};
    for (size_t i = 0; i < n; i++) {
        struct cmd_line l;
        struct parse_error err;
        parse_error_init(&err);
        if (cmd_parse(cases[i].in, &l, &err) < 0) {
            harness_fail(file, line, "\"%s\": rejected at column %d: %s",
                         shown(&in, cases[i].in), err.col, sbuf_str(&err.msg));
        } else {
            const char *got = l.cmd.name ? l.cmd.name : "(none)";
            const char *want = cases[i].cmd ? cases[i].cmd : "(none)";
            if (strcmp(got, want) != 0)
                harness_fail(file, line, "\"%s\": command %s, expected %s",
                             shown(&in, cases[i].in), got, want);
            if (l.ntok != cases[i].ntok)
                harness_fail(file, line, "\"%s\": %d tokens, expected %d",
                             shown(&in, cases[i].in), l.ntok, cases[i].ntok);
            if (err.msg.len)
                harness_fail(file, line, "\"%s\": accepted but left a message: %s",
                             shown(&in, cases[i].in), sbuf_str(&err.msg));
        }
        cmd_line_free(&l);
        parse_error_free(&err);
    }
    sbuf_free(&in);
}

#define CHECK_BAD(cases) check_bad(cases, ARRAY_LEN(cases), __FILE__, __LINE__)
#define CHECK_GOOD(cases) check_good(cases, ARRAY_LEN(cases), __FILE__, __LINE__)

/* ---- tokenizer --------------------------------------------------------- */

void test_parser_tokenize_words_and_columns(void)
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

void test_parser_tokenize_strings_and_escapes(void)
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

void test_parser_tokenize_comments_blank_crlf(void)
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

void test_parser_tokenize_errors(void)
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
void test_parser_utf8_rejects_overlong_and_surrogates(void)
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

/* ---- lookup ------------------------------------------------------------ */

void test_parser_lookup_prefix_alias_suggestion(void)
{
    static const struct {
        const char *word;
        const char *cmd; /* NULL: rejected with msg */
        const char *msg;
    } cases[] = {
        {"tick", "tick", NULL},
        {"t", "tick", NULL}, /* the alias wins over the prefix of title and tick */
        {"conn", "connect", NULL},
        {"con", "connect", NULL},
        {"co", NULL, "ambiguous command 'co', could be: connect, compare"},
        {"cl", "close", NULL},
        {"sh", "shutdown", NULL},
        {"st", NULL, "ambiguous command 'st', could be: step, stop"},
        {"ste", "step", NULL},
        {"sto", "stop", NULL},
        {"e", "expect", NULL},
        {"b", "budget", NULL},
        {"ac", "accept", NULL},
        {"a", NULL, "ambiguous command 'a', could be: accept, autorearm"},
        {"h", "help", NULL},
        {"rea", "rearm", NULL},
        {"dro", "drop", NULL},
        {"c", NULL, "ambiguous command 'c', could be: connect, close, compare"},
        {"s", NULL, "ambiguous command 's', could be: say, step, send, shutdown, select, stop"},
        {"ti", NULL, "ambiguous command 'ti', could be: title, tick"},
        {"dr", NULL, "ambiguous command 'dr', could be: drain, drop"},
        {"r", NULL, "ambiguous command 'r', could be: rcvbuf, run, rearm, restart"},
        {"tik", NULL, "unknown command 'tik' (did you mean tick?)"},
        {"conect", NULL, "unknown command 'conect' (did you mean connect?)"},
        {"sendd", NULL, "unknown command 'sendd' (did you mean send?)"},
        {"expcet", NULL, "unknown command 'expcet' (did you mean expect?)"},
        {"Tick", NULL, "unknown command 'Tick' (did you mean tick?)"},
        {"ticks", NULL, "unknown command 'ticks' (did you mean tick?)"},
        {"xyzzy", NULL, "unknown command 'xyzzy' (try: help)"},
        {"TICK", NULL, "unknown command 'TICK' (try: help)"},
        {"connectconnectconnectconnectconnect", NULL,
         "unknown command 'connectconnectconnectconnectconnect' (try: help)"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct sbuf why = {0};
        struct cmd_entry c;
        bool found = cmd_lookup(cases[i].word, &c, &why) == 0;
        if (cases[i].cmd) {
            if (!found)
                harness_fail(__FILE__, __LINE__, "'%s': %s", cases[i].word, sbuf_str(&why));
            else
                CHECK_STR(c.name, cases[i].cmd);
            CHECK_EQ(why.len, 0);
        } else {
            if (found)
                harness_fail(__FILE__, __LINE__, "'%s': found %s", cases[i].word, c.name);
            CHECK_STR(sbuf_str(&why), cases[i].msg);
        }
        sbuf_free(&why);
    }

    /* Through cmd_parse the message is pinned to the word's column. */
    static const struct bad_line bad[] = {
        {"tik 3", 1, "unknown command 'tik' (did you mean tick?)"},
        {"   tik 3", 4, "unknown command 'tik' (did you mean tick?)"},
        {"\tc a", 2, "ambiguous command 'c', could be: connect, close, compare"},
    };
    CHECK_BAD(bad);
    static const struct good_line good[] = {
        {"t", "tick", 1},
        {"t 5", "tick", 2},
        {"conn a", "connect", 2},
        {"conn a 3", "connect", 3},
        {"e a pending 0", "expect", 4},
    };
    CHECK_GOOD(good);
}

void test_parser_command_table_consistent(void)
{
    struct cmd_entry c, d;
    REQUIRE(cmd_count() > 0);
    CHECK_EQ(cmd_at(cmd_count(), &c), -1);
    for (size_t i = 0; i < cmd_count(); i++) {
        struct sbuf why = {0};
        REQUIRE(cmd_at(i, &c) == 0);
        REQUIRE(c.name && (c.args || c.knob) && c.help && c.exec);
        CHECK(c.min_args >= 0 && c.min_args <= c.max_args);
        /* every name and alias finds its own entry */
        CHECK(cmd_lookup(c.name, &d, &why) == 0 && strcmp(d.name, c.name) == 0);
        if (c.alias)
            CHECK(cmd_lookup(c.alias, &d, &why) == 0 && strcmp(d.name, c.name) == 0);
        CHECK_EQ(why.len, 0);
        for (size_t k = i + 1; cmd_at(k, &d) == 0; k++)
            CHECK(strcmp(c.name, d.name) != 0);
        /* a request to the host is the only thing exec_host does */
        CHECK_EQ(c.host != HOST_NONE, (c.flags & CMD_LIVE) || (c.flags & CMD_WRITES));
        /* what Tab offers is what the table says it takes */
        CHECK_EQ(c.complete == COMPLETE_KNOB, c.knob != NULL);
        CHECK_EQ(c.complete == COMPLETE_WORDS, c.words != NULL);
        sbuf_free(&why);
    }
}

/* ---- argument counts --------------------------------------------------- */

void test_parser_arg_count_errors(void)
{
    static const struct bad_line cases[] = {
        /* too few: one column past the last word, the usage in the message */
        {"title", 6, "title needs 1 argument; usage: title \"text\""},
        {"say   ", 4, "say needs 1 argument; usage: say \"text\""},
        {"mode", 5, "mode needs 1 argument; usage: mode lt|et|oneshot"},
        {"budget", 7, "budget needs 1 argument; usage: budget BYTES|drain"},
        {"accept", 7, "accept needs 1 argument; usage: accept one|all"},
        {"connect", 8, "connect needs at least 1 argument; usage: connect NAME [COUNT]"},
        {"conn", 5, "connect needs at least 1 argument; usage: connect NAME [COUNT]"},
        {"send", 5, "send needs 2 arguments; usage: send NAME BYTES|\"text\""},
        {"send a", 7, "send needs 2 arguments; usage: send NAME BYTES|\"text\""},
        {"send \"a\"", 9, "send needs 2 arguments; usage: send NAME BYTES|\"text\""},
        {"send abc # comment", 9, "send needs 2 arguments; usage: send NAME BYTES|\"text\""},
        {"shutdown", 9, "shutdown needs 1 argument; usage: shutdown NAME"},
        {"close", 6, "close needs 1 argument; usage: close NAME"},
        {"rearm", 6, "rearm needs 1 argument; usage: rearm NAME|listener|all"},
        {"drain", 6, "drain needs 1 argument; usage: drain NAME|all"},
        {"drop", 5, "drop needs 1 argument; usage: drop NAME|all"},
        {"expect", 7,
         "expect needs at least 2 arguments; usage: expect TARGET [not] PROPERTY [OP NUMBER]"},
        {"expect a", 9,
         "expect needs at least 2 arguments; usage: expect TARGET [not] PROPERTY [OP NUMBER]"},
        /* too many: at the first extra argument */
        {"tick 1 2", 8, "too many arguments for tick; usage: tick [COUNT]"},
        {"t 1 2 3", 5, "too many arguments for tick; usage: tick [COUNT]"},
        {"step now", 6, "too many arguments for step; usage: step"},
        {"pause 1", 7, "too many arguments for pause; usage: pause"},
        {"run 5 6", 7, "too many arguments for run; usage: run [TICKS-PER-SECOND]"},
        {"mode et lt", 9, "too many arguments for mode; usage: mode lt|et|oneshot"},
        {"connect a 2 3", 13, "too many arguments for connect; usage: connect NAME [COUNT]"},
        {"send a 5 6", 10, "too many arguments for send; usage: send NAME BYTES|\"text\""},
        {"send a \"x\" \"y\"", 12, "too many arguments for send; usage: send NAME BYTES|\"text\""},
        {"say \"x\" y", 9, "too many arguments for say; usage: say \"text\""},
        {"say \"\xc3\xa9\" y", 9, "too many arguments for say; usage: say \"text\""},
        {"title hello world", 13, "too many arguments for title; usage: title \"text\""},
        {"close a b", 9, "too many arguments for close; usage: close NAME"},
        {"help tick send", 11, "too many arguments for help; usage: help [COMMAND]"},
        {"expect a not pending = 3 4", 26,
         "too many arguments for expect; usage: expect TARGET [not] PROPERTY [OP NUMBER]"},
    };
    CHECK_BAD(cases);

    static const struct good_line good[] = {
        {"tick", "tick", 1},         {"run", "run", 1},       {"help", "help", 1},
        {"connect a", "connect", 2}, {"step", "step", 1},     {"pause", "pause", 1},
        {"title hello", "title", 2}, {"say \"\"", "say", 2},
    };
    CHECK_GOOD(good);
}

/* A missing argument is reported one column past the last token, but the
 * column is computed from the *unescaped* text length in bytes
 * (command.c, cmd_parse: last->col + strlen(last->text) + 2), so after a
 * string with escapes, or a word with multi-byte characters, it is off. */
void test_parser_too_few_args_column_counts_source_chars(void)
{
    static const struct bad_line cases[] = {
        /* s e n d _ " a \ t b " -> one past the string is column 12 */
        {"send \"a\\tb\"", 12, "send needs 2 arguments; usage: send NAME BYTES|\"text\""},
        /* s e n d _ " \ x 4 1 " -> 12 */
        {"send \"\\x41\"", 12, "send needs 2 arguments; usage: send NAME BYTES|\"text\""},
        /* s e n d _ é -> one past é is column 7 */
        {"send \xc3\xa9", 7, "send needs 2 arguments; usage: send NAME BYTES|\"text\""},
        /* e x p e c t _ ✓ -> 9 */
        {"expect \xe2\x9c\x93", 9,
         "expect needs at least 2 arguments; usage: expect TARGET [not] PROPERTY [OP NUMBER]"},
    };
    CHECK_BAD(cases);
}

/* ---- argument values --------------------------------------------------- */

void test_parser_knob_values(void)
{
    static const struct bad_line cases[] = {
        {"mode ET", 6, "expected lt, et or oneshot, found 'ET'"},
        {"mode edge", 6, "expected lt, et or oneshot, found 'edge'"},
        {"mode one", 6, "expected lt, et or oneshot, found 'one'"},
        {"budget 0", 8, "expected a byte count from 1 to 1048576 or 'drain', found '0'"},
        {"budget 1048577", 8,
         "expected a byte count from 1 to 1048576 or 'drain', found '1048577'"},
        {"budget 99999999999999999999", 8,
         "expected a byte count from 1 to 1048576 or 'drain', found '99999999999999999999'"},
        {"budget drian", 8, "expected a byte count from 1 to 1048576 or 'drain', found 'drian'"},
        {"budget -1", 8, "expected a byte count from 1 to 1048576 or 'drain', found '-1'"},
        {"budget 16k", 8, "expected a byte count from 1 to 1048576 or 'drain', found '16k'"},
        {"accept some", 8, "expected one or all, found 'some'"},
        {"accept ALL", 8, "expected one or all, found 'ALL'"},
    };
    CHECK_BAD(cases);
    static const struct good_line good[] = {
        {"mode lt", "mode", 2},         {"mode et", "mode", 2},
        {"mode oneshot", "mode", 2},    {"budget 1", "budget", 2},
        {"budget 16", "budget", 2},     {"budget 1048576", "budget", 2},
        {"budget drain", "budget", 2},  {"accept one", "accept", 2},
        {"accept all", "accept", 2},
    };
    CHECK_GOOD(good);
}

void test_parser_counts(void)
{
    static const struct bad_line cases[] = {
        {"tick 0", 6, "expected a tick count from 1 to 100000, found '0'"},
        {"tick abc", 6, "expected a tick count from 1 to 100000, found 'abc'"},
        {"tick -1", 6, "expected a tick count from 1 to 100000, found '-1'"},
        {"tick 3.5", 6, "expected a tick count from 1 to 100000, found '3.5'"},
        {"tick +3", 6, "expected a tick count from 1 to 100000, found '+3'"},
        {"tick 100001", 6, "expected a tick count from 1 to 100000, found '100001'"},
        {"t 0", 3, "expected a tick count from 1 to 100000, found '0'"},
        {"run 0", 5, "expected ticks per second from 1 to 1000, found '0'"},
        {"run 1001", 5, "expected ticks per second from 1 to 1000, found '1001'"},
        {"connect a 0", 11, "expected a connection count from 1 to 10000, found '0'"},
        {"connect a 10001", 11, "expected a connection count from 1 to 10000, found '10001'"},
        {"connect a x", 11, "expected a connection count from 1 to 10000, found 'x'"},
        {"send a 0", 8, "expected a byte count (or a quoted string) from 1 to 16777216, found '0'"},
        {"send a 16777217", 8,
         "expected a byte count (or a quoted string) from 1 to 16777216, found '16777217'"},
        {"send a abc", 8,
         "expected a byte count (or a quoted string) from 1 to 16777216, found 'abc'"},
    };
    CHECK_BAD(cases);
    static const struct good_line good[] = {
        {"tick 1", "tick", 2},          {"tick 100000", "tick", 2},
        {"tick 007", "tick", 2},        {"run 1", "run", 2},
        {"run 1000", "run", 2},         {"connect a 1", "connect", 3},
        {"connect a 10000", "connect", 3}, {"send a 1", "send", 3},
        {"send a 16777216", "send", 3},
    };
    CHECK_GOOD(good);
}

/* dump FILE [COLSxROWS]: any size the renderer lays out, and a bad one
 * is named at its column. */
void test_parser_dump_size(void)
{
#define RANGE "expected a size COLSxROWS from 60x18 to 1000x1000, found "
    static const struct bad_line cases[] = {
        {"dump s.txt 59x18", 12, RANGE "'59x18'"},
        {"dump s.txt 60x17", 12, RANGE "'60x17'"},
        {"dump s.txt 1001x30", 12, RANGE "'1001x30'"},
        {"dump s.txt 100x1001", 12, RANGE "'100x1001'"},
        {"dump s.txt 100", 12, RANGE "'100'"},
        {"dump s.txt 100x", 12, RANGE "'100x'"},
        {"dump s.txt x30", 12, RANGE "'x30'"},
        {"dump s.txt 100X30", 12, RANGE "'100X30'"},
        {"dump s.txt 100x30x2", 12, RANGE "'100x30x2'"},
        {"dump s.txt -100x30", 12, RANGE "'-100x30'"},
        {"dump s.txt 12345678x30", 12, RANGE "'12345678x30'"},
        {"dump   s.txt  80 x 24", 18, "too many arguments for dump; usage: dump FILE [COLSxROWS]"},
        {"dump s.txt \"80x24\"", 12, "expected a size COLSxROWS, not a quoted string"},
    };
#undef RANGE
    CHECK_BAD(cases);
    static const struct good_line good[] = {
        {"dump s.txt", "dump", 2},          {"dump s.txt 60x18", "dump", 3},
        {"dump s.txt 80x24", "dump", 3},    {"dump s.txt 100x30", "dump", 3},
        {"dump s.txt 1000x1000", "dump", 3}, {"dump s.txt 080x024", "dump", 3},
    };
    CHECK_GOOD(good);
}

void test_parser_client_names(void)
{
    static const struct bad_line cases[] = {
        {"connect 1a", 9, "bad client name '1a': a client name starts with a letter, not '1'"},
        {"connect _a", 9, "bad client name '_a': a client name starts with a letter, not '_'"},
        {"connect -a", 9, "bad client name '-a': a client name starts with a letter, not '-'"},
        {"connect listener", 9,
         "bad client name 'listener': 'listener' is reserved and cannot name a client"},
        {"connect server", 9,
         "bad client name 'server': 'server' is reserved and cannot name a client"},
        {"connect all 3", 9, "bad client name 'all': 'all' is reserved and cannot name a client"},
        {"connect a.b", 9,
         "bad client name 'a.b': a client name has only letters, digits, '_' and '-'"},
        {"connect w.1", 9,
         "bad client name 'w.1': a client name has only letters, digits, '_' and '-'"},
        {"connect a/b", 9,
         "bad client name 'a/b': a client name has only letters, digits, '_' and '-'"},
        {"connect a:b", 9,
         "bad client name 'a:b': a client name has only letters, digits, '_' and '-'"},
        {"connect caf\xc3\xa9", 9,
         "bad client name 'caf\xc3\xa9': a client name has only letters, digits, '_' and '-'"},
        {"connect abcdefghijklmnopqrstuvwxyz0123456", 9,
         "bad client name 'abcdefghijklmnopqrstuvwxyz0123456': a client name has 1 to 32 "
         "characters"},
    };
    CHECK_BAD(cases);
    static const struct good_line good[] = {
        {"connect a", "connect", 2},
        {"connect Zed", "connect", 2},
        {"connect a-b_C9", "connect", 2},
        {"connect listener2", "connect", 2},
        {"connect abcdefghijklmnopqrstuvwxyz012345", "connect", 2}, /* 32 characters */
    };
    CHECK_GOOD(good);
}

void test_parser_send_args(void)
{
    static const struct bad_line cases[] = {
        {"send a \"\"", 8, "expected some text to send, found an empty string"},
        {"send   a   \"\"  # nothing", 12, "expected some text to send, found an empty string"},
    };
    CHECK_BAD(cases);
    static const struct good_line good[] = {
        {"send a 64", "send", 3},
        {"send a \"GET / HTTP/1.0\\x0d\\n\"", "send", 3}, /* control bytes are fine to send */
        {"send w.2 \"x\"", "send", 3},
    };
    CHECK_GOOD(good);

    struct cmd_line l;
    struct parse_error err;
    parse_error_init(&err);
    REQUIRE(cmd_parse("send w.2 \"GET /\\n\\x00\"", &l, &err) == 0);
    CHECK_STR(l.cmd.name, "send");
    CHECK_STR(l.tok[1].text, "w.2"); /* a group member is a plain word here */
    CHECK_EQ(l.tok[2].len, 7);
    CHECK(l.tok[2].quoted);
    CHECK(memcmp(l.tok[2].text, "GET /\n\0", 7) == 0);
    cmd_line_free(&l);
    parse_error_free(&err);
}

void test_parser_quoted_where_word_needed(void)
{
    static const struct bad_line cases[] = {
        {"connect \"a\"", 9, "expected a client name, not a quoted string"},
        {"connect a \"2\"", 11, "expected a connection count, not a quoted string"},
        {"send \"a\" 5", 6, "expected a client name, not a quoted string"},
        {"shutdown \"a\"", 10, "expected a client name, not a quoted string"},
        {"close \"a\"", 7, "expected a client name, not a quoted string"},
        {"rearm \"a\"", 7, "expected a client name, not a quoted string"},
        {"drain \"all\"", 7, "expected a client name, not a quoted string"},
        {"drop \"a\"", 6, "expected a client name, not a quoted string"},
        {"tick \"3\"", 6, "expected a tick count, not a quoted string"},
        {"run \"5\"", 5, "expected ticks per second, not a quoted string"},
        {"expect a pending \"3\"", 18, "expected a plain word or number, found the string \"3\""},
        {"expect \"a\" pending 3", 8, "expected a plain word or number, found the string \"a\""},
        {"mode \"et\"", 6, "expected lt, et or oneshot, not a quoted string"},
        {"budget \"16\"", 8, "expected a byte count or 'drain', not a quoted string"},
        {"accept \"one\"", 8, "expected one or all, not a quoted string"},
        {"help \"tick\"", 6, "expected a command name, not a quoted string"},
    };
    CHECK_BAD(cases);
    /* A quoted number is text to send, not a byte count. */
    static const struct good_line good[] = {
        {"send a \"5\"", "send", 3},
    };
    CHECK_GOOD(good);
}

void test_parser_narration_control_bytes(void)
{
    static const struct bad_line cases[] = {
        {"say \"\\x1b[2J\"", 5, "narration may not contain control characters (found \\x1b)"},
        {"say \"ok\\x00\"", 5, "narration may not contain control characters (found \\x00)"},
        {"title \"a\\x7f\"", 7, "narration may not contain control characters (found \\x7f)"},
        {"say    \"a\\x0d\"", 8, "narration may not contain control characters (found \\x0d)"},
        {"say \"\\xc2\\x9b\"", 5, "narration may not contain control characters (found \\x9b)"},
        {"say \"ok\\xff\"", 5, "narration must be valid UTF-8 (found byte \\xff)"},
    };
    CHECK_BAD(cases);
    static const struct good_line good[] = {
        {"say \"line one\\nline two\\tindented\"", "say", 2},
        {"title \"ET starvation\"", "title", 2},
        {"say word", "say", 2},
    };
    CHECK_GOOD(good);
}

/* ---- expect ------------------------------------------------------------ */

void test_parser_expect_valid(void)
{
    static const struct {
        const char *in;
        enum expect_target target;
        const char *name;
        bool negate;
        enum expect_op op;
        uint64_t value;
    } cases[] = {
        {"expect a pending 48", TARGET_CONN, "a", false, OP_EQ, 48},
        {"expect a pending = 0", TARGET_CONN, "a", false, OP_EQ, 0},
        {"expect a bytes != 7", TARGET_CONN, "a", false, OP_NE, 7},
        {"expect a reads < 2", TARGET_CONN, "a", false, OP_LT, 2},
        {"expect a reads <= 2", TARGET_CONN, "a", false, OP_LE, 2},
        {"expect a wakeups > 1", TARGET_CONN, "a", false, OP_GT, 1},
        {"expect a wakeups >= 1", TARGET_CONN, "a", false, OP_GE, 1},
        {"expect w.2 mods 18446744073709551615", TARGET_CONN, "w.2", false, OP_EQ,
         UINT64_MAX},
        {"expect a starved", TARGET_CONN, "a", false, OP_EQ, 0},
        {"expect a not starved", TARGET_CONN, "a", true, OP_EQ, 0},
        {"expect a not closed # comment", TARGET_CONN, "a", true, OP_EQ, 0},
        {"expect listener queue 0", TARGET_LISTENER, "listener", false, OP_EQ, 0},
        {"expect listener not starved", TARGET_LISTENER, "listener", true, OP_EQ, 0},
        {"expect listener wakeups >= 3", TARGET_LISTENER, "listener", false, OP_GE, 3},
        {"expect server ticks > 0", TARGET_SERVER, "server", false, OP_GT, 0},
        {"expect server reads 12", TARGET_SERVER, "server", false, OP_EQ, 12},
        {"e a eagain 1", TARGET_CONN, "a", false, OP_EQ, 1},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct cmd_line l;
        struct parse_error err;
        struct expect x;
        parse_error_init(&err);
        if (cmd_parse(cases[i].in, &l, &err) < 0) {
            harness_fail(__FILE__, __LINE__, "\"%s\": %s", cases[i].in, sbuf_str(&err.msg));
            parse_error_free(&err);
            continue;
        }
        CHECK_STR(l.cmd.name, "expect");
        CHECK_EQ(expect_parse(l.tok + 1, l.ntok - 1, &x, &err), 0);
        /* parsed once, with the line: the same as parsing again */
        CHECK_EQ(l.arg.expect.target, x.target);
        CHECK(l.arg.expect.prop == x.prop);
        CHECK_EQ(l.arg.expect.value, x.value);
        CHECK_EQ(x.target, cases[i].target);
        CHECK_STR(x.name, cases[i].name);
        CHECK(x.prop != NULL);
        CHECK_EQ(x.negate, cases[i].negate);
        CHECK_EQ(x.op, cases[i].op);
        CHECK_EQ(x.value, cases[i].value);
        CHECK_EQ(err.msg.len, 0);
        cmd_line_free(&l);
        parse_error_free(&err);
    }
}

void test_parser_expect_errors(void)
{
    static const struct bad_line cases[] = {
        /* missing property */
        {"expect a not", 10, "expected a property after 'not'"},
        {"expect listener not", 17, "expected a property after 'not'"},
        /* unknown property, listing the valid ones for that target */
        {"expect a foo", 10,
         "unknown property 'foo' for a connection; expected one of: pending, wakeups, renotify, "
         "reads, eagain, bytes, mods, eofreads, waited, twinwakeups, twinbytes, sendq, queued, "
         "starved, closed, halfclosed, armed"},
        {"expect a queue 0", 10,
         "unknown property 'queue' for a connection; expected one of: pending, wakeups, "
         "renotify, reads, eagain, bytes, mods, eofreads, waited, twinwakeups, twinbytes, "
         "sendq, queued, starved, closed, halfclosed, armed"},
        {"expect listener pending 0", 17,
         "unknown property 'pending' for the listener; expected one of: queue, peak, accepts, "
         "wakeups, calls, eagain, emfile, rejected, starved, armed"},
        {"expect server queue 0", 15,
         "unknown property 'queue' for the server; expected one of: ticks, events, empty, reads, "
         "eagain, syscalls, eofreads, twinevents, conns"},
        {"expect a Pending 1", 10,
         "unknown property 'Pending' for a connection; expected one of: pending, wakeups, "
         "renotify, reads, eagain, bytes, mods, eofreads, waited, twinwakeups, twinbytes, "
         "sendq, queued, starved, closed, halfclosed, armed"},
        {"expect a not not starved", 14,
         "unknown property 'not' for a connection; expected one of: pending, wakeups, renotify, "
         "reads, eagain, bytes, mods, eofreads, waited, twinwakeups, twinbytes, sendq, queued, "
         "starved, closed, halfclosed, armed"},
        /* 'not' with a counted property: at the 'not' */
        {"expect a not pending 3", 10, "'not' goes with yes/no properties; use != with 'pending'"},
        {"expect server not ticks", 15, "'not' goes with yes/no properties; use != with 'ticks'"},
        /* a value on a flag property: at the value */
        {"expect a starved 1", 18, "'starved' is a yes/no property and takes no value"},
        {"expect a not closed yes", 21, "'closed' is a yes/no property and takes no value"},
        {"expect listener armed = 1", 23, "'armed' is a yes/no property and takes no value"},
        /* missing number: at the word it should follow */
        {"expect a pending", 10, "expected a number after 'pending'"},
        {"expect a pending >=", 18, "expected a number after '>='"},
        {"expect listener queue !=  # none", 23, "expected a number after '!='"},
        /* not a number */
        {"expect a pending abc", 18, "expected a whole number, found 'abc'"},
        {"expect a pending = -1", 20, "expected a whole number, found '-1'"},
        {"expect a pending => 3", 18, "expected a whole number, found '=>'"},
        {"expect a pending == 3", 18, "expected a whole number, found '=='"},
        {"expect a pending 18446744073709551616", 18,
         "expected a whole number, found '18446744073709551616'"},
        /* trailing junk */
        {"expect a pending 3 x", 20, "unexpected 'x' after the value"},
        {"expect a pending 3 4", 20, "unexpected '4' after the value"},
        {"expect a pending = 3 4", 22, "unexpected '4' after the value"},
        {"expect server ticks > 1 x", 25, "unexpected 'x' after the value"},
    };
    CHECK_BAD(cases);

    /* The lists in the messages are the table's own. */
    static const struct {
        const char *in;
        enum expect_target t;
    } lists[] = {
        {"expect a bogus", TARGET_CONN},
        {"expect listener bogus", TARGET_LISTENER},
        {"expect server bogus", TARGET_SERVER},
    };
    for (size_t i = 0; i < ARRAY_LEN(lists); i++) {
        struct cmd_line l;
        struct parse_error err;
        struct sbuf props = {0};
        parse_error_init(&err);
        expect_list_props(lists[i].t, &props);
        CHECK(props.len > 0);
        CHECK_EQ(cmd_parse(lists[i].in, &l, &err), -1);
        const char *tail = strstr(sbuf_str(&err.msg), "expected one of: ");
        CHECK(tail != NULL);
        if (tail)
            CHECK_STR(tail + strlen("expected one of: "), sbuf_str(&props));
        sbuf_free(&props);
        cmd_line_free(&l);
        parse_error_free(&err);
    }
}

void test_parser_help_errors(void)
{
    static const struct bad_line cases[] = {
        {"help tik", 6, "unknown command 'tik' (did you mean tick?)"},
        {"help   xyzzy", 8, "unknown command 'xyzzy' (try: help)"},
        {"help c", 6, "ambiguous command 'c', could be: connect, close, compare"},
        {"h s", 3, "ambiguous command 's', could be: say, step, send, shutdown, select, stop"},
    };
    CHECK_BAD(cases);
    static const struct good_line good[] = {
        {"help", "help", 1},         {"help tick", "help", 2}, {"help t", "help", 2},
        {"help conn", "help", 2},    {"help expect", "help", 2},
    };
    CHECK_GOOD(good);
}
