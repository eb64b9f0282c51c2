/* Lead rows in and out of struct lm_lead.
 *
 * DESIGN: the database returns rows and C writes the JSON. A lead is read
 * with two statements: its row (columns named by the field table of
 * domain/lead.c, so nothing here depends on column positions), and its
 * child lists — phones, e-mails, products, team, competitors, custom values,
 * the lead's map and its step values — in one UNION ALL with a kind column.
 * Names of statuses, lookups, products, users and map definitions come from
 * the per-worker cache (store/cache.c). Multi-row writes
 * (child lists, custom values, history) are one INSERT … SELECT FROM
 * JSON_TABLE(?) each, the rows passed as one JSON array, so a statement's
 * count does not depend on how many rows it writes. Access rules are one
 * SQL predicate, ACCESS_OWN, shared by every read. */
#include "store/leads.h"

#include "core/log.h"
#include "core/result.h"
#include "core/crypto.h"
#include "core/time.h"
#include "domain/custom_fields.h"
#include "domain/text.h"
#include "store/access_sql.h"
#include "store/cache.h"
#include "store/touch_sql.h"
#include "store/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

/* --- names from the cache ---------------------------------------------------- */

static const char *n_lookup(long long id)
{
    return lm_cache_lookup_name(id);
}

static const char *n_status(long long id, const char **color)
{
    const struct lm_cache_status *s = lm_cache_status(id);

    *color = s ? s->color : NULL;
    return s ? s->name : NULL;
}

static const char *n_user(long long id)
{
    return lm_cache_user_name(id);
}

static const char *n_product(long long id, int *position)
{
    const struct lm_cache_named *p = lm_cache_product(id);

    *position = p ? p->position : 0;
    return p ? p->name : NULL;
}

static int n_field_at(int i, long long *id, const char **key, int *type)
{
    const struct lm_cache_field *f = lm_cache_field_at(i);

    if (!f)
        return -1;
    *id = f->id;
    *key = f->key;
    *type = f->type;
    return 0;
}

static const struct lm_lead_names cache_names = {
    n_lookup, n_status, n_user, n_product, lm_cache_field_count, n_field_at, lm_cache_maps,
};

const struct lm_lead_names *lm_lead_names_cached(void)
{
    return &cache_names;
}

/* --- the lead row -------------------------------------------------------------- */

/* The row statements, built once from the field table (their addresses are
 * what the statement cache keys on, so they live as long as the process). */
static char SQL_ROW[4096], SQL_ROW_LOCK[4096];

/* Columns of the row, in the field table's order (fields with a column). */
static int append(char *buf, size_t cap, size_t *len, const char *s)
{
    size_t n = strlen(s);

    if (*len + n + 1 > cap)
        return -1;
    memcpy(buf + *len, s, n + 1);
    *len += n;
    return 0;
}

static int columns(char *buf, size_t cap, size_t *len)
{
    int first = 1;

    for (int i = 0; i < lm_lead_nfields; i++) {
        if (!lm_lead_fields[i].column)
            continue;
        if ((!first && append(buf, cap, len, ", ")) ||
            append(buf, cap, len, lm_lead_fields[i].column))
            return -1;
        first = 0;
    }
    return 0;
}

static int build(char *buf, size_t cap, const char *head, const char *tail)
{
    size_t len = 0;

    buf[0] = '\0';
    return append(buf, cap, &len, head) || columns(buf, cap, &len) ||
           append(buf, cap, &len, tail);
}

static int sql_ready;

static int build_sql(void)
{
    int rc = 0;

    if (sql_ready)
        return LM_OK;
    rc |= build(SQL_ROW, sizeof SQL_ROW, "SELECT ", " FROM leads l WHERE l.id = ?");
    rc |= build(SQL_ROW_LOCK, sizeof SQL_ROW_LOCK, "SELECT ",
                " FROM leads l WHERE l.id = ? FOR UPDATE");
    if (rc) {
        lm_log_error("leads: a statement does not fit its buffer");
        return LM_ERR_INTERNAL;
    }
    sql_ready = 1;
    return LM_OK;
}

/* Fills l's row fields from row r of rows, columns from first. */
static void fill_row(struct lm_lead *l, const struct lm_rows *rows, unsigned r, unsigned first)
{
    unsigned c = first;

    for (int i = 0; i < lm_lead_nfields; i++) {
        if (!lm_lead_fields[i].column)
            continue;
        lm_lead_set_cell(l, &lm_lead_fields[i], lm_rows_get(rows, r, c++));
    }
}

/* Child lists: kind, ordering key, up to four values, a second ordering
 * key (a multi-select's seq) and one more value. 'm' is the map the lead is
 * on (track, entered, completed, map version), 'w' its step values
 * (text, number, time, attempts, last attempt) and 'a' the call attempts
 * on them (outcome, note, time, id, by); their definitions come
 * from the settings cache. No ORDER BY: sorting a UNION makes MariaDB write
 * it to a temporary table; fill_children orders the rows. */
static const char SQL_CHILDREN[] =
    "SELECT 'p' AS k, position AS o, phone AS a, digits AS b, NULL AS c, 0 AS s, NULL AS d"
    " FROM lead_phones WHERE lead_id = ?"
    " UNION ALL SELECT 'e', position, email, NULL, NULL, 0, NULL FROM lead_emails"
    "   WHERE lead_id = ?"
    " UNION ALL SELECT 'r', product_id, notes, NULL, NULL, 0, NULL FROM lead_products"
    "   WHERE lead_id = ?"
    " UNION ALL SELECT 't', user_id, NULL, NULL, NULL, 0, NULL FROM lead_team WHERE lead_id = ?"
    " UNION ALL SELECT 'c', competitor_id, NULL, NULL, NULL, 0, NULL FROM lead_competitors"
    "   WHERE lead_id = ?"
    " UNION ALL SELECT 'v', field_id, value_text, value_num, value_time, seq, NULL"
    "   FROM lead_custom_values WHERE lead_id = ?"
    " UNION ALL SELECT 'm', map_id, current_track_id, entered_at, completed_at, map_version,"
    "   NULL FROM lead_maps WHERE lead_id = ?"
    " UNION ALL SELECT 'w', step_id, value_text, value_num, value_time, attempts,"
    "   last_attempt_at FROM lead_step_values WHERE lead_id = ?"
    " UNION ALL SELECT 'a', step_id, outcome, note, at, id, by_user FROM lead_call_attempts"
    "   WHERE lead_id = ?";

static void clear_children(struct lm_lead *l)
{
    l->in.nphones = l->in.nemails = l->in.nproducts = l->in.nteam = l->in.ncompetitors = 0;
    lm_lead_custom_clear(l);
    lm_lead_steps_clear(l);
    memset(&l->map, 0, sizeof l->map);
}

/* Row order for the child lists: kind, then the ordering keys. */
static const struct lm_rows *sort_rows;

static int child_cmp(const void *a, const void *b)
{
    unsigned ra = *(const unsigned *)a, rb = *(const unsigned *)b;
    int k = strcmp(lm_rows_get(sort_rows, ra, 0), lm_rows_get(sort_rows, rb, 0));
    long long oa, ob;

    if (k)
        return k;
    oa = lm_rows_int(sort_rows, ra, 1, 0);
    ob = lm_rows_int(sort_rows, rb, 1, 0);
    if (oa != ob)
        return oa < ob ? -1 : 1;
    oa = lm_rows_int(sort_rows, ra, 5, 0);
    ob = lm_rows_int(sort_rows, rb, 5, 0);
    return oa < ob ? -1 : oa > ob;
}

