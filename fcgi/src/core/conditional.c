/* Conditional GET: see conditional.h. */
#include "core/conditional.h"

#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Skips the weak prefix: W/"x" compares as "x". */
static const char *strong(const char *tag, size_t *len)
{
    if (*len >= 2 && tag[0] == 'W' && tag[1] == '/') {
        *len -= 2;
        return tag + 2;
    }
    return tag;
}

int lm_cond_none_match(const char *if_none_match, const char *etag)
{
    size_t want_len = strlen(etag);
    const char *want = strong(etag, &want_len);
    const char *p = if_none_match;

    if (!p)
        return 0;
    while (*p) {
        size_t n;
        const char *tag;

        p += strspn(p, " \t,");
        n = strcspn(p, ",");
        tag = p;
        p += n;
        while (n && (tag[n - 1] == ' ' || tag[n - 1] == '\t'))
            n--;
        if (n == 1 && tag[0] == '*')
            return 1;
        tag = strong(tag, &n);
        if (n && n == want_len && !memcmp(tag, want, n))
            return 1;
    }
    return 0;
}

int lm_etag_version(const char *h, long long *version)
{
    char *end = NULL;

    if (!h)
        return -1;
    if (!strncmp(h, "W/", 2))
        h += 2;
    if (strncmp(h, "\"v", 2))
        return -1;
    errno = 0;
    *version = strtoll(h + 2, &end, 10);
    return errno || *version <= 0 || strcmp(end, "\"") ? -1 : 0;
}
