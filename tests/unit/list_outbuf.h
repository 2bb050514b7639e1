/* tests/unit/test_outbuf.c */
X(test_outbuf_drops_and_resumes_on_a_pipe)
X(test_outbuf_drain_deadline_and_reader_gone)
X(test_outbuf_socket_never_blocks)
X(test_outbuf_add_writes_on_flush)
