/*
 * knob.c - the knob table: one row per knob, and the parsing, writing,
 * stepping and listing that every reader does the same way from it.
 *
 * Adding a knob: its field in struct knobs and its id (knob.h), its row
 * here, what it does in server_set_knob (server.c), its tests.  The
 * command, the option, completion, help, the header and free play's
 * carry-over follow from the row.
 */
#include "knob.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define RCVBUF_MIN 1024
#define RCVBUF_MAX (16 * 1024 * 1024)

_Static_assert(sizeof(enum server_mode) == sizeof(int) &&
                   sizeof(enum accept_policy) == sizeof(int) &&
                   sizeof(enum read_strategy) == sizeof(int) &&
                   sizeof(enum twin_mode) == sizeof(int) &&
                   sizeof(enum reply_policy) == sizeof(int) &&
                   sizeof(enum out_strategy) == sizeof(int),
               "knob fields are read as an int, a bool or a size_t");

#define FIELD(f) .offset = offsetof(struct knobs, f), .size = sizeof(((struct knobs *)0)->f)

static const struct knob_word mode_words[] = {
    {"lt", MODE_LT}, {"et", MODE_ET}, {"oneshot", MODE_ONESHOT}, {NULL, 0}};
static const struct knob_word drain_word[] = {{"drain", BUDGET_DRAIN}, {NULL, 0}};
static const struct knob_word accept_words[] = {
    {"one", ACCEPT_ONE}, {"all", ACCEPT_ALL}, {"single", ACCEPT_SINGLE}, {NULL, 0}};
static const struct knob_word twin_words[] = {
    {"on", TWIN_ON}, {"off", TWIN_OFF}, {"blocking", TWIN_BLOCKING}, {NULL, 0}};
static const struct knob_word reader_words[] = {
    {"eagain", STRATEGY_EAGAIN}, {"short", STRATEGY_SHORT}, {"once", STRATEGY_ONCE}, {NULL, 0}};
static const struct knob_word on_off[] = {{"on", true}, {"off", false}, {NULL, 0}};
static const struct knob_word eof_words[] = {{"close", false}, {"ignore", true}, {NULL, 0}};
static const struct knob_word reply_words[] = {{"none", REPLY_NONE}, {"echo", REPLY_ECHO}, {NULL, 0}};
static const struct knob_word out_words[] = {{"needed", OUT_NEEDED}, {"always", OUT_ALWAYS}, {NULL, 0}};
static const struct knob_word wdrain_word[] = {{"drain", WBUDGET_DRAIN}, {NULL, 0}};

/* m toggles the two models a class compares; one-shot is a command away,
 * as is accept single (the seed's one accept, for good). */
static const size_t mode_ladder[] = {MODE_LT, MODE_ET};
/* drain is the largest budget of all */
static const size_t budget_ladder[] = {1, 16, 64, 512, BUDGET_DRAIN};
static const size_t reader_ladder[] = {STRATEGY_EAGAIN, STRATEGY_SHORT, STRATEGY_ONCE};
static const size_t accept_ladder[] = {ACCEPT_ONE, ACCEPT_ALL};

