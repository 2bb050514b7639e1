/*
 * fixture.h - the one fixture of the unit tests, and what they share:
 * engines on port 0 whose transcript is kept, command lines run the way a
 * scenario or the prompt would, presenters over the real scenarios/,
 * reading back a rendered grid, and scratch files.
 *
 * Each helper that can fail takes the caller's file and line, and its
 * macro passes __FILE__ and __LINE__, so a failure points at the test,
 * not at this module.  Fixtures and presenters opened here are known to
 * the harness: a REQUIRE that fails closes them before the test returns
 * (harness.h), and one a test forgets to close fails that test.
 */
#ifndef EPOLLVIZ_FIXTURE_H
#define EPOLLVIZ_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "engine.h"
#include "grid.h"
#include "presenter.h"
#include "render.h"
#include "server.h"
#include "trace.h"
#include "util.h"

/* ---- engines ------------------------------------------------------------ */

/* An engine (one server or two) whose transcript is kept, one line each,
 * and the view render_screen draws it with (Unicode, first connection
 * selected).  The engine points at f->trace, so f must stay put while it
 * is open. */
struct fixture {
    struct engine *e;
    struct trace trace;
    struct sbuf log;
    struct view view;
};

/* Opens f (zeroed first) on a new engine from cfg (NULL: the defaults) on
 * port 0, or with modes two servers side by side; false, reported at
 * file:line, if it does not start.  fixture_close frees it. */
bool fixture_open_at(const char *file, int line, struct fixture *f,
                     const struct server_config *cfg, const enum server_mode *modes);
void fixture_close(struct fixture *f);

#define fixture_open(f, cfg) fixture_open_at(__FILE__, __LINE__, (f), (cfg), NULL)

/* Opens f in mode m0; with compare, m0 beside m1. */
bool fixture_open_modes_at(const char *file, int line, struct fixture *f, bool compare,
                           enum server_mode m0, enum server_mode m1);

#define open_single(f, m) fixture_open_modes_at(__FILE__, __LINE__, (f), false, (m), (m))
#define open_compare(f, m0, m1) fixture_open_modes_at(__FILE__, __LINE__, (f), true, (m0), (m1))

/* Runs one command line on e the way a scenario or the prompt would.
 * With `want`, the line must fail at run time with a message containing
 * it; without, it must succeed. */
void fixture_run_at(const char *file, int line, struct engine *e, const char *cmd,
                    const char *want);

/* The same, run on behalf of `from` (a key, a scenario's line), not the prompt. */
void fixture_run_from_at(const char *file, int line, struct engine *e, const char *cmd,
                         const char *want, const struct knob_origin *from);

/* f is any fixture whose engine is f->e. */
#define run(f, cmd) fixture_run_at(__FILE__, __LINE__, (f)->e, (cmd), NULL)
#define run_from(f, cmd, from) fixture_run_from_at(__FILE__, __LINE__, (f)->e, (cmd), NULL, (from))
#define run_fails(f, cmd, want) fixture_run_at(__FILE__, __LINE__, (f)->e, (cmd), (want))

/* More ticks than any machine runs in one slice (each is at least an
 * epoll_wait and an ioctl): a `tick` of this many is certain to outlive
 * its first slice and become the engine's job. */
#define LONG_TICKS "100000"

/* ---- reading an engine -------------------------------------------------- */

/* The connection labelled `label` of the (first) server, or NULL. */
struct conn *conn(struct fixture *f, const char *label);
struct conn *side_conn(struct fixture *f, unsigned side, const char *label);
struct client *side_client(struct fixture *f, unsigned side, const char *name);
/* epoll_wait calls of the (first) server so far. */
uint64_t ticks_of(struct engine *e);
/* A plain blocking client from outside the engine, as nc would be: a
 * socket connected to the (first) server, or -1. */
int dial(struct engine *e);
/* The outside client fd writes `len` bytes at once, then waits (a
 * generous bound) until at least `at_least` of them are in the server's
 * socket sfd: a tick run next is sure to find them.  A short write is
 * reported at file:line; false if the bytes never arrive. */
bool client_sends_at(const char *file, int line, int fd, int sfd, size_t len, long at_least);

#define client_sends(fd, sfd, len, at_least) \
    client_sends_at(__FILE__, __LINE__, (fd), (sfd), (len), (at_least))
/* Calls fn with the path of every lesson in scenarios/; how many. */
unsigned each_lesson(void (*fn)(const char *path, void *ctx), void *ctx);

/* Lines of the transcript that contain needle. */
size_t log_count(const struct fixture *f, const char *needle);
/* Lines of the transcript that start with `prefix` and contain needle. */
size_t log_lines(const struct fixture *f, const char *prefix, const char *needle);
/* Offset of the first occurrence of needle in the transcript at or after
 * `from`, or -1. */
long log_find(const struct fixture *f, size_t from, const char *needle);

/* Runs an expect line and tells how it was counted; the detail the engine
 * kept (or the transcript's last line when skipped) goes to `detail`. */
enum outcome { PASSED, FAILED, SKIPPED };
enum outcome expect_at(const char *file, int line, struct fixture *f, const char *text,
                       struct sbuf *detail);

