/* tests/unit/test_conn.c */
X(test_conn_timeline_ring)
