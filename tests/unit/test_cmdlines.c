/*
 * test_cmdlines.c - headless free play's standard input: lines that come
 * in pieces run one by one; a line over CMDLINES_MAX bytes, or holding a
 * NUL byte, is an error naming its line and is not run (never cut short
 * into another command); a last line without its newline runs at the end.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#include "cmdlines.h"
#include "fixture.h"

static size_t budget_of(struct fixture *f)
{
    return server_knobs(engine_server(f->e))->budget;
}

/* Feeds text (len bytes) in pieces of `piece` bytes. */
static void feed(struct cmdlines *c, struct fixture *f, const char *text, size_t len, size_t piece)
{
    for (size_t at = 0; at < len; at += piece)
        cmdlines_feed(c, f->e, text + at, len - at < piece ? len - at : piece);
}

/* "budget N" padded with spaces to len bytes (then end, e.g. "\n"). */
static void padded(struct sbuf *b, unsigned budget, size_t len, const char *end)
{
    sbuf_reset(b);
    sbuf_printf(b, "budget %u", budget);
    while (b->len < len)
        sbuf_addc(b, ' ');
    sbuf_add(b, end);
}

void test_cmdlines_lines_in_pieces(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    struct cmdlines *c = cmdlines_new("stdin");
    static const char text[] = "bud|get 16\r|\nbudget| 32\n|mode frob\n";
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "|");
        cmdlines_feed(c, f.e, p, n);
        p += n + (p[n] == '|');
    }
    CHECK_EQ(budget_of(&f), 32);
    CHECK_EQ(log_count(&f, "budget 16: "), 1);
    CHECK_EQ(log_count(&f, "stdin:3:6: error: "), 1);
    CHECK_EQ(log_count(&f, "error"), 1);
    cmdlines_free(c);
    fixture_close(&f);
}

void test_cmdlines_overlong_line_is_an_error(void)
{
    struct fixture f;
    struct sbuf b = {0};
    REQUIRE(fixture_open(&f, NULL));
    struct cmdlines *c = cmdlines_new("stdin");
    /* Exactly CMDLINES_MAX bytes, CR LF after: a line, run. */
    padded(&b, 8, CMDLINES_MAX, "\r\n");
    feed(c, &f, sbuf_str(&b), b.len, 1000);
    CHECK_EQ(budget_of(&f), 8);
    /* One byte more, and ten thousand: each an error that names its
     * line; neither runs, though their first CMDLINES_MAX bytes would. */
    padded(&b, 64, CMDLINES_MAX + 1, "\n");
    feed(c, &f, sbuf_str(&b), b.len, 1000);
    padded(&b, 128, 10000, "\r\n");
    feed(c, &f, sbuf_str(&b), b.len, 4096);
    CHECK_EQ(budget_of(&f), 8);
    char want[96];
    for (unsigned line = 2; line <= 3; line++) {
        snprintf(want, sizeof want, "stdin:%u: error: a line of over %d bytes, not run", line,
                 CMDLINES_MAX);
        CHECK_EQ(log_count(&f, want), 1);
    }
    /* The lines after are read as lines: counted on from there. */
    cmdlines_feed(c, f.e, "budget 16\nmode frob\n", 20);
    CHECK_EQ(budget_of(&f), 16);
    CHECK_EQ(log_count(&f, "stdin:5:6: error: "), 1);
    CHECK_EQ(log_count(&f, "error"), 3);
    sbuf_free(&b);
    cmdlines_free(c);
    fixture_close(&f);
}

void test_cmdlines_nul_byte_is_an_error(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    struct cmdlines *c = cmdlines_new("stdin");
    /* Cut at the NUL it would read "budget 8": not run, and said where
     * (columns count characters: é is one). */
    static const char text[] = "budget 8\0 junk\n\0\nsay \"\xc3\xa9\0\"\nbudget 16\n";
    cmdlines_feed(c, f.e, text, sizeof text - 1);
    CHECK_EQ(log_count(&f, "stdin:1:9: error: a NUL byte in the line, not run"), 1);
    CHECK_EQ(log_count(&f, "stdin:2:1: error: a NUL byte in the line, not run"), 1);
    CHECK_EQ(log_count(&f, "stdin:3:7: error: a NUL byte in the line, not run"), 1);
    CHECK_EQ(log_count(&f, "budget 8"), 0);
    CHECK_EQ(budget_of(&f), 16);
    /* Over-long and a NUL: one error, for the length. */
    struct sbuf b = {0};
    padded(&b, 8, CMDLINES_MAX + 10, "");
    b.s[20] = '\0';
    sbuf_addc(&b, '\n');
    cmdlines_feed(c, f.e, sbuf_str(&b), b.len);
    CHECK_EQ(log_count(&f, "stdin:5: error: a line of over"), 1);
    CHECK_EQ(log_count(&f, "error"), 4);
    CHECK_EQ(budget_of(&f), 16);
    sbuf_free(&b);
    cmdlines_free(c);
    fixture_close(&f);
}

void test_cmdlines_last_line_runs_at_the_end(void)
{
    struct fixture f;
    REQUIRE(fixture_open(&f, NULL));
    struct cmdlines *c = cmdlines_new("stdin");
    cmdlines_end(c, f.e); /* nothing to run */
    cmdlines_feed(c, f.e, "budget 16\nbudget 32", 19);
    CHECK_EQ(budget_of(&f), 16);
    cmdlines_end(c, f.e);
    CHECK_EQ(budget_of(&f), 32);
    cmdlines_feed(c, f.e, "mode frob", 9);
    cmdlines_end(c, f.e);
    CHECK_EQ(log_count(&f, "stdin:3:6: error: "), 1);
    cmdlines_end(c, f.e);
    CHECK_EQ(log_count(&f, "error"), 1);
    cmdlines_free(c);
    fixture_close(&f);
}
