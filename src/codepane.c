/*
 * codepane.c - the server loop as C, from the knobs (see codepane.h).
 */
#include "codepane.h"

#include <stdio.h>

#include "scroll.h"
#include "server.h"
#include "tracepane.h"

static void add_call(struct code_lines *c, const char *text, int call)
{
    if (c->n < CODE_LINES_MAX) {
        c->call[c->n] = call;
        c->line[c->n++] = text;
    }
}

static void add(struct code_lines *c, const char *text)
{
    add_call(c, text, -1);
}

int codepane_line_of(const struct code_lines *c, enum call_kind kind)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->call[i] == (int)kind)
            return (int)i;
    return -1;
}

/* The write half of a wakeup (reply echo, or EPOLLOUT registered for
 * nothing); returns the buffers used. */
static size_t write_lines(const struct knobs *k, struct code_lines *c, size_t nbuf)
{
    bool lt = k->mode == MODE_LT, always = k->out == OUT_ALWAYS;
    if (k->reply != REPLY_ECHO) {
        if (lt && always)
            add(c, "    /* EPOLLOUT: every wait returns fd, nothing to write */");
        return nbuf;
    }
    if (k->wbudget == WBUDGET_DRAIN) {
        add(c, "    while (out[fd].len > 0) {  /* until EAGAIN */");
    } else {
        add(c, "    sent = 0;");
        snprintf(c->buf[nbuf], sizeof c->buf[0], "    while (out[fd].len > 0 && sent < %zu) {",
                 k->wbudget);
        add(c, c->buf[nbuf++]);
    }
    add_call(c, "      w = send(fd, out[fd].p, out[fd].len, MSG_NOSIGNAL);", CALL_SEND);
    add(c, "      if (w < 0 && errno == EAGAIN) break;");
    add(c, "      consume(&out[fd], w);");
    if (k->wbudget != WBUDGET_DRAIN)
        add(c, "      sent += w;");
    add(c, "    }");
    if (always) {
        if (lt)
            add(c, "    /* EPOLLOUT always: every wait returns fd, even with nothing to write */");
        else if (k->wbudget != WBUDGET_DRAIN && k->mode == MODE_ET)
            add(c, "    /* stopped before EAGAIN: no EPOLLOUT edge for what is left */");
    } else {
        add(c, "    if (out[fd].len ? !has_out : has_out) {  /* EPOLLOUT only when needed */");
        add(c, "      ev.events ^= EPOLLOUT;");
        add(c, "      epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);");
        add(c, "    }");
    }
    return nbuf;
}

