/* Call-log SQL.
 *
 * DESIGN: a lead's call_state is stored, so tabs are index lookups; it moves
 * in two ways only. Agents' actions (touch, follow-up, claim, archive) set it
 * at once from the row. The worker's aging pass moves leads whose time ran
 * out, one set-based statement per rule, each preceded by the history rows
 * of the same leads (same WHERE), all as of the pass's `now`:
 *   scheduled     -> missed      follow-up passed, untouched since
 *   scheduled     -> not_scheduled follow-up passed, touched since
 *   not_scheduled, missed -> past_due   idle >= past_due_days
 *   not_scheduled, missed, past_due -> abandoned   idle >= abandoned_days
 *   abandoned     -> available   abandoned >= available_days; owner cleared
 * "idle" counts from idle_since: the last touch, or the follow-up when it
 * passed later (set when a lead leaves scheduled), so every rule is an index
 * range over (call_state, time) that reads only the leads it moves;
 * the day counts are calendar days or the practice's business days
 * (domain/call_log_rules.c turns them into cutoff instants). A second pass
 * with the same now matches no row. */
#include "store/call_log.h"

#include "core/crypto.h"
#include "core/log.h"
#include "core/result.h"
#include "core/rows_json.h"
#include "core/time.h"
#include "domain/call_log_rules.h"
#include "store/cache.h"
#include "store/touch_sql.h"
#include "store/users.h"

#include <stdio.h>
#include <string.h>

static const char SQL_SETTINGS[] =
    "SELECT past_due_days, abandoned_days, available_days, business_days, time_zone,"
    " open_days, version FROM call_log_settings WHERE id = 1";

int lm_call_log_settings_get(struct lm_db *db, struct lm_call_log_settings *s)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_SETTINGS, "");

    if (rc)
        return rc;
    memset(s, 0, sizeof *s);
    s->past_due_days = (int)lm_rows_int(&rows, 0, 0, 2);
    s->abandoned_days = (int)lm_rows_int(&rows, 0, 1, 3);
    s->available_days = (int)lm_rows_int(&rows, 0, 2, 5);
    s->business_days = (int)lm_rows_int(&rows, 0, 3, 0);
    snprintf(s->time_zone, sizeof s->time_zone, "%s",
             lm_rows_get(&rows, 0, 4) ? lm_rows_get(&rows, 0, 4) : "UTC");
    snprintf(s->open_days, sizeof s->open_days, "%s",
             lm_rows_get(&rows, 0, 5) ? lm_rows_get(&rows, 0, 5) : "1,2,3,4,5");
    s->version = lm_rows_int(&rows, 0, 6, 1);
    lm_rows_free(&rows);
    return LM_OK;
}

int lm_call_log_settings_json(const struct lm_call_log_settings *s, json_t **j_out)
{
    json_t *j_days = json_array();
    lm_weekdays mask = 0;

    lm_weekdays_parse(s->open_days, &mask);
    for (int d = 1; d <= 7; d++)
        if (mask & (1u << d))
            json_array_append_new(j_days, json_integer(d));
    *j_out = json_pack("{s:i, s:i, s:i, s:b, s:s, s:o, s:I}", "past_due_days",
                       s->past_due_days, "abandoned_days", s->abandoned_days, "available_days",
                       s->available_days, "business_days", s->business_days, "time_zone",
                       s->time_zone, "open_days", j_days, "version", (json_int_t)s->version);
    return *j_out ? LM_OK : LM_ERR_INTERNAL;
}

static const char SQL_SETTINGS_PUT[] =
    "UPDATE call_log_settings SET past_due_days = ?, abandoned_days = ?, available_days = ?,"
    " business_days = ?, time_zone = ?, open_days = ?, version = version + 1"
    " WHERE id = 1 AND version = ?";

