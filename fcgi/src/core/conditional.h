/* Conditional GET (If-None-Match) for handlers that send a validator.
 *
 * Stopgap: struct lm_req (core/http.h) does not carry If-None-Match yet, so
 * serve/fcgi_io.c hands the header's value over here before routing each
 * request and clears it afterwards. A FastCGI worker serves one request at a
 * time, so one value per process is the current request's. When lm_req gets
 * an if_none_match field, handlers read that and this file goes. */
#ifndef LM_CORE_CONDITIONAL_H
#define LM_CORE_CONDITIONAL_H

/* The current request's If-None-Match value (copied; NULL clears it). */
void lm_cond_set_if_none_match(const char *value);
/* 1 when If-None-Match lists etag (a quoted entity tag such as "\"s12\"") or
 * is "*"; weak comparison, so W/"s12" (nginx weakens the tags of the
 * responses it compresses) matches too. */
int lm_cond_none_match(const char *etag);

#endif
