/*
 * test_conn.c - a connection's record: the timeline ring behind the panel's
 * strip.
 */
#include "harness.h"

#include "conn.h"
#include "fixture.h"

void test_conn_timeline_ring(void)
{
    static struct timeline t; /* large: keep it off the stack */
    memset(&t, 0, sizeof t);
    CHECK_EQ(timeline_get(&t, 1), 0);
    timeline_set(&t, 5, MARK_WOKEN);
    CHECK_EQ(timeline_get(&t, 5), MARK_WOKEN | MARK_VALID);
    CHECK_EQ(timeline_get(&t, 4), 0);
    CHECK_EQ(timeline_get(&t, 6), 0);
    /* A gap is blank, not a stale mark from TIMELINE_TICKS ago. */
    timeline_set(&t, 5 + TIMELINE_TICKS + 2, MARK_LEVEL);
    CHECK_EQ(timeline_get(&t, 5 + TIMELINE_TICKS), 0);
    CHECK_EQ(timeline_get(&t, 5), 0); /* fell out of the ring */
    CHECK_EQ(timeline_get(&t, 5 + TIMELINE_TICKS + 2), MARK_LEVEL | MARK_VALID);
    CHECK(TIMELINE_TICKS >= 512);
}
