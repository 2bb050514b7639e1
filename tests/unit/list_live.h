/* tests/unit/test_live.c */
X(test_live_sampler_fills_a_paused_server)
X(test_live_clock_ticks_at_its_rate)
X(test_live_tick_runs_after_the_turn)
X(test_live_clock_ticks_on_events_unless_held)
X(test_live_follows_a_replaced_engine)
