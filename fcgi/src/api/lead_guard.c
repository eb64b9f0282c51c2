/* Shared by api/leads.c, api/lead_map.c, api/notes.c and api/call_log.c. */
#include "api/lead_guard.h"

#include "core/result.h"
#include "store/leads.h"

int lm_lead_response(struct lm_req *req, struct lm_res *res, const struct lm_lead *l,
                     int status)
{
    json_t *j = lm_lead_json_of(l, LM_LFF_FULL, lm_lead_names_cached(), req->now);

    if (!j)
        return lm_res_from_result(res, LM_ERR_INTERNAL);
    lm_res_header(res, "ETag: \"v%lld\"", l->version);
    if (status == 201)
        lm_res_header(res, "Location: /api/v1/leads/%lld", l->id);
    return lm_res_json(res, status, j);
}

int lm_lead_outcome_response(struct lm_req *req, struct lm_res *res, int rc,
                             struct lm_lead_outcome *o, int status)
{
    int st;

    if (!rc)
        st = lm_lead_response(req, res, o->lead, status);
    else if (o->code) {
        st = lm_res_error(res, lm_result_http_status(rc), o->code, o->message,
                          o->j_fields && json_object_size(o->j_fields) ? json_incref(o->j_fields)
                                                                       : NULL);
        if (o->j_candidates) /* possible_duplicate names the leads it found */
            json_object_set_new(json_object_get(res->j_body, "error"), "candidates",
                                json_pack("{s:O, s:i}", "items", o->j_candidates, "hidden",
                                          o->hidden_candidates));
    }
    else
        st = lm_res_from_result(res, rc);
    lm_lead_outcome_free(o);
    return st;
}

int lm_lead_or_fail(struct lm_req *req, struct lm_res *res, long long *id,
                    enum lm_lead_need need)
{
    int visible = 0, editable = 0, rc;

    if (lm_param_id_or_fail(req, res, "id", id))
        return -1;
    rc = lm_lead_access(req->db, &req->user, *id, &visible, &editable);
    if (rc) {
        lm_res_from_result(res, rc);
        return -1;
    }
    if (!visible) {
        lm_res_error(res, 404, "not_found", "No such lead.", NULL);
        return -1;
    }
    if (need == LM_LEAD_WRITE && !editable) {
        lm_res_error(res, 403, "claim_first",
                     "This lead is in the Lead Bank; claim it before changing it.", NULL);
        return -1;
    }
    return 0;
}
