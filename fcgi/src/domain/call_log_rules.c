/* Business-day arithmetic, in the practice's time zone through core/tz.c
 * (libical), so no process-wide TZ is set. */
#include "domain/call_log_rules.h"

#include "core/tz.h"

#include <string.h>

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
    return lm_tz_valid(tz);
}

int lm_call_log_cutoff(long long now, int days, int business, const char *tz,
                       lm_weekdays open, long long *cutoff)
{
    const struct lm_tz *z;
    long long need = (long long)days * 86400, seg_end = now;

    *cutoff = now - need;
    if (!business || days <= 0 || !(open & 0xFE))
        return 0;
    z = lm_tz_find(tz);
    if (!z)
        return -1;
    /* Walk back from now one local day at a time, spending only the time of
     * open days (today counts from midnight to now), until `days` whole days
     * of open time lie behind: that instant is the cutoff. */
    for (int guard = 0; guard < 3700; guard++) {
        long long seg_start = lm_tz_day_start(z, seg_end - 1);

        if (open & (1u << lm_tz_weekday(z, seg_start))) {
            long long have = seg_end - seg_start;
            if (have >= need) {
                *cutoff = seg_end - need;
                return 0;
            }
            need -= have;
        }
        seg_end = seg_start;
    }
    return 0;
}
