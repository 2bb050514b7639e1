/*
 * test_util.c - the small helpers every module uses: escaping, the string
 * buffer, UTF-8 sequences, bounded number parsing.
 */
#include "harness.h"

#include "fixture.h"
#include "util.h"

void test_util_escape_makes_bytes_printable(void)
{
    static const struct {
        const char *in;
        size_t len;
        const char *out;
    } cases[] = {
        {"hello", 5, "hello"},
        {"a\nb\r\t", 5, "a\\nb\\r\\t"},
        {"\x1b[2J", 4, "\\x1b[2J"},
        {"q\"\\", 3, "q\\\"\\\\"},
        {"\xc3\xa9\xff\x7f", 4, "\\xc3\\xa9\\xff\\x7f"},
        {"\0x", 2, "\\x00x"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct sbuf b = {0};
        sbuf_add_escaped(&b, cases[i].in, cases[i].len);
        CHECK_STR(sbuf_str(&b), cases[i].out);
        for (size_t k = 0; k < b.len; k++)
            CHECK(b.s[k] >= 0x20 && b.s[k] < 0x7f);
        sbuf_free(&b);
    }
}

void test_util_sbuf_empty_appends_terminate(void)
{
    struct sbuf b = {0};
    sbuf_add_escaped(&b, "", 0);
    CHECK(b.s != NULL);
    CHECK_STR(sbuf_str(&b), "");
    sbuf_addn(&b, "", 0);
    CHECK_EQ(b.len, 0);
    CHECK_STR(sbuf_str(&b), "");
    sbuf_free(&b);
}

void test_util_utf8_seq_len(void)
{
    static const struct {
        const char *s;
        size_t avail, want;
    } cases[] = {
        {"a", 1, 1},
        {"\xc3\xa9", 2, 2},          /* é */
        {"\xc3\xa9", 1, 0},          /* cut short */
        {"\xc0\xa2", 2, 0},          /* overlong '"' */
        {"\xe0\x80\xa2", 3, 0},      /* overlong */
        {"\xe0\xa0\x80", 3, 3},      /* U+0800, the first 3-byte one */
        {"\xed\xa0\x80", 3, 0},      /* a surrogate */
        {"\xed\x9f\xbf", 3, 3},      /* U+D7FF */
        {"\xe2\x9c\x93", 3, 3},      /* ✓ */
        {"\xf0\x8f\xbf\xbf", 4, 0},  /* overlong */
        {"\xf0\x9f\x98\x80", 4, 4},  /* an emoji */
        {"\xf4\x8f\xbf\xbf", 4, 4},  /* U+10FFFF */
        {"\xf4\x90\x80\x80", 4, 0},  /* above U+10FFFF */
        {"\xff", 1, 0},
        {"\x80", 1, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        size_t got = utf8_seq_len((const unsigned char *)cases[i].s, cases[i].avail);
        if (got != cases[i].want)
            harness_fail(__FILE__, __LINE__, "case %zu: %zu != %zu", i, got, cases[i].want);
    }
}

void test_util_parse_uint_bounds(void)
{
    unsigned long long v = 7;
    CHECK(parse_uint("0", 10, &v) == 0 && v == 0);
    CHECK(parse_uint("10", 10, &v) == 0 && v == 10);
    CHECK(parse_uint("11", 10, &v) < 0);
    CHECK(parse_uint("4", 3, &v) < 0); /* a digit above max must not wrap */
    CHECK(parse_uint("19", 3, &v) < 0);
    CHECK(parse_uint("", 10, &v) < 0);
    CHECK(parse_uint("-1", 10, &v) < 0);
    CHECK(parse_uint("1x", 10, &v) < 0);
    CHECK(parse_uint("18446744073709551615", ~0ull, &v) == 0 && v == ~0ull);
    CHECK(parse_uint("18446744073709551616", ~0ull, &v) < 0);
}

/* The escaping rule of util.h, one byte at a time. */
static void escape_bytewise(struct sbuf *b, const unsigned char *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        if (c == '\n')
            sbuf_add(b, "\\n");
        else if (c == '\r')
            sbuf_add(b, "\\r");
        else if (c == '\t')
            sbuf_add(b, "\\t");
        else if (c == '\\')
            sbuf_add(b, "\\\\");
        else if (c == '"')
            sbuf_add(b, "\\\"");
        else if (c >= 0x20 && c < 0x7f)
            sbuf_addc(b, (char)c);
        else
            sbuf_printf(b, "\\x%02x", c);
    }
}

/* The sanitizing rule of util.h, one sequence at a time. */
static void sanitize_bytewise(struct sbuf *b, const unsigned char *p)
{
    size_t len = strlen((const char *)p);
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq_len(p + i, len - i);
        if (n == 0 || utf8_control(p + i, n) >= 0) {
            escape_bytewise(b, p + i, n ? n : 1);
            i += n ? n : 1;
        } else {
            sbuf_addn(b, (const char *)p + i, n);
            i += n;
        }
    }
}

