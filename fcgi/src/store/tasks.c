/* Tasks (see tasks.h).
 *
 * DESIGN — generation. Every kind of rule is turned into tasks by the
 * worker in set-based statements against the unique key (rule, lead,
 * occurrence): `INSERT … SELECT … ON DUPLICATE KEY UPDATE id = id`, which
 * skips an occurrence that exists and nothing else (INSERT IGNORE would
 * also swallow a bad assignee). So a second pass, a restarted worker or
 * two workers at once create each task exactly once.
 *
 * Lead events use lead_history as their outbox: every lead change already
 * writes its history rows in its own transaction, so a rule on "lead
 * created", a status or life-cycle change or a map point needs no hook in
 * the lead write path and costs it no statement. The pass reads from a
 * cursor (task_job_state) and re-reads the last HISTORY_OVERLAP rows each
 * time, because ids are handed out before their transactions commit: a row
 * that commits late, below the cursor, is still seen, and the unique key
 * makes the re-read harmless. A pass reads at most HISTORY_BATCH rows past
 * the cursor, so a backlog is caught up over several bounded passes. A date-relative or no-contact rule is one
 * statement over an index range of its date column, for the instants since
 * its last pass (none when nothing is new); recurring rules are expanded in C by libical
 * (domain/recurrence.c) and the occurrences go in as one JSON_TABLE per
 * rule. */
#include "store/tasks.h"

#include "core/result.h"
#include "core/rows_json.h"
#include "core/time.h"
#include "domain/recurrence.h"
#include "store/cache.h"
#include "store/touch_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HISTORY_OVERLAP 10000
#define HISTORY_BATCH 50000 /* history rows a pass reads at most past the cursor */
#define RECUR_MAX_PER_PASS 1000

/* --- reading ----------------------------------------------------------------- */

#define TASK_COLUMNS                                                                       \
    "t.id, t.definition_id, d.name, t.stage, DATE_FORMAT(t.due_at, '%Y-%m-%d %H:%i:%s.%f'),"  \
    " t.lead_id, l.first_name, l.last_name, t.assignee_id, t.note, t.version, t.rule_id"
enum { C_ID, C_DEF, C_DEF_NAME, C_STAGE, C_DUE, C_LEAD, C_FIRST, C_LAST, C_ASSIGNEE, C_NOTE,
       C_VERSION, C_RULE, C_NCOLS };

static const char SQL_LIST_MINE[] =
    "SELECT " TASK_COLUMNS " FROM tasks t JOIN task_definitions d ON d.id = t.definition_id"
    " LEFT JOIN leads l ON l.id = t.lead_id"
    " WHERE t.assignee_id = ? AND t.is_open = 1"
    " AND (t.due_at > ? OR (t.due_at = ? AND t.id > ?))"
    " ORDER BY t.due_at, t.id LIMIT ?";
static const char SQL_LIST_GROUP[] =
    "SELECT " TASK_COLUMNS " FROM users u JOIN tasks t ON t.assignee_id = u.id"
    " JOIN task_definitions d ON d.id = t.definition_id LEFT JOIN leads l ON l.id = t.lead_id"
    " WHERE u.group_id = ? AND t.is_open = 1"
    " AND (t.due_at > ? OR (t.due_at = ? AND t.id > ?))"
    " ORDER BY t.due_at, t.id LIMIT ?";
static const char SQL_GET[] =
    "SELECT " TASK_COLUMNS ", d.contact_message, d.pending_message, d.complete_message,"
    " u.group_id FROM tasks t JOIN task_definitions d ON d.id = t.definition_id"
    " JOIN users u ON u.id = t.assignee_id LEFT JOIN leads l ON l.id = t.lead_id"
    " WHERE t.id = ?";

/* "YYYY-MM-DD HH:MM:SS.ffffff" -> unix seconds and ISO text. */
static long long due_of(const char *s, char iso[32])
{
    char head[20];
    long long t = 0;

    snprintf(head, sizeof head, "%.19s", s ? s : "");
    if (lm_time_parse_iso(head, &t))
        t = 0;
    lm_time_iso(t, iso);
    return t;
}

