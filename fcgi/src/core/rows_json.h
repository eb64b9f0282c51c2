/* Cells of a result set as jansson values, for the store functions that
 * write a resource's JSON from plain rows (the database returns rows; C
 * writes the JSON). Every function returns a new reference and never NULL:
 * SQL NULL, and text that is not what the function expects, become null. */
#ifndef LM_CORE_ROWS_JSON_H
#define LM_CORE_ROWS_JSON_H

#include "core/db.h"

#include <jansson.h>

/* The cell as a string. */
json_t *lm_rows_json_str(const struct lm_rows *rows, unsigned row, unsigned col);
/* The cell as an integer. */
json_t *lm_rows_json_int(const struct lm_rows *rows, unsigned row, unsigned col);
/* The cell as true ("0" is false, any other number true). */
json_t *lm_rows_json_bool(const struct lm_rows *rows, unsigned row, unsigned col);
/* A cell holding stored JSON text (a JSON column), parsed; any JSON value. */
json_t *lm_rows_json_parse(const struct lm_rows *rows, unsigned row, unsigned col);

/* The object in the array j_items whose "id" is id (borrowed), or NULL.
 * Child rows come back ordered by their parent, so the search starts at
 * *hint (the index of the previous hit) and updates it. */
json_t *lm_json_item_by_id(json_t *j_items, long long id, size_t *hint);

#endif
