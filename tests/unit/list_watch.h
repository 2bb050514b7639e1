/* tests/unit/test_watch.c */
X(test_watch_reports_what_can_be_read)
