/* Task definitions, recurrences and rules (see task_settings.h). */
#include "store/task_settings.h"

#include "core/result.h"
#include "core/rows_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Legend: JSON key = column, how the cell is typed in JSON. */
enum cell { C_INT, C_STR, C_BOOL };
struct col {
    const char *name;
    enum cell type;
};

static const struct col def_cols[] = {
    {"id", C_INT}, {"name", C_STR}, {"contact_message", C_STR}, {"pending_message", C_STR},
    {"complete_message", C_STR}, {"active", C_BOOL}, {"version", C_INT}, {NULL, C_INT},
};
static const struct col rec_cols[] = {
    {"id", C_INT}, {"name", C_STR}, {"rrule", C_STR}, {"dtstart", C_STR},
    {"time_zone", C_STR}, {"active", C_BOOL}, {"version", C_INT}, {NULL, C_INT},
};
static const struct col rule_cols[] = {
    {"id", C_INT},
    {"name", C_STR},
    {"definition_id", C_INT},
    {"trigger_kind", C_STR},
    {"trigger_status_id", C_INT},
    {"trigger_state", C_STR},
    {"trigger_map_id", C_INT},
    {"trigger_step_id", C_INT},
    {"date_field", C_STR},
    {"offset_days", C_INT},
    {"recurrence_id", C_INT},
    {"per_lead", C_BOOL},
    {"filter_type_id", C_INT},
    {"filter_source_id", C_INT},
    {"filter_status_id", C_INT},
    {"filter_map_id", C_INT},
    {"assignee_kind", C_STR},
    {"assignee_user_id", C_INT},
    {"assignee_unit_id", C_INT},
    {"due_minutes", C_INT},
    {"active", C_BOOL},
    {"version", C_INT},
    {NULL, C_INT},
};

static const char SQL_DEF_LIST[] =
    "SELECT id, name, contact_message, pending_message, complete_message, active, version"
    " FROM task_definitions WHERE ? IN (0, id) ORDER BY name, id";
static const char SQL_REC_LIST[] =
    "SELECT id, name, rrule, DATE_FORMAT(dtstart, '%Y-%m-%dT%H:%i'), time_zone, active, version"
    " FROM task_recurrences WHERE ? IN (0, id) ORDER BY name, id";
static const char SQL_RULE_LIST[] =
    "SELECT id, name, definition_id, trigger_kind, trigger_status_id, trigger_state,"
    " trigger_map_id, trigger_step_id, date_field, offset_days, recurrence_id, per_lead,"
    " filter_type_id, filter_source_id, filter_status_id, filter_map_id, assignee_kind,"
    " assignee_user_id, assignee_unit_id, due_minutes, active, version"
    " FROM task_rules WHERE ? IN (0, id) ORDER BY name, id";

static const char SQL_DEF_INSERT[] =
    "INSERT INTO task_definitions (name, contact_message, pending_message, complete_message,"
    " active) SELECT j.name, j.cm, j.pm, j.dm, j.active FROM JSON_TABLE(?, '$' COLUMNS ("
    " name VARCHAR(120) CHARACTER SET utf8mb4 PATH '$.name',"
    " cm VARCHAR(2000) CHARACTER SET utf8mb4 PATH '$.contact_message',"
    " pm VARCHAR(2000) CHARACTER SET utf8mb4 PATH '$.pending_message',"
    " dm VARCHAR(2000) CHARACTER SET utf8mb4 PATH '$.complete_message',"
    " active TINYINT PATH '$.active')) j";
