/* Conditional GET (If-None-Match) for handlers that send a validator. */
#ifndef LM_CORE_CONDITIONAL_H
#define LM_CORE_CONDITIONAL_H

/* 1 when the If-None-Match header value (may be NULL) lists etag (a quoted
 * entity tag such as "\"s12\"") or is "*"; weak comparison, so W/"s12"
 * (nginx weakens the tags of the responses it compresses) matches too. */
int lm_cond_none_match(const char *if_none_match, const char *etag);

#endif
