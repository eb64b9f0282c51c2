/* Local calendar arithmetic in a named time zone (IANA names such as
 * "America/Chicago") through libical's time zones, read from the system's
 * zoneinfo. Nothing process-wide (TZ, tzset) is touched. Instants are unix
 * seconds (UTC). */
#ifndef LM_CORE_TZ_H
#define LM_CORE_TZ_H

struct lm_tz; /* a zone; owned by libical's cache, never freed */

/* The zone of that name ("UTC" always exists); NULL when this machine does
 * not know it. */
const struct lm_tz *lm_tz_find(const char *name);
/* 1 when name is a zone this machine knows. */
int lm_tz_valid(const char *name);
/* Local midnight starting the day that contains t. */
long long lm_tz_day_start(const struct lm_tz *z, long long t);
/* The ISO weekday (1 = Monday … 7 = Sunday) of t. */
int lm_tz_weekday(const struct lm_tz *z, long long t);

/* The instant of a wall-clock time in the zone (a time in a spring-forward
 * gap or an autumn repeat resolves as libical resolves it). */
long long lm_tz_local_to_utc(const struct lm_tz *z, int year, int month, int day, int hour,
                             int minute, int second);
/* t as the zone's wall clock, "YYYY-MM-DDTHH:MM" (minutes; no zone). */
void lm_tz_local_iso(const struct lm_tz *z, long long t, char out[20]);

#endif
