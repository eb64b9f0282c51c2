/* The audit log: who did or saw what, when. */
#ifndef LM_STORE_AUDIT_H
#define LM_STORE_AUDIT_H

#include "core/db.h"

/* user_id and entity_id 0 = none; entity, ip and detail may be NULL. */
int lm_audit(struct lm_db *db, long long user_id, const char *action, const char *entity,
             long long entity_id, const char *ip, const char *detail);

#endif
