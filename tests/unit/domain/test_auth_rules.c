/* Sign-in rules: e-mail shape and the login back-off schedule. */
#include "lm_test.h"

#include "domain/auth_rules.h"

#include <string.h>

static void email_accepts_ordinary_addresses(void **state)
{
    (void)state;
    assert_true(lm_email_valid("ada@example.org"));
    assert_true(lm_email_valid("a.b+tag@clinic.co.uk"));
}

static void email_rejects_malformed_addresses(void **state)
{
    char longer[300];

    (void)state;
    assert_false(lm_email_valid(NULL));
    assert_false(lm_email_valid(""));
    assert_false(lm_email_valid("no-at-sign"));
    assert_false(lm_email_valid("@example.org"));
    assert_false(lm_email_valid("ada@"));
    assert_false(lm_email_valid("ada@example"));
    assert_false(lm_email_valid("ada@@example.org"));
    assert_false(lm_email_valid("ada @example.org"));
    assert_false(lm_email_valid("ada@example..org"));
    assert_false(lm_email_valid("ada@example.org."));
    memset(longer, 'a', sizeof longer);
    memcpy(longer + sizeof longer - 13, "@example.org", 13);
    assert_false(lm_email_valid(longer));
}

static void backoff_starts_at_threshold_and_doubles(void **state)
{
    (void)state;
    assert_int_equal(lm_login_backoff(0, 5), 0);
    assert_int_equal(lm_login_backoff(4, 5), 0);
    assert_int_equal(lm_login_backoff(5, 5), 30);
    assert_int_equal(lm_login_backoff(6, 5), 60);
    assert_int_equal(lm_login_backoff(7, 5), 120);
}

static void backoff_is_capped_at_fifteen_minutes(void **state)
{
    (void)state;
    assert_int_equal(lm_login_backoff(50, 5), 900);
    assert_int_equal(lm_login_backoff(4000000000u, 5), 900);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(email_accepts_ordinary_addresses),
        cmocka_unit_test(email_rejects_malformed_addresses),
        cmocka_unit_test(backoff_starts_at_threshold_and_doubles),
        cmocka_unit_test(backoff_is_capped_at_fifteen_minutes),
    };
    return cmocka_run_group_tests_name("domain/auth_rules", tests, NULL, NULL);
}
