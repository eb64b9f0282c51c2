/* Duplicate candidates (see duplicates.h).
 *
 * One statement: the phone keys and e-mails go in as two JSON arrays, each
 * joined to its index (lead_phones.dup_tail, lead_emails.email), and the
 * access rule is a column, so a lead the user may not see is counted but
 * never named. The rows come back one per match; C folds them per lead. */
#include "store/duplicates.h"

#include "core/result.h"
#include "store/access_sql.h"

#include <stdlib.h>
#include <string.h>

void lm_dup_phone_key(const char *digits, char out[11])
{
    size_t n = strlen(digits);

    out[0] = '\0';
    if (n < LM_DUP_MIN_DIGITS)
        return;
    memcpy(out, digits + (n > 10 ? n - 10 : 0), n > 10 ? 10 : n);
    out[n > 10 ? 10 : n] = '\0';
}

#define DUP_LIMIT 20

static const char SQL_DUPLICATES[] =
    "SELECT l.id, c.k, l.first_name, l.last_name, l.status_id, l.owner_id, " ACCESS " AS v"
    " FROM (SELECT p.lead_id AS id, 'phone' AS k"
    "       FROM JSON_TABLE(?, '$[*]' COLUMNS (t VARCHAR(10) PATH '$')) j"
    "       JOIN lead_phones p ON p.dup_tail = j.t COLLATE utf8mb4_unicode_ci"
    "       UNION ALL SELECT e.lead_id, 'email'"
    "       FROM JSON_TABLE(?, '$[*]' COLUMNS (a VARCHAR(254) PATH '$')) j"
    "       JOIN lead_emails e ON e.email = j.a COLLATE utf8mb4_unicode_ci) c"
    " JOIN leads l ON l.id = c.id"
    " WHERE l.merged_into IS NULL AND l.id <> ?"
    " ORDER BY l.id DESC LIMIT 200";

int lm_duplicates_of(struct lm_db *db, const struct lm_user *u, const struct lm_lead_input *in,
                     long long exclude_id, json_t **j_candidates, int *hidden)
{
    json_t *j_phones = json_array(), *j_emails = json_array(), *j_out = json_array();
    json_t *j_last = NULL;
    char *phones = NULL, *emails = NULL;
    long long last_id = 0;
    struct lm_rows rows;
    int rc = LM_ERR_INTERNAL;

    *j_candidates = NULL;
    *hidden = 0;
    memset(&rows, 0, sizeof rows);
    if (!j_phones || !j_emails || !j_out)
        goto out;
    for (int i = 0; i < in->nphones; i++) {
        char key[11];
        lm_dup_phone_key(in->phone_digits[i], key);
        if (key[0])
            json_array_append_new(j_phones, json_string(key));
    }
    for (int i = 0; i < in->nemails; i++)
        json_array_append_new(j_emails, json_string(in->emails[i]));
    if (!json_array_size(j_phones) && !json_array_size(j_emails)) {
        rc = LM_OK;
        goto out;
    }
    phones = json_dumps(j_phones, JSON_COMPACT);
    emails = json_dumps(j_emails, JSON_COMPACT);
    if (!phones || !emails)
        goto out;
    rc = lm_db_query(db, &rows, SQL_DUPLICATES, "ssiiii" "ssi", ACCESS_ARGS(u), phones, emails,
                     exclude_id);
    if (rc)
        goto out;
    for (unsigned r = 0; r < rows.nrows; r++) {
        long long id = lm_rows_int(&rows, r, 0, 0);
        const char *k = lm_rows_get(&rows, r, 1);
        if (id == last_id) { /* the same lead again: one more way it matched */
            if (j_last) {
                json_t *j_m = json_object_get(j_last, "matched");
                int seen = 0;
                for (size_t i = 0; i < json_array_size(j_m); i++)
                    seen |= !strcmp(json_string_value(json_array_get(j_m, i)), k);
                if (!seen)
                    json_array_append_new(j_m, json_string(k));
            }
            continue;
        }
        last_id = id;
        j_last = NULL;
        if (!lm_rows_int(&rows, r, 6, 0)) {
            (*hidden)++;
            continue;
        }
        if (json_array_size(j_out) >= DUP_LIMIT)
            continue;
        j_last = json_pack("{s:I, s:s, s:s, s:I, s:o, s:[s]}", "id", (json_int_t)id,
                           "first_name", lm_rows_get(&rows, r, 2), "last_name",
                           lm_rows_get(&rows, r, 3), "status_id",
                           (json_int_t)lm_rows_int(&rows, r, 4, 0), "owner_id",
                           lm_rows_get(&rows, r, 5)
                               ? json_integer(lm_rows_int(&rows, r, 5, 0))
                               : json_null(),
                           "matched", k);
        if (!j_last) {
            rc = LM_ERR_INTERNAL;
            goto out;
        }
        json_array_append_new(j_out, j_last);
    }
    rc = LM_OK;
out:
    if (!rc) {
        *j_candidates = j_out;
        j_out = NULL;
    }
    lm_rows_free(&rows);
    free(phones);
    free(emails);
    json_decref(j_phones);
    json_decref(j_emails);
    json_decref(j_out);
    return rc;
}
