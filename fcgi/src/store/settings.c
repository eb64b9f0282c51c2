/* Settings rows. Edits are partial: a key left out keeps its value (the SQL
 * uses COALESCE over NULL parameters). Lists are small, so they come back
 * whole. Nothing referenced by a lead is deleted: lists deactivate. */
#include "store/settings.h"

#include "core/result.h"
#include "core/rows_json.h"
#include "domain/custom_fields.h"
#include "domain/money.h"
#include "domain/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct lm_setting_def lm_setting_defs[] = {
    {"lead-types", LM_SET_LOOKUP, "lead_type"},
    {"categories", LM_SET_LOOKUP, "category"},
    {"priorities", LM_SET_LOOKUP, "priority"},
    {"importance-levels", LM_SET_LOOKUP, "importance"},
    {"sources", LM_SET_LOOKUP, "source"},
    {"lost-reasons", LM_SET_LOOKUP, "lost_reason"},
    {"competitors", LM_SET_LOOKUP, "competitor"},
    {"statuses", LM_SET_STATUS, NULL},
    {"products", LM_SET_PRODUCT, NULL},
    {"custom-fields", LM_SET_CUSTOM_FIELD, NULL},
    {"groups", LM_SET_GROUP, NULL},
    {"units", LM_SET_UNIT, NULL},
    {NULL, LM_SET_LOOKUP, NULL},
};

const struct lm_setting_def *lm_setting_find(const char *url)
{
    for (const struct lm_setting_def *d = lm_setting_defs; url && d->url; d++)
        if (!strcmp(d->url, url))
            return d;
    return NULL;
}

/* Each list is plain rows; list_json() writes the JSON. Groups, units and
 * custom fields bring their child rows in the same statement (UNION ALL,
 * first column 0 for the parent row, 1 for a child), parents first in the
 * list's order, children in their own order. */
static const char SQL_LOOKUP_LIST[] =
    "SELECT id, name, position, active, version FROM lookups WHERE kind = ?"
    " AND (? = 0 OR id = ?) ORDER BY position, name";
static const char SQL_STATUS_LIST[] =
    "SELECT id, name, state, color, position, active, version FROM statuses"
    " WHERE (? = 0 OR id = ?) ORDER BY FIELD(state, 'new', 'in_progress', 'won', 'lost',"
    " 'completed'), position, name";
static const char SQL_PRODUCT_LIST[] =
    "SELECT id, name, CAST(price AS CHAR), position, active, version FROM products"
    " WHERE (? = 0 OR id = ?) ORDER BY position, name";
/* parent: 0, id, key, label, type, required, default, help, options, position,
 * active, version; child: 1, field id, type id */
static const char SQL_FIELD_LIST[] =
    "SELECT 0 AS k, f.id, f.field_key, f.label, f.type, f.required, f.default_value, f.help,"
    " f.options, f.position, f.active, f.version, f.position AS s1, f.id AS s2"
    " FROM custom_fields f WHERE (? = 0 OR f.id = ?)"
    " UNION ALL SELECT 1, t.field_id, t.type_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
    " NULL, NULL, t.field_id, t.type_id FROM custom_field_types t WHERE (? = 0 OR t.field_id = ?)"
    " ORDER BY k, s1, s2";
/* parent: 0, id, name; child: 1, group id, name, kind, value */
static const char SQL_GROUP_LIST[] =
    "SELECT 0 AS k, g.id, g.name, NULL AS kind, NULL AS value, 0 AS s1, 0 AS s2"
    " FROM org_groups g WHERE (? = 0 OR g.id = ?)"
    " UNION ALL SELECT 1, r.group_id, g.name, r.kind, r.value, r.position, r.id"
    " FROM group_rules r JOIN org_groups g ON g.id = r.group_id WHERE (? = 0 OR g.id = ?)"
    " ORDER BY k, name, s1, s2";
/* parent: 0, id, name; child: 1, unit id, name, user id */
static const char SQL_UNIT_LIST[] =
    "SELECT 0 AS k, u.id, u.name, 0 AS member FROM units u WHERE (? = 0 OR u.id = ?)"
    " UNION ALL SELECT 1, uu.unit_id, u.name, uu.user_id FROM user_units uu"
    " JOIN units u ON u.id = uu.unit_id WHERE (? = 0 OR u.id = ?)"
    " ORDER BY k, name, member";

