/*
 * probe.c - kernel socket introspection.
 *
 * <linux/tcp.h> rather than <netinet/tcp.h>: glibc's struct tcp_info lacks
 * tcpi_snd_wnd.  The kernel may be newer than the headers, so only fields
 * inside the returned length are trusted.
 */
#include "probe.h"

#include <errno.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

static long probe_ioctl(int fd, unsigned long req)
{
    int n = 0;
    if (ioctl(fd, req, &n) < 0)
        return -1;
    return n;
}

long probe_pending(int fd)
{
    return probe_ioctl(fd, SIOCINQ);
}

long probe_send_queue(int fd)
{
    return probe_ioctl(fd, SIOCOUTQ);
}

long probe_send_unsent(int fd)
{
    return probe_ioctl(fd, SIOCOUTQNSD);
}

static long socket_int(int fd, int opt)
{
    int v = 0;
    socklen_t len = sizeof v;
    if (getsockopt(fd, SOL_SOCKET, opt, &v, &len) < 0)
        return -1;
    return v;
}

long probe_rcvbuf(int fd)
{
    return socket_int(fd, SO_RCVBUF);
}

long probe_sndbuf(int fd)
{
    return socket_int(fd, SO_SNDBUF);
}

static int tcp_info_get(int fd, struct tcp_info *ti, size_t need)
{
    socklen_t len = sizeof *ti;
    memset(ti, 0, sizeof *ti);
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, ti, &len) < 0)
        return -1;
    if (len < need) {
        errno = ENOTSUP;
        return -1;
    }
    return 0;
}

int probe_accept_queue(int fd, uint32_t *queued, uint32_t *limit)
{
    struct tcp_info ti;
    if (tcp_info_get(fd, &ti, offsetof(struct tcp_info, tcpi_sacked) + sizeof ti.tcpi_sacked) < 0)
        return -1;
    *queued = ti.tcpi_unacked;
    *limit = ti.tcpi_sacked;
    return 0;
}

int probe_peer_window(int fd, uint32_t *window)
{
    struct tcp_info ti;
    if (tcp_info_get(fd, &ti, offsetof(struct tcp_info, tcpi_snd_wnd) + sizeof ti.tcpi_snd_wnd) < 0)
        return -1;
    *window = ti.tcpi_snd_wnd;
    return 0;
}

int probe_send_window(int fd, uint32_t *window, uint32_t *mss)
{
    struct tcp_info ti;
    if (tcp_info_get(fd, &ti, offsetof(struct tcp_info, tcpi_snd_wnd) + sizeof ti.tcpi_snd_wnd) < 0)
        return -1;
    *window = ti.tcpi_snd_wnd;
    *mss = ti.tcpi_snd_mss;
    return 0;
}

/* The TCP state (include/net/tcp_states.h), or -1. */
static int tcp_state(int fd)
{
    struct tcp_info ti;
    if (tcp_info_get(fd, &ti, offsetof(struct tcp_info, tcpi_state) + sizeof ti.tcpi_state) < 0)
        return -1;
    return ti.tcpi_state;
}

enum { TCP_STATE_CLOSE = 7, TCP_STATE_CLOSE_WAIT = 8 };

int probe_fin_received(int fd)
{
    int st = tcp_state(fd);
    return st < 0 ? -1 : st == TCP_STATE_CLOSE_WAIT;
}

int probe_reset(int fd)
{
    int st = tcp_state(fd);
    return st < 0 ? -1 : st == TCP_STATE_CLOSE; /* reset, or fully closed */
}

int probe_peer_gone(int fd)
{
    int st = tcp_state(fd);
    return st < 0 ? -1 : st == TCP_STATE_CLOSE || st == TCP_STATE_CLOSE_WAIT;
}

long probe_own_window(int fd)
{
    /* tcpi_rcv_wnd follows tcpi_snd_wnd in the kernel's struct (Linux 6.2)
     * but not in older headers: read it by its place, and only where the
     * kernel's optlen says it wrote it. */
    unsigned char buf[sizeof(struct tcp_info) + 64];
    size_t at = offsetof(struct tcp_info, tcpi_snd_wnd) + sizeof(uint32_t);
    socklen_t len = sizeof buf;
    uint32_t w;
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, buf, &len) < 0)
        return -1;
    if (len < at + sizeof w) {
        errno = ENOTSUP;
        return -1;
    }
    memcpy(&w, buf + at, sizeof w);
    return (long)w;
}
