/* The companion worker.
 *
 * DESIGN: every pass writes a heartbeat row, then walks the job table. Each
 * job runs under its lease, a row of job_leases taken in a transaction and
 * given back when the run ends, so with several workers (on one host or
 * many, on one database or a Galera cluster) exactly one runs a given job at
 * a time and the others skip it; each worker's next pass tries again, so
 * when one worker dies the others carry on within worker_interval. A worker
 * that dies in the middle of a run keeps the lease until it lapses
 * (worker_lease seconds). MariaDB's GET_LOCK is not used: under Galera it
 * is node-local (10.11.19: two nodes both grant it) or refused (error 1235).
 * Two runs for the same `now` one after the other are harmless: jobs are
 * idempotent (the second finds nothing left to do); the lease only keeps
 * them from running at the same time. `--once` waits for a lease another
 * worker holds rather than skip the job. Jobs take the instant
 * to act "as of" as a parameter: `--now` overrides the clock so that aging,
 * reminders and recurrences can be tested without waiting days. Jobs are
 * set-based SQL and idempotent: running a pass twice with the same now
 * changes nothing the second time. */
#include "jobs/jobs.h"

#include "core/log.h"
#include "core/result.h"
#include "core/time.h"
#include "service/imports.h"
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

/* Commits the queued CSV imports (service/imports.c), one transaction per
 * batch of rows; the app polls the import's progress meanwhile. */
static int job_imports(struct lm_db *db, long long now, const char *now_sql)
{
    long long rows = 0;
    int rc;

    (void)now;
    (void)now_sql;
    do {
        rc = lm_import_run_queued(db, &rows);
        if (!rc && rows)
            lm_log_info("worker: import committed %lld rows", rows);
    } while (!rc && rows);
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
    {"imports", job_imports},
    {NULL, NULL},
};

/* Job leases (sql/015_job_leases.sql): the lease row is read and locked,
 * then taken when it is free (expired, or this worker's own), all in one
 * transaction through lm_db_transaction, so two workers — on one node or
 * on two nodes of a Galera cluster, where the loser's commit fails
 * certification and its retry sees the winner's row — never both hold it. */
static const char SQL_LEASE_READ[] =
    "SELECT holder, expires_at > UTC_TIMESTAMP(6) FROM job_leases WHERE job = ? FOR UPDATE";
static const char SQL_LEASE_INSERT[] =
    "INSERT INTO job_leases (job, holder, acquired_at, expires_at)"
    " VALUES (?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL ? SECOND)";
static const char SQL_LEASE_TAKE[] =
    "UPDATE job_leases SET holder = ?, acquired_at = UTC_TIMESTAMP(6),"
    " expires_at = UTC_TIMESTAMP(6) + INTERVAL ? SECOND WHERE job = ?";
static const char SQL_LEASE_RELEASE[] =
    "UPDATE job_leases SET expires_at = UTC_TIMESTAMP(6) WHERE job = ? AND holder = ?";

struct lease_tx {
    const char *job, *holder;
    long long seconds;
    int got;
    /* release: the run's bookkeeping, written in the same transaction */
    const char *now_sql;
    int result;
};

static int lease_take_tx(struct lm_db *db, void *ctx)
{
    struct lease_tx *t = ctx;
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_LEASE_READ, "s", t->job);
    int exists, held_by_other;

    t->got = 0;
    if (rc)
        return rc;
    exists = rows.nrows > 0;
    held_by_other = exists && lm_rows_int(&rows, 0, 1, 0) == 1 &&
                    strcmp(lm_rows_get(&rows, 0, 0) ? lm_rows_get(&rows, 0, 0) : "",
                           t->holder) != 0;
    lm_rows_free(&rows);
    if (held_by_other)
        return LM_OK; /* another worker runs it now */
    if (exists)
        rc = lm_db_exec(db, SQL_LEASE_TAKE, "sis", t->holder, t->seconds, t->job);
    else
        rc = lm_db_exec(db, SQL_LEASE_INSERT, "ssi", t->job, t->holder, t->seconds);
    if (rc == LM_ERR_CONFLICT)
        return LM_ERR_CONFLICT; /* another worker created the row first: it holds it */
    if (!rc)
        t->got = 1;
    return rc;
}

static int lease_release_tx(struct lm_db *db, void *ctx)
{
    struct lease_tx *t = ctx;
    int rc = lm_db_exec(db, SQL_LEASE_RELEASE, "ss", t->job, t->holder);

    if (!rc)
        rc = lm_system_job_ran(db, t->job, t->now_sql, t->result);
    return rc;
}

int lm_job_lease_take(struct lm_db *db, const char *job, const char *holder, int seconds,
                      int *got)
{
    struct lease_tx t = {job, holder, seconds, 0, NULL, 0};
    int rc = lm_db_transaction(db, lease_take_tx, &t);

    *got = !rc && t.got;
    return rc == LM_ERR_CONFLICT ? LM_OK : rc;
}

int lm_job_lease_release(struct lm_db *db, const char *job, const char *holder,
                         const char *now_sql, int result)
{
    struct lease_tx t = {job, holder, 0, 0, now_sql, result};

    return lm_db_transaction(db, lease_release_tx, &t);
}

/* `worker --once` waits for a lease another worker holds (up to the lease's
 * length): a one-off pass runs every job, it does not skip one because a
 * background worker happens to be running it. */
static int wait_for_leases;

int lm_worker_pass(struct lm_db *db, const char *worker_name, long long now)
{
    char now_sql[32];
    int failed = 0, rc;
    int lease = db->cfg->worker_lease > 0 ? db->cfg->worker_lease : 10;

    lm_time_sql(now, now_sql);
    rc = lm_system_heartbeat(db, worker_name, now_sql);
    if (rc)
        return rc == LM_ERR_UNAVAILABLE ? -1 : 1;
    for (const struct lm_job *j = lm_jobs; j->name; j++) {
        int got = 0;

        rc = lm_job_lease_take(db, j->name, worker_name, lease, &got);
        for (int waited = 0; !rc && !got && wait_for_leases && waited < (lease + 1) * 10;
             waited++) {
            usleep(100000);
            rc = lm_job_lease_take(db, j->name, worker_name, lease, &got);
        }
        if (rc) {
            failed++;
            lm_log_error("worker: cannot take the lease of job %s (%s)", j->name,
                         lm_result_name(rc));
            continue;
        }
        if (!got) {
            if (wait_for_leases)
                lm_log_warn("worker: job %s skipped: another worker still holds its lease",
                            j->name);
            continue; /* another worker runs it */
        }
        lm_db_set_clock(db, now * 1000000); /* the job's SQL reads its now */
        rc = j->run(db, now, now_sql);
        lm_db_set_clock(db, 0);
        if (rc) {
            failed++;
            lm_log_error("worker: job %s failed (%s)", j->name, lm_result_name(rc));
        }
        if (lm_job_lease_release(db, j->name, worker_name, now_sql, rc))
            lm_log_warn("worker: cannot give back the lease of job %s; it lapses in %d s",
                        j->name, lease);
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
    wait_for_leases = once;
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