static json_t *lookup_json(const struct lm_rows *rows, unsigned r)
{
    json_t *j = json_object();

    json_object_set_new(j, "id", lm_rows_json_int(rows, r, 0));
    json_object_set_new(j, "name", lm_rows_json_str(rows, r, 1));
    json_object_set_new(j, "position", lm_rows_json_int(rows, r, 2));
    json_object_set_new(j, "active", lm_rows_json_bool(rows, r, 3));
    json_object_set_new(j, "version", lm_rows_json_int(rows, r, 4));
    return j;
}

static json_t *status_json(const struct lm_rows *rows, unsigned r)
{
    json_t *j = json_object();

    json_object_set_new(j, "id", lm_rows_json_int(rows, r, 0));
    json_object_set_new(j, "name", lm_rows_json_str(rows, r, 1));
    json_object_set_new(j, "state", lm_rows_json_str(rows, r, 2));
    json_object_set_new(j, "color", lm_rows_json_str(rows, r, 3));
    json_object_set_new(j, "position", lm_rows_json_int(rows, r, 4));
    json_object_set_new(j, "active", lm_rows_json_bool(rows, r, 5));
    json_object_set_new(j, "version", lm_rows_json_int(rows, r, 6));
    return j;
}

static json_t *product_json(const struct lm_rows *rows, unsigned r)
{
    json_t *j = json_object();

    json_object_set_new(j, "id", lm_rows_json_int(rows, r, 0));
    json_object_set_new(j, "name", lm_rows_json_str(rows, r, 1));
    json_object_set_new(j, "price", lm_rows_json_str(rows, r, 2)); /* decimal text */
    json_object_set_new(j, "position", lm_rows_json_int(rows, r, 3));
    json_object_set_new(j, "active", lm_rows_json_bool(rows, r, 4));
    json_object_set_new(j, "version", lm_rows_json_int(rows, r, 5));
    return j;
}

/* default_value and options hold JSON text: parsed, the one JSON read back. */
static json_t *field_json(const struct lm_rows *rows, unsigned r)
{
    json_t *j = json_object();

    json_object_set_new(j, "id", lm_rows_json_int(rows, r, 1));
    json_object_set_new(j, "key", lm_rows_json_str(rows, r, 2));
    json_object_set_new(j, "label", lm_rows_json_str(rows, r, 3));
    json_object_set_new(j, "type", lm_rows_json_str(rows, r, 4));
    json_object_set_new(j, "required", lm_rows_json_bool(rows, r, 5));
    json_object_set_new(j, "default", lm_rows_json_parse(rows, r, 6));
    json_object_set_new(j, "help", lm_rows_json_str(rows, r, 7));
    json_object_set_new(j, "options", lm_rows_json_parse(rows, r, 8));
    json_object_set_new(j, "position", lm_rows_json_int(rows, r, 9));
    json_object_set_new(j, "active", lm_rows_json_bool(rows, r, 10));
    json_object_set_new(j, "version", lm_rows_json_int(rows, r, 11));
    json_object_set_new(j, "type_ids", json_array());
    return j;
}

static json_t *group_json(const struct lm_rows *rows, unsigned r)
{
    json_t *j = json_object();

    json_object_set_new(j, "id", lm_rows_json_int(rows, r, 1));
    json_object_set_new(j, "name", lm_rows_json_str(rows, r, 2));
    json_object_set_new(j, "rules", json_array());
    return j;
}

static json_t *unit_json(const struct lm_rows *rows, unsigned r)
{
    json_t *j = json_object();

    json_object_set_new(j, "id", lm_rows_json_int(rows, r, 1));
    json_object_set_new(j, "name", lm_rows_json_str(rows, r, 2));
    json_object_set_new(j, "member_ids", json_array());
    return j;
}

/* Appends a child row (kind 1) to its parent's list. */
static void add_child(const struct lm_setting_def *d, json_t *j_items, const struct lm_rows *rows,
                      unsigned r, size_t *hint)
{
    json_t *j_parent = lm_json_item_by_id(j_items, lm_rows_int(rows, r, 1, 0), hint);

    if (!j_parent)
        return;
    if (d->kind == LM_SET_CUSTOM_FIELD)
        json_array_append_new(json_object_get(j_parent, "type_ids"),
                              lm_rows_json_int(rows, r, 2));
    else if (d->kind == LM_SET_GROUP)
        json_array_append_new(json_object_get(j_parent, "rules"),
                              json_pack("{s:o, s:o}", "kind", lm_rows_json_str(rows, r, 3),
                                        "value", lm_rows_json_str(rows, r, 4)));
    else
        json_array_append_new(json_object_get(j_parent, "member_ids"),
                              lm_rows_json_int(rows, r, 3));
}

