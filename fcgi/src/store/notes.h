/* Shared notes on a lead; an edit keeps the earlier text as a revision. */
#ifndef LM_STORE_NOTES_H
#define LM_STORE_NOTES_H

#include "core/db.h"

#include <jansson.h>

int lm_note_add(struct lm_db *db, long long lead_id, long long author_id, const char *body,
                long long *note_id);
/* A page of a lead's notes, newest first: {"items":[{id, lead_id, author_id,
 * author, body, created_at, edited_at, version, revisions:[…]}], "next"}.
 * before: the last id of the previous page (0 for the first); "next" is the
 * cursor for the page after, or null. */
int lm_notes_json(struct lm_db *db, long long lead_id, long long before, int limit,
                  json_t **j_out);
int lm_note_json(struct lm_db *db, long long lead_id, long long note_id, json_t **j_out);
/* Locks the note; *author_id and *version receive its author and version. */
int lm_note_for_update(struct lm_db *db, long long lead_id, long long note_id,
                       long long *author_id, long long *version);
/* Saves the current text as a revision and writes the new one. */
int lm_note_edit(struct lm_db *db, long long note_id, long long editor_id, const char *body);

#endif