static int fill_children(struct lm_lead *l, const struct lm_rows *rows)
{
    struct lm_lead_input *in = &l->in;
    unsigned order_small[128], *order = order_small;

    clear_children(l);
    if (rows->nrows > 128 && !(order = malloc(rows->nrows * sizeof *order)))
        return LM_ERR_INTERNAL;
    for (unsigned r = 0; r < rows->nrows; r++)
        order[r] = r;
    sort_rows = rows;
    qsort(order, rows->nrows, sizeof *order, child_cmp);
    for (unsigned i = 0; i < rows->nrows; i++) {
        unsigned r = order[i];
        const char *k = lm_rows_get(rows, r, 0);
        long long o = lm_rows_int(rows, r, 1, 0);
        const char *a = lm_rows_get(rows, r, 2), *b = lm_rows_get(rows, r, 3);
        const char *c = lm_rows_get(rows, r, 4);

        switch (k ? k[0] : 0) {
        case 'p':
            if (in->nphones < LM_LEAD_MAX_PHONES) {
                copy(in->phones[in->nphones], sizeof in->phones[0], a);
                copy(in->phone_digits[in->nphones], sizeof in->phone_digits[0], b);
                in->nphones++;
            }
            break;
        case 'e':
            if (in->nemails < LM_LEAD_MAX_EMAILS)
                copy(in->emails[in->nemails++], sizeof in->emails[0], a);
            break;
        case 'r':
            if (in->nproducts < LM_LEAD_MAX_ITEMS) {
                in->product_ids[in->nproducts] = o;
                copy(in->product_notes[in->nproducts], sizeof in->product_notes[0], a);
                in->nproducts++;
            }
            break;
        case 't':
            if (in->nteam < LM_LEAD_MAX_ITEMS)
                in->team[in->nteam++] = o;
            break;
        case 'c':
            if (in->ncompetitors < LM_LEAD_MAX_ITEMS)
                in->competitors[in->ncompetitors++] = o;
            break;
        case 'v': {
            char iso[LM_ISO_LEN];
            lm_datetime_to_iso(c, iso);
            if (lm_lead_custom_add(l, o, a, b, c ? iso : NULL)) {
                if (order != order_small)
                    free(order);
                return LM_ERR_INTERNAL;
            }
            break;
        }
        case 'm':
            l->map.map_id = o;
            l->map.current_track_id = a ? strtoll(a, NULL, 10) : 0;
            lm_datetime_to_iso(b, l->map.entered_at);
            lm_datetime_to_iso(c, l->map.completed_at);
            l->map.map_version = lm_rows_int(rows, r, 5, 0);
            break;
        case 'a': {
            char iso[LM_ISO_LEN];
            lm_datetime_to_iso(c, iso);
            if (lm_lead_attempt_add(l, lm_rows_int(rows, r, 5, 0), o, a, b, iso,
                                    lm_rows_int(rows, r, 6, 0))) {
                if (order != order_small)
                    free(order);
                return LM_ERR_INTERNAL;
            }
            break;
        }
        case 'w': {
            char iso[LM_ISO_LEN], last[LM_ISO_LEN];
            lm_datetime_to_iso(c, iso);
            lm_datetime_to_iso(lm_rows_get(rows, r, 6), last);
            if (lm_lead_step_add(l, o, a, b, iso, (int)lm_rows_int(rows, r, 5, 0), last)) {
                if (order != order_small)
                    free(order);
                return LM_ERR_INTERNAL;
            }
            break;
        }
        default:
            break;
        }
    }
    if (order != order_small)
        free(order);
    return LM_OK;
}

static int load_children(struct lm_db *db, struct lm_lead *l)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_CHILDREN, "iiiiiiiii", l->id, l->id, l->id, l->id,
                         l->id, l->id, l->id, l->id, l->id);

    if (rc)
        return rc;
    rc = fill_children(l, &rows);
    lm_rows_free(&rows);
    return rc;
}

int lm_lead_load(struct lm_db *db, const struct lm_user *u, long long id, unsigned flags,
                 struct lm_lead *l, int *editable)
{
    struct lm_rows rows;
    int lock = (flags & LM_LOAD_LOCK) != 0, visible = 1, own = 1;
    int rc = build_sql();

    if (editable)
        *editable = 0;
    if (rc)
        return rc;
    rc = lm_db_query(db, &rows, lock ? SQL_ROW_LOCK : SQL_ROW, "i", id);
    if (rc)
        return rc;
    if (rows.nrows != 1) {
        lm_rows_free(&rows);
        return LM_ERR_NOT_FOUND;
    }
    fill_row(l, &rows, 0, 0);
    lm_rows_free(&rows);
    rc = load_children(db, l);
    if (rc)
        return rc;
    /* the access rule of ACCESS, decided in C from the loaded lead (its
     * team is among the child lists) and the user (units from the cache):
     * no subqueries in the row's statement */
    if (u)
        lm_lead_access_of(l, u, &visible, &own);
    if (!visible)
        return LM_ERR_NOT_FOUND;
    if (editable)
        *editable = own;
    return LM_OK;
}

int lm_lead_reload_row(struct lm_db *db, struct lm_lead *l)
{
    struct lm_rows rows;
    int rc = build_sql();

    if (!rc)
        rc = lm_db_query(db, &rows, SQL_ROW, "i", l->id);
    if (rc)
        return rc;
    if (rows.nrows == 1)
        fill_row(l, &rows, 0, 0);
    else
        rc = LM_ERR_NOT_FOUND;
    lm_rows_free(&rows);
    return rc;
}

static const char SQL_ACCESS[] =
    "SELECT " ACCESS_OWN ", " IN_BANK " FROM leads l WHERE l.id = ?";

int lm_lead_access(struct lm_db *db, const struct lm_user *u, long long id, int *visible,
                   int *editable)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_ACCESS, "ssiiii" "i", ACCESS_ARGS(u), id);

    *visible = *editable = 0;
    if (rc)
        return rc;
    if (rows.nrows == 1) {
        *editable = (int)lm_rows_int(&rows, 0, 0, 0);
        *visible = *editable || lm_rows_int(&rows, 0, 1, 0);
    }
    lm_rows_free(&rows);
    return LM_OK;
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
                                 ", version = version + 1, updated_at = UTC_TIMESTAMP(6), "
                                 LM_SQL_TOUCH_SET " WHERE id = ?";

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

/* Child lists: delete, then insert the new rows from one JSON array. */
static const char SQL_DEL_PHONES[] = "DELETE FROM lead_phones WHERE lead_id = ?";
static const char SQL_INS_PHONES[] =
    "INSERT INTO lead_phones (lead_id, position, phone, digits) SELECT ?, j.n - 1, j.a, j.b"
    " FROM JSON_TABLE(?, '$[*]' COLUMNS (n FOR ORDINALITY,"
    " a VARCHAR(40) CHARACTER SET utf8mb4 PATH '$[0]',"
    " b VARCHAR(20) CHARACTER SET utf8mb4 PATH '$[1]')) j";
static const char SQL_DEL_EMAILS[] = "DELETE FROM lead_emails WHERE lead_id = ?";
static const char SQL_INS_EMAILS[] =
    "INSERT INTO lead_emails (lead_id, position, email) SELECT ?, j.n - 1, j.a"
    " FROM JSON_TABLE(?, '$[*]' COLUMNS (n FOR ORDINALITY,"
    " a VARCHAR(254) CHARACTER SET utf8mb4 PATH '$[0]')) j";
