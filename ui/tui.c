/*
 * tui.c - the live front end.
 *
 * One host epoll loop (hostloop.c, never the taught instance) watches the
 * terminal, the clock and frame timers, a signalfd and, when the clock
 * runs "on events", the taught server's epoll fd.  Handlers change state;
 * the screen is drawn once per loop turn, at most FRAME_HZ times a second.
 * Idle, with the clock paused, the process wakes only for the sampler.
 */
#include "tui.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <poll.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "crash.h"
#include "handout.h"
#include "hostloop.h"
#include "keymap.h"
#include "live.h"
#include "paint.h"
#include "presenter.h"
#include "prompt.h"

#define FRAME_HZ 30

#ifndef SCENARIO_DIR
#define SCENARIO_DIR "/usr/local/share/epollviz/scenarios"
#endif

struct tui {
    struct presenter *p;
    struct hostloop *loop;
    struct live *live;
    struct grid grid;
    int frame; /* timer fd */
    bool dirty, frame_pending;
    bool keyed; /* a key came in this turn: drawn before its tick, without waiting for the cap */
    struct timespec last_frame;
    int play;                  /* --play: the autoplay timer's fd, or -1 */
    struct timespec last_play; /* when it last told the presenter */
    bool pasting; /* inside a bracketed paste (or what a Ctrl-C left of one) */
    /* Why it stopped running lines, if it did; and whether any text came
     * after that (only then is something "not run"). */
    enum { PASTE_RUNS, PASTE_ASKED, PASTE_FAILED, PASTE_FOUND_QUESTION, PASTE_CUT } paste_stop;
    bool paste_dropped;
    int paste_tail;             /* after a lone Esc: 1 + how much of "[201~" followed */
    struct timespec last_paste; /* its last byte */
};

static bool curses_on;
static SCREEN *screen;

/* Bracketed paste (xterm's mode 2004, which tmux follows; a terminal
 * without it ignores the request, as unknown private modes are): a paste comes
 * between ESC [ 200 ~ and ESC [ 201 ~, so its lines go to the prompt
 * however many reads it takes, and never act as keys. */
#define PASTE_ON "\033[?2004h"
#define PASTE_OFF "\033[?2004l"
enum { KEY_PASTE_BEGIN = KEY_MAX + 1, KEY_PASTE_END };
/* A paste whose end marker never came (cut off in transit) ends after
 * this long without a byte, so the keys work again. */
#define PASTE_IDLE_NS 500000000u

/* Straight to the terminal: through putp the sequence came out only at
 * exit, after endwin's own bytes (tried with ncurses 6.4). */
static void paste_mode(const char *seq)
{
    fflush(stdout);
    ssize_t r = write(STDOUT_FILENO, seq, strlen(seq));
    (void)r; /* a terminal that is gone needs no mode */
}

static void end_curses(void)
{
    if (curses_on) {
        curses_on = false;
        endwin();
        paste_mode(PASTE_OFF);
        crash_disarm(); /* endwin gave the terminal back */
    }
}

static uint64_t ns_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)(now.tv_sec - t->tv_sec) * 1000000000u + (uint64_t)now.tv_nsec -
           (uint64_t)t->tv_nsec;
}

static void draw(struct tui *t)
{
    presenter_render(t->p, &t->grid);
    paint_grid(&t->grid);
    int cx, cy;
    presenter_prompt_cursor(t->p, &cx, &cy);
    if (cx >= 0) { /* the typing cursor, where readline's point is */
        move(cy, cx);
        curs_set(1);
    } else {
        curs_set(0);
    }
    wnoutrefresh(stdscr);
    doupdate();
    clock_gettime(CLOCK_MONOTONIC, &t->last_frame);
    t->dirty = false;
}

/* Takes the terminal's size from the kernel (the signalfd took SIGWINCH
 * from ncurses' own handler) and lays the screen out again. */
