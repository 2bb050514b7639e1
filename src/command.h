/*
 * command.h - the one command language of scenario files and the prompt.
 *
 * A line is tokenized (token.h), its first word is looked up in the
 * command table (exact name, alias, or unique prefix), and the command's
 * parser checks the arguments and stores their values in the line, once:
 * running it (cmd_exec) reads those values and never the text again.
 * Commands report through the engine's trace and an error buffer; they
 * never print or exit.
 *
 * An entry holds what every reader needs to know about its command (the
 * scenario checker, the presenter, completion, help): no code outside
 * command.c compares a word with a command's name.  The knobs' commands
 * are made from the knob table (knob.h), so entries are values.
 */
#ifndef EPOLLVIZ_COMMAND_H
#define EPOLLVIZ_COMMAND_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "expect.h"
#include "knob.h"
#include "token.h"
#include "util.h"

struct cmd_line;

typedef int (*cmd_parse_fn)(struct cmd_line *line, struct parse_error *err);
typedef int (*cmd_exec_fn)(struct engine *e, const struct cmd_line *line, struct sbuf *err);

/* What the first argument of a command may name, for checks that need the
 * whole file (a scenario names only clients it connected earlier). */
enum {
    NAMES_CLIENT = 1 << 0,   /* a client or a group */
    NAMES_ALL = 1 << 1,      /* or "all" */
    NAMES_LISTENER = 1 << 2, /* or "listener" */
    NAMES_SERVER = 1 << 3,   /* or "server" */
    NAMES_SIDE = 1 << 4,     /* after a side, "et:a" (see expect.h) */
};

/* What a command is, to the readers of the table. */
enum {
    CMD_LIVE = 1 << 0,    /* the presenter's (keys, prompt); a scenario file may not use it */
    CMD_STEP = 1 << 1,    /* ends a step of a scenario: the presenter's pause point */
    CMD_TITLE = 1 << 2,   /* names the scenario: once per file, shown in the menu */
    CMD_CONNECT = 1 << 3, /* opens clients: the names later lines may use */
    CMD_WRITES = 1 << 4,  /* writes a file: a scenario may write only beside itself */
    CMD_TEXT = 1 << 5,    /* prints text to read (help): the presenter shows it whole */
};

/* What Tab offers for a command's first argument (its second, for
 * compare and expect: see complete.c). */
enum cmd_complete {
    COMPLETE_NONE,
    COMPLETE_KNOB,     /* the knob's values (knob_completions) */
    COMPLETE_RATES,    /* the clock's rates (engine_rate_steps) */
    COMPLETE_FILES,    /* scenario files */
    COMPLETE_COMMANDS, /* command names */
    COMPLETE_MODES,    /* two different modes, or COMPARE_OFF */
    COMPLETE_CONN,     /* one open connection */
    COMPLETE_CONNS,    /* open connections, their groups, and the words `names` allows */
    COMPLETE_CLIENTS,  /* clients, their groups, and the words `names` allows */
    COMPLETE_EXPECT,   /* a target (after a side), [not] a property, an operator */
    COMPLETE_SHOW,     /* what show lists (SHOW_KNOBS) */
};

#define COMPARE_OFF "off" /* compare's word for one server again */
#define SHOW_KNOBS "knobs" /* show's word: each knob, its value and who set it */

struct cmd_entry {
    const char *name;
    const char *alias;  /* or NULL */
    const char *args;   /* usage after the name, e.g. "NAME BYTES|\"text\"" */
    const char *help;   /* one line */
    int min_args, max_args;
    unsigned names;     /* NAMES_* flags, 0 if the first argument names nothing */
    cmd_parse_fn parse; /* checks the arguments into line->arg; NULL when counts suffice */
    cmd_exec_fn exec;
    unsigned flags;     /* CMD_* */
    enum host_request host;       /* what it asks of the front end, or HOST_NONE */
    enum cmd_complete complete;   /* what Tab offers */
    const struct knob *knob;      /* a knob's command: its row (name, usage, help, values) */
    void (*help_more)(const struct trace *t); /* `help NAME` says more after the usage */
};

/* The arguments, parsed once when the line is. */
struct cmd_args {
    size_t value;             /* a knob's value */
    unsigned long long count; /* tick COUNT, run RATE, connect COUNT, send BYTES; 0 = none */
    struct host_args host;    /* what a request carries (load, dump, select, compare) */
    struct expect expect;     /* an expect line's check */
};

struct cmd_line {
    struct cmd_entry cmd; /* cmd.name is NULL for a blank or comment line */
    struct token *tok;    /* tok[0] is the command word */
    int ntok;
    struct cmd_args arg;  /* its pointers point into tok */
    /* A scenario's line: its file's directory, where the files it names
     * are (and stay beneath); NULL at the prompt (the current directory). */
    const char *dir;
    /* Who runs it, for the knobs it sets: the prompt (what cmd_parse
     * gives), a scenario's file:line, a key (see knob.h). */
    struct knob_origin origin;
};

/* Tokenizes and parses one line (its origin: the prompt).  Returns 0
 * (line->cmd.name NULL when blank), or -1 with err filled.  The line must be freed with
 * cmd_line_free; it may be moved (copied), not duplicated. */
int cmd_parse(const char *text, struct cmd_line *line, struct parse_error *err);
void cmd_line_free(struct cmd_line *line);

/* Runs a parsed line; 0, or -1 with a message in err (the engine goes on). */
int cmd_exec(struct engine *e, const struct cmd_line *line, struct sbuf *err);
/* One line of show knobs' table (columns lined up with the knobs'), for
 * a front end's own settings after the engine's (the TUI's panes). */
void cmd_show_line(struct engine *e, const char *knob, const char *side, const char *value,
                   const char *from);

/* Lookup by name, alias or unique prefix: 0 and *out, or -1 with a message
 * ("unknown command 'tik' (did you mean tick?)"). */
int cmd_lookup(const char *word, struct cmd_entry *out, struct sbuf *err);

/* "name args", e.g. "send NAME BYTES|\"text\"" (no trailing space). */
void cmd_usage(const struct cmd_entry *c, struct sbuf *out);

/* The commands in the order help lists them: 0 and *out, or -1 past the last. */
size_t cmd_count(void);
int cmd_at(size_t i, struct cmd_entry *out);

#endif
