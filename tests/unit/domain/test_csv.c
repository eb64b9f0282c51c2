/* The CSV reader: what spreadsheets write, and malformed input refused
 * with the line it is on. */
#include "lm_test.h"

#include "domain/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Collects records as "a|b|c" lines joined by '\n', with their start line. */
struct seen {
    char text[4096];
    unsigned lines[64];
    int n;
    int stop_after;
};

static int collect(void *ctx, unsigned line, const char *const *cells, int ncells)
{
    struct seen *s = ctx;
    size_t len = strlen(s->text);

    if (s->n < 64)
        s->lines[s->n] = line;
    s->n++;
    for (int i = 0; i < ncells; i++)
        len += (size_t)snprintf(s->text + len, sizeof s->text - len, "%s%s", i ? "|" : "",
                                cells[i]);
    snprintf(s->text + len, sizeof s->text - len, "\n");
    return s->stop_after && s->n >= s->stop_after;
}

static enum lm_csv_status parse(const char *csv, char delim, struct seen *s, unsigned *line)
{
    memset(s, 0, sizeof *s);
    return lm_csv_parse(csv, strlen(csv), delim, collect, s, line);
}

static void plain_records_with_any_line_end(void **state)
{
    struct seen s;
    unsigned line;

    (void)state;
    assert_int_equal(parse("a,b,c\r\n1,2,3\n4,5,6\r7,8,9", ',', &s, &line), LM_CSV_OK);
    assert_string_equal(s.text, "a|b|c\n1|2|3\n4|5|6\n7|8|9\n");
    assert_int_equal(s.lines[3], 4);
}

static void quoted_fields_hold_delimiters_quotes_and_line_breaks(void **state)
{
    struct seen s;
    unsigned line;

    (void)state;
    assert_int_equal(parse("name,note\n\"Smith, Ann\",\"said \"\"hi\"\"\nthen left\"\nBob,\n",
                           ',', &s, &line),
                     LM_CSV_OK);
    assert_string_equal(s.text, "name|note\nSmith, Ann|said \"hi\"\nthen left\nBob|\n");
    assert_int_equal(s.n, 3);
    assert_int_equal(s.lines[2], 4); /* Bob's record starts after the two-line field */
}

static void semicolons_and_the_bom(void **state)
{
    struct seen s;
    unsigned line;

    (void)state;
    assert_int_equal(parse("\xEF\xBB\xBFNom;Téléphone\n\"Dupont; Marie\";01 23\n", ';', &s, &line),
                     LM_CSV_OK);
    assert_string_equal(s.text, "Nom|Téléphone\nDupont; Marie|01 23\n");
}

static void blank_lines_are_skipped_empty_fields_kept(void **state)
{
    struct seen s;
    unsigned line;

    (void)state;
    assert_int_equal(parse("a,b\n\n,\n\r\nx,\"\"\n", ',', &s, &line), LM_CSV_OK);
    assert_string_equal(s.text, "a|b\n|\nx|\n");
}

static void malformed_input_names_its_line(void **state)
{
    struct seen s;
    unsigned line;

    (void)state;
    assert_int_equal(parse("a,b\n1,x\"y\n", ',', &s, &line), LM_CSV_ERR_STRAY_QUOTE);
    assert_int_equal(line, 2);
    assert_int_equal(parse("a,b\n\"1\"x,2\n", ',', &s, &line), LM_CSV_ERR_AFTER_QUOTE);
    assert_int_equal(line, 2);
    assert_int_equal(parse("a,b\n1,2\n3,\"open\nstill open\n", ',', &s, &line),
                     LM_CSV_ERR_UNCLOSED);
    assert_int_equal(line, 3);
    assert_int_equal(parse("a,b\nok,\xC3\x28\n", ',', &s, &line), LM_CSV_ERR_UTF8);
    assert_int_equal(line, 2);
    /* overlong encoding and a lone continuation byte */
    assert_int_equal(parse("\xC0\xAF", ',', &s, &line), LM_CSV_ERR_UTF8);
    assert_int_equal(parse("x\n\x80", ',', &s, &line), LM_CSV_ERR_UTF8);
    assert_int_equal(parse("\xE2\x82", ',', &s, &line), LM_CSV_ERR_UTF8);
}

static void limits_on_fields_and_field_length(void **state)
{
    struct seen s;
    unsigned line;
    char *many = malloc(LM_CSV_MAX_FIELDS * 2 + 8);
    char *longf = malloc(LM_CSV_MAX_FIELD + 8);
    size_t n = 0;

    (void)state;
    for (int i = 0; i <= LM_CSV_MAX_FIELDS; i++) {
        many[n++] = 'x';
        many[n++] = ',';
    }
    many[n - 1] = '\0';
    assert_int_equal(parse(many, ',', &s, &line), LM_CSV_ERR_TOO_MANY);
    many[n - 3] = '\0'; /* exactly the limit */
    assert_int_equal(parse(many, ',', &s, &line), LM_CSV_OK);
    memset(longf, 'y', LM_CSV_MAX_FIELD + 1);
    longf[LM_CSV_MAX_FIELD + 1] = '\0';
    assert_int_equal(parse(longf, ',', &s, &line), LM_CSV_ERR_TOO_LONG);
    longf[LM_CSV_MAX_FIELD] = '\0';
    assert_int_equal(parse(longf, ',', &s, &line), LM_CSV_OK);
    free(many);
    free(longf);
}

static void the_callback_stops_the_parse(void **state)
{
    struct seen s;
    unsigned line;

    (void)state;
    memset(&s, 0, sizeof s);
    s.stop_after = 2;
    assert_int_equal(lm_csv_parse("a\nb\nc\n", 6, ',', collect, &s, &line), LM_CSV_STOPPED);
    assert_int_equal(s.n, 2);
}

static void sniff_picks_the_delimiter_of_the_header(void **state)
{
    (void)state;
    assert_int_equal(lm_csv_sniff("a;b;c\n1,2;3", 11), ';');
    assert_int_equal(lm_csv_sniff("a,b;c\n", 6), ',');
    assert_int_equal(lm_csv_sniff("\"x;y;z\",b\n", 10), ',');
    assert_int_equal(lm_csv_sniff("", 0), ',');
}

/* Every truncation of a tricky file either parses or fails cleanly (run
 * under ASan by make check-asan). */
static void every_prefix_of_a_tricky_file_is_handled(void **state)
{
    static const char csv[] = "\xEF\xBB\xBF\"a\"\"b\",c\r\n\"x\ny\",\xC3\xA9t\xC3\xA9\n,,\n\"\"";
    struct seen s;
    unsigned line;

    (void)state;
    for (size_t n = 0; n <= sizeof csv - 1; n++) {
        enum lm_csv_status st;
        memset(&s, 0, sizeof s);
        st = lm_csv_parse(csv, n, ',', collect, &s, &line);
        assert_true(st == LM_CSV_OK || st == LM_CSV_ERR_UNCLOSED || st == LM_CSV_ERR_UTF8);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_records_with_any_line_end),
        cmocka_unit_test(quoted_fields_hold_delimiters_quotes_and_line_breaks),
        cmocka_unit_test(semicolons_and_the_bom),
        cmocka_unit_test(blank_lines_are_skipped_empty_fields_kept),
        cmocka_unit_test(malformed_input_names_its_line),
        cmocka_unit_test(limits_on_fields_and_field_length),
        cmocka_unit_test(the_callback_stops_the_parse),
        cmocka_unit_test(sniff_picks_the_delimiter_of_the_header),
        cmocka_unit_test(every_prefix_of_a_tricky_file_is_handled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
