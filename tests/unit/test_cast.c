/*
 * test_cast.c - the asciicast writer: JSON escaping, characters split
 * across writes, and the lines of a recording.
 */
#include <stdlib.h>

#include "harness.h"

#include "cast.h"

void test_cast_json_escapes_controls(void)
{
    static const struct {
        const char *in;
        size_t len;
        const char *out;
    } cases[] = {
        {"plain text", 10, "plain text"},
        {"\x1b[2J\r\n", 6, "\\u001b[2J\\u000d\\u000a"},
        {"q\"\\/", 4, "q\\\"\\\\/"},
        {"\0\x7f", 2, "\\u0000\\u007f"},
        {"\xc2\x9b" "1m", 4, "\\u009b1m"},                  /* C1 CSI */
        {"\xe2\x94\x80\xc3\xa9", 5, "\xe2\x94\x80\xc3\xa9"}, /* ─é stay */
        {"a\xff" "b\xc0\xa2", 5, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd"},
        {"\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}, /* a surrogate */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct sbuf b = {0};
        unsigned char held[4];
        size_t nheld = 0;
        cast_json_bytes(&b, held, &nheld, cases[i].in, cases[i].len);
        CHECK_STR(sbuf_str(&b), cases[i].out);
        CHECK_EQ(nheld, 0);
        sbuf_free(&b);
    }
}

/* Every way of cutting "a✓😀é" in two gives the same string, and no
 * call's output ends inside a character. */
void test_cast_json_holds_split_characters(void)
{
    static const char text[] = "a\xe2\x9c\x93\xf0\x9f\x98\x80\xc3\xa9";
    size_t len = sizeof text - 1;
    for (size_t cut = 0; cut <= len; cut++) {
        struct sbuf first = {0}, all = {0};
        unsigned char held[4];
        size_t nheld = 0;
        cast_json_bytes(&first, held, &nheld, text, cut);
        for (size_t i = 0; i < first.len;) { /* the first part is whole characters */
            size_t n = utf8_seq_len((const unsigned char *)first.s + i, first.len - i);
            if (n == 0) {
                harness_fail(__FILE__, __LINE__, "cut at %zu: a broken character at %zu", cut, i);
                break;
            }
            i += n;
        }
        sbuf_add(&all, sbuf_str(&first));
        cast_json_bytes(&all, held, &nheld, text + cut, len - cut);
        CHECK_STR(sbuf_str(&all), text);
        CHECK_EQ(nheld, 0);
        sbuf_free(&first);
        sbuf_free(&all);
    }
    /* An unfinished character that is then abandoned is U+FFFD, and the
     * byte that abandoned it stays itself. */
    struct sbuf b = {0};
    unsigned char held[4];
    size_t nheld = 0;
    cast_json_bytes(&b, held, &nheld, "\xe2\x9c", 2);
    CHECK_EQ(nheld, 2);
    cast_json_bytes(&b, held, &nheld, "A", 1);
    CHECK_STR(sbuf_str(&b), "\xef\xbf\xbd\xef\xbf\xbd" "A");
    sbuf_free(&b);
}

void test_cast_lines(void)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    REQUIRE(f);
    struct cast *c = cast_new(f, 80, 24, 1700000000, "xterm-256color", NULL);
    cast_output(c, 1500000, "\x1b[?1049h", 8);
    cast_output(c, 2000000000, "\xe2\x94", 2); /* half of ─: no event yet */
    cast_resize(c, 2500000000u, 100, 30);
    cast_output(c, 3000001000u, "\x80x", 2);   /* its end */
    cast_output(c, 4000000000u, "\xc3", 1);    /* cut off for good */
    struct sbuf err = {0};
    CHECK(cast_finish(c, 5000000000u, &err) == 0);
    cast_free(c);
    fclose(f);
    CHECK_STR(text,
              "{\"version\": 2, \"width\": 80, \"height\": 24, \"timestamp\": 1700000000, "
              "\"env\": {\"TERM\": \"xterm-256color\", \"SHELL\": null}}\n"
              "[0.001500, \"o\", \"\\u001b[?1049h\"]\n"
              "[2.500000, \"r\", \"100x30\"]\n"
              "[3.000001, \"o\", \"\xe2\x94\x80x\"]\n"
              "[5.000000, \"o\", \"\xef\xbf\xbd\"]\n");
    free(text);
    sbuf_free(&err);

    /* A write that fails is reported once, at the end, with its cause. */
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        c = cast_new(full, 80, 24, 0, "t", "s");
        cast_output(c, 0, "x", 1);
        CHECK(cast_finish(c, 0, &err) < 0);
        CHECK_CONTAINS(sbuf_str(&err), "No space left");
        cast_free(c);
        fclose(full);
    }
    sbuf_free(&err);
}
