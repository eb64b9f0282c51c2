/* CSV rows for exports: quoting by RFC 4180 and the formula guard. */
#include "lm_test.h"

#include "domain/csv_out.h"

#include <string.h>

static const char *row_of(struct lm_csv_row *r, const char *const *cells, int n)
{
    lm_csv_row_reset(r);
    for (int i = 0; i < n; i++)
        lm_csv_cell(r, cells[i]);
    lm_csv_row_end(r);
    return r->p;
}

static void plain_cells_are_written_as_they_are(void **state)
{
    struct lm_csv_row r = {0};
    const char *cells[] = {"42", "Ann", NULL, "", "ann@example.org"};
    (void)state;
    assert_string_equal(row_of(&r, cells, 5), "42,Ann,,,ann@example.org\r\n");
    lm_csv_row_free(&r);
}

static void commas_quotes_and_newlines_are_quoted(void **state)
{
    struct lm_csv_row r = {0};
    const char *cells[] = {"Smith, Ann", "say \"hi\"", "two\nlines", " padded", "ok"};
    (void)state;
    assert_string_equal(row_of(&r, cells, 5),
                        "\"Smith, Ann\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded\",ok\r\n");
    lm_csv_row_free(&r);
}

static void formulas_are_shown_not_run(void **state)
{
    struct lm_csv_row r = {0};
    const char *cells[] = {"=HYPERLINK(\"http://x\")", "+1 555 010 2030", "@SUM(A1)", "-5", "+3.5",
                           "-cmd|' /C calc'!A0"};
    (void)state;
    assert_string_equal(row_of(&r, cells, 6),
                        "\"'=HYPERLINK(\"\"http://x\"\")\",\"'+1 555 010 2030\",\"'@SUM(A1)\","
                        "-5,+3.5,\"'-cmd|' /C calc'!A0\"\r\n");
    assert_true(lm_csv_formula_like("\tx"));
    assert_false(lm_csv_formula_like("Ann"));
    lm_csv_row_free(&r);
}

static void the_buffer_grows_for_long_cells(void **state)
{
    struct lm_csv_row r = {0};
    char big[5000];
    (void)state;
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    lm_csv_row_reset(&r);
    lm_csv_cell(&r, big);
    lm_csv_cell(&r, "b");
    assert_int_equal(r.err, 0);
    assert_int_equal(r.len, sizeof big - 1 + 2);
    lm_csv_row_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_cells_are_written_as_they_are),
        cmocka_unit_test(commas_quotes_and_newlines_are_quoted),
        cmocka_unit_test(formulas_are_shown_not_run),
        cmocka_unit_test(the_buffer_grows_for_long_cells),
    };
    return cmocka_run_group_tests_name("domain/csv_out", tests, NULL, NULL);
}
