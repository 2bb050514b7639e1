/* tests/unit/test_watch.c */
X(test_watch_names_what_arrived)