static json_t *task_json(const struct lm_rows *rows, unsigned r, long long now)
{
    char iso[32];
    long long due = due_of(lm_rows_get(rows, r, C_DUE), iso);
    const char *stage = lm_rows_get(rows, r, C_STAGE);
    long long lead = lm_rows_int(rows, r, C_LEAD, 0);
    long long who = lm_rows_int(rows, r, C_ASSIGNEE, 0);
    const char *who_name = lm_cache_user_name(who);
    json_t *j_lead = json_null();

    if (lead) {
        char name[260];
        snprintf(name, sizeof name, "%s %s", lm_rows_get(rows, r, C_FIRST) ?: "",
                 lm_rows_get(rows, r, C_LAST) ?: "");
        j_lead = json_pack("{s:I, s:s}", "id", (json_int_t)lead, "name", name);
    }
    return json_pack("{s:o, s:{s:o, s:o}, s:s, s:s, s:b, s:o, s:{s:I, s:s?}, s:o, s:o, s:o}",
                     "id", lm_rows_json_int(rows, r, C_ID), "definition", "id",
                     lm_rows_json_int(rows, r, C_DEF), "name",
                     lm_rows_json_str(rows, r, C_DEF_NAME), "stage", stage ? stage : "open",
                     "due_at", iso, "overdue", strcmp(stage ? stage : "", "completed") && due < now,
                     "lead", j_lead, "assignee", "id", (json_int_t)who, "name", who_name,
                     "note", lm_rows_json_str(rows, r, C_NOTE), "version",
                     lm_rows_json_int(rows, r, C_VERSION), "rule_id",
                     lm_rows_json_int(rows, r, C_RULE));
}

/* "<due>,<id>" */
static int parse_cursor(const char *after, char due[32], long long *id)
{
    const char *comma = after ? strrchr(after, ',') : NULL;
    int y, mo, d, h, mi, s, us, n = 0;
    char *end;

    if (!after) {
        snprintf(due, 32, "1000-01-01 00:00:00.000000");
        *id = 0;
        return 0;
    }
    if (!comma || comma - after != 26 ||
        sscanf(after, "%4d-%2d-%2d %2d:%2d:%2d.%6d%n", &y, &mo, &d, &h, &mi, &s, &us, &n) != 7 ||
        n != 26)
        return -1;
    snprintf(due, 32, "%.26s", after);
    *id = strtoll(comma + 1, &end, 10);
    return *end || *id < 0 ? -1 : 0;
}

int lm_tasks_list(struct lm_db *db, long long assignee, long long group_id, int limit,
                  const char *after, long long now, json_t **j_out)
{
    struct lm_rows rows;
    char due[32];
    long long after_id;
    json_t *j_items;
    int rc;

    *j_out = NULL;
    if (parse_cursor(after, due, &after_id))
        return LM_ERR_PARAM;
    if (assignee)
        rc = lm_db_query(db, &rows, SQL_LIST_MINE, "issii", assignee, due, due, after_id,
                         (long long)limit + 1);
    else
        rc = lm_db_query(db, &rows, SQL_LIST_GROUP, "issii", group_id, due, due, after_id,
                         (long long)limit + 1);
    if (rc)
        return rc;
    j_items = json_array();
    for (unsigned r = 0; r < rows.nrows && r < (unsigned)limit; r++)
        json_array_append_new(j_items, task_json(&rows, r, now));
    if (rows.nrows > (unsigned)limit) {
        char next[64];
        snprintf(next, sizeof next, "%s,%s", lm_rows_get(&rows, (unsigned)limit - 1, C_DUE),
                 lm_rows_get(&rows, (unsigned)limit - 1, C_ID));
        *j_out = json_pack("{s:o, s:s}", "items", j_items, "next", next);
    } else {
        *j_out = json_pack("{s:o, s:n}", "items", j_items, "next");
    }
    lm_rows_free(&rows);
    return LM_OK;
}

static int may_see(const struct lm_user *u, long long assignee, long long assignee_group)
{
    return u->role == LM_ROLE_ADMIN || assignee == u->id ||
           (u->role == LM_ROLE_SUPERVISOR && u->group_id && assignee_group == u->group_id);
}