#define expect_is(f, line, want)                                                       \
    do {                                                                               \
        struct sbuf d_ = {0};                                                          \
        enum outcome o_ = expect_at(__FILE__, __LINE__, (f), (line), &d_);             \
        if (o_ != (want))                                                              \
            harness_fail(__FILE__, __LINE__, "'%s' was %s, not %s: %s", (line),        \
                         o_ == PASSED ? "passed" : o_ == FAILED ? "failed" : "skipped", \
                         #want, sbuf_str(&d_));                                        \
        sbuf_free(&d_);                                                                \
    } while (0)

/* `in` with each run of spaces as one space, into out; returns its text.
 * For listings whose columns' widths follow names (show knobs). */
const char *squeezed(const char *in, struct sbuf *out);

/* ---- parsing lines ------------------------------------------------------ */

/* One line that must be rejected: where, and with which message. */
struct bad_line {
    const char *in;
    int col;
    const char *msg; /* the whole message */
};

/* One line that must parse: its command (NULL for blank) and token count. */
struct good_line {
    const char *in;
    const char *cmd;
    int ntok;
};

/* s as printable ASCII, in b: for failure messages about input lines. */
const char *shown(struct sbuf *b, const char *s);

void check_bad_at(const char *file, int line, const struct bad_line *cases, size_t n);
void check_good_at(const char *file, int line, const struct good_line *cases, size_t n);

#define CHECK_BAD(cases) check_bad_at(__FILE__, __LINE__, cases, ARRAY_LEN(cases))
#define CHECK_GOOD(cases) check_good_at(__FILE__, __LINE__, cases, ARRAY_LEN(cases))

/* The line must not parse; its error is at `col` and contains `want`. */
void parse_fails_at(const char *file, int line, const char *text, int col, const char *want);

#define parse_fails(text, col, want) parse_fails_at(__FILE__, __LINE__, (text), (col), (want))

/* ---- presenters --------------------------------------------------------- */

#define LT_SCN "scenarios/03-lt-partial-reads.scn"
#define ET_SCN "scenarios/04-et-starvation.scn"

/* A presenter at 100x30 over the scenarios in dirs (NULL: scenarios/),
 * opening `scenario` (NULL: the menu), its server on port 0; with compare,
 * LT beside ET.  NULL, reported at file:line, if it does not start.
 * fixture_presenter_free frees it. */
struct presenter *fixture_presenter_at(const char *file, int line, const char *scenario,
                                       const char *const *dirs, bool compare);
void fixture_presenter_free(struct presenter *p);

#define new_presenter(scenario) fixture_presenter_at(__FILE__, __LINE__, (scenario), NULL, false)
#define new_presenter_in(scenario, dirs) \
    fixture_presenter_at(__FILE__, __LINE__, (scenario), (dirs), false)
#define new_compare_presenter(scenario) \
    fixture_presenter_at(__FILE__, __LINE__, (scenario), NULL, true)

/* Presses each character of k as a key. */
void keys(struct presenter *p, const char *k);
/* The presenter's (first) server. */
struct server *psrv(struct presenter *p);

/* ---- reading a grid ----------------------------------------------------- */

/* Row y as dump writes it (trailing blanks trimmed), in b. */
const char *row(const struct grid *g, int y, struct sbuf *b);
/* The whole grid as dump writes it, in b. */
const char *text_of(const struct grid *g, struct sbuf *b);
/* The presenter's screen as text (g is reused between calls). */
const char *screen(struct presenter *p, struct grid *g, struct sbuf *b);
/* The presenter's message (second to last row, and the one above when
 * it wrapped), joined with a space. */
const char *message(struct presenter *p, struct grid *g, struct sbuf *b);

/* The first row from `from` on whose text contains needle, or -1. */
int find_row_from(const struct grid *g, int from, const char *needle);
int find_row(const struct grid *g, const char *needle);

/* grid_check (what `dump` and the painter rely on), failing at file:line. */
void check_cells_at(const char *file, int line, const struct grid *g);

#define check_cells(g) check_cells_at(__FILE__, __LINE__, (g))

/* The sizes screens are checked at: the lessons', a small terminal's and
 * the smallest layout. */
struct screen_size {
    int w, h;
};
extern const struct screen_size screen_sizes[3];

/* What every full screen has: the mode block (showing `mode`, with `sub`
 * under it) in the first two rows, the listener, the status line last,
 * and no row wider than the grid. */
void check_screen_at(const char *file, int line, const struct grid *g, const char *mode,
                     const char *sub);

#define check_screen(g, mode, sub) check_screen_at(__FILE__, __LINE__, (g), (mode), (sub))

/* ---- scratch files ------------------------------------------------------ */

/* A scratch directory of this process under tests/tmp/unit/, removed at
 * exit; NULL if it cannot be made. */
const char *scratch_dir(void);
bool write_bytes(const char *path, const void *data, size_t len);
bool write_text(const char *path, const char *text);
/* The file's contents (free them), or NULL. */
char *read_text(const char *path);

#endif
