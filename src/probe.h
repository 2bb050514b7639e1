/*
 * probe.h - what the kernel says about a socket, one ioctl/getsockopt each.
 *
 * These are the only sources of the byte counts shown on screen.  Each call
 * returns -1 (errno set) when the kernel refuses, and the caller shows the
 * value as unknown rather than inventing one.
 */
#ifndef EPOLLVIZ_PROBE_H
#define EPOLLVIZ_PROBE_H

#include <stdint.h>

/* Unread bytes in the receive queue (FIONREAD / SIOCINQ). */
long probe_pending(int fd);
/* Bytes in the send queue, sent-but-unacked included (SIOCOUTQ). */
long probe_send_queue(int fd);
/* Bytes in the send queue not yet sent (SIOCOUTQNSD). */
long probe_send_unsent(int fd);
/* SO_RCVBUF as the kernel reports it (already doubled). */
long probe_rcvbuf(int fd);
/* SO_SNDBUF as the kernel reports it (doubled; it grows by autotuning
 * unless it was set). */
long probe_sndbuf(int fd);

/* Listening socket: connections waiting in the accept queue and its limit
 * (TCP_INFO tcpi_unacked and tcpi_sacked, which mean that on a LISTEN socket). */
int probe_accept_queue(int fd, uint32_t *queued, uint32_t *limit);
/* Connected socket: 1 if the peer's FIN has arrived (TCP state CLOSE_WAIT),
 * 0 if not, -1 on error. */
int probe_fin_received(int fd);
/* Connected socket: 1 if the connection is gone (TCP state CLOSE: a reset
 * arrived), 0 if not, -1 on error. */
int probe_reset(int fd);
/* Connected socket: 1 if the peer is gone (reset, or closed its end: TCP
 * state CLOSE or CLOSE_WAIT), 0 if not, -1 on error. */
int probe_peer_gone(int fd);
/* Connected socket: the peer's advertised window (TCP_INFO tcpi_snd_wnd). */
int probe_peer_window(int fd, uint32_t *window);
/* The same, and the segment size this side sends (tcpi_snd_mss). */
int probe_send_window(int fd, uint32_t *window, uint32_t *mss);
/* Connected socket: the window this side last advertised (TCP_INFO
 * tcpi_rcv_wnd, Linux 6.2 and later); 0 means the client may not send.
 * -1 (ENOTSUP) on a kernel that does not say. */
long probe_own_window(int fd);

#endif
