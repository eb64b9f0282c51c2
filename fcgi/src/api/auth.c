/* Sign-in, session refresh, sign-out and the signed-in user.
 *
 * A session is a short-lived HS256 access token (in memory in the app) plus a
 * rotating refresh token in an HttpOnly SameSite=Strict cookie scoped to
 * /api/v1/auth. Failed logins count per (e-mail typed, client address);
 * past the threshold that pair is locked out for a growing time
 * (domain/auth_rules.c) and login answers 429 with Retry-After, whether the
 * password is right or not. An unknown or inactive e-mail takes the same
 * path (a dummy hash is checked), so status, body, Retry-After and time do
 * not tell it from an account. */
#include "api/api.h"

#include "core/crypto.h"
#include "core/jwt.h"
#include "core/log.h"
#include "core/result.h"
#include "domain/auth_rules.h"
#include "store/audit.h"
#include "store/login_failures.h"
#include "store/tokens.h"
#include "store/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REFRESH_COOKIE "lm_refresh"

static const char *const login_keys[] = {"email", "password", NULL};

static void set_refresh_cookie(struct lm_req *req, struct lm_res *res, const char *token,
                               int max_age)
{
    lm_res_header(res, "Set-Cookie: " REFRESH_COOKIE "=%s; Path=/api/v1/auth; Max-Age=%d; "
                       "HttpOnly; SameSite=Strict%s",
                  token, max_age, req->cfg->cookie_secure ? "; Secure" : "");
}

/* Answers 200 with a new access token and the user, and sets the cookie. */
static int session_response(struct lm_req *req, struct lm_res *res, long long user_id,
                            const char *refresh)
{
    struct lm_user u;
    struct lm_claims c;
    json_t *j_user = NULL;
    char *token = NULL;
    int rc;

    rc = lm_user_load_active(req->db, user_id, &u);
    if (!rc)
        rc = lm_user_json(req->db, user_id, &j_user);
    if (rc) {
        json_decref(j_user);
        return rc == LM_ERR_NOT_FOUND
                   ? lm_res_error(res, 401, "unauthorized", "Sign in first.", NULL)
                   : lm_res_from_result(res, rc);
    }
    memset(&c, 0, sizeof c);
    c.sub = u.id;
    c.grp = u.group_id;
    c.gen = u.token_generation;
    snprintf(c.role, sizeof c.role, "%s", lm_role_name(u.role));
    c.iat = req->now;
    c.exp = req->now + req->cfg->access_ttl;
    lm_random_hex(c.jti, 16);
    if (lm_jwt_sign(&c, req->jwt_key, req->jwt_keylen, &token)) {
        json_decref(j_user);
        return lm_res_from_result(res, LM_ERR_INTERNAL);
    }
    set_refresh_cookie(req, res, refresh, req->cfg->refresh_ttl);
    lm_res_header(res, "Cache-Control: no-store");
    lm_res_json(res, 200,
                json_pack("{s:s, s:s, s:i, s:o}", "access_token", token, "token_type", "Bearer",
                          "expires_in", req->cfg->access_ttl, "user", j_user));
    free(token);
    return 200;
}