/* Writes the rows of one kind as a JSON array (new reference). */
static json_t *list_json(const struct lm_setting_def *d, const struct lm_rows *rows)
{
    json_t *j_items = json_array();
    size_t hint = 0;

    for (unsigned r = 0; r < rows->nrows; r++) {
        switch (d->kind) {
        case LM_SET_LOOKUP: json_array_append_new(j_items, lookup_json(rows, r)); break;
        case LM_SET_STATUS: json_array_append_new(j_items, status_json(rows, r)); break;
        case LM_SET_PRODUCT: json_array_append_new(j_items, product_json(rows, r)); break;
        default:
            if (lm_rows_int(rows, r, 0, 0) != 0)
                add_child(d, j_items, rows, r, &hint);
            else if (d->kind == LM_SET_CUSTOM_FIELD)
                json_array_append_new(j_items, field_json(rows, r));
            else if (d->kind == LM_SET_GROUP)
                json_array_append_new(j_items, group_json(rows, r));
            else
                json_array_append_new(j_items, unit_json(rows, r));
        }
    }
    return j_items;
}

static int query_list(struct lm_db *db, const struct lm_setting_def *d, long long id,
                      json_t **j_items)
{
    struct lm_rows rows;
    int rc;

    *j_items = NULL;
    switch (d->kind) {
    case LM_SET_LOOKUP:
        rc = lm_db_query(db, &rows, SQL_LOOKUP_LIST, "sii", d->lookup_kind, id, id);
        break;
    case LM_SET_STATUS: rc = lm_db_query(db, &rows, SQL_STATUS_LIST, "ii", id, id); break;
    case LM_SET_PRODUCT: rc = lm_db_query(db, &rows, SQL_PRODUCT_LIST, "ii", id, id); break;
    case LM_SET_CUSTOM_FIELD:
        rc = lm_db_query(db, &rows, SQL_FIELD_LIST, "iiii", id, id, id, id);
        break;
    case LM_SET_GROUP:
        rc = lm_db_query(db, &rows, SQL_GROUP_LIST, "iiii", id, id, id, id);
        break;
    default: rc = lm_db_query(db, &rows, SQL_UNIT_LIST, "iiii", id, id, id, id); break;
    }
    if (rc)
        return rc;
    *j_items = list_json(d, &rows);
    lm_rows_free(&rows);
    return LM_OK;
}

int lm_setting_items(struct lm_db *db, const struct lm_setting_def *d, json_t **j_items)
{
    return query_list(db, d, 0, j_items);
}

int lm_setting_list(struct lm_db *db, const struct lm_setting_def *d, json_t **j_out)
{
    json_t *j_items = NULL;
    int rc = query_list(db, d, 0, &j_items);

    if (rc)
        return rc;
    *j_out = json_pack("{s:o, s:n}", "items", j_items, "next");
    return LM_OK;
}

int lm_setting_get(struct lm_db *db, const struct lm_setting_def *d, long long id,
                   json_t **j_out)
{
    json_t *j_items = NULL;
    int rc = query_list(db, d, id, &j_items);

    *j_out = NULL;
    if (rc)
        return rc;
    if (json_array_size(j_items) == 1)
        *j_out = json_incref(json_array_get(j_items, 0));
    json_decref(j_items);
    return *j_out ? LM_OK : LM_ERR_NOT_FOUND;
}

static const char SQL_VERSION[] = "SELECT version FROM settings_version WHERE id = 1";

int lm_settings_version(struct lm_db *db, long long *version)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_VERSION, "");

    if (rc)
        return rc;
    *version = lm_rows_int(&rows, 0, 0, 0);
    lm_rows_free(&rows);
    return LM_OK;
}

/* --- body checks -------------------------------------------------------- */

static void field_err(json_t *j_fields, const char *key, const char *msg)
{
    if (!json_object_get(j_fields, key))
        json_object_set_new(j_fields, key, json_string(msg));
}

static void check_keys(const json_t *j_body, const char *const *allowed, json_t *j_fields)
{
    const char *key;
    json_t *j_v;

    json_object_foreach((json_t *)j_body, key, j_v)
    {
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            if (!strcmp(*a, key))
                ok = 1;
        if (!ok)
            field_err(j_fields, strlen(key) <= 64 ? key : "_", "Unknown field.");
    }
}

