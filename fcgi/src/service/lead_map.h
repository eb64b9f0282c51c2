/* A lead's way through its map: assigning or moving it, setting a step,
 * logging a call attempt, and progression after any change. The same
 * pattern as service/leads.c: no HTTP types, one transaction each
 * (lm_db_transaction), access checked on the locked lead row, the history
 * as a diff of the lead before and after written in one statement, an
 * audit row, and a touch for the call log. */
#ifndef LM_SERVICE_LEAD_MAP_H
#define LM_SERVICE_LEAD_MAP_H

#include "service/leads.h"

/* Every change below is optimistic like a lead edit: want is the lead's
 * version the caller saw (its If-Match); LM_ERR_PRECONDITION when the lead
 * has moved on since.
 *
 * Puts a lead the actor may change on map_id (0: takes it off its map).
 * The old map's values stay; a lead already on map_id is left as it is.
 * The new map's first track's call steps become due on the owner's list;
 * the old map's leave it. */
int lm_lead_map_assign(struct lm_db *db, const struct lm_actor_info *who, long long id,
                       long long want, long long map_id, struct lm_lead_outcome *out);
/* Sets a step of the lead's map from {"value": …} or {"done": bool}
 * (checkbox, video), checked for the step's type. A mirror step writes its
 * lead field; a schedule step places or moves (null: cancels) an entry in
 * the lead owner's schedule (the actor's when the lead has no owner). */
int lm_lead_step_set(struct lm_db *db, const struct lm_actor_info *who, long long id,
                     long long want, long long step_id, const json_t *j_body,
                     struct lm_lead_outcome *out);
/* Logs an attempt {"outcome", "note"?} on a call step that is not complete
 * (LM_ERR_CONFLICT step_complete otherwise); the next attempt becomes due
 * the step's spacing later on the lead owner's list. */
int lm_lead_step_attempt(struct lm_db *db, const struct lm_actor_info *who, long long id,
                         long long want, long long step_id, const json_t *j_body,
                         struct lm_lead_outcome *out);

/* After a change to a lead on a map (inside the change's transaction, with
 * after loaded as stored): moves it through its tracks as far as its values
 * allow and stores that; the call steps of a track it enters become due.
 * No statement when nothing moves. */
int lm_lead_map_advance(struct lm_db *db, struct lm_lead *after, long long now);

/* Assignment rules (PRODUCT §4: a lead gets a map from the service
 * requested): a lead on no map whose custom field now holds a rule's value
 * (text, dropdown, radio or one choice of a multi-select) is put on the
 * rule's map, the first rule by position winning. With before (an edit),
 * only rules whose field changed apply; a lead already on a map is never
 * moved by a rule. after is the lead as stored; its map state is updated.
 * *rule_id (may be NULL) receives the rule that applied, 0 when none. */
int lm_lead_map_apply_rules(struct lm_db *db, const struct lm_lead *before,
                            struct lm_lead *after, long long now, long long *rule_id);

#endif
