/* Finds the route for a request among all resource tables. */
#ifndef LM_SERVE_ROUTER_H
#define LM_SERVE_ROUTER_H

#include "core/route.h"

enum lm_match { LM_MATCH_FOUND, LM_MATCH_NO_PATH, LM_MATCH_NO_METHOD };

/* tables: NULL-terminated list of route tables. On LM_MATCH_FOUND *route is
 * set and path parameters are stored in req. On LM_MATCH_NO_METHOD, allow
 * holds the comma-separated methods that the path accepts. */
enum lm_match lm_router_match(const struct lm_route *const *tables, struct lm_req *req,
                              const struct lm_route **route, char *allow, size_t allowlen);

/* 1 when path matches pattern; parameters go into req when req is not NULL. */
int lm_route_match_path(const char *pattern, const char *path, struct lm_req *req);

/* Runs one request: route, authenticate, dispatch. Fills res. */
void lm_router_handle(const struct lm_route *const *tables, struct lm_req *req,
                      struct lm_res *res);

#endif
