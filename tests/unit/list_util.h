/* tests/unit/test_util.c */
X(test_util_escape_makes_bytes_printable)
X(test_util_sbuf_empty_appends_terminate)
X(test_util_utf8_seq_len)
X(test_util_parse_uint_bounds)
X(test_util_escape_fast_path_matches_bytewise)
X(test_util_sanitize_fast_path_matches_bytewise)
