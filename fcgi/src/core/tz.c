/* Time zones through libical (see tz.h). A name is checked for shape first,
 * so nothing but a plain zone name ever reaches the zoneinfo lookup. */
#include "core/tz.h"

#include <libical/ical.h>
#include <stdio.h>
#include <string.h>

static int plain_name(const char *name)
{
    if (!name || !*name || strlen(name) > 64 || strstr(name, "..") || name[0] == '/')
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '/' || *p == '_' || *p == '-' || *p == '+'))
            return 0;
    return 1;
}

const struct lm_tz *lm_tz_find(const char *name)
{
    if (name && !strcmp(name, "UTC"))
        return (const struct lm_tz *)icaltimezone_get_utc_timezone();
    if (!plain_name(name))
        return NULL;
    return (const struct lm_tz *)icaltimezone_get_builtin_timezone(name);
}

int lm_tz_valid(const char *name)
{
    return lm_tz_find(name) != NULL;
}

static icaltimezone *zone(const struct lm_tz *z)
{
    return (icaltimezone *)(void *)z;
}

long long lm_tz_day_start(const struct lm_tz *z, long long t)
{
    struct icaltimetype tt = icaltime_from_timet_with_zone((time_t)t, 0, zone(z));

    tt.hour = tt.minute = tt.second = 0;
    return (long long)icaltime_as_timet_with_zone(tt, zone(z));
}

int lm_tz_weekday(const struct lm_tz *z, long long t)
{
    struct icaltimetype tt = icaltime_from_timet_with_zone((time_t)t, 0, zone(z));
    int dow = icaltime_day_of_week(tt); /* 1 = Sunday */

    return dow == 1 ? 7 : dow - 1;
}

long long lm_tz_local_to_utc(const struct lm_tz *z, int year, int month, int day, int hour,
                             int minute, int second)
{
    struct icaltimetype tt = icaltime_null_time();

    tt.year = year;
    tt.month = month;
    tt.day = day;
    tt.hour = hour;
    tt.minute = minute;
    tt.second = second;
    tt.is_date = 0;
    return (long long)icaltime_as_timet_with_zone(tt, zone(z));
}

void lm_tz_local_iso(const struct lm_tz *z, long long t, char out[20])
{
    struct icaltimetype tt = icaltime_from_timet_with_zone((time_t)t, 0, zone(z));

    snprintf(out, 20, "%04d-%02d-%02dT%02d:%02d", tt.year, tt.month, tt.day, tt.hour,
             tt.minute);
}
