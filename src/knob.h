/*
 * knob.h - the server's knobs: one struct with a field per knob, and one
 * table with a row per knob that every reader takes its facts from.
 *
 * A row says how the knob is named (the command, the --option and the
 * header word are its name), which values it takes (words, numbers or
 * both) and how they are written, its usage and help, what Tab offers,
 * the key that steps it along a ladder of values, whether a comparison
 * keeps it per side, and when the header shows it.  The command table,
 * getopt, completion, help, the keys, the header lines, free play's
 * carry-over and `--knobs` all read these rows; what a knob does is the
 * server's (server_set_knob).
 *
 * Every value is a size_t: a value that has a word is written as that word
 * (mode lt = MODE_LT, budget drain = BUDGET_DRAIN, autorearm on = 1),
 * any other as a number, when the knob takes numbers.  Adding a knob: a field in
 * struct knobs, an id, a row in knob.c, its meaning in server_set_knob,
 * its tests (docs/DECISIONS.md says more).
 */
#ifndef EPOLLVIZ_KNOB_H
#define EPOLLVIZ_KNOB_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

enum server_mode { MODE_LT, MODE_ET, MODE_ONESHOT };
/* ACCEPT_SINGLE is the seed's design: one accept() in the server's life,
 * then the listener leaves the epoll set and later clients wait in the
 * accept queue for good. */
enum accept_policy { ACCEPT_ONE, ACCEPT_ALL, ACCEPT_SINGLE };
/* The twin set's readers (twin on) read the socket as non-blocking, or as
 * the seed's blocking fd (Go's File().Fd() leaves it blocking), where a
 * read with nothing to return sleeps inside read(). */
enum twin_mode { TWIN_OFF, TWIN_ON, TWIN_BLOCKING };
/* When a wakeup's reads stop (besides the budget, the end of stream or an
 * error): at EAGAIN; at a read that returns less than it asked for, which
 * on a stream socket proves the buffer was empty at that moment
 * (epoll(7)); or after one read. */
enum read_strategy { STRATEGY_EAGAIN, STRATEGY_SHORT, STRATEGY_ONCE };
/* What the server answers: nothing (it only reads), or the bytes it read. */
enum reply_policy { REPLY_NONE, REPLY_ECHO };
/* When EPOLLOUT is in a connection's interest set: only while its
 * application buffer holds bytes to write, or always (the LT busy loop). */
enum out_strategy { OUT_NEEDED, OUT_ALWAYS };

#define BUDGET_DRAIN 0          /* read until EAGAIN */
#define DRAIN_CAP (1024 * 1024) /* one drain stops here so a flood cannot hold the loop */
#define WBUDGET_DRAIN 0         /* write until the buffer is empty or EAGAIN */
#define REPLY_BUFFER_DEFAULT (1024 * 1024)
#define REPLY_BUFFER_MAX (64 * 1024 * 1024)

/* The server's knobs as they are now (server_knobs) or as it starts. */
struct knobs {
    enum server_mode mode;     /* the notification model */
    size_t budget;             /* bytes read per wakeup, or BUDGET_DRAIN */
    enum read_strategy reader; /* what ends a wakeup's reads before the budget */
    enum accept_policy accept; /* accept() once per wakeup, or until EAGAIN */
    bool autorearm;            /* one-shot: EPOLL_CTL_MOD after each handling */
    bool eof_ignore;           /* the bug: a read of 0 leaves the fd registered */
    size_t rcvbuf;             /* SO_RCVBUF of accepted sockets; 0 = the kernel's
                                  own, autotuned (the kernel doubles a set value) */
    enum twin_mode twin;       /* a second epoll set in the other mode reads too */
    enum reply_policy reply;   /* echo: write back what was read */
    enum out_strategy out;     /* when EPOLLOUT is registered */
    size_t wbudget;            /* bytes written per wakeup, or WBUDGET_DRAIN */
    size_t reply_buffer;       /* bytes a connection's application buffer may hold;
                                  at the bound the server stops reading it */
};

enum knob_id {
    KNOB_MODE,
    KNOB_BUDGET,
    KNOB_READER,
    KNOB_ACCEPT,
    KNOB_AUTOREARM,
    KNOB_EOF,
    KNOB_RCVBUF,
    KNOB_TWIN,
    KNOB_REPLY,
    KNOB_OUT,
    KNOB_WBUDGET,
    KNOB_REPLY_BUFFER,
    KNOB_COUNT
};

/* When a header line shows a knob. */
enum knob_shown {
    SHOWN_NEVER,
    SHOWN_ALWAYS,
    SHOWN_ONESHOT, /* only while the mode is one-shot, where it matters */
    SHOWN_CHANGED, /* only while it is not the default */
    SHOWN_ECHO,    /* only while the server writes (reply echo), where it matters */
};

struct knob_word {
    const char *word;
    size_t value;
};

