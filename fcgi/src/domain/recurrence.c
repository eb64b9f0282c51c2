/* Recurring task rules as RFC 5545 RRULEs (see recurrence.h). libical parses
 * and expands the rule; this file only translates between the admin's
 * choices and the RRULE text and words the rule for people. */
#include "domain/recurrence.h"

#include "core/tz.h"

#include <libical/ical.h>
#include <stdio.h>
#include <string.h>

static const char *const day_codes[7] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
static const char *const day_names[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                         "Friday", "Saturday", "Sunday"};
static const char *const month_names[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static void err(json_t *j_fields, const char *key, const char *msg)
{
    if (j_fields && !json_object_get(j_fields, key))
        json_object_set_new(j_fields, key, json_string(msg));
}

static int day_code(const char *s)
{
    for (int i = 0; s && i < 7; i++)
        if (!strcmp(s, day_codes[i]))
            return i;
    return -1;
}

/* libical numbers weekdays 1 = Sunday … 7 = Saturday. */
static int from_ical_day(int d)
{
    return d == 1 ? 6 : d - 2;
}

static int valid_date(int y, int m, int d)
{
    return y >= 2000 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 &&
           d <= icaltime_days_in_month(m, y);
}

/* "YYYY-MM-DDTHH:MM" */
static int parse_start(const char *s, struct icaltimetype *t)
{
    int y, mo, d, h, mi, n = 0;

    if (!s || strlen(s) != 16 || sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5 ||
        n != 16 || !valid_date(y, mo, d) || h < 0 || h > 23 || mi < 0 || mi > 59)
        return -1;
    *t = icaltime_null_time();
    t->year = y;
    t->month = mo;
    t->day = d;
    t->hour = h;
    t->minute = mi;
    return 0;
}

static int parse_date(const char *s, int *y, int *m, int *d)
{
    int n = 0;

    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", y, m, d, &n) != 3 || n != 10 ||
        !valid_date(*y, *m, *d))
        return -1;
    return 0;
}

static icaltimezone *zone_of(const char *tz)
{
    return (icaltimezone *)(void *)lm_tz_find(tz);
}

/* --- reading ---------------------------------------------------------------- */

