/* Routing and the checks every route gets before its handler: path
 * parameters, the query, cross-site requests, authentication (Bearer access
 * token of an active user), role. */
#include "serve/router.h"

#include "core/jwt.h"
#include "core/log.h"
#include "core/result.h"
#include "store/cache.h"
#include "store/users.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

int lm_route_match_path(const char *pattern, const char *path, struct lm_req *req)
{
    const char *p = pattern, *s = path;
    int n = 0;

    while (*p && *s) {
        if (*p == ':') {
            size_t nlen = strcspn(p + 1, "/");
            size_t vlen = strcspn(s, "/");

            if (vlen == 0 || vlen >= sizeof req->param_values[0] || n >= LM_MAX_PARAMS)
                return 0;
            if (req) {
                req->param_names[n] = p + 1;
                req->param_name_lens[n] = nlen;
                memcpy(req->param_values[n], s, vlen);
                req->param_values[n][vlen] = '\0';
            }
            n++;
            p += 1 + nlen;
            s += vlen;
            continue;
        }
        if (*p != *s)
            return 0;
        p++;
        s++;
    }
    if (*p || *s)
        return 0;
    if (req)
        req->nparams = n;
    return 1;
}

/* 1 when pattern a is more specific than b, both matching the same path: at
 * the first segment where one is a literal and the other a :param, the
 * literal wins. So /settings/bundle beats /settings/:kind whatever the order
 * of the tables. */
static int more_specific(const char *a, const char *b)
{
    while (*a && *b) {
        int pa = *a == ':', pb = *b == ':';

        if (pa != pb)
            return pb;
        a += strcspn(a, "/");
        b += strcspn(b, "/");
        if (*a == '/')
            a++;
        if (*b == '/')
            b++;
    }
    return 0;
}

enum lm_match lm_router_match(const struct lm_route *const *tables, struct lm_req *req,
                              const struct lm_route **route, char *allow, size_t allowlen)
{
    const struct lm_route *best = NULL;
    int path_seen = 0;
    size_t used = 0;

    allow[0] = '\0';
    for (const struct lm_route *const *t = tables; *t; t++) {
        for (const struct lm_route *r = *t; r->method; r++) {
            if (!lm_route_match_path(r->pattern, req->path, NULL))
                continue;
            path_seen = 1;
            if (!strcmp(r->method, req->method) ||
                (!strcmp(req->method, "HEAD") && !strcmp(r->method, "GET"))) {
                if (!best || more_specific(r->pattern, best->pattern))
                    best = r;
                continue;
            }
            if (!strstr(allow, r->method) && used + strlen(r->method) + 3 < allowlen)
                used += (size_t)snprintf(allow + used, allowlen - used, "%s%s",
                                         used ? ", " : "", r->method);
        }
    }
    if (best) {
        lm_route_match_path(best->pattern, req->path, req);
        *route = best;
        return LM_MATCH_FOUND;
    }
    return path_seen ? LM_MATCH_NO_METHOD : LM_MATCH_NO_PATH;
}

static int authenticate(struct lm_req *req, struct lm_res *res)
{
    struct lm_claims c;
    const char *h = req->authorization;
    int rc;

    if (!h || strncasecmp(h, "Bearer ", 7) != 0 ||
        lm_jwt_verify(h + 7, req->jwt_key, req->jwt_keylen, req->now, &c)) {
        lm_res_header(res, "WWW-Authenticate: Bearer");
        return lm_res_error(res, 401, "unauthorized", "Sign in first.", NULL);
    }
    rc = lm_user_load_active(req->db, c.sub, &req->user);
    if (!rc && c.gen != req->user.token_generation) {
        memset(&req->user, 0, sizeof req->user);
        rc = LM_ERR_NOT_FOUND; /* issued before a password change or deactivation */
    }
    if (rc == LM_ERR_NOT_FOUND) {
        lm_log_security("auth: token for inactive or unknown user %lld, or issued before a "
                        "password change", c.sub);
        lm_res_header(res, "WWW-Authenticate: Bearer");
        return lm_res_error(res, 401, "unauthorized", "Sign in first.", NULL);
    }
    if (rc)
        return lm_res_from_result(res, rc);
    return 0;
}

/* Why one query parameter (raw text p, len bytes, "name=value" or "name")
 * is refused, or NULL. No value of ours needs more than 256 bytes (but a
 * list's keyset cursor `after`, which may carry two names: 1200); a %00
 * would end the decoded value early (state=new%00x read as "new"); a
 * custom-field filter needs a key of 1 to 64 characters. A longer value is
 * refused here, by name, instead of each handler finding it too long for its
 * buffer. */
