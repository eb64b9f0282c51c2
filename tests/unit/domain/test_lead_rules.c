/* Lead rules without I/O: body parsing, whole-lead checks, incompleteness,
 * money, phones and the life-cycle actions. */
#include "lm_test.h"

#include "domain/lead_actions.h"
#include "domain/lead_validate.h"
#include "domain/money.h"
#include "domain/phone.h"

#include <stdlib.h>
#include <string.h>

static struct lm_lead_input *parse(const char *text, json_t **j_fields)
{
    json_error_t jerr;
    json_t *j = json_loads(text, 0, &jerr);
    struct lm_lead_input *in = malloc(sizeof *in);

    assert_non_null(j);
    lm_lead_input_init(in);
    *j_fields = json_object();
    lm_lead_parse(j, in, *j_fields);
    json_decref(j); /* in->j_custom is not used by these tests */
    in->j_custom = NULL;
    return in;
}

static void valid_body_parses_every_part(void **state)
{
    json_t *j_fields;
    struct lm_lead_input *in = parse(
        "{\"first_name\":\"Ada\",\"last_name\":\"Bar\",\"phones\":[\"+1 (555) 010-2030\"],"
        "\"emails\":[\"Ada@Example.ORG\"],\"address\":{\"street\":\"1 Main St\",\"city\":"
        "\"Springfield\",\"postal_code\":\"62701\",\"country\":\"us\"},\"probability\":40,"
        "\"target_amount\":\"1200.5\",\"status_id\":3,\"owner_id\":null,"
        "\"estimated_duration\":{\"value\":2,\"unit\":\"weeks\"},"
        "\"products\":[{\"product_id\":1,\"notes\":\"financing\"}],\"team\":[4,5]}",
        &j_fields);

    (void)state;
    assert_int_equal(json_object_size(j_fields), 0);
    assert_string_equal(in->phone_digits[0], "15550102030");
    assert_string_equal(in->emails[0], "ada@example.org");
    assert_string_equal(in->country, "US");
    assert_string_equal(in->target_amount, "1200.50");
    assert_int_equal(in->refs[LM_REF_STATUS], 3);
    assert_true(in->refs_present & (1u << LM_REF_OWNER));
    assert_int_equal(in->refs[LM_REF_OWNER], 0);
    assert_int_equal(in->duration_value, 2);
    assert_int_equal(in->nteam, 2);
    assert_false(lm_lead_incomplete(in));
    json_decref(j_fields);
    free(in);
}

