/* Lead rows. The lead JSON is assembled by MariaDB (JSON_OBJECT) from the
 * row and its child tables, except custom values, which are typed here.
 * Access rules are one SQL predicate, ACCESS, shared by every read. */
#include "store/leads.h"

#include "core/log.h"
#include "core/result.h"
#include "core/time.h"
#include "domain/custom_fields.h"
#include "domain/text.h"
#include "store/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Who may see a lead: admins all; supervisors their group's; everyone the
 * leads they own, are on the team of, that are assigned to one of their
 * units, or that sit in the Lead Bank (abandoned or available).
 * Parameters: role, role, group, user, user, user ("ssiiii"). */
#define ACCESS_OWN                                                                         \
    "(? = 'admin' OR (? = 'supervisor' AND l.group_id = ?) OR l.owner_id = ?"              \
    " OR EXISTS (SELECT 1 FROM lead_team t WHERE t.lead_id = l.id AND t.user_id = ?)"      \
    " OR EXISTS (SELECT 1 FROM user_units uu WHERE uu.user_id = ? AND uu.unit_id = l.unit_id))"
#define ACCESS "(" ACCESS_OWN " OR l.call_state IN ('abandoned', 'available'))"
#define ACCESS_ARGS(u) lm_role_name((u)->role), lm_role_name((u)->role), (u)->group_id, \
                       (u)->id, (u)->id, (u)->id

#define ISO(col) "DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%sZ')"
#define BOOL(expr) "JSON_EXTRACT(IF(" expr ", 'true', 'false'), '$')"
#define LOOKUP_NAME(col) "(SELECT k.name FROM lookups k WHERE k.id = " col ")"

#define LEAD_JSON                                                                          \
    "JSON_OBJECT('id', l.id, 'first_name', l.first_name, 'last_name', l.last_name,"        \
    " 'address', JSON_OBJECT('street', l.street, 'city', l.city, 'region', l.region,"      \
    "   'postal_code', l.postal_code, 'country', l.country),"                              \
    " 'phones', JSON_EXTRACT(COALESCE((SELECT JSON_ARRAYAGG(p.phone ORDER BY p.position)"  \
    "   FROM lead_phones p WHERE p.lead_id = l.id), '[]'), '$'),"                          \
    " 'emails', JSON_EXTRACT(COALESCE((SELECT JSON_ARRAYAGG(e.email ORDER BY e.position)"  \
    "   FROM lead_emails e WHERE e.lead_id = l.id), '[]'), '$'),"                          \
    " 'incomplete', " BOOL("l.incomplete") ","                                              \
    " 'type_id', l.type_id, 'type', " LOOKUP_NAME("l.type_id") ","                          \
    " 'category_id', l.category_id, 'category', " LOOKUP_NAME("l.category_id") ","          \
    " 'priority_id', l.priority_id, 'priority', " LOOKUP_NAME("l.priority_id") ","          \
    " 'importance_id', l.importance_id, 'importance', " LOOKUP_NAME("l.importance_id") "," \
    " 'source_id', l.source_id, 'source', " LOOKUP_NAME("l.source_id") ","                  \
    " 'lost_reason_id', l.lost_reason_id, 'lost_reason', " LOOKUP_NAME("l.lost_reason_id") "," \
    " 'probability', l.probability, 'target_amount', CAST(l.target_amount AS CHAR),"       \
    " 'status_id', l.status_id, 'status', s.name, 'status_color', s.color, 'state', l.state," \
    " 'archived', " BOOL("l.archived_at IS NOT NULL") ","                                   \
    " 'archived_at', " ISO("l.archived_at") ", 'archive_reason', l.archive_reason,"        \
    " 'start_date', " ISO("l.start_date") ","                                               \
    " 'expected_completion', " ISO("l.expected_completion") ","                             \
    " 'estimated_duration', JSON_EXTRACT(IF(l.duration_value IS NULL, NULL,"               \
    "   JSON_OBJECT('value', l.duration_value, 'unit', l.duration_unit)), '$'),"           \
    " 'expected_end', " ISO("l.expected_end") ","                                           \
    " 'time_to_completion', IF(l.state IN ('new','in_progress') AND l.expected_end > UTC_TIMESTAMP(6)," \
    "   TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(6), l.expected_end), NULL),"                   \
    " 'time_overdue', IF(l.state IN ('new','in_progress') AND l.expected_end <= UTC_TIMESTAMP(6)," \
    "   TIMESTAMPDIFF(SECOND, l.expected_end, UTC_TIMESTAMP(6)), NULL),"                   \
    " 'actual_completion', " ISO("l.actual_completion") ","                                 \
    " 'products', JSON_EXTRACT(COALESCE((SELECT JSON_ARRAYAGG(JSON_OBJECT('product_id',"   \
    "   lp.product_id, 'name', pr.name, 'notes', lp.notes) ORDER BY pr.position, pr.id)"   \
    "   FROM lead_products lp JOIN products pr ON pr.id = lp.product_id"                   \
    "   WHERE lp.lead_id = l.id), '[]'), '$'),"                                            \
    " 'team', JSON_EXTRACT(COALESCE((SELECT JSON_ARRAYAGG(lt.user_id ORDER BY lt.user_id)" \
    "   FROM lead_team lt WHERE lt.lead_id = l.id), '[]'), '$'),"                          \
    " 'competitors', JSON_EXTRACT(COALESCE((SELECT JSON_ARRAYAGG(lc.competitor_id"         \
    "   ORDER BY lc.competitor_id) FROM lead_competitors lc WHERE lc.lead_id = l.id),"     \
    "   '[]'), '$'),"                                                                      \
    " 'owner_id', l.owner_id, 'owner', (SELECT ow.name FROM users ow WHERE ow.id = l.owner_id)," \
    " 'group_id', l.group_id, 'unit_id', l.unit_id,"                                       \
    " 'account_id', (SELECT a.id FROM accounts a WHERE a.lead_id = l.id),"                 \
    " 'created_by', l.created_by, 'created_at', " ISO("l.created_at") ","                   \
    " 'call_log', JSON_OBJECT('state', l.call_state, 'follow_up_at', " ISO("l.follow_up_at") "," \
    "   'touched_at', " ISO("l.touched_at") ", 'since', " ISO("l.call_state_at") ","      \
    "   'owner_id', l.owner_id),"                                                          \
    " 'updated_at', " ISO("l.updated_at") ", 'version', l.version)"