int lm_recur_parse(const char *rrule, const char *start, const char *tz, struct lm_recur *r,
                   char *why, size_t whylen)
{
    struct icalrecurrencetype rt;
    icaltimezone *z = zone_of(tz);
    struct icaltimetype st;
    const char *problem = NULL;
    int ndays = 0;

    memset(r, 0, sizeof *r);
    if (!z || parse_start(start, &st)) {
        problem = "The start or the time zone is not valid.";
        goto out;
    }
    snprintf(r->start, sizeof r->start, "%s", start);
    snprintf(r->tz, sizeof r->tz, "%s", tz);
    if (!rrule || !*rrule || strlen(rrule) > 400) {
        problem = "Give an RRULE of at most 400 characters.";
        goto out;
    }
    icalerror_clear_errno();
    rt = icalrecurrencetype_from_string(rrule);
    if (rt.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
        problem = "This is not an RRULE (RFC 5545).";
        goto out;
    }
    if (rt.by_second[0] != ICAL_RECURRENCE_ARRAY_MAX ||
        rt.by_minute[0] != ICAL_RECURRENCE_ARRAY_MAX || rt.by_hour[0] != ICAL_RECURRENCE_ARRAY_MAX ||
        rt.by_year_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
        rt.by_week_no[0] != ICAL_RECURRENCE_ARRAY_MAX || rt.by_month[0] != ICAL_RECURRENCE_ARRAY_MAX) {
        problem = "Only FREQ, INTERVAL, BYDAY, BYMONTHDAY, BYSETPOS, UNTIL and COUNT are supported.";
        goto out;
    }
    r->interval = rt.interval > 0 ? rt.interval : 1;
    if (r->interval > LM_RECUR_MAX_INTERVAL) {
        problem = "INTERVAL is at most 99.";
        goto out;
    }
    for (int i = 0; i < ICAL_BY_DAY_SIZE && rt.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
        ndays++;
    switch (rt.freq) {
    case ICAL_DAILY_RECURRENCE:
        r->freq = LM_RECUR_DAILY;
        if (ndays || rt.by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
            rt.by_set_pos[0] != ICAL_RECURRENCE_ARRAY_MAX)
            problem = "A daily rule takes no BYDAY, BYMONTHDAY or BYSETPOS.";
        break;
    case ICAL_WEEKLY_RECURRENCE:
        r->freq = LM_RECUR_WEEKLY;
        for (int i = 0; i < ndays; i++) {
            if (icalrecurrencetype_day_position(rt.by_day[i]) != 0) {
                problem = "A weekly rule takes plain weekdays.";
                break;
            }
            r->weekdays |= 1u << from_ical_day(icalrecurrencetype_day_day_of_week(rt.by_day[i]));
        }
        if (!ndays) /* RFC 5545: the start's weekday */
            r->weekdays = 1u << from_ical_day(icaltime_day_of_week(st));
        if (rt.by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
            rt.by_set_pos[0] != ICAL_RECURRENCE_ARRAY_MAX)
            problem = "A weekly rule takes no BYMONTHDAY or BYSETPOS.";
        break;
    case ICAL_MONTHLY_RECURRENCE:
        r->freq = LM_RECUR_MONTHLY;
        if (ndays == 1 && rt.by_month_day[0] == ICAL_RECURRENCE_ARRAY_MAX) {
            int pos = icalrecurrencetype_day_position(rt.by_day[0]);
            if (!pos && rt.by_set_pos[0] != ICAL_RECURRENCE_ARRAY_MAX &&
                rt.by_set_pos[1] == ICAL_RECURRENCE_ARRAY_MAX)
                pos = rt.by_set_pos[0];
            else if (rt.by_set_pos[0] != ICAL_RECURRENCE_ARRAY_MAX)
                pos = 0;
            if (pos < -1 || pos == 0 || pos > 4)
                problem = "A monthly weekday rule names the 1st to 4th or the last weekday.";
            r->nth = pos;
            r->nth_weekday = from_ical_day(icalrecurrencetype_day_day_of_week(rt.by_day[0]));
        } else if (!ndays && rt.by_set_pos[0] == ICAL_RECURRENCE_ARRAY_MAX &&
                   (rt.by_month_day[0] == ICAL_RECURRENCE_ARRAY_MAX ||
                    rt.by_month_day[1] == ICAL_RECURRENCE_ARRAY_MAX)) {
            r->month_day = rt.by_month_day[0] == ICAL_RECURRENCE_ARRAY_MAX ? st.day
                                                                           : rt.by_month_day[0];
            if (r->month_day == 0 || r->month_day < -1 || r->month_day > 31)
                problem = "BYMONTHDAY is 1 to 31, or -1 for the last day.";
        } else {
            problem = "A monthly rule takes one BYMONTHDAY, or one BYDAY (with BYSETPOS).";
        }
        break;
    default:
        problem = "FREQ is DAILY, WEEKLY or MONTHLY.";
        break;
    }
    if (problem)
        goto out;
    if (rt.count > 0 && !icaltime_is_null_time(rt.until)) {
        problem = "Give UNTIL or COUNT, not both.";
        goto out;
    }
    if (rt.count > LM_RECUR_MAX_COUNT) {
        problem = "COUNT is at most 1000.";
        goto out;
    }
    r->count = rt.count > 0 ? rt.count : 0;
    if (!icaltime_is_null_time(rt.until)) {
        struct icaltimetype u = rt.until;
        if (!u.is_date && icaltime_is_utc(u))
            u = icaltime_convert_to_zone(u, z);
        snprintf(r->until, sizeof r->until, "%04d-%02d-%02d", u.year, u.month, u.day);
        if (strncmp(r->until, r->start, 10) < 0)
            problem = "UNTIL is before the start.";
    }
out:
    if (problem && why)
        snprintf(why, whylen, "%s", problem);
    return problem ? -1 : 0;
}

static long long int_of(const json_t *j, long long dflt, int *bad)
{
    if (!j)
        return dflt;
    if (!json_is_integer(j)) {
        *bad = 1;
        return dflt;
    }
    return json_integer_value(j);
}

int lm_recur_from_json(const json_t *j_body, struct lm_recur *r, json_t *j_fields)
{
    const char *start = json_string_value(json_object_get(j_body, "start"));
    const char *tz = json_string_value(json_object_get(j_body, "time_zone"));
    const char *rrule = json_string_value(json_object_get(j_body, "rrule"));
    const char *freq = json_string_value(json_object_get(j_body, "freq"));
    const json_t *j_until = json_object_get(j_body, "until");
    const json_t *j_count = json_object_get(j_body, "count");
    struct icaltimetype st;
    size_t before = json_object_size(j_fields);
    int bad = 0;

    memset(r, 0, sizeof *r);
    if (parse_start(start, &st))
        err(j_fields, "start", "Give the first date and time as YYYY-MM-DDTHH:MM.");
    else
        snprintf(r->start, sizeof r->start, "%s", start);
    if (!tz || !lm_tz_valid(tz))
        err(j_fields, "time_zone", "Give a time zone such as America/Chicago.");
    else
        snprintf(r->tz, sizeof r->tz, "%s", tz);
    if (json_object_size(j_fields) > before)
        return -1;

    if (json_object_get(j_body, "rrule")) {
        char why[160];
        if (!rrule) {
            err(j_fields, "rrule", "Give the RRULE as text.");
            return -1;
        }
        if (freq || json_object_get(j_body, "weekdays") || j_until || j_count)
            err(j_fields, "rrule", "Give either an RRULE or freq, weekdays, until and count.");
        else if (lm_recur_parse(rrule, r->start, r->tz, r, why, sizeof why))
            err(j_fields, "rrule", why);
        return json_object_size(j_fields) > before ? -1 : 0;
    }

    if (!freq || (strcmp(freq, "daily") && strcmp(freq, "weekly") && strcmp(freq, "monthly"))) {
        err(j_fields, "freq", "Choose daily, weekly or monthly.");
        return -1;
    }
    r->freq = !strcmp(freq, "daily") ? LM_RECUR_DAILY
              : !strcmp(freq, "weekly") ? LM_RECUR_WEEKLY
                                        : LM_RECUR_MONTHLY;
    r->interval = (int)int_of(json_object_get(j_body, "interval"), 1, &bad);
    if (bad || r->interval < 1 || r->interval > LM_RECUR_MAX_INTERVAL)
        err(j_fields, "interval", "Give a whole number from 1 to 99.");

    if (r->freq == LM_RECUR_WEEKLY) {
        const json_t *j_days = json_object_get(j_body, "weekdays"), *j_d;
        size_t i;
        if (!json_is_array(j_days) || json_array_size(j_days) == 0 || json_array_size(j_days) > 7)
            err(j_fields, "weekdays", "Choose at least one weekday.");
        else
            json_array_foreach(j_days, i, j_d)
            {
                int d = day_code(json_string_value(j_d));
                if (d < 0) {
                    err(j_fields, "weekdays", "Weekdays are MO, TU, WE, TH, FR, SA and SU.");
                    break;
                }
                r->weekdays |= 1u << d;
            }
    } else if (json_object_get(j_body, "weekdays")) {
        err(j_fields, "weekdays", "Only weekly rules take weekdays.");
    }

    if (r->freq == LM_RECUR_MONTHLY) {
        const json_t *j_md = json_object_get(j_body, "month_day");
        const json_t *j_nth = json_object_get(j_body, "nth");
        if (j_md && j_nth) {
            err(j_fields, "month_day", "Choose a day of the month or the nth weekday, not both.");
        } else if (j_nth) {
            bad = 0;
            r->nth = (int)int_of(j_nth, 0, &bad);
            if (bad || r->nth < -1 || r->nth == 0 || r->nth > 4)
                err(j_fields, "nth", "Choose 1 to 4, or -1 for the last.");
            r->nth_weekday = day_code(json_string_value(json_object_get(j_body, "weekday")));
            if (r->nth_weekday < 0)
                err(j_fields, "weekday", "Choose a weekday: MO, TU, WE, TH, FR, SA or SU.");
        } else {
            bad = 0;
            r->month_day = (int)int_of(j_md, r->start[0] ? st.day : 1, &bad);
            if (bad || r->month_day < -1 || r->month_day == 0 || r->month_day > 31)
                err(j_fields, "month_day", "Choose a day from 1 to 31, or -1 for the last day.");
        }
    } else {
        if (json_object_get(j_body, "month_day"))
            err(j_fields, "month_day", "Only monthly rules take a day of the month.");
        if (json_object_get(j_body, "nth"))
            err(j_fields, "nth", "Only monthly rules take an nth weekday.");
    }

    if (j_until && !json_is_null(j_until) && j_count && !json_is_null(j_count)) {
        err(j_fields, "until", "Give an end date or a count, not both.");
    } else if (j_until && !json_is_null(j_until)) {
        int y, m, d;
        const char *u = json_string_value(j_until);
        if (parse_date(u, &y, &m, &d))
            err(j_fields, "until", "Give the last date as YYYY-MM-DD.");
        else if (strncmp(u, r->start, 10) < 0)
            err(j_fields, "until", "The end date is before the start.");
        else
            snprintf(r->until, sizeof r->until, "%s", u);
    } else if (j_count && !json_is_null(j_count)) {
        bad = 0;
        r->count = (int)int_of(j_count, 0, &bad);
        if (bad || r->count < 1 || r->count > LM_RECUR_MAX_COUNT)
            err(j_fields, "count", "Give a count from 1 to 1000.");
    }
    return json_object_size(j_fields) > before ? -1 : 0;
}

/* --- writing ---------------------------------------------------------------- */

int lm_recur_rrule(const struct lm_recur *r, char *out, size_t outlen)
{
    static const char *const freqs[] = {"", "DAILY", "WEEKLY", "MONTHLY"};
    size_t n;
    int w;

    w = snprintf(out, outlen, "FREQ=%s;INTERVAL=%d", freqs[r->freq], r->interval);
    if (w < 0 || (size_t)w >= outlen)
        return -1;
    n = (size_t)w;
    if (r->freq == LM_RECUR_WEEKLY) {
        const char *sep = ";BYDAY=";
        for (int d = 0; d < 7; d++)
            if (r->weekdays & (1u << d)) {
                w = snprintf(out + n, outlen - n, "%s%s", sep, day_codes[d]);
                if (w < 0 || (size_t)w >= outlen - n)
                    return -1;
                n += (size_t)w;
                sep = ",";
            }
    } else if (r->freq == LM_RECUR_MONTHLY) {
        if (r->nth)
            w = snprintf(out + n, outlen - n, ";BYDAY=%d%s", r->nth, day_codes[r->nth_weekday]);
        else
            w = snprintf(out + n, outlen - n, ";BYMONTHDAY=%d", r->month_day);
        if (w < 0 || (size_t)w >= outlen - n)
            return -1;
        n += (size_t)w;
    }
    if (r->count)
        w = snprintf(out + n, outlen - n, ";COUNT=%d", r->count);
    else if (r->until[0]) {
        /* the end of the until day in the zone, in UTC */
        icaltimezone *z = zone_of(r->tz);
        struct icaltimetype u = icaltime_null_time();
        int y, m, d;
        if (!z || parse_date(r->until, &y, &m, &d))
            return -1;
        u.year = y;
        u.month = m;
        u.day = d;
        u.hour = 23;
        u.minute = 59;
        u.second = 59;
        u = icaltime_set_timezone(&u, z);
        u = icaltime_convert_to_zone(u, icaltimezone_get_utc_timezone());
        w = snprintf(out + n, outlen - n, ";UNTIL=%04d%02d%02dT%02d%02d%02dZ", u.year, u.month,
                     u.day, u.hour, u.minute, u.second);
    } else
        w = 0;
    if (w < 0 || (size_t)w >= outlen - n)
        return -1;
    return 0;
}

static const char *ordinal(int n)
{
    static const char *const o[] = {"", "1st", "2nd", "3rd", "4th"};
    return n == -1 ? "last" : (n >= 1 && n <= 4 ? o[n] : "");
}

static void day_of_month_text(int d, char *out, size_t outlen)
{
    const char *suffix = "th";

    if (d == -1) {
        snprintf(out, outlen, "the last day");
        return;
    }
    if (d % 10 == 1 && d != 11)
        suffix = "st";
    else if (d % 10 == 2 && d != 12)
        suffix = "nd";
    else if (d % 10 == 3 && d != 13)
        suffix = "rd";
    snprintf(out, outlen, "the %d%s", d, suffix);
}

void lm_recur_text(const struct lm_recur *r, char *out, size_t outlen)
{
    char buf[400] = "", tail[64] = "";
    size_t n = 0;
    int ndays = 0, seen = 0;

    switch (r->freq) {
    case LM_RECUR_DAILY:
        if (r->interval == 1)
            n = (size_t)snprintf(buf, sizeof buf, "every day");
        else
            n = (size_t)snprintf(buf, sizeof buf, "every %d days", r->interval);
        break;
    case LM_RECUR_WEEKLY:
        if (r->interval == 1)
            n = (size_t)snprintf(buf, sizeof buf, "every week on ");
        else
            n = (size_t)snprintf(buf, sizeof buf, "every %d weeks on ", r->interval);
        for (int d = 0; d < 7; d++)
            ndays += (r->weekdays >> d) & 1;
        for (int d = 0; d < 7 && n < sizeof buf; d++) {
            if (!(r->weekdays & (1u << d)))
                continue;
            seen++;
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s",
                                  seen == 1 ? "" : (seen == ndays ? " and " : ", "), day_names[d]);
        }
        break;
    case LM_RECUR_MONTHLY:
        if (r->nth) {
            if (r->interval == 1)
                n = (size_t)snprintf(buf, sizeof buf, "every %s %s", ordinal(r->nth),
                                     day_names[r->nth_weekday]);
            else
                n = (size_t)snprintf(buf, sizeof buf, "every %d months on the %s %s", r->interval,
                                     ordinal(r->nth), day_names[r->nth_weekday]);
        } else {
            char day[32];
            day_of_month_text(r->month_day, day, sizeof day);
            if (r->interval == 1)
                n = (size_t)snprintf(buf, sizeof buf, "every month on %s", day);
            else
                n = (size_t)snprintf(buf, sizeof buf, "every %d months on %s", r->interval, day);
        }
        break;
    }
    if (n < sizeof buf)
        snprintf(buf + n, sizeof buf - n, " at %s", r->start[0] ? r->start + 11 : "00:00");
    if (r->count)
        snprintf(tail, sizeof tail, ", %d time%s", r->count, r->count == 1 ? "" : "s");
    else if (r->until[0]) {
        int y, m, d;
        if (!parse_date(r->until, &y, &m, &d))
            snprintf(tail, sizeof tail, ", until %d %s %d", d, month_names[m - 1], y);
    }
    snprintf(out, outlen, "%s%s", buf, tail);
}

