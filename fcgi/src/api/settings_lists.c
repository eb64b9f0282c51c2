/* Settings lists: GET for every signed-in user (the app fills its choices
 * from them), POST/PATCH/DELETE for admins. The kinds are in store/settings.c. */
#include "api/api.h"

#include "core/result.h"
#include "store/audit.h"
#include "store/settings.h"

#include <stdio.h>

static const struct lm_setting_def *kind_or_fail(struct lm_req *req, struct lm_res *res)
{
    const struct lm_setting_def *d = lm_setting_find(lm_req_param(req, "kind"));

    if (!d)
        lm_res_error(res, 404, "not_found", "There is no such settings list.", NULL);
    return d;
}

static int settings_list(struct lm_req *req, struct lm_res *res)
{
    const struct lm_setting_def *d = kind_or_fail(req, res);
    json_t *j_out = NULL;
    int rc;

    if (!d)
        return res->status;
    rc = lm_setting_list(req->db, d, &j_out);
    return rc ? lm_res_from_result(res, rc) : lm_res_json(res, 200, j_out);
}

struct save_tx {
    struct lm_req *req;
    const struct lm_setting_def *d;
    long long id0, id; /* id0: the route's id, 0 on create; each try starts from it */
    json_t *j_fields;
};

/* Field errors roll back as LM_ERR_PARAM with j_fields filled. */
static int save_tx(struct lm_db *db, void *ctx)
{
    struct save_tx *t = ctx;
    char action[64];
    int creating = t->id0 == 0;
    int rc;

    t->id = t->id0;
    json_object_clear(t->j_fields);
    rc = lm_setting_save(db, t->d, &t->id, t->req->j_body, t->j_fields);
    if (!rc && json_object_size(t->j_fields))
        return LM_ERR_PARAM;
    snprintf(action, sizeof action, "settings.%s.%s", t->d->url, creating ? "create" : "update");
    return rc ? rc : lm_audit(db, t->req->user.id, action, "setting", t->id, t->req->remote_addr,
                              NULL);
}

static int save(struct lm_req *req, struct lm_res *res, long long id)
{
    const struct lm_setting_def *d = kind_or_fail(req, res);
    struct save_tx t;
    json_t *j_out = NULL;
    int creating = id == 0, rc;

    if (!d || lm_req_json_or_fail(req, res))
        return res->status;
    t.req = req;
    t.d = d;
    t.j_fields = json_object();
    t.id0 = t.id = id;
    rc = lm_db_transaction(req->db, save_tx, &t);
    if (rc == LM_ERR_PARAM && json_object_size(t.j_fields))
        return lm_res_invalid(res, t.j_fields);
    json_decref(t.j_fields);
    if (rc)
        return lm_res_from_result(res, rc);
    id = t.id;
    rc = lm_setting_get(req->db, d, id, &j_out);
    if (rc)
        return lm_res_from_result(res, rc);
    return lm_res_json(res, creating ? 201 : 200, j_out);
}

static int settings_create(struct lm_req *req, struct lm_res *res)
{
    return save(req, res, 0);
}

static int settings_update(struct lm_req *req, struct lm_res *res)
{
    long long id;

    if (lm_param_id_or_fail(req, res, "id", &id))
        return res->status;
    return save(req, res, id);
}

struct remove_tx {
    struct lm_req *req;
    const struct lm_setting_def *d;
    long long id;
};

/* LM_ERR_CONFLICT: still referenced by users or leads. */
static int remove_tx(struct lm_db *db, void *ctx)
{
    struct remove_tx *t = ctx;
    char action[64];
    int rc = lm_setting_remove(db, t->d, t->id);

    snprintf(action, sizeof action, "settings.%s.remove", t->d->url);
    return rc ? rc : lm_audit(db, t->req->user.id, action, "setting", t->id,
                              t->req->remote_addr, NULL);
}

static int settings_remove(struct lm_req *req, struct lm_res *res)
{
    struct remove_tx t = {req, kind_or_fail(req, res), 0};
    int rc;

    if (!t.d || lm_param_id_or_fail(req, res, "id", &t.id))
        return res->status;
    rc = lm_db_transaction(req->db, remove_tx, &t);
    if (rc == LM_ERR_CONFLICT)
        return lm_res_error(res, 409, "in_use", "Still in use by users or leads; move them first.",
                            NULL);
    return rc ? lm_res_from_result(res, rc) : lm_res_json(res, 204, NULL);
}

const struct lm_route settings_lists_routes[] = {
    {"GET", "/api/v1/settings/:kind", settings_list, LM_AUTH_AGENT},
    {"POST", "/api/v1/settings/:kind", settings_create, LM_AUTH_ADMIN},
    {"PATCH", "/api/v1/settings/:kind/:id", settings_update, LM_AUTH_ADMIN},
    {"DELETE", "/api/v1/settings/:kind/:id", settings_remove, LM_AUTH_ADMIN},
    {NULL, NULL, NULL, LM_AUTH_NONE},
};