/* Optional text: NULL when absent; required on create. */
static const char *opt_text(const json_t *j_body, const char *key, size_t max, int required,
                            json_t *j_fields)
{
    const json_t *j = json_object_get(j_body, key);
    char msg[64];

    if (!j) {
        if (required)
            field_err(j_fields, key, "Required.");
        return NULL;
    }
    if (!json_is_string(j) || strspn(json_string_value(j), " \t\r\n") == json_string_length(j) ||
        lm_utf8_chars(json_string_value(j)) > max) {
        snprintf(msg, sizeof msg, "Enter 1 to %zu characters.", max);
        field_err(j_fields, key, msg);
        return NULL;
    }
    return json_string_value(j);
}

/* Optional whole number as text for a COALESCE parameter. */
static const char *opt_int(const json_t *j_body, const char *key, long long lo, long long hi,
                           char buf[24], json_t *j_fields)
{
    const json_t *j = json_object_get(j_body, key);

    if (!j)
        return NULL;
    if (!json_is_integer(j) || json_integer_value(j) < lo || json_integer_value(j) > hi) {
        char msg[80];
        snprintf(msg, sizeof msg, "A whole number from %lld to %lld.", lo, hi);
        field_err(j_fields, key, msg);
        return NULL;
    }
    snprintf(buf, 24, "%lld", (long long)json_integer_value(j));
    return buf;
}

static const char *opt_bool(const json_t *j_body, const char *key, json_t *j_fields)
{
    const json_t *j = json_object_get(j_body, key);

    if (!j)
        return NULL;
    if (!json_is_boolean(j)) {
        field_err(j_fields, key, "Use true or false.");
        return NULL;
    }
    return json_is_true(j) ? "1" : "0";
}

static int finish(struct lm_db *db, long long *id, int rc, int creating, json_t *j_fields,
                  const char *dup_key)
{
    if (rc == LM_ERR_CONFLICT) {
        field_err(j_fields, dup_key, "This name exists already.");
        return LM_OK;
    }
    if (rc)
        return rc;
    if (creating)
        *id = (long long)db->insert_id;
    else if (db->affected == 0)
        return LM_ERR_NOT_FOUND;
    return LM_OK;
}

/* --- lookups ------------------------------------------------------------- */

static const char SQL_LOOKUP_INSERT[] =
    "INSERT INTO lookups (kind, name, position, active) VALUES (?, ?, COALESCE(?, 0),"
    " COALESCE(?, 1))";
static const char SQL_LOOKUP_UPDATE[] =
    "UPDATE lookups SET name = COALESCE(?, name), position = COALESCE(?, position),"
    " active = COALESCE(?, active), version = version + 1 WHERE id = ? AND kind = ?";

static int save_lookup(struct lm_db *db, const struct lm_setting_def *d, long long *id,
                       const json_t *j_body, json_t *j_fields)
{
    static const char *const keys[] = {"name", "position", "active", NULL};
    char pos[24];
    const char *name, *position, *active;
    int rc;

    check_keys(j_body, keys, j_fields);
    name = opt_text(j_body, "name", 120, *id == 0, j_fields);
    position = opt_int(j_body, "position", 0, 100000, pos, j_fields);
    active = opt_bool(j_body, "active", j_fields);
    if (json_object_size(j_fields))
        return LM_OK;
    rc = *id == 0 ? lm_db_exec(db, SQL_LOOKUP_INSERT, "ssss", d->lookup_kind, name, position,
                               active)
                  : lm_db_exec(db, SQL_LOOKUP_UPDATE, "sssis", name, position, active, *id,
                               d->lookup_kind);
    return finish(db, id, rc, *id == 0, j_fields, "name");
}

/* --- statuses ------------------------------------------------------------ */

static const char SQL_STATUS_INSERT[] =
    "INSERT INTO statuses (name, state, color, position, active) VALUES (?, ?,"
    " COALESCE(?, '#607d8b'), COALESCE(?, 0), COALESCE(?, 1))";
static const char SQL_STATUS_UPDATE[] =
    "UPDATE statuses SET name = COALESCE(?, name), color = COALESCE(?, color),"
    " position = COALESCE(?, position), active = COALESCE(?, active), version = version + 1"
    " WHERE id = ?";

static int color_valid(const char *s)
{
    if (strlen(s) != 7 || s[0] != '#')
        return 0;
    for (int i = 1; i < 7; i++)
        if (!strchr("0123456789abcdefABCDEF", s[i]))
            return 0;
    return 1;
}

