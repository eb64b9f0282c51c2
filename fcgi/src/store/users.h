/* Users: SQL and row <-> JSON mapping. No HTTP types beyond struct lm_user. */
#ifndef LM_STORE_USERS_H
#define LM_STORE_USERS_H

#include "core/db.h"
#include "core/http.h"

#include <jansson.h>

struct lm_login_row {
    long long id;
    int active;
    char password_hash[256];
};

enum lm_role lm_role_parse(const char *s);
const char *lm_role_name(enum lm_role r);

/* Loads an active user by id: LM_ERR_NOT_FOUND when missing or deactivated. */
int lm_user_load_active(struct lm_db *db, long long id, struct lm_user *u);
/* The row a login needs, by e-mail (case-insensitive). The back-off is in
 * store/login_failures.h. */
int lm_user_login_row(struct lm_db *db, const char *email, struct lm_login_row *row);

/* The signed-in user's own JSON (GET /me) from what the user check loaded:
 * no statement. New reference. */
json_t *lm_user_me_json(const struct lm_user *u);
/* The public JSON of a user (new reference). */
int lm_user_json(struct lm_db *db, long long id, json_t **j_out);
/* {"items":[…], "next": cursor-or-null}, ordered by id, after = last id seen. */
int lm_user_list_json(struct lm_db *db, long long after, int limit, json_t **j_out);

int lm_user_create(struct lm_db *db, const char *email, const char *name, enum lm_role role,
                   long long group_id, const char *password_hash, long long *id);
int lm_user_grant(struct lm_db *db, long long id, const char *permission);
int lm_user_add_unit(struct lm_db *db, long long id, long long unit_id);
int lm_user_id_by_email(struct lm_db *db, const char *email, long long *id);
/* A new password hash, and every refresh token of the user revoked: two
 * statements, so run it in the caller's transaction (lm_db_transaction). */
int lm_user_set_password(struct lm_db *db, long long id, const char *password_hash);
/* Deactivating also revokes the refresh tokens: run it in a transaction too. */
int lm_user_set_active(struct lm_db *db, long long id, int active);
int lm_user_count(struct lm_db *db, long long *count);
int lm_group_ensure(struct lm_db *db, const char *name, long long *id);
int lm_unit_ensure(struct lm_db *db, const char *name, long long *id);

/* Admin edits: each argument NULL / negative keeps the current value. */
int lm_user_update(struct lm_db *db, long long id, const char *name, const char *role,
                   long long group_id, int set_group, int active);
int lm_user_set_units(struct lm_db *db, long long id, const long long *unit_ids, int n);
int lm_user_set_permissions(struct lm_db *db, long long id, int can_reactivate);
/* Adds "group_id" / "unit_ids" errors to j_fields for ids that do not exist. */
int lm_user_refs_check(struct lm_db *db, long long group_id, const long long *unit_ids, int n,
                       json_t *j_fields);
/* {"items":[{id, name, role, active}]} for every signed-in user's pickers. */
int lm_user_directory_json(struct lm_db *db, json_t **j_out);
/* The directory's items alone (new reference): the settings bundle. */
int lm_user_directory_items(struct lm_db *db, json_t **j_items);

#endif
