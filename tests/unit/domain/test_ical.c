/* iCalendar rendering: structure, escaping, folding, UTC times. */
#include "lm_test.h"

#include "domain/ical.h"

#include <stdlib.h>
#include <string.h>

static void feed_has_events_in_utc_with_crlf(void **state)
{
    struct lm_ical_event ev = {"follow-up-42", "Call Ada; Bar, Jr.", "+1 555\nnext line",
                               1796115600LL, 1796116500LL};
    size_t len = 0;
    char *text = lm_ical_render("Leadmap: Ada", &ev, 1, 1796000000LL, &len);

    (void)state;
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    assert_non_null(strstr(text, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert_non_null(strstr(text, "DTSTART:20261201T090000Z\r\n"));
    assert_non_null(strstr(text, "DTEND:20261201T091500Z\r\n"));
    assert_non_null(strstr(text, "SUMMARY:Call Ada\\; Bar\\, Jr.\r\n"));
    assert_non_null(strstr(text, "DESCRIPTION:+1 555\\nnext line\r\n"));
    assert_non_null(strstr(text, "END:VEVENT\r\nEND:VCALENDAR\r\n"));
    free(text);
}

static void long_lines_are_folded_at_75_octets(void **state)
{
    char summary[300];
    struct lm_ical_event ev = {"u1", summary, NULL, 1796115600LL, 0};
    size_t len = 0;
    char *text, *line;

    (void)state;
    memset(summary, 'x', sizeof summary - 1);
    summary[sizeof summary - 1] = '\0';
    text = lm_ical_render("c", &ev, 1, 1796000000LL, &len);
    for (line = text; *line;) {
        char *end = strstr(line, "\r\n");
        assert_non_null(end);
        assert_true(end - line <= 75);
        line = end + 2;
    }
    assert_non_null(strstr(text, "\r\n x"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(feed_has_events_in_utc_with_crlf),
        cmocka_unit_test(long_lines_are_folded_at_75_octets),
    };
    return cmocka_run_group_tests_name("domain/ical", tests, NULL, NULL);
}