static int save_status(struct lm_db *db, long long *id, const json_t *j_body, json_t *j_fields)
{
    static const char *const keys[] = {"name", "state", "color", "position", "active", NULL};
    char pos[24];
    const char *name, *state = NULL, *color, *position, *active;
    const json_t *j_state = json_object_get(j_body, "state");
    int rc;

    check_keys(j_body, keys, j_fields);
    name = opt_text(j_body, "name", 120, *id == 0, j_fields);
    if (*id && j_state)
        field_err(j_fields, "state", "A status keeps its life-cycle state; add a new status.");
    else if (!*id) {
        state = json_string_value(j_state);
        if (!state || (strcmp(state, "new") && strcmp(state, "in_progress") &&
                       strcmp(state, "won") && strcmp(state, "lost") &&
                       strcmp(state, "completed")))
            field_err(j_fields, "state", "Use new, in_progress, won, lost or completed.");
    }
    color = opt_text(j_body, "color", 7, 0, j_fields);
    if (color && !color_valid(color))
        field_err(j_fields, "color", "Use a colour like #1e88e5.");
    position = opt_int(j_body, "position", 0, 100000, pos, j_fields);
    active = opt_bool(j_body, "active", j_fields);
    if (json_object_size(j_fields))
        return LM_OK;
    rc = *id == 0 ? lm_db_exec(db, SQL_STATUS_INSERT, "sssss", name, state, color, position,
                               active)
                  : lm_db_exec(db, SQL_STATUS_UPDATE, "ssssi", name, color, position, active,
                               *id);
    return finish(db, id, rc, *id == 0, j_fields, "name");
}

/* --- products ------------------------------------------------------------ */

static const char SQL_PRODUCT_INSERT[] =
    "INSERT INTO products (name, price, position, active) VALUES (?, ?, COALESCE(?, 0),"
    " COALESCE(?, 1))";
static const char SQL_PRODUCT_UPDATE[] =
    "UPDATE products SET name = COALESCE(?, name), price = IF(? = 1, ?, price),"
    " position = COALESCE(?, position), active = COALESCE(?, active), version = version + 1"
    " WHERE id = ?";

static int save_product(struct lm_db *db, long long *id, const json_t *j_body,
                        json_t *j_fields)
{
    static const char *const keys[] = {"name", "price", "position", "active", NULL};
    char pos[24], price[20] = "", buf[40];
    const char *name, *position, *active;
    const json_t *j_price = json_object_get(j_body, "price");
    int rc;

    check_keys(j_body, keys, j_fields);
    name = opt_text(j_body, "name", 120, *id == 0, j_fields);
    if (j_price && !json_is_null(j_price)) {
        if (json_is_integer(j_price))
            snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(j_price));
        else
            snprintf(buf, sizeof buf, "%s",
                     json_is_string(j_price) ? json_string_value(j_price) : "x");
        if (lm_money_normalize(buf, price))
            field_err(j_fields, "price", "Enter an amount like 1200.00.");
    }
    position = opt_int(j_body, "position", 0, 100000, pos, j_fields);
    active = opt_bool(j_body, "active", j_fields);
    if (json_object_size(j_fields))
        return LM_OK;
    rc = *id == 0 ? lm_db_exec(db, SQL_PRODUCT_INSERT, "ssss", name, price[0] ? price : NULL,
                               position, active)
                  : lm_db_exec(db, SQL_PRODUCT_UPDATE, "sisssi", name, (long long)!!j_price,
                               price[0] ? price : NULL, position, active, *id);
    return finish(db, id, rc, *id == 0, j_fields, "name");
}

/* --- custom fields ------------------------------------------------------- */

static const char SQL_FIELD_INSERT[] =
    "INSERT INTO custom_fields (field_key, label, type, required, default_value, help, options,"
    " position, active) VALUES (?, ?, ?, COALESCE(?, 0), ?, ?, ?, COALESCE(?, 0),"
    " COALESCE(?, 1))";
static const char SQL_FIELD_UPDATE[] =
    "UPDATE custom_fields SET label = COALESCE(?, label), required = COALESCE(?, required),"
    " default_value = IF(? = 1, ?, default_value), help = IF(? = 1, ?, help),"
    " options = IF(? = 1, ?, options), position = COALESCE(?, position),"
    " active = COALESCE(?, active), version = version + 1 WHERE id = ?";
static const char SQL_FIELD_CURRENT[] =
    "SELECT type, options, default_value FROM custom_fields WHERE id = ?";
