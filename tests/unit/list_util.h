X(test_escape_makes_bytes_printable)
X(test_parse_uint_bounds)
X(test_timeline_ring)
