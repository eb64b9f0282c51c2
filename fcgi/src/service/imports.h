/* CSV import: upload (the file parsed and its rows stored), the column
 * mapping, a dry run that reports every row's errors and duplicates, and
 * the commit the worker runs in batches. Rows become leads through the
 * same checks as POST /api/v1/leads (lm_lead_prepare_new). No HTTP types. */
#ifndef LM_SERVICE_IMPORTS_H
#define LM_SERVICE_IMPORTS_H

#include "service/leads.h"

#define LM_IMPORT_MAX_ROWS 200000
#define LM_IMPORT_REPORT_ITEMS 100 /* errors and duplicates listed per report */

/* What came of a call: on failure code, message and (for LM_ERR_PARAM)
 * j_fields, as for leads. */
struct lm_import_outcome {
    const char *code;
    char message[256];
    json_t *j_fields; /* owned */
    json_t *j_out;    /* owned: the answer on LM_OK */
};
void lm_import_outcome_free(struct lm_import_outcome *o);

/* Parses a CSV upload (delim ',' or ';', 0 = from the header line) and
 * stores it: j_out = {id, file_name, delimiter, columns, total_rows,
 * preview (the first 5 rows), suggested_mapping, status}. */
int lm_import_upload(struct lm_db *db, const struct lm_actor_info *who, const char *file_name,
                     const char *csv, size_t len, char delim, struct lm_import_outcome *out);

/* The import as the API shows it (its owner or an admin; else not found):
 * status, counts, progress and, once committed, the first rows in error. */
int lm_import_show(struct lm_db *db, const struct lm_actor_info *who, long long id,
                   struct lm_import_outcome *out);

/* Checks j_mapping ({"column": "first_name" | … | "custom.<key>" | null})
 * against the file, checks every row as a lead and looks for duplicates in
 * the database and within the file; writes nothing but the mapping.
 * j_out = {total_rows, importable_rows, error_rows, duplicate_rows, errors:
 * [{row, fields}], duplicates: [{row, leads: [ids you may see], hidden,
 * same_as_row}], skip_duplicates}. */
int lm_import_dry_run(struct lm_db *db, const struct lm_actor_info *who, long long id,
                      const json_t *j_mapping, int skip_duplicates,
                      struct lm_import_outcome *out);

/* Stores the mapping and queues the import for the worker (status queued);
 * LM_ERR_CONFLICT when it was committed already. */
int lm_import_commit(struct lm_db *db, const struct lm_actor_info *who, long long id,
                     const json_t *j_mapping, int skip_duplicates,
                     struct lm_import_outcome *out);

/* The worker's job: runs the oldest queued import to its end, one
 * transaction per batch of rows. *rows_done counts rows handled. */
int lm_import_run_queued(struct lm_db *db, long long *rows_done);

#endif
