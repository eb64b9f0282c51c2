/* Appends audit rows; callers never fail a request because auditing failed
 * unless the action itself must be audited (they check the result). */
#include "store/audit.h"

static const char SQL_AUDIT[] =
    "INSERT INTO audit_log (user_id, action, entity, entity_id, ip, detail)"
    " VALUES (NULLIF(?, 0), ?, ?, NULLIF(?, 0), ?, ?)";

int lm_audit(struct lm_db *db, long long user_id, const char *action, const char *entity,
             long long entity_id, const char *ip, const char *detail)
{
    return lm_db_exec(db, SQL_AUDIT, "ississ", user_id, action, entity, entity_id, ip, detail);
}