#define EXPECTED_END                                                                       \
    "CASE WHEN x.expected_completion IS NOT NULL THEN x.expected_completion"               \
    " WHEN x.duration_unit = 'minutes' THEN x.start_date + INTERVAL x.duration_value MINUTE" \
    " WHEN x.duration_unit = 'hours' THEN x.start_date + INTERVAL x.duration_value HOUR"   \
    " WHEN x.duration_unit = 'days' THEN x.start_date + INTERVAL x.duration_value DAY"     \
    " WHEN x.duration_unit = 'weeks' THEN x.start_date + INTERVAL x.duration_value WEEK"   \
    " WHEN x.duration_unit = 'months' THEN x.start_date + INTERVAL x.duration_value MONTH" \
    " WHEN x.duration_unit = 'years' THEN x.start_date + INTERVAL x.duration_value YEAR"   \
    " END"

static const char SQL_LEAD_JSON[] =
    "SELECT " LEAD_JSON " FROM (SELECT x.*, " EXPECTED_END " AS expected_end"
    " FROM leads x WHERE x.id = ?) l JOIN statuses s ON s.id = l.status_id WHERE " ACCESS;
static const char SQL_LEAD_JSON_ANY[] =
    "SELECT " LEAD_JSON " FROM (SELECT x.*, " EXPECTED_END " AS expected_end"
    " FROM leads x WHERE x.id = ?) l JOIN statuses s ON s.id = l.status_id";
static const char SQL_CUSTOM_OF_LEAD[] =
    "SELECT f.field_key, f.type, v.value_text, CAST(v.value_num AS CHAR),"
    " DATE_FORMAT(v.value_time, '%Y-%m-%dT%H:%i:%sZ')"
    " FROM lead_custom_values v JOIN custom_fields f ON f.id = v.field_id"
    " WHERE v.lead_id = ? ORDER BY f.position, f.id, v.seq";

static json_t *custom_value_json(enum lm_cf_type t, const char *text, const char *num,
                                 const char *time)
{
    switch (t) {
    case LM_CF_NUMBER: {
        double d = num ? strtod(num, NULL) : 0;
        long long ll = (long long)d;
        return (double)ll == d ? json_integer(ll) : json_real(d);
    }
    case LM_CF_MONEY: {
        /* value_num has 4 decimals; money shows 2 */
        char buf[40];
        snprintf(buf, sizeof buf, "%s", num ? num : "0");
        char *dot = strchr(buf, '.');
        if (dot && strlen(dot) > 3)
            dot[3] = '\0';
        return json_string(buf);
    }
    case LM_CF_CHECKBOX:
        return json_boolean(num && strtod(num, NULL) != 0);
    case LM_CF_DATE: {
        char buf[11];
        snprintf(buf, sizeof buf, "%s", time ? time : "");
        return json_string(buf);
    }
    case LM_CF_DATETIME:
        return json_string(time ? time : "");
    default:
        return json_string(text ? text : "");
    }
}

static int add_custom(struct lm_db *db, long long id, json_t *j_lead)
{
    struct lm_rows rows;
    json_t *j_custom = json_object();
    int rc = lm_db_query(db, &rows, SQL_CUSTOM_OF_LEAD, "i", id);

    if (rc) {
        json_decref(j_custom);
        return rc;
    }
    for (unsigned r = 0; r < rows.nrows; r++) {
        const char *key = lm_rows_get(&rows, r, 0);
        enum lm_cf_type t = lm_cf_type_parse(lm_rows_get(&rows, r, 1));
        json_t *j_v = custom_value_json(t, lm_rows_get(&rows, r, 2), lm_rows_get(&rows, r, 3),
                                        lm_rows_get(&rows, r, 4));
        if (t == LM_CF_MULTI_SELECT) {
            json_t *j_arr = json_object_get(j_custom, key);
            if (!j_arr) {
                j_arr = json_array();
                json_object_set_new(j_custom, key, j_arr);
            }
            json_array_append_new(j_arr, j_v);
        } else {
            json_object_set_new(j_custom, key, j_v);
        }
    }
    lm_rows_free(&rows);
    json_object_set_new(j_lead, "custom", j_custom);
    return LM_OK;
}

static int lead_json_from(struct lm_db *db, struct lm_rows *rows, long long id, json_t **j_out)
{
    json_error_t jerr;
    const char *text = lm_rows_get(rows, 0, 0);
    int rc;

    *j_out = NULL;
    if (rows->nrows != 1 || !text) {
        lm_rows_free(rows);
        return LM_ERR_NOT_FOUND;
    }
    *j_out = json_loads(text, 0, &jerr);
    lm_rows_free(rows);
    if (!*j_out)
        return LM_ERR_INTERNAL;
    rc = add_custom(db, id, *j_out);
    if (rc) {
        json_decref(*j_out);
        *j_out = NULL;
    }
    return rc;
}

int lm_lead_json(struct lm_db *db, const struct lm_user *u, long long id, json_t **j_out)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_LEAD_JSON, "issiiii", id, ACCESS_ARGS(u));

    if (rc)
        return rc;
    return lead_json_from(db, &rows, id, j_out);
}

int lm_lead_json_any(struct lm_db *db, long long id, json_t **j_out)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_LEAD_JSON_ANY, "i", id);

    if (rc)
        return rc;
    return lead_json_from(db, &rows, id, j_out);
}

static const char SQL_VISIBLE[] =
    "SELECT " ACCESS_OWN " FROM leads l WHERE l.id = ? AND " ACCESS;

int lm_lead_access(struct lm_db *db, const struct lm_user *u, long long id, int *visible,
                   int *editable)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_VISIBLE, "ssiiii" "issiiii", ACCESS_ARGS(u), id,
                         ACCESS_ARGS(u));

    if (rc)
        return rc;
    *visible = rows.nrows == 1;
    *editable = *visible && lm_rows_int(&rows, 0, 0, 0) == 1;
    lm_rows_free(&rows);
    return LM_OK;
}

int lm_lead_visible(struct lm_db *db, const struct lm_user *u, long long id, int *visible)
{
    int editable = 0;

    return lm_lead_access(db, u, id, visible, &editable);
}

/* --- loading for update ------------------------------------------------- */