/* Text as clients send it: runs of letters with, now and then, a
 * newline, a quote, a backslash, a control byte, UTF-8 or garbage. */
static size_t mixed_bytes(unsigned char *out, size_t len, unsigned *seed)
{
    static const char *const rare[] = {"\n", "\"", "\\", "\x1b[2J", "\xc3\xa9", "\xe2\x94\x80",
                                       "\xff", "\xc2\x9b", "\x7f", "\t", "\xed\xa0\x80"};
    size_t n = 0;
    while (n < len) {
        *seed = *seed * 1103515245u + 12345u;
        unsigned r = *seed >> 16;
        if (r % 8 == 0) {
            const char *s = rare[r / 8 % ARRAY_LEN(rare)];
            for (; *s && n < len; s++)
                out[n++] = (unsigned char)*s;
        } else {
            for (unsigned k = r % 70; k > 0 && n < len; k--)
                out[n++] = (unsigned char)('a' + (r + k) % 26);
        }
    }
    return n;
}

/* Escaping copies runs of plain bytes at once: the same text as the
 * byte-by-byte rule, on text with every kind of byte in it. */
void test_util_escape_fast_path_matches_bytewise(void)
{
    unsigned char data[3000];
    unsigned seed = 7;
    for (int round = 0; round < 200; round++) {
        size_t len = mixed_bytes(data, (size_t)(round * 37 % 3000), &seed);
        struct sbuf fast = {0}, slow = {0};
        sbuf_add(&fast, "prefix ");
        sbuf_add(&slow, "prefix ");
        sbuf_add_escaped(&fast, data, len);
        escape_bytewise(&slow, data, len);
        CHECK_EQ(fast.len, slow.len);
        CHECK_STR(sbuf_str(&fast), sbuf_str(&slow));
        sbuf_free(&fast);
        sbuf_free(&slow);
    }
}

void test_util_sanitize_fast_path_matches_bytewise(void)
{
    unsigned char data[3001];
    unsigned seed = 11;
    for (int round = 0; round < 200; round++) {
        size_t len = mixed_bytes(data, (size_t)(round * 41 % 3000), &seed);
        data[len] = 0;
        for (size_t i = 0; i < len; i++)
            if (!data[i])
                data[i] = '0';
        struct sbuf fast = {0}, slow = {0};
        sbuf_add_sanitized(&fast, (const char *)data);
        sanitize_bytewise(&slow, data);
        CHECK_STR(sbuf_str(&fast), sbuf_str(&slow));
        sbuf_free(&fast);
        sbuf_free(&slow);
    }
    CHECK_EQ(ascii_printable_span("abc\x7f"), 3);
    CHECK_EQ(ascii_printable_span("\x1f"), 0);
    CHECK_EQ(ascii_printable_span(" ~"), 2);
}