int lm_call_log_settings_put(struct lm_db *db, const struct lm_call_log_settings *s)
{
    int rc = lm_db_exec(db, SQL_SETTINGS_PUT, "iiiissi", (long long)s->past_due_days,
                        (long long)s->abandoned_days, (long long)s->available_days,
                        (long long)s->business_days, s->time_zone, s->open_days, s->version);

    return rc ? rc : db->affected == 1 ? LM_OK : LM_ERR_PRECONDITION;
}

/* An agent's action on a lead: the shared touch (store/touch_sql.h). */
static const char SQL_TOUCH[] = "UPDATE leads SET " LM_SQL_TOUCH_SET " WHERE id = ?";

int lm_call_log_touch(struct lm_db *db, long long lead_id)
{
    return lm_db_exec(db, SQL_TOUCH, "i", lead_id);
}

/* follow_up_at is assigned before the touch reads it. */
static const char SQL_FOLLOW_UP[] =
    "UPDATE leads SET follow_up_at = ?, version = version + 1, updated_at = UTC_TIMESTAMP(6), "
    LM_SQL_TOUCH_SET " WHERE id = ?";

int lm_call_log_set_follow_up(struct lm_db *db, long long lead_id, const char *when_sql)
{
    return lm_db_exec(db, SQL_FOLLOW_UP, "si", when_sql, lead_id);
}

static const char SQL_CLAIM[] =
    "UPDATE leads SET owner_id = ?, follow_up_at = ?, touched_at = UTC_TIMESTAMP(6),"
    " idle_since = UTC_TIMESTAMP(6),"
    " call_state = 'scheduled', call_state_at = UTC_TIMESTAMP(6),"
    " version = version + 1, updated_at = UTC_TIMESTAMP(6)"
    " WHERE id = ? AND call_state IN ('abandoned', 'available') AND archived_at IS NULL";

int lm_call_log_claim(struct lm_db *db, long long lead_id, long long user_id,
                      const char *when_sql, int *won)
{
    int rc = lm_db_exec(db, SQL_CLAIM, "isi", user_id, when_sql, lead_id);

    *won = !rc && db->affected == 1;
    return rc;
}

/* --- aging ------------------------------------------------------------------ */

#define HISTORY_OF(from, to, rule)                                                         \
    "INSERT INTO lead_history (lead_id, at, actor_kind, action, field, before_value,"      \
    " after_value, rule) SELECT id, CAST(? AS DATETIME(6)), 'system', 'call_log',"         \
    " 'call_state', call_state, '" to "', '" rule "' FROM leads WHERE "

#define W_MISSED                                                                           \
    "call_state = 'scheduled' AND follow_up_at <= CAST(? AS DATETIME(6))"                  \
    " AND touched_at < follow_up_at"
#define W_LAPSED                                                                           \
    "call_state = 'scheduled' AND follow_up_at <= CAST(? AS DATETIME(6))"                  \
    " AND touched_at >= follow_up_at"
#define W_PAST_DUE                                                                         \
    "call_state IN ('not_scheduled', 'missed') AND idle_since <= CAST(? AS DATETIME(6))"
#define W_ABANDONED                                                                        \
    "call_state IN ('not_scheduled', 'missed', 'past_due')"                                \
    " AND idle_since <= CAST(? AS DATETIME(6))"
#define W_AVAILABLE "call_state = 'abandoned' AND call_state_at <= CAST(? AS DATETIME(6))"

static const char SQL_H_MISSED[] = HISTORY_OF("scheduled", "missed", "follow_up_passed") W_MISSED;
static const char SQL_MISSED[] =
    "UPDATE leads SET call_state = 'missed', call_state_at = CAST(? AS DATETIME(6)),"
    " idle_since = follow_up_at WHERE "
    W_MISSED;
static const char SQL_H_LAPSED[] =
    HISTORY_OF("scheduled", "not_scheduled", "follow_up_passed") W_LAPSED;
static const char SQL_LAPSED[] =
    "UPDATE leads SET call_state = 'not_scheduled', call_state_at = CAST(? AS DATETIME(6)),"
    " idle_since = touched_at WHERE " W_LAPSED;
