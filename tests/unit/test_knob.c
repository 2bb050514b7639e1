/*
 * test_knob.c - the knob table: every row parses what it formats, Tab
 * offers exactly the words its parser takes, ladders step in order and
 * stop at their ends (or wrap, for a toggle), and every reader the row
 * promises (the command, the option, the keys) finds it.
 */
#include "harness.h"

#include "command.h"
#include "complete.h"
#include "keymap.h"
#include "knob.h"
#include "options.h"

/* v formats to a text that parses back to v. */
static void check_round_trip(const struct knob *k, size_t v)
{
    struct sbuf text = {0};
    size_t back = ~(size_t)0;
    knob_format(k, v, false, &text);
    if (knob_parse(k, sbuf_str(&text), &back) < 0 || back != v)
        harness_fail(__FILE__, __LINE__, "%s: %zu formats as '%s', which parses as %zu", k->name,
                     v, sbuf_str(&text), back);
    CHECK(knob_valid(k, v));
    sbuf_free(&text);
}

void test_knob_rows_parse_what_they_format(void)
{
    const struct knob *k;
    size_t n = 0;
    for (size_t i = 0; (k = knob_at(i)); i++, n++) {
        CHECK(knob_by_id(k->id) == k);
        CHECK(knob_by_name(k->name) == k);
        REQUIRE(k->help && (k->words || k->number));
        for (const struct knob_word *w = k->words; w && w->word; w++)
            check_round_trip(k, w->value);
        for (size_t l = 0; l < k->nladder; l++)
            check_round_trip(k, k->ladder[l]);
        if (k->number) {
            check_round_trip(k, k->min);
            check_round_trip(k, k->max);
            size_t v;
            CHECK_EQ(knob_parse(k, "0", &v), k->min == 0 ? 0 : -1); /* numbers start at min */
            /* a number past the range is refused, and the error names the range */
            struct sbuf text = {0}, what = {0};
            sbuf_printf(&text, "%zu", k->max + 1);
            CHECK_EQ(knob_parse(k, sbuf_str(&text), &v), -1);
            knob_expected(k, false, &what);
            sbuf_reset(&text);
            sbuf_printf(&text, "from %zu to %zu", k->min, k->max);
            CHECK_CONTAINS(sbuf_str(&what), sbuf_str(&text));
            sbuf_free(&text);
            sbuf_free(&what);
        }
        size_t v;
        CHECK_EQ(knob_parse(k, "", &v), -1);
        CHECK_EQ(knob_parse(k, "nonsense", &v), -1);
        /* The field holds what it is given. */
        struct knobs kn;
        knobs_defaults(&kn);
        CHECK_EQ(knob_get(k, &kn), k->defval);
        for (const struct knob_word *w = k->words; w && w->word; w++) {
            knob_set(k, &kn, w->value);
            CHECK_EQ(knob_get(k, &kn), w->value);
        }
        /* The usage lists the words the parser takes. */
        struct sbuf usage = {0};
        knob_usage(k, &usage);
        for (const struct knob_word *w = k->words; w && w->word; w++)
            CHECK_CONTAINS(sbuf_str(&usage), w->word);
        sbuf_free(&usage);
    }
    CHECK_EQ(n, KNOB_COUNT);
    /* The words of the knobs that have always had them. */
    size_t v = 0;
    CHECK(knob_parse(knob_by_id(KNOB_MODE), "oneshot", &v) == 0 && v == MODE_ONESHOT);
    CHECK(knob_parse(knob_by_id(KNOB_BUDGET), "drain", &v) == 0 && v == BUDGET_DRAIN);
    CHECK(knob_parse(knob_by_id(KNOB_BUDGET), "16", &v) == 0 && v == 16);
    CHECK(knob_parse(knob_by_id(KNOB_EOF), "ignore", &v) == 0 && v == 1);
    struct sbuf what = {0};
    knob_expected(knob_by_id(KNOB_BUDGET), false, &what);
    CHECK_STR(sbuf_str(&what), "a byte count from 1 to 1048576 or 'drain'");
    sbuf_reset(&what);
    knob_expected(knob_by_id(KNOB_MODE), false, &what);
    CHECK_STR(sbuf_str(&what), "lt, et or oneshot");
    sbuf_free(&what);
}

struct words {
    char list[16][24];
    size_t n;
};

static void collect(void *ctx, const char *word)
{
    struct words *w = ctx;
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->list[i], word) == 0)
            return;
    if (w->n < 16)
        snprintf(w->list[w->n++], sizeof w->list[0], "%s", word);
}

