/* Users, their group, units and permissions. */
#include "store/users.h"

#include "store/cache.h"

#include "core/result.h"
#include "core/rows_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum lm_role lm_role_parse(const char *s)
{
    if (!s)
        return LM_ROLE_NONE;
    if (!strcmp(s, "agent"))
        return LM_ROLE_AGENT;
    if (!strcmp(s, "supervisor"))
        return LM_ROLE_SUPERVISOR;
    if (!strcmp(s, "admin"))
        return LM_ROLE_ADMIN;
    return LM_ROLE_NONE;
}

const char *lm_role_name(enum lm_role r)
{
    switch (r) {
    case LM_ROLE_AGENT: return "agent";
    case LM_ROLE_SUPERVISOR: return "supervisor";
    case LM_ROLE_ADMIN: return "admin";
    default: return "none";
    }
}

static const char SQL_LOAD_ACTIVE[] =
    "SELECT u.id, COALESCE(u.group_id, 0), u.role, u.email, u.name,"
    " u.token_generation,"
    " (SELECT v.version FROM settings_version v WHERE v.id = 1)"
    " FROM users u WHERE u.id = ? AND u.active = 1";

int lm_user_load_active(struct lm_db *db, long long id, struct lm_user *u)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_LOAD_ACTIVE, "i", id);

    if (rc)
        return rc;
    if (rows.nrows != 1) {
        lm_rows_free(&rows);
        return LM_ERR_NOT_FOUND;
    }
    memset(u, 0, sizeof *u);
    u->id = lm_rows_int(&rows, 0, 0, 0);
    u->group_id = lm_rows_int(&rows, 0, 1, 0);
    u->role = lm_role_parse(lm_rows_get(&rows, 0, 2));
    snprintf(u->email, sizeof u->email, "%s", lm_rows_get(&rows, 0, 3));
    snprintf(u->name, sizeof u->name, "%s", lm_rows_get(&rows, 0, 4));
    u->token_generation = lm_rows_int(&rows, 0, 5, 0);
    u->settings_version = lm_rows_int(&rows, 0, 6, 0);
    lm_rows_free(&rows);
    /* units and permissions come from the settings cache, current as of
     * the version just read */
    rc = lm_cache_sync(db, u->settings_version);
    if (rc)
        return rc;
    lm_cache_user_lists(u);
    {
        char padded[sizeof u->permissions + 2];
        snprintf(padded, sizeof padded, " %s ", u->permissions);
        u->can_reactivate = strstr(padded, " archive.reactivate ") != NULL;
    }
    return LM_OK;
}

json_t *lm_user_me_json(const struct lm_user *u)
{
    json_t *j_units = json_array(), *j_perms = json_array();
    char perms[sizeof u->permissions];

    for (int i = 0; i < u->nunits; i++)
        json_array_append_new(j_units, json_integer(u->unit_ids[i]));
    snprintf(perms, sizeof perms, "%s", u->permissions);
    for (char *save = NULL, *p = strtok_r(perms, " ", &save); p; p = strtok_r(NULL, " ", &save))
        json_array_append_new(j_perms, json_string(p));
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:b, s:o, s:o}", "id", (json_int_t)u->id,
                     "email", u->email, "name", u->name, "role", lm_role_name(u->role),
                     "group_id", u->group_id ? json_integer(u->group_id) : json_null(),
                     "active", 1, "unit_ids", j_units, "permissions", j_perms);
}

static const char SQL_LOGIN_ROW[] = "SELECT id, active, password_hash FROM users WHERE email = ?";

int lm_user_login_row(struct lm_db *db, const char *email, struct lm_login_row *row)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_LOGIN_ROW, "s", email);

    if (rc)
        return rc;
    if (rows.nrows != 1) {
        lm_rows_free(&rows);
        return LM_ERR_NOT_FOUND;
    }
    memset(row, 0, sizeof *row);
    row->id = lm_rows_int(&rows, 0, 0, 0);
    row->active = (int)lm_rows_int(&rows, 0, 1, 0);
    snprintf(row->password_hash, sizeof row->password_hash, "%s", lm_rows_get(&rows, 0, 2));
    lm_rows_free(&rows);
    return LM_OK;
}

/* The public user JSON comes from the user rows and their units and
 * permissions in one statement: the users first (column 0 is 0), then the
 * unit ids (1) and the permissions (2), each ordered as in the JSON. */
