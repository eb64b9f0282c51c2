/* Queries behind /health and the worker's bookkeeping. */
#include "store/system.h"

#include "core/result.h"

#include <stdio.h>
#include <string.h>

static const char SQL_HEALTH[] =
    "SELECT (SELECT COALESCE(MAX(version), 0) FROM schema_migrations),"
    " (SELECT DATE_FORMAT(MAX(last_seen), '%Y-%m-%dT%H:%i:%sZ') FROM worker_heartbeat)";

int lm_system_health(struct lm_db *db, struct lm_health *h)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_HEALTH, "");

    memset(h, 0, sizeof *h);
    if (rc)
        return rc;
    h->migration = lm_rows_int(&rows, 0, 0, 0);
    if (lm_rows_get(&rows, 0, 1))
        snprintf(h->worker_last_seen, sizeof h->worker_last_seen, "%s",
                 lm_rows_get(&rows, 0, 1));
    lm_rows_free(&rows);
    return LM_OK;
}

static const char SQL_HEARTBEAT[] =
    "INSERT INTO worker_heartbeat (worker, last_seen, last_now) VALUES (?, UTC_TIMESTAMP(6), ?)"
    " ON DUPLICATE KEY UPDATE last_seen = UTC_TIMESTAMP(6), last_now = VALUES(last_now)";

int lm_system_heartbeat(struct lm_db *db, const char *name, const char *now_sql)
{
    return lm_db_exec(db, SQL_HEARTBEAT, "ss", name, now_sql);
}

static const char SQL_JOB_RAN[] =
    "INSERT INTO job_runs (job, last_run_at, last_now, runs, last_result)"
    " VALUES (?, UTC_TIMESTAMP(6), ?, 1, ?)"
    " ON DUPLICATE KEY UPDATE last_run_at = UTC_TIMESTAMP(6), last_now = VALUES(last_now),"
    " runs = runs + 1, last_result = VALUES(last_result)";

int lm_system_job_ran(struct lm_db *db, const char *job, const char *now_sql, int result)
{
    return lm_db_exec(db, SQL_JOB_RAN, "ssi", job, now_sql, (long long)result);
}

static const char SQL_PURGE_HEARTBEATS[] =
    "DELETE FROM worker_heartbeat WHERE last_seen < UTC_TIMESTAMP(6) - INTERVAL 1 DAY";

int lm_system_purge_heartbeats(struct lm_db *db)
{
    return lm_db_exec(db, SQL_PURGE_HEARTBEATS, "");
}
