/* Note rows and their revisions. A page of notes is one statement: the
 * page's ids from the (lead_id, id) index, then the notes (kind 0, newest
 * first) and their revisions (kind 1, oldest first) as plain rows; notes_json
 * writes the JSON. */
#include "store/notes.h"

#include "core/result.h"
#include "core/rows_json.h"

#include <stdio.h>
#include <string.h>

#define ISO(col) "DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%sZ')"

/* kind 0: 0, id, lead_id, author_id, author, body, created_at, edited_at, version
 * kind 1: 1, note id, NULL, edited_by, NULL, body, NULL, edited_at, NULL */
#define NOTE_ROWS(page)                                                                    \
    "WITH k AS (" page ")"                                                                 \
    " SELECT 0 AS kind, n.id, n.lead_id, n.author_id, u.name, n.body, " ISO("n.created_at") \
    ", " ISO("n.edited_at") ", n.version, n.id AS s1, 0 AS s2"                             \
    " FROM k JOIN lead_notes n ON n.id = k.id LEFT JOIN users u ON u.id = n.author_id"     \
    " UNION ALL SELECT 1, r.note_id, NULL, r.edited_by, NULL, r.body, NULL,"               \
    " " ISO("r.edited_at") ", NULL, 0, r.id FROM k JOIN lead_note_revisions r"             \
    " ON r.note_id = k.id ORDER BY kind, s1 DESC, s2"

static const char SQL_ADD[] =
    "INSERT INTO lead_notes (lead_id, author_id, body) VALUES (?, ?, ?)";
static const char SQL_PAGE[] = NOTE_ROWS("SELECT id FROM lead_notes WHERE lead_id = ?"
                                         " AND id < ? ORDER BY id DESC LIMIT ?");
static const char SQL_ONE[] =
    NOTE_ROWS("SELECT id FROM lead_notes WHERE lead_id = ? AND id = ?");
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

static json_t *note_json(const struct lm_rows *rows, unsigned r)
{
    json_t *j = json_object();

    json_object_set_new(j, "id", lm_rows_json_int(rows, r, 1));
    json_object_set_new(j, "lead_id", lm_rows_json_int(rows, r, 2));
    json_object_set_new(j, "author_id", lm_rows_json_int(rows, r, 3));
    json_object_set_new(j, "author", lm_rows_json_str(rows, r, 4));
    json_object_set_new(j, "body", lm_rows_json_str(rows, r, 5));
    json_object_set_new(j, "created_at", lm_rows_json_str(rows, r, 6));
    json_object_set_new(j, "edited_at", lm_rows_json_str(rows, r, 7));
    json_object_set_new(j, "version", lm_rows_json_int(rows, r, 8));
    json_object_set_new(j, "revisions", json_array());
    return j;
}

/* Writes at most limit notes of rows, each with its revisions, into j_items;
 * *count receives the number of note rows (limit + 1 means a next page). */
static void notes_json(const struct lm_rows *rows, int limit, json_t *j_items, int *count)
{
    size_t hint = 0;

    *count = 0;
    for (unsigned r = 0; r < rows->nrows; r++) {
        json_t *j_note;

        if (lm_rows_int(rows, r, 0, 0) == 0) {
            if ((*count)++ < limit)
                json_array_append_new(j_items, note_json(rows, r));
            continue;
        }
        j_note = lm_json_item_by_id(j_items, lm_rows_int(rows, r, 1, 0), &hint);
        if (j_note)
            json_array_append_new(json_object_get(j_note, "revisions"),
                                  json_pack("{s:o, s:o, s:o}", "body",
                                            lm_rows_json_str(rows, r, 5), "edited_by",
                                            lm_rows_json_int(rows, r, 3), "edited_at",
                                            lm_rows_json_str(rows, r, 7)));
    }
}

int lm_notes_json(struct lm_db *db, long long lead_id, long long before, int limit,
                  json_t **j_out)
{
    struct lm_rows rows;
    json_t *j_items;
    int count = 0;
    int rc = lm_db_query(db, &rows, SQL_PAGE, "iii", lead_id,
                         before > 0 ? before : 9223372036854775807LL, (long long)limit + 1);

    *j_out = NULL;
    if (rc)
        return rc;
    j_items = json_array();
    notes_json(&rows, limit, j_items, &count);
    lm_rows_free(&rows);
    if (count > limit) {
        char next[24];
        snprintf(next, sizeof next, "%lld",
                 (long long)json_integer_value(
                     json_object_get(json_array_get(j_items, (size_t)limit - 1), "id")));
        *j_out = json_pack("{s:o, s:s}", "items", j_items, "next", next);
    } else {
        *j_out = json_pack("{s:o, s:n}", "items", j_items, "next");
    }
    return LM_OK;
}

int lm_note_json(struct lm_db *db, long long lead_id, long long note_id, json_t **j_out)
{
    struct lm_rows rows;
    json_t *j_items;
    int count = 0;
    int rc = lm_db_query(db, &rows, SQL_ONE, "ii", lead_id, note_id);

    *j_out = NULL;
    if (rc)
        return rc;
    j_items = json_array();
    notes_json(&rows, 1, j_items, &count);
    lm_rows_free(&rows);
    if (json_array_size(j_items) == 1)
        *j_out = json_incref(json_array_get(j_items, 0));
    json_decref(j_items);
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