int lm_task_get(struct lm_db *db, const struct lm_user *u, long long id, long long now,
                json_t **j_out)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_GET, "i", id);
    const char *stage;
    json_t *j;

    *j_out = NULL;
    if (rc)
        return rc;
    if (!rows.nrows || !may_see(u, lm_rows_int(&rows, 0, C_ASSIGNEE, 0),
                                lm_rows_int(&rows, 0, C_NCOLS + 3, 0))) {
        lm_rows_free(&rows);
        return LM_ERR_NOT_FOUND;
    }
    j = task_json(&rows, 0, now);
    stage = lm_rows_get(&rows, 0, C_STAGE);
    json_object_set_new(j, "messages",
                        json_pack("{s:o, s:o, s:o}", "contact",
                                  lm_rows_json_str(&rows, 0, C_NCOLS), "pending",
                                  lm_rows_json_str(&rows, 0, C_NCOLS + 1), "complete",
                                  lm_rows_json_str(&rows, 0, C_NCOLS + 2)));
    json_object_set_new(j, "message",
                        lm_rows_json_str(&rows, 0,
                                         !strcmp(stage, "pending")     ? C_NCOLS + 1
                                         : !strcmp(stage, "completed") ? C_NCOLS + 2
                                                                       : C_NCOLS));
    if (json_is_object(json_object_get(j, "lead"))) {
        char url[64];
        snprintf(url, sizeof url, "/leads/%lld", lm_rows_int(&rows, 0, C_LEAD, 0));
        json_object_set_new(json_object_get(j, "lead"), "url", json_string(url));
    }
    lm_rows_free(&rows);
    *j_out = j;
    return LM_OK;
}

/* --- changing ---------------------------------------------------------------- */

static const char SQL_LOCK[] =
    "SELECT t.assignee_id, t.version, t.stage, t.lead_id, u.group_id FROM tasks t"
    " JOIN users u ON u.id = t.assignee_id WHERE t.id = ? FOR UPDATE";
static const char SQL_TARGET[] = "SELECT group_id FROM users WHERE id = ? AND active = 1";
static const char SQL_UPDATE[] =
    "UPDATE tasks SET stage = ?, note = COALESCE(?, note), assignee_id = ?,"
    " version = version + 1, updated_at = UTC_TIMESTAMP(6),"
    " completed_at = IF(? = 'completed', UTC_TIMESTAMP(6), NULL) WHERE id = ?";
static const char SQL_HISTORY[] =
    "INSERT INTO lead_history (lead_id, actor_kind, actor_id, action, field, before_value,"
    " after_value) VALUES (?, 'agent', ?, 'task', ?, ?, ?)";
static const char SQL_TOUCH[] = "UPDATE leads SET " LM_SQL_TOUCH_SET " WHERE id = ?";

int lm_task_change(struct lm_db *db, const struct lm_user *u, long long id,
                   const struct lm_task_change *c)
{
    struct lm_rows rows;
    long long assignee, group, lead, to;
    char stage[16], field[64];
    int rc = lm_db_query(db, &rows, SQL_LOCK, "i", id);

    if (rc)
        return rc;
    if (!rows.nrows) {
        lm_rows_free(&rows);
        return LM_ERR_NOT_FOUND;
    }
    assignee = lm_rows_int(&rows, 0, 0, 0);
    group = lm_rows_int(&rows, 0, 4, 0);
    lead = lm_rows_int(&rows, 0, 3, 0);
    snprintf(stage, sizeof stage, "%s", lm_rows_get(&rows, 0, 2));
    if (!may_see(u, assignee, group))
        rc = LM_ERR_NOT_FOUND;
    else if (lm_rows_int(&rows, 0, 1, 0) != c->if_version)
        rc = LM_ERR_PRECONDITION;
    lm_rows_free(&rows);
    if (rc)
        return rc;
    to = assignee;
    if (c->assignee && c->assignee != assignee) {
        if (u->role == LM_ROLE_AGENT)
            return LM_ERR_FORBIDDEN;
        rc = lm_db_query(db, &rows, SQL_TARGET, "i", c->assignee);
        if (rc)
            return rc;
        if (!rows.nrows)
            rc = LM_ERR_PARAM;
        else if (u->role == LM_ROLE_SUPERVISOR && lm_rows_int(&rows, 0, 0, 0) != u->group_id)
            rc = LM_ERR_FORBIDDEN;
        lm_rows_free(&rows);
        if (rc)
            return rc;
        to = c->assignee;
    }
    rc = lm_db_exec(db, SQL_UPDATE, "ssisi", c->stage ? c->stage : stage, c->note, to,
                    c->stage ? c->stage : stage, id);
    if (rc || !lead)
        return rc;
    if (c->stage && strcmp(c->stage, stage)) {
        snprintf(field, sizeof field, "task.%lld.stage", id);
        rc = lm_db_exec(db, SQL_HISTORY, "iisss", lead, u->id, field, stage, c->stage);
    }
    if (!rc && to != assignee) {
        char before[24], after[24];
        snprintf(field, sizeof field, "task.%lld.assignee", id);
        snprintf(before, sizeof before, "%lld", assignee);
        snprintf(after, sizeof after, "%lld", to);
        rc = lm_db_exec(db, SQL_HISTORY, "iisss", lead, u->id, field, before, after);
    }
    return rc ? rc : lm_db_exec(db, SQL_TOUCH, "i", lead);
}

