/*
 * options.c - command-line parsing with getopt_long.
 */
#include "options.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "autoplay.h"
#include "benchmodes.h"
#include "command.h"
#include "grid.h"
#include "panes.h"

/* Appends `text` from column 23, wrapped before column 80 at a space
 * (a no-break space, \1, stays and prints as a space). */
static void add_wrapped(struct sbuf *out, char *text)
{
    const int indent = 23, width = 79;
    int col = indent;
    while (*text) {
        size_t n = strcspn(text, " ");
        for (size_t i = 0; i < n; i++)
            if (text[i] == '\1')
                text[i] = ' ';
        if (col > indent && col + 1 + (int)n > width) {
            sbuf_printf(out, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            sbuf_addc(out, ' ');
            col++;
        }
        sbuf_addn(out, text, n);
        col += (int)n;
        text += n;
        text += strspn(text, " ");
    }
    sbuf_addc(out, '\n');
}

/* One option per knob, from its row. */
static void knob_options(struct sbuf *out)
{
    const struct knob *k;
    for (size_t i = 0; (k = knob_at(i)); i++) {
        struct sbuf opt = {0}, help = {0};
        if (k->short_opt)
            sbuf_printf(&opt, "  -%c, --%s ", k->short_opt, k->name);
        else
            sbuf_printf(&opt, "      --%s ", k->name);
        knob_usage(k, &opt);
        sbuf_add(&help, k->help);
        if (knob_valid(k, k->defval)) {
            sbuf_add(&help, " (default\1");
            knob_format(k, k->defval, false, &help);
            sbuf_addc(&help, ')');
        }
        if (opt.len < 22)
            sbuf_printf(out, "%-22s ", sbuf_str(&opt));
        else
            sbuf_printf(out, "%s\n%23s", sbuf_str(&opt), "");
        add_wrapped(out, help.s);
        sbuf_free(&opt);
        sbuf_free(&help);
    }
}

void options_usage(struct sbuf *out)
{
    sbuf_add(out,
             "usage: epollviz [options] [SCENARIO]\n"
             "\n"
             "Runs a real epoll TCP server and shows what the kernel and the event loop do,\n"
             "connection by connection.  With SCENARIO, plays that lesson; without, serves\n"
             "clients such as `nc localhost 8080`.\n"
             "\n"
             "  --headless           print one line per event on stdout (no terminal UI);\n"
             "                       with SCENARIO, run it to the end and exit 1 if an\n"
             "                       expect failed\n"
             "  -p, --port N         TCP port (default 8080; headless scenarios: any free port)\n"
             "  -l, --listen ADDR    numeric address to listen on (default 127.0.0.1)\n"
             "  -f, --startup-file FILE\n"
             "                       read settings from FILE, not from\n"
             "                       $XDG_CONFIG_HOME/epollviz/epollvizrc (-f /dev/null: none)\n");
    knob_options(out);
    sbuf_add(out,
             "      --compare A,B    run two servers side by side, in modes A and B (e.g.\n"
             "                       lt,et), fed the same scripted traffic\n"
             "      --rate N         tick N times a second, events or not (default: headless,\n"
             "                       tick whenever epoll has events, as a real server\n"
             "                       would; the terminal UI's free play, 4 a second)\n"
             "      --max-conns N    refuse connections beyond N open ones (default 4096)\n"
             "      --max-per-peer N refuse connections beyond N open ones from one address\n"
             "                       (default: no limit)\n"
             "      --mono           no colour (also when NO_COLOR is set)\n"
             "      --ascii          ASCII bars and marks (also when the locale is not UTF-8)\n"
             "      --panes LIST     the panes shown where the room allows: all (default),\n"
             "                       none, or trace, code and kernel joined by commas\n"
             "      --screens SIZES  print every step of SCENARIO as the screen shows it,\n"
             "                       at each size of SIZES (e.g. 100x30,80x24), and exit\n"
             "      --handout LESSON print LESSON as Markdown (title, each step's narration,\n"
             "                       expects and screen, the rule, how to run it) and exit;\n"
             "                       --handout all DIR writes every lesson and an index to DIR\n"
             "      --size COLSxROWS the size of --handout's screens (default 100x30)\n"
             "      --play SECONDS   the terminal UI moves SCENARIO on by one step every\n"
             "                       SECONDS (P pauses and resumes; space still steps)\n"
             "      --loop           with --play: the lesson again after its last step\n"
             "      --record FILE    write the terminal UI's session to FILE as asciicast v2\n"
             "                       (asciinema play FILE replays it)\n"
             "      --bench-frames N build and draw N frames with --bench-conns clients\n"
             "                       receiving traffic, print the median and p99 times, exit\n"
             "      --bench-conns N  clients for --bench-frames (default 1000); fails with\n"
             "                       the reason if they cannot all be opened\n"
             "      --bench-modes    measure the taught server under a loopback load, per\n"
             "                       mode x reader x budget, and epoll_wait over unread-ready\n"
             "                       sockets; print a table (--csv: CSV) and exit\n"
             "      --bench-seconds N  the time --bench-modes or --claims takes in all\n"
             "                       (default 40, at most 600)\n"
             "      --csv            with --bench-modes: CSV for plotting\n"
             "      --claims         judge the seed essay's twelve claims by rules in code from\n"
             "                       a --bench-modes run and probes; print the verdicts, exit\n"
             "      --markdown       with --claims: the verdicts as a Markdown table\n"
             "      --commands       list the commands of scenarios and the prompt\n"
             "      --knobs          list the knobs: name, values, what each does\n"
             "  -h, --help           this help\n"
             "  -V, --version        version\n");
}

/* "usage  help" lines, the help in column 38 (or under a long usage). */
static void usage_line(struct sbuf *out, const char *usage, const char *help)
{
    if (strlen(usage) < 36)
        sbuf_printf(out, "%-36s %s\n", usage, help);
    else
        sbuf_printf(out, "%s\n%-36s %s\n", usage, "", help);
}

void options_command_list(struct sbuf *out)
{
    struct cmd_entry c;
    for (size_t i = 0; cmd_at(i, &c) == 0; i++) {
        struct sbuf usage = {0};
        cmd_usage(&c, &usage);
        usage_line(out, sbuf_str(&usage), c.help);
        sbuf_free(&usage);
    }
}

void options_knob_list(struct sbuf *out, const struct options *o)
{
    const struct knob *k;
    for (size_t i = 0; (k = knob_at(i)); i++) {
        struct sbuf usage = {0}, help = {0};
        sbuf_printf(&usage, "%s ", k->name);
        knob_usage(k, &usage);
        /* Then the value it starts with, and where that came from. */
        sbuf_printf(&help, "%s  [", k->help);
        knob_format(k, knob_get(k, &o->server.knobs), true, &help);
        sbuf_add(&help, ": ");
        knob_origin_format(&o->server.origin[k->id], &help);
        sbuf_addc(&help, ']');
        usage_line(out, sbuf_str(&usage), sbuf_str(&help));
        sbuf_free(&usage);
        sbuf_free(&help);
    }
}

int compare_parse(const char *text, enum server_mode modes[2])
{
    char a[16], b[16];
    const char *comma = strchr(text, ',');
    if (!comma || (size_t)(comma - text) >= sizeof a || strlen(comma + 1) >= sizeof b)
        return -1;
    memcpy(a, text, (size_t)(comma - text));
    a[comma - text] = '\0';
    strcpy(b, comma + 1);
    return compare_modes_parse(a, b, modes);
}

/* "100x30,80x24": the sizes of --screens. */
static int screens_parse(const char *text, struct options *o, struct sbuf *err)
{
    char size[32];
    struct sbuf why = {0};
    o->nscreens = 0;
    for (const char *p = text;; p++) {
        size_t n = strcspn(p, ",");
        snprintf(size, sizeof size, "%.*s", (int)(n < sizeof size ? n : sizeof size - 1), p);
        if (o->nscreens == OPTIONS_MAX_SCREENS) {
            sbuf_printf(err, "--screens: at most %d sizes, found '%s'", OPTIONS_MAX_SCREENS, text);
            return -1;
        }
        if (n >= sizeof size || screen_size_parse(size, &o->screens[o->nscreens].w,
                                                  &o->screens[o->nscreens].h, &why) < 0) {
            sbuf_printf(err, "--screens: expected sizes COLSxROWS from %dx%d to %dx%d, "
                             "separated by commas, found '%s'",
                        SCREEN_MIN_W, SCREEN_MIN_H, SCREEN_MAX_W, SCREEN_MAX_H, text);
            sbuf_free(&why);
            return -1;
        }
        o->nscreens++;
        p += n;
        if (!*p)
            return 0;
    }
}

static int parse(int argc, char **argv, struct options *o, struct sbuf *err)
{
    enum {
        OPT_HEADLESS = 256, OPT_MAX_CONNS, OPT_COMMANDS, OPT_KNOBS, OPT_RATE, OPT_MONO,
        OPT_ASCII, OPT_BENCH_FRAMES, OPT_BENCH_CONNS, OPT_COMPARE, OPT_SCREENS, OPT_MAX_PER_PEER,
        OPT_RECORD, OPT_PANES, OPT_HANDOUT, OPT_SIZE, OPT_PLAY, OPT_LOOP,
        OPT_BENCH_MODES, OPT_BENCH_SECONDS, OPT_CSV, OPT_CLAIMS, OPT_MARKDOWN,
        OPT_KNOB = 512 /* + the knob's place in the table */
    };
    static const struct option base[] = {
        {"headless", no_argument, NULL, OPT_HEADLESS},
        {"port", required_argument, NULL, 'p'},
        {"listen", required_argument, NULL, 'l'},
        {"startup-file", required_argument, NULL, 'f'},
        {"rate", required_argument, NULL, OPT_RATE},
        {"max-conns", required_argument, NULL, OPT_MAX_CONNS},
        {"max-per-peer", required_argument, NULL, OPT_MAX_PER_PEER},
        {"commands", no_argument, NULL, OPT_COMMANDS},
        {"knobs", no_argument, NULL, OPT_KNOBS},
        {"mono", no_argument, NULL, OPT_MONO},
        {"compare", required_argument, NULL, OPT_COMPARE},
        {"ascii", no_argument, NULL, OPT_ASCII},
        {"panes", required_argument, NULL, OPT_PANES},
        {"screens", required_argument, NULL, OPT_SCREENS},
        {"record", required_argument, NULL, OPT_RECORD},
        {"handout", required_argument, NULL, OPT_HANDOUT},
        {"size", required_argument, NULL, OPT_SIZE},
        {"play", required_argument, NULL, OPT_PLAY},
        {"loop", no_argument, NULL, OPT_LOOP},
        {"bench-frames", required_argument, NULL, OPT_BENCH_FRAMES},
        {"bench-conns", required_argument, NULL, OPT_BENCH_CONNS},
        {"bench-modes", no_argument, NULL, OPT_BENCH_MODES},
        {"bench-seconds", required_argument, NULL, OPT_BENCH_SECONDS},
        {"csv", no_argument, NULL, OPT_CSV},
        {"claims", no_argument, NULL, OPT_CLAIMS},
        {"markdown", no_argument, NULL, OPT_MARKDOWN},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
    };
    /* The knobs' options come from their rows: --name, and -x if it has one. */
    struct option longopts[ARRAY_LEN(base) + KNOB_COUNT + 1];
    char shortopts[64] = ":p:l:f:hV";
    const struct knob *k;
    size_t nopts = 0;
    for (size_t i = 0; i < ARRAY_LEN(base); i++)
        longopts[nopts++] = base[i];
    for (size_t i = 0; (k = knob_at(i)); i++) {
        longopts[nopts++] = (struct option){k->name, required_argument, NULL, OPT_KNOB + (int)i};
        if (k->short_opt)
            snprintf(shortopts + strlen(shortopts), sizeof shortopts - strlen(shortopts), "%c:",
                     k->short_opt);
    }
    longopts[nopts] = (struct option){0, 0, 0, 0};
    unsigned long long v;
    int c;

    memset(o, 0, sizeof *o);
    o->panes = PANES_ALL;
    server_config_defaults(&o->server);
    o->bench_conns = 1000;
    o->bench_seconds = BENCH_SECONDS_DEFAULT;
    o->handout_size.w = 100;
    o->handout_size.h = 30;
    opterr = 0;
    /* 0, not 1: glibc then also forgets where it was inside a group of
     * short options (-hV stops at h), which a second call would go on
     * from (getopt(3)). */
    optind = 0;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        for (size_t i = 0; (k = knob_at(i)); i++)
            if (c == k->short_opt || c == OPT_KNOB + (int)i)
                break;
        if (k) {
            size_t value;
            if (knob_parse(k, optarg, &value) < 0) {
                struct sbuf what = {0};
                knob_expected(k, false, &what);
                sbuf_printf(err, "--%s: expected %s, found '%s'", k->name, sbuf_str(&what), optarg);
                sbuf_free(&what);
                return -1;
            }
            knob_set(k, &o->server.knobs, value);
            o->knobs_given = true;
            o->server.origin[k->id] = knob_origin(FROM_COMMAND_LINE, NULL, 0, 0);
            continue;
        }
        switch (c) {
        case OPT_HEADLESS:
            o->headless = true;
            break;
        case 'p':
            if (parse_uint(optarg, 65535, &v) < 0) {
                sbuf_printf(err, "--port: expected a port number from 0 to 65535, found '%s'",
                            optarg);
                return -1;
            }
            o->server.port = (uint16_t)v;
            o->port_given = true;
            break;
        case 'l':
            o->server.address = optarg;
            break;
        case OPT_RATE:
            if (parse_uint(optarg, ENGINE_RATE_MAX, &v) < 0 || v == 0) {
                sbuf_printf(err, "--rate: expected ticks per second from 1 to %d, found '%s'",
                            ENGINE_RATE_MAX, optarg);
                return -1;
            }
            o->rate = (unsigned)v;
            o->rate_from = knob_origin(FROM_COMMAND_LINE, NULL, 0, 0);
            break;
        case OPT_MAX_CONNS:
            if (parse_uint(optarg, 1000000, &v) < 0 || v == 0) {
                sbuf_printf(err, "--max-conns: expected a number from 1 to 1000000, found '%s'",
                            optarg);
                return -1;
            }
            o->server.max_conns = (size_t)v;
            break;
        case OPT_MAX_PER_PEER:
            if (parse_uint(optarg, 1000000, &v) < 0 || v == 0) {
                sbuf_printf(err, "--max-per-peer: expected a number from 1 to 1000000, found '%s'",
                            optarg);
                return -1;
            }
            o->server.max_per_peer = (size_t)v;
            break;
        case OPT_COMMANDS:
            o->action = ACTION_COMMANDS;
            break;
        case OPT_KNOBS:
            o->action = ACTION_KNOBS;
            break;
        case OPT_COMPARE:
            if (compare_parse(optarg, o->compare_modes) < 0) {
                sbuf_printf(err, "--compare: expected two different modes such as lt,et, found '%s'",
                            optarg);
                return -1;
            }
            o->compare = true;
            break;
        case OPT_MONO:
            o->mono = true;
            break;
        case OPT_ASCII:
            o->ascii = true;
            break;
        case 'f':
            o->startup_file = optarg;
            break;
        case OPT_PANES: {
            o->panes_from = knob_origin(FROM_COMMAND_LINE, NULL, 0, 0);
            struct sbuf why = {0};
            int rc = panes_parse(optarg, &o->panes, &why);
            if (rc < 0)
                sbuf_printf(err, "--panes: %s", sbuf_str(&why));
            sbuf_free(&why);
            if (rc < 0)
                return -1;
            break;
        }
        case OPT_SCREENS:
            if (screens_parse(optarg, o, err) < 0)
                return -1;
            break;
        case OPT_RECORD:
            o->record = optarg;
            break;
        case OPT_HANDOUT:
            o->handout = optarg;
            break;
        case OPT_PLAY:
            if (parse_uint(optarg, AUTOPLAY_MAX_SECONDS, &v) < 0 || v == 0) {
                sbuf_printf(err, "--play: expected seconds per step from 1 to %d, found '%s'",
                            AUTOPLAY_MAX_SECONDS, optarg);
                return -1;
            }
            o->play = (unsigned)v;
            break;
        case OPT_LOOP:
            o->loop = true;
            break;
        case OPT_SIZE: {
            struct sbuf why = {0};
            int rc = screen_size_parse(optarg, &o->handout_size.w, &o->handout_size.h, &why);
            if (rc < 0)
                sbuf_printf(err, "--size: expected COLSxROWS from %dx%d to %dx%d, found '%s'",
                            SCREEN_MIN_W, SCREEN_MIN_H, SCREEN_MAX_W, SCREEN_MAX_H, optarg);
            sbuf_free(&why);
            if (rc < 0)
                return -1;
            o->size_given = true;
            break;
        }
        case OPT_BENCH_FRAMES:
            if (parse_uint(optarg, 1000000, &v) < 0 || v == 0) {
                sbuf_printf(err, "--bench-frames: expected a number from 1 to 1000000, found '%s'",
                            optarg);
                return -1;
            }
            o->bench_frames = (unsigned)v;
            break;
        case OPT_BENCH_MODES:
            o->bench_modes = true;
            break;
        case OPT_CSV:
            o->csv = true;
            break;
        case OPT_CLAIMS:
            o->claims = true;
            break;
        case OPT_MARKDOWN:
            o->markdown = true;
            break;
        case OPT_BENCH_SECONDS:
            if (parse_uint(optarg, BENCH_SECONDS_MAX, &v) < 0 || v < 2) {
                sbuf_printf(err, "--bench-seconds: expected a number from 2 to %d, found '%s'",
                            BENCH_SECONDS_MAX, optarg);
                return -1;
            }
            o->bench_seconds = (unsigned)v;
            o->bench_seconds_given = true;
            break;
        case OPT_BENCH_CONNS:
            if (parse_uint(optarg, 20000, &v) < 0) {
                sbuf_printf(err, "--bench-conns: expected a number from 0 to 20000, found '%s'",
                            optarg);
                return -1;
            }
            o->bench_conns = (unsigned)v;
            break;
        case 'h':
            o->action = ACTION_HELP;
            return 0;
        case 'V':
            o->action = ACTION_VERSION;
            return 0;
        case ':':
            sbuf_printf(err, "%s needs a value", argv[optind - 1]);
            return -1;
        default: {
            /* getopt puts a long option's code in optopt; only a short
             * option's is a character worth printing. */
            const char *arg = argv[optind - 1];
            const char *eq = strchr(arg, '=');
            if (strncmp(arg, "--", 2) == 0 && eq)
                sbuf_printf(err, "%.*s takes no value", (int)(eq - arg), arg);
            else if (strncmp(arg, "--", 2) == 0)
                sbuf_printf(err, "unknown or ambiguous option '%s'", arg);
            else if (optopt > 0x20 && optopt < 0x7f)
                sbuf_printf(err, "unknown option '-%c'", optopt);
            else
                sbuf_printf(err, "unknown option '%s'", arg);
            return -1;
        }
        }
    }
    if (optind < argc)
        o->scenario = argv[optind++];
    if (optind < argc) {
        sbuf_printf(err, "unexpected argument '%s' (one scenario at a time)", argv[optind]);
        return -1;
    }
    if (o->handout && strcmp(o->handout, "all") == 0) {
        /* The argument after "all" is where the files go. */
        if (!o->scenario) {
            sbuf_add(err, "--handout all needs a DIR to write the handouts to");
            return -1;
        }
        o->handout_dir = o->scenario;
        o->scenario = NULL;
    } else if (o->handout) {
        if (o->scenario) {
            sbuf_printf(err, "unexpected argument '%s' (--handout takes the lesson)", o->scenario);
            return -1;
        }
        o->scenario = o->handout;
    }
    if (o->size_given && !o->handout) {
        sbuf_add(err, "--size is the size of --handout's screens; give --handout too");
        return -1;
    }
    if (o->loop && !o->play) {
        sbuf_add(err, "--loop restarts what --play plays; give --play SECONDS too");
        return -1;
    }
    if (o->csv && !o->bench_modes) {
        sbuf_add(err, "--csv is how --bench-modes prints; give --bench-modes too");
        return -1;
    }
    if (o->markdown && !o->claims) {
        sbuf_add(err, "--markdown is how --claims prints; give --claims too");
        return -1;
    }
    if (o->bench_seconds_given && !o->bench_modes && !o->claims) {
        sbuf_add(err, "--bench-seconds bounds --bench-modes or --claims; give one of them too");
        return -1;
    }
    if (o->bench_modes && o->claims) {
        sbuf_add(err, "--claims runs --bench-modes itself; give one of them");
        return -1;
    }
    if (o->play && !o->scenario) {
        sbuf_add(err, "--play needs a SCENARIO to play");
        return -1;
    }
    if (o->play && (o->headless || o->nscreens || o->handout)) {
        sbuf_add(err, "--play plays the terminal UI, not --headless, --screens or --handout");
        return -1;
    }
    if (o->nscreens && !o->scenario) {
        sbuf_add(err, "--screens needs a SCENARIO to step through");
        return -1;
    }
    return 0;
}

int options_parse(int argc, char **argv, struct options *o, struct sbuf *err)
{
    /* The message quotes what was typed, and main() prints it: any byte a
     * terminal would obey comes back escaped. */
    struct sbuf msg = {0};
    int rc = parse(argc, argv, o, &msg);
    if (rc < 0)
        sbuf_add_sanitized(err, sbuf_str(&msg));
    sbuf_free(&msg);
    return rc;
}
