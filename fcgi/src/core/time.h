/* UTC instants as unix seconds, and their ISO 8601 / SQL text forms. */
#ifndef LM_CORE_TIME_H
#define LM_CORE_TIME_H

#include <stddef.h>

/* Parses "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)" or "YYYY-MM-DD HH:MM:SS"
 * (taken as UTC), years 1900 on (birth dates predate 1970: the result may be
 * negative). Returns 0 on success. */
int lm_time_parse_iso(const char *s, long long *out);
/* "YYYY-MM-DD HH:MM:SS", the form MariaDB DATETIME takes. */
void lm_time_sql(long long t, char out[32]);
/* "YYYY-MM-DDTHH:MM:SSZ" */
void lm_time_iso(long long t, char out[32]);

#endif