static const char SQL_LOAD_ROW[] =
    "SELECT first_name, last_name, street, city, region, postal_code, country,"
    " type_id, category_id, priority_id, importance_id, source_id, lost_reason_id, status_id,"
    " owner_id, group_id, unit_id, probability, CAST(target_amount AS CHAR),"
    " " ISO("expected_completion") ", duration_value, duration_unit, version, state"
    " FROM leads WHERE id = ? FOR UPDATE";
static const char SQL_LOAD_PHONES[] =
    "SELECT phone, digits FROM lead_phones WHERE lead_id = ? ORDER BY position";
static const char SQL_LOAD_EMAILS[] =
    "SELECT email FROM lead_emails WHERE lead_id = ? ORDER BY position";
static const char SQL_LOAD_PRODUCTS[] =
    "SELECT product_id, notes FROM lead_products WHERE lead_id = ? ORDER BY product_id";
static const char SQL_LOAD_TEAM[] =
    "SELECT user_id FROM lead_team WHERE lead_id = ? ORDER BY user_id";
static const char SQL_LOAD_COMPETITORS[] =
    "SELECT competitor_id FROM lead_competitors WHERE lead_id = ? ORDER BY competitor_id";

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

int lm_lead_load_for_update(struct lm_db *db, long long id, struct lm_lead_input *in,
                            long long *version, char state[16])
{
    struct lm_rows rows;
    int rc;

    lm_lead_input_init(in);
    rc = lm_db_query(db, &rows, SQL_LOAD_ROW, "i", id);
    if (rc)
        return rc;
    if (rows.nrows != 1) {
        lm_rows_free(&rows);
        return LM_ERR_NOT_FOUND;
    }
    copy(in->first_name, sizeof in->first_name, lm_rows_get(&rows, 0, 0));
    copy(in->last_name, sizeof in->last_name, lm_rows_get(&rows, 0, 1));
    copy(in->street, sizeof in->street, lm_rows_get(&rows, 0, 2));
    copy(in->city, sizeof in->city, lm_rows_get(&rows, 0, 3));
    copy(in->region, sizeof in->region, lm_rows_get(&rows, 0, 4));
    copy(in->postal_code, sizeof in->postal_code, lm_rows_get(&rows, 0, 5));
    copy(in->country, sizeof in->country, lm_rows_get(&rows, 0, 6));
    for (int r = 0; r < LM_REF_COUNT; r++)
        in->refs[r] = lm_rows_int(&rows, 0, 7 + (unsigned)r, 0);
    in->probability = (int)lm_rows_int(&rows, 0, 17, -1);
    copy(in->target_amount, sizeof in->target_amount, lm_rows_get(&rows, 0, 18));
    if (lm_rows_get(&rows, 0, 19))
        lm_time_parse_iso(lm_rows_get(&rows, 0, 19), &in->expected_completion);
    in->duration_value = (int)lm_rows_int(&rows, 0, 20, 0);
    copy(in->duration_unit, sizeof in->duration_unit, lm_rows_get(&rows, 0, 21));
    *version = lm_rows_int(&rows, 0, 22, 0);
    copy(state, 16, lm_rows_get(&rows, 0, 23));
    lm_rows_free(&rows);

    rc = lm_db_query(db, &rows, SQL_LOAD_PHONES, "i", id);
    if (rc)
        return rc;
    for (unsigned r = 0; r < rows.nrows && r < LM_LEAD_MAX_PHONES; r++) {
        copy(in->phones[r], sizeof in->phones[0], lm_rows_get(&rows, r, 0));
        copy(in->phone_digits[r], sizeof in->phone_digits[0], lm_rows_get(&rows, r, 1));
        in->nphones++;
    }
    lm_rows_free(&rows);
    rc = lm_db_query(db, &rows, SQL_LOAD_EMAILS, "i", id);
    if (rc)
        return rc;
    for (unsigned r = 0; r < rows.nrows && r < LM_LEAD_MAX_EMAILS; r++)
        copy(in->emails[in->nemails++], sizeof in->emails[0], lm_rows_get(&rows, r, 0));
    lm_rows_free(&rows);
    rc = lm_db_query(db, &rows, SQL_LOAD_PRODUCTS, "i", id);
    if (rc)
        return rc;
    for (unsigned r = 0; r < rows.nrows && r < LM_LEAD_MAX_ITEMS; r++) {
        in->product_ids[r] = lm_rows_int(&rows, r, 0, 0);
        copy(in->product_notes[r], sizeof in->product_notes[0], lm_rows_get(&rows, r, 1));
        in->nproducts++;
    }
    lm_rows_free(&rows);
    rc = lm_db_query(db, &rows, SQL_LOAD_TEAM, "i", id);
    if (rc)
        return rc;
    for (unsigned r = 0; r < rows.nrows && r < LM_LEAD_MAX_ITEMS; r++)
        in->team[in->nteam++] = lm_rows_int(&rows, r, 0, 0);
    lm_rows_free(&rows);
    rc = lm_db_query(db, &rows, SQL_LOAD_COMPETITORS, "i", id);
    if (rc)
        return rc;
    for (unsigned r = 0; r < rows.nrows && r < LM_LEAD_MAX_ITEMS; r++)
        in->competitors[in->ncompetitors++] = lm_rows_int(&rows, r, 0, 0);
    lm_rows_free(&rows);
    return LM_OK;
}

/* --- reference checks ---------------------------------------------------- */

static const char SQL_LOOKUP_OK[] =
    "SELECT 1 FROM lookups WHERE id = ? AND kind = ? AND active = 1";
static const char SQL_STATUS_OK[] = "SELECT 1 FROM statuses WHERE id = ? AND active = 1";
static const char SQL_USER_OK[] = "SELECT 1 FROM users WHERE id = ? AND active = 1";
static const char SQL_GROUP_OK[] = "SELECT 1 FROM org_groups WHERE id = ?";
static const char SQL_UNIT_OK[] = "SELECT 1 FROM units WHERE id = ?";
static const char SQL_PRODUCT_OK[] = "SELECT 1 FROM products WHERE id = ? AND active = 1";

