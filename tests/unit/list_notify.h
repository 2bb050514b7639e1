/* tests/unit/test_notify.c */
X(test_notify_starvation_rule)
