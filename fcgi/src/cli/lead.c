/* `leadmap lead create --as EMAIL`: creates a lead from a JSON body on
 * standard input through the same service the API uses (service/leads.c),
 * as that user, and prints the lead's JSON. The way scripts (and tests)
 * reach the one write path without HTTP.
 * `leadmap db-statements N`: prepares and runs N distinct statements on one
 * connection, a check that the statement cache has no cap to hit. */
#include "cli/cli.h"

#include "core/db.h"
#include "core/result.h"
#include "service/leads.h"
#include "store/cache.h"
#include "store/leads.h"
#include "store/users.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_BODY (1024 * 1024)

static int create(struct lm_db *db, const char *email)
{
    struct lm_user u;
    struct lm_lead_outcome o;
    struct lm_actor_info who;
    json_error_t jerr;
    json_t *j_body = NULL, *j_out = NULL;
    long long uid = 0;
    int rc;

    j_body = json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(j_body)) {
        fprintf(stderr, "leadmap lead create: standard input is not a JSON object (%s)\n",
                jerr.text);
        json_decref(j_body);
        return 2;
    }
    rc = lm_user_id_by_email(db, email, &uid);
    if (!rc)
        rc = lm_user_load_active(db, uid, &u);
    if (!rc)
        rc = lm_cache_sync(db, 0);
    if (rc) {
        fprintf(stderr, "leadmap lead create: no active user %s (%s)\n", email,
                lm_result_name(rc));
        json_decref(j_body);
        return 1;
    }
    who.user = &u;
    who.ip = "cli";
    who.now = (long long)time(NULL);
    lm_db_set_clock(db, who.now * 1000000); /* one now for C and SQL */
    lm_lead_outcome_init(&o);
    rc = lm_lead_create(db, &who, j_body, LM_CREATE_ALLOW_DUPLICATE, &o);
    if (rc) {
        j_out = json_pack("{s:s, s:s, s:O*}", "code", o.code ? o.code : lm_result_name(rc),
                          "message", o.message, "fields", o.j_fields);
        json_dumpf(j_out, stderr, JSON_COMPACT);
        fputc('\n', stderr);
    } else {
        j_out = lm_lead_json_of(o.lead, LM_LFF_FULL, lm_lead_names_cached(), who.now);
        json_dumpf(j_out, stdout, JSON_COMPACT);
        fputc('\n', stdout);
    }
    json_decref(j_out);
    json_decref(j_body);
    lm_lead_outcome_free(&o);
    return rc ? 1 : 0;
}

int lm_cli_lead(const struct lm_config *cfg, int argc, char **argv)
{
    struct lm_db db;
    int rc;

    if (argc != 3 || strcmp(argv[0], "create") || strcmp(argv[1], "--as")) {
        fprintf(stderr, "usage: leadmap lead create --as EMAIL  < body.json\n");
        return 2;
    }
    lm_db_init(&db, cfg);
    rc = create(&db, argv[2]);
    lm_db_close(&db);
    return rc;
}

int lm_cli_db_statements(const struct lm_config *cfg, const char *count)
{
    struct lm_db db;
    char **sql = NULL;
    char *end = NULL;
    long long n;
    int rc = LM_OK, bad = 0;

    errno = 0;
    n = count ? strtoll(count, &end, 10) : 0;
    if (!count || errno || *end || n < 1 || n > 10000) {
        fprintf(stderr, "usage: leadmap db-statements N   (1 to 10,000)\n");
        return 2;
    }
    sql = calloc((size_t)n, sizeof *sql);
    if (!sql)
        return 1;
    lm_db_init(&db, cfg);
    /* each text at its own address is a statement of its own; run each twice
     * so the second run comes from the cache */
    for (long long i = 0; i < n && !rc; i++) {
        if (asprintf(&sql[i], "SELECT %lld + ?", i) < 0) {
            sql[i] = NULL;
            rc = LM_ERR_INTERNAL;
        }
    }
    for (int pass = 0; pass < 2 && !rc; pass++)
        for (long long i = 0; i < n && !rc; i++) {
            struct lm_rows rows;
            rc = lm_db_query(&db, &rows, sql[i], "i", 1LL);
            if (!rc) {
                bad += lm_rows_int(&rows, 0, 0, -1) != i + 1;
                lm_rows_free(&rows);
            }
        }
    if (!rc)
        printf("db-statements: %lld statements prepared on one connection, %u cached, "
               "%d wrong answers\n",
               n, lm_db_prepared_count(&db), bad);
    lm_db_close(&db);
    for (long long i = 0; i < n; i++)
        free(sql[i]);
    free(sql);
    if (rc)
        fprintf(stderr, "leadmap db-statements: failed (%s)\n", lm_result_name(rc));
    return rc || bad ? 1 : 0;
}
