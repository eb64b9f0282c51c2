/* The phone search key: every formatting of one number gives a key that
 * ends the stored digits, and text that is not a phone is refused. */
#include "lm_test.h"

#include "domain/phone.h"

#include <string.h>

/* 1 when the stored number's digits end with the search key of query. */
static int finds(const char *query, const char *stored)
{
    char key[LM_PHONE_DIGITS], digits[LM_PHONE_DIGITS];
    int k = lm_phone_search_key(query, key), n = lm_phone_digits(stored, digits);

    return k > 0 && n >= k && !strcmp(digits + (n - k), key);
}

static void every_formatting_finds_the_same_number(void **state)
{
    static const char *const forms[] = {"(555) 010-2030", "+1 555 0102030", "5550102030",
                                        "555.010.2030", "0102030", "+1 (555) 010-2030"};
    (void)state;
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        assert_true(finds(forms[i], "(555) 010-2030"));
        assert_true(finds(forms[i], "+1 555 010 2030"));
    }
    assert_false(finds("555 010 2031", "(555) 010-2030"));
    assert_false(finds("+44 555 010 2030", "+1 555 010 2031"));
}

static void the_key_keeps_at_most_ten_digits(void **state)
{
    char key[LM_PHONE_DIGITS];
    (void)state;
    assert_int_equal(lm_phone_search_key("+1 555 0102030", key), 10);
    assert_string_equal(key, "5550102030");
    assert_int_equal(lm_phone_search_key("+44 20 7946 0958", key), 10);
    assert_string_equal(key, "2079460958");
    assert_int_equal(lm_phone_search_key("010-2030", key), 7);
    assert_string_equal(key, "0102030");
    assert_int_equal(lm_phone_search_key("555-CALL", key), -1);
    assert_int_equal(lm_phone_search_key("123456789012345678901", key), -1);
}

static void only_digits_and_punctuation_look_like_a_phone(void **state)
{
    (void)state;
    assert_true(lm_phone_like("(555) 010-2030", 7));
    assert_true(lm_phone_like("0102030", 7));
    assert_false(lm_phone_like("010203", 7));
    assert_false(lm_phone_like("Ann 5550102030", 3));
    assert_false(lm_phone_like("ann@example.org", 3));
    assert_false(lm_phone_like(NULL, 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_formatting_finds_the_same_number),
        cmocka_unit_test(the_key_keeps_at_most_ten_digits),
        cmocka_unit_test(only_digits_and_punctuation_look_like_a_phone),
    };
    return cmocka_run_group_tests_name("domain/phone", tests, NULL, NULL);
}
