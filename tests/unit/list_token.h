/* tests/unit/test_token.c */
X(test_token_words_and_columns)
X(test_token_strings_and_escapes)
X(test_token_comments_blank_crlf)
X(test_token_errors)
X(test_token_utf8_rejects_overlong_and_surrogates)
X(test_token_without_commands)
