/* `leadmap serve`: the FastCGI master and its prefork workers. */
#ifndef LM_SERVE_POOL_H
#define LM_SERVE_POOL_H

#include "core/config.h"

/* A worker slot whose fork failed is tried again after a pause that starts
 * at 100 ms and doubles up to 5 s while fork keeps failing. */
#define LM_POOL_BACKOFF_MIN_MS 100
#define LM_POOL_BACKOFF_MAX_MS 5000

/* The pause after a failed fork, given the previous one (0: none yet). */
int lm_pool_next_backoff(int prev_ms);

/* Runs until SIGTERM/SIGINT; returns the process exit status. */
int lm_pool_run(const struct lm_config *cfg);

#endif