/* --- generating -------------------------------------------------------------- */

/* Active unit members numbered 0..n-1 within their unit: round-robin picks
 * member k = (some number) MOD n. */
#define MEMBERS                                                                            \
    "(SELECT uu.unit_id, uu.user_id, ROW_NUMBER() OVER (PARTITION BY uu.unit_id"            \
    " ORDER BY uu.user_id) - 1 AS k, COUNT(*) OVER (PARTITION BY uu.unit_id) AS n"          \
    " FROM user_units uu JOIN users mu ON mu.id = uu.user_id AND mu.active = 1) m"

#define ASSIGNEE                                                                           \
    "CASE r.assignee_kind WHEN 'owner' THEN l.owner_id WHEN 'user' THEN r.assignee_user_id"  \
    " ELSE m.user_id END"

#define LEAD_FILTERS                                                                       \
    " AND (r.filter_type_id IS NULL OR l.type_id = r.filter_type_id)"                       \
    " AND (r.filter_source_id IS NULL OR l.source_id = r.filter_source_id)"                 \
    " AND (r.filter_status_id IS NULL OR l.status_id = r.filter_status_id)"                 \
    " AND (r.filter_map_id IS NULL OR lm.map_id = r.filter_map_id)"

#define INSERT_TASKS                                                                       \
    "INSERT INTO tasks (definition_id, rule_id, lead_id, occurrence_key, assignee_id, due_at)" \
    " SELECT g.def, g.rid, g.lid, g.okey, g.who, g.due FROM ("

#define ON_DUPLICATE ") g WHERE g.who IS NOT NULL ON DUPLICATE KEY UPDATE tasks.id = tasks.id"

static const char SQL_CURSOR[] =
    "SELECT history_cursor, (SELECT COALESCE(MAX(id), 0) FROM lead_history)"
    " FROM task_job_state WHERE id = 1";
static const char SQL_CURSOR_SET[] =
    "UPDATE task_job_state SET history_cursor = GREATEST(history_cursor, ?) WHERE id = 1";

/* STRAIGHT_JOIN: the history range drives the join (a catch-up range can
 * hold most of the table, and the optimizer would then scan leads instead). */
static const char SQL_GEN_EVENTS[] =
    "INSERT INTO tasks (definition_id, rule_id, lead_id, occurrence_key, assignee_id, due_at)"
    " SELECT STRAIGHT_JOIN r.definition_id, r.id, l.id, CONCAT('h', h.id), " ASSIGNEE ","
    " h.at + INTERVAL r.due_minutes MINUTE"
    " FROM lead_history h"
    " JOIN task_rules r ON r.active = 1 AND r.created_at <= h.at AND r.trigger_kind IN"
    " ('lead_created', 'status_changed', 'state_changed', 'map_entered', 'step_completed',"
    " 'map_completed')"
    " JOIN task_definitions d ON d.id = r.definition_id AND d.active = 1"
    " JOIN leads l ON l.id = h.lead_id"
    " LEFT JOIN lead_maps lm ON lm.lead_id = l.id"
    " LEFT JOIN " MEMBERS " ON r.assignee_kind = 'unit' AND m.unit_id = r.assignee_unit_id"
    " AND m.k = l.id MOD m.n"
    " WHERE h.id > ? AND h.id <= ? AND h.at <= ? AND ("
    " (r.trigger_kind = 'lead_created' AND h.action = 'created')"
    " OR (r.trigger_kind = 'status_changed' AND h.field = 'status' AND (r.trigger_status_id IS NULL"
    "  OR h.after_value = (SELECT s.name FROM statuses s WHERE s.id = r.trigger_status_id)))"
    " OR (r.trigger_kind = 'state_changed' AND h.field = 'state'"
    "  AND (r.trigger_state IS NULL OR h.after_value = r.trigger_state))"
    " OR (r.trigger_kind = 'map_entered' AND h.field = 'map' AND h.after_value IS NOT NULL"
    "  AND (r.trigger_map_id IS NULL"
    "  OR h.after_value = (SELECT mp.name FROM maps mp WHERE mp.id = r.trigger_map_id)))"
    " OR (r.trigger_kind = 'step_completed' AND h.field = CONCAT('map.step.', r.trigger_step_id,"
    "  '.done') AND h.after_value = 'true')"
    " OR (r.trigger_kind = 'map_completed' AND h.field = 'map.track' AND h.after_value = '(end)'"
    "  AND (r.trigger_map_id IS NULL OR lm.map_id = r.trigger_map_id)))" LEAD_FILTERS
    " AND " ASSIGNEE " IS NOT NULL ON DUPLICATE KEY UPDATE tasks.id = tasks.id";

