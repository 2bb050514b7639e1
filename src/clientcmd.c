/*
 * clientcmd.c - the commands that act through the scenario clients and on
 * the server's connections: connect, send, shutdown, close, rearm, drain,
 * drop.  Their entries are in the command table (command.c).
 */
#include "clientcmd.h"

#include <string.h>

#define MAX_GROUP 10000
#define MAX_SEND (16u * 1024 * 1024)
#define MAX_SEND_TOTAL (64u * 1024 * 1024) /* over all members of a group */

static int check_name(const struct token *t, struct parse_error *err)
{
    struct sbuf why = {0};
    int rc = 0;
    if (token_want_word(t, err, "a client name") < 0)
        return -1;
    if (client_name_check(t->text, &why) < 0) {
        parse_error_at(err, t->col, "bad client name '%s': %s", t->text, sbuf_str(&why));
        rc = -1;
    }
    sbuf_free(&why);
    return rc;
}

int parse_connect(struct cmd_line *l, struct parse_error *err)
{
    if (check_name(&l->tok[1], err) < 0)
        return -1;
    l->arg.count = 1;
    return l->ntok > 2 ? token_count(&l->tok[2], MAX_GROUP, err, "a connection count",
                                     &l->arg.count)
                       : 0;
}

int exec_connect(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    unsigned n = (unsigned)l->arg.count;
    const struct listener_info *li = server_listener(engine_server(e));
    /* Beyond the backlog the kernel holds handshakes back: tick first. */
    if (li->queue_limit && li->queued + n > li->queue_limit) {
        sbuf_printf(err, "the accept queue holds %u connections and %u already wait; "
                         "tick to accept them before connecting %u more",
                    li->queue_limit, li->queued, n);
        return -1;
    }
    for (unsigned i = 0; i < engine_sides(e); i++)
        if (client_connect(engine_side_clients(e, i), l->tok[1].text, n, err) < 0)
            return -1;
    engine_settle(e);
    return 0;
}

int parse_send(struct cmd_line *l, struct parse_error *err)
{
    const struct token *t = &l->tok[2];
    if (token_want_word(&l->tok[1], err, "a client name") < 0)
        return -1;
    if (t->quoted) {
        if (t->len == 0) {
            parse_error_at(err, t->col, "expected some text to send, found an empty string");
            return -1;
        }
        if (t->len > MAX_SEND) {
            parse_error_at(err, t->col, "at most %u bytes in one send", MAX_SEND);
            return -1;
        }
        return 0;
    }
    return token_count(t, MAX_SEND, err, "a byte count (or a quoted string)", &l->arg.count);
}

/* The text of a send, or (count > 0) a pattern of count bytes. */
static int do_send(struct client_set *cs, struct client *c, void *arg, struct sbuf *err)
{
    const struct cmd_line *l = arg;
    if (!l->arg.count)
        return client_send(cs, c, l->tok[2].text, l->tok[2].len, err);
    return client_send_pattern(cs, c, (size_t)l->arg.count, err);
}

int exec_send(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    size_t each = l->arg.count ? (size_t)l->arg.count : l->tok[2].len, members = 0;
    struct client_set *cs = engine_clients(e);
    for (size_t i = 0; i < client_count(cs); i++)
        members += client_matches(client_at(cs, i), l->tok[1].text);
    /* Client bytes are never dropped, so they are bounded before they queue. */
    if (members && each > MAX_SEND_TOTAL / members) {
        sbuf_printf(err, "%zu clients x %zu B would queue more than %u MiB; send less at a time",
                    members, each, MAX_SEND_TOTAL >> 20);
        return -1;
    }
    return engine_each_client(e, l->tok[1].text, do_send, (void *)l, err);
}

int parse_client(struct cmd_line *l, struct parse_error *err)
{
    l->arg.host.arg = l->tok[1].text; /* select asks the host for it */
    return token_want_word(&l->tok[1], err, "a client name");
}

/* One client action of client.h, done to every client a line names. */
struct client_op {
    int (*fn)(struct client_set *cs, struct client *c, struct sbuf *err);
};

static int do_op(struct client_set *cs, struct client *c, void *arg, struct sbuf *err)
{
    const struct client_op *op = arg;
    return op->fn(cs, c, err);
}

static int each_client(struct engine *e, const struct cmd_line *l,
                       int (*fn)(struct client_set *, struct client *, struct sbuf *),
                       struct sbuf *err)
{
    struct client_op op = {fn};
    return engine_each_client(e, l->tok[1].text, do_op, &op, err);
}

int exec_shutdown(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    return each_client(e, l, client_shutdown, err);
}

int exec_close(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    return each_client(e, l, client_close, err);
}

int exec_hold(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    return each_client(e, l, client_hold, err);
}

int exec_release(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    return each_client(e, l, client_release, err);
}

/* Server-side connections named by a client, a group, a label or "all". */
static size_t each_conn(struct engine *e, const char *name,
                        void (*fn)(struct server *, struct conn *))
{
    size_t n = 0, len = strlen(name);
    bool all = strcmp(name, "all") == 0;

    for (unsigned side = 0; side < engine_sides(e); side++) {
        struct server *s = engine_side_server(e, side);
        for (size_t i = 0; i < server_conn_count(s); i++) {
            struct conn *c = server_conn_at(s, i);
            bool match = all || strcmp(c->label, name) == 0 ||
                         (c->scripted && strncmp(c->label, name, len) == 0 && c->label[len] == '.');
            if (match && c->fd >= 0) {
                fn(s, c);
                n++;
            }
        }
    }
    return n;
}

static int no_conn(const char *name, struct sbuf *err)
{
    sbuf_printf(err, "no open connection named '%s'", name);
    return -1;
}

int exec_rearm(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    const char *name = l->tok[1].text;
    if (strcmp(name, "listener") == 0) {
        for (unsigned i = 0; i < engine_sides(e); i++)
            server_rearm_listener(engine_side_server(e, i));
        return 0;
    }
    if (!each_conn(e, name, server_rearm))
        return no_conn(name, err);
    return 0;
}

int exec_drain(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    if (!each_conn(e, l->tok[1].text, server_drain))
        return no_conn(l->tok[1].text, err);
    return 0;
}

static void drop_one(struct server *s, struct conn *c)
{
    server_drop(s, c, "dropped by the presenter");
}

int exec_drop(struct engine *e, const struct cmd_line *l, struct sbuf *err)
{
    if (!each_conn(e, l->tok[1].text, drop_one))
        return no_conn(l->tok[1].text, err);
    return 0;
}
