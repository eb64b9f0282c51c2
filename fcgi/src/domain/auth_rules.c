/* Sign-in rules. */
#include "domain/auth_rules.h"

#include <string.h>

int lm_email_valid(const char *s)
{
    const char *at, *dot;
    size_t n;

    if (!s)
        return 0;
    n = strlen(s);
    if (n < 3 || n > 254)
        return 0;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == ',' || *p == ';')
            return 0;
    at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || at - s > 64)
        return 0;
    dot = strrchr(at + 1, '.');
    if (!dot || dot == at + 1 || dot[1] == '\0' || strstr(at + 1, ".."))
        return 0;
    return 1;
}

long long lm_login_backoff(unsigned failures, unsigned threshold)
{
    long long secs = 30;

    if (failures < threshold)
        return 0;
    for (unsigned i = threshold; i < failures && secs < 900; i++)
        secs *= 2;
    return secs > 900 ? 900 : secs;
}