static const char SQL_H_PAST_DUE[] =
    HISTORY_OF("", "past_due", "untouched_past_due_days") W_PAST_DUE;
static const char SQL_PAST_DUE[] =
    "UPDATE leads SET call_state = 'past_due', call_state_at = CAST(? AS DATETIME(6)) WHERE "
    W_PAST_DUE;
static const char SQL_H_ABANDONED[] =
    HISTORY_OF("", "abandoned", "untouched_abandoned_days") W_ABANDONED;
static const char SQL_ABANDONED[] =
    "UPDATE leads SET call_state = 'abandoned', call_state_at = CAST(? AS DATETIME(6)) WHERE "
    W_ABANDONED;
static const char SQL_H_AVAILABLE[] =
    HISTORY_OF("abandoned", "available", "abandoned_available_days") W_AVAILABLE;
static const char SQL_H_AVAILABLE_OWNER[] =
    "INSERT INTO lead_history (lead_id, at, actor_kind, action, field, before_value,"
    " after_value, rule) SELECT id, CAST(? AS DATETIME(6)), 'system', 'call_log', 'owner_id',"
    " owner_id, NULL, 'abandoned_available_days' FROM leads WHERE owner_id IS NOT NULL AND "
    W_AVAILABLE;
static const char SQL_AVAILABLE[] =
    "UPDATE leads SET call_state = 'available', call_state_at = CAST(? AS DATETIME(6)),"
    " owner_id = NULL, version = version + 1 WHERE " W_AVAILABLE;

int lm_call_log_age(struct lm_db *db, long long now, unsigned long long *changed)
{
    struct lm_call_log_settings s;
    lm_weekdays open = 0;
    char t[32], past_due[32], abandoned[32], available[32];
    int rc = lm_call_log_settings_get(db, &s);

    *changed = 0;
    if (rc)
        return rc;
    if (lm_weekdays_parse(s.open_days, &open))
        open = 0x3E; /* Monday to Friday */
    {
        long long c_past_due, c_abandoned, c_available;
        if (lm_call_log_cutoff(now, s.past_due_days, s.business_days, s.time_zone, open,
                               &c_past_due) ||
            lm_call_log_cutoff(now, s.abandoned_days, s.business_days, s.time_zone, open,
                               &c_abandoned) ||
            lm_call_log_cutoff(now, s.available_days, s.business_days, s.time_zone, open,
                               &c_available)) {
            lm_log_error("call log: unknown time zone '%s'; no aging until it is fixed",
                         s.time_zone);
            return LM_ERR_PARAM;
        }
        lm_time_sql(now, t);
        lm_time_sql(c_past_due, past_due);
        lm_time_sql(c_abandoned, abandoned);
        lm_time_sql(c_available, available);
    }

    {
        /* Legend: the history rows, an optional second history row, the move,
         * and the instant the rule compares with (every statement binds the
         * pass's now, then that instant). Abandoned runs before past due, so
         * a lead idle long enough skips past due. */
        const struct {
            const char *history, *history2, *move, *bound;
        } rules[] = {
            {SQL_H_MISSED, NULL, SQL_MISSED, t},
            {SQL_H_LAPSED, NULL, SQL_LAPSED, t},
            {SQL_H_ABANDONED, NULL, SQL_ABANDONED, abandoned},
            {SQL_H_PAST_DUE, NULL, SQL_PAST_DUE, past_due},
            {SQL_H_AVAILABLE, SQL_H_AVAILABLE_OWNER, SQL_AVAILABLE, available},
        };

        for (size_t i = 0; !rc && i < sizeof rules / sizeof rules[0]; i++) {
            rc = lm_db_exec(db, rules[i].history, "ss", t, rules[i].bound);
            if (!rc && rules[i].history2)
                rc = lm_db_exec(db, rules[i].history2, "ss", t, rules[i].bound);
            if (!rc)
                rc = lm_db_exec(db, rules[i].move, "ss", t, rules[i].bound);
            if (!rc)
                *changed += db->affected;
        }
    }
    return rc;
}

