/* Recurring task rules: the admin's choices (daily, weekly on chosen
 * weekdays, monthly on a day of the month or on the nth weekday, every K
 * periods, a local start, until a date or a count, in a practice time zone)
 * as one RFC 5545 RRULE, its human-readable text, and its occurrences.
 *
 * The RRULE is the stored form; the iterator of libical expands it in the
 * rule's zone, so the preview, the worker's occurrences and a calendar feed
 * all come from the same text and no date arithmetic is written here. A
 * start at 09:00 stays 09:00 local across daylight-saving changes; a
 * monthly rule on day 31 skips months without one (RFC 5545), and day -1 is
 * the last day of every month. */
#ifndef LM_DOMAIN_RECURRENCE_H
#define LM_DOMAIN_RECURRENCE_H

#include <jansson.h>
#include <stddef.h>

enum lm_recur_freq { LM_RECUR_DAILY = 1, LM_RECUR_WEEKLY, LM_RECUR_MONTHLY };

#define LM_RECUR_MAX_COUNT 1000
#define LM_RECUR_MAX_INTERVAL 99

struct lm_recur {
    enum lm_recur_freq freq;
    int interval;        /* every K days / weeks / months, 1..99 */
    unsigned weekdays;   /* weekly: bit 0 = Monday … bit 6 = Sunday */
    int month_day;       /* monthly: 1..31, or -1 for the last day; 0 = unused */
    int nth;             /* monthly: 1..4 or -1 (last) with nth_weekday; 0 = unused */
    int nth_weekday;     /* 0 = Monday … 6 = Sunday */
    int count;           /* 0 = no count */
    char until[11];      /* "YYYY-MM-DD" (last local day), "" = none */
    char start[17];      /* "YYYY-MM-DDTHH:MM", local wall-clock time */
    char tz[65];         /* IANA zone name */
};

/* Reads a rule from an admin's body: freq, interval, weekdays (["MO",…]),
 * month_day, nth + weekday, start, time_zone, until or count; or instead of
 * freq … count, an "rrule" string of the same features. Every problem goes
 * into j_fields under its key (weekdays empty, until before start, a bad
 * RRULE …). Returns 0 when the rule is valid. */
int lm_recur_from_json(const json_t *j_body, struct lm_recur *r, json_t *j_fields);

/* Parses a stored or typed RRULE for a local start and zone into r; -1 with
 * a reason in why (may be NULL) when it is not one this product can edit. */
int lm_recur_parse(const char *rrule, const char *start, const char *tz, struct lm_recur *r,
                   char *why, size_t whylen);

/* The RRULE text of r ("FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU"); UNTIL is the
 * end of the until day in the zone, written in UTC as RFC 5545 asks.
 * -1 when it does not fit. */
int lm_recur_rrule(const struct lm_recur *r, char *out, size_t outlen);

/* "every 2nd Tuesday at 09:00", "every 2 weeks on Monday and Friday at
 * 08:30, 10 times" … */
void lm_recur_text(const struct lm_recur *r, char *out, size_t outlen);

/* Occurrences of r whose instant t satisfies after < t <= upto, in order,
 * at most max: instants (unix seconds) in at[] and the local wall-clock
 * start "YYYYMMDDTHHMM" in local[] (the occurrence's stable name). Returns
 * how many, or -1 when the rule cannot be expanded. */
int lm_recur_expand(const struct lm_recur *r, long long after, long long upto, long long *at,
                    char (*local)[16], int max);

/* The rule as JSON (new reference): the fields lm_recur_from_json reads. */
json_t *lm_recur_json(const struct lm_recur *r);

#endif