static void resize(struct tui *t)
{
    struct winsize ws;
    /* resizeterm() queues a KEY_RESIZE even when nothing changed, and
     * on_tty answers KEY_RESIZE by coming here: only a real change may
     * call it, or the two feed each other for ever. */
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col) {
        /* A terminal claiming 40000x40000 would cost gigabytes of cells. */
        int rows = ws.ws_row > SCREEN_MAX_H ? SCREEN_MAX_H : ws.ws_row;
        int cols = ws.ws_col > SCREEN_MAX_W ? SCREEN_MAX_W : ws.ws_col;
        if (is_term_resized(rows, cols))
            resizeterm(rows, cols);
    }
    presenter_resize(t->p, COLS, LINES);
    clearok(curscr, TRUE);
    t->dirty = true;
}

static int translate(int ch)
{
    switch (ch) {
    case KEY_UP:
        return KEY_CODE_UP;
    case KEY_DOWN:
        return KEY_CODE_DOWN;
    case KEY_PPAGE:
        return KEY_CODE_PGUP;
    case KEY_NPAGE:
        return KEY_CODE_PGDN;
    case KEY_HOME:
        return KEY_CODE_HOME;
    case KEY_END:
        return KEY_CODE_END;
    case KEY_ENTER:
    case '\r':
        return KEY_CODE_ENTER;
    default:
        return ch;
    }
}

/* The end of a paste: if it stopped early, say what it did not run. */
static void end_paste(struct tui *t)
{
    static const char *const why[] = {
        [PASTE_ASKED] = "the lines pasted after it were not run: answer y or n first",
        [PASTE_FOUND_QUESTION] = "the paste was not run: answer y or n first",
        [PASTE_CUT] = "a Ctrl-C in the paste: the rest of it was not run",
    };
    if (t->paste_dropped && t->paste_stop == PASTE_FAILED)
        /* The message line is under the prompt then: said there. */
        presenter_prompt_note(t->p, "the lines pasted after it were not run");
    else if (t->paste_dropped && t->paste_stop != PASTE_RUNS)
        presenter_message(t->p, true, "%s", why[t->paste_stop]);
    t->pasting = t->paste_dropped = false;
    t->paste_stop = PASTE_RUNS;
    t->paste_tail = 0;
    t->dirty = true;
}

/* A paste with no byte for half a second: its end marker was lost. */
static void end_stale_paste(struct tui *t)
{
    if (t->pasting && ns_since(&t->last_paste) > PASTE_IDLE_NS)
        end_paste(t);
}

static void start_paste(struct tui *t, int stop)
{
    if (t->pasting)
        end_paste(t); /* one whose end marker never came */
    t->pasting = true;
    t->paste_stop = stop;
    clock_gettime(CLOCK_MONOTONIC, &t->last_paste);
}

/* Quitting: what is left of a paste must not reach the shell, which would
 * run it.  The rest of a paste still coming (up to its end marker, or a
 * second of quiet: a slow link's pause costs only the exit's speed; 3 s
 * at most, and not a moment once the terminal is gone), what ncurses
 * holds, then the terminal's queue. */
static void drop_typeahead(struct tui *t)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (t->pasting && ns_since(&start) < 3000000000u) {
        int ch;
        while ((ch = getch()) != ERR && ch != KEY_PASTE_END)
            clock_gettime(CLOCK_MONOTONIC, &t->last_paste);
        if (ch == KEY_PASTE_END || ns_since(&t->last_paste) > 2 * PASTE_IDLE_NS)
            break;
        struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
        if (poll(&pfd, 1, 50) < 0 || (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)))
            break; /* the terminal is gone */
    }
    while (getch() != ERR)
        ;
    tcflush(STDIN_FILENO, TCIFLUSH);
}

/* One character of a paste's text for the prompt, opened for it if need
 * be.  CR or LF ends a line (an empty one runs nothing); a tab is a space;
 * other control bytes and keys are not text.  The paste stops at a line
 * that asks y/n (the rest was meant for after the answer, and no key of it
 * may answer) or fails (its error stays under the prompt).  True if the
 * program is to quit. */
