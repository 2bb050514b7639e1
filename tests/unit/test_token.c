/*
 * test_token.c - the tokenizer on its own, below the command table: any
 * words split, whatever the first one is, and tokens print back as they
 * could be typed.  (The exact columns and messages of each case are pinned
 * through cmd_parse in test_command.c.)
 */
#include "harness.h"

#include "token.h"

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
