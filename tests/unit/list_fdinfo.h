/* tests/unit/test_fdinfo.c */
X(test_fdinfo_reads_the_kernels_interest_list)
X(test_fdinfo_rejects_a_malformed_line)
X(test_fdinfo_server_keeps_the_kernels_list)
