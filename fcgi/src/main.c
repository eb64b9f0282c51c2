/* leadmap: subcommand dispatch only. */
#include "cli/cli.h"
#include "core/config.h"
#include "core/time.h"
#include "core/version.h"
#include "jobs/jobs.h"
#include "serve/pool.h"

#include <stdio.h>
#include <string.h>

static int usage(void)
{
    fprintf(stderr,
            "usage: leadmap <command>\n"
            "  serve                         FastCGI master and workers\n"
            "  worker [--once] [--now T]     time-driven jobs (T: 2026-12-01T09:00:00Z)\n"
            "  migrate                       apply pending sql/NNN_name.sql migrations\n"
            "  demo-data                     load demo logins on an empty database\n"
            "  bench-data N                  add N generated leads (after demo-data)\n"
            "  user add|list|passwd|deactivate|activate …\n"
            "  lead create --as EMAIL        create a lead from JSON on stdin\n"
            "  db-statements N               prepare N statements on one connection\n"
            "  version\n"
            "configuration: $LEADMAP_CONFIG (default var/leadmap.conf)\n");
    return 2;
}

int main(int argc, char **argv)
{
    struct lm_config cfg;
    char err[512];
    const char *cmd = argc > 1 ? argv[1] : "";

    if (!strcmp(cmd, "version")) {
        printf("leadmap %s\n", lm_version());
        return 0;
    }
    if (!*cmd || !strcmp(cmd, "help") || !strcmp(cmd, "--help"))
        return usage();
    if (lm_config_load(&cfg, NULL, err, sizeof err)) {
        fprintf(stderr, "leadmap: %s\n", err);
        return 2;
    }
    if (!strcmp(cmd, "serve"))
        return lm_pool_run(&cfg);
    if (!strcmp(cmd, "worker")) {
        int once = 0;
        long long now = 0;
        for (int i = 2; i < argc; i++) {
            if (!strcmp(argv[i], "--once")) {
                once = 1;
            } else if (!strcmp(argv[i], "--now") && i + 1 < argc) {
                if (lm_time_parse_iso(argv[++i], &now)) {
                    fprintf(stderr, "leadmap: --now wants a time like 2026-12-01T09:00:00Z\n");
                    return 2;
                }
            } else {
                return usage();
            }
        }
        return lm_worker_main(&cfg, once, now);
    }
    if (!strcmp(cmd, "migrate"))
        return lm_cli_migrate(&cfg);
    if (!strcmp(cmd, "demo-data"))
        return lm_cli_demo_data(&cfg);
    if (!strcmp(cmd, "bench-data"))
        return lm_cli_bench_data(&cfg, argc > 2 ? argv[2] : NULL);
    if (!strcmp(cmd, "lead"))
        return lm_cli_lead(&cfg, argc - 2, argv + 2);
    if (!strcmp(cmd, "db-statements"))
        return lm_cli_db_statements(&cfg, argc > 2 ? argv[2] : NULL);
    if (!strcmp(cmd, "user"))
        return lm_cli_user(&cfg, argc - 2, argv + 2);
    return usage();
}
