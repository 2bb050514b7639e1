/*
 * headless.h - the front end without a screen: a line per event on stdout.
 *
 * With a scenario it runs it to the end and returns 0 only if every
 * expect passed and nothing failed at run time (2 if the file is
 * malformed).  Without one it is the seed's server: it serves clients
 * until SIGINT/SIGTERM/SIGHUP and prints what each one sends, escaped.
 */
#ifndef EPOLLVIZ_HEADLESS_H
#define EPOLLVIZ_HEADLESS_H

#include "options.h"

/* Returns the process exit status. */
int headless_main(const struct options *o);

#endif
