/* Duplicate candidates: leads whose phone (its last ten digits) or e-mail
 * (case-insensitive) matches a new lead's. Used by lead create and by the
 * CSV import's dry run and commit. */
#ifndef LM_STORE_DUPLICATES_H
#define LM_STORE_DUPLICATES_H

#include "core/db.h"
#include "core/http.h"
#include "domain/lead_validate.h"

#include <jansson.h>

/* Phones with fewer digits than this are too short to call two leads the same. */
#define LM_DUP_MIN_DIGITS 7

/* The phone's duplicate key: its last ten digits (fewer when it has fewer),
 * "" when it has fewer than LM_DUP_MIN_DIGITS. */
void lm_dup_phone_key(const char *digits, char out[11]);

/* Candidates for a lead with in's phones and e-mails, newest first, at most
 * 20: *j_candidates (new reference) holds those u may see as
 * {id, first_name, last_name, status_id, owner_id, matched: ["phone"|"email"]};
 * *hidden counts those u may not see (they are not named). exclude_id (0 =
 * none) is left out; leads merged into another never count. */
int lm_duplicates_of(struct lm_db *db, const struct lm_user *u, const struct lm_lead_input *in,
                     long long exclude_id, json_t **j_candidates, int *hidden);

#endif