/* Date-relative and no-contact rules: the trigger instant is a lead's date
 * (or its last touch) moved by offset_days. A pass looks only at the
 * instants in (the rule's generated_until, or its creation; now]: C turns
 * that window into constant bounds on the date column, so each rule is one
 * index range (sql/015 indexes the columns), a new rule does not fill the
 * past, and a pass with nothing new runs no statement for it. Each lead
 * gets one task per value of its date (the key). */
#define GEN_DATES(col, prefix, extra)                                                      \
    INSERT_TASKS                                                                           \
    "SELECT r.definition_id AS def, r.id AS rid, l.id AS lid,"                              \
    " CONCAT('" prefix "', DATE_FORMAT(l." col ", '%Y%m%d%H%i%s')) AS okey, " ASSIGNEE " AS who," \
    " l." col " + INTERVAL r.offset_days DAY + INTERVAL r.due_minutes MINUTE AS due"        \
    " FROM task_rules r"                                                                   \
    " JOIN leads l ON l." col " > ? AND l." col " <= ? AND l.archived_at IS NULL" extra     \
    " LEFT JOIN lead_maps lm ON lm.lead_id = l.id"                                          \
    " LEFT JOIN " MEMBERS " ON r.assignee_kind = 'unit' AND m.unit_id = r.assignee_unit_id" \
    " AND m.k = l.id MOD m.n"                                                               \
    " WHERE r.id = ?" LEAD_FILTERS ON_DUPLICATE

/* Legend: date_field (NULL: the no-contact rule's last touch), statement. */
static const struct {
    const char *field;
    const char *sql;
} gen_dates_sql[] = {
    {"created_at", GEN_DATES("created_at", "d", "")},
    {"start_date", GEN_DATES("start_date", "d", "")},
    {"expected_completion", GEN_DATES("expected_completion", "d", "")},
    {"follow_up_at", GEN_DATES("follow_up_at", "d", "")},
    {NULL, GEN_DATES("touched_at", "n", " AND l.state IN ('new', 'in_progress')")},
};

/* Every active rule the worker acts on by time, with its window's start. */
static const char SQL_TIMED_RULES[] =
    "SELECT r.id, r.trigger_kind, r.date_field, r.offset_days, r.per_lead, c.rrule,"
    " DATE_FORMAT(c.dtstart, '%Y-%m-%dT%H:%i'), c.time_zone,"
    " DATE_FORMAT(COALESCE(r.generated_until, IF(r.trigger_kind = 'recurring',"
    "  r.created_at - INTERVAL 1 DAY, r.created_at)), '%Y-%m-%d %H:%i:%s'),"
    " (SELECT COUNT(*) FROM task_rules e WHERE e.active = 1 AND e.trigger_kind IN"
    "  ('lead_created', 'status_changed', 'state_changed', 'map_entered', 'step_completed',"
    "  'map_completed'))"
    " FROM task_definitions d JOIN task_rules r ON r.definition_id = d.id AND r.active = 1"
    "  AND r.trigger_kind IN ('date_relative', 'no_contact', 'recurring')"
    " LEFT JOIN task_recurrences c ON c.id = r.recurrence_id AND c.active = 1"
    " WHERE d.active = 1 UNION ALL SELECT 0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL,"
    " (SELECT COUNT(*) FROM task_rules e WHERE e.active = 1 AND e.trigger_kind IN"
    "  ('lead_created', 'status_changed', 'state_changed', 'map_entered', 'step_completed',"
    "  'map_completed'))";