static const char SQL_DEL_PRODUCTS[] = "DELETE FROM lead_products WHERE lead_id = ?";
static const char SQL_INS_PRODUCTS[] =
    "INSERT INTO lead_products (lead_id, product_id, notes) SELECT ?, j.id, NULLIF(j.a, '')"
    " FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$[0]',"
    " a VARCHAR(1000) CHARACTER SET utf8mb4 PATH '$[1]')) j";
static const char SQL_DEL_TEAM[] = "DELETE FROM lead_team WHERE lead_id = ?";
static const char SQL_INS_TEAM[] =
    "INSERT INTO lead_team (lead_id, user_id) SELECT ?, j.id"
    " FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) j";
static const char SQL_DEL_COMPETITORS[] = "DELETE FROM lead_competitors WHERE lead_id = ?";
static const char SQL_INS_COMPETITORS[] =
    "INSERT INTO lead_competitors (lead_id, competitor_id) SELECT ?, j.id"
    " FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) j";
static const char SQL_DEL_CUSTOM[] =
    "DELETE FROM lead_custom_values WHERE lead_id = ? AND field_id IN"
    " (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) j)";
static const char SQL_INS_CUSTOM[] =
    "INSERT INTO lead_custom_values (lead_id, field_id, seq, value_text, value_num, value_time)"
    " SELECT ?, j.id, j.seq, j.t, j.num, j.tm FROM JSON_TABLE(?, '$[*]' COLUMNS ("
    " id BIGINT UNSIGNED PATH '$.f', seq SMALLINT UNSIGNED PATH '$.s',"
    " t VARCHAR(4000) CHARACTER SET utf8mb4 PATH '$.t', num DECIMAL(20,4) PATH '$.n',"
    " tm DATETIME(6) PATH '$.d')) j";

/* Runs del (unless skip_delete) and, when j_rows has any, ins with them. */
static int replace_rows(struct lm_db *db, long long id, const char *del, const char *ins,
                        json_t *j_rows, int skip_delete)
{
    char *text;
    int rc = skip_delete ? LM_OK : lm_db_exec(db, del, "i", id);

    if (rc || !json_array_size(j_rows))
        return rc;
    text = json_dumps(j_rows, JSON_COMPACT);
    if (!text)
        return LM_ERR_INTERNAL;
    rc = lm_db_exec(db, ins, "is", id, text);
    free(text);
    return rc;
}

static int same_ids(const long long *a, int na, const long long *b, int nb)
{
    if (na != nb)
        return 0;
    for (int i = 0; i < na; i++) {
        int found = 0;
        for (int k = 0; k < nb && !found; k++)
            found = a[i] == b[k];
        if (!found)
            return 0;
    }
    return 1;
}

static int same_products(const struct lm_lead_input *a, const struct lm_lead_input *b)
{
    if (a->nproducts != b->nproducts)
        return 0;
    for (int i = 0; i < a->nproducts; i++) {
        int found = 0;
        for (int k = 0; k < b->nproducts && !found; k++)
            found = a->product_ids[i] == b->product_ids[k] &&
                    !strcmp(a->product_notes[i], b->product_notes[k]);
        if (!found)
            return 0;
    }
    return 1;
}

static int same_strings(const char (*a)[41], int na, const char (*b)[41], int nb)
{
    if (na != nb)
        return 0;
    for (int i = 0; i < na; i++)
        if (strcmp(a[i], b[i]))
            return 0;
    return 1;
}

/* Writes the child lists of after that differ from before (all of them
 * when before is NULL: a new lead, nothing to delete). */
static int write_children(struct lm_db *db, const struct lm_lead *before,
                          const struct lm_lead *after)
{
    const struct lm_lead_input *in = &after->in, *was = before ? &before->in : NULL;
    long long id = after->id;
    int fresh = before == NULL, rc = LM_OK;
    json_t *j;

    if (fresh || !same_strings(in->phones, in->nphones, was->phones, was->nphones)) {
        j = json_array();
        for (int i = 0; i < in->nphones; i++)
            json_array_append_new(j, json_pack("[s,s]", in->phones[i], in->phone_digits[i]));
        rc = replace_rows(db, id, SQL_DEL_PHONES, SQL_INS_PHONES, j, fresh);
        json_decref(j);
    }
    if (!rc && (fresh || in->nemails != was->nemails ||
                memcmp(in->emails, was->emails, (size_t)in->nemails * sizeof in->emails[0]))) {
        int differ = fresh || in->nemails != was->nemails;
        for (int i = 0; !differ && i < in->nemails; i++)
            differ = strcmp(in->emails[i], was->emails[i]) != 0;
        if (differ) {
            j = json_array();
            for (int i = 0; i < in->nemails; i++)
                json_array_append_new(j, json_pack("[s]", in->emails[i]));
            rc = replace_rows(db, id, SQL_DEL_EMAILS, SQL_INS_EMAILS, j, fresh);
            json_decref(j);
        }
    }
    if (!rc && (fresh || !same_products(in, was))) {
        j = json_array();
        for (int i = 0; i < in->nproducts; i++)
            json_array_append_new(j, json_pack("[I,s]", (json_int_t)in->product_ids[i],
                                               in->product_notes[i]));
        rc = replace_rows(db, id, SQL_DEL_PRODUCTS, SQL_INS_PRODUCTS, j, fresh);
        json_decref(j);
    }
    if (!rc && (fresh || !same_ids(in->team, in->nteam, was->team, was->nteam))) {
        j = json_array();
        for (int i = 0; i < in->nteam; i++)
            json_array_append_new(j, json_integer(in->team[i]));
        rc = replace_rows(db, id, SQL_DEL_TEAM, SQL_INS_TEAM, j, fresh);
        json_decref(j);
    }
    if (!rc && (fresh || !same_ids(in->competitors, in->ncompetitors, was->competitors,
                                   was->ncompetitors))) {
        j = json_array();
        for (int i = 0; i < in->ncompetitors; i++)
            json_array_append_new(j, json_integer(in->competitors[i]));
        rc = replace_rows(db, id, SQL_DEL_COMPETITORS, SQL_INS_COMPETITORS, j, fresh);
        json_decref(j);
    }
    return rc;
}

static int same_custom(const struct lm_lead *a, const struct lm_lead *b, long long field_id)
{
    int ia = 0, ib = 0;

    for (;;) {
        while (ia < a->ncustom && a->custom[ia].field_id != field_id)
            ia++;
        while (ib < b->ncustom && b->custom[ib].field_id != field_id)
            ib++;
        if (ia == a->ncustom || ib == b->ncustom)
            return ia == a->ncustom && ib == b->ncustom;
        if (strcmp(a->custom[ia].text ? a->custom[ia].text : "\1",
                   b->custom[ib].text ? b->custom[ib].text : "\1") ||
            strcmp(a->custom[ia].num, b->custom[ib].num) ||
            strcmp(a->custom[ia].time, b->custom[ib].time))
            return 0;
        ia++;
        ib++;
    }
}

/* Custom values: the fields whose values differ are deleted and written
 * again, all in two statements. */
