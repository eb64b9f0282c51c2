/* Conditional GET (If-None-Match) for handlers that send a validator. */
#ifndef LM_CORE_CONDITIONAL_H
#define LM_CORE_CONDITIONAL_H

/* 1 when the If-None-Match header value (may be NULL) lists etag (a quoted
 * entity tag such as "\"s12\"") or is "*"; weak comparison, so W/"s12"
 * (nginx weakens the tags of the responses it compresses) matches too. */
int lm_cond_none_match(const char *if_none_match, const char *etag);

/* The version in an If-Match header of our lead and map ETags: "v5" or
 * W/"v5". 0 with *version set, -1 when absent or of another form. */
int lm_etag_version(const char *if_match, long long *version);

#endif
