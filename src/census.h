/*
 * census.h - the open connections by what epoll will do with them, as the
 * connections list's title counts them: starved, reported every tick,
 * reported once more next tick, idle (and closed records).
 *
 * The server keeps the counts as it goes (server_census): a connection's
 * share is taken out and put back each time the server looks at it, so a
 * frame costs what is active, not one pass over 10,000 records.  A
 * connection's share (census_share) is what census_add counted for it.
 */
#ifndef EPOLLVIZ_CENSUS_H
#define EPOLLVIZ_CENSUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct conn;

struct census {
    size_t open, every_tick, next_tick, starved, idle, closed;
    /* Of those, on the write side: replies wait and no EPOLLOUT event can
     * come (counted in starved); LT reports a registered EPOLLOUT with
     * nothing to write (counted in every_tick). */
    size_t wstarved, busy;
};

/* One connection's place in the census (lt: the server's mode is LT). */
enum census_class { CENSUS_EVERY_TICK, CENSUS_NEXT_TICK, CENSUS_STARVED, CENSUS_IDLE, CENSUS_CLOSED };
enum census_class census_class(bool lt, const struct conn *k);
/* EPOLLOUT is registered on a socket with room: LT reports it every tick. */
bool census_writable_every_tick(const struct conn *k);
/* The LT busy loop: reported for EPOLLOUT with nothing to write. */
bool census_busy_looping(bool lt, const struct conn *k);

/* What a connection adds to the counts, packed to sit in its record. */
uint8_t census_share(bool lt, const struct conn *k);
/* Adds a share to c (sign +1) or takes it out (-1). */
void census_add(struct census *c, uint8_t share, int sign);

#endif
