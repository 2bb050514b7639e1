/*
 * test_options.c - the command line: what the fuzzer found in it, kept.
 */
#include "harness.h"

#include "options.h"

/* options_parse with the words of `args` (NULL-terminated, without the
 * program's name); returns its status, the error in err. */
static int parse(const char *const *args, struct options *o, struct sbuf *err)
{
    char *argv[16];
    int argc = 0;
    static char name[] = "epollviz";
    argv[argc++] = name;
    for (; *args && argc < 15; args++)
        argv[argc++] = (char *)*args;
    argv[argc] = NULL;
    return options_parse(argc, argv, o, err);
}

/* -hV stops at h in the middle of the group; getopt remembered where, and
 * the next parse went on from there (found by fuzz_options). */
void test_options_parse_forgets_the_last_call(void)
{
    static const char *const help_version[] = {"-hV", NULL};
    static const char *const headless[] = {"--headless", NULL};
    static const char *const port[] = {"-p0x", NULL};
    struct options o;
    struct sbuf err = {0};

    CHECK_EQ(parse(help_version, &o, &err), 0);
    CHECK_EQ(o.action, ACTION_HELP);
    CHECK_EQ(parse(help_version, &o, &err), 0);
    CHECK_EQ(o.action, ACTION_HELP);
    CHECK_EQ(parse(headless, &o, &err), 0);
    CHECK_EQ(o.action, ACTION_RUN);
    CHECK(o.headless);
    CHECK_STR(sbuf_str(&err), "");

    CHECK_EQ(parse(port, &o, &err), -1);
    CHECK_CONTAINS(sbuf_str(&err), "'0x'");
    sbuf_reset(&err);
    CHECK_EQ(parse(headless, &o, &err), 0);
    CHECK(o.headless);
    sbuf_free(&err);
}

/* main() prints the error as it is: what the user typed comes back
 * escaped, never as bytes a terminal obeys (found by fuzz_options). */
void test_options_error_shows_bytes_escaped(void)
{
    static const char *const mode[] = {"--mode", "\x1b[2J\n", NULL};
    static const char *const option[] = {"--\xff", NULL};
    static const char *const port[] = {"-p", "8\r", NULL};
    struct options o;
    struct sbuf err = {0};

    CHECK_EQ(parse(mode, &o, &err), -1);
    CHECK_STR(sbuf_str(&err), "--mode: expected lt, et or oneshot, found '\\x1b[2J\\n'");
    sbuf_reset(&err);
    CHECK_EQ(parse(option, &o, &err), -1);
    CHECK_STR(sbuf_str(&err), "unknown or ambiguous option '--\\xff'");
    sbuf_reset(&err);
    CHECK_EQ(parse(port, &o, &err), -1);
    CHECK_CONTAINS(sbuf_str(&err), "found '8\\r'");
    sbuf_free(&err);
}

/* Whether a knob was given decides free play against the menu. */
void test_options_know_which_knobs_were_given(void)
{
    static const char *const none[] = {"-p", "0", NULL};
    static const char *const knobs[] = {"--mode", "et", "--budget", "4", NULL};
    struct options o;
    struct sbuf err = {0};
    CHECK_EQ(parse(none, &o, &err), 0);
    CHECK(!o.knobs_given);
    CHECK_EQ(parse(knobs, &o, &err), 0);
    CHECK(o.knobs_given);
    CHECK_EQ(o.server.knobs.mode, MODE_ET);
    CHECK_EQ(o.server.knobs.budget, 4);
    sbuf_free(&err);
}
