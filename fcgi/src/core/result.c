/* Maps result codes to HTTP statuses and short names for logs. */
#include "core/result.h"

int lm_result_http_status(int rc)
{
    switch (rc) {
    case LM_OK: return 200;
    case LM_ERR_PARAM: return 400;
    case LM_ERR_AUTH: return 401;
    case LM_ERR_FORBIDDEN: return 403;
    case LM_ERR_NOT_FOUND: return 404;
    case LM_ERR_CONFLICT: return 409;
    case LM_ERR_PRECONDITION: return 412;
    case LM_ERR_TOO_MANY: return 429;
    case LM_ERR_UNAVAILABLE: return 503;
    default: return 500;
    }
}

const char *lm_result_name(int rc)
{
    switch (rc) {
    case LM_OK: return "ok";
    case LM_ERR_PARAM: return "param";
    case LM_ERR_AUTH: return "auth";
    case LM_ERR_FORBIDDEN: return "forbidden";
    case LM_ERR_NOT_FOUND: return "not_found";
    case LM_ERR_CONFLICT: return "conflict";
    case LM_ERR_PRECONDITION: return "precondition";
    case LM_ERR_TOO_MANY: return "too_many";
    case LM_ERR_UNAVAILABLE: return "unavailable";
    case LM_ERR_DB: return "db";
    default: return "internal";
    }
}
