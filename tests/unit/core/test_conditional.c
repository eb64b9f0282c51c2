/* If-None-Match against an entity tag: exact, weak, lists, "*", absent. */
#include "lm_test.h"

#include "core/conditional.h"

static void matching_tag_matches(void **state)
{
    (void)state;
    assert_true(lm_cond_none_match("\"s12\"", "\"s12\""));
    assert_false(lm_cond_none_match("\"s12\"", "\"s1\""));
    assert_false(lm_cond_none_match("\"s12\"", "\"s123\""));
}

static void weak_tags_compare_weakly(void **state)
{
    (void)state;
    assert_true(lm_cond_none_match("W/\"s12\"", "\"s12\""));
    assert_true(lm_cond_none_match("\"s12\"", "W/\"s12\""));
}

static void a_list_or_a_star_matches(void **state)
{
    (void)state;
    assert_true(lm_cond_none_match("\"a\", W/\"s12\" ,\"b\"", "\"s12\""));
    assert_true(lm_cond_none_match("\"a\", W/\"s12\" ,\"b\"", "\"b\""));
    assert_false(lm_cond_none_match("\"a\", W/\"s12\" ,\"b\"", "\"c\""));
    assert_true(lm_cond_none_match("*", "\"anything\""));
}

static void no_header_or_an_empty_one_never_matches(void **state)
{
    (void)state;
    assert_false(lm_cond_none_match(NULL, "\"s12\""));
    assert_false(lm_cond_none_match("", "\"s12\""));
    assert_false(lm_cond_none_match(" , ", "\"s12\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matching_tag_matches),
        cmocka_unit_test(weak_tags_compare_weakly),
        cmocka_unit_test(a_list_or_a_star_matches),
        cmocka_unit_test(no_header_or_an_empty_one_never_matches),
    };
    return cmocka_run_group_tests_name("core/conditional", tests, NULL, NULL);
}