static const char SQL_DEF_UPDATE[] =
    "UPDATE task_definitions d JOIN JSON_TABLE(?, '$' COLUMNS ("
    " name VARCHAR(120) CHARACTER SET utf8mb4 PATH '$.name',"
    " cm VARCHAR(2000) CHARACTER SET utf8mb4 PATH '$.contact_message',"
    " pm VARCHAR(2000) CHARACTER SET utf8mb4 PATH '$.pending_message',"
    " dm VARCHAR(2000) CHARACTER SET utf8mb4 PATH '$.complete_message',"
    " active TINYINT PATH '$.active')) j"
    " SET d.name = j.name, d.contact_message = j.cm, d.pending_message = j.pm,"
    " d.complete_message = j.dm, d.active = j.active, d.version = d.version + 1"
    " WHERE d.id = ? AND d.version = ?";
static const char SQL_REC_INSERT[] =
    "INSERT INTO task_recurrences (name, rrule, dtstart, time_zone, active)"
    " SELECT j.name, j.rrule, j.dtstart, j.tz, j.active FROM JSON_TABLE(?, '$' COLUMNS ("
    " name VARCHAR(120) CHARACTER SET utf8mb4 PATH '$.name', rrule VARCHAR(500) PATH '$.rrule',"
    " dtstart DATETIME PATH '$.dtstart', tz VARCHAR(64) PATH '$.time_zone',"
    " active TINYINT PATH '$.active')) j";
/* A changed schedule starts generating afresh from now (generated_until
 * is reset by the worker's lower bound: the rule's own progress stays). */
static const char SQL_REC_UPDATE[] =
    "UPDATE task_recurrences d JOIN JSON_TABLE(?, '$' COLUMNS ("
    " name VARCHAR(120) CHARACTER SET utf8mb4 PATH '$.name', rrule VARCHAR(500) PATH '$.rrule',"
    " dtstart DATETIME PATH '$.dtstart', tz VARCHAR(64) PATH '$.time_zone',"
    " active TINYINT PATH '$.active')) j"
    " SET d.name = j.name, d.rrule = j.rrule, d.dtstart = j.dtstart, d.time_zone = j.tz,"
    " d.active = j.active, d.version = d.version + 1 WHERE d.id = ? AND d.version = ?";

#define RULE_JSON_COLUMNS                                                                  \
    " name VARCHAR(120) CHARACTER SET utf8mb4 PATH '$.name',"                              \
    " def BIGINT UNSIGNED PATH '$.definition_id', kind VARCHAR(20) PATH '$.trigger_kind',"  \
    " st BIGINT UNSIGNED PATH '$.trigger_status_id', state VARCHAR(20) PATH '$.trigger_state'," \
    " map BIGINT UNSIGNED PATH '$.trigger_map_id', step BIGINT UNSIGNED PATH '$.trigger_step_id'," \
    " df VARCHAR(32) PATH '$.date_field', od INT PATH '$.offset_days',"                    \
    " rec BIGINT UNSIGNED PATH '$.recurrence_id', pl TINYINT PATH '$.per_lead',"           \
    " ft BIGINT UNSIGNED PATH '$.filter_type_id', fs BIGINT UNSIGNED PATH '$.filter_source_id'," \
    " fst BIGINT UNSIGNED PATH '$.filter_status_id', fm BIGINT UNSIGNED PATH '$.filter_map_id'," \
    " ak VARCHAR(8) PATH '$.assignee_kind', au BIGINT UNSIGNED PATH '$.assignee_user_id',"  \
    " aun BIGINT UNSIGNED PATH '$.assignee_unit_id', due INT PATH '$.due_minutes',"        \
    " active TINYINT PATH '$.active'"

static const char SQL_RULE_INSERT[] =
    "INSERT INTO task_rules (name, definition_id, trigger_kind, trigger_status_id,"
    " trigger_state, trigger_map_id, trigger_step_id, date_field, offset_days, recurrence_id,"
    " per_lead, filter_type_id, filter_source_id, filter_status_id, filter_map_id,"
    " assignee_kind, assignee_user_id, assignee_unit_id, due_minutes, active)"
    " SELECT j.name, j.def, j.kind, j.st, j.state, j.map, j.step, j.df, j.od, j.rec, j.pl,"
    " j.ft, j.fs, j.fst, j.fm, j.ak, j.au, j.aun, j.due, j.active"
    " FROM JSON_TABLE(?, '$' COLUMNS (" RULE_JSON_COLUMNS ")) j";