static const char SQL_FIELD_TYPES_DEL[] = "DELETE FROM custom_field_types WHERE field_id = ?";
static const char SQL_FIELD_TYPES_INS[] =
    "INSERT INTO custom_field_types (field_id, type_id)"
    " SELECT ?, id FROM lookups WHERE id = ? AND kind = 'lead_type'";

static int save_custom_field(struct lm_db *db, long long *id, const json_t *j_body,
                             json_t *j_fields)
{
    static const char *const keys[] = {"key", "label", "type", "required", "default", "help",
                                       "options", "position", "active", "type_ids", NULL};
    char pos[24];
    const char *label, *required, *position, *active, *help = NULL;
    const json_t *j_options = json_object_get(j_body, "options");
    const json_t *j_default = json_object_get(j_body, "default");
    const json_t *j_help = json_object_get(j_body, "help");
    const json_t *j_types = json_object_get(j_body, "type_ids");
    json_t *j_cur_options = NULL, *j_cur_default = NULL;
    char *options_text = NULL, *default_text = NULL;
    enum lm_cf_type type = LM_CF_INVALID;
    struct lm_cf_value v;
    const char *msg;
    int rc = LM_OK;

    check_keys(j_body, keys, j_fields);
    label = opt_text(j_body, "label", 120, *id == 0, j_fields);
    required = opt_bool(j_body, "required", j_fields);
    position = opt_int(j_body, "position", 0, 100000, pos, j_fields);
    active = opt_bool(j_body, "active", j_fields);
    if (j_help && !json_is_null(j_help))
        help = opt_text(j_body, "help", 500, 0, j_fields);
    if (*id == 0) {
        const char *key = json_string_value(json_object_get(j_body, "key"));
        if (!lm_cf_key_valid(key))
            field_err(j_fields, "key",
                      "Use a-z, 0-9 and _, starting with a letter, at most 64 characters.");
        type = lm_cf_type_parse(json_string_value(json_object_get(j_body, "type")));
        if (type == LM_CF_INVALID)
            field_err(j_fields, "type",
                      "Use text, long_text, number, money, date, datetime, dropdown, radio, "
                      "checkbox or multi_select.");
    } else {
        struct lm_rows rows;
        json_error_t jerr;
        if (json_object_get(j_body, "key"))
            field_err(j_fields, "key", "A field keeps its key.");
        if (json_object_get(j_body, "type"))
            field_err(j_fields, "type", "A field keeps its type; add a new field.");
        rc = lm_db_query(db, &rows, SQL_FIELD_CURRENT, "i", *id);
        if (rc)
            return rc;
        if (rows.nrows != 1) {
            lm_rows_free(&rows);
            return LM_ERR_NOT_FOUND;
        }
        type = lm_cf_type_parse(lm_rows_get(&rows, 0, 0));
        if (lm_rows_get(&rows, 0, 1))
            j_cur_options = json_loads(lm_rows_get(&rows, 0, 1), 0, &jerr);
        if (lm_rows_get(&rows, 0, 2))
            j_cur_default = json_loads(lm_rows_get(&rows, 0, 2), JSON_DECODE_ANY, &jerr);
        lm_rows_free(&rows);
    }
    if (type != LM_CF_INVALID && (j_options || *id == 0)) {
        msg = lm_cf_check_options(type, j_options);
        if (msg)
            field_err(j_fields, "options", msg);
    }
    if (type != LM_CF_INVALID && j_default && !json_is_null(j_default)) {
        msg = lm_cf_check(type, j_options ? j_options : j_cur_options, 0, j_default, &v);
        if (msg)
            field_err(j_fields, "default", msg);
    } else if (type != LM_CF_INVALID && !j_default && j_options && j_cur_default) {
        /* new options must still hold the default the field keeps */
        msg = lm_cf_check(type, j_options, 0, j_cur_default, &v);
        if (msg)
            field_err(j_fields, "options", "The options must include the field's default.");
    }
    if (j_types && (!json_is_array(j_types) || json_array_size(j_types) > 50))
        field_err(j_fields, "type_ids", "Give a list of lead type ids.");
    json_decref(j_cur_options);
    json_decref(j_cur_default);
    if (json_object_size(j_fields))
        return LM_OK;
    if (j_options && !json_is_null(j_options) && lm_cf_type_has_options(type))
        options_text = json_dumps(j_options, JSON_COMPACT);
    if (j_default && !json_is_null(j_default))
        default_text = json_dumps(j_default, JSON_COMPACT | JSON_ENCODE_ANY);
    if (*id == 0)
        rc = lm_db_exec(db, SQL_FIELD_INSERT, "sssssssss",
                        json_string_value(json_object_get(j_body, "key")), label,
                        lm_cf_type_name(type), required, default_text, help, options_text,
                        position, active);
    else
        rc = lm_db_exec(db, SQL_FIELD_UPDATE, "ssisisisssi", label, required,
                        (long long)!!j_default, default_text, (long long)!!j_help, help,
                        (long long)!!j_options, options_text, position, active, *id);
    free(options_text);
    free(default_text);
    rc = finish(db, id, rc, *id == 0, j_fields, "key");
    if (rc || json_object_size(j_fields) || !j_types)
        return rc;
    rc = lm_db_exec(db, SQL_FIELD_TYPES_DEL, "i", *id);
    for (size_t i = 0; !rc && i < json_array_size(j_types); i++) {
        json_t *j_t = json_array_get(j_types, i);
        if (!json_is_integer(j_t)) {
            field_err(j_fields, "type_ids", "Give a list of lead type ids.");
            break;
        }
        rc = lm_db_exec(db, SQL_FIELD_TYPES_INS, "ii", *id, (long long)json_integer_value(j_t));
        if (!rc && db->affected == 0)
            field_err(j_fields, "type_ids", "No such lead type.");
    }
    return rc;
}