json_t *lm_recur_json(const struct lm_recur *r)
{
    static const char *const freqs[] = {"", "daily", "weekly", "monthly"};
    json_t *j = json_pack("{s:s, s:i, s:s, s:s}", "freq", freqs[r->freq], "interval",
                          r->interval, "start", r->start, "time_zone", r->tz);

    if (r->freq == LM_RECUR_WEEKLY) {
        json_t *j_days = json_array();
        for (int d = 0; d < 7; d++)
            if (r->weekdays & (1u << d))
                json_array_append_new(j_days, json_string(day_codes[d]));
        json_object_set_new(j, "weekdays", j_days);
    }
    if (r->freq == LM_RECUR_MONTHLY && r->nth) {
        json_object_set_new(j, "nth", json_integer(r->nth));
        json_object_set_new(j, "weekday", json_string(day_codes[r->nth_weekday]));
    } else if (r->freq == LM_RECUR_MONTHLY) {
        json_object_set_new(j, "month_day", json_integer(r->month_day));
    }
    json_object_set_new(j, "until", r->until[0] ? json_string(r->until) : json_null());
    json_object_set_new(j, "count", r->count ? json_integer(r->count) : json_null());
    return j;
}

/* --- expanding -------------------------------------------------------------- */

/* Iterations a single expansion may take before it gives up: a daily rule
 * over 500 years. */