static const struct knob table[] = {
    {
        .id = KNOB_MODE, .name = "mode", .short_opt = 'm', FIELD(mode), .defval = MODE_LT,
        .words = mode_words,
        .help = "notification model; EPOLL_CTL_MOD on every fd",
        .ladder = mode_ladder, .nladder = ARRAY_LEN(mode_ladder), .wraps = true,
        .key_up = 'm', .key_help = "toggle LT and ET (one-shot: mode oneshot)",
        .status = true, .per_side = true, .shown = SHOWN_ALWAYS,
    },
    {
        .id = KNOB_BUDGET, .name = "budget", .short_opt = 'b', FIELD(budget),
        .defval = BUDGET_DRAIN, .words = drain_word,
        .number = "a byte count", .metavar = "BYTES", .min = 1, .max = DRAIN_CAP, .unit = "B",
        .help = "bytes read per wakeup, or read until EAGAIN",
        .ladder = budget_ladder, .nladder = ARRAY_LEN(budget_ladder),
        .key_up = 'b', .key_down = 'B',
        .key_help = "larger read budget", .key_help_down = "smaller read budget",
        .status = true, .shown = SHOWN_ALWAYS,
    },
    {
        /* The header names it only once it is not the default, so the
         * lessons that never touch it look as they did before it existed. */
        .id = KNOB_READER, .name = "reader", FIELD(reader), .defval = STRATEGY_EAGAIN,
        .words = reader_words,
        .help = "a wakeup reads until EAGAIN, until a short read, or once",
        .ladder = reader_ladder, .nladder = ARRAY_LEN(reader_ladder), .wraps = true,
        .key_up = 'e', .key_help = "reader: to EAGAIN, to a short read, once",
        .shown = SHOWN_CHANGED,
    },
    {
        .id = KNOB_ACCEPT, .name = "accept", .short_opt = 'a', FIELD(accept),
        .defval = ACCEPT_ALL, .words = accept_words,
        .help = "accept() once per wakeup, until EAGAIN, or once ever (the seed)",
        .ladder = accept_ladder, .nladder = ARRAY_LEN(accept_ladder), .wraps = true,
        .key_up = 'a', .key_help = "accept one or all per wakeup",
        .shown = SHOWN_ALWAYS,
    },
    {
        .id = KNOB_AUTOREARM, .name = "autorearm", FIELD(autorearm), .defval = true,
        .words = on_off,
        .help = "one-shot: re-arm after each handling, or leave fired fds silent",
        .shown = SHOWN_ONESHOT,
    },
    {
        .id = KNOB_EOF, .name = "eof", FIELD(eof_ignore), .defval = false, .words = eof_words,
        .help = "on read() = 0: close (right) or ignore it (LT then spins)",
    },
    {
        .id = KNOB_RCVBUF, .name = "rcvbuf", FIELD(rcvbuf), .defval = 0,
        .number = "a byte count", .metavar = "BYTES", .min = RCVBUF_MIN, .max = RCVBUF_MAX,
        .unit = "B", .help = "SO_RCVBUF of connections accepted from now on",
    },
    {
        .id = KNOB_TWIN, .name = "twin", FIELD(twin), .defval = TWIN_OFF, .words = twin_words,
        .help = "the seed's design: a second epoll set in the other mode reads too",
    },
    {
        .id = KNOB_REPLY, .name = "reply", FIELD(reply), .defval = REPLY_NONE,
        .words = reply_words,
        .help = "what the server writes back: nothing, or what it read (an echo server)",
        .shown = SHOWN_CHANGED,
    },
    {
        .id = KNOB_OUT, .name = "out", FIELD(out), .defval = OUT_NEEDED, .words = out_words,
        .help = "EPOLLOUT registered only while bytes wait to be written, or always",
        .shown = SHOWN_ECHO,
    },
    {
        /* Its own knob, not the read budget's: a lesson starves the
         * writer while the reader drains, and the read lessons keep
         * their budget's meaning. */
        .id = KNOB_WBUDGET, .name = "wbudget", FIELD(wbudget), .defval = WBUDGET_DRAIN,
        .words = wdrain_word,
        .number = "a byte count", .metavar = "BYTES", .min = 1, .max = REPLY_BUFFER_MAX, .unit = "B",
        .help = "bytes written per wakeup, or write until EAGAIN or nothing is left",
        .shown = SHOWN_CHANGED,
    },
    {
        .id = KNOB_REPLY_BUFFER, .name = "reply-buffer", FIELD(reply_buffer),
        .defval = REPLY_BUFFER_DEFAULT,
        .number = "a byte count", .metavar = "BYTES", .min = 16, .max = REPLY_BUFFER_MAX,
        .unit = "B",
        .help = "bytes waiting to be written per connection; at the bound, reading it stops",
    },
};

_Static_assert(ARRAY_LEN(table) == KNOB_COUNT, "one row per knob id");

const struct knob *knob_at(size_t i)
{
    return i < ARRAY_LEN(table) ? &table[i] : NULL;
}

