/* tests/unit/test_server.c */