static const char SQL_RULE_UPDATE[] =
    "UPDATE task_rules r JOIN JSON_TABLE(?, '$' COLUMNS (" RULE_JSON_COLUMNS ")) j"
    " SET r.name = j.name, r.definition_id = j.def, r.trigger_kind = j.kind,"
    " r.trigger_status_id = j.st, r.trigger_state = j.state, r.trigger_map_id = j.map,"
    " r.trigger_step_id = j.step, r.date_field = j.df, r.offset_days = j.od,"
    " r.generated_until = IF(r.recurrence_id <=> j.rec, r.generated_until, NULL),"
    " r.recurrence_id = j.rec, r.per_lead = j.pl, r.filter_type_id = j.ft,"
    " r.filter_source_id = j.fs, r.filter_status_id = j.fst, r.filter_map_id = j.fm,"
    " r.assignee_kind = j.ak, r.assignee_user_id = j.au, r.assignee_unit_id = j.aun,"
    " r.due_minutes = j.due, r.active = j.active, r.version = r.version + 1"
    " WHERE r.id = ? AND r.version = ?";

static const char SQL_DEF_EXISTS[] = "SELECT version FROM task_definitions WHERE id = ?";
static const char SQL_REC_EXISTS[] = "SELECT version FROM task_recurrences WHERE id = ?";
static const char SQL_RULE_EXISTS[] = "SELECT version FROM task_rules WHERE id = ?";

static const char SQL_DEF_DELETE[] =
    "DELETE FROM task_definitions WHERE id = ? AND NOT EXISTS (SELECT 1 FROM task_rules"
    " WHERE definition_id = ?) AND NOT EXISTS (SELECT 1 FROM tasks WHERE definition_id = ?)";
static const char SQL_REC_DELETE[] =
    "DELETE FROM task_recurrences WHERE id = ? AND NOT EXISTS (SELECT 1 FROM task_rules"
    " WHERE recurrence_id = ?) AND 0 < ? ";
static const char SQL_RULE_DELETE[] =
    "DELETE FROM task_rules WHERE id = ? AND NOT EXISTS (SELECT 1 FROM tasks"
    " WHERE rule_id = ?) AND 0 < ?";

static const char SQL_RULE_REFS[] =
    "SELECT (? = 0 OR EXISTS (SELECT 1 FROM task_definitions WHERE id = ? AND active = 1)),"
    " (? = 0 OR EXISTS (SELECT 1 FROM task_recurrences WHERE id = ? AND active = 1)),"
    " (? = 0 OR EXISTS (SELECT 1 FROM statuses WHERE id = ?)),"
    " (? = 0 OR EXISTS (SELECT 1 FROM maps WHERE id = ?)),"
    " (? = 0 OR EXISTS (SELECT 1 FROM map_steps WHERE id = ?)),"
    " (? = 0 OR EXISTS (SELECT 1 FROM users WHERE id = ? AND active = 1)),"
    " (? = 0 OR EXISTS (SELECT 1 FROM units WHERE id = ?)),"
    " (? = 0 OR EXISTS (SELECT 1 FROM lookups WHERE id = ? AND kind = 'lead_type')),"
    " (? = 0 OR EXISTS (SELECT 1 FROM lookups WHERE id = ? AND kind = 'source')),"
    " (? = 0 OR EXISTS (SELECT 1 FROM statuses WHERE id = ?)),"
    " (? = 0 OR EXISTS (SELECT 1 FROM maps WHERE id = ?))";

struct kind_sql {
    const struct col *cols;
    const char *list, *insert, *update, *exists, *del;
};

