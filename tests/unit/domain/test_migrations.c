/* Migration file names and numbering. */
#include "lm_test.h"

#include "domain/migrations.h"

#include <string.h>

static void migration_name_parses_number(void **state)
{
    int v = 0;

    (void)state;
    assert_int_equal(lm_migration_parse_name("001_users.sql", &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(lm_migration_parse_name("042_add_leads_2.sql", &v), 0);
    assert_int_equal(v, 42);
}

static void migration_name_rejects_other_files(void **state)
{
    int v = 0;

    (void)state;
    assert_int_not_equal(lm_migration_parse_name("README.md", &v), 0);
    assert_int_not_equal(lm_migration_parse_name("01_x.sql", &v), 0);
    assert_int_not_equal(lm_migration_parse_name("000_zero.sql", &v), 0);
    assert_int_not_equal(lm_migration_parse_name("001_Users.sql", &v), 0);
    assert_int_not_equal(lm_migration_parse_name("001_users.sql~", &v), 0);
    assert_int_not_equal(lm_migration_parse_name("001_.sql", &v), 0);
}

static void sequence_without_gap_is_accepted(void **state)
{
    int v[] = {1, 2, 3};
    char err[128] = "";

    (void)state;
    assert_int_equal(lm_migration_check_sequence(v, 3, err, sizeof err), 0);
    assert_int_equal(lm_migration_check_sequence(v, 0, err, sizeof err), 0);
}

static void sequence_gap_names_missing_number(void **state)
{
    int v[] = {1, 2, 4};
    char err[128] = "";

    (void)state;
    assert_int_not_equal(lm_migration_check_sequence(v, 3, err, sizeof err), 0);
    assert_non_null(strstr(err, "003"));
}

static void sequence_duplicate_is_refused(void **state)
{
    int v[] = {1, 2, 2};
    char err[128] = "";

    (void)state;
    assert_int_not_equal(lm_migration_check_sequence(v, 3, err, sizeof err), 0);
    assert_non_null(strstr(err, "002"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(migration_name_parses_number),
        cmocka_unit_test(migration_name_rejects_other_files),
        cmocka_unit_test(sequence_without_gap_is_accepted),
        cmocka_unit_test(sequence_gap_names_missing_number),
        cmocka_unit_test(sequence_duplicate_is_refused),
    };
    return cmocka_run_group_tests_name("domain/migrations", tests, NULL, NULL);
}
