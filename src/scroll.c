/*
 * scroll.c - cursor and top of a scrolling list (see scroll.h).
 */
#include "scroll.h"

size_t scroll_top(size_t top, size_t cursor, size_t count, size_t rows)
{
    if (!rows)
        return top;
    if (cursor >= count)
        cursor = count ? count - 1 : 0;
    if (top > cursor)
        top = cursor;
    if (cursor >= top + rows)
        top = cursor - rows + 1;
    return scroll_clamp(top, count, rows);
}

size_t scroll_clamp(size_t top, size_t count, size_t rows)
{
    if (top + rows > count)
        top = count > rows ? count - rows : 0;
    return top;
}

bool scroll_key(size_t *at, enum key_action a, size_t count, size_t page)
{
    size_t last = count ? count - 1 : 0;
    if (page == 0)
        page = 1;
    switch (a) {
    case ACT_UP:
        *at = *at > 0 ? *at - 1 : 0;
        break;
    case ACT_DOWN:
        *at = *at < last ? *at + 1 : last;
        break;
    case ACT_PAGE_UP:
        *at = *at > page ? *at - page : 0;
        break;
    case ACT_PAGE_DOWN:
        *at = last - *at > page ? *at + page : last;
        break;
    case ACT_FIRST:
        *at = 0;
        break;
    case ACT_LAST:
        *at = last;
        break;
    default:
        return false;
    }
    if (*at > last)
        *at = last;
    return true;
}
