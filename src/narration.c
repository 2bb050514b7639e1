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
    while (*text && nr->n < NARRATION_MAX_LINES) {
        size_t len = strcspn(text, "\n"), room = NARRATION_MAX_LINES - nr->n;
        char *para = xmalloc(len + 1);
        memcpy(para, text, len);
        para[len] = '\0';
        size_t first = nr->n, got = wrap_text(para, width, nr->line + first, room);
        nr->n += got < room ? got : room; /* wrap_text keeps only `room` of them */
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
