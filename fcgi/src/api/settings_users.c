/* Settings: users (admin only): list, create, edit (role, group, units,
 * the archive.reactivate permission, deactivate), reset a password. A
 * deactivated user's access tokens stop working at once (the router loads
 * the user on every request) and their refresh tokens are revoked. Also the
 * user directory that every signed-in user's pickers read. */
#include "api/api.h"

#include "core/crypto.h"
#include "core/result.h"
#include "domain/auth_rules.h"
#include "domain/text.h"
#include "store/audit.h"
#include "store/users.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int parse_bounded(const char *s, long long lo, long long hi, long long *out)
{
    char *end = NULL;
    long long v;

    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int users_list(struct lm_req *req, struct lm_res *res)
{
    char buf[32];
    long long limit = 50, after = 0;
    json_t *j_out = NULL;
    int rc;

    if (!lm_req_query(req, "limit", buf, sizeof buf) &&
        parse_bounded(buf, 1, 200, &limit))
        return lm_res_error(res, 400, "validation_failed", "Check the query.",
                            json_pack("{s:s}", "limit", "A whole number from 1 to 200."));
    rc = lm_req_query(req, "after", buf, sizeof buf);
    if (rc == -2) /* the router lets a cursor be long; ours is an id */
        return lm_res_error(res, 400, "validation_failed", "Check the query.",
                            json_pack("{s:s}", "after", "Too long."));
    if (!rc && parse_bounded(buf, 0, 9223372036854775807LL, &after))
        return lm_res_error(res, 400, "validation_failed", "Check the query.",
                            json_pack("{s:s}", "after", "Use the cursor from 'next'."));
    rc = lm_user_list_json(req->db, after, (int)limit, &j_out);
    if (rc)
        return lm_res_from_result(res, rc);
    return lm_res_json(res, 200, j_out);
}

struct user_body {
    const char *email, *name, *role, *password;
    long long group_id;
    int set_group, active, set_units, nunits, set_perms, can_reactivate;
    long long unit_ids[50];
};

static void parse_user(const json_t *j_body, int creating, struct user_body *b, json_t *j_fields)
{
    static const char *const keys[] = {"email", "name", "role", "group_id", "unit_ids",
                                       "permissions", "active", "password", NULL};
    const json_t *j;
    size_t i;
    json_t *j_item;

    memset(b, 0, sizeof *b);
    b->active = -1;
    lm_json_reject_unknown((json_t *)j_body, keys, j_fields);
    j = json_object_get(j_body, "email");
    if (creating) {
        b->email = json_string_value(j);
        if (!lm_email_valid(b->email))
            json_object_set_new(j_fields, "email", json_string("Enter a valid e-mail address."));
    } else if (j) {
        json_object_set_new(j_fields, "email", json_string("The e-mail address stays."));
    }
    j = json_object_get(j_body, "name");
    if (j || creating) {
        b->name = json_string_value(j);
        if (!b->name || !*b->name || lm_utf8_chars(b->name) > 120)
            json_object_set_new(j_fields, "name", json_string("Enter 1 to 120 characters."));
    }
    j = json_object_get(j_body, "role");
    if (j || creating) {
        b->role = json_string_value(j);
        if (lm_role_parse(b->role) == LM_ROLE_NONE)
            json_object_set_new(j_fields, "role", json_string("Use agent, supervisor or admin."));
    }
    j = json_object_get(j_body, "group_id");
    if (j) {
        b->set_group = 1;
        if (!json_is_null(j) && (!json_is_integer(j) || json_integer_value(j) <= 0))
            json_object_set_new(j_fields, "group_id", json_string("Give a group id or null."));
        b->group_id = json_is_integer(j) ? (long long)json_integer_value(j) : 0;
    }
    j = json_object_get(j_body, "unit_ids");
    if (j) {
        b->set_units = 1;
        if (!json_is_array(j) || json_array_size(j) > 50)
            json_object_set_new(j_fields, "unit_ids", json_string("Give a list of unit ids."));
        json_array_foreach(j, i, j_item)
        {
            if (!json_is_integer(j_item) || json_integer_value(j_item) <= 0 || i >= 50) {
                json_object_set_new(j_fields, "unit_ids", json_string("Give a list of unit ids."));
                break;
            }
            b->unit_ids[b->nunits++] = (long long)json_integer_value(j_item);
        }
    }
    j = json_object_get(j_body, "permissions");
    if (j) {
        b->set_perms = 1;
        if (!json_is_array(j))
            json_object_set_new(j_fields, "permissions",
                                json_string("Give a list such as [\"archive.reactivate\"]."));
        json_array_foreach(j, i, j_item)
        {
            if (json_is_string(j_item) && !strcmp(json_string_value(j_item), "archive.reactivate"))
                b->can_reactivate = 1;
            else
                json_object_set_new(j_fields, "permissions",
                                    json_string("The only permission is archive.reactivate."));
        }
    }
    j = json_object_get(j_body, "active");
    if (j) {
        if (!json_is_boolean(j))
            json_object_set_new(j_fields, "active", json_string("Use true or false."));
        b->active = json_is_true(j);
    }
    j = json_object_get(j_body, "password");
    if (creating) {
        b->password = json_string_value(j);
        if (!b->password || json_string_length(j) < 8 || json_string_length(j) > 1024)
            json_object_set_new(j_fields, "password",
                                json_string("Use 8 to 1024 characters."));
    } else if (j) {
        json_object_set_new(j_fields, "password", json_string("Use the password route."));
    }
}

static int write_user(struct lm_db *db, long long id, const struct user_body *b)
{
    int rc = LM_OK;

    if (b->set_units)
        rc = lm_user_set_units(db, id, b->unit_ids, b->nunits);
    if (!rc && b->set_perms)
        rc = lm_user_set_permissions(db, id, b->can_reactivate);
    return rc;
}

/* The writes of a create or an edit, run by lm_db_transaction. */
struct user_tx {
    struct lm_req *req;
    const struct user_body *b;
    const char *hash; /* set: create */
    long long id;
};

static int user_tx(struct lm_db *db, void *ctx)
{
    struct user_tx *t = ctx;
    const struct user_body *b = t->b;
    int rc = t->hash ? lm_user_create(db, b->email, b->name, lm_role_parse(b->role), b->group_id,
                                      t->hash, &t->id)
                     : lm_user_update(db, t->id, b->name, b->role, b->group_id, b->set_group,
                                      b->active);

    if (!rc)
        rc = write_user(db, t->id, b);
    if (!rc && t->hash && b->active == 0)
        rc = lm_user_set_active(db, t->id, 0);
    if (!rc)
        rc = lm_audit(db, t->req->user.id,
                      t->hash ? "user.create" : b->active == 0 ? "user.deactivate" : "user.update",
                      "user", t->id, t->req->remote_addr, NULL);
    return rc;
}

static int users_create(struct lm_req *req, struct lm_res *res)
{
    struct user_body b;
    char hash[LM_PWHASH_LEN];
    json_t *j_fields, *j_user = NULL;
    long long id = 0;
    int rc;

    if (lm_req_json_or_fail(req, res))
        return res->status;
    j_fields = json_object();
    parse_user(req->j_body, 1, &b, j_fields);
    rc = lm_user_refs_check(req->db, b.group_id, b.unit_ids, b.nunits, j_fields);
    if (rc) {
        json_decref(j_fields);
        return lm_res_from_result(res, rc);
    }
    if (json_object_size(j_fields))
        return lm_res_invalid(res, j_fields);
    json_decref(j_fields);
    if (lm_password_hash(b.password, hash))
        return lm_res_from_result(res, LM_ERR_INTERNAL);
    {
        struct user_tx t = {req, &b, hash, 0};
        rc = lm_db_transaction(req->db, user_tx, &t);
        id = t.id;
    }
    if (rc) {
        if (rc == LM_ERR_CONFLICT)
            return lm_res_error(res, 409, "conflict", "A user with this e-mail exists.",
                                json_pack("{s:s}", "email", "This e-mail is taken."));
        if (rc == LM_ERR_PARAM)
            return lm_res_invalid(res, json_pack("{s:s}", "group_id", "No such group or unit."));
        return lm_res_from_result(res, rc);
    }
    rc = lm_user_json(req->db, id, &j_user);
    return rc ? lm_res_from_result(res, rc) : lm_res_json(res, 201, j_user);
}

static int users_update(struct lm_req *req, struct lm_res *res)
{
    struct user_body b;
    json_t *j_fields, *j_user = NULL;
    long long id;
    int rc;

    if (lm_param_id_or_fail(req, res, "id", &id) || lm_req_json_or_fail(req, res))
        return res->status;
    j_fields = json_object();
    parse_user(req->j_body, 0, &b, j_fields);
    rc = lm_user_refs_check(req->db, b.group_id, b.unit_ids, b.nunits, j_fields);
    if (rc) {
        json_decref(j_fields);
        return lm_res_from_result(res, rc);
    }
    if (id == req->user.id && (b.active == 0 || (b.role && strcmp(b.role, "admin"))))
        json_object_set_new(j_fields, b.active == 0 ? "active" : "role",
                            json_string("You cannot lock yourself out."));
    if (json_object_size(j_fields))
        return lm_res_invalid(res, j_fields);
    json_decref(j_fields);
    rc = lm_user_json(req->db, id, &j_user);
    json_decref(j_user);
    if (rc)
        return lm_res_from_result(res, rc);
    {
        struct user_tx t = {req, &b, NULL, id};
        rc = lm_db_transaction(req->db, user_tx, &t);
    }
    if (rc) {
        if (rc == LM_ERR_PARAM)
            return lm_res_invalid(res, json_pack("{s:s}", "group_id", "No such group or unit."));
        return lm_res_from_result(res, rc);
    }
    rc = lm_user_json(req->db, id, &j_user);
    return rc ? lm_res_from_result(res, rc) : lm_res_json(res, 200, j_user);
}

struct password_tx {
    struct lm_req *req;
    long long id;
    const char *hash;
};

/* The new hash, every refresh token revoked, and the audit row: all or none. */
static int password_tx(struct lm_db *db, void *ctx)
{
    struct password_tx *t = ctx;
    int rc = lm_user_set_password(db, t->id, t->hash);

    return rc ? rc : lm_audit(db, t->req->user.id, "user.password_reset", "user", t->id,
                              t->req->remote_addr, NULL);
}

static int users_password(struct lm_req *req, struct lm_res *res)
{
    static const char *const keys[] = {"password", NULL};
    char hash[LM_PWHASH_LEN];
    json_t *j_fields, *j_pw, *j_user = NULL;
    long long id;
    int rc;

    if (lm_param_id_or_fail(req, res, "id", &id) || lm_req_json_or_fail(req, res))
        return res->status;
    j_fields = json_object();
    lm_json_reject_unknown(req->j_body, keys, j_fields);
    j_pw = json_object_get(req->j_body, "password");
    if (!json_is_string(j_pw) || json_string_length(j_pw) < 8 || json_string_length(j_pw) > 1024)
        json_object_set_new(j_fields, "password", json_string("Use 8 to 1024 characters."));
    if (json_object_size(j_fields))
        return lm_res_invalid(res, j_fields);
    json_decref(j_fields);
    rc = lm_user_json(req->db, id, &j_user);
    json_decref(j_user);
    if (rc)
        return lm_res_from_result(res, rc);
    if (lm_password_hash(json_string_value(j_pw), hash))
        return lm_res_from_result(res, LM_ERR_INTERNAL);
    {
        struct password_tx t = {req, id, hash};
        rc = lm_db_transaction(req->db, password_tx, &t);
    }
    return rc ? lm_res_from_result(res, rc) : lm_res_json(res, 204, NULL);
}

static int users_directory(struct lm_req *req, struct lm_res *res)
{
    json_t *j_out = NULL;
    int rc = lm_user_directory_json(req->db, &j_out);

    return rc ? lm_res_from_result(res, rc) : lm_res_json(res, 200, j_out);
}

const struct lm_route settings_users_routes[] = {
    {"GET", "/api/v1/settings/users", users_list, LM_AUTH_ADMIN},
    {"POST", "/api/v1/settings/users", users_create, LM_AUTH_ADMIN},
    {"PATCH", "/api/v1/settings/users/:id", users_update, LM_AUTH_ADMIN},
    {"POST", "/api/v1/settings/users/:id/password", users_password, LM_AUTH_ADMIN},
    {"GET", "/api/v1/users", users_directory, LM_AUTH_AGENT},
    {NULL, NULL, NULL, LM_AUTH_NONE},
};