static int auth_login(struct lm_req *req, struct lm_res *res)
{
    struct lm_login_row row;
    json_t *j_fields = NULL, *j_email, *j_password;
    const char *email = NULL, *password = NULL;
    const char *ip = req->remote_addr ? req->remote_addr : "-";
    char refresh[LM_TOKEN_LEN];
    long long locked_for = 0;
    int known, rc;

    if (lm_req_json_or_fail(req, res))
        return res->status;
    j_fields = json_object();
    j_email = json_object_get(req->j_body, "email");
    j_password = json_object_get(req->j_body, "password");
    if (!json_is_string(j_email) || !lm_email_valid(json_string_value(j_email)))
        json_object_set_new(j_fields, "email", json_string("Enter a valid e-mail address."));
    else
        email = json_string_value(j_email);
    if (!json_is_string(j_password) || json_string_length(j_password) == 0)
        json_object_set_new(j_fields, "password", json_string("Enter your password."));
    else if (json_string_length(j_password) > 1024)
        json_object_set_new(j_fields, "password", json_string("At most 1024 characters."));
    else
        password = json_string_value(j_password);
    lm_json_reject_unknown(req->j_body, login_keys, j_fields);
    if (json_object_size(j_fields))
        return lm_res_invalid(res, j_fields);
    json_decref(j_fields);

    rc = lm_login_locked_for(req->db, email, ip, &locked_for);
    if (rc)
        return lm_res_from_result(res, rc);
    if (locked_for > 0) {
        lm_log_security("login: locked out (%lld s) from %s", locked_for, ip);
        lm_res_header(res, "Retry-After: %lld", locked_for);
        return lm_res_error(res, 429, "too_many_attempts",
                            "Too many failed sign-ins; wait before trying again.", NULL);
    }
    rc = lm_user_login_row(req->db, email, &row);
    known = !rc && row.active;
    if (rc && rc != LM_ERR_NOT_FOUND)
        return lm_res_from_result(res, rc);
    if (!known)
        lm_password_dummy_verify(password);
    if (!known || lm_password_verify(row.password_hash, password)) {
        unsigned failures = 0;
        long long lock;

        rc = lm_login_failure_add(req->db, email, ip, &failures);
        if (rc)
            return lm_res_from_result(res, rc);
        lock = lm_login_backoff(failures, (unsigned)req->cfg->login_lock_after);
        if (lock > 0)
            lm_login_failure_lock(req->db, email, ip, lock);
        if (known) {
            lm_log_security("login: wrong password for account %lld from %s (%u in a row)",
                            row.id, ip, failures);
            lm_audit(req->db, row.id, "login.failed", "user", row.id, ip, NULL);
        } else {
            lm_log_security("login: failed for unknown or inactive account from %s (%u in a row)",
                            ip, failures);
            lm_audit(req->db, 0, "login.failed", NULL, 0, ip, "unknown account");
        }
        return lm_res_error(res, 401, "invalid_credentials", "Wrong e-mail or password.", NULL);
    }
    rc = lm_login_failures_clear(req->db, email, ip);
    if (!rc)
        rc = lm_refresh_issue(req->db, row.id, req->cfg->refresh_ttl, refresh);
    if (rc)
        return lm_res_from_result(res, rc);
    lm_audit(req->db, row.id, "login", "user", row.id, req->remote_addr, NULL);
    req->user.id = row.id;
    return session_response(req, res, row.id, refresh);
}

static int auth_refresh(struct lm_req *req, struct lm_res *res)
{
    char token[128], fresh[LM_TOKEN_LEN];
    long long user_id = 0;
    int reused = 0, rc;

    if (lm_req_cookie(req, REFRESH_COOKIE, token, sizeof token) || !token[0])
        return lm_res_error(res, 401, "unauthorized", "No session to refresh.", NULL);
    rc = lm_refresh_rotate(req->db, token, req->cfg->refresh_ttl, fresh, &user_id, &reused);
    if (reused) {
        lm_log_security("refresh: reused token for user %lld from %s; family revoked", user_id,
                        req->remote_addr);
        lm_audit(req->db, user_id, "refresh.reuse", "user", user_id, req->remote_addr, NULL);
    }
    if (rc == LM_ERR_AUTH) {
        set_refresh_cookie(req, res, "", 0);
        return lm_res_error(res, 401, "unauthorized", "The session has ended; sign in again.",
                            NULL);
    }
    if (rc)
        return lm_res_from_result(res, rc);
    req->user.id = user_id;
    return session_response(req, res, user_id, fresh);
}

static int auth_logout(struct lm_req *req, struct lm_res *res)
{
    char token[128];
    int rc;

    if (!lm_req_cookie(req, REFRESH_COOKIE, token, sizeof token) && token[0]) {
        rc = lm_refresh_revoke_family(req->db, token);
        if (rc)
            return lm_res_from_result(res, rc);
        lm_audit(req->db, 0, "logout", NULL, 0, req->remote_addr, NULL);
    }
    set_refresh_cookie(req, res, "", 0);
    return lm_res_json(res, 204, NULL);
}

static int me_get(struct lm_req *req, struct lm_res *res)
{
    /* the router's user check loaded everything /me shows */
    json_t *j_user = lm_user_me_json(&req->user);

    if (!j_user)
        return lm_res_from_result(res, LM_ERR_INTERNAL);
    return lm_res_json(res, 200, j_user);
}

const struct lm_route auth_routes[] = {
    {"POST", "/api/v1/auth/login", auth_login, LM_AUTH_NONE},
    {"POST", "/api/v1/auth/refresh", auth_refresh, LM_AUTH_COOKIE},
    {"POST", "/api/v1/auth/logout", auth_logout, LM_AUTH_COOKIE},
    {"GET", "/api/v1/me", me_get, LM_AUTH_AGENT},
    {NULL, NULL, NULL, LM_AUTH_NONE},
};
