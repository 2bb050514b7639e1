/* tests/unit/test_panes.c */
X(test_panes_parse_and_cycle)
X(test_panes_trace_shows_the_calls)
X(test_panes_kernel_view_lists_every_fd)
X(test_panes_code_is_what_the_server_does)
X(test_panes_code_follows_the_knobs)
