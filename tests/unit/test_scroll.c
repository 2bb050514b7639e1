/*
 * test_scroll.c - the one scrolling list: where a list stands for a
 * cursor, kept in range, and moved by keys.
 */
#include "harness.h"
#include "scroll.h"
#include "util.h"

void test_scroll_top_keeps_the_cursor_in_sight(void)
{
    static const struct {
        size_t top, cursor, count, rows, want;
    } cases[] = {
        {0, 0, 100, 10, 0},    /* in sight: stays */
        {0, 9, 100, 10, 0},    /* last row */
        {0, 10, 100, 10, 1},   /* one below: moves one */
        {0, 99, 100, 10, 90},  /* the end: no blank rows */
        {50, 55, 100, 10, 50}, /* in sight in the middle: stays */
        {50, 20, 100, 10, 20}, /* above: it becomes the first */
        {95, 99, 100, 10, 90}, /* past the end: pulled back */
        {3, 2, 5, 10, 0},      /* all fit: from the top */
        {7, 0, 0, 10, 0},      /* no lines */
        {4, 9, 100, 0, 4},     /* no rows: nothing shows, nothing moves */
        {0, 200, 100, 10, 90}, /* a cursor past the end counts as the last */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        size_t got = scroll_top(cases[i].top, cases[i].cursor, cases[i].count, cases[i].rows);
        if (got != cases[i].want)
            harness_fail(__FILE__, __LINE__, "case %zu: top %zu cursor %zu of %zu, %zu rows: %zu, want %zu",
                         i, cases[i].top, cases[i].cursor, cases[i].count, cases[i].rows, got,
                         cases[i].want);
    }
    CHECK_EQ(scroll_clamp(80, 100, 30), 70);
    CHECK_EQ(scroll_clamp(5, 20, 30), 0);
    CHECK_EQ(scroll_clamp(12, 100, 30), 12);
}

void test_scroll_keys_move_and_stop_at_the_ends(void)
{
    size_t at = 0;
    CHECK(scroll_key(&at, ACT_UP, 10, 4));
    CHECK_EQ(at, 0); /* the top stays the top */
    CHECK(scroll_key(&at, ACT_DOWN, 10, 4));
    CHECK_EQ(at, 1);
    CHECK(scroll_key(&at, ACT_PAGE_DOWN, 10, 4));
    CHECK_EQ(at, 5);
    CHECK(scroll_key(&at, ACT_PAGE_DOWN, 10, 4));
    CHECK_EQ(at, 9);
    CHECK(scroll_key(&at, ACT_PAGE_DOWN, 10, 4));
    CHECK_EQ(at, 9); /* the end stays the end */
    CHECK(scroll_key(&at, ACT_DOWN, 10, 4));
    CHECK_EQ(at, 9);
    CHECK(scroll_key(&at, ACT_PAGE_UP, 10, 4));
    CHECK_EQ(at, 5);
    CHECK(scroll_key(&at, ACT_PAGE_UP, 10, 40));
    CHECK_EQ(at, 0);
    CHECK(scroll_key(&at, ACT_LAST, 10, 4));
    CHECK_EQ(at, 9);
    CHECK(scroll_key(&at, ACT_FIRST, 10, 4));
    CHECK_EQ(at, 0);
    at = 3;
    CHECK(scroll_key(&at, ACT_DOWN, 0, 4)); /* an empty list keeps 0 */
    CHECK_EQ(at, 0);
    at = 2;
    CHECK(!scroll_key(&at, ACT_KNOB, 10, 4)); /* not a list key: untouched */
    CHECK_EQ(at, 2);
}
