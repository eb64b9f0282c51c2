/* The lead search's cursor (`after`): what a page's `next` encodes comes
 * back as the same position, names of any bytes and length included, and
 * text that is not a cursor of the sort asked for is refused. */
#include "lm_test.h"

#include "core/crypto.h"
#include "store/leads.h"

#include <string.h>

static void round_trip(enum lm_lead_sort sort, const struct lm_lead_cursor *c)
{
    char text[LM_LEAD_CURSOR_LEN];
    struct lm_lead_cursor back;

    lm_lead_cursor_encode(sort, c, text, sizeof text);
    assert_true(text[0] != '\0');
    assert_true(strlen(text) < LM_LEAD_CURSOR_LEN);
    assert_int_equal(lm_lead_cursor_decode(text, sort, &back), 0);
    assert_int_equal(back.set, 1);
    assert_int_equal(back.id, c->id);
    assert_int_equal(back.undated, c->undated);
    assert_string_equal(back.k1, c->k1);
    assert_string_equal(back.k2, c->k2);
}

static void each_sort_gets_its_position_back(void **state)
{
    struct lm_lead_cursor c = {0};
    (void)state;
    c.id = 4711;
    round_trip(LM_SORT_CREATED, &c);
    strcpy(c.k1, "2026-11-30 04:05:06.123456");
    round_trip(LM_SORT_UPDATED, &c);
    round_trip(LM_SORT_FOLLOW_UP, &c);
    c.k1[0] = '\0';
    c.undated = 1;
    round_trip(LM_SORT_FOLLOW_UP, &c);
    c.undated = 0;
    strcpy(c.k1, "O'Brien|Smith");
    strcpy(c.k2, "|Ann|");
    round_trip(LM_SORT_NAME, &c);
}

static void the_longest_names_fit(void **state)
{
    struct lm_lead_cursor c = {0};
    (void)state;
    c.id = 9223372036854775807LL;
    /* 100 characters of 4 bytes each, twice */
    for (int i = 0; i < 100; i++) {
        memcpy(c.k1 + 4 * i, "\xF0\x9F\x98\x80", 4);
        memcpy(c.k2 + 4 * i, "\xE6\xBC\xA2|", 4);
    }
    round_trip(LM_SORT_NAME, &c);
}

static void other_text_is_refused(void **state)
{
    struct lm_lead_cursor c = {0}, back;
    char text[LM_LEAD_CURSOR_LEN], raw[64];
    (void)state;
    c.id = 12;
    strcpy(c.k1, "Smith");
    lm_lead_cursor_encode(LM_SORT_NAME, &c, text, sizeof text);
    assert_int_equal(lm_lead_cursor_decode(text, LM_SORT_UPDATED, &back), -1); /* another sort */
    assert_int_equal(back.set, 0);
    assert_int_equal(lm_lead_cursor_decode("12", LM_SORT_CREATED, &back), -1);
    assert_int_equal(lm_lead_cursor_decode("not a cursor!", LM_SORT_CREATED, &back), -1);
    assert_int_equal(lm_lead_cursor_decode("", LM_SORT_CREATED, &back), -1);
    /* well-formed base64url of wrong contents */
    static const char *const bad[] = {
        "0|0|0|0|",            /* id 0 */
        "0|2|5|0|",            /* undated must be 0 or 1 */
        "0|0|5|9|abc",         /* a length past the end */
        "0|0|-5|0|",           /* negative id */
        "0|0|5|0",             /* a field missing */
        "1|0|5|5|tomorrow",    /* updated: the key is a time */
        "3|0|5|10|2026-13-01",  /* follow-up dated: a valid time */
        "0|0|5x|0|",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        enum lm_lead_sort sort = (enum lm_lead_sort)(bad[i][0] - '0');
        assert_int_equal(lm_b64url_encode(bad[i], strlen(bad[i]), raw, sizeof raw), 0);
        assert_int_equal(lm_lead_cursor_decode(raw, sort, &back), -1);
    }
    /* a NUL inside */
    assert_int_equal(lm_b64url_encode("0|0|5|1|\0x", 10, raw, sizeof raw), 0);
    assert_int_equal(lm_lead_cursor_decode(raw, LM_SORT_CREATED, &back), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_sort_gets_its_position_back),
        cmocka_unit_test(the_longest_names_fit),
        cmocka_unit_test(other_text_is_refused),
    };
    return cmocka_run_group_tests_name("store/lead_cursor", tests, NULL, NULL);
}
