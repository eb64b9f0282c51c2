/* Writes of a lead's map state (see lead_map.h), and the due-calls list.
 * One statement each; a step change is an upsert keyed by (lead, step), so
 * a value survives the lead moving to another map and back. */
#include "store/lead_map.h"

#include "core/result.h"
#include "store/touch_sql.h"

#include <stdio.h>
#include <string.h>

static const char SQL_ENTER[] =
    "INSERT INTO lead_maps (lead_id, map_id, map_version, current_track_id, entered_at,"
    " track_entered_at, completed_at)"
    " VALUES (?, ?, ?, NULLIF(?, 0), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), NULL)"
    " ON DUPLICATE KEY UPDATE map_id = VALUES(map_id), map_version = VALUES(map_version),"
    " current_track_id = VALUES(current_track_id), entered_at = VALUES(entered_at),"
    " track_entered_at = VALUES(track_entered_at), completed_at = NULL";
static const char SQL_LEAVE[] = "DELETE FROM lead_maps WHERE lead_id = ?";
/* track_entered_at is assigned before current_track_id, which MariaDB
 * applies left to right */
static const char SQL_PROGRESS[] =
    "UPDATE lead_maps SET track_entered_at = IF(current_track_id <=> NULLIF(?, 0),"
    " track_entered_at, UTC_TIMESTAMP(6)), current_track_id = NULLIF(?, 0),"
    " completed_at = IF(? = 1, COALESCE(completed_at, UTC_TIMESTAMP(6)), NULL)"
    " WHERE lead_id = ?";
static const char SQL_STEP_WRITE[] =
    "INSERT INTO lead_step_values (lead_id, step_id, value_text, value_num, value_time, done,"
    " updated_by) VALUES (?, ?, NULLIF(?, ''), NULLIF(?, ''), NULLIF(?, ''), ?, NULLIF(?, 0))"
    " ON DUPLICATE KEY UPDATE value_text = VALUES(value_text), value_num = VALUES(value_num),"
    " value_time = VALUES(value_time), done = VALUES(done), updated_by = VALUES(updated_by),"
    " updated_at = UTC_TIMESTAMP(6), version = version + 1";
static const char SQL_ATTEMPT_ADD[] =
    "INSERT INTO lead_call_attempts (lead_id, step_id, outcome, note, by_user)"
    " VALUES (?, ?, ?, NULLIF(?, ''), NULLIF(?, 0))";
/* value_text keeps 'reached' once an attempt reached the lead; the next
 * attempt is due the spacing after this one unless the step is now done
 * (MariaDB assigns left to right, so next_due_at sees the new done) */
static const char SQL_ATTEMPT_COUNT[] =
    "INSERT INTO lead_step_values (lead_id, step_id, value_text, done, attempts,"
    " last_attempt_at, updated_by, next_due_at, due_user_id) VALUES (?, ?,"
    " IF(? = 'reached', 'reached', NULL), ? = 'reached' OR ? <= 1, 1, UTC_TIMESTAMP(6),"
    " NULLIF(?, 0), IF(? = 'reached' OR ? <= 1, NULL, UTC_TIMESTAMP(6) + INTERVAL ? MINUTE),"
    " NULLIF(?, 0))"
    " ON DUPLICATE KEY UPDATE value_text = IF(VALUES(value_text) = 'reached', 'reached',"
    " value_text), done = value_text <=> 'reached' OR attempts + 1 >= ?,"
    " attempts = attempts + 1, last_attempt_at = UTC_TIMESTAMP(6),"
    " updated_by = VALUES(updated_by), updated_at = UTC_TIMESTAMP(6), version = version + 1,"
    " next_due_at = IF(done, NULL, UTC_TIMESTAMP(6) + INTERVAL ? MINUTE),"
    " due_user_id = VALUES(due_user_id)";
/* The call steps of a track the lead has just entered go on its owner's
 * list: due at once before any attempt, the spacing after the last one
 * otherwise (a lead coming back to a map), never when done. */
static const char SQL_DUE_ENTER[] =
    "INSERT INTO lead_step_values (lead_id, step_id, next_due_at, due_user_id)"
    " SELECT ?, s.id, IF(v.done, NULL, COALESCE(v.last_attempt_at + INTERVAL"
    "   s.call_spacing_minutes MINUTE, UTC_TIMESTAMP(6))), NULLIF(?, 0)"
    " FROM map_steps s LEFT JOIN lead_step_values v ON v.lead_id = ? AND v.step_id = s.id"
    " WHERE s.track_id = ? AND s.type = 'call' AND s.active = 1"
    " ON DUPLICATE KEY UPDATE next_due_at = VALUES(next_due_at),"
    " due_user_id = VALUES(due_user_id)";
static const char SQL_DUE_CLEAR[] =
    "UPDATE lead_step_values SET next_due_at = NULL, due_user_id = NULL"
    " WHERE lead_id = ? AND next_due_at IS NOT NULL";
/* The user's due calls from ix_lead_step_values_due, oldest first; the
 * lead must still be theirs and open (an archived, won, lost or completed
 * lead has no calls to make). */
static const char SQL_DUE_LIST[] =
    "SELECT v.lead_id, v.step_id, v.next_due_at, v.attempts, v.last_attempt_at,"
    " l.first_name, l.last_name,"
    " (SELECT p.phone FROM lead_phones p WHERE p.lead_id = l.id ORDER BY p.position LIMIT 1)"
    " FROM lead_step_values v FORCE INDEX (ix_lead_step_values_due)"
    " JOIN leads l ON l.id = v.lead_id"
    " WHERE v.due_user_id = ? AND v.next_due_at <= UTC_TIMESTAMP(6) AND l.owner_id = ?"
    " AND l.archived_at IS NULL AND l.state IN ('new', 'in_progress')"
    " ORDER BY v.next_due_at, v.lead_id, v.step_id LIMIT ?";
