/*
 * narration.h - the narration pane: what a step says, wrapped to the
 * pane's width, and the pages it takes when it does not fit.
 *
 * A lesson's sentences are what a teacher reads to the class, so none is
 * ever cut: a step that does not fit in the pane is shown in pages, and
 * every page after the first starts on the line where the sentence the
 * previous page could not show whole begins.  A page shows its lines up
 * to that sentence and stops there (narration_page_span): on the line it
 * begins on, only the sentences that end there.  So each sentence is read
 * whole on some page, and none is begun on a page that cannot end it,
 * unless it is longer than a page by itself.
 */
#ifndef EPOLLVIZ_NARRATION_H
#define EPOLLVIZ_NARRATION_H

#include <stdbool.h>
#include <stddef.h>

/* The lines of a step's say paragraphs, wrapped; for each line, the line
 * on which the sentence in progress at its start began. */
struct narration {
    char **line;
    size_t *sentence_from;
    bool *para_start; /* the line begins a paragraph (a `say`) */
    size_t n;
    int width; /* what the lines were wrapped to */
};

/* Wraps `text` (paragraphs separated by "\n") to `width` columns. */
void narration_wrap(struct narration *nr, const char *text, int width);
void narration_free(struct narration *nr);

/* Where each page starts when `items` lines (the narration's, then
 * `extra` one-line items such as expects, each a sentence of its own)
 * show `rows` at a time.  Fills starts[0..] (starts[0] = 0) and returns
 * the number of pages (1 when everything fits); at most `max` are kept. */
size_t narration_pages(const struct narration *nr, size_t extra, size_t rows, size_t *starts,
                       size_t max);

/* What page `page` of `pages` (starts as narration_pages gave them, for
 * `total` items shown `rows` at a time) shows: items [from, end), the
 * first of them from byte `skip` (0: whole; else past the sentences of
 * the previous page that end on the line this page's first sentence
 * begins on), and then, when `head` > 0, the first `head` bytes of item
 * `end` (the sentences that end on the line where the next page's first
 * sentence begins). */
struct narration_page {
    size_t from, skip, end, head;
};
void narration_page_span(const struct narration *nr, size_t total, size_t rows,
                         const size_t *starts, size_t pages, size_t page,
                         struct narration_page *out);

/* The narration lines page `pg` shows (its expects not included), each a
 * malloc'd string stored in lines[] (at most max); returns how many.  A
 * page that begins inside a line has the rest of that paragraph wrapped
 * again from its first sentence, so that sentence starts a row: never
 * more rows than the span's lines. */
size_t narration_page_lines(const struct narration *nr, const struct narration_page *pg,
                            char **lines, size_t max);

#endif
