/* A route: method + path pattern -> handler, with the authentication the
 * router checks before the handler runs. Each file in api/ ends with its
 * table, terminated by an entry whose method is NULL. */
#ifndef LM_CORE_ROUTE_H
#define LM_CORE_ROUTE_H

#include "core/http.h"

typedef int (*lm_handler)(struct lm_req *req, struct lm_res *res);

enum lm_auth {
    LM_AUTH_NONE = 0,      /* public */
    LM_AUTH_AGENT,         /* any signed-in user */
    LM_AUTH_SUPERVISOR,    /* supervisor or admin */
    LM_AUTH_ADMIN,         /* admin only */
    LM_AUTH_COOKIE         /* the refresh cookie, which a browser attaches by
                              itself: same-origin JSON (or X-Requested-With) only */
};

struct lm_route {
    const char *method;    /* "GET", "POST", … */
    const char *pattern;   /* "/api/v1/leads/:id"; a :name segment binds a parameter */
    lm_handler handler;
    enum lm_auth auth;
};

#endif
