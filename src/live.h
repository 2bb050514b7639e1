/*
 * live.h - the clock and the sampler of a live server, for both front
 * ends (the TUI and headless free play).
 *
 * In a host loop it keeps: a timer at the engine's rate, or, when the
 * clock runs "on events", a watch on each server's epoll fd (one tick of
 * every side per loop turn, however many of them were ready); and a
 * sampler that looks at the kernel while nothing ticks (bytes arriving at
 * a paused server fill the bars), less often with many busy sockets.
 *
 * Call order, once per loop turn: live_sync (follows the engine's clock
 * and a replaced engine), hostloop_turn, live_after_turn (runs the tick
 * that the clock or the servers' events asked for: never inside the turn,
 * so a front end can show what the turn's other handlers did, a key,
 * before a tick that may take milliseconds); live_take_changed says
 * whether the screen may have changed since the last call.
 */
#ifndef EPOLLVIZ_LIVE_H
#define EPOLLVIZ_LIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"
#include "hostloop.h"

#define LIVE_SAMPLE_NS 250000000u /* data arriving while paused shows within 1/4 s */
#define LIVE_SAMPLE_SOCKETS 200   /* busy sockets sampled each period before it slows down */
#define LIVE_SAMPLE_SLOWEST 8     /* at most 8 periods (2 s) between samples */
/* The terminal UI's safety cap on one drain (DRAIN_CAP elsewhere), and
 * its bound on the drains of one tick together, shared evenly by the
 * connections the tick reported (server_config.tick_cap): under 100
 * flooding clients each reads 40 KiB a tick, a tick copies 4 MiB rather
 * than 25, and a key waits for at most one such tick, a few ms. */
#define LIVE_DRAIN_CAP (256 * 1024)
#define LIVE_TICK_CAP (4 * 1024 * 1024)

struct live;

/* `current` returns the engine of the moment: a key handled earlier in
 * the same loop turn may have replaced it.  NULL if a timer cannot be
 * made.  The loop must outlive it. */
struct live *live_new(struct hostloop *loop, struct engine *(*current)(void *ctx), void *ctx);
void live_free(struct live *l);

/* Follows the current engine's clock.  `generation` changes whenever the
 * engine is replaced (its servers' fds are then forgotten before they are
 * reused); `hold` skips clock ticks (a long `tick N` is already ticking). */
void live_sync(struct live *l, unsigned generation, bool hold);
/* Runs the one tick the clock or the servers' events asked for during
 * the turn, if any. */
void live_after_turn(struct live *l);
/* True once after anything ran that may change the screen. */
bool live_take_changed(struct live *l);

#endif