static bool paste_text(struct tui *t, int ch)
{
    if (ch == '\n')
        ch = '\r';
    else if (ch == '\t')
        ch = ' ';
    else if (ch != '\r' && (ch < 0x20 || ch == 0x7f || ch > 0xff))
        return false;
    if (t->paste_stop != PASTE_RUNS) {
        t->paste_dropped |= ch != '\r';
        return false;
    }
    if (!presenter_prompt_active(t->p)) {
        if (ch == '\r')
            return false; /* an empty line: nothing to run */
        if (presenter_asking(t->p)) {
            t->paste_stop = PASTE_ASKED;
            t->paste_dropped = true;
            return false;
        }
        presenter_prompt_open(t->p);
    }
    prompt_key(ch, getch);
    t->dirty = true;
    if (presenter_quitting(t->p)) {
        drop_typeahead(t);
        hostloop_stop(t->loop);
        return true;
    }
    if (ch == '\r' && presenter_prompt_failed(t->p))
        t->paste_stop = PASTE_FAILED;
    return false;
}

/* One key inside a paste.  A lone Esc is dropped (handed to readline it
 * would cancel, or take the next key as Meta-key); and when what follows
 * it is the rest of the end marker (ncurses waits only 25 ms for the rest
 * of a key, so a marker cut after its Esc comes as text), the paste ends
 * there.  True if the program is to quit. */
static bool pasted_key(struct tui *t, int ch)
{
    static const char tail[] = "[201~";
    if (ch == KEY_CODE_ESC) {
        t->paste_tail = 1;
        return false;
    }
    if (t->paste_tail) {
        int matched = t->paste_tail - 1;
        if (ch == tail[matched]) {
            if (++t->paste_tail == (int)sizeof tail)
                end_paste(t);
            return false;
        }
        t->paste_tail = 0;
        for (int i = 0; i < matched; i++)
            if (paste_text(t, tail[i]))
                return true;
    }
    return paste_text(t, ch);
}

/* Bytes already waiting on the terminal. */
static bool input_waiting(void)
{
    struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
    return poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN);
}

static void on_tty(void *ctx, int fd, uint32_t events)
{
    struct tui *t = ctx;
    int ch;
    (void)fd;
    if (events & (EPOLLHUP | EPOLLERR)) {
        /* The terminal went away: nobody is left to show anything to. */
        hostloop_stop(t->loop);
        return;
    }
    /* ncurses reads ahead into its own buffer, which epoll cannot see:
     * drain it until ERR on every wake. */
    bool prompted = false;
    t->keyed = true;
    end_stale_paste(t);
    while ((ch = getch()) != ERR) {
        if (ch == KEY_PASTE_BEGIN) {
            start_paste(t, presenter_asking(t->p) ? PASTE_FOUND_QUESTION : PASTE_RUNS);
            continue;
        }
        if (ch == KEY_PASTE_END) {
            end_paste(t);
            continue;
        }
        if (ch == KEY_RESIZE) {
            resize(t);
            continue;
        }
        if (ch == KEY_CTRL('L')) { /* repaint everything */
            clearok(curscr, TRUE);
            t->dirty = true;
            continue;
        }
        if (t->pasting) {
            clock_gettime(CLOCK_MONOTONIC, &t->last_paste);
            if (pasted_key(t, ch))
                return;
            continue;
        }
        if (prompted && !presenter_prompt_active(t->p) && presenter_asking(t->p)) {
            /* A pasted line asked y/n first: the lines after it were
             * meant for after it, so none runs now, and none is taken
             * for the answer. */
            while (getch() != ERR)
                ;
            t->paste_stop = PASTE_ASKED;
            t->paste_dropped = true;
            end_paste(t); /* says so, as for a bracketed paste */
            break;
        }
        if (prompted && !presenter_prompt_active(t->p) && ch != KEY_CODE_ESC &&
            ch != KEY_CTRL('G')) {
            /* A paste of several lines: the rest of this read is more
             * lines for the prompt, never hotkeys. */
            presenter_prompt_open(t->p);
        }
        if (presenter_prompt_active(t->p)) {
            /* The prompt takes every key until Enter, Esc or Ctrl-G. */
            prompted = true;
            prompt_key(ch, getch);
            t->dirty = true;
            if (presenter_quitting(t->p)) {
                drop_typeahead(t); /* a paste's next lines, if any */
                hostloop_stop(t->loop);
                return;
            }
            continue;
        }
        presenter_key(t->p, translate(ch));
        prompt_sync(); /* `:` opened it */
        t->dirty = true;
        if (presenter_quitting(t->p)) {
            hostloop_stop(t->loop);
            return;
        }
    }
}

