/* Merging two leads into one: the agent picks the surviving value of each
 * differing field, everything that hangs off the other lead moves to the
 * survivor, and the other is marked merged into it. One transaction. */
#ifndef LM_SERVICE_MERGE_H
#define LM_SERVICE_MERGE_H

#include "service/leads.h"

/* Merges other_id into survivor_id when both still have the versions the
 * agent saw (LM_ERR_PRECONDITION otherwise). j_values maps a field key to
 * "survivor" or "other" (lists: also "both"); a field not named keeps the
 * survivor's value, or takes the other's when the survivor has none; lists
 * (phones, e-mails, products, team, competitors) default to "both". Both
 * leads must be ones the actor may change; a lead merged already is
 * LM_ERR_CONFLICT (code already_merged). On LM_OK out->lead is the survivor
 * as stored. */
int lm_lead_merge_into(struct lm_db *db, const struct lm_actor_info *who, long long survivor_id,
                       long long survivor_version, long long other_id, long long other_version,
                       const json_t *j_values, struct lm_lead_outcome *out);

#endif
