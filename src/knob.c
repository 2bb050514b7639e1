/*
 * knob.c - names and parsing of the server's knobs, for options, commands
 * and views alike.
 */
#include "knob.h"

#include <string.h>

#include "util.h"

static const char *const mode_names[] = {"lt", "et", "oneshot"};
static const char *const accept_names[] = {"one", "all"};

const char *mode_name(enum server_mode m)
{
    return mode_names[m];
}

/* Index of s in names, or -1. */
static int lookup(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return (int)i;
    return -1;
}

int mode_parse(const char *s, enum server_mode *m)
{
    int i = lookup(mode_names, ARRAY_LEN(mode_names), s);
    if (i >= 0)
        *m = (enum server_mode)i;
    return i < 0 ? -1 : 0;
}

const char *accept_name(enum accept_policy a)
{
    return accept_names[a];
}

int accept_parse(const char *s, enum accept_policy *a)
{
    int i = lookup(accept_names, ARRAY_LEN(accept_names), s);
    if (i >= 0)
        *a = (enum accept_policy)i;
    return i < 0 ? -1 : 0;
}

int budget_parse(const char *s, size_t *budget)
{
    unsigned long long v;
    if (strcmp(s, "drain") == 0) {
        *budget = BUDGET_DRAIN;
        return 0;
    }
    if (parse_uint(s, DRAIN_CAP, &v) < 0 || v == 0)
        return -1;
    *budget = (size_t)v;
    return 0;
}


int onoff_parse(const char *s, bool *on)
{
    if (strcmp(s, "on") == 0 || strcmp(s, "off") == 0) {
        *on = s[1] == 'n';
        return 0;
    }
    return -1;
}
