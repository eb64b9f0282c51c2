/* The rows a merge moves (see merge.h).
 *
 * Tables with a lead_id (grep lead_id in sql/), each handled here:
 *   moved whole        lead_notes, lead_history, lead_call_attempts, audit_log,
 *                      tasks (an occurrence both leads have keeps both tasks:
 *                      the other's occurrence key is prefixed with its id)
 *   moved unless the survivor has one (UPDATE IGNORE keeps the survivor's,
 *   the rest is deleted)  lead_step_values, lead_events, lead_maps, accounts
 *   written as a union by the caller, deleted here  lead_phones, lead_emails,
 *                      lead_products, lead_team, lead_competitors,
 *                      lead_custom_values
 * A table added later that names a lead belongs in this list. Each
 * statement has the parameters (survivor, other) or (other). */
#include "store/merge.h"

#include "core/result.h"

#include <stddef.h>

static const char *const SQL_MOVE[] = {
    "UPDATE lead_notes SET lead_id = ? WHERE lead_id = ?",
    "UPDATE lead_history SET lead_id = ? WHERE lead_id = ?",
    "UPDATE lead_call_attempts SET lead_id = ? WHERE lead_id = ?",
    "UPDATE tasks t JOIN tasks s ON s.lead_id = ? AND s.rule_id = t.rule_id"
    " AND s.occurrence_key = t.occurrence_key"
    " SET t.occurrence_key = LEFT(CONCAT('merged-', t.id, ':', t.occurrence_key), 40)"
    " WHERE t.lead_id = ?",
    "UPDATE tasks SET lead_id = ? WHERE lead_id = ?",
    "UPDATE audit_log SET entity_id = ? WHERE entity = 'lead' AND entity_id = ?",
    "UPDATE IGNORE lead_step_values SET lead_id = ? WHERE lead_id = ?",
    "UPDATE IGNORE lead_events SET lead_id = ? WHERE lead_id = ?",
    "UPDATE IGNORE lead_maps SET lead_id = ? WHERE lead_id = ?",
    "UPDATE IGNORE accounts SET lead_id = ? WHERE lead_id = ?",
    NULL,
};

static const char *const SQL_DROP[] = {
    "DELETE FROM lead_step_values WHERE lead_id = ?",
    "DELETE FROM lead_events WHERE lead_id = ?",
    "DELETE FROM lead_maps WHERE lead_id = ?",
    "DELETE FROM lead_phones WHERE lead_id = ?",
    "DELETE FROM lead_emails WHERE lead_id = ?",
    "DELETE FROM lead_products WHERE lead_id = ?",
    "DELETE FROM lead_team WHERE lead_id = ?",
    "DELETE FROM lead_competitors WHERE lead_id = ?",
    "DELETE FROM lead_custom_values WHERE lead_id = ?",
    NULL,
};

int lm_merge_move_rows(struct lm_db *db, long long survivor, long long other)
{
    int rc = LM_OK;

    for (int i = 0; !rc && SQL_MOVE[i]; i++)
        rc = lm_db_exec(db, SQL_MOVE[i], "ii", survivor, other);
    for (int i = 0; !rc && SQL_DROP[i]; i++)
        rc = lm_db_exec(db, SQL_DROP[i], "i", other);
    return rc;
}

/* Out of the call log (call_state archived, no follow-up) without being
 * archived as a life-cycle step. */
static const char SQL_MARK[] =
    "UPDATE leads SET merged_into = ?, version = version + 1, updated_at = UTC_TIMESTAMP(6),"
    " follow_up_at = NULL, call_state_at = UTC_TIMESTAMP(6), call_state = 'archived'"
    " WHERE id = ? AND merged_into IS NULL";

int lm_merge_mark(struct lm_db *db, long long survivor, long long other)
{
    int rc = lm_db_exec(db, SQL_MARK, "ii", survivor, other);

    if (!rc && db->affected != 1)
        rc = LM_ERR_CONFLICT;
    return rc;
}