int lm_lead_check_refs(struct lm_db *db, const struct lm_lead_input *in, json_t *j_fields)
{
    static const char *const lookup_kind[LM_REF_COUNT] = {
        "lead_type", "category", "priority", "importance", "source", "lost_reason",
        NULL, NULL, NULL, NULL,
    };
    int ok = 1, rc;

    for (int r = 0; r < LM_REF_COUNT; r++) {
        const char *sql;
        if (!(in->refs_present & (1u << r)) || !in->refs[r])
            continue;
        sql = lookup_kind[r]      ? SQL_LOOKUP_OK
              : r == LM_REF_STATUS ? SQL_STATUS_OK
              : r == LM_REF_OWNER  ? SQL_USER_OK
              : r == LM_REF_GROUP  ? SQL_GROUP_OK
                                   : SQL_UNIT_OK;
        rc = lookup_kind[r] ? lm_db_exists(db, &ok, sql, "is", in->refs[r], lookup_kind[r])
                            : lm_db_exists(db, &ok, sql, "i", in->refs[r]);
        if (rc)
            return rc;
        if (!ok)
            json_object_set_new(j_fields, lm_lead_ref_keys[r],
                                json_string("No such entry (or it is inactive)."));
    }
    for (int i = 0; (in->present & LM_LF_PRODUCTS) && i < in->nproducts; i++) {
        rc = lm_db_exists(db, &ok, SQL_PRODUCT_OK, "i", in->product_ids[i]);
        if (rc)
            return rc;
        if (!ok)
            json_object_set_new(j_fields, "products", json_string("No such product."));
    }
    for (int i = 0; (in->present & LM_LF_TEAM) && i < in->nteam; i++) {
        rc = lm_db_exists(db, &ok, SQL_USER_OK, "i", in->team[i]);
        if (rc)
            return rc;
        if (!ok)
            json_object_set_new(j_fields, "team", json_string("No such user."));
    }
    for (int i = 0; (in->present & LM_LF_COMPETITORS) && i < in->ncompetitors; i++) {
        rc = lm_db_exists(db, &ok, SQL_LOOKUP_OK, "is", in->competitors[i], "competitor");
        if (rc)
            return rc;
        if (!ok)
            json_object_set_new(j_fields, "competitors", json_string("No such competitor."));
    }
    return LM_OK;
}

/* --- custom values --------------------------------------------------------- */

/* Active fields that apply to a lead type (fields without types apply to all). */
static const char SQL_FIELDS_FOR_TYPE[] =
    "SELECT f.id, f.field_key, f.type, f.required, f.default_value, f.options"
    " FROM custom_fields f WHERE f.active = 1 AND (NOT EXISTS (SELECT 1 FROM"
    " custom_field_types t WHERE t.field_id = f.id) OR EXISTS (SELECT 1 FROM"
    " custom_field_types t WHERE t.field_id = f.id AND t.type_id = ?))"
    " ORDER BY f.position, f.id";
static const char SQL_CUSTOM_DELETE[] =
    "DELETE FROM lead_custom_values WHERE lead_id = ? AND field_id = ?";
static const char SQL_CUSTOM_INSERT[] =
    "INSERT INTO lead_custom_values (lead_id, field_id, seq, value_text, value_num, value_time)"
    " VALUES (?, ?, ?, ?, ?, ?)";

struct field_def {
    long long id;
    const char *key;
    enum lm_cf_type type;
    int required;
    const char *dflt;
    json_t *j_options;
};

/* Walks the fields of the lead's type: for each, the value to check (from the
 * body, else the default when creating). Calls fn for each checked value. */
typedef int (*field_fn)(struct lm_db *db, long long lead_id, const struct field_def *f,
                        const struct lm_cf_value *v);

static int walk_custom(struct lm_db *db, const struct lm_lead_input *in, int creating,
                       json_t *j_fields, long long lead_id, field_fn fn)
{
    struct lm_rows rows;
    const char *key;
    json_t *j_v;
    int rc = lm_db_query(db, &rows, SQL_FIELDS_FOR_TYPE, "i", in->refs[LM_REF_TYPE]);

    if (rc)
        return rc;
    /* keys in the body that are not fields of this type */
    if (j_fields && in->j_custom)
        json_object_foreach((json_t *)in->j_custom, key, j_v)
        {
            int found = 0;
            for (unsigned r = 0; r < rows.nrows; r++)
                if (!strcmp(lm_rows_get(&rows, r, 1), key))
                    found = 1;
            if (!found) {
                char name[80];
                snprintf(name, sizeof name, "custom.%.64s", key);
                json_object_set_new(j_fields, name,
                                    json_string("No such field for this lead type."));
            }
        }
    for (unsigned r = 0; r < rows.nrows && !rc; r++) {
        struct field_def f;
        struct lm_cf_value v;
        json_t *j_default = NULL;
        const json_t *j_value;
        const char *msg;
        json_error_t jerr;

        f.id = lm_rows_int(&rows, r, 0, 0);
        f.key = lm_rows_get(&rows, r, 1);
        f.type = lm_cf_type_parse(lm_rows_get(&rows, r, 2));
        f.required = (int)lm_rows_int(&rows, r, 3, 0);
        f.dflt = lm_rows_get(&rows, r, 4);
        f.j_options = lm_rows_get(&rows, r, 5) ? json_loads(lm_rows_get(&rows, r, 5), 0, &jerr)
                                               : NULL;
        j_value = in->j_custom ? json_object_get(in->j_custom, f.key) : NULL;
        if (!j_value && !creating) {
            json_decref(f.j_options);
            continue; /* untouched on PATCH */
        }
        if (!j_value && f.dflt) {
            j_default = json_loads(f.dflt, JSON_DECODE_ANY, &jerr);
            j_value = j_default;
        }
        msg = lm_cf_check(f.type, f.j_options, f.required, j_value, &v);
        if (msg && j_fields) {
            char name[80];
            snprintf(name, sizeof name, "custom.%s", f.key);
            json_object_set_new(j_fields, name, json_string(msg));
        } else if (!msg && fn) {
            rc = fn(db, lead_id, &f, &v);
        }
        json_decref(j_default);
        json_decref(f.j_options);
    }
    lm_rows_free(&rows);
    return rc;
}

int lm_lead_custom_check(struct lm_db *db, const struct lm_lead_input *in, int creating,
                         json_t *j_fields)
{
    return walk_custom(db, in, creating, j_fields, 0, NULL);
}