static const char *query_param_problem(const char *p, size_t len)
{
    const char *eq = memchr(p, '=', len);
    size_t nlen = eq ? (size_t)(eq - p) : len;

    for (size_t i = 0; i + 2 < len; i++)
        if (p[i] == '%' && p[i + 1] == '0' && p[i + 2] == '0')
            return "Must not contain a NUL byte (%00).";
    if (nlen >= 3 && !strncmp(p, "cf.", 3) && (nlen == 3 || nlen - 3 > 64))
        return "Give a custom field key of 1 to 64 characters after cf.";
    if (eq && len - nlen - 1 > (nlen == 5 && !strncmp(p, "after", 5) ? 1200u : 256u))
        return "Too long.";
    return NULL;
}

static int query_sane_or_fail(struct lm_req *req, struct lm_res *res)
{
    json_t *j_fields = NULL;

    if (strlen(req->query) > 4096) {
        lm_res_error(res, 400, "validation_failed", "The query string is too long.", NULL);
        return -1;
    }
    for (const char *p = req->query; p && *p;) {
        size_t len = strcspn(p, "&");
        const char *why = query_param_problem(p, len);

        if (why) {
            char name[128];
            size_t nlen = strcspn(p, "=&");

            if (nlen > sizeof name - 1)
                nlen = sizeof name - 1;
            memcpy(name, p, nlen);
            name[nlen] = '\0';
            if (!j_fields)
                j_fields = json_object();
            json_object_set_new(j_fields, name, json_string(why));
        }
        p += len;
        if (*p == '&')
            p++;
    }
    if (!j_fields)
        return 0;
    lm_res_error(res, 400, "validation_failed", "Check the query.", j_fields);
    return -1;
}

static int is_json(const char *type)
{
    size_t n = strlen("application/json");

    return type && !strncasecmp(type, "application/json", n) &&
           (type[n] == '\0' || type[n] == ';' || type[n] == ' ');
}

/* 1 when the request comes from another site: an Origin whose host:port is
 * not the Host asked for ("null" included), or a Sec-Fetch-Site other than
 * same-origin or none (typed in the address bar). A request with neither
 * header comes from no browser page, so it carries no one's cookies. */
static int cross_site(const struct lm_req *req)
{
    if (req->sec_fetch_site && strcmp(req->sec_fetch_site, "same-origin") != 0 &&
        strcmp(req->sec_fetch_site, "none") != 0)
        return 1;
    if (req->origin) {
        const char *authority = strstr(req->origin, "://");

        if (!authority || !req->host || strcasecmp(authority + 3, req->host) != 0)
            return 1;
        if (strncasecmp(req->origin, "http://", 7) && strncasecmp(req->origin, "https://", 8))
            return 1;
    }
    return 0;
}

/* CSRF: a page on another site can make a browser send a request with its
 * cookies, but not with a JSON content type or a custom header (those need
 * a CORS preflight, which we never grant), and the browser names the page's
 * origin. Unsafe methods from another site are refused on every route;
 * routes authenticated by the cookie also need JSON or X-Requested-With. */
static int cross_site_or_fail(const struct lm_req *req, const struct lm_route *route,
                              struct lm_res *res)
{
    int unsafe = strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0;

    if ((unsafe || route->auth == LM_AUTH_COOKIE) && cross_site(req)) {
        lm_log_security("csrf: %s %s from another site (Origin %s, Sec-Fetch-Site %s) refused",
                        req->method, req->path, req->origin ? req->origin : "-",
                        req->sec_fetch_site ? req->sec_fetch_site : "-");
        lm_res_error(res, 403, "cross_site_request",
                     "Requests from other sites are not accepted.", NULL);
        return -1;
    }
    if (route->auth == LM_AUTH_COOKIE && !is_json(req->content_type) &&
        !(req->requested_with && req->requested_with[0])) {
        lm_res_error(res, 415, "unsupported_media_type",
                     "Send Content-Type: application/json or X-Requested-With.", NULL);
        return -1;
    }
    return 0;
}

void lm_router_handle(const struct lm_route *const *tables, struct lm_req *req,
                      struct lm_res *res)
{
    const struct lm_route *route = NULL;
    char allow[128];

    switch (lm_router_match(tables, req, &route, allow, sizeof allow)) {
    case LM_MATCH_NO_PATH:
        lm_res_error(res, 404, "not_found", "There is nothing at this address.", NULL);
        return;
    case LM_MATCH_NO_METHOD:
        lm_res_header(res, "Allow: %s", allow);
        lm_res_error(res, 405, "method_not_allowed", "This address does not accept that method.",
                     NULL);
        return;
    case LM_MATCH_FOUND:
        break;
    }
    if (query_sane_or_fail(req, res) || cross_site_or_fail(req, route, res))
        return;
    if (route->auth != LM_AUTH_NONE && route->auth != LM_AUTH_COOKIE) {
        if (authenticate(req, res))
            return;
        if ((route->auth == LM_AUTH_ADMIN && req->user.role != LM_ROLE_ADMIN) ||
            (route->auth == LM_AUTH_SUPERVISOR && req->user.role < LM_ROLE_SUPERVISOR)) {
            lm_res_error(res, 403, "forbidden", "Your role may not do this.", NULL);
            return;
        }
    }
    res->status = route->handler(req, res);
}
