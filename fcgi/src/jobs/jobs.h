/* The worker's job table and one pass over it. */
#ifndef LM_JOBS_JOBS_H
#define LM_JOBS_JOBS_H

#include "core/db.h"

struct lm_job {
    const char *name;  /* lock name suffix and job_runs key */
    /* Runs the job as of `now` (unix seconds; now_sql is its DATETIME text). */
    int (*run)(struct lm_db *db, long long now, const char *now_sql);
};

extern const struct lm_job lm_jobs[];

/* One pass: heartbeat, then every job whose lock this process gets.
 * Returns the number of jobs that failed. */
int lm_worker_pass(struct lm_db *db, const char *worker_name, long long now);

/* `leadmap worker [--once] [--now T]` */
int lm_worker_main(const struct lm_config *cfg, int once, long long now_override);

#endif
