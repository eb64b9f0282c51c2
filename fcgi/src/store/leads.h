/* Leads: SQL and row <-> JSON mapping, access rules as SQL, history rows.
 * Callers own transactions (lm_db_begin/commit) around the writes. */
#ifndef LM_STORE_LEADS_H
#define LM_STORE_LEADS_H

#include "core/db.h"
#include "core/http.h"
#include "domain/lead_validate.h"

#include <jansson.h>

enum lm_actor { LM_ACTOR_LEAD, LM_ACTOR_AGENT, LM_ACTOR_SYSTEM };

/* The whole lead record as the API shows it, if the user may see it
 * (LM_ERR_NOT_FOUND otherwise). j_out is a new reference. */
int lm_lead_json(struct lm_db *db, const struct lm_user *u, long long id, json_t **j_out);
/* Same without the access check (for history diffs inside a transaction). */
int lm_lead_json_any(struct lm_db *db, long long id, json_t **j_out);

/* 1 when the user may see the lead. */
int lm_lead_visible(struct lm_db *db, const struct lm_user *u, long long id, int *visible);
/* visible, and editable: seen through ownership, team, unit, group or role
 * rather than only because the lead sits in the Lead Bank (claim it first). */
int lm_lead_access(struct lm_db *db, const struct lm_user *u, long long id, int *visible,
                   int *editable);

/* Loads the editable parts of a lead, locking its row (inside a
 * transaction). *version and *state receive the current values. */
int lm_lead_load_for_update(struct lm_db *db, long long id, struct lm_lead_input *in,
                            long long *version, char state[16]);

/* Checks that referenced ids exist, are active and of the right kind. */
int lm_lead_check_refs(struct lm_db *db, const struct lm_lead_input *in, json_t *j_fields);

/* Checks and stores custom values of in->j_custom for a lead of type_id;
 * with creating, applies defaults and checks required fields. Errors go to
 * j_fields under "custom.<key>"; nothing is written if any. */
int lm_lead_custom_check(struct lm_db *db, const struct lm_lead_input *in, int creating,
                         json_t *j_fields);
int lm_lead_custom_write(struct lm_db *db, long long lead_id, const struct lm_lead_input *in,
                         int creating);

/* Inserts a new lead (and its child rows); *id receives its id. */
int lm_lead_insert(struct lm_db *db, const struct lm_lead_input *in, long long created_by,
                   long long *id);
/* Writes the whole lead over the row, bumping version. */
int lm_lead_update(struct lm_db *db, long long id, const struct lm_lead_input *in);

/* The group a geographic rule picks for an address, 0 when none matches. */
int lm_lead_group_for_address(struct lm_db *db, const struct lm_lead_input *in,
                              long long *group_id);
/* The first active status of a life-cycle state, 0 when there is none. */
int lm_status_first_of_state(struct lm_db *db, const char *state, long long *status_id);
/* The state a status belongs to; LM_ERR_NOT_FOUND when missing or inactive. */
int lm_status_state(struct lm_db *db, long long status_id, char state[16]);

int lm_lead_history_add(struct lm_db *db, long long lead_id, enum lm_actor kind,
                        long long actor_id, const char *action, const char *field,
                        const char *before, const char *after, const char *rule);
/* One history row per changed field between two lead JSONs. */
int lm_lead_history_diff(struct lm_db *db, long long lead_id, enum lm_actor kind,
                         long long actor_id, const char *action, const json_t *j_before,
                         const json_t *j_after);
/* {"items":[…], "next"} newest first; before = id cursor (0 = from newest). */
int lm_lead_history_json(struct lm_db *db, long long lead_id, long long before, int limit,
                         json_t **j_out);

/* Search: filters from the query string, keyset by id descending. */
struct lm_lead_filter {
    const char *q;           /* name prefix */
    const char *phone_digits;
    const char *email;
    long long status_id;
    const char *state;
    long long owner_id;
    int incomplete;          /* -1 = any */
    long long cf_field_id;   /* 0 = none */
    const char *cf_value;
    long long before;        /* cursor: ids below this */
    int limit;
};
int lm_lead_search(struct lm_db *db, const struct lm_user *u, const struct lm_lead_filter *f,
                   json_t **j_out);
int lm_custom_field_id(struct lm_db *db, const char *key, long long *id);

#endif

/* --- actions ---------------------------------------------------------------- */

struct lm_lead_state {
    char state[16];
    int archived;
    long long owner_id, unit_id, status_id, version;
};

/* Locks the lead's row and reads its life-cycle fields. */
int lm_lead_state_for_update(struct lm_db *db, long long id, struct lm_lead_state *s);
/* Writes the life-cycle fields (status, state, lost reason, completion,
 * archive) and bumps version. lost_reason_id 0 keeps the current one;
 * set_completion 1 sets actual_completion to now; archive -1 clears, 1 sets
 * with reason, 0 keeps. */
int lm_lead_set_lifecycle(struct lm_db *db, long long id, long long status_id,
                          const char *state, long long lost_reason_id, int set_completion,
                          int archive, const char *reason);
/* Accept: first member wins. *won is 0 when the lead had an owner already. */
int lm_lead_accept(struct lm_db *db, long long id, long long user_id, long long status_id,
                   int *won);
int lm_user_in_unit(struct lm_db *db, long long user_id, long long unit_id, int *member);
/* Creates the account of a won lead; LM_ERR_CONFLICT when it exists. */
int lm_account_create(struct lm_db *db, long long lead_id, long long user_id,
                      long long *account_id);
/* The lookup exists, is active and of that kind. */
int lm_lookup_valid(struct lm_db *db, long long id, const char *kind, int *ok);
/* Who viewed a lead: {"items":[{user_id, user, at}], "next"}. */
int lm_lead_views_json(struct lm_db *db, long long lead_id, long long before, int limit,
                       json_t **j_out);
