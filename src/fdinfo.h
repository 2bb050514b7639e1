/*
 * fdinfo.h - an epoll instance's interest list as the kernel holds it,
 * read from /proc/self/fdinfo/EPFD.
 *
 * Each watched descriptor is a line "tfd: 5 events: 80002019 data: 7 ..."
 * with the mask as stored: the kernel adds EPOLLERR and EPOLLHUP to every
 * entry, and after a one-shot entry fired it keeps only EPOLLONESHOT
 * ("events: 40000000") until EPOLL_CTL_MOD re-arms it.  This is real
 * kernel state, the one part of an epoll instance /proc shows; its ready
 * list is not shown anywhere and must be derived.
 */
#ifndef EPOLLVIZ_FDINFO_H
#define EPOLLVIZ_FDINFO_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct fdinfo_entry {
    int fd;          /* tfd: the watched descriptor's number */
    uint32_t events; /* the mask as the kernel stores it */
    uint64_t data;   /* epoll_data as registered */
};

struct fdinfo {
    struct fdinfo_entry *v;
    size_t n;
};

/* Parses the text of an fdinfo file; entries sorted by descriptor (the
 * kernel lists them in the order of its tree, keyed by file address,
 * which differs from run to run).  Returns 0, or -1 with a message if a tfd line is malformed. */
int fdinfo_parse(const char *text, struct fdinfo *out, struct sbuf *err);
/* Reads /proc/self/fdinfo/EPFD and parses it; -1 with a message. */
int fdinfo_read(int epfd, struct fdinfo *out, struct sbuf *err);
void fdinfo_free(struct fdinfo *fi);

/* The mask in words, as a class reads it: "IN RDHUP ET", "disarmed" for
 * a one-shot entry that fired ("ONESHOT" alone), with ERR and HUP left out
 * (the kernel adds them to every entry). */
void fdinfo_mask_words(uint32_t events, struct sbuf *out);

#endif
