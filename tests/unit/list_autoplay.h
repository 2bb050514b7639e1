/* tests/unit/test_autoplay.c */
X(test_autoplay_counts_down_and_steps)
X(test_autoplay_waits_for_long_steps_and_overlays)
X(test_autoplay_pause_and_loop)
X(test_autoplay_presenter_steps_pauses_and_loops)