static int write_value(struct lm_db *db, long long lead_id, const struct field_def *f,
                       const struct lm_cf_value *v)
{
    char when[32];
    int rc = lm_db_exec(db, SQL_CUSTOM_DELETE, "ii", lead_id, f->id);

    if (rc || v->is_null)
        return rc;
    switch (f->type) {
    case LM_CF_MULTI_SELECT:
        for (int i = 0; i < v->nchoices && !rc; i++)
            rc = lm_db_exec(db, SQL_CUSTOM_INSERT, "iiisss", lead_id, f->id, (long long)i,
                            v->choices[i], NULL, NULL);
        return rc;
    case LM_CF_NUMBER:
    case LM_CF_MONEY:
    case LM_CF_CHECKBOX:
        return lm_db_exec(db, SQL_CUSTOM_INSERT, "iiisss", lead_id, f->id, 0LL, NULL, v->num,
                          NULL);
    case LM_CF_DATE:
    case LM_CF_DATETIME:
        lm_time_sql(v->time, when);
        return lm_db_exec(db, SQL_CUSTOM_INSERT, "iiisss", lead_id, f->id, 0LL, NULL, NULL,
                          when);
    default:
        return lm_db_exec(db, SQL_CUSTOM_INSERT, "iiisss", lead_id, f->id, 0LL, v->text, NULL,
                          NULL);
    }
}

int lm_lead_custom_write(struct lm_db *db, long long lead_id, const struct lm_lead_input *in,
                         int creating)
{
    return walk_custom(db, in, creating, NULL, lead_id, write_value);
}

/* --- writes -------------------------------------------------------------- */

#define LEAD_COLUMNS_SET                                                                   \
    "first_name = ?, last_name = ?, street = NULLIF(?, ''), city = NULLIF(?, ''),"         \
    " region = NULLIF(?, ''), postal_code = NULLIF(?, ''), country = NULLIF(?, ''),"       \
    " incomplete = ?, type_id = NULLIF(?, 0), category_id = NULLIF(?, 0),"                 \
    " priority_id = NULLIF(?, 0), importance_id = NULLIF(?, 0), source_id = NULLIF(?, 0),"  \
    " lost_reason_id = NULLIF(?, 0), status_id = ?, owner_id = NULLIF(?, 0),"              \
    " group_id = NULLIF(?, 0), unit_id = NULLIF(?, 0), probability = ?,"                  \
    " target_amount = ?, expected_completion = ?, duration_value = NULLIF(?, 0),"          \
    " duration_unit = NULLIF(?, '')"
#define LEAD_TYPES "sssssss" "iiiiiiiiiii" "sss" "is"

static const char SQL_INSERT[] =
    "INSERT INTO leads SET " LEAD_COLUMNS_SET ", state = ?, created_by = NULLIF(?, 0)";
static const char SQL_UPDATE[] = "UPDATE leads SET " LEAD_COLUMNS_SET
                                 ", version = version + 1, updated_at = UTC_TIMESTAMP(6)"
                                 " WHERE id = ?";
static const char SQL_DEL_PHONES[] = "DELETE FROM lead_phones WHERE lead_id = ?";
static const char SQL_INS_PHONE[] =
    "INSERT INTO lead_phones (lead_id, position, phone, digits) VALUES (?, ?, ?, ?)";
static const char SQL_DEL_EMAILS[] = "DELETE FROM lead_emails WHERE lead_id = ?";
static const char SQL_INS_EMAIL[] =
    "INSERT INTO lead_emails (lead_id, position, email) VALUES (?, ?, ?)";
static const char SQL_DEL_PRODUCTS[] = "DELETE FROM lead_products WHERE lead_id = ?";
static const char SQL_INS_PRODUCT[] =
    "INSERT INTO lead_products (lead_id, product_id, notes) VALUES (?, ?, NULLIF(?, ''))";
static const char SQL_DEL_TEAM[] = "DELETE FROM lead_team WHERE lead_id = ?";
static const char SQL_INS_TEAM[] = "INSERT INTO lead_team (lead_id, user_id) VALUES (?, ?)";
static const char SQL_DEL_COMPETITORS[] = "DELETE FROM lead_competitors WHERE lead_id = ?";
static const char SQL_INS_COMPETITOR[] =
    "INSERT INTO lead_competitors (lead_id, competitor_id) VALUES (?, ?)";

static int write_children(struct lm_db *db, long long id, const struct lm_lead_input *in)
{
    int rc = LM_OK;

    if (in->present & LM_LF_PHONES) {
        rc = lm_db_exec(db, SQL_DEL_PHONES, "i", id);
        for (int i = 0; !rc && i < in->nphones; i++)
            rc = lm_db_exec(db, SQL_INS_PHONE, "iiss", id, (long long)i, in->phones[i],
                            in->phone_digits[i]);
    }
    if (!rc && (in->present & LM_LF_EMAILS)) {
        rc = lm_db_exec(db, SQL_DEL_EMAILS, "i", id);
        for (int i = 0; !rc && i < in->nemails; i++)
            rc = lm_db_exec(db, SQL_INS_EMAIL, "iis", id, (long long)i, in->emails[i]);
    }
    if (!rc && (in->present & LM_LF_PRODUCTS)) {
        rc = lm_db_exec(db, SQL_DEL_PRODUCTS, "i", id);
        for (int i = 0; !rc && i < in->nproducts; i++)
            rc = lm_db_exec(db, SQL_INS_PRODUCT, "iis", id, in->product_ids[i],
                            in->product_notes[i]);
    }
    if (!rc && (in->present & LM_LF_TEAM)) {
        rc = lm_db_exec(db, SQL_DEL_TEAM, "i", id);
        for (int i = 0; !rc && i < in->nteam; i++)
            rc = lm_db_exec(db, SQL_INS_TEAM, "ii", id, in->team[i]);
    }
    if (!rc && (in->present & LM_LF_COMPETITORS)) {
        rc = lm_db_exec(db, SQL_DEL_COMPETITORS, "i", id);
        for (int i = 0; !rc && i < in->ncompetitors; i++)
            rc = lm_db_exec(db, SQL_INS_COMPETITOR, "ii", id, in->competitors[i]);
    }
    return rc;
}

struct lead_args {
    char probability[12];
    char expected[32];
};

static void prepare_args(const struct lm_lead_input *in, struct lead_args *a)
{
    if (in->probability >= 0)
        snprintf(a->probability, sizeof a->probability, "%d", in->probability);
    else
        a->probability[0] = '\0';
    if (in->expected_completion)
        lm_time_sql(in->expected_completion, a->expected);
    else
        a->expected[0] = '\0';
}

