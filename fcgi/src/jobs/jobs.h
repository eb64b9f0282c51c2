/* The worker's job table and one pass over it. */
#ifndef LM_JOBS_JOBS_H
#define LM_JOBS_JOBS_H

#include "core/db.h"

struct lm_job {
    const char *name;  /* job_leases and job_runs key */
    /* Runs the job as of `now` (unix seconds; now_sql is its DATETIME text). */
    int (*run)(struct lm_db *db, long long now, const char *now_sql);
};

extern const struct lm_job lm_jobs[];

/* Takes the lease of job for `seconds` when nobody else holds it (or
 * holder already does); *got says whether it did. */
int lm_job_lease_take(struct lm_db *db, const char *job, const char *holder, int seconds,
                      int *got);
/* Gives the lease back and records the run (job_runs), one transaction. */
int lm_job_lease_release(struct lm_db *db, const char *job, const char *holder,
                         const char *now_sql, int result);

/* One pass: heartbeat, then every job whose lease this process gets.
 * Returns the number of jobs that failed. */
int lm_worker_pass(struct lm_db *db, const char *worker_name, long long now);

/* `leadmap worker [--once] [--now T]` */
int lm_worker_main(const struct lm_config *cfg, int once, long long now_override);

#endif