enum { T_ID, T_KIND, T_FIELD, T_OFFSET, T_PER_LEAD, T_RRULE, T_START, T_TZ, T_FROM, T_EVENTS };

#define OCCURRENCES                                                                        \
    "JSON_TABLE(?, '$[*]' COLUMNS (t DATETIME PATH '$.t', k VARCHAR(40) PATH '$.k',"        \
    " n INT PATH '$.n')) o"

static const char SQL_GEN_RECUR_STANDALONE[] =
    INSERT_TASKS
    "SELECT r.definition_id AS def, r.id AS rid, NULL AS lid, o.k AS okey,"
    " CASE r.assignee_kind WHEN 'user' THEN r.assignee_user_id ELSE m.user_id END AS who,"
    " o.t + INTERVAL r.due_minutes MINUTE AS due FROM " OCCURRENCES
    " JOIN task_rules r ON r.id = ?"
    " LEFT JOIN " MEMBERS " ON r.assignee_kind = 'unit' AND m.unit_id = r.assignee_unit_id"
    " AND m.k = (o.n + (SELECT COUNT(*) FROM tasks pt WHERE pt.rule_id = r.id)) MOD m.n"
    ON_DUPLICATE;

static const char SQL_GEN_RECUR_PER_LEAD[] =
    INSERT_TASKS
    "SELECT r.definition_id AS def, r.id AS rid, l.id AS lid, o.k AS okey, " ASSIGNEE " AS who,"
    " o.t + INTERVAL r.due_minutes MINUTE AS due FROM " OCCURRENCES
    " JOIN task_rules r ON r.id = ?"
    " JOIN leads l ON l.archived_at IS NULL AND l.created_at <= o.t"
    "  AND (r.trigger_state IS NULL OR l.state = r.trigger_state)"
    " LEFT JOIN lead_maps lm ON lm.lead_id = l.id"
    " LEFT JOIN " MEMBERS " ON r.assignee_kind = 'unit' AND m.unit_id = r.assignee_unit_id"
    " AND m.k = (l.id + o.n) MOD m.n"
    " WHERE 1 = 1" LEAD_FILTERS ON_DUPLICATE;

static const char SQL_RULE_DONE[] =
    "UPDATE task_rules SET generated_until = GREATEST(COALESCE(generated_until, ?), ?)"
    " WHERE id = ?";

static int gen_events(struct lm_db *db, const char *now_sql, unsigned long long *created)
{
    struct lm_rows rows;
    long long cursor, top;
    int rc = lm_db_query(db, &rows, SQL_CURSOR, "");

    if (rc)
        return rc;
    cursor = lm_rows_int(&rows, 0, 0, 0);
    top = lm_rows_int(&rows, 0, 1, 0);
    lm_rows_free(&rows);
    if (top > cursor + HISTORY_BATCH)
        top = cursor + HISTORY_BATCH; /* a backlog is read over several passes */
    rc = lm_db_exec(db, SQL_GEN_EVENTS, "iis", cursor > HISTORY_OVERLAP ? cursor - HISTORY_OVERLAP : 0,
                    top, now_sql);
    if (rc)
        return rc;
    *created += db->affected;
    return top > cursor ? lm_db_exec(db, SQL_CURSOR_SET, "i", top) : LM_OK;
}

/* One date rule's window (after, now]: the date column's bounds are the
 * window moved back by offset_days (days of 86,400 s: the columns are UTC). */
