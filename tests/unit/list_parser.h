/* tests/unit/test_command.c and test_scenario.c */
