/*
 * narration.h - the narration pane: what a step says, wrapped to the
 * pane's width, and the pages it takes when it does not fit.
 *
 * A lesson's sentences are what a teacher reads to the class, so none is
 * ever cut: a step that does not fit in the pane is shown in pages, and
 * every page after the first starts on the line where the sentence the
 * previous page could not show whole begins, and each page shows a full
 * window from its start: so each sentence can be read whole on some page
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
    size_t n;
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

#endif
