/* The one write path for leads: create, edit and every life-cycle action,
 * with their rules, in one transaction each (lm_db_transaction retries a
 * deadlock). No HTTP types: the API, the CLI, and later CSV import, public
 * forms and merge call these, and each caller turns the outcome into its
 * own answer (api/leads.c maps it to a status and the error envelope). */
#ifndef LM_SERVICE_LEADS_H
#define LM_SERVICE_LEADS_H

#include "core/db.h"
#include "core/http.h"
#include "domain/lead.h"
#include "domain/lead_actions.h"

#include <jansson.h>

/* Who acts, from where, and when. */
struct lm_actor_info {
    const struct lm_user *user;
    const char *ip;  /* for the audit log; may be NULL */
    long long now;   /* unix seconds */
};

/* What came of a call. On LM_OK, lead is the lead as stored afterwards.
 * Otherwise code and message say why (for the error envelope) and, for
 * LM_ERR_PARAM, j_fields holds an error per field. */
struct lm_lead_outcome {
    struct lm_lead *lead; /* owned */
    const char *code;     /* static text */
    char message[256];
    json_t *j_fields;     /* owned */
    /* LM_ERR_CONFLICT with code possible_duplicate: the leads the actor may
     * see that share a phone or e-mail (store/duplicates.h), and how many
     * others do */
    json_t *j_candidates; /* owned */
    int hidden_candidates;
};

void lm_lead_outcome_init(struct lm_lead_outcome *o);
/* Sets code and message on o and returns rc (for `return fail(…)`). */
int lm_lead_outcome_fail(struct lm_lead_outcome *o, int rc, const char *code,
                         const char *message);
void lm_lead_outcome_free(struct lm_lead_outcome *o);

/* The steps every lead change shares, for the services built on this one
 * (service/lead_map.c):
 * lm_lead_invalid: 400 validation_failed (field errors are in o->j_fields);
 * lm_lead_run_tx: runs fn in lm_db_transaction with a fresh before and
 *   after lead (*before and *after, members of ctx); on success out takes
 *   after;
 * lm_lead_lock_for_change: loads the lead locked, 404 not_found when out of
 *   the actor's sight, 403 claim_first when seen only in the Lead Bank;
 * lm_lead_record_change: the history rows of before -> after under action,
 *   in one statement, and the audit row. */
int lm_lead_invalid(struct lm_lead_outcome *o);
int lm_lead_run_tx(struct lm_db *db, lm_tx_fn fn, void *ctx, struct lm_lead **before,
                   struct lm_lead **after, struct lm_lead_outcome *out);
int lm_lead_lock_for_change(struct lm_db *db, const struct lm_actor_info *who, long long id,
                            struct lm_lead *l, struct lm_lead_outcome *o);
int lm_lead_record_change(struct lm_db *db, const struct lm_actor_info *who,
                          const struct lm_lead *before, const struct lm_lead *after,
                          const char *action, const char *audit_action);

enum { LM_CREATE_ALLOW_DUPLICATE = 1 }; /* lm_lead_create flags */

/* Creates a lead from a body as the API takes it. Without
 * LM_CREATE_ALLOW_DUPLICATE, a lead whose phone or e-mail an existing lead
 * has is not created: LM_ERR_CONFLICT, code possible_duplicate, with the
 * candidates in out. */
int lm_lead_create(struct lm_db *db, const struct lm_actor_info *who, const json_t *j_body,
                   unsigned flags, struct lm_lead_outcome *out);
/* What lm_lead_create checks and fills before it writes: the body parsed
 * into l (from lm_lead_new, or reset), references and assignment checked,
 * defaults and custom values applied. rule_group: the group the address
 * rules give (0 = none), or -1 to look it up. LM_ERR_PARAM (or
 * LM_ERR_FORBIDDEN) with the field errors in out; writes nothing. The CSV
 * import checks each row with this. */
int lm_lead_prepare_new(struct lm_db *db, const struct lm_actor_info *who, const json_t *j_body,
                        long long rule_group, struct lm_lead *l, struct lm_lead_outcome *out);
/* Edits a lead the actor may change, if its version is still if_version
 * (LM_ERR_PRECONDITION otherwise). An empty body changes nothing. */
int lm_lead_edit(struct lm_db *db, const struct lm_actor_info *who, long long id,
                 long long if_version, const json_t *j_body, struct lm_lead_outcome *out);
/* Runs a life-cycle action; j_body holds {status_id, lost_reason_id, reason}. */
int lm_lead_act(struct lm_db *db, const struct lm_actor_info *who, long long id,
                enum lm_action a, const json_t *j_body, struct lm_lead_outcome *out);

/* Sets (when_sql, "YYYY-MM-DD HH:MM:SS" UTC) or clears (NULL) the follow-up
 * of a lead the actor may change; a touch for the call log. */
int lm_lead_follow_up(struct lm_db *db, const struct lm_actor_info *who, long long id,
                      const char *when_sql, struct lm_lead_outcome *out);
/* Claims a Lead Bank lead for the actor with a follow-up at when_sql.
 * LM_ERR_CONFLICT (code not_in_lead_bank) when it is no longer there. No
 * visibility check: a claimed lead leaves everyone's view at once, and the
 * others must hear "claimed", not "no such lead". */
int lm_lead_claim(struct lm_db *db, const struct lm_actor_info *who, long long id,
                  const char *when_sql, struct lm_lead_outcome *out);

/* Inside a transaction that has locked `before` (loaded with
 * lm_lead_load and LM_LOAD_LOCK, access checked): applies a PATCH body as
 * lm_lead_edit does — parsed, references checked, merged, the whole lead
 * validated — writes it and loads `after` as stored. Writes no history
 * and no audit (the caller does, with its own action). A mirror step
 * writes its field through this. */
int lm_lead_patch_locked(struct lm_db *db, const struct lm_lead *before, const json_t *j_body,
                         struct lm_lead *after, struct lm_lead_outcome *out);

#endif
