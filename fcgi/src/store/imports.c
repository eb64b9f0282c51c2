/* CSV imports in MariaDB (see imports.h).
 *
 * DESIGN: a batch of rows is written with a fixed number of statements
 * whatever its size: each table gets one INSERT … SELECT FROM JSON_TABLE(?)
 * and the children find their lead through leads (import_id, import_row),
 * a unique key, so no statement depends on the ids the server hands out
 * (consecutive or not: Galera interleaves them). The caller holds the
 * transaction, so a batch is in or out as a whole. */
#include "store/imports.h"

#include "core/result.h"
#include "store/access_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lm_import_free(struct lm_import *im)
{
    json_decref(im->j_columns);
    json_decref(im->j_mapping);
    memset(im, 0, sizeof *im);
}

static const char SQL_CREATE[] =
    "INSERT INTO imports (user_id, file_name, delimiter, columns, total_rows)"
    " VALUES (?, ?, ?, ?, ?)";

int lm_import_create(struct lm_db *db, long long user_id, const char *file_name, char delimiter,
                     const char *columns_json, long long total_rows, long long *id)
{
    char d[2] = {delimiter, '\0'};
    int rc = lm_db_exec(db, SQL_CREATE, "isssi", user_id, file_name, d, columns_json,
                        total_rows);

    if (!rc)
        *id = (long long)db->insert_id;
    return rc;
}

static const char SQL_ADD_ROWS[] =
    "INSERT INTO import_rows (import_id, row_no, cells)"
    " SELECT ?, j.n, j.c FROM JSON_TABLE(?, '$[*]' COLUMNS (n INT UNSIGNED PATH '$[0]',"
    " c MEDIUMTEXT PATH '$[1]')) j";

int lm_import_add_rows(struct lm_db *db, long long id, const char *rows_json)
{
    return lm_db_exec(db, SQL_ADD_ROWS, "is", id, rows_json);
}

static const char SQL_GET[] =
    "SELECT id, user_id, file_name, delimiter, columns, mapping, skip_duplicates, status,"
    " total_rows, next_row, imported_rows, error_rows, duplicate_rows,"
    " DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ'),"
    " DATE_FORMAT(finished_at, '%Y-%m-%dT%H:%i:%sZ'), version FROM imports WHERE id = ?";

int lm_import_get(struct lm_db *db, long long id, struct lm_import *im)
{
    struct lm_rows rows;
    json_error_t jerr;
    int rc = lm_db_query(db, &rows, SQL_GET, "i", id);

    memset(im, 0, sizeof *im);
    if (rc)
        return rc;
    if (rows.nrows != 1) {
        lm_rows_free(&rows);
        return LM_ERR_NOT_FOUND;
    }
    im->id = lm_rows_int(&rows, 0, 0, 0);
    im->user_id = lm_rows_int(&rows, 0, 1, 0);
    snprintf(im->file_name, sizeof im->file_name, "%s", lm_rows_get(&rows, 0, 2));
    im->delimiter = lm_rows_get(&rows, 0, 3)[0];
    im->j_columns = json_loads(lm_rows_get(&rows, 0, 4), 0, &jerr);
    if (lm_rows_get(&rows, 0, 5))
        im->j_mapping = json_loads(lm_rows_get(&rows, 0, 5), 0, &jerr);
    im->skip_duplicates = (int)lm_rows_int(&rows, 0, 6, 1);
    snprintf(im->status, sizeof im->status, "%s", lm_rows_get(&rows, 0, 7));
    im->total_rows = lm_rows_int(&rows, 0, 8, 0);
    im->next_row = lm_rows_int(&rows, 0, 9, 1);
    im->imported_rows = lm_rows_int(&rows, 0, 10, 0);
    im->error_rows = lm_rows_int(&rows, 0, 11, 0);
    im->duplicate_rows = lm_rows_int(&rows, 0, 12, 0);
    snprintf(im->created_at, sizeof im->created_at, "%s", lm_rows_get(&rows, 0, 13));
    snprintf(im->finished_at, sizeof im->finished_at, "%s",
             lm_rows_get(&rows, 0, 14) ? lm_rows_get(&rows, 0, 14) : "");
    im->version = lm_rows_int(&rows, 0, 15, 1);
    lm_rows_free(&rows);
    return im->j_columns ? LM_OK : LM_ERR_INTERNAL;
}