static int write_custom(struct lm_db *db, const struct lm_lead *before,
                        const struct lm_lead *after)
{
    json_t *j_fields = json_array(), *j_rows = json_array();
    int rc = LM_OK;

    for (int i = 0; i < lm_cache_field_count(); i++) {
        const struct lm_cache_field *f = lm_cache_field_at(i);
        int seq = 0;

        if (before && same_custom(before, after, f->id))
            continue;
        if (before)
            json_array_append_new(j_fields, json_integer(f->id));
        for (int k = 0; k < after->ncustom; k++) {
            const struct lm_lead_custom *c = &after->custom[k];
            json_t *j_row;
            if (c->field_id != f->id)
                continue;
            j_row = json_pack("{s:I, s:i}", "f", (json_int_t)f->id, "s", seq++);
            if (c->text)
                json_object_set_new(j_row, "t", json_string(c->text));
            if (c->num[0])
                json_object_set_new(j_row, "n", json_string(c->num));
            if (c->time[0]) {
                char when[32];
                long long t = 0;
                lm_time_parse_iso(c->time, &t);
                lm_time_sql(t, when);
                json_object_set_new(j_row, "d", json_string(when));
            }
            json_array_append_new(j_rows, j_row);
        }
    }
    if (json_array_size(j_fields)) {
        char *text = json_dumps(j_fields, JSON_COMPACT);
        rc = text ? lm_db_exec(db, SQL_DEL_CUSTOM, "is", after->id, text) : LM_ERR_INTERNAL;
        free(text);
    }
    if (!rc)
        rc = replace_rows(db, after->id, NULL, SQL_INS_CUSTOM, j_rows, 1);
    json_decref(j_fields);
    json_decref(j_rows);
    return rc;
}

int lm_lead_insert(struct lm_db *db, struct lm_lead *l, long long created_by)
{
    struct lead_args a;
    const struct lm_cache_status *s = lm_cache_status(l->in.refs[LM_REF_STATUS]);
    int rc;

    if (!s)
        return LM_ERR_PARAM;
    prepare_args(&l->in, &a);
    rc = lm_db_exec(db, SQL_INSERT, LEAD_TYPES "si", LEAD_ARGS(&l->in, a), s->state, created_by);
    if (rc)
        return rc;
    l->id = (long long)db->insert_id;
    rc = write_children(db, NULL, l);
    if (!rc)
        rc = write_custom(db, NULL, l);
    return rc;
}

int lm_lead_write(struct lm_db *db, const struct lm_lead *before, struct lm_lead *after)
{
    struct lead_args a;
    int rc;

    prepare_args(&after->in, &a);
    rc = lm_db_exec(db, SQL_UPDATE, LEAD_TYPES "i", LEAD_ARGS(&after->in, a), after->id);
    if (!rc)
        rc = write_children(db, before, after);
    if (!rc)
        rc = write_custom(db, before, after);
    return rc;
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

/* --- history ---------------------------------------------------------------- */

static const char SQL_HISTORY_ADD[] =
    "INSERT INTO lead_history (lead_id, actor_kind, actor_id, action, field, before_value,"
    " after_value, rule) VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?)";
static const char SQL_HISTORY_MANY[] =
    "INSERT INTO lead_history (lead_id, actor_kind, actor_id, action, field, before_value,"
    " after_value) SELECT ?, ?, NULLIF(?, 0), ?, j.f, j.b, j.a FROM JSON_TABLE(?, '$[*]'"
    " COLUMNS (n FOR ORDINALITY, f VARCHAR(64) CHARACTER SET utf8mb4 PATH '$.f',"
    " b VARCHAR(2000) CHARACTER SET utf8mb4 PATH '$.b',"
    " a VARCHAR(2000) CHARACTER SET utf8mb4 PATH '$.a')) j ORDER BY j.n";

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

int lm_lead_history_write(struct lm_db *db, long long lead_id, enum lm_actor kind,
                          long long actor_id, const char *action,
                          const struct lm_history_rows *h)
{
    json_t *j = json_array();
    char *text;
    int rc;

    if (!h->n) {
        json_decref(j);
        return LM_OK;
    }
    for (int i = 0; i < h->n; i++) {
        json_t *j_row = json_pack("{s:s}", "f", h->rows[i].field);
        if (h->rows[i].before)
            json_object_set_new(j_row, "b", json_string(h->rows[i].before));
        if (h->rows[i].after)
            json_object_set_new(j_row, "a", json_string(h->rows[i].after));
        json_array_append_new(j, j_row);
    }
    text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!text)
        return LM_ERR_INTERNAL;
    rc = lm_db_exec(db, SQL_HISTORY_MANY, "isiss", lead_id, actor_name(kind), actor_id, action,
                    text);
    free(text);
    return rc;
}

static const char SQL_HISTORY[] =
    "SELECT h.id, h.at, h.actor_kind, h.actor_id, h.action, h.field, h.before_value,"
    " h.after_value, h.rule FROM lead_history h WHERE h.lead_id = ? AND h.id < ?"
    " ORDER BY h.id DESC LIMIT ?";

static json_t *text_json(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *time_json(const char *sql)
{
    char iso[LM_ISO_LEN];

    if (!sql)
        return json_null();
    lm_datetime_to_iso(sql, iso);
    return json_string(iso);
}

static json_t *id_json(const struct lm_rows *rows, unsigned r, unsigned c)
{
    return lm_rows_get(rows, r, c) ? json_integer(lm_rows_int(rows, r, c, 0)) : json_null();
}

/* {"items", "next"} from rows whose column 0 is the id cursor. */
static json_t *page(json_t *j_items, const struct lm_rows *rows, int limit)
{
    if ((int)rows->nrows > limit) {
        char next[24];
        snprintf(next, sizeof next, "%lld", lm_rows_int(rows, (unsigned)limit - 1, 0, 0));
        return json_pack("{s:o, s:s}", "items", j_items, "next", next);
    }
    return json_pack("{s:o, s:n}", "items", j_items, "next");
}

int lm_lead_history_json(struct lm_db *db, long long lead_id, long long before, int limit,
                         json_t **j_out)
{
    struct lm_rows rows;
    json_t *j_items;
    int rc = lm_db_query(db, &rows, SQL_HISTORY, "iii", lead_id,
                         before > 0 ? before : 9223372036854775807LL, (long long)limit + 1);

    if (rc)
        return rc;
    j_items = json_array();
    for (unsigned r = 0; r < rows.nrows && (int)r < limit; r++) {
        long long actor = lm_rows_int(&rows, r, 3, 0);
        json_array_append_new(
            j_items,
            json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                      (json_int_t)lm_rows_int(&rows, r, 0, 0), "at",
                      time_json(lm_rows_get(&rows, r, 1)), "actor_kind",
                      text_json(lm_rows_get(&rows, r, 2)), "actor_id", id_json(&rows, r, 3),
                      "actor", text_json(actor ? lm_cache_user_name(actor) : NULL), "action",
                      text_json(lm_rows_get(&rows, r, 4)), "field",
                      text_json(lm_rows_get(&rows, r, 5)), "before",
                      text_json(lm_rows_get(&rows, r, 6)), "after",
                      text_json(lm_rows_get(&rows, r, 7)), "rule",
                      text_json(lm_rows_get(&rows, r, 8))));
    }
    *j_out = page(j_items, &rows, limit);
    lm_rows_free(&rows);
    return *j_out ? LM_OK : LM_ERR_INTERNAL;
}

/* --- search ---------------------------------------------------------------- */