/* --- tabs and calendar ----------------------------------------------------- */

#define ISO(col) "DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%sZ')"

/* Each tab first picks its page of ids from its own index (the CTE k), then
 * reads that page as plain rows: the leads (kind 0, in the tab's order) and
 * their phones (kind 1, by lead and position) in one statement; tab_json()
 * writes the JSON.
 * kind 0: 0, id, first_name, last_name, status, status_color, state,
 *         call_state, follow_up_at, touched_at, since, owner_id, owner,
 *         cursor time (Schedule only)
 * kind 1: 1, lead id, phone */
#define TAB_ROWS(page, s1)                                                                 \
    "WITH k AS (" page ")"                                                                 \
    " SELECT 0 AS kind, l.id, l.first_name, l.last_name, s.name, s.color, l.state,"        \
    " l.call_state, " ISO("l.follow_up_at") ", " ISO("l.touched_at") ","                   \
    " " ISO("l.call_state_at") ", l.owner_id, o.name, UNIX_TIMESTAMP(l.follow_up_at),"     \
    " " s1 " AS s1, l.id AS s2, 0 AS s3 FROM k JOIN leads l ON l.id = k.id"                \
    " JOIN statuses s ON s.id = l.status_id LEFT JOIN users o ON o.id = l.owner_id"        \
    " UNION ALL SELECT 1, p.lead_id, p.phone, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"   \
    " NULL, NULL, NULL, NULL, NULL, p.lead_id, p.position"                                 \
    " FROM k JOIN lead_phones p ON p.lead_id = k.id ORDER BY kind, s1, s2, s3"

/* Keyset on id, except the Schedule: (follow_up_at, id), soonest first. */
static const char SQL_TAB_TBS[] =
    TAB_ROWS("SELECT id FROM leads WHERE owner_id = ? AND call_tab = 'to_be_scheduled'"
             " AND id > ? ORDER BY id LIMIT ?",
             "NULL");
static const char SQL_TAB_SCHEDULE[] =
    TAB_ROWS("SELECT id, follow_up_at FROM leads WHERE owner_id = ? AND call_state = 'scheduled'"
             " AND (follow_up_at > FROM_UNIXTIME(?) OR (follow_up_at = FROM_UNIXTIME(?)"
             " AND id > ?))"
             /* the cursor's time keeps its microseconds: follow-ups may share a second */
             " ORDER BY follow_up_at, id LIMIT ?",
             "k.follow_up_at");
static const char SQL_TAB_BANK[] =
    TAB_ROWS("SELECT id FROM leads WHERE ? > 0 AND call_tab = 'lead_bank' AND id > ?"
             " ORDER BY id LIMIT ?",
             "NULL");
/* Tab counts stop at LM_CALL_LOG_COUNT_CAP, so a page costs the same with a
 * Lead Bank of a hundred leads or of a million ("100+" in the app). Missed
 * and past due (part of To Be Scheduled) are counted too, for Home: each one
 * range of ix_leads_call_owner. */
#define STR_(x) #x
#define STR(x) STR_(x)
#define CAPPED(where)                                                                      \
    "(SELECT COUNT(*) FROM (SELECT 1 FROM leads WHERE " where                              \
    " LIMIT " STR(LM_CALL_LOG_COUNT_CAP) ") c)"
static const char SQL_COUNTS[] =
    "SELECT " CAPPED("owner_id = ? AND call_tab = 'to_be_scheduled'") ","
    " " CAPPED("owner_id = ? AND call_tab = 'schedule'") ","
    " " CAPPED("call_tab = 'lead_bank'") ","
    " " CAPPED("owner_id = ? AND call_state = 'missed'") ","
    " " CAPPED("owner_id = ? AND call_state = 'past_due'");

