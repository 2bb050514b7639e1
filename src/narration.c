/*
 * narration.c - a step's narration wrapped, and its pages (narration.h).
 */
#include "narration.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "widgets.h"

/* Lines a step may say; far more than any lesson does (20 at 80 columns). */
#define NARRATION_MAX_LINES 256

static bool ends_sentence(const char *s, size_t i, size_t len)
{
    return (s[i] == '.' || s[i] == '?' || s[i] == '!') && (i + 1 == len || s[i + 1] == ' ');
}

void narration_wrap(struct narration *nr, const char *text, int width)
{
    memset(nr, 0, sizeof *nr);
    nr->line = xcalloc(NARRATION_MAX_LINES, sizeof *nr->line);
    nr->sentence_from = xcalloc(NARRATION_MAX_LINES, sizeof *nr->sentence_from);
    nr->para_start = xcalloc(NARRATION_MAX_LINES, sizeof *nr->para_start);
    nr->width = width;
    while (*text && nr->n < NARRATION_MAX_LINES) {
        size_t len = strcspn(text, "\n"), room = NARRATION_MAX_LINES - nr->n;
        char *para = xmalloc(len + 1);
        memcpy(para, text, len);
        para[len] = '\0';
        size_t first = nr->n, got = wrap_text(para, width, nr->line + first, room);
        nr->n += got < room ? got : room; /* wrap_text keeps only `room` of them */
        if (first < nr->n)
            nr->para_start[first] = true;
        /* A paragraph starts a sentence; so does the text after ". " */
        size_t from = first;
        for (size_t i = first; i < nr->n; i++) {
            nr->sentence_from[i] = from;
            const char *l = nr->line[i];
            size_t ll = strlen(l);
            for (size_t k = 0; k < ll; k++)
                if (ends_sentence(l, k, ll))
                    from = k + 1 < ll ? i : i + 1; /* the next begins on this line or the next */
        }
        free(para);
        text += len + (text[len] == '\n');
    }
}

void narration_free(struct narration *nr)
{
    for (size_t i = 0; i < nr->n; i++)
        free(nr->line[i]);
    free(nr->line);
    free(nr->sentence_from);
    free(nr->para_start);
    memset(nr, 0, sizeof *nr);
}

size_t narration_pages(const struct narration *nr, size_t extra, size_t rows, size_t *starts,
                       size_t max)
{
    size_t total = nr->n + extra, pages = 0, start = 0;
    if (rows == 0)
        rows = 1;
    for (;;) {
        if (pages < max)
            starts[pages] = start;
        pages++;
        size_t end = start + rows; /* the first line this page cannot show */
        if (end >= total)
            break;
        /* The next page begins with the sentence this one cuts; a line
         * past the narration (an expect) is a sentence of its own. */
        size_t next = end < nr->n ? nr->sentence_from[end] : end;
        if (next <= start) /* a sentence longer than a page: go on from where it stopped */
            next = end;
        start = next;
    }
    return pages;
}

/* Where the last sentence that begins inside line `l` (not at its start)
 * begins: just past the last stop that has more of the line after it; 0
 * when none does. */
static size_t last_sentence_at(const char *l)
{
    size_t ll = strlen(l), at = 0;
    for (size_t k = 0; k + 1 < ll; k++)
        if (ends_sentence(l, k, ll))
            at = k + 1;
    return at;
}

/* Whether page `page` begins with a sentence (rather than going on with
 * one longer than a page): its start is where the sentence cut by the
 * previous page's window began. */
static bool begins_a_sentence(const struct narration *nr, size_t rows, const size_t *starts,
                              size_t page)
{
    size_t cut = starts[page - 1] + rows;
    return cut < nr->n && starts[page] < nr->n && nr->sentence_from[cut] == starts[page] &&
           starts[page] > starts[page - 1];
}

void narration_page_span(const struct narration *nr, size_t total, size_t rows,
                         const size_t *starts, size_t pages, size_t page,
                         struct narration_page *out)
{
    size_t from = starts[page], full = from + rows < total ? from + rows : total;
    *out = (struct narration_page){.from = from, .end = full};
    if (page > 0 && begins_a_sentence(nr, rows, starts, page)) {
        /* Its first line may end the previous page's last sentence:
         * that part was read there. */
        out->skip = last_sentence_at(nr->line[from]);
        while (out->skip && nr->line[from][out->skip] == ' ')
            out->skip++;
    }
    if (page + 1 >= pages || !begins_a_sentence(nr, rows, starts, page + 1))
        return; /* the last page, or the next goes on where this one stops */
    /* The next page begins with a sentence this window would show only
     * the start of: stop before its line, and of that line keep what
     * ends the sentences begun earlier. */
    out->end = starts[page + 1];
    out->head = last_sentence_at(nr->line[out->end]);
}

size_t narration_page_lines(const struct narration *nr, const struct narration_page *pg,
                            char **lines, size_t max)
{
    if (pg->from >= nr->n || max == 0)
        return 0;
    size_t n = 0, i = pg->from, stop = pg->end < nr->n ? pg->end : nr->n;
    bool head_done = false;
    if (pg->skip > 0) {
        /* The first paragraph from this page's first sentence, wrapped
         * again: greedy wrapping from a row's start never takes more
         * rows than the same words took from the middle of one. */
        struct sbuf para = {0};
        sbuf_add(&para, nr->line[i] + pg->skip);
        for (i++; i < stop && !nr->para_start[i]; i++)
            sbuf_printf(&para, " %s", nr->line[i]);
        if (i == stop && pg->head > 0 && !nr->para_start[stop]) {
            sbuf_addc(&para, ' ');
            sbuf_addn(&para, nr->line[stop], pg->head);
            head_done = true;
        }
        size_t got = wrap_text(sbuf_str(&para), nr->width, lines, max);
        n = got < max ? got : max;
        sbuf_free(&para);
    }
    for (; i < stop && n < max; i++)
        lines[n++] = xstrdup(nr->line[i]);
    if (pg->head > 0 && !head_done && n < max) {
        lines[n] = xstrdup(nr->line[stop]);
        lines[n++][pg->head] = '\0';
    }
    return n;
}
