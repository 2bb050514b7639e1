/*
 * startup.h - the startup file: settings in the command language, read
 * before the command line, as tmux reads tmux.conf.
 *
 * The file is $XDG_CONFIG_HOME/epollviz/epollvizrc (with XDG_CONFIG_HOME
 * unset or empty: ~/.config/epollviz/epollvizrc), or the one -f names
 * (-f /dev/null: none).  One setting a line, # comments, the words of the
 * command language (token.h):
 *
 *     mode et          any knob of the knob table (knob.h), as its command
 *     budget 16
 *     rate 8           the live clock's ticks per second (--rate)
 *     panes trace,code the panes (--panes)
 *
 * Only what makes sense before anything runs: no clients, no ticks, no
 * lessons.  The command line wins over the file: a setting it gave is
 * left alone.
 */
#ifndef EPOLLVIZ_STARTUP_H
#define EPOLLVIZ_STARTUP_H

#include "options.h"
#include "util.h"

/* The file to read into path: o->startup_file, or the default above.
 * False when there is none to read (-f /dev/null, no home). */
bool startup_path(const struct options *o, struct sbuf *path);

/* Reads path into o.  A default file that does not exist is no error; a
 * file named by -f must exist.  0, or -1 with one "file:line:col: error:
 * what" line per problem in err (nothing changed in o then). */
int startup_read(const char *path, struct options *o, struct sbuf *err);

#endif