static const char SQL_ROWS[] =
    "SELECT row_no, cells FROM import_rows WHERE import_id = ? AND row_no >= ?"
    " ORDER BY row_no LIMIT ?";

int lm_import_rows(struct lm_db *db, long long id, long long from_row, int limit,
                   struct lm_rows *rows)
{
    return lm_db_query(db, rows, SQL_ROWS, "iii", id, from_row, (long long)limit);
}

static const char SQL_SET_MAPPING[] =
    "UPDATE imports SET mapping = ?, skip_duplicates = ?,"
    " status = IF(? = 1, 'queued', status), version = version + 1"
    " WHERE id = ? AND status = 'uploaded'";

int lm_import_set_mapping(struct lm_db *db, long long id, const char *mapping_json,
                          int skip_duplicates, int queue)
{
    int rc = lm_db_exec(db, SQL_SET_MAPPING, "siii", mapping_json, (long long)skip_duplicates,
                        (long long)queue, id);

    if (!rc && db->affected != 1)
        rc = LM_ERR_CONFLICT;
    return rc;
}

static const char SQL_NEXT_QUEUED[] =
    "SELECT id FROM imports WHERE status IN ('queued', 'running') ORDER BY id LIMIT 1";

int lm_import_next_queued(struct lm_db *db, long long *id)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_NEXT_QUEUED, "");

    *id = 0;
    if (rc)
        return rc;
    if (rows.nrows)
        *id = lm_rows_int(&rows, 0, 0, 0);
    lm_rows_free(&rows);
    return LM_OK;
}

static const char SQL_ERRORS[] =
    "SELECT row_no, message FROM import_rows WHERE import_id = ? AND outcome = 'error'"
    " ORDER BY row_no LIMIT ?";

int lm_import_errors_json(struct lm_db *db, long long id, int limit, json_t **j_out)
{
    struct lm_rows rows;
    json_error_t jerr;
    int rc = lm_db_query(db, &rows, SQL_ERRORS, "ii", id, (long long)limit);

    *j_out = NULL;
    if (rc)
        return rc;
    *j_out = json_array();
    for (unsigned r = 0; r < rows.nrows; r++) {
        /* message holds the row's field errors as a JSON object */
        json_t *j_fields = json_loads(lm_rows_get(&rows, r, 1) ? lm_rows_get(&rows, r, 1) : "{}",
                                      0, &jerr);
        json_array_append_new(*j_out, json_pack("{s:I, s:o}", "row",
                                                (json_int_t)lm_rows_int(&rows, r, 0, 0), "fields",
                                                j_fields ? j_fields : json_object()));
    }
    lm_rows_free(&rows);
    return LM_OK;
}

static const char SQL_DUPLICATES[] =
    "SELECT j.r, l.id, " ACCESS " AS v"
    " FROM JSON_TABLE(?, '$[*]' COLUMNS (r INT PATH '$[0]', t VARCHAR(10) PATH '$[1]')) j"
    " JOIN lead_phones p ON p.dup_tail = j.t COLLATE utf8mb4_unicode_ci"
    " JOIN leads l ON l.id = p.lead_id AND l.merged_into IS NULL"
    " UNION ALL SELECT j.r, l.id, " ACCESS
    " FROM JSON_TABLE(?, '$[*]' COLUMNS (r INT PATH '$[0]', a VARCHAR(254) PATH '$[1]')) j"
    " JOIN lead_emails e ON e.email = j.a COLLATE utf8mb4_unicode_ci"
    " JOIN leads l ON l.id = e.lead_id AND l.merged_into IS NULL"
    " ORDER BY 1, 2";

int lm_import_duplicates(struct lm_db *db, const struct lm_user *u, const char *phone_keys,
                         const char *emails, struct lm_rows *rows)
{
    return lm_db_query(db, rows, SQL_DUPLICATES, "ssiiii" "s" "ssiiii" "s", ACCESS_ARGS(u),
                       phone_keys, ACCESS_ARGS(u), emails);
}

static const char SQL_GROUP_RULES[] =
    "SELECT kind, value, group_id FROM group_rules ORDER BY position, id";

