/*
 * knob.h - the server's knobs: notification mode, read budget, accept
 * policy.  Parsers return 0, or -1 when the text names no valid value.
 */
#ifndef EPOLLVIZ_KNOB_H
#define EPOLLVIZ_KNOB_H

#include <stdbool.h>
#include <stddef.h>

enum server_mode { MODE_LT, MODE_ET, MODE_ONESHOT };
enum accept_policy { ACCEPT_ONE, ACCEPT_ALL };

#define BUDGET_DRAIN 0          /* read until EAGAIN */
#define DRAIN_CAP (1024 * 1024) /* one drain stops here so a flood cannot hold the loop */

const char *mode_name(enum server_mode m);
int mode_parse(const char *s, enum server_mode *m);
const char *accept_name(enum accept_policy a);
int accept_parse(const char *s, enum accept_policy *a);
/* "on" or "off" */
int onoff_parse(const char *s, bool *on);
/* "drain" or a byte count 1..DRAIN_CAP */
int budget_parse(const char *s, size_t *budget);

#endif