static void on_frame(void *ctx, int fd, uint32_t expirations)
{
    struct tui *t = ctx;
    (void)fd, (void)expirations;
    hostloop_timer_set(t->loop, t->frame, 0);
    t->frame_pending = false;
}

/* --play: a few times a second the presenter hears how much time passed
 * (measured, not counted in expirations: a long slice may delay a turn);
 * it takes the step when the period is over and says the seconds left. */
#define PLAY_HZ 4

static void on_play(void *ctx, int fd, uint32_t expirations)
{
    struct tui *t = ctx;
    (void)fd, (void)expirations;
    uint64_t ns = ns_since(&t->last_play);
    clock_gettime(CLOCK_MONOTONIC, &t->last_play);
    if (presenter_play(t->p, ns))
        t->dirty = true;
    if (presenter_quitting(t->p))
        hostloop_stop(t->loop);
}

/* Never runs: SIGTSTP stays blocked and is read from the signalfd.  Its
 * only job is to be a disposition other than SIG_DFL when newterm() looks,
 * so that ncurses leaves SIGTSTP alone for good.  Otherwise ncurses sets
 * it to SIG_IGN around every doupdate(), and setting SIG_IGN discards a
 * pending signal: a Ctrl-Z pressed during a redraw was lost. */
static void tstp_placeholder(int signo)
{
    (void)signo;
}

static void own_tstp(void)
{
    struct sigaction sa = {.sa_handler = tstp_placeholder};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTSTP, &sa, NULL);
}

static void suspend(struct tui *t)
{
    /* Stop the way the terminal would: SIGTSTP with its default action,
     * which the kernel ignores when no shell could resume us (an orphaned
     * process group: tmux new 'epollviz', ssh -t, a launcher).  SIGSTOP
     * would stop such a demo for good. */
    sigset_t tstp;
    sigemptyset(&tstp);
    sigaddset(&tstp, SIGTSTP);
    end_curses();
    fflush(stdout);
    signal(SIGTSTP, SIG_DFL);
    sigprocmask(SIG_UNBLOCK, &tstp, NULL);
    raise(SIGTSTP); /* we continue here on SIGCONT, or at once */
    sigprocmask(SIG_BLOCK, &tstp, NULL);
    own_tstp();
    curses_on = true;
    reset_prog_mode();
    paste_mode(PASTE_ON);
    crash_arm();
    resize(t);
}

static void on_signal(void *ctx, int fd, uint32_t signo)
{
    struct tui *t = ctx;
    (void)fd;
    switch (signo) {
    case SIGWINCH:
        resize(t);
        break;
    case SIGTSTP:
        suspend(t);
        break;
    case SIGCONT:
        resize(t);
        break;
    case SIGINT: {
        /* Ctrl-C.  A paste going on (a byte of it in the last half
         * second) ends: the rest of it is dropped, never keys.  Else it
         * drops the prompt's line, or quits, as always.  A Ctrl-C byte
         * inside a paste comes the same way: the terminal driver made it
         * the signal and dropped what came before it, begin marker too,
         * so what follows is dropped as well (from the prompt it would
         * be keys, after the exit the shell's). */
        end_stale_paste(t);
        bool pasting = t->pasting;
        if (presenter_prompt_active(t->p)) {
            prompt_cancel();
            t->dirty = true;
        } else if (!pasting) {
            hostloop_stop(t->loop);
            drop_typeahead(t);
            break;
        }
        if (pasting || input_waiting()) {
            start_paste(t, PASTE_CUT);
            t->paste_dropped = true;
        }
        break;
    }
    default: /* SIGTERM, SIGHUP, SIGQUIT: leave cleanly, as asked (headless does the same) */
        hostloop_stop(t->loop);
        break;
    }
}

