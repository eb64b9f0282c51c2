/* A lead's map: assigning or moving the lead, setting a step, logging a
 * call attempt. Handlers parse, call the service (service/lead_map.c) and
 * answer with the whole lead as it stands afterwards. */
#include "api/api.h"
#include "api/lead_guard.h"

#include "service/lead_map.h"

static struct lm_actor_info actor(const struct lm_req *req)
{
    struct lm_actor_info who = {&req->user, req->remote_addr, req->now};
    return who;
}

static int lead_map_put(struct lm_req *req, struct lm_res *res)
{
    static const char *const keys[] = {"map_id", NULL};
    struct lm_actor_info who = actor(req);
    struct lm_lead_outcome o;
    const json_t *j_map;
    json_t *j_fields;
    long long id;

    if (lm_param_id_or_fail(req, res, "id", &id) || lm_req_json_or_fail(req, res))
        return res->status;
    j_fields = json_object();
    lm_json_reject_unknown(req->j_body, keys, j_fields);
    j_map = json_object_get(req->j_body, "map_id");
    if (!j_map || (!json_is_null(j_map) &&
                   (!json_is_integer(j_map) || json_integer_value(j_map) <= 0)))
        json_object_set_new(j_fields, "map_id",
                            json_string("Give a map id, or null to take the lead off its map."));
    if (json_object_size(j_fields))
        return lm_res_invalid(res, j_fields);
    json_decref(j_fields);
    lm_lead_outcome_init(&o);
    return lm_lead_outcome_response(
        req, res,
        lm_lead_map_assign(req->db, &who, id,
                           json_is_integer(j_map) ? (long long)json_integer_value(j_map) : 0, &o),
        &o, 200);
}

static int lead_step_put(struct lm_req *req, struct lm_res *res)
{
    struct lm_actor_info who = actor(req);
    struct lm_lead_outcome o;
    long long id, step_id;

    if (lm_param_id_or_fail(req, res, "id", &id) ||
        lm_param_id_or_fail(req, res, "step_id", &step_id) || lm_req_json_or_fail(req, res))
        return res->status;
    lm_lead_outcome_init(&o);
    return lm_lead_outcome_response(
        req, res, lm_lead_step_set(req->db, &who, id, step_id, req->j_body, &o), &o, 200);
}

static int lead_step_attempt(struct lm_req *req, struct lm_res *res)
{
    struct lm_actor_info who = actor(req);
    struct lm_lead_outcome o;
    long long id, step_id;

    if (lm_param_id_or_fail(req, res, "id", &id) ||
        lm_param_id_or_fail(req, res, "step_id", &step_id) || lm_req_json_or_fail(req, res))
        return res->status;
    lm_lead_outcome_init(&o);
    return lm_lead_outcome_response(
        req, res, lm_lead_step_attempt(req->db, &who, id, step_id, req->j_body, &o), &o, 201);
}

const struct lm_route lead_map_routes[] = {
    {"PUT", "/api/v1/leads/:id/map", lead_map_put, LM_AUTH_AGENT},
    {"PUT", "/api/v1/leads/:id/steps/:step_id", lead_step_put, LM_AUTH_AGENT},
    {"POST", "/api/v1/leads/:id/steps/:step_id/attempts", lead_step_attempt, LM_AUTH_AGENT},
    {NULL, NULL, NULL, LM_AUTH_NONE},
};