#define LEAD_ARGS(in, a)                                                                   \
    (in)->first_name, (in)->last_name, (in)->street, (in)->city, (in)->region,             \
        (in)->postal_code, (in)->country, (long long)lm_lead_incomplete(in),               \
        (in)->refs[LM_REF_TYPE], (in)->refs[LM_REF_CATEGORY], (in)->refs[LM_REF_PRIORITY], \
        (in)->refs[LM_REF_IMPORTANCE], (in)->refs[LM_REF_SOURCE],                          \
        (in)->refs[LM_REF_LOST_REASON], (in)->refs[LM_REF_STATUS], (in)->refs[LM_REF_OWNER], \
        (in)->refs[LM_REF_GROUP], (in)->refs[LM_REF_UNIT],                                 \
        (a).probability[0] ? (a).probability : NULL,                                       \
        (in)->target_amount[0] ? (in)->target_amount : NULL,                               \
        (a).expected[0] ? (a).expected : NULL, (long long)(in)->duration_value,            \
        (in)->duration_unit

int lm_lead_insert(struct lm_db *db, const struct lm_lead_input *in, long long created_by,
                   long long *id)
{
    struct lead_args a;
    char state[16];
    int rc = lm_status_state(db, in->refs[LM_REF_STATUS], state);

    if (rc)
        return rc;
    prepare_args(in, &a);
    rc = lm_db_exec(db, SQL_INSERT, LEAD_TYPES "si", LEAD_ARGS(in, a), state, created_by);
    if (rc)
        return rc;
    *id = (long long)db->insert_id;
    return write_children(db, *id, in);
}

int lm_lead_update(struct lm_db *db, long long id, const struct lm_lead_input *in)
{
    struct lead_args a;
    int rc;

    prepare_args(in, &a);
    rc = lm_db_exec(db, SQL_UPDATE, LEAD_TYPES "i", LEAD_ARGS(in, a), id);
    if (rc)
        return rc;
    return write_children(db, id, in);
}

static const char SQL_GROUP_RULES[] =
    "SELECT group_id FROM group_rules WHERE"
    " (kind = 'postal_prefix' AND ? <> '' AND ? LIKE CONCAT(value, '%'))"
    " OR (kind = 'region' AND ? <> '' AND value = ?)"
    " OR (kind = 'country' AND ? <> '' AND value = ?)"
    " ORDER BY position, id LIMIT 1";

int lm_lead_group_for_address(struct lm_db *db, const struct lm_lead_input *in,
                              long long *group_id)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_GROUP_RULES, "ssssss", in->postal_code,
                         in->postal_code, in->region, in->region, in->country, in->country);

    *group_id = 0;
    if (rc)
        return rc;
    *group_id = lm_rows_int(&rows, 0, 0, 0);
    lm_rows_free(&rows);
    return LM_OK;
}

static const char SQL_FIRST_STATUS[] =
    "SELECT id FROM statuses WHERE state = ? AND active = 1 ORDER BY position, id LIMIT 1";
static const char SQL_STATUS_STATE[] = "SELECT state FROM statuses WHERE id = ? AND active = 1";

int lm_status_first_of_state(struct lm_db *db, const char *state, long long *status_id)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_FIRST_STATUS, "s", state);

    *status_id = 0;
    if (rc)
        return rc;
    *status_id = lm_rows_int(&rows, 0, 0, 0);
    lm_rows_free(&rows);
    return LM_OK;
}

int lm_status_state(struct lm_db *db, long long status_id, char state[16])
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_STATUS_STATE, "i", status_id);

    if (rc)
        return rc;
    rc = rows.nrows == 1 ? LM_OK : LM_ERR_NOT_FOUND;
    copy(state, 16, lm_rows_get(&rows, 0, 0));
    lm_rows_free(&rows);
    return rc;
}

/* --- history ---------------------------------------------------------------- */

static const char SQL_HISTORY_ADD[] =
    "INSERT INTO lead_history (lead_id, actor_kind, actor_id, action, field, before_value,"
    " after_value, rule) VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?)";

static const char *actor_name(enum lm_actor k)
{
    return k == LM_ACTOR_LEAD ? "lead" : k == LM_ACTOR_SYSTEM ? "system" : "agent";
}

int lm_lead_history_add(struct lm_db *db, long long lead_id, enum lm_actor kind,
                        long long actor_id, const char *action, const char *field,
                        const char *before, const char *after, const char *rule)
{
    return lm_db_exec(db, SQL_HISTORY_ADD, "isisssss", lead_id, actor_name(kind), actor_id,
                      action, field, before, after, rule);
}

/* Keys that are derived or shown twice (an id and its name): not history. */
static const char *const no_history[] = {
    "version", "updated_at", "time_to_completion", "time_overdue", "expected_end",
    "status_color", "incomplete", "type_id", "category_id", "priority_id", "importance_id",
    "source_id", "lost_reason_id", "status_id", "owner", "custom", "created_at", "call_log",
    NULL,
};

static char *value_text(const json_t *j)
{
    if (!j || json_is_null(j))
        return NULL;
    if (json_is_string(j))
        return strdup(json_string_value(j));
    return json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
}

static int diff_key(struct lm_db *db, long long lead_id, enum lm_actor kind, long long actor,
                    const char *action, const char *field, const json_t *j_b, const json_t *j_a)
{
    char *b, *a;
    int rc;

    if ((!j_b || json_is_null(j_b)) && (!j_a || json_is_null(j_a)))
        return LM_OK;
    if (j_b && j_a && json_equal((json_t *)j_b, (json_t *)j_a))
        return LM_OK;
    b = value_text(j_b);
    a = value_text(j_a);
    /* the columns hold 2000 characters: cut between characters */
    if (b && lm_utf8_chars(b) > 2000)
        lm_utf8_truncate(b, strlen(b) + 1, b, 2000);
    if (a && lm_utf8_chars(a) > 2000)
        lm_utf8_truncate(a, strlen(a) + 1, a, 2000);
    rc = lm_lead_history_add(db, lead_id, kind, actor, action, field, b, a, NULL);
    free(b);
    free(a);
    return rc;
}