static int gen_date_rule(struct lm_db *db, const struct lm_rows *rules, unsigned i,
                         long long after, long long now, unsigned long long *created)
{
    const char *field = lm_rows_get(rules, i, T_FIELD);
    int no_contact = !strcmp(lm_rows_get(rules, i, T_KIND), "no_contact");
    long long shift = lm_rows_int(rules, i, T_OFFSET, 0) * 86400LL;
    char lo[32], hi[32];
    int rc;

    for (size_t k = 0; k < sizeof gen_dates_sql / sizeof gen_dates_sql[0]; k++) {
        const char *f = gen_dates_sql[k].field;
        if (no_contact ? f != NULL : (!f || !field || strcmp(f, field)))
            continue;
        lm_time_sql(after - shift, lo);
        lm_time_sql(now - shift, hi);
        rc = lm_db_exec(db, gen_dates_sql[k].sql, "ssi", lo, hi,
                        lm_rows_int(rules, i, T_ID, 0));
        if (!rc)
            *created += db->affected;
        return rc;
    }
    return LM_OK; /* a column this build does not know: nothing to do */
}

/* One recurring rule: its occurrences in (after, now] in one statement. */
static int gen_recurring_rule(struct lm_db *db, const struct lm_rows *rules, unsigned i,
                              long long after, long long now, long long *until,
                              unsigned long long *created)
{
    long long *at = NULL;
    char (*local)[16] = NULL;
    struct lm_recur r;
    json_t *j_occ;
    char *occ = NULL;
    int n, rc = LM_OK;

    *until = now;
    if (!lm_rows_get(rules, i, T_RRULE) ||
        lm_recur_parse(lm_rows_get(rules, i, T_RRULE), lm_rows_get(rules, i, T_START),
                       lm_rows_get(rules, i, T_TZ), &r, NULL, 0))
        return LM_OK; /* no schedule, or one this product cannot read: skipped */
    at = malloc(sizeof *at * RECUR_MAX_PER_PASS);
    local = malloc(sizeof *local * RECUR_MAX_PER_PASS);
    if (!at || !local) {
        rc = LM_ERR_INTERNAL;
        goto out;
    }
    n = lm_recur_expand(&r, after, now, at, local, RECUR_MAX_PER_PASS);
    if (n <= 0)
        goto out;
    if (n == RECUR_MAX_PER_PASS)
        *until = at[n - 1]; /* the rest next pass */
    j_occ = json_array();
    for (int k = 0; k < n; k++) {
        char t[32], key[20];
        lm_time_sql(at[k], t);
        snprintf(key, sizeof key, "r%s", local[k]);
        json_array_append_new(j_occ, json_pack("{s:s, s:s, s:i}", "t", t, "k", key, "n", k));
    }
    occ = json_dumps(j_occ, JSON_COMPACT);
    json_decref(j_occ);
    if (!occ) {
        rc = LM_ERR_INTERNAL;
        goto out;
    }
    rc = lm_db_exec(db,
                    lm_rows_int(rules, i, T_PER_LEAD, 0) ? SQL_GEN_RECUR_PER_LEAD
                                                         : SQL_GEN_RECUR_STANDALONE,
                    "si", occ, lm_rows_int(rules, i, T_ID, 0));
    if (!rc)
        *created += db->affected;
out:
    free(occ);
    free(at);
    free(local);
    return rc;
}

int lm_tasks_generate(struct lm_db *db, long long now, unsigned long long *created)
{
    struct lm_rows rules;
    char now_sql[32];
    int rc;

    *created = 0;
    lm_time_sql(now, now_sql);
    rc = lm_db_query(db, &rules, SQL_TIMED_RULES, "");
    if (rc)
        return rc;
    /* every row carries the count of event rules; the row with id 0 only that */
    if (rules.nrows && lm_rows_int(&rules, 0, T_EVENTS, 0) > 0)
        rc = gen_events(db, now_sql, created);
    for (unsigned i = 0; !rc && i < rules.nrows; i++) {
        long long after = 0, until = now;
        char until_sql[32];

        if (lm_rows_int(&rules, i, T_ID, 0) == 0 ||
            lm_time_parse_iso(lm_rows_get(&rules, i, T_FROM), &after) || after >= now)
            continue; /* nothing new since the last pass */
        if (!strcmp(lm_rows_get(&rules, i, T_KIND), "recurring"))
            rc = gen_recurring_rule(db, &rules, i, after, now, &until, created);
        else
            rc = gen_date_rule(db, &rules, i, after, now, created);
        if (!rc) {
            lm_time_sql(until, until_sql);
            rc = lm_db_exec(db, SQL_RULE_DONE, "ssi", until_sql, until_sql,
                            lm_rows_int(&rules, i, T_ID, 0));
        }
    }
    lm_rows_free(&rules);
    return rc;
}