void codepane_lines(const struct knobs *k, struct code_lines *c)
{
    size_t nbuf = 0;
    c->n = 0;
    const char *flag = k->mode == MODE_ET ? " | EPOLLET" : k->mode == MODE_ONESHOT ? " | EPOLLONESHOT" : "";
    bool rearm = k->mode == MODE_ONESHOT && k->autorearm;
    snprintf(c->buf[nbuf], sizeof c->buf[0], "ev.events = EPOLLIN%s;", flag);
    add(c, c->buf[nbuf++]);
    add(c, "epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);");
    add(c, "for (;;) {");
    add_call(c, "  n = epoll_wait(ep, evs, maxevents, 0);", CALL_WAIT);
    add(c, "  for (i = 0; i < n; i++) {");
    add(c, "    if (evs[i].data.fd == lfd) {");
    add_call(c, k->accept == ACCEPT_ALL ? "      while ((fd = accept4(lfd, ...)) >= 0) {"
                                        : "      if ((fd = accept4(lfd, ...)) >= 0) {",
             CALL_ACCEPT);
    bool echo = k->reply == REPLY_ECHO;
    snprintf(c->buf[nbuf], sizeof c->buf[0], "        ev.events = EPOLLIN | EPOLLRDHUP%s%s;",
             k->out == OUT_ALWAYS ? " | EPOLLOUT" : "", flag);
    add(c, c->buf[nbuf++]);
    add(c, "        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);");
    add(c, "      }");
    if (k->accept == ACCEPT_ONE)
        add(c, "      /* one per wakeup: the rest wait in the queue */");
    if (k->accept == ACCEPT_SINGLE)
        add(c, "      epoll_ctl(ep, EPOLL_CTL_DEL, lfd, NULL); /* the seed's one Accept() */");
    if (rearm)
        add(c, "      epoll_ctl(ep, EPOLL_CTL_MOD, lfd, &ev); /* re-arm */");
    add(c, "      continue;");
    add(c, "    }");
    add(c, "    fd = evs[i].data.fd;");
    if (k->budget == BUDGET_DRAIN) {
        add(c, "    for (;;) {  /* drain: until EAGAIN */");
        add_call(c, "      r = read(fd, buf, sizeof buf);", CALL_READ);
    } else {
        add(c, "    got = 0;");
        snprintf(c->buf[nbuf], sizeof c->buf[0], "    while (got < %zu) {", k->budget);
        add(c, c->buf[nbuf++]);
        snprintf(c->buf[nbuf], sizeof c->buf[0], "      r = read(fd, buf, %zu - got);", k->budget);
        add_call(c, c->buf[nbuf++], CALL_READ);
    }
    add(c, "      if (r < 0 && errno == EAGAIN) break;");
    if (k->eof_ignore) {
        add(c, "      if (r == 0) break;  /* BUG: fd stays registered */");
    } else {
        add(c, "      if (r == 0) {  /* end of stream */");
        add(c, "        epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);");
        add(c, "        close(fd);");
        add(c, "        break;");
        add(c, "      }");
    }
    if (echo)
        add(c, "      push(&out[fd], buf, r);  /* echo; at its bound, stop */");
    if (k->budget != BUDGET_DRAIN)
        add(c, "      got += r;");
    add(c, "    }");
    if (k->budget != BUDGET_DRAIN && k->mode == MODE_ET)
        add(c, "    /* stopped before EAGAIN: no new edge for what is left */");
    if (echo || k->out == OUT_ALWAYS)
        nbuf = write_lines(k, c, nbuf);
    if (rearm)
        add(c, "    epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev); /* re-arm */");
    else if (k->mode == MODE_ONESHOT)
        add(c, "    /* no re-arm: the fd stays disarmed */");
    add(c, "  }");
    add(c, "}");
}

int codepane_rows(const struct screen *s)
{
    struct code_lines c;
    codepane_lines(server_knobs(side_server(s)), &c);
    return 1 + (int)c.n;
}

void codepane_draw(const struct screen *s, struct grid *g)
{
    const struct knobs *k = server_knobs(side_server(s));
    struct code_lines c;
    char title[96], budget[32];
    codepane_lines(k, &c);
    if (k->budget == BUDGET_DRAIN)
        snprintf(budget, sizeof budget, "drain");
    else
        snprintf(budget, sizeof budget, "budget %zu", k->budget);
    snprintf(title, sizeof title, "the server loop (%s, %s, accept %s%s%s)", mode_name(k->mode),
             budget, accept_name(k->accept), k->reply == REPLY_ECHO ? ", echo" : "",
             k->out == OUT_ALWAYS ? ", out always" : "");
    const struct tracelog *t = s->view->tracelog;
    int mark = t && t->last.any ? codepane_line_of(&c, t->last.kind) : -1;
    /* Fewer rows than lines: the mark stays in sight, and the rule says
     * which lines show. */
    int rows = g->h - 1, top = 0;
    char shown[48] = "";
    if ((int)c.n > rows && rows > 0) {
        if (mark > rows / 2)
            top = (int)scroll_clamp((size_t)(mark - rows / 2), c.n, (size_t)rows);
        snprintf(shown, sizeof shown, "%d-%d of %zu", top + 1, top + rows, c.n);
    }
    title_rule(g, 0, s->view->gl, title, shown);
    for (int i = top; i < (int)c.n && i - top < rows; i++) {
        int y = 1 + i - top;
        bool here = i == mark;
        if (here)
            grid_put(g, 0, y, ROLE_SELECTED, s->view->gl->selected);
        grid_put_clip(g, 1, y, g->w - 1, here ? ROLE_SELECTED : ROLE_TEXT, c.line[i],
                      s->view->gl->ellipsis);
    }
}
