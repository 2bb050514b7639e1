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

/* The write side's ring: four bits a tick, two ticks a byte, allocated at
 * the first mark; neighbours do not bleed into each other, a gap reads
 * as the steady marks, and a tick out of the ring reads 0. */
void test_conn_write_timeline_ring(void)
{
    struct wtimeline t = {0};
    wtimeline_set(&t, 3, 0);
    CHECK(t.cells == NULL); /* nothing to remember: nothing allocated */
    CHECK_EQ(wtimeline_get(&t, 3), 0);
    wtimeline_set(&t, 4, WMARK_OUT);
    REQUIRE(t.cells);
    wtimeline_set(&t, 5, WMARK_WAITING | WMARK_STARVED);
    CHECK_EQ(wtimeline_get(&t, 4), WMARK_OUT);
    CHECK_EQ(wtimeline_get(&t, 5), WMARK_WAITING | WMARK_STARVED);
    CHECK_EQ(wtimeline_get(&t, 3), 0);
    t.steady = WMARK_WAITING;
    CHECK_EQ(wtimeline_get(&t, 9), WMARK_WAITING); /* not written: steady */
    wtimeline_set(&t, 8, WMARK_OUT);
    CHECK_EQ(wtimeline_get(&t, 6), WMARK_WAITING);
    CHECK_EQ(wtimeline_get(&t, 7), WMARK_WAITING);
    CHECK_EQ(wtimeline_get(&t, 8), WMARK_OUT);
    CHECK_EQ(wtimeline_get(&t, 5), WMARK_WAITING | WMARK_STARVED);
    t.steady = 0;
    wtimeline_set(&t, 8 + TIMELINE_TICKS + 1, WMARK_OUT);
    CHECK_EQ(wtimeline_get(&t, 8), 0); /* fell out of the ring */
    CHECK_EQ(wtimeline_get(&t, 8 + TIMELINE_TICKS), 0);
    CHECK_EQ(wtimeline_get(&t, 8 + TIMELINE_TICKS + 1), WMARK_OUT);
    wtimeline_free(&t);
    CHECK(t.cells == NULL);
}