/* --- groups and units ------------------------------------------------------ */

static const char SQL_GROUP_INSERT[] = "INSERT INTO org_groups (name) VALUES (?)";
static const char SQL_GROUP_UPDATE[] =
    "UPDATE org_groups SET name = COALESCE(?, name) WHERE id = ?";
static const char SQL_GROUP_EXISTS[] = "SELECT 1 FROM org_groups WHERE id = ?";
static const char SQL_RULES_DEL[] = "DELETE FROM group_rules WHERE group_id = ?";
static const char SQL_RULE_INS[] =
    "INSERT INTO group_rules (group_id, kind, value, position) VALUES (?, ?, ?, ?)";
static const char SQL_UNIT_INSERT[] = "INSERT INTO units (name) VALUES (?)";
static const char SQL_UNIT_UPDATE[] = "UPDATE units SET name = COALESCE(?, name) WHERE id = ?";
static const char SQL_UNIT_EXISTS[] = "SELECT 1 FROM units WHERE id = ?";
static const char SQL_MEMBERS_DEL[] = "DELETE FROM user_units WHERE unit_id = ?";
static const char SQL_MEMBER_INS[] =
    "INSERT INTO user_units (user_id, unit_id) SELECT id, ? FROM users WHERE id = ?";

static int save_named(struct lm_db *db, long long *id, const json_t *j_body, json_t *j_fields,
                      int is_group)
{
    static const char *const gkeys[] = {"name", "rules", NULL};
    static const char *const ukeys[] = {"name", "member_ids", NULL};
    const char *list_key = is_group ? "rules" : "member_ids";
    const json_t *j_list = json_object_get(j_body, list_key);
    const char *name;
    size_t i;
    json_t *j_item;
    int rc, ok = 0;

    check_keys(j_body, is_group ? gkeys : ukeys, j_fields);
    name = opt_text(j_body, "name", 120, *id == 0, j_fields);
    if (j_list && (!json_is_array(j_list) || json_array_size(j_list) > 200))
        field_err(j_fields, list_key, "Give a list (at most 200 entries).");
    json_array_foreach(j_list, i, j_item)
    {
        if (is_group) {
            const char *kind = json_string_value(json_object_get(j_item, "kind"));
            const char *value = json_string_value(json_object_get(j_item, "value"));
            if (!kind || (strcmp(kind, "postal_prefix") && strcmp(kind, "region") &&
                          strcmp(kind, "country")) ||
                !value || !*value || strlen(value) > 40 || json_object_size(j_item) != 2)
                field_err(j_fields, "rules",
                          "Each rule is {\"kind\": postal_prefix, region or country, "
                          "\"value\": text}.");
        } else if (!json_is_integer(j_item) || json_integer_value(j_item) <= 0) {
            field_err(j_fields, "member_ids", "Give a list of user ids.");
        }
    }
    if (json_object_size(j_fields))
        return LM_OK;
    if (*id) {
        rc = lm_db_exists(db, &ok, is_group ? SQL_GROUP_EXISTS : SQL_UNIT_EXISTS, "i", *id);
        if (rc)
            return rc;
        if (!ok)
            return LM_ERR_NOT_FOUND;
        rc = lm_db_exec(db, is_group ? SQL_GROUP_UPDATE : SQL_UNIT_UPDATE, "si", name, *id);
        if (rc == LM_ERR_CONFLICT)
            return finish(db, id, rc, 0, j_fields, "name");
        if (rc)
            return rc;
    } else {
        rc = lm_db_exec(db, is_group ? SQL_GROUP_INSERT : SQL_UNIT_INSERT, "s", name);
        rc = finish(db, id, rc, 1, j_fields, "name");
        if (rc || json_object_size(j_fields))
            return rc;
    }
    if (!j_list)
        return LM_OK;
    rc = lm_db_exec(db, is_group ? SQL_RULES_DEL : SQL_MEMBERS_DEL, "i", *id);
    json_array_foreach(j_list, i, j_item)
    {
        if (rc)
            break;
        if (is_group)
            rc = lm_db_exec(db, SQL_RULE_INS, "issi", *id,
                            json_string_value(json_object_get(j_item, "kind")),
                            json_string_value(json_object_get(j_item, "value")), (long long)i);
        else {
            rc = lm_db_exec(db, SQL_MEMBER_INS, "ii", *id, (long long)json_integer_value(j_item));
            if (!rc && db->affected == 0)
                field_err(j_fields, "member_ids", "No such user.");
        }
    }
    return rc;
}

