/* `leadmap demo-data`: the demo logins (password demo1234) with their groups
 * and units, then sql/demo/demo.sql (settings and leads) and sql/demo/tasks.sql
 * (task rules and a few tasks). Does nothing when users exist already. */
#include "cli/cli.h"

#include "core/crypto.h"
#include "core/db.h"
#include "core/result.h"
#include "store/users.h"

#include <stdio.h>
#include <stdlib.h>

struct demo_user {
    const char *email, *name;
    enum lm_role role;
    const char *group, *unit;
    int can_reactivate;
};

static const struct demo_user demo_users[] = {
    {"admin@example.com", "Alex Admin", LM_ROLE_ADMIN, "Main Clinic", "Front Desk", 1},
    {"supervisor@example.com", "Sam Supervisor", LM_ROLE_SUPERVISOR, "Main Clinic",
     "Front Desk", 0},
    {"agent@example.com", "Ada Agent", LM_ROLE_AGENT, "Main Clinic", "Front Desk", 0},
    {"agent2@example.com", "Ben Agent", LM_ROLE_AGENT, "North Clinic", "Sales", 0},
};

/* Runs sql_dir/demo/<name>: demo.sql (settings lists and leads), then
 * tasks.sql (task definitions, rules, schedules and a few tasks). */
static int load_demo_sql(struct lm_db *db, const struct lm_config *cfg, const char *name)
{
    char path[512];
    FILE *f;
    char *text;
    long n;
    int rc;

    snprintf(path, sizeof path, "%s/demo/%s", cfg->sql_dir, name);
    f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "leadmap demo-data: cannot open %s\n", path);
        return LM_ERR_PARAM;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = n > 0 ? malloc((size_t)n + 1) : NULL;
    if (!text || fread(text, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(text);
        return LM_ERR_INTERNAL;
    }
    fclose(f);
    text[n] = '\0';
    rc = lm_db_exec_text(db, text);
    free(text);
    return rc;
}

int lm_cli_demo_data(const struct lm_config *cfg)
{
    struct lm_db db;
    char hash[LM_PWHASH_LEN];
    long long count = 0;
    int rc;

    if (lm_crypto_init())
        return 1;
    lm_db_init_admin(&db, cfg);
    lm_db_allow_long_queries(&db, 3600);
    rc = lm_user_count(&db, &count);
    if (rc || count > 0) {
        lm_db_close(&db);
        if (rc)
            fprintf(stderr, "leadmap demo-data: database error (%s)\n", lm_result_name(rc));
        else
            printf("demo data: users exist, nothing loaded\n");
        return rc ? 1 : 0;
    }
    rc = lm_password_hash("demo1234", hash);
    if (!rc)
        rc = lm_db_begin(&db); /* all of it or nothing */
    for (size_t i = 0; !rc && i < sizeof demo_users / sizeof demo_users[0]; i++) {
        const struct demo_user *d = &demo_users[i];
        long long group_id = 0, unit_id = 0, id = 0;

        rc = lm_group_ensure(&db, d->group, &group_id);
        if (!rc)
            rc = lm_unit_ensure(&db, d->unit, &unit_id);
        if (!rc)
            rc = lm_user_create(&db, d->email, d->name, d->role, group_id, hash, &id);
        if (!rc)
            rc = lm_user_add_unit(&db, id, unit_id);
        if (!rc && d->can_reactivate)
            rc = lm_user_grant(&db, id, "archive.reactivate");
    }
    if (!rc)
        rc = load_demo_sql(&db, cfg, "demo.sql");
    if (!rc)
        rc = load_demo_sql(&db, cfg, "tasks.sql");
    if (!rc)
        rc = lm_db_commit(&db);
    lm_db_rollback(&db);
    lm_db_close(&db);
    if (rc) {
        fprintf(stderr, "leadmap demo-data: failed (%s)\n", lm_result_name(rc));
        return 1;
    }
    printf("demo data loaded\n");
    return 0;
}
