/* Leads in MariaDB: the loader that fills struct lm_lead from plain rows,
 * the writes, history rows, search, and the access rule as SQL. No HTTP
 * types beyond struct lm_user; the JSON is written by domain/lead.c.
 * Callers own transactions (lm_db_transaction) around the writes. */
#ifndef LM_STORE_LEADS_H
#define LM_STORE_LEADS_H

#include "core/db.h"
#include "core/http.h"
#include "domain/lead.h"
#include "domain/lead_validate.h"

#include <jansson.h>

enum lm_actor { LM_ACTOR_LEAD, LM_ACTOR_AGENT, LM_ACTOR_SYSTEM };

/* Names from the per-worker settings cache (store/cache.c). */
const struct lm_lead_names *lm_lead_names_cached(void);

enum { LM_LOAD_LOCK = 1 }; /* lm_lead_load flags: lock the row (inside a transaction) */

/* Loads a lead: the row, then its child lists in one round trip. With a
 * user, a lead the user may not see is LM_ERR_NOT_FOUND, and *editable (may
 * be NULL) tells whether it is seen through ownership, team, unit, group or
 * role rather than only from the Lead Bank. Without one, no check. */
int lm_lead_load(struct lm_db *db, const struct lm_user *u, long long id, unsigned flags,
                 struct lm_lead *l, int *editable);
/* Reloads only the row's columns (after an UPDATE), keeping child lists. */
int lm_lead_reload_row(struct lm_db *db, struct lm_lead *l);

/* 1 when the user may see the lead; editable as for lm_lead_load. */
int lm_lead_access(struct lm_db *db, const struct lm_user *u, long long id, int *visible,
                   int *editable);

/* Inserts l (its row, child lists and custom values); l->id receives the id. */
int lm_lead_insert(struct lm_db *db, struct lm_lead *l, long long created_by);
/* Writes after over before: the row (version + 1, touched for the call log)
 * and each child list or custom field whose values differ. */
int lm_lead_write(struct lm_db *db, const struct lm_lead *before, struct lm_lead *after);

/* The group a geographic rule picks for an address, 0 when none matches. */
int lm_lead_group_for_address(struct lm_db *db, const struct lm_lead_input *in,
                              long long *group_id);

int lm_lead_history_add(struct lm_db *db, long long lead_id, enum lm_actor kind,
                        long long actor_id, const char *action, const char *field,
                        const char *before, const char *after, const char *rule);
/* Writes rows in one statement (nothing when there are none). */
int lm_lead_history_write(struct lm_db *db, long long lead_id, enum lm_actor kind,
                          long long actor_id, const char *action,
                          const struct lm_history_rows *rows);
/* {"items":[…], "next"} newest first; before = id cursor (0 = from newest). */
int lm_lead_history_json(struct lm_db *db, long long lead_id, long long before, int limit,
                         json_t **j_out);

/* Search (GET /api/v1/leads and its CSV export): the filters of the query
 * string; strings may be NULL (no filter), ids 0 and tri-states -1 mean
 * any. The statement is assembled from fixed fragments for the filters
 * given (every value bound), so each shape is prepared once per worker. */
enum lm_lead_sort {
    LM_SORT_CREATED,   /* newest first (id order: ids follow creation) */
    LM_SORT_UPDATED,   /* last changed first */
    LM_SORT_NAME,      /* last name, first name, A to Z */
    LM_SORT_FOLLOW_UP  /* soonest follow-up first, leads with none last */
};
#define LM_SEARCH_MAX_CF 3
struct lm_lead_cf_filter {
    long long field_id;
    const char *text;                /* text, dropdown, radio, multi-select: equal */
    const char *num_min, *num_max;   /* number, money, checkbox: inclusive range */
    const char *time_min, *time_max; /* date, datetime: "YYYY-MM-DD HH:MM:SS", inclusive */
};
/* Where the previous page ended: the sort's key of its last lead. */
struct lm_lead_cursor {
    int set;
    int undated;       /* follow-up sort: the page ended among leads with none */
    long long id;
    char k1[404], k2[404]; /* a last and a first name: 100 characters of up to 4 bytes */
};
/* The longest cursor text lm_lead_cursor_encode writes (NUL included). */
#define LM_LEAD_CURSOR_LEN 1200
struct lm_lead_filter {
    const char *q;            /* name prefix ("Ann Smi" = first and last) */
    const char *phone_digits; /* the end of a stored number (lm_phone_search_key) */
    const char *email;        /* prefix, any case */
    long long status_id, owner_id, type_id, source_id, group_id, unit_id, map_id, track_id;
    const char *state, *call_state;
    int incomplete, archived; /* -1 = any */
    const char *created_from, *created_to, *updated_from, *updated_to; /* [from, to) */
    int ncf;
    struct lm_lead_cf_filter cf[LM_SEARCH_MAX_CF];
    enum lm_lead_sort sort;
    struct lm_lead_cursor after;
    int limit;
};
void lm_lead_filter_init(struct lm_lead_filter *f);
/* {"items":[list rows], "next": cursor or null}. */
int lm_lead_search(struct lm_db *db, const struct lm_user *u, const struct lm_lead_filter *f,
                   long long now, json_t **j_out);
/* Calls fn for every lead the search finds, in its order, reading pages of
 * f->limit leads with their custom values (so memory does not grow with
 * the result). Stops at fn's first non-zero return, which it returns.
 * *count receives the number of leads passed to fn. */
typedef int (*lm_lead_each_fn)(void *ctx, const struct lm_lead *l);
int lm_lead_search_each(struct lm_db *db, const struct lm_user *u, struct lm_lead_filter *f,
                        lm_lead_each_fn fn, void *ctx, long long *count);
/* The opaque text of a cursor ("after"), and back; decode fails (-1) on
 * text that is not a cursor of this sort. */
void lm_lead_cursor_encode(enum lm_lead_sort sort, const struct lm_lead_cursor *c, char *out,
                           size_t outlen);
int lm_lead_cursor_decode(const char *text, enum lm_lead_sort sort, struct lm_lead_cursor *c);

/* --- actions ---------------------------------------------------------------- */

/* Writes the life-cycle fields (status, state, lost reason, completion,
 * archive), bumps version and touches the lead for the call log.
 * lost_reason_id 0 keeps the current one; set_completion 1 sets
 * actual_completion to now; archive -1 clears, 1 sets with reason, 0 keeps. */
int lm_lead_set_lifecycle(struct lm_db *db, long long id, long long status_id,
                          const char *state, long long lost_reason_id, int set_completion,
                          int archive, const char *reason);
/* Accept: first member wins. *won is 0 when the lead had an owner already. */
int lm_lead_accept(struct lm_db *db, long long id, long long user_id, long long status_id,
                   int *won);
/* 1 in *recent when someone claimed the lead in the last ten minutes. */
int lm_lead_claimed_recently(struct lm_db *db, long long id, int *recent);
int lm_user_in_unit(struct lm_db *db, long long user_id, long long unit_id, int *member);
/* Creates the account of a won lead; LM_ERR_CONFLICT when it exists. */
int lm_account_create(struct lm_db *db, long long lead_id, long long user_id,
                      long long *account_id);
/* Who viewed a lead: {"items":[{id, user_id, user, at, action}], "next"}. */
int lm_lead_views_json(struct lm_db *db, long long lead_id, long long before, int limit,
                       json_t **j_out);

#endif
