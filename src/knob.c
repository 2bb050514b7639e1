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

int mode_parse(const char *s, enum server_mode *m)
{
    for (size_t i = 0; i < ARRAY_LEN(mode_names); i++)
        if (strcmp(s, mode_names[i]) == 0) {
            *m = (enum server_mode)i;
            return 0;
        }
    return -1;
}

const char *accept_name(enum accept_policy a)
{
    return accept_names[a];
}

int accept_parse(const char *s, enum accept_policy *a)
{
    for (size_t i = 0; i < ARRAY_LEN(accept_names); i++)
        if (strcmp(s, accept_names[i]) == 0) {
            *a = (enum accept_policy)i;
            return 0;
        }
    return -1;
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
