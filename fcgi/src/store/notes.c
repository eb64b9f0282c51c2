/* Note rows and their revisions. */
#include "store/notes.h"

#include "core/result.h"

#include <string.h>

#define NOTE_JSON                                                                          \
    "JSON_OBJECT('id', n.id, 'lead_id', n.lead_id, 'author_id', n.author_id,"              \
    " 'author', (SELECT u.name FROM users u WHERE u.id = n.author_id), 'body', n.body,"    \
    " 'created_at', DATE_FORMAT(n.created_at, '%Y-%m-%dT%H:%i:%sZ'),"                      \
    " 'edited_at', DATE_FORMAT(n.edited_at, '%Y-%m-%dT%H:%i:%sZ'), 'version', n.version,"  \
    " 'revisions', JSON_EXTRACT(COALESCE((SELECT JSON_ARRAYAGG(JSON_OBJECT('body', r.body," \
    "   'edited_by', r.edited_by, 'edited_at', DATE_FORMAT(r.edited_at,"                   \
    "   '%Y-%m-%dT%H:%i:%sZ')) ORDER BY r.id) FROM lead_note_revisions r"                  \
    "   WHERE r.note_id = n.id), '[]'), '$'))"

static const char SQL_ADD[] =
    "INSERT INTO lead_notes (lead_id, author_id, body) VALUES (?, ?, ?)";
static const char SQL_LIST[] =
    "SELECT " NOTE_JSON " FROM lead_notes n WHERE n.lead_id = ? ORDER BY n.id DESC LIMIT 500";
static const char SQL_ONE[] =
    "SELECT " NOTE_JSON " FROM lead_notes n WHERE n.lead_id = ? AND n.id = ?";
static const char SQL_FOR_UPDATE[] =
    "SELECT author_id, version FROM lead_notes WHERE lead_id = ? AND id = ? FOR UPDATE";
static const char SQL_REVISION[] =
    "INSERT INTO lead_note_revisions (note_id, body, edited_by)"
    " SELECT id, body, ? FROM lead_notes WHERE id = ?";
static const char SQL_EDIT[] =
    "UPDATE lead_notes SET body = ?, edited_at = UTC_TIMESTAMP(6), version = version + 1"
    " WHERE id = ?";

int lm_note_add(struct lm_db *db, long long lead_id, long long author_id, const char *body,
                long long *note_id)
{
    int rc = lm_db_exec(db, SQL_ADD, "iis", lead_id, author_id, body);

    if (!rc)
        *note_id = (long long)db->insert_id;
    return rc;
}

int lm_notes_json(struct lm_db *db, long long lead_id, json_t **j_out)
{
    json_t *j_items = NULL;
    int rc = lm_db_query_json(db, &j_items, SQL_LIST, "i", lead_id);

    if (rc)
        return rc;
    *j_out = json_pack("{s:o, s:n}", "items", j_items, "next");
    return LM_OK;
}

int lm_note_json(struct lm_db *db, long long lead_id, long long note_id, json_t **j_out)
{
    struct lm_rows rows;
    json_error_t jerr;
    int rc = lm_db_query(db, &rows, SQL_ONE, "ii", lead_id, note_id);

    *j_out = NULL;
    if (rc)
        return rc;
    if (rows.nrows == 1)
        *j_out = json_loads(lm_rows_get(&rows, 0, 0), 0, &jerr);
    lm_rows_free(&rows);
    return *j_out ? LM_OK : LM_ERR_NOT_FOUND;
}

int lm_note_for_update(struct lm_db *db, long long lead_id, long long note_id,
                       long long *author_id, long long *version)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_FOR_UPDATE, "ii", lead_id, note_id);

    if (rc)
        return rc;
    rc = rows.nrows == 1 ? LM_OK : LM_ERR_NOT_FOUND;
    *author_id = lm_rows_int(&rows, 0, 0, 0);
    *version = lm_rows_int(&rows, 0, 1, 0);
    lm_rows_free(&rows);
    return rc;
}

int lm_note_edit(struct lm_db *db, long long note_id, long long editor_id, const char *body)
{
    int rc = lm_db_exec(db, SQL_REVISION, "ii", editor_id, note_id);

    return rc ? rc : lm_db_exec(db, SQL_EDIT, "si", body, note_id);
}
