/*
 * test_grid.c - the cell grid: clipping, control bytes, wide characters and
 * combining marks, ASCII, and the text `dump` writes.
 */
#include "harness.h"

#include <locale.h>
#include <stdlib.h>
#include <wchar.h>

#include "fixture.h"
#include "grid.h"

void test_grid_put_clips_at_right_edge(void)
{
    struct grid g;
    struct sbuf b = {0};
    grid_init(&g, 10, 3);
    CHECK_EQ(grid_put(&g, 7, 0, ROLE_TEXT, "abcdef"), 10);
    CHECK_STR(row(&g, 0, &b), "       abc");
    /* Starting left of the grid: only the visible part is written. */
    CHECK_EQ(grid_put(&g, -2, 1, ROLE_TEXT, "wxyz"), 2);
    CHECK_STR(row(&g, 1, &b), "yz");
    /* Rows outside the grid are ignored. */
    CHECK_EQ(grid_put(&g, 0, 3, ROLE_TEXT, "nope"), 0);
    CHECK_EQ(grid_put(&g, 0, -1, ROLE_TEXT, "nope"), 0);
    CHECK(grid_at(&g, 10, 0) == NULL && grid_at(&g, 0, 3) == NULL && grid_at(&g, -1, 0) == NULL);
    /* grid_putf and grid_fill clip the same way. */
    CHECK_EQ(grid_putf(&g, 8, 2, ROLE_TEXT, "%d", 12345), 10);
    grid_fill(&g, 5, 2, 20, ROLE_DIM, "-");
    CHECK_STR(row(&g, 2, &b), "     -----");
    CHECK_EQ(grid_at(&g, 9, 2)->role, ROLE_DIM);
    check_cells(&g);
    CHECK_STR(text_of(&g, &b), "       abc\nyz\n     -----\n");
    grid_free(&g);
    sbuf_free(&b);
}

void test_grid_control_bytes_become_question_marks(void)
{
    struct grid g;
    struct sbuf b = {0};
    grid_init(&g, 40, 2);
    /* ESC, CR, LF, TAB, DEL, C1 CSI as UTF-8, a lone continuation byte,
     * an overlong '/', a truncated sequence, 0xff. */
    int end = grid_put(&g, 0, 0, ROLE_TEXT,
                       "a\x1b[2Jb\rc\nd\te\x7f" "f\xc2\x9bg\x80h\xc0\xafi\xe2\x82");
    CHECK_STR(row(&g, 0, &b), "a?[2Jb?c?d?e?f?g?h??i??");
    CHECK_EQ(end, 23);
    CHECK_EQ(text_width("a\x1b[2Jb\rc\nd\te\x7f" "f\xc2\x9bg\x80h\xc0\xafi\xe2\x82"), 23);
    grid_put(&g, 0, 1, ROLE_TEXT, "\xff\xfe" "ok \xc2\x85\xc2\xa0|");
    CHECK_STR(row(&g, 1, &b), "??ok ?\xc2\xa0|"); /* NEL is C1; NBSP is printable */
    check_cells(&g);
    /* Nothing below 0x20, no DEL and no C1 in the whole text. */
    const char *t = text_of(&g, &b);
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
        CHECK(*p >= 0x20 || *p == '\n');
        CHECK(*p != 0x7f);
        if (p[0] == 0xc2)
            CHECK(p[1] < 0x80 || p[1] > 0x9f);
    }
    grid_free(&g);
    sbuf_free(&b);
}

void test_grid_wide_chars_take_two_columns(void)
{
    struct grid g;
    struct sbuf b = {0};
    grid_init(&g, 5, 3);
    CHECK_EQ(text_width("日本語"), 6);
    /* Two fit; the third would straddle the edge and is not split. */
    CHECK_EQ(grid_put(&g, 0, 0, ROLE_TEXT, "日本語"), 4);
    CHECK_STR(grid_at(&g, 0, 0)->ch, "日");
    CHECK_STR(grid_at(&g, 1, 0)->ch, "");
    CHECK_STR(grid_at(&g, 2, 0)->ch, "本");
    CHECK_STR(grid_at(&g, 3, 0)->ch, "");
    CHECK_STR(grid_at(&g, 4, 0)->ch, " ");
    CHECK_STR(row(&g, 0, &b), "日本");
    /* One column left at the edge: the wide character is not written. */
    CHECK_EQ(grid_put(&g, 4, 1, ROLE_TEXT, "語x"), 4);
    CHECK_STR(row(&g, 1, &b), "");
    CHECK_EQ(grid_put(&g, 1, 2, ROLE_TEXT, "a語b"), 5);
    CHECK_STR(row(&g, 2, &b), " a語b");
    CHECK_EQ(grid_at(&g, 3, 2)->role, ROLE_TEXT);
    check_cells(&g);
    grid_free(&g);
    sbuf_free(&b);
}

