/* Result codes shared by every layer: 0 is success everywhere, and one
 * function maps a code to the HTTP status a handler answers with. */
#ifndef LM_CORE_RESULT_H
#define LM_CORE_RESULT_H

enum lm_result {
    LM_OK = 0,
    LM_ERR_PARAM,       /* caller gave something invalid            -> 400 */
    LM_ERR_AUTH,        /* not authenticated                        -> 401 */
    LM_ERR_FORBIDDEN,   /* authenticated, not allowed               -> 403 */
    LM_ERR_NOT_FOUND,   /* no such record (or outside your reach)   -> 404 */
    LM_ERR_CONFLICT,    /* unique key, lost race                    -> 409 */
    LM_ERR_PRECONDITION,/* stale version                            -> 412 */
    LM_ERR_TOO_MANY,    /* rate limited / back-off                  -> 429 */
    LM_ERR_UNAVAILABLE, /* database unreachable                     -> 503 */
    LM_ERR_DB,          /* database error                           -> 500 */
    LM_ERR_INTERNAL     /* bug or resource exhaustion               -> 500 */
};

int lm_result_http_status(int rc);
const char *lm_result_name(int rc);

#endif
