/* tests/unit/test_cmdlines.c */
X(test_cmdlines_lines_in_pieces)
X(test_cmdlines_overlong_line_is_an_error)
X(test_cmdlines_nul_byte_is_an_error)
X(test_cmdlines_last_line_runs_at_the_end)