/* Phones and e-mails of a page of leads, in one round trip. */
static const char SQL_LIST_CHILDREN[] =
    "SELECT 'p' AS k, lead_id, position, phone FROM lead_phones WHERE lead_id IN"
    " (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) j)"
    " UNION ALL SELECT 'e', lead_id, position, email FROM lead_emails WHERE lead_id IN"
    " (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) j)"
    " ORDER BY 2, 1, 3"; /* by lead (each lead's rows are found by id) */

/* DESIGN: a search statement is assembled from fixed fragments: the driver
 * (candidate ids from the index that fits the most selective text filter —
 * e-mail prefix, phone digits, name prefix — else the leads table itself),
 * the keyset of the sort, the access rule, one fragment per filter given,
 * the order and the limit. Only values are bound, never spliced. Each
 * assembled text is kept (the statement cache is keyed by the text's
 * address); the shapes are few in practice (which filters are on, the
 * sort), and past SHAPES_MAX the oldest is dropped, its statement closed
 * first, so no query string can grow the table or break it. The sort
 * keys of each row come back as two extra columns for the next cursor.
 *
 * The follow-up sort puts leads with no follow-up last: a page reads the
 * dated leads in (follow_up_at, id) order and, when they run out, the
 * undated ones in id order (a second statement); the cursor says which. */
#define SHAPES_MAX 256
static struct {
    unsigned long hash;
    char *sql;
} shapes[SHAPES_MAX];
static int nshapes, next_victim;

/* The kept text equal to sql. When the table is full, the oldest shape
 * makes room: its statement is closed first (db is the process's one
 * connection that runs searches), so the cache never holds a freed text. */
static const char *intern(struct lm_db *db, const char *sql)
{
    unsigned long h = 5381;
    int i;

    for (const char *p = sql; *p; p++)
        h = h * 33 + (unsigned char)*p;
    for (i = 0; i < nshapes; i++)
        if (shapes[i].hash == h && !strcmp(shapes[i].sql, sql))
            return shapes[i].sql;
    if (nshapes < SHAPES_MAX) {
        i = nshapes;
    } else {
        i = next_victim;
        if (lm_db_forget(db, shapes[i].sql))
            return NULL;
        free(shapes[i].sql);
        shapes[i].sql = NULL;
        next_victim = (next_victim + 1) % SHAPES_MAX;
    }
    shapes[i].sql = strdup(sql);
    if (!shapes[i].sql) {
        /* a hole in a full table: move the last shape into it */
        if (i < nshapes && nshapes == SHAPES_MAX)
            shapes[i] = shapes[--nshapes];
        return NULL;
    }
    shapes[i].hash = h;
    if (i == nshapes)
        nshapes++;
    return shapes[i].sql;
}

#define QB_MAX_ARGS 120
struct qb {
    char sql[12288];
    size_t len;
    char types[QB_MAX_ARGS + 1];
    struct lm_db_arg args[QB_MAX_ARGS];
    int n, err;
};

static void qb_sql(struct qb *b, const char *s)
{
    if (append(b->sql, sizeof b->sql, &b->len, s))
        b->err = 1;
}

static void qb_arg(struct qb *b, char type, long long i, const char *s)
{
    if (b->n >= QB_MAX_ARGS) {
        b->err = 1;
        return;
    }
    b->types[b->n] = type;
    b->args[b->n].i = i;
    b->args[b->n].s = s;
    b->types[++b->n] = '\0';
}

static void qb_i(struct qb *b, long long v)
{
    qb_arg(b, 'i', v, NULL);
}

static void qb_s(struct qb *b, const char *v)
{
    qb_arg(b, 's', 0, v);
}

/* " AND <fragment>" with one id bound, when id is set. */
static void qb_id(struct qb *b, const char *fragment, long long id)
{
    if (id > 0) {
        qb_sql(b, fragment);
        qb_i(b, id);
    }
}

static void qb_text(struct qb *b, const char *fragment, const char *v)
{
    if (v) {
        qb_sql(b, fragment);
        qb_s(b, v);
    }
}

/* The text filters, LIKE-escaped, and the first word of the name (the name
 * driver's key: "Ann Smi" is driven by "Ann", then the whole-name filter). */
struct search_text {
    char q[512], word[512], email[512];
};

static void search_text_of(const struct lm_lead_filter *f, struct search_text *t)
{
    t->q[0] = t->word[0] = t->email[0] = '\0';
    if (f->q) {
        lm_like_escape(t->q, sizeof t->q, f->q);
        snprintf(t->word, sizeof t->word, "%.*s", (int)strcspn(t->q, " "), t->q);
    }
    if (f->email)
        lm_like_escape(t->email, sizeof t->email, f->email);
}

/* Everything after the driver: the sort's keyset, the access rule and the
 * filters given (" AND …" each). */
static void search_where(struct qb *b, const struct lm_user *u, const struct lm_lead_filter *f,
                         const struct search_text *t, int undated,
                         const struct lm_lead_cursor *cur)
{
    /* the keyset: after the previous page's last lead */
    if (f->sort == LM_SORT_FOLLOW_UP)
        qb_sql(b, undated ? " AND l.follow_up_at IS NULL" : " AND l.follow_up_at IS NOT NULL");
    if (cur && cur->set) {
        switch (f->sort) {
        case LM_SORT_CREATED:
            qb_sql(b, " AND l.id < ?");
            qb_i(b, cur->id);
            break;
        case LM_SORT_UPDATED:
            qb_sql(b, " AND (l.updated_at < ? OR (l.updated_at = ? AND l.id < ?))");
            qb_s(b, cur->k1);
            qb_s(b, cur->k1);
            qb_i(b, cur->id);
            break;
        case LM_SORT_NAME:
            qb_sql(b, " AND (l.last_name > ? OR (l.last_name = ? AND (l.first_name > ?"
                      " OR (l.first_name = ? AND l.id > ?))))");
            qb_s(b, cur->k1);
            qb_s(b, cur->k1);
            qb_s(b, cur->k2);
            qb_s(b, cur->k2);
            qb_i(b, cur->id);
            break;
        case LM_SORT_FOLLOW_UP:
            if (undated) {
                qb_sql(b, " AND l.id > ?");
            } else {
                qb_sql(b, " AND (l.follow_up_at > ? OR (l.follow_up_at = ? AND l.id > ?))");
                qb_s(b, cur->k1);
                qb_s(b, cur->k1);
            }
            qb_i(b, cur->id);
            break;
        }
    }
    /* who may see: the access rule every list uses */
    qb_sql(b, " AND l.merged_into IS NULL AND " ACCESS); /* merged-away leads are gone */
    qb_s(b, lm_role_name(u->role));
    qb_s(b, lm_role_name(u->role));
    qb_i(b, u->group_id);
    qb_i(b, u->id);
    qb_i(b, u->id);
    qb_i(b, u->id);
    /* the filters given */
    if (f->q) {
        qb_sql(b, " AND (l.last_name LIKE CONCAT(?, '%') OR l.first_name LIKE CONCAT(?, '%')"
                  " OR CONCAT(l.first_name, ' ', l.last_name) LIKE CONCAT(?, '%'))");
        qb_s(b, t->q);
        qb_s(b, t->q);
        qb_s(b, t->q);
    }
    if (f->phone_digits && f->email)
        qb_text(b, " AND EXISTS (SELECT 1 FROM lead_phones p2 WHERE p2.lead_id = l.id"
                   " AND p2.rdigits LIKE CONCAT(REVERSE(?), '%'))",
                f->phone_digits);
    qb_id(b, " AND l.status_id = ?", f->status_id);
    qb_text(b, " AND l.state = ?", f->state);
    qb_id(b, " AND l.owner_id = ?", f->owner_id);
    qb_id(b, " AND l.type_id = ?", f->type_id);
    qb_id(b, " AND l.source_id = ?", f->source_id);
    qb_id(b, " AND l.group_id = ?", f->group_id);
    qb_id(b, " AND l.unit_id = ?", f->unit_id);
    if (f->incomplete >= 0) {
        qb_sql(b, " AND l.incomplete = ?");
        qb_i(b, f->incomplete);
    }
    if (f->archived >= 0)
        qb_sql(b, f->archived ? " AND l.archived_at IS NOT NULL" : " AND l.archived_at IS NULL");
    qb_text(b, " AND l.call_state = ?", f->call_state);
    if (f->map_id > 0) {
        qb_sql(b, " AND EXISTS (SELECT 1 FROM lead_maps lm WHERE lm.lead_id = l.id"
                  " AND lm.map_id = ?");
        qb_i(b, f->map_id);
        qb_id(b, " AND lm.current_track_id = ?", f->track_id);
        qb_sql(b, ")");
    }
    qb_text(b, " AND l.created_at >= ?", f->created_from);
    qb_text(b, " AND l.created_at < ?", f->created_to);
    qb_text(b, " AND l.updated_at >= ?", f->updated_from);
    qb_text(b, " AND l.updated_at < ?", f->updated_to);
    for (int i = 0; i < f->ncf; i++) {
        const struct lm_lead_cf_filter *c = &f->cf[i];
        qb_sql(b, " AND EXISTS (SELECT 1 FROM lead_custom_values cv WHERE cv.lead_id = l.id"
                  " AND cv.field_id = ?");
        qb_i(b, c->field_id);
        qb_text(b, " AND cv.value_text = ?", c->text);
        qb_text(b, " AND cv.value_num >= CAST(? AS DECIMAL(20,4))", c->num_min);
        qb_text(b, " AND cv.value_num <= CAST(? AS DECIMAL(20,4))", c->num_max);
        qb_text(b, " AND cv.value_time >= ?", c->time_min);
        qb_text(b, " AND cv.value_time <= ?", c->time_max);
        qb_sql(b, ")");
    }
}

