/* Saved searches in MariaDB: a user's named query strings of the lead
 * list, and those a supervisor shared with the user's group. The item
 * JSON is {id, name, query, shared, owner_id, owner, mine, version,
 * updated_at}. */
#ifndef LM_STORE_SAVED_SEARCHES_H
#define LM_STORE_SAVED_SEARCHES_H

#include "core/db.h"

#include <jansson.h>

#define LM_SAVED_SEARCH_MAX 100 /* per user */

struct lm_saved_search {
    long long id, user_id, group_id, version; /* group_id 0 = not shared */
    char name[401];   /* 100 characters of up to 4 bytes */
    char query[2001];
    char updated_at[32];
};

/* {"items":[…]}: the user's own, then those shared with group_id (0 =
 * none), by name. New reference in *j_out. */
int lm_saved_search_list(struct lm_db *db, long long user_id, long long group_id, json_t **j_out);
/* LM_ERR_NOT_FOUND when there is no such saved search. */
int lm_saved_search_get(struct lm_db *db, long long id, struct lm_saved_search *s);
/* Inserts s (s->id receives the id). LM_ERR_CONFLICT when the user has one
 * of that name, LM_ERR_TOO_MANY when the user has LM_SAVED_SEARCH_MAX. */
int lm_saved_search_insert(struct lm_db *db, struct lm_saved_search *s);
/* Writes name, query and group of s when its version is still `version`
 * (LM_ERR_PRECONDITION otherwise, LM_ERR_CONFLICT on a duplicate name). */
int lm_saved_search_update(struct lm_db *db, const struct lm_saved_search *s, long long version);
int lm_saved_search_delete(struct lm_db *db, long long id, long long user_id);
json_t *lm_saved_search_json(const struct lm_saved_search *s, long long viewer_id);

#endif