/* One tab row; the shape the app's call log and the lead list share. */
static json_t *tab_row_json(const struct lm_rows *rows, unsigned r)
{
    const char *call_state = lm_rows_get(rows, r, 7);
    const char *color = NULL;
    json_t *j = json_object(), *j_call = json_object();

    if (call_state && !strcmp(call_state, "missed"))
        color = "yellow";
    else if (call_state && !strcmp(call_state, "past_due"))
        color = "red";
    json_object_set_new(j, "id", lm_rows_json_int(rows, r, 1));
    json_object_set_new(j, "first_name", lm_rows_json_str(rows, r, 2));
    json_object_set_new(j, "last_name", lm_rows_json_str(rows, r, 3));
    json_object_set_new(j, "phones", json_array());
    json_object_set_new(j, "status", lm_rows_json_str(rows, r, 4));
    json_object_set_new(j, "status_color", lm_rows_json_str(rows, r, 5));
    json_object_set_new(j, "state", lm_rows_json_str(rows, r, 6));
    json_object_set_new(j_call, "state", lm_rows_json_str(rows, r, 7));
    json_object_set_new(j_call, "follow_up_at", lm_rows_json_str(rows, r, 8));
    json_object_set_new(j_call, "touched_at", lm_rows_json_str(rows, r, 9));
    json_object_set_new(j_call, "since", lm_rows_json_str(rows, r, 10));
    json_object_set_new(j_call, "owner_id", lm_rows_json_int(rows, r, 11));
    json_object_set_new(j_call, "color", color ? json_string(color) : json_null());
    json_object_set_new(j, "call_log", j_call);
    json_object_set_new(j, "owner", lm_rows_json_str(rows, r, 12));
    return j;
}

/* Writes at most limit rows with their phones into j_items; *count receives
 * the number of lead rows, last the cursor of the last row written. */
static void tab_json(const struct lm_rows *rows, int limit, int schedule, json_t *j_items,
                     int *count, char *last, size_t lastlen)
{
    size_t hint = 0;

    *count = 0;
    for (unsigned r = 0; r < rows->nrows; r++) {
        json_t *j_row;

        if (lm_rows_int(rows, r, 0, 0) == 0) {
            if ((*count)++ >= limit)
                continue;
            json_array_append_new(j_items, tab_row_json(rows, r));
            if (schedule)
                snprintf(last, lastlen, "%s_%lld",
                         lm_rows_get(rows, r, 13) ? lm_rows_get(rows, r, 13) : "0",
                         lm_rows_int(rows, r, 1, 0));
            else
                snprintf(last, lastlen, "%lld", lm_rows_int(rows, r, 1, 0));
            continue;
        }
        j_row = lm_json_item_by_id(j_items, lm_rows_int(rows, r, 1, 0), &hint);
        if (j_row)
            json_array_append_new(json_object_get(j_row, "phones"), lm_rows_json_str(rows, r, 2));
    }
}

