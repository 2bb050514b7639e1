/* tests/unit/test_truths.c */
X(test_truths_census_counts_what_epoll_will_do)
X(test_truths_fin_is_half_closed)
X(test_truths_starved_with_the_window_closed)
X(test_truths_recovery_before_a_tick_is_not_after_0_ticks)