#define MAX_STEPS 200000

int lm_recur_expand(const struct lm_recur *r, long long after, long long upto, long long *at,
                    char (*local)[16], int max)
{
    icaltimezone *z = zone_of(r->tz);
    struct icalrecurrencetype rt;
    struct icaltimetype st, next;
    icalrecur_iterator *it;
    char rule[512];
    int n = 0;

    if (!z || parse_start(r->start, &st) || lm_recur_rrule(r, rule, sizeof rule))
        return -1;
    rt = icalrecurrencetype_from_string(rule);
    if (rt.freq == ICAL_NO_RECURRENCE)
        return -1;
    st = icaltime_set_timezone(&st, z);
    it = icalrecur_iterator_new(rt, st);
    if (!it)
        return -1;
    for (int steps = 0; n < max && steps < MAX_STEPS; steps++) {
        long long t;
        next = icalrecur_iterator_next(it);
        if (icaltime_is_null_time(next))
            break;
        t = (long long)icaltime_as_timet_with_zone(next, z);
        if (t > upto)
            break;
        if (t <= after)
            continue;
        at[n] = t;
        snprintf(local[n], sizeof local[n], "%04d%02d%02dT%02d%02d", next.year, next.month,
                 next.day, next.hour, next.minute);
        n++;
    }
    icalrecur_iterator_free(it);
    return n;
}
