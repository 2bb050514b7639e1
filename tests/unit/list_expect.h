/* tests/unit/test_expect.c */
X(test_expect_valid)
X(test_expect_errors)
X(test_expect_sides)
X(test_expect_side_in_single_run)
