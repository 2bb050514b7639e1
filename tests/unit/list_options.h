/* tests/unit/test_options.c */
X(test_options_parse_forgets_the_last_call)
X(test_options_error_shows_bytes_escaped)
X(test_options_know_which_knobs_were_given)
