/* tests/unit/test_complete.c */
X(test_complete_commands_and_knobs)
X(test_complete_names_and_expect)
X(test_complete_follows_the_grammar)
X(test_complete_drain_offers_open_connections_only)
X(test_complete_scenario_paths)
X(test_complete_nothing_to_offer)
X(test_complete_load_lists_each_file_once)