void test_knob_completion_offers_the_parsers_words(void)
{
    const struct knob *k;
    for (size_t i = 0; (k = knob_at(i)); i++) {
        struct words want = {0};
        for (const struct knob_word *w = k->words; w && w->word; w++)
            collect(&want, w->word);
        for (size_t l = 0; l < k->nladder; l++) {
            struct sbuf s = {0};
            knob_format(k, k->ladder[l], false, &s);
            collect(&want, sbuf_str(&s));
            sbuf_free(&s);
        }
        /* What Tab offers after "name " at the prompt: exactly those. */
        struct sbuf line = {0};
        struct completion c;
        sbuf_printf(&line, "%s ", k->name);
        complete_line(NULL, NULL, sbuf_str(&line), line.len, &c);
        if (c.n != want.n)
            harness_fail(__FILE__, __LINE__, "%s: Tab offers %zu words, the row %zu", k->name, c.n,
                         want.n);
        for (size_t j = 0; j < c.n; j++) {
            size_t v;
            bool listed = false;
            for (size_t w = 0; w < want.n; w++)
                listed |= strcmp(want.list[w], c.words[j]) == 0;
            if (!listed || knob_parse(k, c.words[j], &v) < 0)
                harness_fail(__FILE__, __LINE__, "%s: Tab offers '%s', which %s", k->name,
                             c.words[j], listed ? "does not parse" : "the row does not have");
        }
        completion_free(&c);
        /* ... and every word the parser takes is offered. */
        for (const struct knob_word *w = k->words; w && w->word; w++) {
            sbuf_reset(&line);
            sbuf_printf(&line, "%s %.1s", k->name, w->word);
            complete_line(NULL, NULL, sbuf_str(&line), line.len, &c);
            bool offered = false;
            for (size_t j = 0; j < c.n; j++)
                offered |= strcmp(c.words[j], w->word) == 0;
            if (!offered)
                harness_fail(__FILE__, __LINE__, "%s: '%s' is not offered", k->name, w->word);
            completion_free(&c);
        }
        sbuf_free(&line);
    }
}

void test_knob_ladders_step_in_order_and_stop_at_ends(void)
{
    const struct knob *k;
    size_t ladders = 0;
    for (size_t i = 0; (k = knob_at(i)); i++) {
        size_t n = k->nladder, next;
        if (!n) {
            CHECK(!k->key_up && !k->key_down); /* a key needs a ladder */
            CHECK(!knob_step(k, k->defval, true, &next));
            continue;
        }
        ladders++;
        CHECK(k->key_up != 0);
        /* Up and down visit the ladder in its order. */
        for (size_t l = 0; l + 1 < n; l++) {
            CHECK(knob_step(k, k->ladder[l], true, &next));
            CHECK_EQ(next, k->ladder[l + 1]);
            CHECK(knob_step(k, k->ladder[l + 1], false, &next));
            CHECK_EQ(next, k->ladder[l]);
        }
        /* At the ends: a toggle wraps, any other ladder stops and stays. */
        bool moved = knob_step(k, k->ladder[n - 1], true, &next);
        CHECK_EQ(moved, k->wraps);
        CHECK_EQ(next, k->wraps ? k->ladder[0] : k->ladder[n - 1]);
        moved = knob_step(k, k->ladder[0], false, &next);
        CHECK_EQ(moved, k->wraps);
        CHECK_EQ(next, k->wraps ? k->ladder[n - 1] : k->ladder[0]);
        /* Its keys find it, and the key table hands them to it. */
        bool up = false;
        CHECK(knob_by_key(k->key_up, &up) == k && up);
        CHECK_EQ(keymap_action(k->key_up), ACT_KNOB);
        if (k->key_down) {
            CHECK(knob_by_key(k->key_down, &up) == k && !up);
            CHECK_EQ(keymap_action(k->key_down), ACT_KNOB);
        }
    }
    CHECK_EQ(ladders, 4); /* m, b/B, e, a */
    /* The budget ladder: drain is its top, 1 its bottom; values between
     * the steps go to the next step either way. */
    const struct knob *b = knob_by_id(KNOB_BUDGET);
    size_t next;
    CHECK(!knob_step(b, BUDGET_DRAIN, true, &next) && next == BUDGET_DRAIN);
    CHECK(!knob_step(b, 1, false, &next) && next == 1);
    CHECK(knob_step(b, 100, true, &next) && next == 512);
    CHECK(knob_step(b, 100, false, &next) && next == 64);
    CHECK(knob_step(b, 4096, true, &next) && next == BUDGET_DRAIN);
    /* m toggles LT and ET; from one-shot it goes to LT. */
    const struct knob *m = knob_by_id(KNOB_MODE);
    CHECK(knob_step(m, MODE_LT, true, &next) && next == MODE_ET);
    CHECK(knob_step(m, MODE_ET, true, &next) && next == MODE_LT);
    CHECK(knob_step(m, MODE_ONESHOT, true, &next) && next == MODE_LT);
    /* e walks the readers round: eagain, short, once, eagain. */
    const struct knob *r = knob_by_id(KNOB_READER);
    CHECK(knob_step(r, STRATEGY_EAGAIN, true, &next) && next == STRATEGY_SHORT);
    CHECK(knob_step(r, STRATEGY_SHORT, true, &next) && next == STRATEGY_ONCE);
    CHECK(knob_step(r, STRATEGY_ONCE, true, &next) && next == STRATEGY_EAGAIN);
}

