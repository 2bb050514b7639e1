/*
 * test_command.c - the command table: lookup by name, alias or prefix,
 * argument counts and each command's check, every error with its exact
 * column and message, and what a live-only command says without a terminal.
 */
#include "harness.h"

#include "command.h"
#include "fixture.h"

/* ---- lookup ------------------------------------------------------------- */

void test_command_lookup_prefix_alias_suggestion(void)
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
        {"sh", NULL, "ambiguous command 'sh', could be: shutdown, show"},
        {"shu", "shutdown", NULL},
        {"sho", "show", NULL},
        {"st", NULL, "ambiguous command 'st', could be: step, stop"},
        {"ste", "step", NULL},
        {"sto", "stop", NULL},
        {"e", "expect", NULL},
        {"b", "budget", NULL},
        {"ac", "accept", NULL},
        {"a", NULL, "ambiguous command 'a', could be: accept, autorearm"},
        {"h", "help", NULL},
        {"rea", NULL, "ambiguous command 'rea', could be: reader, rearm"},
        {"rear", "rearm", NULL},
        {"read", "reader", NULL},
        {"dro", "drop", NULL},
        {"c", NULL, "ambiguous command 'c', could be: connect, close, compare"},
        {"s", NULL, "ambiguous command 's', could be: say, step, send, shutdown, select, stop, show"},
        {"ti", NULL, "ambiguous command 'ti', could be: title, tick"},
        {"dr", NULL, "ambiguous command 'dr', could be: drain, drop"},
        {"r", NULL, "ambiguous command 'r', could be: reader, rcvbuf, reply, reply-buffer, run, release, rearm, restart"},
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

void test_command_table_consistent(void)
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
        sbuf_free(&why);
    }
}

/* ---- argument counts ---------------------------------------------------- */

void test_command_arg_count_errors(void)
{
    static const struct bad_line cases[] = {
        /* too few: one column past the last word, the usage in the message */
        {"title", 6, "title needs 1 argument; usage: title \"text\""},
        {"say   ", 4, "say needs 1 argument; usage: say \"text\""},
        {"mode", 5, "mode needs 1 argument; usage: mode lt|et|oneshot"},
        {"budget", 7, "budget needs 1 argument; usage: budget BYTES|drain"},
        {"accept", 7, "accept needs 1 argument; usage: accept one|all|single"},
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
void test_command_too_few_args_column_counts_source_chars(void)
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

/* ---- argument values ---------------------------------------------------- */

void test_command_knob_values(void)
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
        {"accept some", 8, "expected one, all or single, found 'some'"},
        {"accept ALL", 8, "expected one, all or single, found 'ALL'"},
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

void test_command_counts(void)
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
void test_command_dump_size(void)
{
#define RANGE "expected a size COLSxROWS from 60x18 to 1000x500, found "
    static const struct bad_line cases[] = {
        {"dump s.txt 59x18", 12, RANGE "'59x18'"},
        {"dump s.txt 60x17", 12, RANGE "'60x17'"},
        {"dump s.txt 1001x30", 12, RANGE "'1001x30'"},
        {"dump s.txt 100x501", 12, RANGE "'100x501'"},
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
        {"dump s.txt 1000x500", "dump", 3}, {"dump s.txt 080x024", "dump", 3},
    };
    CHECK_GOOD(good);
}

void test_command_client_names(void)
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

void test_command_send_args(void)
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

void test_command_quoted_where_word_needed(void)
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
        {"accept \"one\"", 8, "expected one, all or single, not a quoted string"},
        {"help \"tick\"", 6, "expected a command name, not a quoted string"},
    };
    CHECK_BAD(cases);
    /* A quoted number is text to send, not a byte count. */
    static const struct good_line good[] = {
        {"send a \"5\"", "send", 3},
    };
    CHECK_GOOD(good);
}

void test_command_narration_control_bytes(void)
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

void test_command_help_errors(void)
{
    static const struct bad_line cases[] = {
        {"help tik", 6, "unknown command 'tik' (did you mean tick?)"},
        {"help   xyzzy", 8, "unknown command 'xyzzy' (try: help)"},
        {"help c", 6, "ambiguous command 'c', could be: connect, close, compare"},
        {"h s", 3, "ambiguous command 's', could be: say, step, send, shutdown, select, stop, show"},
    };
    CHECK_BAD(cases);
    static const struct good_line good[] = {
        {"help", "help", 1},         {"help tick", "help", 2}, {"help t", "help", 2},
        {"help conn", "help", 2},    {"help expect", "help", 2},
    };
    CHECK_GOOD(good);
}

/* ---- live-only commands ------------------------------------------------- */

void test_command_live_commands_fail_headless(void)
{
    static const char *const lines[] = {
        "next", "restart", "load scenarios/01-lt-basics.scn", "quit", "select a",
        "menu", "free", "compare lt et", "compare off", "dump tests/tmp/never.txt",
    };
    struct fixture f;
    REQUIRE(open_single(&f, MODE_LT));
    run(&f, "connect a");
    run(&f, "tick");
    for (size_t i = 0; i < ARRAY_LEN(lines); i++)
        run_fails(&f, lines[i], "only the terminal UI can do that");
    /* Nothing happened to the engine. */
    CHECK_EQ(engine_sides(f.e), 1);
    CHECK_EQ(server_stats(engine_server(f.e))->tick, 1);
    /* The same words are parse errors where they do not fit. */
    parse_fails("compare lt lt", 9, "expected two different modes (lt et, et oneshot ...) or 'off'");
    parse_fails("compare lt", 9, "expected two different modes");
    parse_fails("compare on", 9, "expected two different modes");
    parse_fails("compare lt et oneshot", 15, "too many arguments for compare");
    parse_fails("select", 7, "select needs 1 argument");
    fixture_close(&f);
}
