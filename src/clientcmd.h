/*
 * clientcmd.h - the parsers and handlers of the commands that act through
 * the scenario clients (connect, send, shutdown, close, hold, release) and on the
 * server's connections (rearm, drain, drop), for the command table.
 * Parsers store what they read in line->arg (command.h); handlers read it.
 */
#ifndef EPOLLVIZ_CLIENTCMD_H
#define EPOLLVIZ_CLIENTCMD_H

#include "command.h"

int parse_connect(struct cmd_line *l, struct parse_error *err);
int exec_connect(struct engine *e, const struct cmd_line *l, struct sbuf *err);
int parse_send(struct cmd_line *l, struct parse_error *err);
int exec_send(struct engine *e, const struct cmd_line *l, struct sbuf *err);
/* NAME, a plain word (select asks the host for it as host.arg). */
int parse_client(struct cmd_line *l, struct parse_error *err);
int exec_shutdown(struct engine *e, const struct cmd_line *l, struct sbuf *err);
int exec_close(struct engine *e, const struct cmd_line *l, struct sbuf *err);
int exec_hold(struct engine *e, const struct cmd_line *l, struct sbuf *err);
int exec_release(struct engine *e, const struct cmd_line *l, struct sbuf *err);
int exec_rearm(struct engine *e, const struct cmd_line *l, struct sbuf *err);
int exec_drain(struct engine *e, const struct cmd_line *l, struct sbuf *err);
int exec_drop(struct engine *e, const struct cmd_line *l, struct sbuf *err);

#endif