#define USER_ROWS(page)                                                                    \
    "WITH k AS (" page ")"                                                                 \
    " SELECT 0 AS kind, u.id, u.email, u.name, u.role, u.group_id, u.active, 0 AS s1,"     \
    " '' AS s2 FROM k JOIN users u ON u.id = k.id"                                         \
    " UNION ALL SELECT 1, uu.user_id, NULL, NULL, NULL, uu.unit_id, NULL, uu.unit_id, ''"  \
    " FROM k JOIN user_units uu ON uu.user_id = k.id"                                      \
    " UNION ALL SELECT 2, p.user_id, p.permission, NULL, NULL, NULL, NULL, 0, p.permission" \
    " FROM k JOIN user_permissions p ON p.user_id = k.id"                                  \
    " ORDER BY kind, id, s1, s2"

static const char SQL_USER_JSON[] = USER_ROWS("SELECT id FROM users WHERE id = ?");
static const char SQL_USER_LIST[] =
    USER_ROWS("SELECT id FROM users WHERE id > ? ORDER BY id LIMIT ?");

static json_t *user_row_json(const struct lm_rows *rows, unsigned r)
{
    json_t *j = json_object();

    json_object_set_new(j, "id", lm_rows_json_int(rows, r, 1));
    json_object_set_new(j, "email", lm_rows_json_str(rows, r, 2));
    json_object_set_new(j, "name", lm_rows_json_str(rows, r, 3));
    json_object_set_new(j, "role", lm_rows_json_str(rows, r, 4));
    json_object_set_new(j, "group_id", lm_rows_json_int(rows, r, 5));
    json_object_set_new(j, "active", lm_rows_json_bool(rows, r, 6));
    json_object_set_new(j, "unit_ids", json_array());
    json_object_set_new(j, "permissions", json_array());
    return j;
}

/* Writes the users of rows (at most limit) with their lists into j_items. */
static void users_json(const struct lm_rows *rows, int limit, json_t *j_items)
{
    size_t hint = 0;

    for (unsigned r = 0; r < rows->nrows; r++) {
        long long kind = lm_rows_int(rows, r, 0, 0);
        json_t *j_user;

        if (kind == 0) {
            if ((int)json_array_size(j_items) < limit)
                json_array_append_new(j_items, user_row_json(rows, r));
            continue;
        }
        j_user = lm_json_item_by_id(j_items, lm_rows_int(rows, r, 1, 0), &hint);
        if (!j_user)
            continue; /* the row after the page */
        if (kind == 1)
            json_array_append_new(json_object_get(j_user, "unit_ids"),
                                  lm_rows_json_int(rows, r, 5));
        else
            json_array_append_new(json_object_get(j_user, "permissions"),
                                  lm_rows_json_str(rows, r, 2));
    }
}

int lm_user_json(struct lm_db *db, long long id, json_t **j_out)
{
    struct lm_rows rows;
    json_t *j_items;
    int rc = lm_db_query(db, &rows, SQL_USER_JSON, "i", id);

    *j_out = NULL;
    if (rc)
        return rc;
    j_items = json_array();
    users_json(&rows, 1, j_items);
    lm_rows_free(&rows);
    if (json_array_size(j_items) == 1)
        *j_out = json_incref(json_array_get(j_items, 0));
    json_decref(j_items);
    return *j_out ? LM_OK : LM_ERR_NOT_FOUND;
}

int lm_user_list_json(struct lm_db *db, long long after, int limit, json_t **j_out)
{
    struct lm_rows rows;
    json_t *j_items;
    int more = 0;
    int rc = lm_db_query(db, &rows, SQL_USER_LIST, "ii", after, (long long)limit + 1);

    *j_out = NULL;
    if (rc)
        return rc;
    j_items = json_array();
    users_json(&rows, limit, j_items);
    for (unsigned r = 0; r < rows.nrows; r++)
        more += lm_rows_int(&rows, r, 0, 1) == 0;
    lm_rows_free(&rows);
    if (more > limit) {
        char next[24];
        snprintf(next, sizeof next, "%lld",
                 (long long)json_integer_value(
                     json_object_get(json_array_get(j_items, (size_t)limit - 1), "id")));
        *j_out = json_pack("{s:o, s:s}", "items", j_items, "next", next);
    } else {
        *j_out = json_pack("{s:o, s:n}", "items", j_items, "next");
    }
    return LM_OK;
}

static const char SQL_CREATE[] =
    "INSERT INTO users (email, name, role, group_id, password_hash) VALUES (?, ?, ?, ?, ?)";
