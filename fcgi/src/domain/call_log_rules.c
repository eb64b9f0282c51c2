/* Business-day arithmetic. The C library only converts in the process time
 * zone, so the conversion sets TZ for the duration of the call and restores
 * it; the worker and the FastCGI workers are single-threaded. */
#include "domain/call_log_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int lm_weekdays_parse(const char *s, lm_weekdays *mask)
{
    lm_weekdays m = 0;

    if (!s || !*s)
        return -1;
    for (const char *p = s; *p;) {
        if (*p < '1' || *p > '7' || (p[1] && p[1] != ','))
            return -1;
        m |= 1u << (*p - '0');
        p += p[1] ? 2 : 1;
    }
    *mask = m;
    return 0;
}

int lm_time_zone_valid(const char *tz)
{
    char path[256];

    if (!tz || !*tz || strlen(tz) > 64 || strstr(tz, "..") || tz[0] == '/')
        return 0;
    if (!strcmp(tz, "UTC"))
        return 1;
    for (const char *p = tz; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '/' || *p == '_' || *p == '-' || *p == '+'))
            return 0;
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
    return access(path, R_OK) == 0;
}

static int iso_weekday(const struct tm *tm)
{
    return tm->tm_wday == 0 ? 7 : tm->tm_wday;
}

long long lm_call_log_cutoff(long long now, int days, int business, const char *tz,
                             lm_weekdays open)
{
    char saved[128] = "";
    const char *old = getenv("TZ");
    int had = old != NULL;
    struct tm tm;
    time_t t = (time_t)now;
    long long out;
    int counted = 0, guard = 0;

    if (!business || days <= 0 || !(open & 0xFE))
        return now - (long long)days * 86400;
    if (had)
        snprintf(saved, sizeof saved, "%s", old);
    setenv("TZ", lm_time_zone_valid(tz) ? tz : "UTC", 1);
    tzset();
    localtime_r(&t, &tm);
    while (counted < days && guard++ < 3700) {
        tm.tm_mday -= 1;
        tm.tm_isdst = -1;
        t = mktime(&tm); /* normalises the date */
        localtime_r(&t, &tm);
        if (open & (1u << iso_weekday(&tm)))
            counted++;
    }
    out = (long long)t;
    if (had)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    return out;
}