int lm_call_log_tab_json(struct lm_db *db, const struct lm_user *u, const char *tab,
                         const char *after, int limit, json_t **j_out)
{
    struct lm_rows rows;
    json_t *j_items;
    int schedule = !strcmp(tab, "schedule");
    const char *sql = !strcmp(tab, "lead_bank") ? SQL_TAB_BANK : SQL_TAB_TBS;
    long long after_id = 0;
    char after_t[40] = "0", last[64] = "";
    int count = 0, rc;

    *j_out = NULL;
    /* cursors: "<id>", or "<unix time>_<id>" on the Schedule */
    if (after && *after) {
        char tail;
        if (schedule && (sscanf(after, "%39[0-9.]_%lld%c", after_t, &after_id, &tail) != 2 ||
                         after_id < 0))
            return LM_ERR_PARAM;
        if (!schedule && (sscanf(after, "%lld%c", &after_id, &tail) != 1 || after_id < 0))
            return LM_ERR_PARAM;
    }
    rc = schedule ? lm_db_query(db, &rows, SQL_TAB_SCHEDULE, "issii", u->id, after_t, after_t,
                                after_id, (long long)limit + 1)
                  : lm_db_query(db, &rows, sql, "iii", u->id, after_id, (long long)limit + 1);
    if (rc)
        return rc;
    j_items = json_array();
    tab_json(&rows, limit, schedule, j_items, &count, last, sizeof last);
    lm_rows_free(&rows);
    *j_out = json_pack("{s:o}", "items", j_items);
    json_object_set_new(*j_out, "next", count > limit ? json_string(last) : json_null());
    rc = lm_db_query(db, &rows, SQL_COUNTS, "iiii", u->id, u->id, u->id, u->id);
    if (rc) {
        json_decref(*j_out);
        *j_out = NULL;
        return rc;
    }
    json_object_set_new(*j_out, "counts_cap", json_integer(LM_CALL_LOG_COUNT_CAP));
    json_object_set_new(*j_out, "counts",
                        json_pack("{s:I, s:I, s:I, s:I, s:I}", "to_be_scheduled",
                                  (json_int_t)lm_rows_int(&rows, 0, 0, 0), "schedule",
                                  (json_int_t)lm_rows_int(&rows, 0, 1, 0), "lead_bank",
                                  (json_int_t)lm_rows_int(&rows, 0, 2, 0), "missed",
                                  (json_int_t)lm_rows_int(&rows, 0, 3, 0), "past_due",
                                  (json_int_t)lm_rows_int(&rows, 0, 4, 0)));
    lm_rows_free(&rows);
    return LM_OK;
}

/* The user's schedule: follow-ups of the leads they own, and the entries
 * schedule steps of the lead map placed for them (lead_events, by
 * ix_lead_events_user). Plain columns: source ('f' follow-up, 's' step),
 * lead id, step id, lead name, start, end, call_state, first phone, kind;
 * the title is written in C (a step's name from the settings cache). */
static const char SQL_EVENTS[] =
    "SELECT 'f' AS src, l.id, 0 AS step_id, TRIM(CONCAT(l.first_name, ' ', l.last_name)),"
    " " ISO("l.follow_up_at") ", " ISO("l.follow_up_at + INTERVAL 15 MINUTE") ","
    " l.call_state, (SELECT p.phone FROM lead_phones p WHERE p.lead_id = l.id"
    "   ORDER BY p.position LIMIT 1), 'follow_up' AS kind, l.follow_up_at AS at"
    " FROM leads l WHERE l.owner_id = ? AND l.follow_up_at IS NOT NULL"
    " AND l.archived_at IS NULL AND l.follow_up_at >= CAST(? AS DATETIME(6))"
    " AND l.follow_up_at < CAST(? AS DATETIME(6))"
    " UNION ALL SELECT 's', l.id, e.step_id, TRIM(CONCAT(l.first_name, ' ', l.last_name)),"
    " " ISO("e.starts_at") ", " ISO("e.starts_at + INTERVAL 30 MINUTE") ", l.call_state,"
    " (SELECT p.phone FROM lead_phones p WHERE p.lead_id = l.id ORDER BY p.position LIMIT 1),"
    " e.kind, e.starts_at FROM lead_events e JOIN leads l ON l.id = e.lead_id"
    " WHERE e.user_id = ? AND e.cancelled_at IS NULL AND l.archived_at IS NULL"
    " AND e.starts_at >= CAST(? AS DATETIME(6)) AND e.starts_at < CAST(? AS DATETIME(6))"
    " ORDER BY 10, 1, 2 LIMIT 2000";

