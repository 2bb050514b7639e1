/*
 * crash.h - the terminal given back when a signal ends the process.
 *
 * The host loop reads SIGINT, SIGTERM, SIGHUP and SIGQUIT from a signalfd
 * and ends curses itself.  Every other signal whose default action ends
 * the process (SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL, ... SIGUSR1)
 * would leave the terminal raw, without echo, its cursor hidden and in
 * the alternate screen.  No ncurses call is safe in a signal handler, so
 * what undoes it is prepared beforehand: the terminal's settings as they
 * were, and the terminfo strings that leave the alternate screen, show
 * the cursor and end keypad mode and attributes.  The handler only
 * writes those bytes and calls tcsetattr (both async-signal-safe), then
 * hands the signal on with its siginfo: to the handler that was there
 * before (a sanitizer's report), or to the default action, re-raised, so
 * the exit status and the core dump are the signal's own.
 *
 * Call order: crash_save(fd) before the terminal is changed (before
 * newterm); crash_arm() once curses has set the terminal up (it installs
 * the handlers the first time); crash_disarm() while curses is not on
 * (ending, suspended); crash_release() at the end, which puts the earlier
 * dispositions back.  One terminal per process: the state is static, the
 * only place a signal handler can reach.
 */
#ifndef EPOLLVIZ_CRASH_H
#define EPOLLVIZ_CRASH_H

void crash_save(int fd);
void crash_arm(void);
void crash_disarm(void);
void crash_release(void);

#endif
