/* Call-log day arithmetic: calendar days, business days in a time zone. */
#include "lm_test.h"

#include "core/time.h"
#include "domain/call_log_rules.h"

static long long at(const char *iso)
{
    long long t = 0;

    assert_int_equal(lm_time_parse_iso(iso, &t), 0);
    return t;
}

/* The cutoff, failing the test when the call fails. */
static long long cutoff(long long now, int days, int business, const char *tz, lm_weekdays open)
{
    long long out = 0;

    assert_int_equal(lm_call_log_cutoff(now, days, business, tz, open, &out), 0);
    return out;
}

static void calendar_days_are_whole_days(void **state)
{
    (void)state;
    assert_int_equal(cutoff(at("2026-12-07T09:00:00Z"), 2, 0, "UTC", 0x3E),
                     at("2026-12-05T09:00:00Z"));
}

static void business_days_skip_the_weekend(void **state)
{
    lm_weekdays open = 0;

    (void)state;
    assert_int_equal(lm_weekdays_parse("1,2,3,4,5", &open), 0);
    /* Monday 09:00 minus 2 business days is Thursday 09:00 */
    assert_int_equal(cutoff(at("2026-12-07T09:00:00Z"), 2, 1, "UTC", open),
                     at("2026-12-03T09:00:00Z"));
    /* Wednesday minus 2 is Monday */
    assert_int_equal(cutoff(at("2026-12-09T09:00:00Z"), 2, 1, "UTC", open),
                     at("2026-12-07T09:00:00Z"));
}

static void business_days_use_the_practice_time_zone(void **state)
{
    lm_weekdays open = 0;

    (void)state;
    assert_int_equal(lm_weekdays_parse("1,2,3,4,5", &open), 0);
    /* Monday 02:00 UTC is still Sunday 20:00 in Chicago: the weekend spends
     * nothing, Friday and Thursday are spent whole, so the cutoff is Thursday
     * 00:00 local = Thursday 06:00 UTC */
    assert_int_equal(
        cutoff(at("2026-12-07T02:00:00Z"), 2, 1, "America/Chicago", open),
        at("2026-12-03T06:00:00Z"));
}

static void closed_days_spend_no_time(void **state)
{
    lm_weekdays open = 0;

    (void)state;
    assert_int_equal(lm_weekdays_parse("1,2,3,4,5", &open), 0);
    /* Saturday noon: Friday and Thursday whole, so Thursday 00:00; a lead idle since
     * Thursday 09:00 is not yet two business days idle */
    assert_int_equal(cutoff(at("2030-01-05T12:00:00Z"), 2, 1, "UTC", open),
                     at("2030-01-03T00:00:00Z"));
    /* Monday 10:00: 10 h of Monday, Friday whole, 14 h of Thursday */
    assert_int_equal(cutoff(at("2030-01-07T10:00:00Z"), 2, 1, "UTC", open),
                     at("2030-01-03T10:00:00Z"));
}

static void business_days_follow_daylight_saving(void **state)
{
    lm_weekdays open = 0;

    (void)state;
    assert_int_equal(lm_weekdays_parse("1,2,3,4,5", &open), 0);
    /* Chicago leaves daylight saving on Sunday 2026-11-01. Tuesday 2026-11-03
     * 12:00 local (18:00 UTC) minus 2 business days: 12 h of Tuesday, Monday
     * whole (24 h, in CST), 12 h of Friday 2026-10-30, which is in CDT: its
     * noon is 17:00 UTC, one hour apart from a whole-day count in UTC. */
    assert_int_equal(cutoff(at("2026-11-03T18:00:00Z"), 2, 1, "America/Chicago", open),
                     at("2026-10-30T17:00:00Z"));
}

static void an_unknown_zone_is_an_error_not_utc(void **state)
{
    long long out = 0;

    (void)state;
    assert_int_equal(lm_call_log_cutoff(at("2026-12-07T09:00:00Z"), 2, 1, "Mars/Olympus", 0x3E, &out), -1);
}

static void weekday_lists_are_checked(void **state)
{
    lm_weekdays m = 0;

    (void)state;
    assert_int_equal(lm_weekdays_parse("1,3,7", &m), 0);
    assert_int_equal(m, (1u << 1) | (1u << 3) | (1u << 7));
    assert_int_not_equal(lm_weekdays_parse("", &m), 0);
    assert_int_not_equal(lm_weekdays_parse("0,1", &m), 0);
    assert_int_not_equal(lm_weekdays_parse("1,,2", &m), 0);
    assert_int_not_equal(lm_weekdays_parse("12", &m), 0);
    assert_true(lm_time_zone_valid("America/Chicago"));
    assert_true(lm_time_zone_valid("UTC"));
    assert_false(lm_time_zone_valid("../etc/passwd"));
    assert_false(lm_time_zone_valid("Mars/Olympus"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(calendar_days_are_whole_days),
        cmocka_unit_test(business_days_skip_the_weekend),
        cmocka_unit_test(business_days_use_the_practice_time_zone),
        cmocka_unit_test(closed_days_spend_no_time),
        cmocka_unit_test(weekday_lists_are_checked),
        cmocka_unit_test(business_days_follow_daylight_saving),
        cmocka_unit_test(an_unknown_zone_is_an_error_not_utc),
    };
    return cmocka_run_group_tests_name("domain/call_log_rules", tests, NULL, NULL);
}
