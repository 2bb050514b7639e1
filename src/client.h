/*
 * client.h - scenario clients: real TCP sockets this process opens to its
 * own listener over loopback.
 *
 * Each client has TCP_NODELAY (one write, one segment) and a capped
 * SO_SNDBUF so flow control shows.  Writes never block and never lose
 * bytes: what the socket cannot take now waits in the client's own queue
 * and goes out on the next client_flush_all().  Clients are found by name;
 * "w" also names the group "w.1", "w.2"... made by one connect of a count.
 *
 * A client reads what the server sends it (an echo), at every
 * client_flush_all, and counts it: reads are silent in the transcript,
 * since how a stream is cut into reads is the kernel's timing.  A held
 * client (client_hold) stops reading, so the bytes wait in its socket
 * (FIONREAD), its receive window closes and the server's send queue
 * fills; client_release reads again.  One poll() over the sockets it
 * reads says which have something, so a flush reads only those.
 */
#ifndef EPOLLVIZ_CLIENT_H
#define EPOLLVIZ_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "trace.h"
#include "util.h"

#define CLIENT_NAME_MAX 32
#define CLIENT_SNDBUF 8192 /* the kernel doubles it */

enum client_state {
    CLIENT_CONNECTING,
    CLIENT_OPEN,
    CLIENT_SHUT,   /* shutdown(SHUT_WR) done: the server sees EOF after the data */
    CLIENT_CLOSED,
    CLIENT_FAILED, /* connect or send failed; the reason is in `error` */
};

struct client {
    char name[CLIENT_NAME_MAX + 8];
    int fd;
    enum client_state state;
    struct sockaddr_storage local; /* our end, to recognise the accepted socket */
    socklen_t local_len;
    bool claimed; /* the server has named a connection after this client */
    uint64_t sent;        /* bytes the kernel accepted */
    uint64_t pattern_pos; /* where the next pattern byte starts */
    unsigned char *queue; /* bytes waiting for room in the socket */
    size_t queued, queue_cap;
    long sendq;           /* SIOCOUTQ when last settled: in its kernel send queue */
    uint64_t received;    /* bytes it read from its socket (what the server sent) */
    bool held;            /* hold: it does not read its socket */
    bool watched;         /* a flush reads it when readable (not held, not at EOF) */
    bool peer_eof;        /* a read returned 0: the server closed or shut down */
    long unread;          /* held: FIONREAD when last settled, for the screen */
    bool shut_pending, close_pending; /* done once the queue is empty */
    char error[96];
};

struct client_set;

/* `target` is the listener's address, as clients should dial it. */
struct client_set *client_set_new(const struct sockaddr *target, socklen_t len,
                                  const struct trace *trace);
void client_set_free(struct client_set *cs);

/* 0 if `name` can name a client: a letter then letters, digits, _ or -. */
int client_name_check(const char *name, struct sbuf *err);

/* Opens one connection named `name`, or `count` named name.1..name.N. */
int client_connect(struct client_set *cs, const char *name, unsigned count, struct sbuf *err);
/* Actions return 0, or -1 with a message in err when the client cannot do
 * it now (closed, failed earlier).  A socket error during the action makes
 * the client FAILED; that is reported through the trace and counted by
 * client_failures(), and any bytes still queued are reported as unsent. */

/* Queues bytes and writes what the socket takes. */
int client_send(struct client_set *cs, struct client *c, const void *data, size_t len,
                struct sbuf *err);
/* Sends `n` bytes of the visible pattern a..zA..Z0..9, continuing per client. */
int client_send_pattern(struct client_set *cs, struct client *c, size_t n, struct sbuf *err);
int client_shutdown(struct client_set *cs, struct client *c, struct sbuf *err);
/* hold: the client stops reading its socket; release: it reads again
 * (at once what waits, then at every flush).  -1 with a message if it is
 * already so, or closed. */
int client_hold(struct client_set *cs, struct client *c, struct sbuf *err);
int client_release(struct client_set *cs, struct client *c, struct sbuf *err);
/* Bytes waiting in the client's own socket, unread (FIONREAD); 0 once it
 * is closed. */
uint64_t client_recvq(const struct client *c);
int client_close(struct client_set *cs, struct client *c, struct sbuf *err);

/* Clients that failed so far (a connect refused, a send reset), and the
 * last such failure in words. */
unsigned client_failures(const struct client_set *cs);
const char *client_last_failure(const struct client_set *cs);

/* Reads what waits in the sockets of clients not held, then writes queued
 * bytes; returns the bytes still queued over all clients. */
size_t client_flush_all(struct client_set *cs);
/* Waits (bounded by timeout_ms) until every client's connect finished and
 * its bytes reached the peer or stopped at a closed window, so what a
 * scenario does next sees a settled kernel.  Returns 0 when settled. */
int client_settle(struct client_set *cs, int timeout_ms);

size_t client_count(const struct client_set *cs);
struct client *client_at(const struct client_set *cs, size_t i);
struct client *client_find(const struct client_set *cs, const char *name);
/* True if `c` is `name` itself or a member of group `name`. */
bool client_matches(const struct client *c, const char *name);
/* Claims the client whose own address is `peer`, for naming an accepted
 * (or refused) socket; once per client, even if it has closed since, so a
 * later stranger on a reused port is never taken for it.  NULL if none. */
struct client *client_claim(struct client_set *cs, const struct sockaddr *peer, socklen_t len);

#endif
