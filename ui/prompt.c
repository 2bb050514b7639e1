/*
 * prompt.c - readline inside ncurses (docs/DECISIONS.md, "The prompt"):
 * our getc over a queue of the bytes ncurses read, no terminal or signal
 * handling by readline, our redisplay.
 */
#include "prompt.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "complete.h"
#include "keymap.h"

#define HISTORY_LINES 1000
#define QUEUE 512

static struct presenter *presenter;
static bool installed;
static void word_keys(void);
static FILE *devnull;
static char history_path[4096];

/* Bytes for readline: everything one drain of getch produced, so that a
 * UTF-8 character or an escape sequence is whole when readline reads it. */
static unsigned char queue[QUEUE];
static size_t qhead, qtail;

static int queue_getc(FILE *f)
{
    (void)f;
    return qhead < qtail ? queue[qhead++] : EOF;
}

static int queue_available(void)
{
    return qhead < qtail;
}

static void enqueue(const char *bytes, size_t n)
{
    if (qhead == qtail)
        qhead = qtail = 0;
    for (size_t i = 0; i < n && qtail < QUEUE; i++)
        queue[qtail++] = (unsigned char)bytes[i];
}

static void redisplay(void)
{
    presenter_prompt_show(presenter, rl_display_prompt ? rl_display_prompt : "",
                          rl_line_buffer ? rl_line_buffer : "", (size_t)rl_point);
}

static void show_matches(char **matches, int n, int longest)
{
    (void)longest;
    /* matches[0] is the common prefix; the candidates follow. */
    presenter_prompt_matches(presenter, matches + 1, (size_t)n);
    redisplay();
}

static struct completion current;
static size_t current_next;

static char *generate(const char *text, int state)
{
    (void)text;
    if (state == 0)
        current_next = 0;
    return current_next < current.n ? strdup(current.words[current_next++]) : NULL;
}

static char **complete(const char *text, int start, int end)
{
    (void)start;
    completion_free(&current);
    complete_line(presenter_engine(presenter), presenter_dirs(presenter), rl_line_buffer,
                  (size_t)end, &current);
    rl_attempted_completion_over = 1; /* never fall back to file names */
    return rl_completion_matches(text, generate);
}

static void save_line(const char *line)
{
    if (!*line)
        return;
    HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1) : NULL;
    if (last && strcmp(last->line, line) == 0)
        return;
    add_history(line);
    if (history_path[0] && append_history(1, history_path) != 0)
        write_history(history_path); /* the file did not exist yet */
}

static void stop_readline(void)
{
    if (installed) {
        rl_callback_handler_remove();
        installed = false;
    }
}

static void on_line(char *line)
{
    if (!line) { /* Ctrl-D on an empty line */
        presenter_prompt_close(presenter);
        stop_readline();
        return;
    }
    save_line(line);
    presenter_prompt_submit(presenter, line);
    free(line);
    if (!presenter_prompt_active(presenter))
        stop_readline();
}

static void history_file(void)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    char dir[4000];
    if (state && *state == '/')
        snprintf(dir, sizeof dir, "%s/epollviz", state);
    else if (home && *home)
        snprintf(dir, sizeof dir, "%s/.local/state/epollviz", home);
    else
        return;
    /* mkdir -p, quietly: without a history the prompt still works. */
    for (char *p = dir + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0700);
            *p = '/';
        }
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return;
    snprintf(history_path, sizeof history_path, "%s/history", dir);
}

void prompt_init(struct presenter *p)
{
    presenter = p;
    devnull = fopen("/dev/null", "w");
    rl_readline_name = "epollviz";
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_change_environment = 0; /* else it exports LINES/COLUMNS over ncurses' */
    rl_prep_term_function = NULL;
    rl_deprep_term_function = NULL;
    rl_getc_function = queue_getc;
    rl_input_available_hook = queue_available;
    rl_redisplay_function = redisplay;
    rl_instream = stdin;
    rl_outstream = devnull ? devnull : stdout; /* nothing readline prints reaches the screen */
    rl_attempted_completion_function = complete;
    rl_completion_display_matches_hook = show_matches;
    rl_completer_word_break_characters = (char *)" \t";
    rl_initialize();
    /* Our redisplay means readline never reads the terminal's key table,
     * so the keys ncurses decodes and we pass on as xterm sequences need
     * their meaning here (an inputrc may still bind them otherwise). */
    rl_bind_keyseq_if_unbound("\033[3~", rl_delete);
    rl_bind_keyseq_if_unbound("\033[H", rl_beg_of_line);
    rl_bind_keyseq_if_unbound("\033[F", rl_end_of_line);
    rl_bind_keyseq_if_unbound("\033[A", rl_get_previous_history);
    rl_bind_keyseq_if_unbound("\033[B", rl_get_next_history);
    rl_bind_keyseq_if_unbound("\033[C", rl_forward_char);
    rl_bind_keyseq_if_unbound("\033[D", rl_backward_char);
    /* Re-reading the inputrc (C-x C-r) would print its errors over the
     * screen; they were shown on the terminal before the screen started. */
    rl_unbind_function_in_map(rl_re_read_init_file, emacs_standard_keymap);
    rl_unbind_function_in_map(rl_re_read_init_file, vi_movement_keymap);
    rl_variable_bind("bell-style", "none");
    rl_variable_bind("show-all-if-ambiguous", "on");
    using_history();
    stifle_history(HISTORY_LINES);
    history_file();
    if (history_path[0])
        read_history(history_path);
}

