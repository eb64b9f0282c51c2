/* Recurring task rules: RRULE text, the human-readable preview, and the
 * occurrences libical expands in the practice's zone (daylight-saving
 * changes, months without a 31st, nth weekdays, until and count). */
#include "lm_test.h"

#include "domain/recurrence.h"

#include <string.h>

static struct lm_recur rule_of(const char *json)
{
    struct lm_recur r;
    json_t *j_body = json_loads(json, 0, NULL), *j_fields = json_object();

    assert_non_null(j_body);
    assert_int_equal(lm_recur_from_json(j_body, &r, j_fields), 0);
    assert_int_equal(json_object_size(j_fields), 0);
    json_decref(j_body);
    json_decref(j_fields);
    return r;
}

/* The field errors a body gets, as "key,key" in key order. */
static void fields_of(const char *json, char *out, size_t outlen)
{
    struct lm_recur r;
    json_t *j_body = json_loads(json, 0, NULL), *j_fields = json_object();
    const char *key;
    json_t *j_v;

    assert_non_null(j_body);
    assert_int_equal(lm_recur_from_json(j_body, &r, j_fields), -1);
    out[0] = '\0';
    json_object_foreach(j_fields, key, j_v)
    {
        if (out[0])
            strncat(out, ",", outlen - strlen(out) - 1);
        strncat(out, key, outlen - strlen(out) - 1);
    }
    json_decref(j_body);
    json_decref(j_fields);
}

static void weekly_rule_keeps_local_time_across_the_autumn_dst_change(void **state)
{
    struct lm_recur r = rule_of("{\"freq\":\"weekly\",\"weekdays\":[\"SU\"],"
                                "\"start\":\"2026-10-25T09:00\",\"time_zone\":\"America/Chicago\"}");
    long long at[3];
    char local[3][16];

    (void)state;
    assert_int_equal(lm_recur_expand(&r, 0, 1794150000LL, at, local, 3), 3);
    assert_int_equal(at[0], 1792936800LL); /* 09:00 CDT = 14:00Z */
    assert_int_equal(at[1], 1793545200LL); /* 09:00 CST = 15:00Z, the day clocks go back */
    assert_int_equal(at[2], 1794150000LL);
    assert_string_equal(local[1], "20261101T0900");
}

static void daily_rule_keeps_local_time_across_the_spring_dst_change(void **state)
{
    struct lm_recur r = rule_of("{\"freq\":\"daily\",\"start\":\"2027-03-13T09:00\","
                                "\"time_zone\":\"America/Chicago\",\"count\":2}");
    long long at[4];
    char local[4][16];

    (void)state;
    assert_int_equal(lm_recur_expand(&r, 0, 1900000000LL, at, local, 4), 2);
    assert_int_equal(at[0], 1804950000LL);
    assert_int_equal(at[1], 1805032800LL); /* one hour earlier in UTC */
}

static void monthly_day_31_skips_months_without_one(void **state)
{
    struct lm_recur r = rule_of("{\"freq\":\"monthly\",\"month_day\":31,"
                                "\"start\":\"2027-01-31T09:00\",\"time_zone\":\"UTC\",\"count\":4}");
    long long at[8];
    char local[8][16];
    char text[200];

    (void)state;
    assert_int_equal(lm_recur_expand(&r, 0, 1900000000LL, at, local, 8), 4);
    assert_string_equal(local[0], "20270131T0900");
    assert_string_equal(local[1], "20270331T0900");
    assert_string_equal(local[2], "20270531T0900");
    assert_string_equal(local[3], "20270731T0900");
    assert_int_equal(at[3], 1817024400LL);
    lm_recur_text(&r, text, sizeof text);
    assert_string_equal(text, "every month on the 31st at 09:00, 4 times");
}

static void monthly_last_day_lands_on_february_28(void **state)
{
    struct lm_recur r = rule_of("{\"freq\":\"monthly\",\"month_day\":-1,"
                                "\"start\":\"2027-01-31T09:00\",\"time_zone\":\"UTC\",\"count\":3}");
    long long at[4];
    char local[4][16];
    char text[200];

    (void)state;
    assert_int_equal(lm_recur_expand(&r, 0, 1900000000LL, at, local, 4), 3);
    assert_int_equal(at[1], 1803805200LL);
    assert_string_equal(local[2], "20270331T0900");
    lm_recur_text(&r, text, sizeof text);
    assert_string_equal(text, "every month on the last day at 09:00, 3 times");
}

static void second_tuesday_preview_text_and_dates_come_from_one_rule(void **state)
{
    struct lm_recur r = rule_of("{\"freq\":\"monthly\",\"nth\":2,\"weekday\":\"TU\","
                                "\"start\":\"2026-12-01T09:00\",\"time_zone\":\"America/Chicago\"}");
    long long at[3];
    char local[3][16], text[200], rrule[200];

    (void)state;
    lm_recur_text(&r, text, sizeof text);
    assert_string_equal(text, "every 2nd Tuesday at 09:00");
    assert_int_equal(lm_recur_rrule(&r, rrule, sizeof rrule), 0);
    assert_string_equal(rrule, "FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU");
    assert_int_equal(lm_recur_expand(&r, 0, 1900000000LL, at, local, 3), 3);
    assert_int_equal(at[0], 1796742000LL); /* 8 Dec */
    assert_int_equal(at[1], 1799766000LL); /* 12 Jan */
    assert_int_equal(at[2], 1802185200LL); /* 9 Feb */
}

