/* Merging two leads: POST /api/v1/leads/:id/merge keeps :id and merges
 * other_id into it (service/merge.c). Both versions the agent saw are in the
 * body, as If-Match is for one lead: a change to either since then is 412. */
#include "api/api.h"
#include "api/lead_guard.h"

#include "service/merge.h"

#include <string.h>

static int body_id(const json_t *j_body, const char *key, long long *out, json_t *j_fields)
{
    const json_t *j = json_object_get(j_body, key);

    *out = json_is_integer(j) ? (long long)json_integer_value(j) : 0;
    if (*out <= 0) {
        json_object_set_new(j_fields, key, json_string("Give a whole number above 0."));
        return -1;
    }
    return 0;
}

static int leads_merge(struct lm_req *req, struct lm_res *res)
{
    static const char *const keys[] = {"other_id", "version", "other_version", "values", NULL};
    struct lm_actor_info who = {&req->user, req->remote_addr, req->now};
    struct lm_lead_outcome o;
    long long id, other = 0, version = 0, other_version = 0;
    json_t *j_fields;

    if (lm_param_id_or_fail(req, res, "id", &id) || lm_req_json_or_fail(req, res))
        return res->status;
    j_fields = json_object();
    lm_json_reject_unknown(req->j_body, keys, j_fields);
    body_id(req->j_body, "other_id", &other, j_fields);
    body_id(req->j_body, "version", &version, j_fields);
    body_id(req->j_body, "other_version", &other_version, j_fields);
    if (json_object_size(j_fields))
        return lm_res_invalid(res, j_fields);
    json_decref(j_fields);
    lm_lead_outcome_init(&o);
    return lm_lead_outcome_response(req, res,
                                    lm_lead_merge_into(req->db, &who, id, version, other,
                                                       other_version,
                                                       json_object_get(req->j_body, "values"),
                                                       &o),
                                    &o, 200);
}

const struct lm_route merge_routes[] = {
    {"POST", "/api/v1/leads/:id/merge", leads_merge, LM_AUTH_AGENT},
    {NULL, NULL, NULL, LM_AUTH_NONE},
};
