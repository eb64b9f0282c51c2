/* Result cells as JSON values: SQL NULL and unexpected text become null,
 * stored JSON is parsed, children find their parent by id. */
#include "lm_test.h"

#include "core/rows_json.h"

#include <string.h>

static char *cells[] = {"42", NULL, "a \"b\"", "0", "1", "x9", "[1,\"two\"]", "12.5", "{bad"};
static unsigned long lens[] = {2, 0, 5, 1, 1, 2, 9, 4, 4};
static const struct lm_rows rows = {1, 9, cells, lens};

static int is(json_t *j, const char *text)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    int same = s && !strcmp(s, text);

    free(s);
    json_decref(j);
    return same;
}

static void cells_become_typed_values_or_null(void **state)
{
    (void)state;
    assert_true(is(lm_rows_json_int(&rows, 0, 0), "42"));
    assert_true(is(lm_rows_json_int(&rows, 0, 1), "null"));
    assert_true(is(lm_rows_json_int(&rows, 0, 5), "null"));
    assert_true(is(lm_rows_json_str(&rows, 0, 2), "\"a \\\"b\\\"\""));
    assert_true(is(lm_rows_json_str(&rows, 0, 1), "null"));
    assert_true(is(lm_rows_json_bool(&rows, 0, 3), "false"));
    assert_true(is(lm_rows_json_bool(&rows, 0, 4), "true"));
    assert_true(is(lm_rows_json_bool(&rows, 0, 1), "null"));
    assert_true(is(lm_rows_json_str(&rows, 0, 99), "null"));
}

static void stored_json_is_parsed_and_bad_json_is_null(void **state)
{
    (void)state;
    assert_true(is(lm_rows_json_parse(&rows, 0, 6), "[1,\"two\"]"));
    assert_true(is(lm_rows_json_parse(&rows, 0, 7), "12.5"));
    assert_true(is(lm_rows_json_parse(&rows, 0, 8), "null"));
    assert_true(is(lm_rows_json_parse(&rows, 0, 1), "null"));
}

static void children_find_their_parent(void **state)
{
    json_t *j_items = json_pack("[{s:i}, {s:i}, {s:i}]", "id", 5, "id", 7, "id", 9);
    size_t hint = 0;

    (void)state;
    assert_ptr_equal(lm_json_item_by_id(j_items, 7, &hint), json_array_get(j_items, 1));
    assert_int_equal(hint, 1);
    assert_ptr_equal(lm_json_item_by_id(j_items, 5, &hint), json_array_get(j_items, 0));
    assert_null(lm_json_item_by_id(j_items, 8, &hint));
    assert_null(lm_json_item_by_id(NULL, 8, &hint));
    json_decref(j_items);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cells_become_typed_values_or_null),
        cmocka_unit_test(stored_json_is_parsed_and_bad_json_is_null),
        cmocka_unit_test(children_find_their_parent),
    };
    return cmocka_run_group_tests_name("core/rows_json", tests, NULL, NULL);
}