static void invalid_values_name_their_fields(void **state)
{
    json_t *j_fields;
    struct lm_lead_input *in = parse(
        "{\"probability\":120,\"target_amount\":\"abc\",\"emails\":[\"bad\"],"
        "\"phones\":[\"12\"],\"state\":\"won\",\"id\":5,\"nonsense\":1,\"status_id\":\"x\","
        "\"address\":{\"country\":\"USA\"},\"team\":[1,1]}",
        &j_fields);

    (void)state;
    const char *keys[] = {"probability", "target_amount", "emails", "phones", "state", "id",
                          "nonsense", "status_id", "address.country", "team"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        assert_non_null(json_object_get(j_fields, keys[i]));
    json_decref(j_fields);
    free(in);
}

static void lead_needs_name_and_phone_or_email(void **state)
{
    json_t *j_fields;
    struct lm_lead_input *in = parse("{\"first_name\":\"\"}", &j_fields);

    (void)state;
    lm_lead_check_whole(in, j_fields);
    assert_non_null(json_object_get(j_fields, "last_name"));
    assert_non_null(json_object_get(j_fields, "phones"));
    json_decref(j_fields);
    free(in);
    in = parse("{\"last_name\":\"Bar\",\"emails\":[\"a@b.co\"]}", &j_fields);
    lm_lead_check_whole(in, j_fields);
    assert_int_equal(json_object_size(j_fields), 0);
    assert_true(lm_lead_incomplete(in)); /* no address, no phone */
    json_decref(j_fields);
    free(in);
}

static void merge_keeps_what_patch_leaves_out(void **state)
{
    json_t *j_fields, *j_fields2;
    struct lm_lead_input *cur = parse("{\"last_name\":\"Bar\",\"probability\":10,"
                                      "\"phones\":[\"5550102030\"]}",
                                      &j_fields);
    struct lm_lead_input *patch = parse("{\"probability\":null}", &j_fields2);

    (void)state;
    lm_lead_merge(cur, patch);
    assert_string_equal(cur->last_name, "Bar");
    assert_int_equal(cur->probability, -1);
    assert_int_equal(cur->nphones, 1);
    json_decref(j_fields);
    json_decref(j_fields2);
    free(cur);
    free(patch);
}

static void money_is_exact_and_bounded(void **state)
{
    char out[20];

    (void)state;
    assert_int_equal(lm_money_normalize("1200", out), 0);
    assert_string_equal(out, "1200.00");
    assert_int_equal(lm_money_normalize("007.5", out), 0);
    assert_string_equal(out, "7.50");
    assert_int_equal(lm_money_normalize("999999999999.99", out), 0);
    assert_int_not_equal(lm_money_normalize("1000000000000", out), 0);
    assert_int_not_equal(lm_money_normalize("1.234", out), 0);
    assert_int_not_equal(lm_money_normalize("-5", out), 0);
    assert_int_not_equal(lm_money_normalize("1e3", out), 0);
    assert_int_not_equal(lm_money_normalize("", out), 0);
    assert_int_not_equal(lm_money_normalize("1.", out), 0);
}

static void phone_digits_ignore_formatting(void **state)
{
    char d[LM_PHONE_DIGITS];

    (void)state;
    assert_int_equal(lm_phone_digits("+1 (555) 010-2030", d), 11);
    assert_string_equal(d, "15550102030");
    assert_int_equal(lm_phone_digits("555.010.2030", d), 10);
    assert_int_equal(lm_phone_digits("call me", d), -1);
    assert_int_equal(lm_phone_digits("123456789012345678901", d), -1);
}

static void actions_follow_the_life_cycle(void **state)
{
    const char *target;

    (void)state;
    assert_null(lm_action_allowed(LM_ACTION_ACCEPT, "new", 0, &target));
    assert_string_equal(target, "in_progress");
    assert_null(lm_action_allowed(LM_ACTION_WIN, "in_progress", 0, &target));
    assert_string_equal(target, "won");
    assert_non_null(lm_action_allowed(LM_ACTION_WIN, "lost", 0, &target));
    assert_non_null(lm_action_allowed(LM_ACTION_COMPLETE, "in_progress", 0, &target));
    assert_null(lm_action_allowed(LM_ACTION_COMPLETE, "won", 0, &target));
    assert_string_equal(target, "completed");
    assert_non_null(lm_action_allowed(LM_ACTION_WIN, "new", 1, &target));
    assert_null(lm_action_allowed(LM_ACTION_REACTIVATE, "won", 1, &target));
    assert_string_equal(target, "won");
    assert_null(lm_action_allowed(LM_ACTION_REACTIVATE, "lost", 0, &target));
    assert_string_equal(target, "in_progress");
    assert_non_null(lm_action_allowed(LM_ACTION_REACTIVATE, "new", 0, &target));
    assert_non_null(lm_action_allowed(LM_ACTION_CONVERT, "new", 0, &target));
    assert_int_equal(lm_action_parse("win"), LM_ACTION_WIN);
    assert_int_equal(lm_action_parse("claim-it"), LM_ACTION_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_body_parses_every_part),
        cmocka_unit_test(invalid_values_name_their_fields),
        cmocka_unit_test(lead_needs_name_and_phone_or_email),
        cmocka_unit_test(merge_keeps_what_patch_leaves_out),
        cmocka_unit_test(money_is_exact_and_bounded),
        cmocka_unit_test(phone_digits_ignore_formatting),
        cmocka_unit_test(actions_follow_the_life_cycle),
    };
    return cmocka_run_group_tests_name("domain/lead_rules", tests, NULL, NULL);
}