static json_t *event_json(const struct lm_rows *rows, unsigned r)
{
    json_t *j = json_object();
    const char *src = lm_rows_get(rows, r, 0);
    const char *name = lm_rows_get(rows, r, 3);
    long long lead = lm_rows_int(rows, r, 1, 0), step_id = lm_rows_int(rows, r, 2, 0);
    char id[64], title[400];

    if (src[0] == 'f') {
        snprintf(id, sizeof id, "follow-up-%lld", lead);
        snprintf(title, sizeof title, "Call%s%s", name && name[0] ? " " : "", name ? name : "");
    } else {
        const struct lm_step_def *s = lm_step_def(lm_cache_maps(), step_id);
        snprintf(id, sizeof id, "step-%lld-%lld", lead, step_id);
        snprintf(title, sizeof title, "%s: %s", s ? s->name : "Appointment", name ? name : "");
    }
    json_object_set_new(j, "id", json_string(id));
    json_object_set_new(j, "lead_id", json_integer(lead));
    json_object_set_new(j, "title", json_string(title));
    json_object_set_new(j, "start", lm_rows_json_str(rows, r, 4));
    json_object_set_new(j, "end", lm_rows_json_str(rows, r, 5));
    json_object_set_new(j, "kind", lm_rows_json_str(rows, r, 8));
    json_object_set_new(j, "call_state", lm_rows_json_str(rows, r, 6));
    json_object_set_new(j, "phone", lm_rows_json_str(rows, r, 7));
    if (src[0] == 's')
        json_object_set_new(j, "step_id", json_integer(step_id));
    return j;
}

int lm_call_log_events_json(struct lm_db *db, long long user_id, const char *from_sql,
                            const char *to_sql, json_t **j_out)
{
    struct lm_rows rows;
    json_t *j_items;
    int rc = lm_db_query(db, &rows, SQL_EVENTS, "ississ", user_id, from_sql, to_sql, user_id,
                         from_sql, to_sql);

    *j_out = NULL;
    if (rc)
        return rc;
    j_items = json_array();
    for (unsigned r = 0; r < rows.nrows; r++)
        json_array_append_new(j_items, event_json(&rows, r));
    lm_rows_free(&rows);
    *j_out = json_pack("{s:o, s:n}", "items", j_items, "next");
    return LM_OK;
}

/* Only the SHA-256 of a feed token is stored (as for refresh tokens); the
 * token is known once, when made. */
static const char SQL_FEED_ACTIVE[] =
    "SELECT calendar_token_hash IS NOT NULL FROM users WHERE id = ?";
static const char SQL_FEED_SET[] = "UPDATE users SET calendar_token_hash = ? WHERE id = ?";
static const char SQL_FEED_USER[] =
    "SELECT id, name FROM users WHERE calendar_token_hash = ? AND active = 1";

int lm_calendar_feed_active(struct lm_db *db, long long user_id, int *active)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_FEED_ACTIVE, "i", user_id);

    *active = 0;
    if (rc)
        return rc;
    *active = lm_rows_int(&rows, 0, 0, 0) == 1;
    lm_rows_free(&rows);
    return LM_OK;
}

int lm_calendar_token_new(struct lm_db *db, long long user_id, char out[LM_TOKEN_LEN])
{
    char hash[LM_SHA256_HEX];
    int rc;

    lm_random_token(out);
    lm_sha256_hex(out, strlen(out), hash);
    rc = lm_db_exec(db, SQL_FEED_SET, "si", hash, user_id);
    if (rc)
        out[0] = '\0';
    return rc;
}

int lm_calendar_user(struct lm_db *db, const char *token, long long *user_id, char *name,
                     size_t namelen)
{
    struct lm_rows rows;
    char hash[LM_SHA256_HEX];
    int rc;

    lm_sha256_hex(token, strlen(token), hash);
    rc = lm_db_query(db, &rows, SQL_FEED_USER, "s", hash);
    if (rc)
        return rc;
    rc = rows.nrows == 1 ? LM_OK : LM_ERR_NOT_FOUND;
    *user_id = lm_rows_int(&rows, 0, 0, 0);
    snprintf(name, namelen, "%s", lm_rows_get(&rows, 0, 1) ? lm_rows_get(&rows, 0, 1) : "");
    lm_rows_free(&rows);
    return rc;
}