static const char SQL_CREATE_NO_GROUP[] =
    "INSERT INTO users (email, name, role, group_id, password_hash) VALUES (?, ?, ?, NULL, ?)";

int lm_user_create(struct lm_db *db, const char *email, const char *name, enum lm_role role,
                   long long group_id, const char *password_hash, long long *id)
{
    int rc = group_id ? lm_db_exec(db, SQL_CREATE, "sssis", email, name, lm_role_name(role),
                                   group_id, password_hash)
                      : lm_db_exec(db, SQL_CREATE_NO_GROUP, "ssss", email, name,
                                   lm_role_name(role), password_hash);
    if (rc)
        return rc;
    *id = (long long)db->insert_id;
    return LM_OK;
}

static const char SQL_GRANT[] =
    "INSERT IGNORE INTO user_permissions (user_id, permission) VALUES (?, ?)";

int lm_user_grant(struct lm_db *db, long long id, const char *permission)
{
    return lm_db_exec(db, SQL_GRANT, "is", id, permission);
}

static const char SQL_ADD_UNIT[] = "INSERT INTO user_units (user_id, unit_id) VALUES (?, ?)";

int lm_user_add_unit(struct lm_db *db, long long id, long long unit_id)
{
    return lm_db_exec(db, SQL_ADD_UNIT, "ii", id, unit_id);
}

static const char SQL_ID_BY_EMAIL[] = "SELECT id FROM users WHERE email = ?";

int lm_user_id_by_email(struct lm_db *db, const char *email, long long *id)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_ID_BY_EMAIL, "s", email);

    if (rc)
        return rc;
    rc = rows.nrows == 1 ? LM_OK : LM_ERR_NOT_FOUND;
    *id = lm_rows_int(&rows, 0, 0, 0);
    lm_rows_free(&rows);
    return rc;
}

/* A new generation ends every access token issued before the change, even
 * in the same second (the router compares the token's gen claim). */
static const char SQL_SET_PASSWORD[] =
    "UPDATE users SET password_hash = ?, token_generation = token_generation + 1,"
    " updated_at = UTC_TIMESTAMP(6) WHERE id = ?";
static const char SQL_REVOKE_ALL[] =
    "UPDATE refresh_tokens SET revoked_at = UTC_TIMESTAMP(6)"
    " WHERE user_id = ? AND revoked_at IS NULL";

int lm_user_set_password(struct lm_db *db, long long id, const char *password_hash)
{
    int rc = lm_db_exec(db, SQL_SET_PASSWORD, "si", password_hash, id);

    return rc ? rc : lm_db_exec(db, SQL_REVOKE_ALL, "i", id);
}

/* Deactivating raises the generation too: tokens issued before stay dead
 * after a later reactivation. */
static const char SQL_SET_ACTIVE[] =
    "UPDATE users SET token_generation = token_generation + (? = 0), active = ?,"
    " updated_at = UTC_TIMESTAMP(6) WHERE id = ?";

int lm_user_set_active(struct lm_db *db, long long id, int active)
{
    int rc = lm_db_exec(db, SQL_SET_ACTIVE, "iii", (long long)active, (long long)active, id);

    if (rc || active)
        return rc;
    return lm_db_exec(db, SQL_REVOKE_ALL, "i", id);
}

static const char SQL_COUNT[] = "SELECT COUNT(*) FROM users";

int lm_user_count(struct lm_db *db, long long *count)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_COUNT, "");

    if (rc)
        return rc;
    *count = lm_rows_int(&rows, 0, 0, 0);
    lm_rows_free(&rows);
    return LM_OK;
}

static const char SQL_GROUP_INSERT[] = "INSERT IGNORE INTO org_groups (name) VALUES (?)";
static const char SQL_GROUP_ID[] = "SELECT id FROM org_groups WHERE name = ?";
static const char SQL_UNIT_INSERT[] = "INSERT IGNORE INTO units (name) VALUES (?)";
static const char SQL_UNIT_ID[] = "SELECT id FROM units WHERE name = ?";

static int ensure_named(struct lm_db *db, const char *ins, const char *sel, const char *name,
                        long long *id)
{
    struct lm_rows rows;
    int rc = lm_db_exec(db, ins, "s", name);

    if (rc)
        return rc;
    rc = lm_db_query(db, &rows, sel, "s", name);
    if (rc)
        return rc;
    rc = rows.nrows == 1 ? LM_OK : LM_ERR_NOT_FOUND;
    *id = lm_rows_int(&rows, 0, 0, 0);
    lm_rows_free(&rows);
    return rc;
}

