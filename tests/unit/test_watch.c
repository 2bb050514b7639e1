/*
 * test_watch.c - the instrument's set reports exactly the sockets with
 * something to read, again at every call until it is read (level), and
 * forgets a socket once it is closed.
 */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"
#include "util.h"
#include "watch.h"

#define PAIRS 8

struct seen {
    uint64_t keys[PAIRS];
    size_t n;
};

static void note(void *ctx, uint64_t key)
{
    struct seen *s = ctx;
    if (s->n < PAIRS)
        s->keys[s->n++] = key;
}

void test_watch_reports_what_can_be_read(void)
{
    int sv[PAIRS][2];
    struct watch *w = watch_new();
    REQUIRE(w);
    for (int i = 0; i < PAIRS; i++) {
        REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv[i]) == 0);
        CHECK(watch_add(w, sv[i][0], 100 + (uint64_t)i) == 0);
    }
    struct seen s = {0};
    CHECK_EQ(watch_ready(w, PAIRS, note, &s), 0);

    CHECK(write(sv[5][1], "abc", 3) == 3);
    CHECK(shutdown(sv[2][1], SHUT_WR) == 0); /* an end of stream is news too */
    for (int round = 0; round < 2; round++) { /* level: again until read */
        memset(&s, 0, sizeof s);
        CHECK_EQ(watch_ready(w, PAIRS, note, &s), 2);
        CHECK(s.n == 2 && s.keys[0] + s.keys[1] == 102 + 105);
    }
    char buf[8];
    CHECK(read(sv[5][0], buf, sizeof buf) == 3);
    close(sv[2][0]); /* closed: gone from the set */
    memset(&s, 0, sizeof s);
    CHECK_EQ(watch_ready(w, PAIRS, note, &s), 0);
    for (int i = 0; i < PAIRS; i++) {
        if (i != 2)
            close(sv[i][0]);
        close(sv[i][1]);
    }
    watch_free(w);
}