int lm_import_group_rules(struct lm_db *db, struct lm_rows *rows)
{
    return lm_db_query(db, rows, SQL_GROUP_RULES, "");
}

static const char SQL_INS_LEADS[] =
    "INSERT INTO leads (first_name, last_name, street, city, region, postal_code, country,"
    " incomplete, status_id, state, owner_id, group_id, unit_id, probability, target_amount,"
    " created_by, import_id, import_row)"
    " SELECT j.fn, j.ln, j.st, j.ci, j.re, j.pc, j.co, j.inc, j.s, j.state, j.ow, j.gr, j.un,"
    " j.pr, j.ta, ?, ?, j.r FROM JSON_TABLE(?, '$[*]' COLUMNS ("
    " r INT UNSIGNED PATH '$.r', fn VARCHAR(100) PATH '$.fn', ln VARCHAR(100) PATH '$.ln',"
    " st VARCHAR(200) PATH '$.st', ci VARCHAR(100) PATH '$.ci', re VARCHAR(100) PATH '$.re',"
    " pc VARCHAR(20) PATH '$.pc', co CHAR(2) PATH '$.co', inc TINYINT PATH '$.inc',"
    " s BIGINT UNSIGNED PATH '$.s', state VARCHAR(16) PATH '$.state',"
    " ow BIGINT UNSIGNED PATH '$.ow', gr BIGINT UNSIGNED PATH '$.gr',"
    " un BIGINT UNSIGNED PATH '$.un', pr TINYINT UNSIGNED PATH '$.pr',"
    " ta DECIMAL(14,2) PATH '$.ta')) j";
static const char SQL_INS_PHONES[] =
    "INSERT INTO lead_phones (lead_id, position, phone, digits)"
    " SELECT l.id, j.p, j.ph, j.d FROM JSON_TABLE(?, '$[*]' COLUMNS (r INT UNSIGNED PATH '$[0]',"
    " p TINYINT UNSIGNED PATH '$[1]', ph VARCHAR(40) PATH '$[2]', d VARCHAR(20) PATH '$[3]')) j"
    " STRAIGHT_JOIN leads l ON l.import_id = ? AND l.import_row = j.r";
static const char SQL_INS_EMAILS[] =
    "INSERT INTO lead_emails (lead_id, position, email)"
    " SELECT l.id, j.p, j.e FROM JSON_TABLE(?, '$[*]' COLUMNS (r INT UNSIGNED PATH '$[0]',"
    " p TINYINT UNSIGNED PATH '$[1]', e VARCHAR(254) PATH '$[2]')) j"
    " STRAIGHT_JOIN leads l ON l.import_id = ? AND l.import_row = j.r";
static const char SQL_INS_CUSTOM[] =
    "INSERT INTO lead_custom_values (lead_id, field_id, seq, value_text, value_num, value_time)"
    " SELECT l.id, j.f, j.q, j.t, j.n, j.d FROM JSON_TABLE(?, '$[*]' COLUMNS ("
    " r INT UNSIGNED PATH '$[0]', f BIGINT UNSIGNED PATH '$[1]', q SMALLINT UNSIGNED PATH '$[2]',"
    " t VARCHAR(4000) PATH '$[3]', n DECIMAL(20,4) PATH '$[4]', d DATETIME(6) PATH '$[5]')) j"
    " STRAIGHT_JOIN leads l ON l.import_id = ? AND l.import_row = j.r";
static const char SQL_INS_HISTORY[] =
    "INSERT INTO lead_history (lead_id, actor_kind, actor_id, action, rule)"
    " SELECT id, 'agent', ?, 'created', ? FROM leads"
    " WHERE import_id = ? AND import_row BETWEEN ? AND ?";
static const char SQL_OUTCOMES[] =
    "UPDATE import_rows r JOIN JSON_TABLE(?, '$[*]' COLUMNS (n INT UNSIGNED PATH '$[0]',"
    " o VARCHAR(10) PATH '$[1]', m VARCHAR(2000) PATH '$[2]')) j ON r.row_no = j.n"
    " SET r.outcome = j.o, r.message = j.m WHERE r.import_id = ?";
static const char SQL_IMPORTED[] =
    "UPDATE import_rows r JOIN leads l ON l.import_id = r.import_id AND l.import_row = r.row_no"
    " SET r.outcome = 'imported', r.lead_id = l.id"
    " WHERE r.import_id = ? AND r.row_no BETWEEN ? AND ?";