int lm_setting_save(struct lm_db *db, const struct lm_setting_def *d, long long *id,
                    const json_t *j_body, json_t *j_fields)
{
    switch (d->kind) {
    case LM_SET_LOOKUP: return save_lookup(db, d, id, j_body, j_fields);
    case LM_SET_STATUS: return save_status(db, id, j_body, j_fields);
    case LM_SET_PRODUCT: return save_product(db, id, j_body, j_fields);
    case LM_SET_CUSTOM_FIELD: return save_custom_field(db, id, j_body, j_fields);
    case LM_SET_GROUP: return save_named(db, id, j_body, j_fields, 1);
    default: return save_named(db, id, j_body, j_fields, 0);
    }
}

static const char SQL_LOOKUP_OFF[] =
    "UPDATE lookups SET active = 0, version = version + 1 WHERE id = ? AND kind = ?";
static const char SQL_STATUS_OFF[] =
    "UPDATE statuses SET active = 0, version = version + 1 WHERE id = ?";
static const char SQL_PRODUCT_OFF[] =
    "UPDATE products SET active = 0, version = version + 1 WHERE id = ?";
static const char SQL_FIELD_OFF[] =
    "UPDATE custom_fields SET active = 0, version = version + 1 WHERE id = ?";
static const char SQL_GROUP_DELETE[] = "DELETE FROM org_groups WHERE id = ?";
static const char SQL_UNIT_DELETE[] = "DELETE FROM units WHERE id = ?";

int lm_setting_remove(struct lm_db *db, const struct lm_setting_def *d, long long id)
{
    int rc, ok = 0;

    switch (d->kind) {
    case LM_SET_LOOKUP:
        rc = lm_db_exec(db, SQL_LOOKUP_OFF, "is", id, d->lookup_kind);
        break;
    case LM_SET_STATUS:
        rc = lm_db_exec(db, SQL_STATUS_OFF, "i", id);
        break;
    case LM_SET_PRODUCT:
        rc = lm_db_exec(db, SQL_PRODUCT_OFF, "i", id);
        break;
    case LM_SET_CUSTOM_FIELD:
        rc = lm_db_exec(db, SQL_FIELD_OFF, "i", id);
        break;
    default: {
        int is_group = d->kind == LM_SET_GROUP;
        rc = lm_db_exists(db, &ok, is_group ? SQL_GROUP_EXISTS : SQL_UNIT_EXISTS, "i", id);
        if (rc)
            return rc;
        if (!ok)
            return LM_ERR_NOT_FOUND;
        rc = lm_db_exec(db, is_group ? SQL_RULES_DEL : SQL_MEMBERS_DEL, "i", id);
        if (!rc)
            rc = lm_db_exec(db, is_group ? SQL_GROUP_DELETE : SQL_UNIT_DELETE, "i", id);
        /* still referenced by users or leads: the foreign key refuses */
        return rc == LM_ERR_PARAM ? LM_ERR_CONFLICT : rc;
    }
    }
    if (rc)
        return rc;
    return db->affected == 0 ? LM_ERR_NOT_FOUND : LM_OK;
}