static void search_order(struct qb *b, const struct lm_lead_filter *f, int undated)
{
    switch (f->sort) {
    case LM_SORT_CREATED: qb_sql(b, " ORDER BY l.id DESC"); break;
    case LM_SORT_UPDATED: qb_sql(b, " ORDER BY l.updated_at DESC, l.id DESC"); break;
    case LM_SORT_NAME: qb_sql(b, " ORDER BY l.last_name, l.first_name, l.id"); break;
    case LM_SORT_FOLLOW_UP:
        qb_sql(b, undated ? " ORDER BY l.id" : " ORDER BY l.follow_up_at, l.id");
        break;
    }
}

static void search_sql(struct qb *b, const struct lm_user *u, const struct lm_lead_filter *f,
                       const struct search_text *t, int undated,
                       const struct lm_lead_cursor *cur, int limit)
{
    static const char *const keys[] = {
        [LM_SORT_CREATED] = ", NULL AS k1, NULL AS k2",
        [LM_SORT_UPDATED] = ", l.updated_at AS k1, NULL AS k2",
        [LM_SORT_NAME] = ", l.last_name AS k1, l.first_name AS k2",
        [LM_SORT_FOLLOW_UP] = ", l.follow_up_at AS k1, NULL AS k2",
    };

    b->len = 0;
    b->n = b->err = 0;
    b->types[0] = '\0';
    qb_sql(b, "SELECT ");
    if (columns(b->sql, sizeof b->sql, &b->len))
        b->err = 1;
    qb_sql(b, keys[f->sort]);
    if (f->q && !f->email && !f->phone_digits && f->sort == LM_SORT_NAME) {
        /* a name in name order: each name index read in that order, every
         * filter applied inside, a page from each, merged — a page's worth
         * of rows, not every match */
        static const char *const by[] = {"l.last_name", "l.first_name"};
        qb_sql(b, " FROM (");
        for (int i = 0; i < 2; i++) {
            qb_sql(b, i ? " UNION (SELECT l.id FROM leads l WHERE " : "(SELECT l.id FROM leads l WHERE ");
            qb_sql(b, by[i]);
            qb_sql(b, " LIKE CONCAT(?, '%')");
            qb_s(b, t->word);
            search_where(b, u, f, t, undated, cur);
            search_order(b, f, undated);
            qb_sql(b, " LIMIT ?)");
            qb_i(b, limit);
        }
        qb_sql(b, ") c JOIN leads l ON l.id = c.id");
        search_order(b, f, undated);
        qb_sql(b, " LIMIT ?");
        qb_i(b, limit);
        return;
    }
    /* the driver */
    if (f->email) {
        qb_sql(b, " FROM (SELECT DISTINCT lead_id AS id FROM lead_emails"
                  " WHERE email LIKE CONCAT(?, '%')) c JOIN leads l ON l.id = c.id WHERE 1 = 1");
        qb_s(b, t->email);
    } else if (f->phone_digits) {
        qb_sql(b, " FROM (SELECT DISTINCT lead_id AS id FROM lead_phones"
                  " WHERE rdigits LIKE CONCAT(REVERSE(?), '%')) c JOIN leads l ON l.id = c.id"
                  " WHERE 1 = 1");
        qb_s(b, f->phone_digits);
    } else if (f->q) {
        qb_sql(b, " FROM (SELECT id FROM leads WHERE last_name LIKE CONCAT(?, '%')"
                  " UNION SELECT id FROM leads WHERE first_name LIKE CONCAT(?, '%')) c"
                  " JOIN leads l ON l.id = c.id WHERE 1 = 1");
        qb_s(b, t->word);
        qb_s(b, t->word);
    } else {
        qb_sql(b, " FROM leads l WHERE 1 = 1");
    }
    search_where(b, u, f, t, undated, cur);
    search_order(b, f, undated);
    qb_sql(b, " LIMIT ?");
    qb_i(b, limit);
}

/* One page of rows: up to limit + 1 (the extra one says there is more),
 * in one part, or two for the follow-up sort (dated, then undated). */
struct search_page {
    struct lm_rows part[2];
    int nparts;
    unsigned n;
};

static void search_page_free(struct search_page *p)
{
    for (int i = 0; i < p->nparts; i++)
        lm_rows_free(&p->part[i]);
    p->nparts = 0;
    p->n = 0;
}

/* Row i of the page: its part and its row in that part. */
static const struct lm_rows *page_row(const struct search_page *p, unsigned i, unsigned *r)
{
    if (p->nparts > 1 && i >= p->part[0].nrows) {
        *r = i - p->part[0].nrows;
        return &p->part[1];
    }
    *r = i;
    return &p->part[0];
}

static int run_search(struct lm_db *db, const struct lm_user *u, const struct lm_lead_filter *f,
                      int undated, const struct lm_lead_cursor *cur, int limit,
                      struct lm_rows *rows)
{
    struct search_text t;
    struct qb *b = malloc(sizeof *b);
    const char *sql;
    int rc;

