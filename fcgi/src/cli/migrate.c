/* `leadmap migrate` */
#include "cli/cli.h"

#include "core/crypto.h"
#include "core/db.h"
#include "store/migrate.h"

#include <stdio.h>

int lm_cli_migrate(const struct lm_config *cfg)
{
    struct lm_db db;
    char err[512] = "";
    int applied = 0, rc;

    if (lm_crypto_init())
        return 1;
    lm_db_init_admin(&db, cfg);
    lm_db_allow_long_queries(&db, 3600);
    rc = lm_migrate(&db, cfg->sql_dir, &applied, err, sizeof err);
    lm_db_close(&db);
    if (rc) {
        fprintf(stderr, "leadmap migrate: %s\n", err[0] ? err : "failed");
        return 1;
    }
    printf("migrations: %d applied\n", applied);
    return 0;
}
