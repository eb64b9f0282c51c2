/* Shared by api/leads.c, api/notes.c and api/call_log.c. */
#include "api/lead_guard.h"

#include "store/leads.h"

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
