/* The access line's path: the calendar feed's secret never reaches the log. */
#include "lm_test.h"

#include "serve/fcgi_io.h"

#include <string.h>

static void shown(const char *path, const char *want)
{
    char out[256];

    lm_access_log_path(path, out, sizeof out);
    assert_string_equal(out, want);
}

static void feed_token_is_redacted(void **state)
{
    (void)state;
    shown("/api/v1/calendar/AbC_123-xyzAbC_123-xyzAbC_123-xyzAbC_123-xyz.ics",
          "/api/v1/calendar/[redacted]");
    shown("/api/v1//calendar/secret.ics", "/api/v1//calendar/[redacted]");
    shown("/api/v1/calendar/secret", "/api/v1/calendar/[redacted]");
    shown("/api/v1/calendar/feed/secret.ics", "/api/v1/calendar/[redacted]");
    shown("/api/v1/calendar/", "/api/v1/calendar/[redacted]");
}

static void other_paths_stay_as_they_are(void **state)
{
    (void)state;
    shown("/api/v1/calendar/events", "/api/v1/calendar/events");
    shown("/api/v1/calendar/feed", "/api/v1/calendar/feed");
    shown("/api/v1/calendar/feed/reset", "/api/v1/calendar/feed/reset");
    shown("/api/v1/leads/12", "/api/v1/leads/12");
    shown("/api/v1/calendar", "/api/v1/calendar");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(feed_token_is_redacted),
        cmocka_unit_test(other_paths_stay_as_they_are),
    };
    return cmocka_run_group_tests_name("serve/access_log", tests, NULL, NULL);
}