static struct engine *current_engine(void *presenter)
{
    return presenter_engine(presenter);
}

static void fatal_restore(void)
{
    end_curses();
}

static void start_curses(bool mono)
{
    /* ESC alone closes menus; wait only briefly for the rest of a key. */
    set_escdelay(25);
    crash_save(STDOUT_FILENO); /* the settings the shell handed over */
    if (!(screen = newterm(NULL, stdout, stdin)))
        fatal("cannot set up the terminal (TERM=%s)", getenv("TERM") ? getenv("TERM") : "");
    curses_on = true;
    fatal_set_hook(fatal_restore);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    /* tmux and screen send Home and End as the VT220 does, which xterm's
     * terminfo entry does not list: without these they arrive as ESC [ 1 ~. */
    define_key("\033[1~", KEY_HOME);
    define_key("\033[4~", KEY_END);
    define_key("\033[200~", KEY_PASTE_BEGIN);
    define_key("\033[201~", KEY_PASTE_END);
    paste_mode(PASTE_ON);
    nodelay(stdscr, TRUE);
    curs_set(0);
    /* Ctrl-S must not freeze the demo: with flow control on, it stops the
     * terminal's output and the next frame blocks the whole loop in write(). */
    struct termios tio;
    if (tcgetattr(STDIN_FILENO, &tio) == 0) {
        tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
        tcsetattr(STDIN_FILENO, TCSANOW, &tio);
        def_prog_mode(); /* and ncurses keeps it so after a suspend */
    }
    const char *nc = getenv("NO_COLOR");
    paint_init(mono || (nc && *nc));
    crash_arm();
}

