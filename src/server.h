/*
 * server.h - the taught epoll server: the subject of every lesson.
 *
 * Its epoll instance holds only the listening socket and the server side of
 * each connection; every epoll_* call it makes is in server.c and counted
 * there.  It never blocks: a tick is one epoll_wait with the caller's
 * timeout plus the handling of what it returned, then a kernel sample of
 * the sockets something happened to (an idle one costs nothing: an
 * instrument's epoll set of its own says which gained data).  The host loop
 * may watch server_epoll_fd() to learn when a tick would return something.
 *
 * Call order: server_open, then any mix of knobs, ticks and actions, then
 * server_free.  Only server_open can fail for expected reasons (a port in
 * use, ...): it returns NULL with a message in `err`.  Later trouble (a
 * peer reset, EMFILE) is reported through the trace and survived.
 *
 * Connection records are the server's: read them, never write them, and
 * keep ids rather than pointers across server_tick, which frees the oldest
 * closed records.
 */
#ifndef EPOLLVIZ_SERVER_H
#define EPOLLVIZ_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "conn.h"
#include "fdinfo.h"
#include "knob.h"
#include "trace.h"
#include "util.h"

/* Gives a connection its label from the peer address; returns NULL to use
 * "address:port".  The engine names scenario clients this way. */
typedef const char *(*label_fn)(void *ctx, const struct sockaddr *peer, socklen_t len);

struct server_config {
    const char *address; /* numeric IPv4 or IPv6 address */
    uint16_t port;       /* 0 = any free port */
    struct knobs knobs;     /* what it starts with (knobs_defaults) */
    struct knob_origin origin[KNOB_COUNT]; /* where each of those came from: the
                                              engine keeps it for `show knobs` */
    size_t max_conns;       /* open connections beyond this are refused with a message */
    size_t max_per_peer;    /* the same for open connections from one address; 0 = no limit */
    size_t data_preview;    /* bytes of each read shown in the transcript
                               (DATA_PREVIEW live, 32 in scenarios); 0 = all */
    size_t closed_keep;     /* closed records of outside clients kept on the list */
    size_t drain_cap;       /* bytes one drain may read per wakeup (DRAIN_CAP) */
    size_t tick_cap;        /* bytes all the drains of one tick may read together, shared
                               evenly by the connections its epoll_wait reported (never
                               below DRAIN_SHARE_MIN each); 0 = no bound (headless) */
    size_t sndbuf;          /* SO_SNDBUF of accepted sockets (set on the listener, which
                               they inherit, and which stops autotuning); 0 = the kernel's */
};

/* Bytes of each read a live transcript shows, then "+N B": a line of
 * typed text is whole, a flood's 64 KiB read costs a few hundred bytes of
 * formatting.  The connection's panel keeps its last bytes anyway. */
#define DATA_PREVIEW 256

/* The least a drain reads in a wakeup under tick_cap, however many
 * connections share it: a page, so a flood of 10,000 still moves data. */
#define DRAIN_SHARE_MIN 4096

void server_config_defaults(struct server_config *cfg);

struct server_stats {
    uint64_t tick;        /* ticks so far: epoll_wait calls, plus asleep_ticks */
    uint64_t events;      /* events returned by epoll_wait, summed */
    uint64_t empty_waits; /* epoll_wait calls that returned 0 */
    uint64_t reads, eagain_reads, accept_calls, ctl_calls, closes;
    uint64_t syscalls;    /* every syscall of the server loop itself */
    uint64_t eof_reads;   /* read() calls that returned 0 */
    uint64_t twin_events, twin_reads; /* the second epoll set (twin on) */
    uint64_t asleep_ticks; /* ticks with no epoll_wait: the server's reader slept in read() */
    uint64_t writes, eagain_writes, bytes_written; /* send() calls (reply echo) */
    uint64_t out_wakeups, idle_out; /* wakeups with EPOLLOUT, and with nothing to write */
    size_t open_conns;
};

struct server;

struct server *server_open(const struct server_config *cfg, const struct trace *trace,
                           struct sbuf *err);
void server_free(struct server *s);

void server_set_labeller(struct server *s, label_fn fn, void *ctx);

int server_epoll_fd(const struct server *s);
/* What a host that ticks on events watches: the epoll fd, or, while the
 * server's reader sleeps in read() (twin blocking), the connection it
 * sleeps on: its readiness is what would end the sleep. */
int server_wake_fd(const struct server *s);
/* The epoll instance's interest list as the kernel holds it, read from
 * /proc/self/fdinfo at the sample after an epoll_ctl, a close, or a tick
 * of a one-shot server (fdinfo.h); the screen reads this, never /proc. */
