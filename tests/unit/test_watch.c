/*
 * test_watch.c - the instrument's set names exactly the sockets that got
 * something since its previous call: bytes (again on every arrival, even
 * with older bytes unread), an end of stream (with EPOLLRDHUP), and
 * nothing for bytes that only wait; a closed socket leaves it.
 */
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"
#include "util.h"
#include "watch.h"

#define PAIRS 8

struct seen {
    uint64_t keys[PAIRS];
    uint32_t events[PAIRS];
    size_t n;
};

static void note(void *ctx, uint64_t key, uint32_t events)
{
    struct seen *s = ctx;
    if (s->n < PAIRS) {
        s->keys[s->n] = key;
        s->events[s->n++] = events;
    }
}

static size_t ready(struct watch *w, struct seen *s)
{
    memset(s, 0, sizeof *s);
    return watch_ready(w, PAIRS, note, s);
}

void test_watch_names_what_arrived(void)
{
    int sv[PAIRS][2];
    struct watch *w = watch_new();
    REQUIRE(w);
    for (int i = 0; i < PAIRS; i++) {
        REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv[i]) == 0);
        CHECK(watch_add(w, sv[i][0], 100 + (uint64_t)i) == 0);
    }
    struct seen s;
    CHECK_EQ(ready(w, &s), 0);

    CHECK(write(sv[5][1], "abc", 3) == 3);
    CHECK_EQ(ready(w, &s), 1);
    CHECK_EQ(s.keys[0], 105);
    CHECK_EQ(ready(w, &s), 0); /* unread, but nothing new */
    CHECK(write(sv[5][1], "d", 1) == 1);
    CHECK_EQ(ready(w, &s), 1); /* named again: a new arrival */
    CHECK(shutdown(sv[2][1], SHUT_WR) == 0);
    CHECK_EQ(ready(w, &s), 1);
    CHECK(s.keys[0] == 102 && (s.events[0] & EPOLLRDHUP));

    char buf[8];
    CHECK(read(sv[5][0], buf, sizeof buf) == 4);
    close(sv[2][0]); /* closed: gone from the set */
    CHECK_EQ(ready(w, &s), 0);
    for (int i = 0; i < PAIRS; i++) {
        if (i != 2)
            close(sv[i][0]);
        close(sv[i][1]);
    }
    watch_free(w);
}
