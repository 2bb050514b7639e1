/*
 * terminal.c - can this terminal draw the screen at all?
 *
 * Apart from tui.c because <term.h> defines macros (lines, columns ...)
 * that collide with ordinary names in the project's headers.
 */
#include <curses.h>
#include <stdbool.h>
#include <term.h>
#include <unistd.h>

bool tui_terminal_usable(void);

bool tui_terminal_usable(void)
{
    int err = 0;
    if (setupterm(NULL, STDOUT_FILENO, &err) != OK)
        return false;
    /* Without cursor addressing (TERM=dumb) ncurses draws garbage. */
    const char *cup = tigetstr("cup");
    bool ok = cup && cup != (const char *)-1;
    del_curterm(cur_term);
    return ok;
}