struct knob {
    enum knob_id id;
    const char *name;         /* the command, the long option, the header's word */
    char short_opt;           /* -m, or 0 */
    size_t offset;            /* its field in struct knobs ... */
    size_t size;              /* ... and the field's size (an enum, a bool, a size_t) */
    size_t defval;            /* the value a server starts with */
    const struct knob_word *words; /* the values that have a name, in the order
                                      usage and errors list them; ends with {NULL} */
    const char *number;       /* "a byte count": numbers min..max are values too; or NULL */
    const char *metavar;      /* the number in a usage: "BYTES" */
    size_t min, max;
    const char *unit;         /* written after a number on screen ("B"), or NULL */
    const char *help;         /* one line: what it does */
    /* The values a key steps through, in order, and the keys: key_up to
     * the next, key_down (0 if none) to the previous.  A ladder that
     * wraps is a toggle: after the last comes the first again; one that
     * does not stops at its ends. */
    const size_t *ladder;
    size_t nladder;
    bool wraps;
    int key_up, key_down;
    const char *key_help;      /* what key_up does, for the key help */
    const char *key_help_down; /* what key_down does */
    bool status;               /* the status line shows its key(s) */
    bool per_side;             /* side by side, each side keeps its own */
    enum knob_shown shown;     /* in the header lines */
};

/* Where a knob's value came from: `show knobs` and --knobs say it beside
 * the value.  Whoever sets a knob says who asked: the command line and
 * the startup file at start, then each command line run (a scenario's
 * with its file:line, the prompt's, a key's with its key). */
enum knob_from {
    FROM_DEFAULT,      /* the row's default */
    FROM_FILE,         /* the startup file, at file:line */
    FROM_COMMAND_LINE, /* an option (--mode), or --compare for the modes */
    FROM_LESSON,       /* what every lesson starts with (scenario_server_config) */
    FROM_SCENARIO,     /* a scenario's line, at file:line */
    FROM_PROMPT,       /* a line typed at the prompt (or `compare` there, for the modes) */
    FROM_KEY,          /* a key: key */
};
#define KNOB_ORIGIN_FILE 160 /* bytes of a file name kept; a longer one is cut */
struct knob_origin {
    enum knob_from from;
    unsigned line;               /* FROM_FILE, FROM_SCENARIO */
    int key;                     /* FROM_KEY */
    char file[KNOB_ORIGIN_FILE]; /* FROM_FILE, FROM_SCENARIO */
};
/* An origin; `file` (may be NULL) is copied, cut to fit. */
struct knob_origin knob_origin(enum knob_from from, const char *file, unsigned line, int key);
/* Appends it in words: "default", "startup file F:3", "command line",
 * "lesson start", "scenario F:7", "prompt", "key b". */
void knob_origin_format(const struct knob_origin *o, struct sbuf *out);

/* The table, in the order of help, the header and --commands. */
const struct knob *knob_at(size_t i); /* NULL past the last */
const struct knob *knob_by_id(enum knob_id id);
const struct knob *knob_by_name(const char *name); /* exact name, or NULL */
/* The knob whose ladder key_up or key_down is `key`, or NULL; *up says which. */
const struct knob *knob_by_key(int key, bool *up);

/* The defaults: every row's defval. */
void knobs_defaults(struct knobs *k);
size_t knob_get(const struct knob *k, const struct knobs *from);
void knob_set(const struct knob *k, struct knobs *to, size_t v);

/* 0 and *v, or -1 when `text` names no value of the knob. */
int knob_parse(const struct knob *k, const char *text, size_t *v);
/* Whether v is a value the knob can be set to (what knob_parse may give). */
bool knob_valid(const struct knob *k, size_t v);
/* Appends the value as knob_parse reads it ("drain", "16"); with_unit
 * adds the unit after a number ("16 B"), for the screen. */
void knob_format(const struct knob *k, size_t v, bool with_unit, struct sbuf *out);
/* "lt|et|oneshot", "BYTES|drain": the values in a usage line. */
void knob_usage(const struct knob *k, struct sbuf *out);
/* What the values are, for errors: "lt, et or oneshot", "a byte count from
 * 1 to 1048576 or 'drain'"; `brief` leaves out the range ("a byte count or
 * 'drain'"). */
void knob_expected(const struct knob *k, bool brief, struct sbuf *out);
/* What Tab offers: each word, and the ladder's numbers, to `add`. */
void knob_completions(const struct knob *k, void (*add)(void *ctx, const char *word), void *ctx);

/* The next value along the ladder from v, upwards or downwards; false at
 * an end that does not wrap (then *next is v). */
bool knob_step(const struct knob *k, size_t v, bool up, size_t *next);

/* Whether the header lines show the knob under these values. */
bool knob_in_header(const struct knob *k, const struct knobs *v);

/* Two different modes for a comparison, from two words: 0, or -1. */
int compare_modes_parse(const char *a, const char *b, enum server_mode modes[2]);

const char *mode_name(enum server_mode m);
const char *accept_name(enum accept_policy a);
const char *reader_name(enum read_strategy r);
const char *out_name(enum out_strategy o);

#endif
