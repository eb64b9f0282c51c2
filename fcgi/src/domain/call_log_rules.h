/* Call-log aging arithmetic with no I/O: when "N days untouched" starts to
 * hold, in calendar days or in the practice's business days. */
#ifndef LM_DOMAIN_CALL_LOG_RULES_H
#define LM_DOMAIN_CALL_LOG_RULES_H

/* Bit (1 << d) for each open ISO weekday d (1 = Monday … 7 = Sunday). */
typedef unsigned lm_weekdays;

/* Parses "1,2,3,4,5" into a mask; -1 when malformed or empty. */
int lm_weekdays_parse(const char *s, lm_weekdays *mask);

/* *cutoff: the instant `days` days before now. With business set, only the time of
 * days open in the mask counts (local days in time zone tz, an IANA name such
 * as "America/Chicago"; partial days count by the hour). A lead idle since an
 * instant at or before it has been untouched for `days` days. Returns 0, or
 * -1 when business days are asked for in a zone this machine does not know. */
int lm_call_log_cutoff(long long now, int days, int business, const char *tz,
                       lm_weekdays open, long long *cutoff);

/* 1 when tz names a time zone this machine knows. */
int lm_time_zone_valid(const char *tz);

#endif
