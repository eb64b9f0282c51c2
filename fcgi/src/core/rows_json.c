/* Cells of a result set as jansson values; see rows_json.h. */
#include "core/rows_json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static size_t cell_len(const struct lm_rows *rows, unsigned row, unsigned col)
{
    if (rows->lens)
        return (size_t)rows->lens[(size_t)row * rows->ncols + col];
    return strlen(lm_rows_get(rows, row, col));
}

json_t *lm_rows_json_str(const struct lm_rows *rows, unsigned row, unsigned col)
{
    const char *s = lm_rows_get(rows, row, col);
    json_t *j = s ? json_stringn(s, cell_len(rows, row, col)) : NULL;

    return j ? j : json_null();
}

json_t *lm_rows_json_int(const struct lm_rows *rows, unsigned row, unsigned col)
{
    const char *s = lm_rows_get(rows, row, col);
    char *end = NULL;
    long long v;

    if (!s)
        return json_null();
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || end == s || *end)
        return json_null();
    return json_integer((json_int_t)v);
}

json_t *lm_rows_json_bool(const struct lm_rows *rows, unsigned row, unsigned col)
{
    const char *s = lm_rows_get(rows, row, col);

    if (!s)
        return json_null();
    return json_boolean(strtoll(s, NULL, 10) != 0);
}

json_t *lm_rows_json_parse(const struct lm_rows *rows, unsigned row, unsigned col)
{
    const char *s = lm_rows_get(rows, row, col);
    json_error_t jerr;
    json_t *j = s ? json_loadb(s, cell_len(rows, row, col), JSON_DECODE_ANY, &jerr) : NULL;

    return j ? j : json_null();
}

json_t *lm_json_item_by_id(json_t *j_items, long long id, size_t *hint)
{
    size_t n = json_array_size(j_items);

    for (size_t k = 0; k < n; k++) {
        size_t i = (*hint + k) % n;
        json_t *j_item = json_array_get(j_items, i);
        if (json_integer_value(json_object_get(j_item, "id")) == id) {
            *hint = i;
            return j_item;
        }
    }
    return NULL;
}
