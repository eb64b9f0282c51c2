/* CSV imports in MariaDB: the uploaded file's rows, the import's state and
 * progress, saved column mappings, the duplicate check of a batch of rows,
 * and the set-based insert of a batch of leads. No HTTP types; the rules
 * live in service/imports.c. */
#ifndef LM_STORE_IMPORTS_H
#define LM_STORE_IMPORTS_H

#include "core/db.h"
#include "core/http.h"

#include <jansson.h>

struct lm_import {
    long long id, user_id, version;
    char file_name[201];
    char delimiter;
    char status[12];
    int skip_duplicates;
    long long total_rows, next_row, imported_rows, error_rows, duplicate_rows;
    char created_at[32], finished_at[32];
    json_t *j_columns; /* owned: array of header names */
    json_t *j_mapping; /* owned: object or NULL */
};

void lm_import_free(struct lm_import *im);

/* Creates the import (status uploaded); *id receives its id. */
int lm_import_create(struct lm_db *db, long long user_id, const char *file_name, char delimiter,
                     const char *columns_json, long long total_rows, long long *id);
/* Adds data rows: rows_json = [[row_no, "<cells as JSON text>"], …]. */
int lm_import_add_rows(struct lm_db *db, long long id, const char *rows_json);
/* LM_ERR_NOT_FOUND when there is no such import. */
int lm_import_get(struct lm_db *db, long long id, struct lm_import *im);
/* Rows from_row on, at most limit: cells (row_no, cells JSON text). */
int lm_import_rows(struct lm_db *db, long long id, long long from_row, int limit,
                   struct lm_rows *rows);
/* Stores the mapping and the skip flag of an import still uploaded
 * (LM_ERR_CONFLICT otherwise); queue = 1 also hands it to the worker. */
int lm_import_set_mapping(struct lm_db *db, long long id, const char *mapping_json,
                          int skip_duplicates, int queue);
/* The oldest import queued or running, 0 when none. */
int lm_import_next_queued(struct lm_db *db, long long *id);
/* Rows that failed once committed: {row, message} of the first limit. */
int lm_import_errors_json(struct lm_db *db, long long id, int limit, json_t **j_out);

/* Existing leads (not merged away) that share a phone key or e-mail with
 * rows of a batch: phone_keys = [[row, key], …], emails = [[row, email], …].
 * Rows come back as (row, lead_id, visible to u). */
int lm_import_duplicates(struct lm_db *db, const struct lm_user *u, const char *phone_keys,
                         const char *emails, struct lm_rows *rows);

/* The address rules (kind, value, group_id) in the order they apply. */
int lm_import_group_rules(struct lm_db *db, struct lm_rows *rows);

/* One batch, inside the caller's transaction: leads_json = [{r, fn, ln, st,
 * ci, re, pc, co, inc, s, state, ow, gr, un, pr, ta}, …]; phones_json =
 * [[r, position, phone, digits]]; emails_json = [[r, position, email]];
 * custom_json = [[r, field, seq, text, num, time]]; outcomes_json =
 * [[r, "error"|"duplicate", message]] for the rows left out. Rows first_row
 * to last_row are then done: imported ones get their lead, the import's
 * counts and next_row move on (status done after the last row). */
struct lm_import_batch {
    long long import_id, user_id, first_row, last_row;
    const char *leads_json, *phones_json, *emails_json, *custom_json, *outcomes_json;
    long long imported, errors, duplicates;
};
int lm_import_write_batch(struct lm_db *db, const struct lm_import_batch *b);

/* Saved mappings of a user: {"items": [{id, name, mapping, updated_at}]}. */
int lm_import_mappings_json(struct lm_db *db, long long user_id, json_t **j_out);
/* Saves (or replaces, by name) a mapping; *id receives its id. */
int lm_import_mapping_save(struct lm_db *db, long long user_id, const char *name,
                           const char *mapping_json, long long *id);

#endif
