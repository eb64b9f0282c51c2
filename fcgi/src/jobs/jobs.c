/* The companion worker.
 *
 * DESIGN: every pass writes a heartbeat row, then walks the job table. Each
 * job runs under the MariaDB named lock "leadmap.job.<name>" taken with a
 * zero timeout, so with several workers (on one host or many) exactly one
 * runs a given job at a time and the others skip it. Jobs take the instant
 * to act "as of" as a parameter: `--now` overrides the clock so that aging,
 * reminders and recurrences can be tested without waiting days. Jobs are
 * set-based SQL and idempotent: running a pass twice with the same now
 * changes nothing the second time. */
#include "jobs/jobs.h"

#include "core/log.h"
#include "core/result.h"
#include "core/time.h"
#include "store/call_log.h"
#include "store/login_failures.h"
#include "store/system.h"
#include "store/tasks.h"
#include "store/tokens.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Expired refresh tokens, login failure counts a day old, and heartbeats of
 * workers gone for a day. */
static int job_purge_tokens(struct lm_db *db, long long now, const char *now_sql)
{
    unsigned long long deleted = 0;
    int rc = lm_refresh_purge(db, now_sql, &deleted);

    (void)now;
    if (!rc && deleted)
        lm_log_info("worker: purged %llu expired refresh tokens", deleted);
    if (!rc)
        rc = lm_login_failures_purge(db, now_sql, &deleted);
    if (!rc && deleted)
        lm_log_info("worker: purged %llu old login failure counts", deleted);
    if (!rc)
        rc = lm_system_purge_heartbeats(db);
    return rc;
}

struct aging_tx {
    long long now;
    unsigned long long changed;
};

static int aging_tx(struct lm_db *db, void *ctx)
{
    struct aging_tx *t = ctx;

    return lm_call_log_age(db, t->now, &t->changed);
}

/* Moves call-log leads whose time ran out (store/call_log.c), in one
 * transaction with their history rows. */
static int job_call_log_aging(struct lm_db *db, long long now, const char *now_sql)
{
    struct aging_tx t = {now, 0};
    int rc = lm_db_transaction(db, aging_tx, &t);

    (void)now_sql;
    if (!rc && t.changed)
        lm_log_info("worker: call-log aging moved %llu leads", t.changed);
    return rc;
}

/* Tasks from lead events, lead dates and recurring rules (store/tasks.c):
 * set-based statements against the tasks' unique occurrence key. */
static int job_tasks(struct lm_db *db, long long now, const char *now_sql)
{
    unsigned long long created = 0;
    int rc = lm_tasks_generate(db, now, &created);

    (void)now_sql;
    if (!rc && created)
        lm_log_info("worker: created %llu tasks", created);
    return rc;
}

/* Legend: name, function. Order is the order of a pass. */
const struct lm_job lm_jobs[] = {
    {"call_log_aging", job_call_log_aging},
    {"tasks", job_tasks},
    {"purge_refresh_tokens", job_purge_tokens},
    {NULL, NULL},
};

static const char SQL_GET_LOCK[] = "SELECT GET_LOCK(?, 0)";
static const char SQL_RELEASE_LOCK[] = "SELECT RELEASE_LOCK(?)";

static int try_lock(struct lm_db *db, const char *name, int *got)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_GET_LOCK, "s", name);

    *got = 0;
    if (rc)
        return rc;
    *got = lm_rows_int(&rows, 0, 0, 0) == 1;
    lm_rows_free(&rows);
    return LM_OK;
}

static void unlock(struct lm_db *db, const char *name)
{
    struct lm_rows rows;

    if (!lm_db_query(db, &rows, SQL_RELEASE_LOCK, "s", name))
        lm_rows_free(&rows);
}

int lm_worker_pass(struct lm_db *db, const char *worker_name, long long now)
{
    char now_sql[32];
    int failed = 0, rc;

    lm_time_sql(now, now_sql);
    rc = lm_system_heartbeat(db, worker_name, now_sql);
    if (rc)
        return rc == LM_ERR_UNAVAILABLE ? -1 : 1;
    for (const struct lm_job *j = lm_jobs; j->name; j++) {
        char lock[96];
        int got = 0;

        snprintf(lock, sizeof lock, "leadmap.job.%s", j->name);
        rc = try_lock(db, lock, &got);
        if (rc) {
            failed++;
            lm_log_error("worker: cannot take the lock of job %s (%s)", j->name,
                         lm_result_name(rc));
            continue;
        }
        if (!got)
            continue; /* another worker runs it */
        rc = j->run(db, now, now_sql);
        if (rc) {
            failed++;
            lm_log_error("worker: job %s failed (%s)", j->name, lm_result_name(rc));
        }
        lm_system_job_ran(db, j->name, now_sql, rc);
        unlock(db, lock);
    }
    return failed;
}

static volatile sig_atomic_t stop_flag;

static void on_stop(int sig)
{
    (void)sig;
    stop_flag = 1;
}

int lm_worker_main(const struct lm_config *cfg, int once, long long now_override)
{
    struct lm_db db;
    char name[160], host[100];
    struct sigaction sa;
    int failed = 0;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGHUP, SIG_IGN); /* nothing to reload: the configuration is read at start */
    if (gethostname(host, sizeof host))
        snprintf(host, sizeof host, "localhost");
    host[sizeof host - 1] = '\0';
    snprintf(name, sizeof name, "%s:%ld", host, (long)getpid());
    lm_db_init(&db, cfg);
    lm_db_allow_long_queries(&db, 3600);
    if (!once)
        lm_log_info("worker: started (every %d s)", cfg->worker_interval);
    do {
        long long now = now_override ? now_override : (long long)time(NULL);
        failed = lm_worker_pass(&db, name, now);
        if (failed < 0)
            lm_log_warn("worker: database unavailable; will retry");
        if (once)
            break;
        for (int i = 0; i < cfg->worker_interval * 10 && !stop_flag; i++)
            usleep(100000);
    } while (!stop_flag);
    lm_db_close(&db);
    if (!once)
        lm_log_info("worker: stopped");
    return failed ? 1 : 0;
}