const struct fdinfo *server_interest(const struct server *s);
int server_listener_fd(const struct server *s);
const char *server_address(const struct server *s); /* "127.0.0.1:8080" */
uint16_t server_port(const struct server *s);
int server_family(const struct server *s);
/* The listener's address as the kernel holds it (port included). */
socklen_t server_sockaddr(const struct server *s, struct sockaddr_storage *ss);

const struct knobs *server_knobs(const struct server *s);
/* Sets knob `id` to v, a value its row accepts (knob.h), and does what the
 * knob means now: switching the mode issues EPOLL_CTL_MOD on every
 * registered fd; rcvbuf sets SO_RCVBUF on the listener, for connections
 * accepted from now on; twin on opens a second epoll instance in the other
 * mode (ET for an LT server, LT otherwise) that watches every connection,
 * read by a second reader with the same budget (when both sets report in
 * one tick the readers take turns going first, as two threads would);
 * eof ignore is the bug of leaving a fd registered after a read of 0 (in
 * LT it stays readable and the loop spins); autorearm off leaves a fired
 * one-shot fd silent until `rearm`; reply echo writes back what is read
 * (what the kernel does not take waits in the connection's application
 * buffer, up to reply-buffer bytes, past which reading that connection
 * stops); out says when EPOLLOUT is registered (EPOLL_CTL_MOD as that
 * changes); wbudget caps the bytes written per wakeup.  Every change says
 * itself in the trace. */
void server_set_knob(struct server *s, enum knob_id id, size_t v);

/* One epoll_wait(timeout_ms) and its handling; returns the event count, or -1
 * on EINTR (nothing handled, still counted as a call). */
int server_tick(struct server *s, int timeout_ms);
/* Refresh FIONREAD/TCP_INFO and starvation without a tick (after a command,
 * or while the clock is paused): of every socket whose sample could say
 * something new, which is every one that something happened to.  Returns
 * true if anything a screen shows changed. */
bool server_sample(struct server *s);
/* How many sockets a sample looks at now (the rest are quiet). */
size_t server_followed(const struct server *s);
/* The open connections by what epoll will do with them (census.h), kept
 * up to date as the server goes: what a frame reads instead of counting
 * every record. */
struct census;
const struct census *server_census(struct server *s);
/* Asks FIONREAD for the connection at index i if its pending count was
 * carried from the server's reads rather than asked (exact all the same:
 * server.c, "what a read tells"); a front end calls it for each
 * connection it is about to draw, so every count on screen is FIONREAD's. */
void server_ask_shown(struct server *s, size_t i);

/* True when what the server sent has arrived: every open connection's
 * send queue is empty, or holds only bytes the peer's window cannot take
 * now (a client that does not read).  The engine waits for it as it
 * waits for its clients' bytes, so a scenario sees a settled kernel. */
bool server_sends_settled(const struct server *s);

/* EPOLL_CTL_MOD with the current mask: re-arms one-shot, re-reports data. */
void server_rearm(struct server *s, struct conn *c);
void server_rearm_listener(struct server *s);
/* Read now until EAGAIN, outside any wakeup (the presenter's "drain"). */
void server_drain(struct server *s, struct conn *c);
/* Close the server side of a connection. */
void server_drop(struct server *s, struct conn *c, const char *reason);

const struct server_stats *server_stats(const struct server *s);
const struct listener_info *server_listener(const struct server *s);
size_t server_conn_count(const struct server *s); /* records, closed ones included */
struct conn *server_conn_at(const struct server *s, size_t i);
/* The index of the record with this id (records are in id order), or
 * SIZE_MAX: a lookup that does not walk thousands of records per frame. */
size_t server_conn_index(const struct server *s, unsigned id);
/* The newest record with this label (open ones preferred), or NULL. */
struct conn *server_find(const struct server *s, const char *label);

/* One line saying why a socket starves (kind k, usually its notify.starved),
 * e.g. "48 B waiting, read stopped before EAGAIN, no new edge until the
 * client sends". */
void conn_starve_reason(const struct conn *c, enum starve_kind k, struct sbuf *out);
void listener_starve_reason(const struct listener_info *l, enum starve_kind k, struct sbuf *out);
/* The same for the write side (c->wnotify.starved): "48 B unsent, send
 * stopped before EAGAIN: no EPOLLOUT edge until the client sends". */
void conn_wstarve_reason(const struct conn *c, enum starve_kind k, struct sbuf *out);
/* Both in fewer words (notify.h: brevity, 0 to NOTIFY_BREVITY_MAX). */
void conn_starve_reason_brief(const struct conn *c, enum starve_kind k, int brevity,
                              struct sbuf *out);
void conn_wstarve_reason_brief(const struct conn *c, enum starve_kind k, int brevity,
                               struct sbuf *out);

#endif