void prompt_shutdown(void)
{
    stop_readline();
    completion_free(&current);
    if (history_path[0])
        history_truncate_file(history_path, HISTORY_LINES);
    rl_clear_history(); /* clear_history() would keep the undo lists of edited entries */
    if (devnull)
        fclose(devnull);
    devnull = NULL;
}

void prompt_sync(void)
{
    static bool looked;
    if (!looked) { /* needs the terminal, which is up by the first key */
        looked = true;
        word_keys();
    }
    if (presenter_prompt_active(presenter) && !installed) {
        installed = true;
        rl_callback_handler_install(":", on_line);
        redisplay();
    } else if (!presenter_prompt_active(presenter) && installed) {
        stop_readline();
    }
}

void prompt_cancel(void)
{
    if (installed) {
        rl_free_line_state();
        rl_callback_sigcleanup();
        rl_replace_line("", 0);
        stop_readline();
    }
    qhead = qtail = 0;
    presenter_prompt_close(presenter);
}

/* Ctrl- and Alt- arrows have no fixed codes in ncurses: terminfo names
 * them (kLFT5 ...), and key_defined() says which code this terminal got. */
static int ctrl_left, ctrl_right, alt_left, alt_right;

static int key_named(const char *cap)
{
    const char *seq = tigetstr(cap);
    return seq && seq != (const char *)-1 ? key_defined(seq) : 0;
}

static void word_keys(void)
{
    ctrl_left = key_named("kLFT5");
    ctrl_right = key_named("kRIT5");
    alt_left = key_named("kLFT3");
    alt_right = key_named("kRIT3");
}

/* Keys ncurses decoded, given back to readline as the bytes a terminal
 * sends for them. */
static const char *key_bytes(int ch)
{
    if (ch > 0 && (ch == ctrl_left || ch == alt_left))
        return "\033b"; /* backward-word */
    if (ch > 0 && (ch == ctrl_right || ch == alt_right))
        return "\033f"; /* forward-word */
    switch (ch) {
    case KEY_UP: return "\033[A";
    case KEY_DOWN: return "\033[B";
    case KEY_RIGHT: return "\033[C";
    case KEY_LEFT: return "\033[D";
    case KEY_HOME: return "\033[H";
    case KEY_END: return "\033[F";
    case KEY_DC: return "\033[3~";
    case KEY_BACKSPACE: return "\177";
    case KEY_ENTER: return "\r";
    default: return NULL;
    }
}

bool prompt_key(int ch, int (*next)(void))
{
    prompt_sync();
    if (ch != '\t')
        presenter_prompt_matches(presenter, NULL, 0); /* the list was for that Tab */
    if (ch == KEY_CODE_ESC) {
        int after = next();
        /* A bare ESC cancels; so do two read at once (a presenter
         * pressing Esc twice), which readline would take as M-ESC. */
        if (after == ERR || after == KEY_CODE_ESC) {
            prompt_cancel();
            return true;
        }
        /* Meta and a key: ESC, then the key's own bytes. */
        const char *seq = after < 256 ? NULL : key_bytes(after);
        char b[2] = {KEY_CODE_ESC, (char)after};
        enqueue(b, 1);
        if (seq)
            enqueue(seq, strlen(seq));
        else if (after < 256)
            enqueue(b + 1, 1);
    } else if (ch == KEY_CTRL('G')) {
        prompt_cancel();
        return true;
    } else if (ch < 256) {
        char b = (char)ch;
        enqueue(&b, 1);
    } else {
        const char *seq = key_bytes(ch);
        if (!seq)
            return false;
        enqueue(seq, strlen(seq));
    }
    while (installed && queue_available())
        rl_callback_read_char();
    if (!installed)
        qhead = qtail = 0;
    return true;
}
