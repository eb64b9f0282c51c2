/* ISO 8601 parsing and formatting in UTC. */
#include "lm_test.h"

#include "core/time.h"

#include <string.h>

static void iso_utc_parses(void **state)
{
    long long t = 0;
    char out[32];

    (void)state;
    assert_int_equal(lm_time_parse_iso("2026-12-01T09:00:00Z", &t), 0);
    assert_int_equal(t, 1796115600LL);
    lm_time_iso(t, out);
    assert_string_equal(out, "2026-12-01T09:00:00Z");
    lm_time_sql(t, out);
    assert_string_equal(out, "2026-12-01 09:00:00");
}

static void iso_offset_and_fraction_parse(void **state)
{
    long long a = 0, b = 0;

    (void)state;
    assert_int_equal(lm_time_parse_iso("2026-12-01T10:30:00.123+01:30", &a), 0);
    assert_int_equal(lm_time_parse_iso("2026-12-01 09:00:00", &b), 0);
    assert_int_equal(a, b);
}

static void iso_rejects_invalid_dates(void **state)
{
    long long t = 0;

    (void)state;
    assert_int_not_equal(lm_time_parse_iso("2026-02-30T00:00:00Z", &t), 0);
    assert_int_not_equal(lm_time_parse_iso("2026-13-01T00:00:00Z", &t), 0);
    assert_int_not_equal(lm_time_parse_iso("2026-12-01T24:00:00Z", &t), 0);
    assert_int_not_equal(lm_time_parse_iso("2026-12-01T09:00:00Zjunk", &t), 0);
    assert_int_not_equal(lm_time_parse_iso("tomorrow", &t), 0);
    assert_int_not_equal(lm_time_parse_iso(NULL, &t), 0);
    assert_int_equal(lm_time_parse_iso("2028-02-29T00:00:00Z", &t), 0);
    assert_int_equal(lm_time_parse_iso("1965-04-02T00:00:00Z", &t), 0); /* a birth date */
    assert_int_equal(t, -149904000LL);
    assert_int_not_equal(lm_time_parse_iso("1899-12-31T00:00:00Z", &t), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(iso_utc_parses),
        cmocka_unit_test(iso_offset_and_fraction_parse),
        cmocka_unit_test(iso_rejects_invalid_dates),
    };
    return cmocka_run_group_tests_name("core/time", tests, NULL, NULL);
}
