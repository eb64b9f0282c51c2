/* System state: migration level, worker heartbeats, job runs. */
#ifndef LM_STORE_SYSTEM_H
#define LM_STORE_SYSTEM_H

#include "core/db.h"

struct lm_health {
    long long migration;
    char worker_last_seen[32]; /* ISO 8601 UTC, "" when no worker was ever seen */
};

int lm_system_health(struct lm_db *db, struct lm_health *h);
/* Records that worker `name` is alive; now_sql is the (possibly overridden) clock. */
int lm_system_heartbeat(struct lm_db *db, const char *name, const char *now_sql);
int lm_system_job_ran(struct lm_db *db, const char *job, const char *now_sql, int result);
/* Forgets workers not seen for a day. */
int lm_system_purge_heartbeats(struct lm_db *db);

#endif