int lm_lead_history_diff(struct lm_db *db, long long lead_id, enum lm_actor kind,
                         long long actor_id, const char *action, const json_t *j_before,
                         const json_t *j_after)
{
    const char *key;
    json_t *j_a;
    const json_t *j_cb = json_object_get(j_before, "custom");
    const json_t *j_ca = json_object_get(j_after, "custom");
    int rc = LM_OK;

    json_object_foreach((json_t *)j_after, key, j_a)
    {
        int skip = 0;
        for (int i = 0; no_history[i]; i++)
            if (!strcmp(no_history[i], key))
                skip = 1;
        if (!skip)
            rc = diff_key(db, lead_id, kind, actor_id, action, key,
                          json_object_get(j_before, key), j_a);
        if (rc)
            return rc;
    }
    {
        /* the call log's agent-set parts */
        const json_t *j_lb = json_object_get(j_before, "call_log");
        const json_t *j_la = json_object_get(j_after, "call_log");
        rc = diff_key(db, lead_id, kind, actor_id, action, "follow_up_at",
                      json_object_get(j_lb, "follow_up_at"), json_object_get(j_la, "follow_up_at"));
        if (!rc)
            rc = diff_key(db, lead_id, kind, actor_id, action, "call_state",
                          json_object_get(j_lb, "state"), json_object_get(j_la, "state"));
        if (rc)
            return rc;
    }
    json_object_foreach((json_t *)j_ca, key, j_a)
    {
        char field[80];
        snprintf(field, sizeof field, "custom.%s", key);
        rc = diff_key(db, lead_id, kind, actor_id, action, field, json_object_get(j_cb, key),
                      j_a);
        if (rc)
            return rc;
    }
    json_object_foreach((json_t *)j_cb, key, j_a)
    {
        char field[80];
        if (json_object_get(j_ca, key))
            continue;
        snprintf(field, sizeof field, "custom.%s", key);
        rc = diff_key(db, lead_id, kind, actor_id, action, field, j_a, NULL);
        if (rc)
            return rc;
    }
    return rc;
}

static const char SQL_HISTORY[] =
    "SELECT JSON_OBJECT('id', h.id, 'at', " ISO("h.at") ", 'actor_kind', h.actor_kind,"
    " 'actor_id', h.actor_id, 'actor', (SELECT u.name FROM users u WHERE u.id = h.actor_id),"
    " 'action', h.action, 'field', h.field, 'before', h.before_value, 'after', h.after_value,"
    " 'rule', h.rule)"
    " FROM lead_history h WHERE h.lead_id = ? AND h.id < ? ORDER BY h.id DESC LIMIT ?";

static int json_list(struct lm_rows *rows, int limit, json_t **j_out)
{
    json_t *j_items = json_array();
    json_error_t jerr;
    long long last = 0;

    for (unsigned r = 0; r < rows->nrows && (int)r < limit; r++) {
        json_t *j_item = json_loads(lm_rows_get(rows, r, 0), 0, &jerr);
        if (j_item) {
            last = (long long)json_integer_value(json_object_get(j_item, "id"));
            json_array_append_new(j_items, j_item);
        }
    }
    if ((int)rows->nrows > limit) {
        char next[24];
        snprintf(next, sizeof next, "%lld", last);
        *j_out = json_pack("{s:o, s:s}", "items", j_items, "next", next);
    } else {
        *j_out = json_pack("{s:o, s:n}", "items", j_items, "next");
    }
    lm_rows_free(rows);
    return LM_OK;
}

int lm_lead_history_json(struct lm_db *db, long long lead_id, long long before, int limit,
                         json_t **j_out)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_HISTORY, "iii", lead_id,
                         before > 0 ? before : 9223372036854775807LL, (long long)limit + 1);

    if (rc)
        return rc;
    return json_list(&rows, limit, j_out);
}

/* --- search ---------------------------------------------------------------- */

#define SUMMARY_JSON                                                                       \
    "JSON_OBJECT('id', l.id, 'first_name', l.first_name, 'last_name', l.last_name,"        \
    " 'phones', JSON_EXTRACT(COALESCE((SELECT JSON_ARRAYAGG(p.phone ORDER BY p.position)"  \
    "   FROM lead_phones p WHERE p.lead_id = l.id), '[]'), '$'),"                          \
    " 'emails', JSON_EXTRACT(COALESCE((SELECT JSON_ARRAYAGG(e.email ORDER BY e.position)"  \
    "   FROM lead_emails e WHERE e.lead_id = l.id), '[]'), '$'),"                          \
    " 'city', l.city, 'incomplete', " BOOL("l.incomplete") ","                              \
    " 'status_id', l.status_id, 'status', s.name, 'status_color', s.color, 'state', l.state," \
    " 'archived', " BOOL("l.archived_at IS NOT NULL") ","                                   \
    " 'owner_id', l.owner_id, 'owner', (SELECT ow.name FROM users ow WHERE ow.id = l.owner_id)," \
    " 'group_id', l.group_id, 'unit_id', l.unit_id, 'call_state', l.call_state,"         \
    " 'updated_at', " ISO("l.updated_at") ")"

/* Every filter is "(? IS NULL OR condition)" so one prepared statement serves
 * every combination; the id cursor keeps pages stable. */
static const char SQL_SEARCH[] =
    "SELECT " SUMMARY_JSON " FROM leads l JOIN statuses s ON s.id = l.status_id"
    " WHERE l.id < ? AND " ACCESS
    " AND (? IS NULL OR l.last_name LIKE CONCAT(?, '%') OR l.first_name LIKE CONCAT(?, '%')"
    "      OR CONCAT(l.first_name, ' ', l.last_name) LIKE CONCAT(?, '%'))" /* q is escaped */
    " AND (? IS NULL OR EXISTS (SELECT 1 FROM lead_phones p2 WHERE p2.lead_id = l.id"
    "      AND p2.rdigits LIKE CONCAT(REVERSE(?), '%')))"
    " AND (? IS NULL OR EXISTS (SELECT 1 FROM lead_emails e2 WHERE e2.lead_id = l.id"
    "      AND e2.email = ?))"
    " AND (? = 0 OR l.status_id = ?)"
    " AND (? IS NULL OR l.state = ?)"
    " AND (? = 0 OR l.owner_id = ?)"
    " AND (? < 0 OR l.incomplete = ?)"
    " AND (? = 0 OR EXISTS (SELECT 1 FROM lead_custom_values cv WHERE cv.lead_id = l.id"
    "      AND cv.field_id = ? AND cv.value_text = ?))"
    " ORDER BY l.id DESC LIMIT ?";