void test_grid_combining_marks_join(void)
{
    struct grid g;
    struct sbuf b = {0};
    grid_init(&g, 6, 2);
    /* e + U+0301 COMBINING ACUTE: one column, one cell. */
    CHECK_EQ(text_width("e\xcc\x81x"), 2);
    CHECK_EQ(grid_put(&g, 0, 0, ROLE_TEXT, "e\xcc\x81x"), 2);
    CHECK_STR(grid_at(&g, 0, 0)->ch, "e\xcc\x81");
    CHECK_STR(grid_at(&g, 1, 0)->ch, "x");
    CHECK_STR(row(&g, 0, &b), "e\xcc\x81x");
    /* Zero-width space joins too; a mark with nothing before it is dropped. */
    CHECK_EQ(grid_put(&g, 0, 1, ROLE_TEXT, "\xcc\x81" "a\xe2\x80\x8b" "b"), 2);
    CHECK_STR(grid_at(&g, 0, 1)->ch, "a\xe2\x80\x8b");
    CHECK_STR(grid_at(&g, 1, 1)->ch, "b");
    /* Marks beyond what a cell holds are dropped, never overflow it. */
    grid_put(&g, 3, 0, ROLE_TEXT, "o\xcc\x81\xcc\x82\xcc\x83\xcc\x84");
    CHECK(strlen(grid_at(&g, 3, 0)->ch) < sizeof grid_at(&g, 3, 0)->ch);
    CHECK(strncmp(grid_at(&g, 3, 0)->ch, "o\xcc\x81", 3) == 0);
    check_cells(&g);
    grid_free(&g);
    sbuf_free(&b);
}

void test_grid_text_trims_trailing_blanks(void)
{
    struct grid g;
    struct sbuf b = {0};
    grid_init(&g, 8, 4);
    grid_put(&g, 0, 0, ROLE_TEXT, "a  b    ");
    grid_put(&g, 3, 2, ROLE_TEXT, "c");
    grid_fill(&g, 0, 3, 8, ROLE_DIM, " "); /* blank but painted: still trimmed */
    CHECK_STR(text_of(&g, &b), "a  b\n\n   c\n\n");
    CHECK_STR(row(&g, 2, &b), "   c");
    /* grid_row_text appends to what is there. */
    sbuf_reset(&b);
    sbuf_add(&b, ">");
    grid_row_text(&g, 0, &b);
    CHECK_STR(sbuf_str(&b), ">a  b");
    /* grid_clear blanks every cell again. */
    grid_clear(&g);
    CHECK_STR(text_of(&g, &b), "\n\n\n\n");
    CHECK_EQ(grid_at(&g, 0, 3)->role, ROLE_TEXT);
    grid_free(&g);
    sbuf_free(&b);
}

void test_grid_ascii_shows_non_ascii_as_question_marks(void)
{
    struct grid g;
    struct sbuf b = {0};
    grid_init(&g, 12, 2);
    g.ascii = true;
    /* é, a wide character, U+2588 and a combining mark: each one '?'. */
    CHECK_EQ(grid_put(&g, 0, 0, ROLE_TEXT, "\xc3\xa9日\xe2\x96\x88x\xcc\x81!\x1b"), 7);
    CHECK_STR(row(&g, 0, &b), "???x?!?");
    grid_put(&g, 0, 1, ROLE_TEXT, "plain [##..]");
    CHECK_STR(row(&g, 1, &b), "plain [##..]");
    const char *t = text_of(&g, &b);
    for (const unsigned char *p = (const unsigned char *)t; *p; p++)
        CHECK(*p < 0x80);
    check_cells(&g);
    grid_free(&g);
    sbuf_free(&b);
}

void test_grid_put_clip_ellipsis_only_when_cut(void)
{
    struct grid g;
    struct sbuf b = {0};
    grid_init(&g, 12, 6);
    /* Exactly the width: no ellipsis. */
    CHECK_EQ(grid_put_clip(&g, 0, 0, 5, ROLE_TEXT, "abcde", "…"), 5);
    CHECK_STR(row(&g, 0, &b), "abcde");
    /* One more: cut, and the ellipsis takes the last column. */
    CHECK_EQ(grid_put_clip(&g, 0, 1, 5, ROLE_TEXT, "abcdef", "…"), 5);
    CHECK_STR(row(&g, 1, &b), "abcd…");
    /* Wide characters are not split to make room for it. */
    CHECK_EQ(grid_put_clip(&g, 0, 2, 4, ROLE_TEXT, "日本語", "~"), 3);
    CHECK_STR(row(&g, 2, &b), "日~");
    /* Control bytes count as the '?' they become. */
    CHECK_EQ(grid_put_clip(&g, 0, 3, 3, ROLE_TEXT, "\x1b[2", "~"), 3);
    CHECK_STR(row(&g, 3, &b), "?[2");
    /* Nothing at width 0; an empty ellipsis simply cuts. */
    CHECK_EQ(grid_put_clip(&g, 4, 4, 0, ROLE_TEXT, "abc", "…"), 4);
    CHECK_EQ(grid_put_clip(&g, 0, 4, 2, ROLE_TEXT, "abc", ""), 2);
    CHECK_STR(row(&g, 4, &b), "ab");
    /* Role and return value of a cut. */
    CHECK_EQ(grid_put_clip(&g, 6, 5, 4, ROLE_TITLE, "abcdefgh", "…"), 10);
    CHECK_STR(row(&g, 5, &b), "      abc…");
    CHECK_EQ(grid_at(&g, 9, 5)->role, ROLE_TITLE);
    check_cells(&g);
    grid_free(&g);
    sbuf_free(&b);
}