static void until_includes_its_whole_local_day(void **state)
{
    struct lm_recur r = rule_of("{\"freq\":\"weekly\",\"interval\":1,\"weekdays\":[\"MO\"],"
                                "\"start\":\"2026-12-07T09:00\",\"time_zone\":\"America/Chicago\","
                                "\"until\":\"2026-12-21\"}");
    long long at[8];
    char local[8][16], rrule[200], text[200];

    (void)state;
    assert_int_equal(lm_recur_expand(&r, 0, 1900000000LL, at, local, 8), 3);
    assert_int_equal(at[2], 1797865200LL);
    assert_int_equal(lm_recur_rrule(&r, rrule, sizeof rrule), 0);
    assert_string_equal(rrule, "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;UNTIL=20261222T055959Z");
    lm_recur_text(&r, text, sizeof text);
    assert_string_equal(text, "every week on Monday at 09:00, until 21 Dec 2026");
}

static void expansion_window_excludes_after_and_includes_upto(void **state)
{
    struct lm_recur r = rule_of("{\"freq\":\"weekly\",\"weekdays\":[\"SU\"],"
                                "\"start\":\"2026-10-25T09:00\",\"time_zone\":\"America/Chicago\"}");
    long long at[5];
    char local[5][16];

    (void)state;
    assert_int_equal(lm_recur_expand(&r, 1792936800LL, 1793545200LL, at, local, 5), 1);
    assert_int_equal(at[0], 1793545200LL);
}

static void stored_rrule_reads_back_into_the_same_choices(void **state)
{
    struct lm_recur r;
    char why[160], text[200];

    (void)state;
    assert_int_equal(lm_recur_parse("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", "2026-12-01T09:00", "UTC",
                                    &r, why, sizeof why),
                     0);
    assert_int_equal(r.freq, LM_RECUR_MONTHLY);
    assert_int_equal(r.nth, 2);
    assert_int_equal(r.nth_weekday, 1);
    assert_int_equal(lm_recur_parse("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;COUNT=10",
                                    "2026-12-07T08:30", "UTC", &r, why, sizeof why),
                     0);
    lm_recur_text(&r, text, sizeof text);
    assert_string_equal(text, "every 2 weeks on Monday and Friday at 08:30, 10 times");
    assert_int_equal(lm_recur_parse("FREQ=YEARLY", "2026-12-07T08:30", "UTC", &r, why, sizeof why),
                     -1);
    assert_int_equal(lm_recur_parse("FREQ=SOMETIMES;X", "2026-12-07T08:30", "UTC", &r, why,
                                    sizeof why),
                     -1);
    assert_int_equal(lm_recur_parse("FREQ=DAILY;BYHOUR=9", "2026-12-07T08:30", "UTC", &r, why,
                                    sizeof why),
                     -1);
}

static void invalid_rules_name_each_field(void **state)
{
    char f[200];

    (void)state;
    fields_of("{\"freq\":\"weekly\",\"weekdays\":[],\"start\":\"2026-12-07T09:00\","
              "\"time_zone\":\"UTC\"}",
              f, sizeof f);
    assert_string_equal(f, "weekdays");
    fields_of("{\"freq\":\"daily\",\"start\":\"2026-12-07T09:00\",\"time_zone\":\"UTC\","
              "\"until\":\"2026-12-06\"}",
              f, sizeof f);
    assert_string_equal(f, "until");
    fields_of("{\"freq\":\"daily\",\"start\":\"2026-02-30T09:00\",\"time_zone\":\"Mars/Base\"}", f,
              sizeof f);
    assert_string_equal(f, "start,time_zone");
    fields_of("{\"freq\":\"monthly\",\"month_day\":32,\"interval\":0,\"count\":5000,"
              "\"start\":\"2026-12-07T09:00\",\"time_zone\":\"UTC\"}",
              f, sizeof f);
    assert_string_equal(f, "interval,month_day,count");
    fields_of("{\"rrule\":\"FREQ=HOURLY\",\"start\":\"2026-12-07T09:00\",\"time_zone\":\"UTC\"}", f,
              sizeof f);
    assert_string_equal(f, "rrule");
    fields_of("{\"rrule\":\"FREQ=DAILY;UNTIL=20261201T000000Z\",\"start\":\"2026-12-07T09:00\","
              "\"time_zone\":\"UTC\"}",
              f, sizeof f);
    assert_string_equal(f, "rrule");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(weekly_rule_keeps_local_time_across_the_autumn_dst_change),
        cmocka_unit_test(daily_rule_keeps_local_time_across_the_spring_dst_change),
        cmocka_unit_test(monthly_day_31_skips_months_without_one),
        cmocka_unit_test(monthly_last_day_lands_on_february_28),
        cmocka_unit_test(second_tuesday_preview_text_and_dates_come_from_one_rule),
        cmocka_unit_test(until_includes_its_whole_local_day),
        cmocka_unit_test(expansion_window_excludes_after_and_includes_upto),
        cmocka_unit_test(stored_rrule_reads_back_into_the_same_choices),
        cmocka_unit_test(invalid_rules_name_each_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
