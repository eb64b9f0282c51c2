/* Saved searches: rows in, C structs and JSON out (see the header). */
#include "store/saved_searches.h"

#include "core/result.h"
#include "domain/lead.h"
#include "store/cache.h"

#include <stdio.h>
#include <string.h>

#define COLUMNS "s.id, s.user_id, s.group_id, s.version, s.name, s.query, s.updated_at"

static const char SQL_LIST[] =
    "SELECT " COLUMNS " FROM saved_searches s WHERE s.user_id = ?"
    " UNION ALL SELECT " COLUMNS " FROM saved_searches s WHERE s.group_id = ? AND s.user_id <> ?"
    " ORDER BY 5, 1";
static const char SQL_GET[] = "SELECT " COLUMNS " FROM saved_searches s WHERE s.id = ?";
/* the cap is checked in the statement, so two saves at once cannot pass it */
static const char SQL_INSERT[] =
    "INSERT INTO saved_searches (user_id, group_id, name, query)"
    " SELECT ?, NULLIF(?, 0), ?, ? FROM DUAL"
    " WHERE (SELECT COUNT(*) FROM saved_searches WHERE user_id = ?) < ?";
static const char SQL_UPDATE[] =
    "UPDATE saved_searches SET name = ?, query = ?, group_id = NULLIF(?, 0),"
    " version = version + 1, updated_at = UTC_TIMESTAMP(6)"
    " WHERE id = ? AND user_id = ? AND version = ?";
static const char SQL_DELETE[] = "DELETE FROM saved_searches WHERE id = ? AND user_id = ?";

static void fill(struct lm_saved_search *s, const struct lm_rows *rows, unsigned r)
{
    s->id = lm_rows_int(rows, r, 0, 0);
    s->user_id = lm_rows_int(rows, r, 1, 0);
    s->group_id = lm_rows_int(rows, r, 2, 0);
    s->version = lm_rows_int(rows, r, 3, 0);
    snprintf(s->name, sizeof s->name, "%s", lm_rows_get(rows, r, 4));
    snprintf(s->query, sizeof s->query, "%s", lm_rows_get(rows, r, 5));
    {
        char iso[LM_ISO_LEN];
        lm_datetime_to_iso(lm_rows_get(rows, r, 6), iso);
        snprintf(s->updated_at, sizeof s->updated_at, "%s", iso);
    }
}

json_t *lm_saved_search_json(const struct lm_saved_search *s, long long viewer_id)
{
    const char *owner = lm_cache_user_name(s->user_id);

    return json_pack("{s:I, s:s, s:s, s:b, s:I, s:s?, s:b, s:I, s:s}", "id", (json_int_t)s->id,
                     "name", s->name, "query", s->query, "shared", s->group_id != 0,
                     "owner_id", (json_int_t)s->user_id, "owner", owner, "mine",
                     s->user_id == viewer_id, "version", (json_int_t)s->version, "updated_at",
                     s->updated_at);
}

int lm_saved_search_list(struct lm_db *db, long long user_id, long long group_id, json_t **j_out)
{
    struct lm_rows rows;
    json_t *j_items;
    int rc = lm_db_query(db, &rows, SQL_LIST, "iii", user_id, group_id, user_id);

    *j_out = NULL;
    if (rc)
        return rc;
    j_items = json_array();
    for (unsigned r = 0; j_items && r < rows.nrows; r++) {
        struct lm_saved_search s;
        fill(&s, &rows, r);
        if (json_array_append_new(j_items, lm_saved_search_json(&s, user_id)))
            rc = LM_ERR_INTERNAL;
    }
    lm_rows_free(&rows);
    *j_out = j_items && !rc ? json_pack("{s:o}", "items", j_items) : NULL;
    if (!*j_out) {
        if (rc)
            json_decref(j_items);
        return LM_ERR_INTERNAL;
    }
    return LM_OK;
}

int lm_saved_search_get(struct lm_db *db, long long id, struct lm_saved_search *s)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_GET, "i", id);

    if (rc)
        return rc;
    if (rows.nrows == 1)
        fill(s, &rows, 0);
    rc = rows.nrows == 1 ? LM_OK : LM_ERR_NOT_FOUND;
    lm_rows_free(&rows);
    return rc;
}

int lm_saved_search_insert(struct lm_db *db, struct lm_saved_search *s)
{
    int rc = lm_db_exec(db, SQL_INSERT, "iissii", s->user_id, s->group_id, s->name, s->query,
                        s->user_id, (long long)LM_SAVED_SEARCH_MAX);

    if (rc)
        return rc;
    if (db->affected == 0)
        return LM_ERR_TOO_MANY;
    s->id = (long long)db->insert_id;
    return LM_OK;
}

int lm_saved_search_update(struct lm_db *db, const struct lm_saved_search *s, long long version)
{
    int rc = lm_db_exec(db, SQL_UPDATE, "ssiiii", s->name, s->query, s->group_id, s->id,
                        s->user_id, version);

    if (rc)
        return rc;
    return db->affected == 1 ? LM_OK : LM_ERR_PRECONDITION;
}

int lm_saved_search_delete(struct lm_db *db, long long id, long long user_id)
{
    int rc = lm_db_exec(db, SQL_DELETE, "ii", id, user_id);

    if (rc)
        return rc;
    return db->affected == 1 ? LM_OK : LM_ERR_NOT_FOUND;
}
