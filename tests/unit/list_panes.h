/* tests/unit/test_panes.c */
X(test_panes_parse_and_cycle)
X(test_panes_trace_shows_the_calls)
X(test_panes_kernel_view_lists_every_fd)