static const char SQL_PROGRESS[] =
    "UPDATE imports SET next_row = ?, imported_rows = imported_rows + ?,"
    " error_rows = error_rows + ?, duplicate_rows = duplicate_rows + ?,"
    " status = IF(? >= total_rows, 'done', 'running'),"
    " finished_at = IF(? >= total_rows, UTC_TIMESTAMP(6), NULL), version = version + 1"
    " WHERE id = ? AND next_row = ?";

int lm_import_write_batch(struct lm_db *db, const struct lm_import_batch *b)
{
    char rule[32];
    int rc = LM_OK;

    snprintf(rule, sizeof rule, "import:%lld", b->import_id);
    if (b->imported) {
        rc = lm_db_exec(db, SQL_INS_LEADS, "iis", b->user_id, b->import_id, b->leads_json);
        if (!rc)
            rc = lm_db_exec(db, SQL_INS_PHONES, "si", b->phones_json, b->import_id);
        if (!rc)
            rc = lm_db_exec(db, SQL_INS_EMAILS, "si", b->emails_json, b->import_id);
        if (!rc && strcmp(b->custom_json, "[]"))
            rc = lm_db_exec(db, SQL_INS_CUSTOM, "si", b->custom_json, b->import_id);
        if (!rc)
            rc = lm_db_exec(db, SQL_INS_HISTORY, "isiii", b->user_id, rule, b->import_id,
                            b->first_row, b->last_row);
        if (!rc)
            rc = lm_db_exec(db, SQL_IMPORTED, "iii", b->import_id, b->first_row, b->last_row);
    }
    if (!rc && strcmp(b->outcomes_json, "[]"))
        rc = lm_db_exec(db, SQL_OUTCOMES, "si", b->outcomes_json, b->import_id);
    if (!rc)
        rc = lm_db_exec(db, SQL_PROGRESS, "iiiiiiii", b->last_row + 1, b->imported, b->errors,
                        b->duplicates, b->last_row, b->last_row, b->import_id, b->first_row);
    if (!rc && db->affected != 1)
        rc = LM_ERR_CONFLICT; /* another worker wrote this batch */
    return rc;
}

static const char SQL_MAPPINGS[] =
    "SELECT id, name, mapping, DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%sZ')"
    " FROM import_mappings WHERE user_id = ? ORDER BY name LIMIT 200";

int lm_import_mappings_json(struct lm_db *db, long long user_id, json_t **j_out)
{
    struct lm_rows rows;
    json_t *j_items;
    json_error_t jerr;
    int rc = lm_db_query(db, &rows, SQL_MAPPINGS, "i", user_id);

    *j_out = NULL;
    if (rc)
        return rc;
    j_items = json_array();
    for (unsigned r = 0; r < rows.nrows; r++) {
        json_t *j_m = json_loads(lm_rows_get(&rows, r, 2), 0, &jerr);
        json_array_append_new(j_items,
                              json_pack("{s:I, s:s, s:o, s:s}", "id",
                                        (json_int_t)lm_rows_int(&rows, r, 0, 0), "name",
                                        lm_rows_get(&rows, r, 1), "mapping",
                                        j_m ? j_m : json_object(), "updated_at",
                                        lm_rows_get(&rows, r, 3)));
    }
    lm_rows_free(&rows);
    *j_out = json_pack("{s:o}", "items", j_items);
    return *j_out ? LM_OK : LM_ERR_INTERNAL;
}

static const char SQL_MAPPING_SAVE[] =
    "INSERT INTO import_mappings (user_id, name, mapping) VALUES (?, ?, ?)"
    " ON DUPLICATE KEY UPDATE mapping = VALUES(mapping), updated_at = UTC_TIMESTAMP(6),"
    " id = LAST_INSERT_ID(id)";

int lm_import_mapping_save(struct lm_db *db, long long user_id, const char *name,
                           const char *mapping_json, long long *id)
{
    int rc = lm_db_exec(db, SQL_MAPPING_SAVE, "iss", user_id, name, mapping_json);

    if (!rc)
        *id = (long long)db->insert_id;
    return rc;
}
