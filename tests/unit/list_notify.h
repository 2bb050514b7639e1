/* tests/unit/test_notify.c */
X(test_notify_starvation_rule)
X(test_notify_reasons_brief)
