/* tests/unit/test_render.c */
X(test_render_sizes)
X(test_render_too_small)
X(test_render_starved_then_mode_switch)
X(test_render_escapes_client_bytes)
X(test_render_thousand_connections)
X(test_render_overlay_over_wide_narration)
X(test_render_step_without_say)
X(test_render_header_fits)