const struct knob *knob_by_id(enum knob_id id)
{
    for (size_t i = 0; i < ARRAY_LEN(table); i++)
        if (table[i].id == id)
            return &table[i];
    fatal("no knob with id %d", (int)id);
}

const struct knob *knob_by_name(const char *name)
{
    for (size_t i = 0; i < ARRAY_LEN(table); i++)
        if (strcmp(table[i].name, name) == 0)
            return &table[i];
    return NULL;
}

const struct knob *knob_by_key(int key, bool *up)
{
    for (size_t i = 0; key && i < ARRAY_LEN(table); i++)
        if (table[i].key_up == key || table[i].key_down == key) {
            *up = table[i].key_up == key;
            return &table[i];
        }
    return NULL;
}

size_t knob_get(const struct knob *k, const struct knobs *from)
{
    const char *p = (const char *)from + k->offset;
    int i;
    bool b;
    size_t z;
    switch (k->size) {
    case sizeof(bool):
        memcpy(&b, p, sizeof b);
        return b;
    case sizeof(int):
        memcpy(&i, p, sizeof i);
        return (size_t)i;
    default:
        memcpy(&z, p, sizeof z);
        return z;
    }
}

void knob_set(const struct knob *k, struct knobs *to, size_t v)
{
    char *p = (char *)to + k->offset;
    int i = (int)v;
    bool b = v != 0;
    switch (k->size) {
    case sizeof(bool):
        memcpy(p, &b, sizeof b);
        break;
    case sizeof(int):
        memcpy(p, &i, sizeof i);
        break;
    default:
        memcpy(p, &v, sizeof v);
        break;
    }
}

void knobs_defaults(struct knobs *k)
{
    memset(k, 0, sizeof *k);
    for (size_t i = 0; i < ARRAY_LEN(table); i++)
        knob_set(&table[i], k, table[i].defval);
}

/* The word that names v, or NULL. */
static const char *word_of(const struct knob *k, size_t v)
{
    for (const struct knob_word *w = k->words; w && w->word; w++)
        if (w->value == v)
            return w->word;
    return NULL;
}

int knob_parse(const struct knob *k, const char *text, size_t *v)
{
    for (const struct knob_word *w = k->words; w && w->word; w++)
        if (strcmp(w->word, text) == 0) {
            *v = w->value;
            return 0;
        }
    unsigned long long n;
    if (!k->number || parse_uint(text, k->max, &n) < 0 || n < k->min)
        return -1;
    *v = (size_t)n;
    return 0;
}

bool knob_valid(const struct knob *k, size_t v)
{
    return word_of(k, v) || (k->number && v >= k->min && v <= k->max);
}

void knob_format(const struct knob *k, size_t v, bool with_unit, struct sbuf *out)
{
    const char *w = word_of(k, v);
    if (w)
        sbuf_add(out, w);
    else
        sbuf_printf(out, "%zu%s%s", v, with_unit && k->unit ? " " : "",
                    with_unit && k->unit ? k->unit : "");
}

void knob_usage(const struct knob *k, struct sbuf *out)
{
    const char *sep = "";
    if (k->number) {
        sbuf_add(out, k->metavar);
        sep = "|";
    }
    for (const struct knob_word *w = k->words; w && w->word; w++, sep = "|")
        sbuf_printf(out, "%s%s", sep, w->word);
}

void knob_expected(const struct knob *k, bool brief, struct sbuf *out)
{
    size_t n = 0;
    for (const struct knob_word *w = k->words; w && w->word; w++)
        n++;
    if (k->number) {
        sbuf_add(out, k->number);
        if (!brief)
            sbuf_printf(out, " from %zu to %zu", k->min, k->max);
        for (size_t i = 0; i < n; i++)
            sbuf_printf(out, "%s'%s'", i + 1 < n ? ", " : " or ", k->words[i].word);
        return;
    }
    for (size_t i = 0; i < n; i++)
        sbuf_printf(out, "%s%s", i == 0 ? "" : i + 1 < n ? ", " : " or ", k->words[i].word);
}