static const char SQL_EVENT_SET[] =
    "INSERT INTO lead_events (lead_id, step_id, user_id, kind, starts_at) VALUES (?, ?, ?, ?, ?)"
    " ON DUPLICATE KEY UPDATE user_id = VALUES(user_id), kind = VALUES(kind),"
    " starts_at = VALUES(starts_at), cancelled_at = NULL";
static const char SQL_EVENT_CANCEL[] =
    "UPDATE lead_events SET cancelled_at = UTC_TIMESTAMP(6)"
    " WHERE lead_id = ? AND step_id = ? AND cancelled_at IS NULL";
static const char SQL_TOUCH[] =
    "UPDATE leads SET version = version + 1, updated_at = UTC_TIMESTAMP(6), " LM_SQL_TOUCH_SET
    " WHERE id = ?";

int lm_lead_map_enter(struct lm_db *db, long long lead_id, long long map_id,
                      long long map_version, long long track_id)
{
    return lm_db_exec(db, SQL_ENTER, "iiii", lead_id, map_id, map_version, track_id);
}

int lm_lead_map_leave(struct lm_db *db, long long lead_id)
{
    return lm_db_exec(db, SQL_LEAVE, "i", lead_id);
}

int lm_lead_map_progress_save(struct lm_db *db, long long lead_id, long long track_id,
                              int completed)
{
    return lm_db_exec(db, SQL_PROGRESS, "iiii", track_id, track_id, (long long)completed,
                      lead_id);
}

int lm_lead_step_write(struct lm_db *db, long long lead_id, long long step_id,
                       const struct lm_step_value *v, long long user_id)
{
    return lm_db_exec(db, SQL_STEP_WRITE, "iisssii", lead_id, step_id, v->clear ? "" : v->text,
                      v->clear ? "" : v->num, v->clear ? "" : v->time_sql,
                      (long long)(!v->clear && v->done), user_id);
}

int lm_lead_call_attempt(struct lm_db *db, long long lead_id, long long step_id,
                         const char *outcome, const char *note, long long user_id, int needed,
                         int spacing_minutes, long long owner_id)
{
    int rc = lm_db_exec(db, SQL_ATTEMPT_ADD, "iissi", lead_id, step_id, outcome, note, user_id);

    if (!rc)
        rc = lm_db_exec(db, SQL_ATTEMPT_COUNT, "iissiisiiiii", lead_id, step_id, outcome,
                        outcome, (long long)needed, user_id, outcome, (long long)needed,
                        (long long)spacing_minutes, owner_id, (long long)needed,
                        (long long)spacing_minutes);
    return rc;
}

int lm_lead_calls_due_enter(struct lm_db *db, long long lead_id, long long track_id,
                            long long owner_id)
{
    return lm_db_exec(db, SQL_DUE_ENTER, "iiii", lead_id, owner_id, lead_id, track_id);
}

int lm_lead_calls_due_clear(struct lm_db *db, long long lead_id)
{
    return lm_db_exec(db, SQL_DUE_CLEAR, "i", lead_id);
}

int lm_calls_due_list(struct lm_db *db, long long user_id, int limit, struct lm_call_due *out,
                      int *n)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_DUE_LIST, "iii", user_id, user_id, (long long)limit);

    *n = 0;
    if (rc)
        return rc;
    for (unsigned r = 0; r < rows.nrows && *n < limit; r++) {
        struct lm_call_due *c = &out[(*n)++];
        memset(c, 0, sizeof *c);
        c->lead_id = lm_rows_int(&rows, r, 0, 0);
        c->step_id = lm_rows_int(&rows, r, 1, 0);
        lm_datetime_to_iso(lm_rows_get(&rows, r, 2), c->due_at);
        c->attempts = (int)lm_rows_int(&rows, r, 3, 0);
        lm_datetime_to_iso(lm_rows_get(&rows, r, 4), c->last_attempt_at);
        snprintf(c->first_name, sizeof c->first_name, "%s",
                 lm_rows_get(&rows, r, 5) ? lm_rows_get(&rows, r, 5) : "");
        snprintf(c->last_name, sizeof c->last_name, "%s",
                 lm_rows_get(&rows, r, 6) ? lm_rows_get(&rows, r, 6) : "");
        snprintf(c->phone, sizeof c->phone, "%s",
                 lm_rows_get(&rows, r, 7) ? lm_rows_get(&rows, r, 7) : "");
    }
    lm_rows_free(&rows);
    return LM_OK;
}

int lm_lead_event_set(struct lm_db *db, long long lead_id, long long step_id, long long user_id,
                      const char *kind, const char *starts_sql)
{
    return lm_db_exec(db, SQL_EVENT_SET, "iiiss", lead_id, step_id, user_id, kind, starts_sql);
}

int lm_lead_event_cancel(struct lm_db *db, long long lead_id, long long step_id)
{
    return lm_db_exec(db, SQL_EVENT_CANCEL, "ii", lead_id, step_id);
}

int lm_lead_map_touch(struct lm_db *db, long long lead_id)
{
    return lm_db_exec(db, SQL_TOUCH, "i", lead_id);
}
