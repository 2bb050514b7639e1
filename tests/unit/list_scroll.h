/* tests/unit/test_scroll.c */
X(test_scroll_top_keeps_the_cursor_in_sight)
X(test_scroll_keys_move_and_stop_at_the_ends)
