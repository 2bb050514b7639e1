/*
 * fuzz_presenter.c - libFuzzer target: the presenter's keys and prompt
 * lines, with a frame rendered after each.
 *
 * A fresh presenter on an 80x24 screen (the menu over free play, its
 * server on a free loopback port, the lessons in the menu) is driven by
 * the input, read as what the terminal front end would hand it:
 *
 *   - a byte is a key, as ncurses gives it ('\r' is Enter);
 *   - 0x80-0x85 are Up, Down, PgUp, PgDn, Home, End;
 *   - 0x86 is Ctrl-C (drops the prompt's line, or quits);
 *   - 0x87 C R resizes the screen to C+1 columns and R%128+1 rows;
 *   - 0x88 is a tick of the live clock (when it runs), 0x89 a sample;
 *   - 0x8a connects an outside client (a student's nc) to the first
 *     server, 0x8b N sends the next N%64+1 bytes of the input from the
 *     latest one, 0x8c closes it (with a reset when the next byte is odd);
 *   - an input that starts with 0x8f runs with --ascii.
 *
 * Once `:` has opened the prompt, bytes are typed into its line instead:
 * Enter runs it (bounded first, as fuzz.h says), Esc, Ctrl-G and Ctrl-C
 * cancel, Backspace deletes, Tab completes (the candidates are listed).
 * After every event, long work (a `tick 200`) runs one slice, and the
 * screen is rendered and checked (grid_check, and the prompt's cursor on
 * screen); bytes typed in a row get one frame.  The input ends at `quit`,
 * or once it has replaced the server MAX_SERVERS times (load, restart,
 * compare ...).
 * With FUZZ_SHOW set, the last frame goes to stderr (to see what a seed
 * reaches: build/fuzz/replay-presenter FILE).
 *
 *   make fuzz FUZZ_TARGETS=presenter FUZZ_SECONDS=60
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "complete.h"
#include "fuzz.h"
#include "keymap.h"
#include "presenter.h"

#define MAX_SERVERS 8
#define LINE_MAX_BYTES 4096
#define MAX_OUTSIDE 8 /* outside clients at once */

enum {
    EV_KEYS = 0x80, /* the six keys below, in order */
    EV_INTERRUPT = 0x86,
    EV_RESIZE,
    EV_TICK,
    EV_SAMPLE,
    EV_NC_CONNECT,
    EV_NC_SEND,
    EV_NC_CLOSE,
    EV_ASCII = 0x8f,
};

static const int special_keys[] = {KEY_CODE_UP,   KEY_CODE_DOWN, KEY_CODE_PGUP,
                                   KEY_CODE_PGDN, KEY_CODE_HOME, KEY_CODE_END};

struct session {
    struct presenter *p;
    struct grid g;
    struct fuzz_budget budget;
    struct sbuf line, ran;
    unsigned generation0;
    bool stop;
    int outside[MAX_OUTSIDE]; /* sockets of outside clients, the latest last */
    size_t noutside;
};

static void frame(struct session *s)
{
    int x, y;
    presenter_render(s->p, &s->g);
    fuzz_check_grid(&s->g);
    presenter_prompt_cursor(s->p, &x, &y);
    if (x >= 0 && (x >= s->g.w || y < 0 || y >= s->g.h))
        fuzz_fail("the prompt's cursor %d,%d is off the %dx%d screen", x, y, s->g.w, s->g.h);
}

static void show_line(struct session *s)
{
    presenter_prompt_show(s->p, ":", sbuf_str(&s->line), s->line.len);
}

static void complete(struct session *s)
{
    struct completion c = {0};
    complete_line(presenter_engine(s->p), presenter_dirs(s->p), sbuf_str(&s->line), s->line.len,
                  &c);
    presenter_prompt_matches(s->p, c.words, c.n);
    completion_free(&c);
}

static void submit(struct session *s)
{
    unsigned clients = (unsigned)client_count(engine_clients(presenter_engine(s->p)));
    if (!fuzz_bound_line(&s->budget, sbuf_str(&s->line), clients, &s->ran)) {
        s->stop = true;
        return;
    }
    presenter_prompt_submit(s->p, sbuf_str(&s->ran));
    sbuf_reset(&s->line);
}

static void cancel(struct session *s)
{
    presenter_prompt_close(s->p);
    sbuf_reset(&s->line);
}

/* An outside client: a plain blocking loopback connection, as nc makes. */
static void nc_connect(struct session *s)
{
    struct server *srv = engine_server(presenter_engine(s->p));
    struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(server_port(srv))};
    in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s->noutside == MAX_OUTSIDE || server_family(srv) != AF_INET)
        return;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        fuzz_fail("socket: out of descriptors?");
    if (connect(fd, (struct sockaddr *)&in, sizeof in) < 0) {
        close(fd); /* refused: the server is going, or its queue is full */
        return;
    }
    s->outside[s->noutside++] = fd;
}

