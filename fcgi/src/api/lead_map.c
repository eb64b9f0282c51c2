/* A lead's map: assigning or moving the lead, setting a step, logging a
 * call attempt, and the signed-in user's call attempts due. Each change is
 * optimistic like a lead PATCH: If-Match with the lead's ETag is required
 * (428 without it, 412 when the lead changed since). Handlers parse, call
 * the service (service/lead_map.c) and answer with the whole lead as it
 * stands afterwards. */
#include "api/api.h"
#include "api/lead_guard.h"
#include "core/conditional.h"
#include "core/result.h"

#include "service/lead_map.h"
#include "store/cache.h"
#include "store/lead_map.h"

#include <stdlib.h>

static struct lm_actor_info actor(const struct lm_req *req)
{
    struct lm_actor_info who = {&req->user, req->remote_addr, req->now};
    return who;
}

/* The :id and the version of If-Match, or the error written: 404 first for
 * a lead the user may not see (as leads_patch answers), then 428 / 412. */
static int id_and_version_or_fail(struct lm_req *req, struct lm_res *res, long long *id,
                                  long long *want)
{
    if (!req->if_match || lm_etag_version(req->if_match, want)) {
        if (lm_lead_or_fail(req, res, id, LM_LEAD_READ))
            return -1;
    } else if (lm_param_id_or_fail(req, res, "id", id)) {
        return -1;
    }
    if (!req->if_match) {
        lm_res_error(res, 428, "precondition_required",
                     "Send If-Match with the ETag of the lead you changed.", NULL);
        return -1;
    }
    if (lm_etag_version(req->if_match, want)) {
        lm_res_error(res, 412, "precondition_failed",
                     "The lead changed since you loaded it; reload it.", NULL);
        return -1;
    }
    return 0;
}

static int lead_map_put(struct lm_req *req, struct lm_res *res)
{
    static const char *const keys[] = {"map_id", NULL};
    struct lm_actor_info who = actor(req);
    struct lm_lead_outcome o;
    const json_t *j_map;
    json_t *j_fields;
    long long id, want;

    if (id_and_version_or_fail(req, res, &id, &want) || lm_req_json_or_fail(req, res))
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
        lm_lead_map_assign(req->db, &who, id, want,
                           json_is_integer(j_map) ? (long long)json_integer_value(j_map) : 0, &o),
        &o, 200);
}

static int lead_step_put(struct lm_req *req, struct lm_res *res)
{
    struct lm_actor_info who = actor(req);
    struct lm_lead_outcome o;
    long long id, want, step_id;

    if (id_and_version_or_fail(req, res, &id, &want) ||
        lm_param_id_or_fail(req, res, "step_id", &step_id) || lm_req_json_or_fail(req, res))
        return res->status;
    lm_lead_outcome_init(&o);
    return lm_lead_outcome_response(
        req, res, lm_lead_step_set(req->db, &who, id, want, step_id, req->j_body, &o), &o, 200);
}

static int lead_step_attempt(struct lm_req *req, struct lm_res *res)
{
    struct lm_actor_info who = actor(req);
    struct lm_lead_outcome o;
    long long id, want, step_id;

    if (id_and_version_or_fail(req, res, &id, &want) ||
        lm_param_id_or_fail(req, res, "step_id", &step_id) || lm_req_json_or_fail(req, res))
        return res->status;
    lm_lead_outcome_init(&o);
    return lm_lead_outcome_response(
        req, res, lm_lead_step_attempt(req->db, &who, id, want, step_id, req->j_body, &o), &o,
        201);
}

/* GET /api/v1/call-attempts/due: the signed-in user's call steps whose next
 * attempt is due, oldest first (?limit=1..200, 50). One indexed statement;
 * map and step names come from the settings cache, and a row whose step an
 * admin has since hidden is left out. */
static int calls_due(struct lm_req *req, struct lm_res *res)
{
    const struct lm_map_defs *d = lm_cache_maps();
    struct lm_call_due *due = NULL;
    json_t *j_items;
    char buf[16];
    long long limit = 50;
    int n = 0, rc, status;

    rc = lm_req_query(req, "limit", buf, sizeof buf);
    if (rc != -1) {
        char *end = NULL;
        limit = rc ? 0 : strtoll(buf, &end, 10);
        if (rc || !buf[0] || *end || limit < 1 || limit > 200)
            return lm_res_invalid(res, json_pack("{s:s}", "limit",
                                                 "A whole number from 1 to 200."));
    }
    due = malloc((size_t)limit * sizeof *due);
    if (!due)
        return lm_res_from_result(res, LM_ERR_INTERNAL);
    rc = lm_calls_due_list(req->db, req->user.id, (int)limit, due, &n);
    if (rc) {
        status = lm_res_from_result(res, rc);
        goto out;
    }
    j_items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *j = lm_call_due_json(d, &due[i]);
        if (j)
            json_array_append_new(j_items, j);
    }
    status = lm_res_json(res, 200, json_pack("{s:o}", "items", j_items));
out:
    free(due);
    return status;
}

const struct lm_route lead_map_routes[] = {
    {"PUT", "/api/v1/leads/:id/map", lead_map_put, LM_AUTH_AGENT},
    {"PUT", "/api/v1/leads/:id/steps/:step_id", lead_step_put, LM_AUTH_AGENT},
    {"POST", "/api/v1/leads/:id/steps/:step_id/attempts", lead_step_attempt, LM_AUTH_AGENT},
    {"GET", "/api/v1/call-attempts/due", calls_due, LM_AUTH_AGENT},
    {NULL, NULL, NULL, LM_AUTH_NONE},
};
