/* Subcommands other than serve and worker. */
#ifndef LM_CLI_CLI_H
#define LM_CLI_CLI_H

#include "core/config.h"

int lm_cli_user(const struct lm_config *cfg, int argc, char **argv);
int lm_cli_migrate(const struct lm_config *cfg);
int lm_cli_demo_data(const struct lm_config *cfg);
int lm_cli_bench_data(const struct lm_config *cfg, const char *count);
int lm_cli_lead(const struct lm_config *cfg, int argc, char **argv);
int lm_cli_db_statements(const struct lm_config *cfg, const char *count);

#endif
