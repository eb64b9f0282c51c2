/* Map definitions, videos and assignment rules (see maps.h).
 *
 * A map is saved whole: its tracks and steps are first all deactivated,
 * then the ones in the plan are written back active — existing tracks in one
 * UPDATE joined to JSON_TABLE(?), new tracks one INSERT each (their ids are
 * needed for their steps; a map has a handful), and every step, old or new,
 * in one INSERT … SELECT FROM JSON_TABLE(?) ON DUPLICATE KEY UPDATE. Nothing
 * is deleted, so the values leads hold for a step survive any edit. */
#include "store/maps.h"

#include "core/result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_MAP_LOCK[] = "SELECT version FROM maps WHERE id = ? FOR UPDATE";
static const char SQL_MAP_INSERT[] = "INSERT INTO maps (name, active) VALUES (?, ?)";
static const char SQL_MAP_UPDATE[] =
    "UPDATE maps SET name = ?, active = ?, version = version + 1,"
    " updated_at = UTC_TIMESTAMP(6) WHERE id = ?";
static const char SQL_TRACKS_HIDE[] = "UPDATE map_tracks SET active = 0 WHERE map_id = ?";
static const char SQL_STEPS_HIDE[] =
    "UPDATE map_steps s JOIN map_tracks t ON t.id = s.track_id SET s.active = 0"
    " WHERE t.map_id = ?";
static const char SQL_TRACK_INSERT[] =
    "INSERT INTO map_tracks (map_id, position, name) VALUES (?, ?, ?)";
static const char SQL_TRACKS_UPDATE[] =
    "UPDATE map_tracks t JOIN JSON_TABLE(?, '$[*]' COLUMNS ("
    " id BIGINT UNSIGNED PATH '$.id', pos INT PATH '$.pos',"
    " name VARCHAR(120) CHARACTER SET utf8mb4 PATH '$.name')) j ON j.id = t.id"
    " SET t.position = j.pos, t.name = j.name, t.active = 1 WHERE t.map_id = ?";
static const char SQL_STEPS_UPSERT[] =
    "INSERT INTO map_steps (id, track_id, position, name, type, required, active, options,"
    " bound_field, video_id, schedule_kind, call_attempts, call_spacing_minutes)"
    " SELECT NULLIF(j.id, 0), j.track, j.pos, j.name, j.type, j.req, 1, j.opts, j.bound,"
    " NULLIF(j.video, 0), j.kind, NULLIF(j.att, 0), j.sp FROM JSON_TABLE(?, '$[*]' COLUMNS ("
    " id BIGINT UNSIGNED PATH '$.id', track BIGINT UNSIGNED PATH '$.track',"
    " pos INT PATH '$.pos', name VARCHAR(120) CHARACTER SET utf8mb4 PATH '$.name',"
    " type VARCHAR(16) PATH '$.type', req TINYINT PATH '$.required',"
    " opts TEXT CHARACTER SET utf8mb4 PATH '$.options',"
    " bound VARCHAR(80) CHARACTER SET utf8mb4 PATH '$.bound_field',"
    " video BIGINT UNSIGNED PATH '$.video_id', kind VARCHAR(16) PATH '$.schedule_kind',"
    " att SMALLINT UNSIGNED PATH '$.call_attempts',"
    " sp INT UNSIGNED PATH '$.call_spacing_minutes')) j"
    " ON DUPLICATE KEY UPDATE track_id = VALUES(track_id), position = VALUES(position),"
    " name = VALUES(name), required = VALUES(required), active = 1, options = VALUES(options),"
    " bound_field = VALUES(bound_field), video_id = VALUES(video_id),"
    " schedule_kind = VALUES(schedule_kind), call_attempts = VALUES(call_attempts),"
    " call_spacing_minutes = VALUES(call_spacing_minutes)";

static int exec_json(struct lm_db *db, const char *sql, json_t *j_rows, long long id,
                     int with_id)
{
    char *text = json_dumps(j_rows, JSON_COMPACT);
    int rc;

    if (!text)
        return LM_ERR_INTERNAL;
    rc = with_id ? lm_db_exec(db, sql, "si", text, id) : lm_db_exec(db, sql, "s", text);
    free(text);
    return rc;
}