    if (!b)
        return LM_ERR_INTERNAL;
    search_text_of(f, &t);
    search_sql(b, u, f, &t, undated, cur, limit);
    sql = b->err ? NULL : intern(db, b->sql);
    if (b->err)
        lm_log_error("leads: a search statement does not fit its buffer");
    rc = sql ? lm_db_query_args(db, rows, sql, b->types, b->args) : LM_ERR_INTERNAL;
    free(b);
    return rc;
}

static int search_page(struct lm_db *db, const struct lm_user *u, const struct lm_lead_filter *f,
                       struct search_page *p)
{
    int want = f->limit + 1, rc;
    int undated = f->sort == LM_SORT_FOLLOW_UP && f->after.set && f->after.undated;

    memset(p, 0, sizeof *p);
    rc = run_search(db, u, f, undated, &f->after, want, &p->part[0]);
    if (rc)
        return rc;
    p->nparts = 1;
    p->n = p->part[0].nrows;
    if (f->sort == LM_SORT_FOLLOW_UP && !undated && (int)p->n < want) {
        rc = run_search(db, u, f, 1, NULL, want - (int)p->n, &p->part[1]);
        if (rc) {
            search_page_free(p);
            return rc;
        }
        p->nparts = 2;
        p->n += p->part[1].nrows;
    }
    return LM_OK;
}

/* The cursor after row i of the page. */
static void cursor_at(const struct search_page *p, enum lm_lead_sort sort, unsigned i,
                      struct lm_lead_cursor *c)
{
    unsigned r;
    const struct lm_rows *rows = page_row(p, i, &r);
    const char *k1 = lm_rows_get(rows, r, rows->ncols - 2);
    const char *k2 = lm_rows_get(rows, r, rows->ncols - 1);

    memset(c, 0, sizeof *c);
    c->set = 1;
    c->id = lm_rows_int(rows, r, 0, 0);
    /* follow-up: the row is undated when it came from the second part, or
     * when the page started among the undated (one part, no key) */
    c->undated = sort == LM_SORT_FOLLOW_UP && (rows == &p->part[1] || k1 == NULL);
    copy(c->k1, sizeof c->k1, k1);
    copy(c->k2, sizeof c->k2, k2);
}

/* A DATETIME(6) cell as MariaDB writes it, and nothing else. */
static int datetime_text_valid(const char *s)
{
    long long t;

    return strlen(s) <= 26 && !strchr(s, 'T') && !strchr(s, 'Z') && !lm_time_parse_iso(s, &t);
}

/* The cursor's text before base64url: "sort undated id len(k1)" as
 * decimal fields ended by '|', then k1 and k2 back to back (lengths, not
 * separators, so a name may hold any byte). */
void lm_lead_cursor_encode(enum lm_lead_sort sort, const struct lm_lead_cursor *c, char *out,
                           size_t outlen)
{
    char text[900];
    int n = snprintf(text, sizeof text, "%d|%d|%lld|%zu|%s%s", (int)sort, c->undated, c->id,
                     strlen(c->k1), c->k1, c->k2);

    if (n < 0 || (size_t)n >= sizeof text || lm_b64url_encode(text, (size_t)n, out, outlen))
        out[0] = '\0';
}

int lm_lead_cursor_decode(const char *in, enum lm_lead_sort sort, struct lm_lead_cursor *c)
{
    char text[900], *p, *end = NULL;
    long long v[4];
    int n = strlen(in) >= LM_LEAD_CURSOR_LEN ? -1 : lm_b64url_decode(in, text, sizeof text - 1);
    size_t rest;

    memset(c, 0, sizeof *c);
    if (n < 0)
        return -1;
    text[n] = '\0';
    if ((int)strlen(text) != n) /* a NUL inside */
        return -1;
    p = text;
    for (int i = 0; i < 4; i++) {
        if (*p < '0' || *p > '9')
            return -1;
        v[i] = strtoll(p, &end, 10);
        if (*end != '|' || v[i] < 0)
            return -1;
        p = end + 1;
    }
    rest = strlen(p);
    if (v[0] != (long long)sort || v[1] > 1 || v[2] <= 0 || (size_t)v[3] > rest ||
        (size_t)v[3] >= sizeof c->k1 || rest - (size_t)v[3] >= sizeof c->k2)
        return -1;
    c->undated = (int)v[1];
    c->id = v[2];
    memcpy(c->k1, p, (size_t)v[3]);
    c->k1[v[3]] = '\0';
    copy(c->k2, sizeof c->k2, p + v[3]);
    if ((sort == LM_SORT_UPDATED || (sort == LM_SORT_FOLLOW_UP && !c->undated)) &&
        !datetime_text_valid(c->k1))
        return -1;
    c->set = 1;
    return 0;
}

void lm_lead_filter_init(struct lm_lead_filter *f)
{
    memset(f, 0, sizeof *f);
    f->incomplete = f->archived = -1;
    f->sort = LM_SORT_CREATED;
    f->limit = 50;
}

/* The page's ids as a JSON array text (for the JSON_TABLE of the child
 * statements), NULL when out of memory. */
static char *page_ids(const struct search_page *p, unsigned n)
{
    json_t *j_ids = json_array();
    char *ids;

    for (unsigned i = 0; i < n; i++) {
        unsigned r;
        const struct lm_rows *rows = page_row(p, i, &r);
        json_array_append_new(j_ids, json_integer(lm_rows_int(rows, r, 0, 0)));
    }
    ids = json_dumps(j_ids, JSON_COMPACT);
    json_decref(j_ids);
    return ids;
}

