/*
 * kernelview.h - the kernel view: the taught epoll instance as the kernel
 * holds it.
 *
 * Two columns, and the screen says which is which: the interest list,
 * read from /proc/self/fdinfo by the server (server_interest: each fd, its
 * name, its mask in words, "disarmed" when a one-shot fd fired), and
 * beside it what the next epoll_wait will do with each, derived by the
 * census rules (census.h) that the unit tests check against the kernel,
 * since the ready list itself is not shown by /proc.  Draws from what
 * the server sampled; calls no kernel.
 */
#ifndef EPOLLVIZ_KERNELVIEW_H
#define EPOLLVIZ_KERNELVIEW_H

#include "render.h"

/* Rows the view wants: its rule, the column heads and one per fd. */
int kernelview_rows(const struct screen *s);
/* Draws the view over the whole of g (a part of the screen). */
void kernelview_draw(const struct screen *s, struct grid *g);

#endif