static bool utf8_locale(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* The menu looks in ./scenarios, beside the binary, in the share directory
 * next to it (an install under any PREFIX), then where it was built to go. */
#define DIR_MAX 4096

static void scenario_dirs(const char *dirs[5], char beside[DIR_MAX], char shared[DIR_MAX + 64])
{
    size_t n = 0;
    dirs[n++] = "scenarios";
    /* Worked out in our own array, then copied: GCC under the sanitizers
     * cannot see that the parameters are never null and says so. */
    char exe[DIR_MAX];
    ssize_t r = readlink("/proc/self/exe", exe, DIR_MAX - 16);
    char *slash = NULL;
    if (r > 0) {
        exe[r] = '\0';
        slash = strrchr(exe, '/');
    }
    if (slash) {
        *slash = '\0';
        snprintf(shared, DIR_MAX + 64, "%.*s/../share/epollviz/scenarios", DIR_MAX, exe);
        snprintf(beside, DIR_MAX, "%.*s/scenarios", DIR_MAX - 16, exe);
        dirs[n++] = beside;
        dirs[n++] = shared;
    }
    dirs[n++] = SCENARIO_DIR;
    dirs[n] = NULL;
}

int tui_handout_all(const struct options *o)
{
    const char *dirs[5];
    static char beside[DIR_MAX], shared[DIR_MAX + 64];
    scenario_dirs(dirs, beside, shared);
    return handout_all(o, dirs);
}

static struct presenter *make_presenter(const struct options *o, bool ascii, unsigned rate)
{
    struct presenter_config cfg;
    struct sbuf err = {0};
    static const char *dirs[5];
    static char beside[DIR_MAX], shared[DIR_MAX + 64];
    scenario_dirs(dirs, beside, shared);
    presenter_config_from(&cfg, o);
    cfg.server.drain_cap = LIVE_DRAIN_CAP;
    cfg.server.tick_cap = LIVE_TICK_CAP;
    cfg.rate = rate;
    cfg.ascii = ascii;
    cfg.dirs = dirs;
    struct presenter *p = presenter_new(&cfg, &err);
    if (!p) {
        const char *msg = sbuf_str(&err);
        if (o->scenario)
            fprintf(stderr, "%s\n", msg);
        else
            fprintf(stderr, "epollviz: %s\n", msg);
    }
    sbuf_free(&err);
    return p;
}

int tui_main(const struct options *o)
{
    struct tui t = {0};
    sigset_t set;

    setlocale(LC_ALL, "");
    bool ascii = o->ascii || !utf8_locale();
    t.p = make_presenter(o, ascii, o->rate ? o->rate : ENGINE_RATE_DEFAULT);
    if (!t.p)
        return o->scenario ? 2 : 1;

    /* Blocked before ncurses starts, so its own handlers never run: every
     * signal arrives through the signalfd, in the loop. */
    sigemptyset(&set);
    sigaddset(&set, SIGWINCH);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTSTP);
    sigaddset(&set, SIGCONT);
    sigaddset(&set, SIGQUIT); /* Ctrl-\: leave cleanly, not with a core and a raw terminal */
    t.loop = hostloop_new();
    if (hostloop_signals(t.loop, &set, on_signal, &t) < 0)
        fatal("cannot set up signal handling");
    own_tstp(); /* before newterm(), see tstp_placeholder */

    prompt_init(t.p);
    start_curses(o->mono);
    presenter_resize(t.p, COLS, LINES);
    grid_init(&t.grid, COLS, LINES);
    if (hostloop_add(t.loop, STDIN_FILENO, EPOLLIN, on_tty, &t) < 0 ||
        (t.frame = hostloop_timer_new(t.loop, on_frame, &t)) < 0 ||
        !(t.live = live_new(t.loop, current_engine, t.p)))
        fatal("cannot set up the host loop");
    t.play = -1;
    if (presenter_playing(t.p)) {
        if ((t.play = hostloop_timer_new(t.loop, on_play, &t)) < 0 ||
            hostloop_timer_set(t.loop, t.play, 1000000000u / PLAY_HZ) < 0)
            fatal("cannot set up the autoplay timer");
        clock_gettime(CLOCK_MONOTONIC, &t.last_play);
        presenter_play(t.p, 0); /* the rule says it plays from the first frame */
    }

    draw(&t);
    while (!hostloop_stopped(t.loop)) {
        /* Long work goes on in slices, with keys and signals read between
         * them: a turn that does not wait, then one slice.  The clock
         * waits while it runs. */
        bool busy = presenter_busy(t.p);
        live_sync(t.live, presenter_generation(t.p), busy);
        hostloop_turn(t.loop, busy ? 0 : -1);
        /* A key is shown at once, before the tick this turn may run (a
         * flood's tick takes milliseconds) and without waiting for the
         * frame cap, which is for what the server does: a person types
         * far slower than it. */
        if (t.keyed && !hostloop_stopped(t.loop) && !presenter_quitting(t.p)) {
            t.keyed = false;
            draw(&t);
        }
        if (busy && !hostloop_stopped(t.loop) && !presenter_quitting(t.p)) {
            presenter_work(t.p);
            t.dirty = true;
        }
        live_after_turn(t.live);
        if (live_take_changed(t.live))
            t.dirty = true;
        if (presenter_quitting(t.p))
            break;
        if (!t.dirty)
            continue;
        /* At most FRAME_HZ frames a second (a flood redraws every tick);
         * the frame timer brings the loop back for the one that waits. */
        uint64_t since = ns_since(&t.last_frame), min = 1000000000u / FRAME_HZ;
        if (since >= min) {
            draw(&t);
        } else if (!t.frame_pending) {
            hostloop_timer_set(t.loop, t.frame, min - since);
            t.frame_pending = true;
        }
    }
    prompt_shutdown();
    end_curses();
    crash_release();
    fatal_set_hook(NULL);
    const struct server_stats *st = server_stats(engine_server(presenter_engine(t.p)));
    printf("epollviz: %llu epoll_wait call%s, %llu event%s, %llu read%s (%llu EAGAIN)\n",
           (unsigned long long)st->tick, st->tick == 1 ? "" : "s", (unsigned long long)st->events,
           st->events == 1 ? "" : "s", (unsigned long long)st->reads, st->reads == 1 ? "" : "s",
           (unsigned long long)st->eagain_reads);
    grid_free(&t.grid);
    live_free(t.live);
    hostloop_free(t.loop);
    presenter_free(t.p);
    delscreen(screen);
    return 0; /* q and every signal that ends it are a clean stop */
}
