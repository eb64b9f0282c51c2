/* What every lead sub-resource shares. The check it makes first: the path's :id is a lead
 * the user may see (404 otherwise, exactly as for a lead that does not
 * exist), and for changes one the user may work on (403 claim_first for a
 * lead seen only because it sits in the Lead Bank). */
#ifndef LM_API_LEAD_GUARD_H
#define LM_API_LEAD_GUARD_H

#include "core/http.h"
#include "service/leads.h"

enum lm_lead_need { LM_LEAD_READ, LM_LEAD_WRITE };

/* Returns 0 with *id set, or non-zero with the error response written. */
int lm_lead_or_fail(struct lm_req *req, struct lm_res *res, long long *id,
                    enum lm_lead_need need);

/* Answers with a lead's whole record (ETag "v<version>"; Location on 201). */
int lm_lead_response(struct lm_req *req, struct lm_res *res, const struct lm_lead *l,
                     int status);
/* Maps a service outcome to the response (the lead, or the error envelope
 * with its fields) and frees the outcome. */
int lm_lead_outcome_response(struct lm_req *req, struct lm_res *res, int rc,
                             struct lm_lead_outcome *o, int status);

#endif
