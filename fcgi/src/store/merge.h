/* Merging one lead into another: moving every row that hangs off the
 * merged-away lead to the survivor, and marking it merged. Runs inside the
 * caller's transaction (service/merge.c), both leads locked. */
#ifndef LM_STORE_MERGE_H
#define LM_STORE_MERGE_H

#include "core/db.h"

/* Moves notes (their revisions follow), history, call attempts, schedule
 * entries, step values, the map, the account and the audit rows of other to
 * survivor; a step value, map or account the survivor already has stays
 * with it and the other's is dropped. Deletes other's phones, e-mails,
 * products, team, competitors and custom values: the caller has written
 * their union onto the survivor already. */
int lm_merge_move_rows(struct lm_db *db, long long survivor, long long other);

/* Marks other merged into survivor (out of every list, the call log and the
 * calendar); LM_ERR_CONFLICT when it was merged already. */
int lm_merge_mark(struct lm_db *db, long long survivor, long long other);

#endif