/* The header names the reader only once it is not the default, so the
 * lessons that never set it read as before; the budget always. */
void test_knob_header_shows_a_changed_reader(void)
{
    struct knobs kn;
    knobs_defaults(&kn);
    const struct knob *r = knob_by_id(KNOB_READER);
    CHECK(!knob_in_header(r, &kn));
    CHECK(knob_in_header(knob_by_id(KNOB_BUDGET), &kn));
    knob_set(r, &kn, STRATEGY_SHORT);
    CHECK(knob_in_header(r, &kn));
    CHECK_STR(reader_name(kn.reader), "short");
}

void test_knob_every_row_is_a_command_and_an_option(void)
{
    const struct knob *k;
    for (size_t i = 0; (k = knob_at(i)); i++) {
        struct cmd_entry c;
        struct sbuf why = {0};
        REQUIRE(cmd_lookup(k->name, &c, &why) == 0);
        CHECK(c.knob == k);
        CHECK_STR(c.help, k->help);
        sbuf_free(&why);
        /* The command takes what the parser takes, into the line. */
        for (const struct knob_word *w = k->words; w && w->word; w++) {
            struct cmd_line l;
            struct parse_error err;
            struct sbuf text = {0};
            parse_error_init(&err);
            sbuf_printf(&text, "%s %s", k->name, w->word);
            if (cmd_parse(sbuf_str(&text), &l, &err) == 0)
                CHECK_EQ(l.arg.value, w->value);
            else
                harness_fail(__FILE__, __LINE__, "%s: %s", sbuf_str(&text), sbuf_str(&err.msg));
            cmd_line_free(&l);
            parse_error_free(&err);
            sbuf_free(&text);
        }
        /* --name VALUE sets its field, and -x when it has one. */
        size_t last = k->number ? k->max : k->words[0].value;
        struct sbuf arg = {0}, opt = {0};
        knob_format(k, last, false, &arg);
        sbuf_printf(&opt, "--%s", k->name);
        char prog[] = "epollviz";
        char *argv[] = {prog, opt.s, arg.s, NULL};
        struct options o;
        struct sbuf err = {0};
        CHECK_EQ(options_parse(3, argv, &o, &err), 0);
        CHECK_EQ(knob_get(k, &o.server.knobs), last);
        if (k->short_opt) {
            char flag[3] = {'-', k->short_opt, 0};
            char *argv2[] = {prog, flag, arg.s, NULL};
            CHECK_EQ(options_parse(3, argv2, &o, &err), 0);
            CHECK_EQ(knob_get(k, &o.server.knobs), last);
        }
        CHECK_EQ(err.len, 0);
        sbuf_free(&err);
        sbuf_free(&arg);
        sbuf_free(&opt);
    }
}

/* Each origin in words, as show knobs and --knobs write it. */
void test_knob_origin_in_words(void)
{
    static const struct {
        enum knob_from from;
        const char *file;
        unsigned line;
        int key;
        const char *want;
    } cases[] = {
        {FROM_DEFAULT, NULL, 0, 0, "default"},
        {FROM_FILE, "/home/t/.config/epollviz/epollvizrc", 3, 0,
         "startup file /home/t/.config/epollviz/epollvizrc:3"},
        {FROM_COMMAND_LINE, NULL, 0, 0, "command line"},
        {FROM_LESSON, NULL, 0, 0, "lesson start"},
        {FROM_SCENARIO, "scenarios/04-et-starvation.scn", 12, 0,
         "scenario scenarios/04-et-starvation.scn:12"},
        {FROM_PROMPT, NULL, 0, 0, "prompt"},
        {FROM_KEY, NULL, 0, 'b', "key b"},
        {FROM_KEY, NULL, 0, 'B', "key B"},
        {FROM_FILE, "rc\x1b[2J", 1, 0, "startup file rc\\x1b[2J:1"}, /* escaped */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct knob_origin o = knob_origin(cases[i].from, cases[i].file, cases[i].line, cases[i].key);
        struct sbuf b = {0};
        knob_origin_format(&o, &b);
        CHECK_STR(sbuf_str(&b), cases[i].want);
        sbuf_free(&b);
    }
    /* A long file name is cut to fit, never past the buffer. */
    char longname[400];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    struct knob_origin o = knob_origin(FROM_FILE, longname, 1, 0);
    CHECK_EQ(strlen(o.file), KNOB_ORIGIN_FILE - 1);
}