/* The first row of sorted rows (column col ascending) whose id is id. */
static unsigned first_of(const struct lm_rows *rows, unsigned col, long long id)
{
    unsigned lo = 0, hi = rows->nrows;

    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (lm_rows_int(rows, mid, col, 0) < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Fills l from row i of the page: the row's columns, its phones and
 * e-mails from kids, its custom values from custom (may be NULL). */
static int fill_listed(struct lm_lead *l, const struct search_page *p, unsigned i,
                       const struct lm_rows *kids, const struct lm_rows *custom)
{
    unsigned r;
    const struct lm_rows *rows = page_row(p, i, &r);

    fill_row(l, rows, r, 0);
    l->in.nphones = l->in.nemails = 0;
    for (unsigned k = first_of(kids, 1, l->id);
         k < kids->nrows && lm_rows_int(kids, k, 1, 0) == l->id; k++) {
        const char *kind = lm_rows_get(kids, k, 0);
        const char *v = lm_rows_get(kids, k, 3);
        if (kind[0] == 'p' && l->in.nphones < LM_LEAD_MAX_PHONES)
            copy(l->in.phones[l->in.nphones++], sizeof l->in.phones[0], v);
        else if (kind[0] == 'e' && l->in.nemails < LM_LEAD_MAX_EMAILS)
            copy(l->in.emails[l->in.nemails++], sizeof l->in.emails[0], v);
    }
    lm_lead_custom_clear(l);
    if (!custom)
        return LM_OK;
    for (unsigned k = first_of(custom, 0, l->id);
         k < custom->nrows && lm_rows_int(custom, k, 0, 0) == l->id; k++) {
        const char *tm = lm_rows_get(custom, k, 4);
        char iso[LM_ISO_LEN];
        lm_datetime_to_iso(tm, iso);
        if (lm_lead_custom_add(l, lm_rows_int(custom, k, 1, 0), lm_rows_get(custom, k, 2),
                               lm_rows_get(custom, k, 3), tm ? iso : NULL))
            return LM_ERR_INTERNAL;
    }
    return LM_OK;
}

/* Custom values of a page of leads, by lead then field (export). */
static const char SQL_LIST_CUSTOM[] =
    "SELECT lead_id, field_id, value_text, value_num, value_time FROM lead_custom_values"
    " WHERE lead_id IN"
    " (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) j)"
    " ORDER BY lead_id, field_id, seq";

/* Runs one page and calls fn for each of its first n leads (n = the page
 * without its extra row). *more is 1 when a next page exists, and f->after
 * then points after this page's last lead. */
static int each_of_page(struct lm_db *db, const struct lm_user *u, struct lm_lead_filter *f,
                        int with_custom, struct lm_lead *l, lm_lead_each_fn fn, void *ctx,
                        long long *count, int *more)
{
    struct search_page p;
    struct lm_rows kids, custom;
    char *ids = NULL;
    unsigned n;
    int rc = search_page(db, u, f, &p);

    *more = 0;
    if (rc)
        return rc;
    memset(&kids, 0, sizeof kids);
    memset(&custom, 0, sizeof custom);
    n = p.n < (unsigned)f->limit ? p.n : (unsigned)f->limit;
    if (n) {
        ids = page_ids(&p, n);
        rc = ids ? lm_db_query(db, &kids, SQL_LIST_CHILDREN, "ss", ids, ids) : LM_ERR_INTERNAL;
        if (!rc && with_custom)
            rc = lm_db_query(db, &custom, SQL_LIST_CUSTOM, "s", ids);
    }
    for (unsigned i = 0; !rc && i < n; i++) {
        rc = fill_listed(l, &p, i, &kids, with_custom ? &custom : NULL);
        if (!rc)
            rc = fn(ctx, l);
        if (!rc)
            (*count)++;
    }
    if (!rc && p.n > n) {
        cursor_at(&p, f->sort, n - 1, &f->after);
        *more = 1;
    }
    free(ids);
    lm_rows_free(&custom);
    lm_rows_free(&kids);
    search_page_free(&p);
    return rc;
}

struct list_ctx {
    json_t *j_items;
    long long now;
};

static int list_row(void *ctx, const struct lm_lead *l)
{
    struct list_ctx *c = ctx;

    return json_array_append_new(c->j_items, lm_lead_json_of(l, LM_LFF_LIST, &cache_names,
                                                             c->now))
               ? LM_ERR_INTERNAL
               : LM_OK;
}

int lm_lead_search(struct lm_db *db, const struct lm_user *u, const struct lm_lead_filter *f,
                   long long now, json_t **j_out)
{
    struct lm_lead_filter page = *f;
    struct list_ctx c = {json_array(), now};
    struct lm_lead *l = NULL;
    long long count = 0;
    int more = 0, rc = build_sql();

    *j_out = NULL;
    l = rc ? NULL : lm_lead_new();
    if (!rc && (!l || !c.j_items))
        rc = LM_ERR_INTERNAL;
    if (!rc)
        rc = each_of_page(db, u, &page, 0, l, list_row, &c, &count, &more);
    if (!rc) {
        if (more) {
            char next[LM_LEAD_CURSOR_LEN];
            lm_lead_cursor_encode(f->sort, &page.after, next, sizeof next);
            *j_out = json_pack("{s:O, s:s}", "items", c.j_items, "next", next);
        } else {
            *j_out = json_pack("{s:O, s:n}", "items", c.j_items, "next");
        }
        if (!*j_out)
            rc = LM_ERR_INTERNAL;
    }
    json_decref(c.j_items);
    lm_lead_free(l);
    return rc;
}

int lm_lead_search_each(struct lm_db *db, const struct lm_user *u, struct lm_lead_filter *f,
                        lm_lead_each_fn fn, void *ctx, long long *count)
{
    struct lm_lead *l = NULL;
    int more = 1, rc = build_sql();

    *count = 0;
    l = rc ? NULL : lm_lead_new();
    if (!rc && !l)
        rc = LM_ERR_INTERNAL;
    while (!rc && more)
        rc = each_of_page(db, u, f, 1, l, fn, ctx, count, &more);
    lm_lead_free(l);
    return rc;
}

/* --- actions ---------------------------------------------------------------- */

static const char SQL_SET_LIFECYCLE[] =
    "UPDATE leads SET status_id = ?, state = ?,"
    " lost_reason_id = IF(? = 0, lost_reason_id, ?),"
    " actual_completion = IF(? = 1, UTC_TIMESTAMP(6), actual_completion),"
    " archive_reason = CASE ? WHEN 1 THEN ? WHEN -1 THEN NULL ELSE archive_reason END,"
    " archived_at = CASE ? WHEN 1 THEN UTC_TIMESTAMP(6) WHEN -1 THEN NULL ELSE archived_at END,"
    " version = version + 1, updated_at = UTC_TIMESTAMP(6), " LM_SQL_TOUCH_SET " WHERE id = ?";

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
    " version = version + 1, updated_at = UTC_TIMESTAMP(6), " LM_SQL_TOUCH_SET
    " WHERE id = ? AND archived_at IS NULL AND (owner_id IS NULL OR (owner_id = ? AND state = 'new'))";

int lm_lead_accept(struct lm_db *db, long long id, long long user_id, long long status_id,
                   int *won)
{
    int rc = lm_db_exec(db, SQL_ACCEPT, "iiiii", user_id, status_id, status_id, id, user_id);

    *won = !rc && db->affected == 1;
    return rc;
}

/* A claim within the last ten minutes: the late claimers of a race hear
 * "claimed", while an old lead out of sight stays "no such lead". */
static const char SQL_CLAIMED_RECENTLY[] =
    "SELECT 1 FROM lead_history WHERE lead_id = ? AND action = 'claim'"
    " AND at > UTC_TIMESTAMP(6) - INTERVAL 10 MINUTE LIMIT 1";

int lm_lead_claimed_recently(struct lm_db *db, long long id, int *recent)
{
    return lm_db_exists(db, recent, SQL_CLAIMED_RECENTLY, "i", id);
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

static const char SQL_VIEWS[] =
    "SELECT a.id, a.user_id, a.at, a.action FROM audit_log a"
    " WHERE a.entity = 'lead' AND a.entity_id = ? AND a.action = 'lead.view' AND a.id < ?"
    " ORDER BY a.id DESC LIMIT ?";

int lm_lead_views_json(struct lm_db *db, long long lead_id, long long before, int limit,
                       json_t **j_out)
{
    struct lm_rows rows;
    json_t *j_items;
    int rc = lm_db_query(db, &rows, SQL_VIEWS, "iii", lead_id,
                         before > 0 ? before : 9223372036854775807LL, (long long)limit + 1);

    if (rc)
        return rc;
    j_items = json_array();
    for (unsigned r = 0; r < rows.nrows && (int)r < limit; r++) {
        long long uid = lm_rows_int(&rows, r, 1, 0);
        json_array_append_new(
            j_items, json_pack("{s:I, s:o, s:o, s:o, s:o}", "id",
                               (json_int_t)lm_rows_int(&rows, r, 0, 0), "user_id",
                               id_json(&rows, r, 1), "user",
                               text_json(uid ? lm_cache_user_name(uid) : NULL), "at",
                               time_json(lm_rows_get(&rows, r, 2)), "action",
                               text_json(lm_rows_get(&rows, r, 3))));
    }
    *j_out = page(j_items, &rows, limit);
    lm_rows_free(&rows);
    return *j_out ? LM_OK : LM_ERR_INTERNAL;
}