/* Locks an existing map and checks its version. */
static int lock_map(struct lm_db *db, long long map_id, long long if_version,
                    long long cached_version)
{
    struct lm_rows rows;
    long long version;
    int rc = lm_db_query(db, &rows, SQL_MAP_LOCK, "i", map_id);

    if (rc)
        return rc;
    version = lm_rows_int(&rows, 0, 0, 0);
    if (rows.nrows != 1)
        rc = LM_ERR_NOT_FOUND;
    else if (version != if_version || version != cached_version)
        rc = LM_ERR_PRECONDITION;
    lm_rows_free(&rows);
    return rc;
}

int lm_map_save(struct lm_db *db, long long *map_id, long long if_version,
                long long cached_version, const json_t *j_plan)
{
    const json_t *j_t;
    json_t *j_old_tracks = json_array(), *j_steps = json_array();
    const char *name = json_string_value(json_object_get(j_plan, "name"));
    long long active = json_is_true(json_object_get(j_plan, "active"));
    size_t i;
    int rc;

    if (*map_id) {
        rc = lock_map(db, *map_id, if_version, cached_version);
        if (!rc)
            rc = lm_db_exec(db, SQL_MAP_UPDATE, "sii", name, active, *map_id);
        if (!rc)
            rc = lm_db_exec(db, SQL_TRACKS_HIDE, "i", *map_id);
        if (!rc)
            rc = lm_db_exec(db, SQL_STEPS_HIDE, "i", *map_id);
    } else {
        rc = lm_db_exec(db, SQL_MAP_INSERT, "si", name, active);
        *map_id = (long long)db->insert_id;
    }
    json_array_foreach(json_object_get(j_plan, "tracks"), i, j_t)
    {
        long long tid = json_integer_value(json_object_get(j_t, "id"));
        const json_t *j_s;
        size_t k;
        if (rc)
            break;
        if (tid) {
            json_array_append_new(j_old_tracks,
                                  json_pack("{s:I, s:i, s:O}", "id", (json_int_t)tid, "pos",
                                            (int)i, "name", json_object_get(j_t, "name")));
        } else {
            rc = lm_db_exec(db, SQL_TRACK_INSERT, "iis", *map_id, (long long)i,
                            json_string_value(json_object_get(j_t, "name")));
            tid = (long long)db->insert_id;
        }
        json_array_foreach(json_object_get(j_t, "steps"), k, j_s)
        {
            json_t *j_row = json_deep_copy(j_s);
            json_object_set_new(j_row, "track", json_integer(tid));
            json_object_set_new(j_row, "pos", json_integer((json_int_t)k));
            json_object_set_new(j_row, "required",
                                json_integer(json_is_true(json_object_get(j_s, "required"))));
            json_array_append_new(j_steps, j_row);
        }
    }
    if (!rc && json_array_size(j_old_tracks))
        rc = exec_json(db, SQL_TRACKS_UPDATE, j_old_tracks, *map_id, 1);
    if (!rc && json_array_size(j_steps))
        rc = exec_json(db, SQL_STEPS_UPSERT, j_steps, 0, 0);
    json_decref(j_old_tracks);
    json_decref(j_steps);
    return rc;
}

static const char SQL_MAP_USED[] =
    "SELECT 1 FROM lead_maps WHERE map_id = ? UNION ALL SELECT 1 FROM lead_step_values v"
    " JOIN map_steps s ON s.id = v.step_id JOIN map_tracks t ON t.id = s.track_id"
    " WHERE t.map_id = ? LIMIT 1";
static const char SQL_MAP_DEL_STEPS[] =
    "DELETE s FROM map_steps s JOIN map_tracks t ON t.id = s.track_id WHERE t.map_id = ?";
static const char SQL_MAP_DEL_TRACKS[] = "DELETE FROM map_tracks WHERE map_id = ?";
static const char SQL_MAP_DEL_RULES[] = "DELETE FROM map_rules WHERE map_id = ?";
static const char SQL_MAP_DEL[] = "DELETE FROM maps WHERE id = ?";