static void nc_send(struct session *s, const uint8_t *bytes, size_t n)
{
    if (s->noutside)
        (void)!send(s->outside[s->noutside - 1], bytes, n, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static void nc_close(struct session *s, bool reset)
{
    if (!s->noutside)
        return;
    int fd = s->outside[--s->noutside];
    if (reset) {
        struct linger lg = {1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    close(fd);
}

/* Events both modes share; false if b is not one of them. */
static bool event(struct session *s, const uint8_t *data, size_t size, size_t *i)
{
    struct engine *e = presenter_engine(s->p);
    switch (data[*i]) {
    case EV_RESIZE: {
        int w = *i + 1 < size ? data[*i + 1] + 1 : 100;
        int h = *i + 2 < size ? data[*i + 2] % 128 + 1 : 30;
        *i += 2;
        presenter_resize(s->p, w, h);
        return true;
    }
    case EV_TICK:
        if (engine_running(e))
            engine_tick_live(e, 0);
        return true;
    case EV_SAMPLE:
        for (unsigned k = 0; k < engine_sides(e); k++)
            server_sample(engine_side_server(e, k));
        return true;
    case EV_NC_CONNECT:
        nc_connect(s);
        return true;
    case EV_NC_SEND: {
        size_t at = *i + 2 < size ? *i + 2 : size; /* the bytes, after the count */
        size_t n = *i + 1 < size ? data[*i + 1] % 64u + 1 : 0;
        if (n > size - at)
            n = size - at;
        nc_send(s, data + at, n);
        *i = at + n - 1; /* the caller steps past the last */
        return true;
    }
    case EV_NC_CLOSE:
        nc_close(s, *i + 1 < size && data[*i + 1] % 2);
        *i += 1;
        return true;
    default:
        return false;
    }
}

/* A byte the prompt would only add to its line. */
static bool typed(uint8_t b)
{
    return !strchr("\n\r\x1b\x07\t\x7f\x08", b) && (b < EV_KEYS || b > EV_NC_CLOSE) && b != 0;
}

static void prompt_byte(struct session *s, uint8_t b)
{
    if (b != '\t')
        presenter_prompt_matches(s->p, NULL, 0); /* the list was for that Tab */
    switch (b) {
    case '\n':
    case '\r':
        submit(s);
        break;
    case 27:
    case 7:
    case EV_INTERRUPT:
        cancel(s);
        break;
    case '\t':
        complete(s);
        break;
    case 127:
    case 8:
        if (s->line.len)
            s->line.s[--s->line.len] = '\0';
        break;
    default:
        if (b >= EV_KEYS && b < EV_INTERRUPT)
            break; /* readline's history and motion keys: not ours */
        if (s->line.len < LINE_MAX_BYTES)
            sbuf_addc(&s->line, (char)b);
        break;
    }
    if (presenter_prompt_active(s->p))
        show_line(s);
}

static void key_byte(struct session *s, uint8_t b)
{
    if (b >= EV_KEYS && b < EV_INTERRUPT) {
        presenter_key(s->p, special_keys[b - EV_KEYS]);
    } else if (b == EV_INTERRUPT) {
        s->stop = true; /* Ctrl-C outside the prompt ends the program */
    } else {
        presenter_key(s->p, b == '\r' ? KEY_CODE_ENTER : b);
        if (presenter_prompt_active(s->p)) {
            sbuf_reset(&s->line);
            show_line(s);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const dirs[] = {"scenarios", NULL};
    struct presenter_config cfg = {0};
    struct session s = {0};
    struct sbuf err = {0};
    size_t i = 0;

    server_config_defaults(&cfg.server);
    cfg.server.port = 0;
    cfg.rate = 4; /* the terminal UI's free play */
    cfg.dirs = dirs;
    if (size && data[0] == EV_ASCII) {
        cfg.ascii = true;
        i++;
    }
    fuzz_scratch(0);
    s.p = presenter_new(&cfg, &err);
    if (!s.p)
        fuzz_fail("no presenter: %s", sbuf_str(&err));
    fuzz_budget_init(&s.budget);
    /* The smallest screen lessons are written for: the tightest layout,
     * and the cheapest frame. */
    presenter_resize(s.p, 80, 24);
    s.generation0 = presenter_generation(s.p);
    frame(&s);
    for (; i < size && !s.stop; i++) {
        if (!event(&s, data, size, &i)) {
            if (presenter_prompt_active(s.p)) {
                prompt_byte(&s, data[i]);
                /* Typing: one frame for the text typed in a row. */
                if (typed(data[i]) && i + 1 < size && typed(data[i + 1]))
                    continue;
            } else {
                key_byte(&s, data[i]);
            }
        }
        /* Long work goes on one slice per event, as the terminal front
         * end reads keys between slices (Esc may stop it). */
        if (presenter_busy(s.p))
            presenter_work(s.p);
        frame(&s);
        if (presenter_quitting(s.p) || presenter_generation(s.p) - s.generation0 > MAX_SERVERS)
            break;
    }
    while (!presenter_quitting(s.p) && presenter_busy(s.p)) { /* bounded: fuzz.h */
        presenter_work(s.p);
        frame(&s);
    }
    if (getenv("FUZZ_SHOW")) { /* to see what a seed reaches */
        struct sbuf text = {0};
        grid_text(&s.g, &text);
        fputs(sbuf_str(&text), stderr);
        sbuf_free(&text);
    }
    while (s.noutside)
        nc_close(&s, false);
    presenter_free(s.p);
    grid_free(&s.g);
    sbuf_free(&s.line);
    sbuf_free(&s.ran);
    sbuf_free(&err);
    fuzz_scratch(1);
    return 0;
}
