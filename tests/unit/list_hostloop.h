/* tests/unit/test_hostloop.c */
X(test_hostloop_fd_timer_and_signal)
X(test_hostloop_delete_during_batch)
