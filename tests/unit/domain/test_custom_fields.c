/* Custom-field values checked against their field's type and options. */
#include "lm_test.h"

#include "domain/custom_fields.h"

#include <string.h>

static const char *check(enum lm_cf_type t, const char *options, int required, const char *value,
                         struct lm_cf_value *v)
{
    json_error_t jerr;
    json_t *j_opts = options ? json_loads(options, 0, &jerr) : NULL;
    json_t *j_val = value ? json_loads(value, JSON_DECODE_ANY, &jerr) : NULL;
    const char *msg = lm_cf_check(t, j_opts, required, j_val, v);

    /* v may point into j_val: the tests read only num/time/flags after this */
    json_decref(j_opts);
    json_decref(j_val);
    return msg;
}

static void typed_values_are_accepted(void **state)
{
    struct lm_cf_value v;

    (void)state;
    assert_null(check(LM_CF_NUMBER, NULL, 0, "12.5", &v));
    assert_string_equal(v.num, "12.5000");
    assert_null(check(LM_CF_MONEY, NULL, 0, "\"99.9\"", &v));
    assert_string_equal(v.num, "99.90");
    assert_null(check(LM_CF_CHECKBOX, NULL, 0, "false", &v));
    assert_string_equal(v.num, "0");
    assert_null(check(LM_CF_DATE, NULL, 0, "\"2026-12-01\"", &v));
    assert_int_equal(v.time, 1796083200LL);
    assert_null(check(LM_CF_DATETIME, NULL, 0, "\"2026-12-01T09:00:00Z\"", &v));
    assert_null(check(LM_CF_DROPDOWN, "[\"A\",\"B\"]", 0, "\"B\"", &v));
    assert_null(check(LM_CF_MULTI_SELECT, "[\"A\",\"B\"]", 0, "[\"A\",\"B\"]", &v));
    assert_int_equal(v.nchoices, 2);
    assert_null(check(LM_CF_TEXT, NULL, 0, "null", &v));
    assert_true(v.is_null);
}

static void wrong_values_are_refused(void **state)
{
    struct lm_cf_value v;

    (void)state;
    assert_non_null(check(LM_CF_NUMBER, NULL, 0, "\"12\"", &v));
    assert_non_null(check(LM_CF_MONEY, NULL, 0, "\"abc\"", &v));
    assert_non_null(check(LM_CF_DATE, NULL, 0, "\"2026-02-30\"", &v));
    assert_non_null(check(LM_CF_DROPDOWN, "[\"A\",\"B\"]", 0, "\"C\"", &v));
    assert_non_null(check(LM_CF_MULTI_SELECT, "[\"A\",\"B\"]", 0, "[\"A\",\"A\"]", &v));
    assert_non_null(check(LM_CF_CHECKBOX, NULL, 0, "1", &v));
    assert_non_null(check(LM_CF_TEXT, NULL, 1, "\"\"", &v));
    assert_non_null(check(LM_CF_NUMBER, NULL, 0, "1e300", &v));
}

static void options_and_keys_are_checked(void **state)
{
    json_error_t jerr;
    json_t *j_dup = json_loads("[\"A\",\"A\"]", 0, &jerr);
    json_t *j_ok = json_loads("[\"A\",\"B\"]", 0, &jerr);

    (void)state;
    assert_non_null(lm_cf_check_options(LM_CF_DROPDOWN, NULL));
    assert_non_null(lm_cf_check_options(LM_CF_RADIO, j_dup));
    assert_null(lm_cf_check_options(LM_CF_RADIO, j_ok));
    assert_non_null(lm_cf_check_options(LM_CF_TEXT, j_ok));
    assert_true(lm_cf_key_valid("insurance_2"));
    assert_false(lm_cf_key_valid("2x"));
    assert_false(lm_cf_key_valid("Insurance"));
    assert_int_equal(lm_cf_type_parse("multi_select"), LM_CF_MULTI_SELECT);
    assert_int_equal(lm_cf_type_parse("color"), LM_CF_INVALID);
    json_decref(j_dup);
    json_decref(j_ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(typed_values_are_accepted),
        cmocka_unit_test(wrong_values_are_refused),
        cmocka_unit_test(options_and_keys_are_checked),
    };
    return cmocka_run_group_tests_name("domain/custom_fields", tests, NULL, NULL);
}
