/*
 * fdinfo.c - the kernel's view of an epoll instance (see fdinfo.h).
 */
#include "fdinfo.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

static int by_fd(const void *a, const void *b)
{
    const struct fdinfo_entry *x = a, *y = b;
    return (x->fd > y->fd) - (x->fd < y->fd);
}

int fdinfo_parse(const char *text, struct fdinfo *out, struct sbuf *err)
{
    memset(out, 0, sizeof *out);
    size_t cap = 0, lineno = 0;
    for (const char *line = text; *line; lineno++) {
        size_t len = strcspn(line, "\n");
        if (strncmp(line, "tfd:", 4) == 0) {
            int fd, used = 0;
            unsigned events;
            unsigned long long data;
            char buf[256];
            snprintf(buf, sizeof buf, "%.*s", (int)len, line);
            if (sscanf(buf, "tfd: %d events: %x data: %llx%n", &fd, &events, &data, &used) != 3 ||
                fd < 0) {
                sbuf_printf(err, "fdinfo line %zu: expected 'tfd: N events: HEX data: HEX', found '%s'",
                            lineno + 1, buf);
                fdinfo_free(out);
                return -1;
            }
            if (out->n == cap) {
                cap = cap ? cap * 2 : 16;
                out->v = xrealloc(out->v, cap * sizeof *out->v);
            }
            out->v[out->n++] = (struct fdinfo_entry){fd, events, data};
        }
        line += len + (line[len] == '\n');
    }
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, by_fd);
    return 0;
}

int fdinfo_read(int epfd, struct fdinfo *out, struct sbuf *err)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", epfd);
    FILE *f = fopen(path, "re");
    if (!f) {
        sbuf_printf(err, "cannot read %s: %s", path, strerror(errno));
        memset(out, 0, sizeof *out);
        return -1;
    }
    struct sbuf text = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sbuf_addn(&text, buf, n);
    fclose(f);
    int rc = fdinfo_parse(sbuf_str(&text), out, err);
    sbuf_free(&text);
    return rc;
}

void fdinfo_free(struct fdinfo *fi)
{
    free(fi->v);
    fi->v = NULL;
    fi->n = 0;
}

void fdinfo_mask_words(uint32_t events, struct sbuf *out)
{
    static const struct {
        uint32_t bit;
        const char *word;
    } words[] = {
        {EPOLLIN, "IN"},       {EPOLLPRI, "PRI"},     {EPOLLOUT, "OUT"},
        {EPOLLRDHUP, "RDHUP"}, {EPOLLEXCLUSIVE, "EXCLUSIVE"},
        {EPOLLWAKEUP, "WAKEUP"}, {EPOLLET, "ET"},     {EPOLLONESHOT, "ONESHOT"},
    };
    uint32_t watched = events & ~(uint32_t)(EPOLLERR | EPOLLHUP | EPOLLONESHOT | EPOLLET |
                                            EPOLLEXCLUSIVE | EPOLLWAKEUP);
    if ((events & EPOLLONESHOT) && !watched) {
        sbuf_add(out, "disarmed (one-shot fired)");
        return;
    }
    bool first = true;
    for (size_t i = 0; i < ARRAY_LEN(words); i++) {
        if (!(events & words[i].bit))
            continue;
        sbuf_printf(out, "%s%s", first ? "" : " ", words[i].word);
        first = false;
    }
    if (first)
        sbuf_add(out, "-");
}