int lm_lead_search(struct lm_db *db, const struct lm_user *u, const struct lm_lead_filter *f,
                   json_t **j_out)
{
    struct lm_rows rows;
    char q[512];
    int rc;

    if (f->q)
        lm_like_escape(q, sizeof q, f->q);
    rc = lm_db_query(
        db, &rows, SQL_SEARCH, "i" "ssiiii" "ssss" "ss" "ss" "ii" "ss" "ii" "ii" "iis" "i",
        f->before > 0 ? f->before : 9223372036854775807LL, ACCESS_ARGS(u), f->q ? q : NULL,
        f->q ? q : NULL, f->q ? q : NULL, f->q ? q : NULL, f->phone_digits, f->phone_digits, f->email, f->email, f->status_id, f->status_id,
        f->state, f->state, f->owner_id, f->owner_id, (long long)f->incomplete,
        (long long)f->incomplete, f->cf_field_id, f->cf_field_id, f->cf_value,
        (long long)f->limit + 1);

    if (rc)
        return rc;
    return json_list(&rows, f->limit, j_out);
}

static const char SQL_FIELD_ID[] = "SELECT id FROM custom_fields WHERE field_key = ?";

int lm_custom_field_id(struct lm_db *db, const char *key, long long *id)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_FIELD_ID, "s", key);

    if (rc)
        return rc;
    *id = lm_rows_int(&rows, 0, 0, 0);
    rc = rows.nrows == 1 ? LM_OK : LM_ERR_NOT_FOUND;
    lm_rows_free(&rows);
    return rc;
}

/* --- actions ---------------------------------------------------------------- */

static const char SQL_STATE_FOR_UPDATE[] =
    "SELECT state, archived_at IS NOT NULL, COALESCE(owner_id, 0), COALESCE(unit_id, 0),"
    " status_id, version FROM leads WHERE id = ? FOR UPDATE";

int lm_lead_state_for_update(struct lm_db *db, long long id, struct lm_lead_state *s)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_STATE_FOR_UPDATE, "i", id);

    if (rc)
        return rc;
    if (rows.nrows != 1) {
        lm_rows_free(&rows);
        return LM_ERR_NOT_FOUND;
    }
    copy(s->state, sizeof s->state, lm_rows_get(&rows, 0, 0));
    s->archived = (int)lm_rows_int(&rows, 0, 1, 0);
    s->owner_id = lm_rows_int(&rows, 0, 2, 0);
    s->unit_id = lm_rows_int(&rows, 0, 3, 0);
    s->status_id = lm_rows_int(&rows, 0, 4, 0);
    s->version = lm_rows_int(&rows, 0, 5, 0);
    lm_rows_free(&rows);
    return LM_OK;
}

static const char SQL_SET_LIFECYCLE[] =
    "UPDATE leads SET status_id = ?, state = ?,"
    " lost_reason_id = IF(? = 0, lost_reason_id, ?),"
    " actual_completion = IF(? = 1, UTC_TIMESTAMP(6), actual_completion),"
    " archive_reason = CASE ? WHEN 1 THEN ? WHEN -1 THEN NULL ELSE archive_reason END,"
    " archived_at = CASE ? WHEN 1 THEN UTC_TIMESTAMP(6) WHEN -1 THEN NULL ELSE archived_at END,"
    " version = version + 1, updated_at = UTC_TIMESTAMP(6) WHERE id = ?";

int lm_lead_set_lifecycle(struct lm_db *db, long long id, long long status_id,
                          const char *state, long long lost_reason_id, int set_completion,
                          int archive, const char *reason)
{
    return lm_db_exec(db, SQL_SET_LIFECYCLE, "isiiiisii", status_id, state, lost_reason_id,
                      lost_reason_id, (long long)set_completion, (long long)archive, reason,
                      (long long)archive, id);
}

/* status_id is assigned before state, which MariaDB applies left to right. */
static const char SQL_ACCEPT[] =
    "UPDATE leads SET owner_id = ?,"
    " status_id = IF(state = 'new' AND ? <> 0, ?, status_id),"
    " state = IF(state = 'new', 'in_progress', state),"
    " version = version + 1, updated_at = UTC_TIMESTAMP(6)"
    " WHERE id = ? AND archived_at IS NULL AND (owner_id IS NULL OR (owner_id = ? AND state = 'new'))";

int lm_lead_accept(struct lm_db *db, long long id, long long user_id, long long status_id,
                   int *won)
{
    int rc = lm_db_exec(db, SQL_ACCEPT, "iiiii", user_id, status_id, status_id, id, user_id);

    *won = !rc && db->affected == 1;
    return rc;
}

static const char SQL_IN_UNIT[] = "SELECT 1 FROM user_units WHERE user_id = ? AND unit_id = ?";

int lm_user_in_unit(struct lm_db *db, long long user_id, long long unit_id, int *member)
{
    return lm_db_exists(db, member, SQL_IN_UNIT, "ii", user_id, unit_id);
}

static const char SQL_ACCOUNT_CREATE[] =
    "INSERT INTO accounts (lead_id, name, created_by)"
    " SELECT id, TRIM(CONCAT(first_name, ' ', last_name)), ? FROM leads WHERE id = ?";

int lm_account_create(struct lm_db *db, long long lead_id, long long user_id,
                      long long *account_id)
{
    int rc = lm_db_exec(db, SQL_ACCOUNT_CREATE, "ii", user_id, lead_id);

    if (!rc)
        *account_id = (long long)db->insert_id;
    return rc;
}

int lm_lookup_valid(struct lm_db *db, long long id, const char *kind, int *ok)
{
    return lm_db_exists(db, ok, SQL_LOOKUP_OK, "is", id, kind);
}

static const char SQL_VIEWS[] =
    "SELECT JSON_OBJECT('id', a.id, 'user_id', a.user_id, 'user',"
    " (SELECT u.name FROM users u WHERE u.id = a.user_id), 'at', " ISO("a.at") ","
    " 'action', a.action)"
    " FROM audit_log a WHERE a.entity = 'lead' AND a.entity_id = ? AND a.action = 'lead.view'"
    " AND a.id < ?"
    " ORDER BY a.id DESC LIMIT ?";

int lm_lead_views_json(struct lm_db *db, long long lead_id, long long before, int limit,
                       json_t **j_out)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_VIEWS, "iii", lead_id,
                         before > 0 ? before : 9223372036854775807LL, (long long)limit + 1);

    if (rc)
        return rc;
    return json_list(&rows, limit, j_out);
}