static const struct kind_sql kinds[] = {
    [LM_TASK_DEFINITIONS] = {def_cols, SQL_DEF_LIST, SQL_DEF_INSERT, SQL_DEF_UPDATE,
                             SQL_DEF_EXISTS, SQL_DEF_DELETE},
    [LM_TASK_RECURRENCES] = {rec_cols, SQL_REC_LIST, SQL_REC_INSERT, SQL_REC_UPDATE,
                             SQL_REC_EXISTS, SQL_REC_DELETE},
    [LM_TASK_RULES] = {rule_cols, SQL_RULE_LIST, SQL_RULE_INSERT, SQL_RULE_UPDATE,
                       SQL_RULE_EXISTS, SQL_RULE_DELETE},
};

int lm_task_settings_list(struct lm_db *db, enum lm_task_kind k, long long id, json_t **j_items)
{
    const struct kind_sql *ks = &kinds[k];
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, ks->list, "i", id);

    *j_items = NULL;
    if (rc)
        return rc;
    if (id && rows.nrows == 0) {
        lm_rows_free(&rows);
        return LM_ERR_NOT_FOUND;
    }
    *j_items = json_array();
    for (unsigned r = 0; r < rows.nrows; r++) {
        json_t *j_row = json_object();
        for (unsigned c = 0; ks->cols[c].name; c++) {
            json_t *j_v = ks->cols[c].type == C_INT    ? lm_rows_json_int(&rows, r, c)
                          : ks->cols[c].type == C_BOOL ? lm_rows_json_bool(&rows, r, c)
                                                       : lm_rows_json_str(&rows, r, c);
            json_object_set_new(j_row, ks->cols[c].name, j_v);
        }
        json_array_append_new(*j_items, j_row);
    }
    lm_rows_free(&rows);
    return LM_OK;
}

int lm_task_settings_save(struct lm_db *db, enum lm_task_kind k, long long *id,
                          long long if_version, const json_t *j_plan)
{
    const struct kind_sql *ks = &kinds[k];
    char *plan = json_dumps(j_plan, JSON_COMPACT);
    int rc;

    if (!plan)
        return LM_ERR_INTERNAL;
    if (!*id) {
        rc = lm_db_exec(db, ks->insert, "s", plan);
        if (!rc)
            *id = (long long)db->insert_id;
    } else {
        rc = lm_db_exec(db, ks->update, "sii", plan, *id, if_version);
        if (!rc && db->affected == 0) {
            int found = 0;
            rc = lm_db_exists(db, &found, ks->exists, "i", *id);
            if (!rc)
                rc = found ? LM_ERR_PRECONDITION : LM_ERR_NOT_FOUND;
        }
    }
    free(plan);
    return rc;
}

int lm_task_settings_delete(struct lm_db *db, enum lm_task_kind k, long long id)
{
    const struct kind_sql *ks = &kinds[k];
    int rc = lm_db_exec(db, ks->del, "iii", id, id, id), found = 0;

    if (rc || db->affected)
        return rc;
    rc = lm_db_exists(db, &found, ks->exists, "i", id);
    return rc ? rc : (found ? LM_ERR_CONFLICT : LM_ERR_NOT_FOUND);
}

int lm_task_rule_refs(struct lm_db *db, const long long ids[11], unsigned *missing)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_RULE_REFS, "iiiiiiiiiiiiiiiiiiiiii", ids[0], ids[0],
                         ids[1], ids[1], ids[2], ids[2], ids[3], ids[3], ids[4], ids[4], ids[5],
                         ids[5], ids[6], ids[6], ids[7], ids[7], ids[8], ids[8], ids[9], ids[9],
                         ids[10], ids[10]);

    *missing = 0;
    if (rc)
        return rc;
    for (unsigned c = 0; c < 11 && rows.nrows; c++)
        if (lm_rows_int(&rows, 0, c, 0) != 1)
            *missing |= 1u << c;
    lm_rows_free(&rows);
    return LM_OK;
}