void knob_completions(const struct knob *k, void (*add)(void *ctx, const char *word), void *ctx)
{
    for (const struct knob_word *w = k->words; w && w->word; w++)
        add(ctx, w->word);
    for (size_t i = 0; i < k->nladder; i++) {
        struct sbuf s = {0};
        knob_format(k, k->ladder[i], false, &s);
        add(ctx, sbuf_str(&s));
        sbuf_free(&s);
    }
}

/* Where v stands among the knob's values: numbers by size, words after
 * them in the order they are listed (drain is the largest budget). */
static size_t rank(const struct knob *k, size_t v)
{
    size_t n = 0, at = SIZE_MAX;
    for (const struct knob_word *w = k->words; w && w->word; w++, n++)
        if (w->value == v)
            at = n;
    if (at == SIZE_MAX)
        return v;
    return k->number ? SIZE_MAX - n + at : at;
}

bool knob_step(const struct knob *k, size_t v, bool up, size_t *next)
{
    size_t r = rank(k, v), n = k->nladder;
    *next = v;
    if (!n)
        return false;
    if (up) {
        for (size_t i = 0; i < n; i++)
            if (rank(k, k->ladder[i]) > r) {
                *next = k->ladder[i];
                return true;
            }
        if (!k->wraps)
            return false;
        *next = k->ladder[0];
    } else {
        for (size_t i = n; i > 0; i--)
            if (rank(k, k->ladder[i - 1]) < r) {
                *next = k->ladder[i - 1];
                return true;
            }
        if (!k->wraps)
            return false;
        *next = k->ladder[n - 1];
    }
    return true;
}

bool knob_in_header(const struct knob *k, const struct knobs *v)
{
    switch (k->shown) {
    case SHOWN_ALWAYS:
        return true;
    case SHOWN_ONESHOT:
        return v->mode == MODE_ONESHOT;
    case SHOWN_CHANGED:
        return knob_get(k, v) != k->defval;
    case SHOWN_ECHO:
        return v->reply == REPLY_ECHO;
    case SHOWN_NEVER:
        break;
    }
    return false;
}

int compare_modes_parse(const char *a, const char *b, enum server_mode modes[2])
{
    const struct knob *k = knob_by_id(KNOB_MODE);
    size_t m[2];
    if (knob_parse(k, a, &m[0]) < 0 || knob_parse(k, b, &m[1]) < 0 || m[0] == m[1])
        return -1;
    modes[0] = (enum server_mode)m[0];
    modes[1] = (enum server_mode)m[1];
    return 0;
}

const char *mode_name(enum server_mode m)
{
    return word_of(knob_by_id(KNOB_MODE), m);
}

const char *accept_name(enum accept_policy a)
{
    return word_of(knob_by_id(KNOB_ACCEPT), a);
}

const char *reader_name(enum read_strategy r)
{
    return word_of(knob_by_id(KNOB_READER), r);
}

struct knob_origin knob_origin(enum knob_from from, const char *file, unsigned line, int key)
{
    struct knob_origin o = {.from = from, .line = line, .key = key};
    if (file)
        snprintf(o.file, sizeof o.file, "%s", file);
    return o;
}

void knob_origin_format(const struct knob_origin *o, struct sbuf *out)
{
    switch (o->from) {
    case FROM_FILE:
    case FROM_SCENARIO:
        sbuf_add(out, o->from == FROM_FILE ? "startup file " : "scenario ");
        sbuf_add_sanitized(out, o->file);
        if (o->line)
            sbuf_printf(out, ":%u", o->line);
        break;
    case FROM_COMMAND_LINE:
        sbuf_add(out, "command line");
        break;
    case FROM_LESSON:
        sbuf_add(out, "lesson start");
        break;
    case FROM_PROMPT:
        sbuf_add(out, "prompt");
        break;
    case FROM_KEY:
        if (o->key > ' ' && o->key < 0x7f)
            sbuf_printf(out, "key %c", o->key);
        else
            sbuf_printf(out, "key %d", o->key);
        break;
    default:
        sbuf_add(out, "default");
        break;
    }
}

const char *out_name(enum out_strategy o)
{
    return word_of(knob_by_id(KNOB_OUT), o);
}