int lm_group_ensure(struct lm_db *db, const char *name, long long *id)
{
    return ensure_named(db, SQL_GROUP_INSERT, SQL_GROUP_ID, name, id);
}

int lm_unit_ensure(struct lm_db *db, const char *name, long long *id)
{
    return ensure_named(db, SQL_UNIT_INSERT, SQL_UNIT_ID, name, id);
}

static const char SQL_UPDATE[] =
    "UPDATE users SET name = COALESCE(?, name), role = COALESCE(?, role),"
    " group_id = IF(? = 1, NULLIF(?, 0), group_id),"
    " token_generation = token_generation + (? = 0), active = IF(? < 0, active, ?),"
    " updated_at = UTC_TIMESTAMP(6) WHERE id = ?";

int lm_user_update(struct lm_db *db, long long id, const char *name, const char *role,
                   long long group_id, int set_group, int active)
{
    int rc = lm_db_exec(db, SQL_UPDATE, "ssiiiiii", name, role, (long long)set_group, group_id,
                        (long long)active, (long long)active, (long long)active, id);

    if (rc)
        return rc;
    if (active == 0)
        rc = lm_db_exec(db, SQL_REVOKE_ALL, "i", id);
    return rc;
}

static const char SQL_GROUP_EXISTS[] = "SELECT 1 FROM org_groups WHERE id = ?";
static const char SQL_UNIT_EXISTS[] = "SELECT 1 FROM units WHERE id = ?";

int lm_user_refs_check(struct lm_db *db, long long group_id, const long long *unit_ids, int n,
                       json_t *j_fields)
{
    int ok = 1, rc = group_id ? lm_db_exists(db, &ok, SQL_GROUP_EXISTS, "i", group_id) : LM_OK;

    if (rc)
        return rc;
    if (!ok)
        json_object_set_new(j_fields, "group_id", json_string("No such group."));
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < i; k++)
            if (unit_ids[k] == unit_ids[i])
                json_object_set_new(j_fields, "unit_ids", json_string("Each unit at most once."));
        rc = lm_db_exists(db, &ok, SQL_UNIT_EXISTS, "i", unit_ids[i]);
        if (rc)
            return rc;
        if (!ok)
            json_object_set_new(j_fields, "unit_ids", json_string("No such unit."));
    }
    return LM_OK;
}

static const char SQL_UNITS_DEL[] = "DELETE FROM user_units WHERE user_id = ?";

int lm_user_set_units(struct lm_db *db, long long id, const long long *unit_ids, int n)
{
    int rc = lm_db_exec(db, SQL_UNITS_DEL, "i", id);

    for (int i = 0; !rc && i < n; i++)
        rc = lm_user_add_unit(db, id, unit_ids[i]);
    return rc;
}

static const char SQL_PERMS_DEL[] = "DELETE FROM user_permissions WHERE user_id = ?";

int lm_user_set_permissions(struct lm_db *db, long long id, int can_reactivate)
{
    int rc = lm_db_exec(db, SQL_PERMS_DEL, "i", id);

    if (!rc && can_reactivate)
        rc = lm_user_grant(db, id, "archive.reactivate");
    return rc;
}

static const char SQL_DIRECTORY[] =
    "SELECT id, name, role, group_id, active FROM users ORDER BY name, id";

int lm_user_directory_items(struct lm_db *db, json_t **j_items)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_DIRECTORY, "");

    *j_items = NULL;
    if (rc)
        return rc;
    *j_items = json_array();
    for (unsigned r = 0; r < rows.nrows; r++) {
        json_t *j = json_object();
        json_object_set_new(j, "id", lm_rows_json_int(&rows, r, 0));
        json_object_set_new(j, "name", lm_rows_json_str(&rows, r, 1));
        json_object_set_new(j, "role", lm_rows_json_str(&rows, r, 2));
        json_object_set_new(j, "group_id", lm_rows_json_int(&rows, r, 3));
        json_object_set_new(j, "active", lm_rows_json_bool(&rows, r, 4));
        json_array_append_new(*j_items, j);
    }
    lm_rows_free(&rows);
    return LM_OK;
}

int lm_user_directory_json(struct lm_db *db, json_t **j_out)
{
    json_t *j_items = NULL;
    int rc = lm_user_directory_items(db, &j_items);

    if (rc)
        return rc;
    *j_out = json_pack("{s:o, s:n}", "items", j_items, "next");
    return LM_OK;
}
