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

/* Local midnight starting the day that contains t. */
static time_t day_start(time_t t)
{
    struct tm tm;

    localtime_r(&t, &tm);
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

long long lm_call_log_cutoff(long long now, int days, int business, const char *tz,
                             lm_weekdays open)
{
    char saved[128] = "";
    const char *old = getenv("TZ");
    int had = old != NULL;
    long long need = (long long)days * 86400, out = now - need;
    time_t seg_end = (time_t)now;

    if (!business || days <= 0 || !(open & 0xFE))
        return out;
    if (had)
        snprintf(saved, sizeof saved, "%s", old);
    setenv("TZ", lm_time_zone_valid(tz) ? tz : "UTC", 1);
    tzset();
    /* Walk back from now one local day at a time, spending only the time of
     * open days (today counts from midnight to now), until `days` whole days
     * of open time lie behind: that instant is the cutoff. */
    for (int guard = 0; guard < 3700; guard++) {
        time_t seg_start = day_start(seg_end - 1);
        struct tm tm;

        localtime_r(&seg_start, &tm);
        if (open & (1u << iso_weekday(&tm))) {
            long long have = (long long)(seg_end - seg_start);
            if (have >= need) {
                out = (long long)seg_end - need;
                break;
            }
            need -= have;
        }
        seg_end = seg_start;
    }
    if (had)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    return out;
}