/* "Clipped to width columns" holds even when the ellipsis is wider than
 * the room (a multi-column ellipsis such as "..."). */
void test_grid_put_clip_never_exceeds_width(void)
{
    struct grid g;
    struct sbuf b = {0};
    grid_init(&g, 12, 6);
    for (int w = 1; w <= 4; w++) {
        grid_clear(&g);
        int end = grid_put_clip(&g, 0, 5, w, ROLE_TEXT, "abcdefgh", "...");
        if (end > w)
            harness_fail(__FILE__, __LINE__, "width %d with ellipsis \"...\": wrote %d columns (\"%s\")",
                         w, end, row(&g, 5, &b));
    }
    grid_free(&g);
    sbuf_free(&b);
}

/* Overwriting one half of a double-width character must not leave the
 * other half behind: overlays (help, menu) are drawn over the narration,
 * which may be in any script. */
void test_grid_overwrite_half_of_wide_char(void)
{
    struct grid g;
    grid_init(&g, 6, 3);
    grid_put(&g, 0, 0, ROLE_TEXT, "日本ab");
    grid_put(&g, 0, 0, ROLE_OVERLAY, "x"); /* over the left half of 日 */
    grid_put(&g, 0, 1, ROLE_TEXT, "日本ab");
    grid_put(&g, 1, 1, ROLE_OVERLAY, "|"); /* over the right half of 日 */
    grid_put(&g, 0, 2, ROLE_TEXT, "ab日本");
    grid_put(&g, 2, 2, ROLE_OVERLAY, "本"); /* wide over wide, aligned: fine */
    check_cells(&g);
    grid_free(&g);
}

/* A combining mark after a double-width character belongs to that
 * character's cell, not to the empty cell right of it: otherwise that cell
 * no longer reads as the right half, and overwriting it later leaves the
 * wide character whole next to the new one (a row one column too wide). */
void test_grid_mark_after_wide_char_joins_it(void)
{
    struct grid g;
    struct sbuf b = {0};
    grid_init(&g, 6, 1);
    CHECK_EQ(grid_put(&g, 0, 0, ROLE_TEXT, "日\xcc\x81" "ab"), 4);
    CHECK_STR(grid_at(&g, 0, 0)->ch, "日\xcc\x81");
    CHECK_STR(grid_at(&g, 1, 0)->ch, "");
    CHECK_STR(row(&g, 0, &b), "日\xcc\x81" "ab");
    grid_put(&g, 1, 0, ROLE_OVERLAY, "|");
    check_cells(&g);
    grid_free(&g);
    sbuf_free(&b);
}

/* Layout widths must match what the terminal draws: the C library's
 * wcwidth() in a UTF-8 locale (ncurses and terminals follow it) says which
 * characters take two columns, and the grid's own table must agree. */
void test_grid_width_agrees_with_wcwidth(void)
{
    char *old = setlocale(LC_CTYPE, NULL);
    char *saved = old ? strdup(old) : NULL;
    if (!setlocale(LC_CTYPE, "C.UTF-8")) {
        printf("# skipped: no C.UTF-8 locale to compare with\n");
        free(saved);
        return;
    }
    unsigned mismatches = 0;
    for (uint32_t cp = 0x300; cp < 0x40000; cp++) {
        if (cp >= 0xd800 && cp < 0xe000)
            continue;
        int libc = wcwidth((wchar_t)cp);
        if (libc < 0)
            continue;
        char buf[8];
        size_t n = 0;
        if (cp < 0x800) {
            buf[n++] = (char)(0xc0 | cp >> 6);
        } else if (cp < 0x10000) {
            buf[n++] = (char)(0xe0 | cp >> 12);
            buf[n++] = (char)(0x80 | (cp >> 6 & 0x3f));
        } else {
            buf[n++] = (char)(0xf0 | cp >> 18);
            buf[n++] = (char)(0x80 | (cp >> 12 & 0x3f));
            buf[n++] = (char)(0x80 | (cp >> 6 & 0x3f));
        }
        buf[n++] = (char)(0x80 | (cp & 0x3f));
        buf[n] = '\0';
        int ours = text_width(buf);
        if ((libc == 2) != (ours == 2) && mismatches++ < 5)
            harness_fail(__FILE__, __LINE__, "U+%04X: wcwidth %d, grid %d", (unsigned)cp, libc,
                         ours);
    }
    CHECK_EQ(mismatches, 0);
    setlocale(LC_CTYPE, saved ? saved : "C");
    free(saved);
}
