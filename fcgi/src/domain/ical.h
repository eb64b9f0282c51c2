/* iCalendar (RFC 5545) text for a user's feed, with no I/O. */
#ifndef LM_DOMAIN_ICAL_H
#define LM_DOMAIN_ICAL_H

#include <stddef.h>

struct lm_ical_event {
    const char *uid;         /* unique and stable: "follow-up-42@leadmap" */
    const char *summary;
    const char *description; /* may be NULL */
    long long start, end;    /* unix seconds, UTC */
};

/* Returns a malloc'd VCALENDAR (CRLF lines, folded at 75 octets) and its
 * length in *len; NULL when out of memory. */
char *lm_ical_render(const char *calendar_name, const struct lm_ical_event *events, size_t n,
                     long long now, size_t *len);

#endif