int lm_map_delete(struct lm_db *db, long long map_id)
{
    int used = 0;
    int rc = lm_db_exists(db, &used, SQL_MAP_USED, "ii", map_id, map_id);

    if (!rc && used)
        return LM_ERR_CONFLICT;
    if (!rc)
        rc = lm_db_exec(db, SQL_MAP_DEL_STEPS, "i", map_id);
    if (!rc)
        rc = lm_db_exec(db, SQL_MAP_DEL_TRACKS, "i", map_id);
    if (!rc)
        rc = lm_db_exec(db, SQL_MAP_DEL_RULES, "i", map_id);
    if (!rc)
        rc = lm_db_exec(db, SQL_MAP_DEL, "i", map_id);
    if (!rc && db->affected != 1)
        rc = LM_ERR_NOT_FOUND;
    return rc;
}

static const char SQL_VIDEO_INSERT[] =
    "INSERT INTO map_videos (title, url, description, active) VALUES (?, ?, ?, ?)";
static const char SQL_VIDEO_UPDATE[] =
    "UPDATE map_videos SET title = ?, url = ?, description = ?, active = ? WHERE id = ?";
static const char SQL_VIDEO_EXISTS[] = "SELECT 1 FROM map_videos WHERE id = ? FOR UPDATE";
static const char SQL_VIDEO_USED[] = "SELECT 1 FROM map_steps WHERE video_id = ? LIMIT 1";
static const char SQL_VIDEO_DEL[] = "DELETE FROM map_videos WHERE id = ?";

int lm_video_save(struct lm_db *db, long long *id, const char *title, const char *url,
                  const char *description, int active)
{
    int found = 0, rc;

    if (!*id) {
        rc = lm_db_exec(db, SQL_VIDEO_INSERT, "sssi", title, url, description, (long long)active);
        if (!rc)
            *id = (long long)db->insert_id;
        return rc;
    }
    rc = lm_db_exists(db, &found, SQL_VIDEO_EXISTS, "i", *id);
    if (!rc && !found)
        rc = LM_ERR_NOT_FOUND;
    if (!rc)
        rc = lm_db_exec(db, SQL_VIDEO_UPDATE, "sssii", title, url, description,
                        (long long)active, *id);
    return rc;
}

int lm_video_delete(struct lm_db *db, long long id)
{
    int used = 0;
    int rc = lm_db_exists(db, &used, SQL_VIDEO_USED, "i", id);

    if (!rc && used)
        return LM_ERR_CONFLICT;
    if (!rc)
        rc = lm_db_exec(db, SQL_VIDEO_DEL, "i", id);
    if (!rc && db->affected != 1)
        rc = LM_ERR_NOT_FOUND;
    return rc;
}

static const char SQL_RULE_INSERT[] =
    "INSERT INTO map_rules (field_id, value, map_id, position) VALUES (?, ?, ?, ?)";
static const char SQL_RULE_DEL[] = "DELETE FROM map_rules WHERE id = ?";

int lm_map_rule_add(struct lm_db *db, long long field_id, const char *value, long long map_id,
                    long long position, long long *id)
{
    int rc = lm_db_exec(db, SQL_RULE_INSERT, "isii", field_id, value, map_id, position);

    if (!rc)
        *id = (long long)db->insert_id;
    return rc;
}

int lm_map_rule_delete(struct lm_db *db, long long id)
{
    int rc = lm_db_exec(db, SQL_RULE_DEL, "i", id);

    return !rc && db->affected != 1 ? LM_ERR_NOT_FOUND : rc;
}

/* One index range of lead_maps (map, current track); the group filter,
 * for a supervisor, reads each lead's row by its primary key. */
static const char SQL_FUNNEL[] =
    "SELECT COALESCE(lm.current_track_id, 0), COUNT(*) FROM lead_maps lm"
    " JOIN leads l ON l.id = lm.lead_id WHERE lm.map_id = ? AND (? = 0 OR l.group_id = ?)"
    " AND l.archived_at IS NULL GROUP BY lm.current_track_id";

int lm_map_funnel(struct lm_db *db, long long map_id, long long group_id, json_t **j_out)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_FUNNEL, "iii", map_id, group_id, group_id);

    *j_out = NULL;
    if (rc)
        return rc;
    *j_out = json_object();
    for (unsigned r = 0; r < rows.nrows; r++) {
        char key[24];
        long long track = lm_rows_int(&rows, r, 0, 0);
        if (track)
            snprintf(key, sizeof key, "%lld", track);
        else
            snprintf(key, sizeof key, "end");
        json_object_set_new(*j_out, key, json_integer(lm_rows_int(&rows, r, 1, 0)));
    }
    lm_rows_free(&rows);
    return LM_OK;
}
