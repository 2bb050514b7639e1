/* tests/unit/test_conn.c */
X(test_conn_timeline_ring)
X(test_conn_write_timeline_ring)
