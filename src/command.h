/*
 * command.h - the one command language of scenario files and the prompt.
 *
 * A line is tokenized (token.h), its first word is looked up in the
 * command table (exact name, alias, or unique prefix), and the command's
 * own check validates the arguments without running anything.  Running a
 * checked line is cmd_exec.  Commands report through the engine's trace
 * and an error buffer; they never print or exit.
 */
#ifndef EPOLLVIZ_COMMAND_H
#define EPOLLVIZ_COMMAND_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "token.h"
#include "util.h"

struct cmd_entry;

struct cmd_line {
    const struct cmd_entry *cmd; /* NULL for a blank or comment line */
    struct token *tok;           /* tok[0] is the command word */
    int ntok;
    /* A scenario's line: its file's directory, where the files it names
     * are (and stay beneath); NULL at the prompt (the current directory). */
    const char *dir;
};

typedef int (*cmd_check_fn)(const struct cmd_line *line, struct parse_error *err);
typedef int (*cmd_exec_fn)(struct engine *e, const struct cmd_line *line, struct sbuf *err);

/* What the first argument of a command may name, for checks that need the
 * whole file (a scenario names only clients it connected earlier). */
enum {
    NAMES_CLIENT = 1 << 0,   /* a client or a group */
    NAMES_ALL = 1 << 1,      /* or "all" */
    NAMES_LISTENER = 1 << 2, /* or "listener" */
    NAMES_SERVER = 1 << 3,   /* or "server" */
};

struct cmd_entry {
    const char *name;
    const char *alias; /* or NULL */
    const char *args;  /* usage after the name, e.g. "NAME BYTES|\"text\"" */
    const char *help;  /* one line */
    int min_args, max_args;
    unsigned names;     /* NAMES_* flags, 0 if the first argument names nothing */
    cmd_check_fn check; /* may be NULL when counts suffice */
    cmd_exec_fn exec;
    unsigned flags;     /* CMD_* */
};

/* For the presenter (keys and prompt) only; a scenario file may not use it. */
#define CMD_LIVE (1u << 0)

/* Tokenizes and checks one line.  Returns 0 (line->cmd NULL when blank),
 * or -1 with err filled.  The line must be freed with cmd_line_free. */
int cmd_parse(const char *text, struct cmd_line *line, struct parse_error *err);
void cmd_line_free(struct cmd_line *line);

/* Runs a parsed line; 0, or -1 with a message in err (the engine goes on). */
int cmd_exec(struct engine *e, const struct cmd_line *line, struct sbuf *err);

/* Lookup by name, alias or unique prefix; NULL with a message otherwise
 * ("unknown command 'tik' (did you mean tick?)"). */
const struct cmd_entry *cmd_lookup(const char *word, struct sbuf *err);

/* "name args", e.g. "send NAME BYTES|\"text\"" (no trailing space). */
void cmd_usage(const struct cmd_entry *c, struct sbuf *out);

size_t cmd_count(void);
const struct cmd_entry *cmd_at(size_t i);


#endif
