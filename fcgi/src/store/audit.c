/* Appends audit rows; callers never fail a request because auditing failed
 * unless the action itself must be audited (they check the result).
 *
 * DESIGN (views): a lead view is audited, and one INSERT with its commit per
 * view measured as half of a lead read's database time. So a FastCGI worker
 * keeps its view rows in memory, each stamped with the instant of the view,
 * and a writer thread with its own connection inserts them in one statement
 * (INSERT … SELECT FROM JSON_TABLE) every second (audit_flush_ms), or as soon as
 * VIEWS_FLUSH_AT rows wait. A graceful stop (SIGTERM, SIGHUP's replacement)
 * writes what waits before the worker exits; a hard crash (SIGKILL, power
 * loss) loses at most the last second's views of that worker. A failed write
 * keeps the rows and tries again a second later. Changes are not batched. */
#include "store/audit.h"

#include "core/log.h"
#include "core/result.h"

#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char SQL_AUDIT[] =
    "INSERT INTO audit_log (user_id, action, entity, entity_id, ip, detail)"
    " VALUES (NULLIF(?, 0), ?, ?, NULLIF(?, 0), ?, ?)";

int lm_audit(struct lm_db *db, long long user_id, const char *action, const char *entity,
             long long entity_id, const char *ip, const char *detail)
{
    return lm_db_exec(db, SQL_AUDIT, "ississ", user_id, action, entity, entity_id, ip, detail);
}

/* --- batched views ------------------------------------------------------------ */

#define VIEWS_FLUSH_AT 512 /* rows that make the writer go before its second */
#define VIEWS_MAX 100000   /* beyond this (the database down for long) views wait inline */

static const char SQL_VIEWS[] =
    "INSERT INTO audit_log (at, user_id, action, entity, entity_id, ip)"
    " SELECT j.at, NULLIF(j.u, 0), j.a, j.e, NULLIF(j.i, 0), j.ip FROM JSON_TABLE(?, '$[*]'"
    " COLUMNS (n FOR ORDINALITY, at DATETIME(6) PATH '$[0]', u BIGINT PATH '$[1]',"
    " a VARCHAR(64) CHARACTER SET utf8mb4 PATH '$[2]', e VARCHAR(32) CHARACTER SET utf8mb4 PATH '$[3]',"
    " i BIGINT PATH '$[4]', ip VARCHAR(45) CHARACTER SET utf8mb4 PATH '$[5]')) j ORDER BY j.n";

/* What the request thread and the writer share, under views_mu. */
struct views {
    pthread_t thread;
    int running, stopping;
    json_t *j_rows; /* [[at, user, action, entity, entity_id, ip], …] */
    struct lm_db db;  /* the writer's own connection */
    int flush_ms;     /* audit_flush_ms */
};

static pthread_mutex_t views_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t views_wake = PTHREAD_COND_INITIALIZER;
static struct views V;

static void now_sql(char out[64])
{
    struct timespec ts;
    struct tm tm;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(out, 64, "%04d-%02d-%02d %02d:%02d:%02d.%06ld", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000);
}

int lm_audit_view(struct lm_db *db, long long user_id, const char *action, const char *entity,
                  long long entity_id, const char *ip)
{
    char at[64];
    json_t *j_row;
    size_t n;

    pthread_mutex_lock(&views_mu);
    if (!V.running || json_array_size(V.j_rows) >= VIEWS_MAX) {
        pthread_mutex_unlock(&views_mu);
        return lm_audit(db, user_id, action, entity, entity_id, ip, NULL);
    }
    now_sql(at);
    j_row = json_pack("[s, I, s, s, I, s]", at, (json_int_t)user_id, action, entity ? entity : "",
                      (json_int_t)entity_id, ip ? ip : "");
    if (!j_row || json_array_append_new(V.j_rows, j_row)) {
        pthread_mutex_unlock(&views_mu);
        return LM_ERR_INTERNAL;
    }
    n = json_array_size(V.j_rows);
    if (n >= VIEWS_FLUSH_AT)
        pthread_cond_signal(&views_wake);
    pthread_mutex_unlock(&views_mu);
    return LM_OK;
}

/* Writes rows (the writer's own connection); LM_OK or the error. */
static int write_rows(json_t *j_rows)
{
    char *text = json_dumps(j_rows, JSON_COMPACT);
    int rc = text ? lm_db_exec(&V.db, SQL_VIEWS, "s", text) : LM_ERR_INTERNAL;

    free(text);
    return rc;
}

static void *writer(void *arg)
{
    (void)arg;
    lm_db_thread_begin();
    pthread_mutex_lock(&views_mu);
    for (;;) {
        json_t *j_take;
        struct timespec until;
        int rc;

        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += V.flush_ms / 1000;
        until.tv_nsec += (long)(V.flush_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!V.stopping && json_array_size(V.j_rows) < VIEWS_FLUSH_AT &&
               pthread_cond_timedwait(&views_wake, &views_mu, &until) == 0)
            ;
        if (!json_array_size(V.j_rows)) {
            if (V.stopping)
                break;
            continue;
        }
        j_take = V.j_rows;
        V.j_rows = json_array();
        pthread_mutex_unlock(&views_mu);
        rc = write_rows(j_take);
        pthread_mutex_lock(&views_mu);
        if (rc) {
            /* keep them, oldest first, and try again */
            lm_log_error("audit: %zu view rows not written yet (%s)", json_array_size(j_take),
                         lm_result_name(rc));
            json_array_extend(j_take, V.j_rows);
            json_decref(V.j_rows);
            V.j_rows = j_take;
            if (V.stopping)
                break; /* a stop does not wait for the database */
        } else {
            json_decref(j_take);
        }
    }
    pthread_mutex_unlock(&views_mu);
    lm_db_close(&V.db);
    lm_db_thread_end();
    return NULL;
}

int lm_audit_views_start(const struct lm_config *cfg)
{
    sigset_t all, old;
    int rc = LM_OK, created;

    pthread_mutex_lock(&views_mu);
    if (!V.running) {
        lm_db_init(&V.db, cfg);
        V.flush_ms = cfg->audit_flush_ms > 0 ? cfg->audit_flush_ms : 1000;
        V.j_rows = json_array();
        V.stopping = 0;
        /* signals are the request thread's (they interrupt its accept):
         * the writer starts with all of them blocked */
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, &old);
        created = V.j_rows && pthread_create(&V.thread, NULL, writer, NULL) == 0;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (!created) {
            json_decref(V.j_rows);
            V.j_rows = NULL;
            rc = LM_ERR_INTERNAL;
        } else {
            V.running = 1;
        }
    }
    pthread_mutex_unlock(&views_mu);
    return rc;
}

void lm_audit_views_stop(void)
{
    pthread_mutex_lock(&views_mu);
    if (!V.running) {
        pthread_mutex_unlock(&views_mu);
        return;
    }
    V.stopping = 1;
    pthread_cond_signal(&views_wake);
    pthread_mutex_unlock(&views_mu);
    pthread_join(V.thread, NULL);
    pthread_mutex_lock(&views_mu);
    if (json_array_size(V.j_rows))
        lm_log_error("audit: %zu view rows lost at stop (database unreachable)",
                     json_array_size(V.j_rows));
    json_decref(V.j_rows);
    V.j_rows = NULL;
    V.running = 0;
    pthread_mutex_unlock(&views_mu);
}
