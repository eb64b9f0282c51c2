/* `leadmap serve`: the FastCGI master and its prefork workers. */
#ifndef LM_SERVE_POOL_H
#define LM_SERVE_POOL_H

#include "core/config.h"

/* Runs until SIGTERM/SIGINT; returns the process exit status. */
int lm_pool_run(const struct lm_config *cfg);

#endif
