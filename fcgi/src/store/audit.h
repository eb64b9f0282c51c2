/* The audit log: who did or saw what, when. */
#ifndef LM_STORE_AUDIT_H
#define LM_STORE_AUDIT_H

#include "core/config.h"
#include "core/db.h"

/* user_id and entity_id 0 = none; entity, ip and detail may be NULL. */
int lm_audit(struct lm_db *db, long long user_id, const char *action, const char *entity,
             long long entity_id, const char *ip, const char *detail);

/* A view (a read that must be audited). While the view writer runs (a
 * FastCGI worker), the row waits in memory and is written with others in
 * one statement at least every second; otherwise it is written at once.
 * Changes are never batched: they go through lm_audit in their
 * transaction. */
int lm_audit_view(struct lm_db *db, long long user_id, const char *action, const char *entity,
                  long long entity_id, const char *ip);

/* Starts the view writer: a thread of this process with its own database
 * connection. Stop writes what waits, then ends it (a graceful stop). */
int lm_audit_views_start(const struct lm_config *cfg);
void lm_audit_views_stop(void);

#endif
