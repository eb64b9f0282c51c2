/* `leadmap bench-data N`: adds N generated leads for benchmarks. */
#include "cli/cli.h"

#include "core/db.h"
#include "core/result.h"
#include "store/bench_data.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void show(long long done)
{
    printf("bench-data: %lld leads\n", done);
    fflush(stdout);
}

int lm_cli_bench_data(const struct lm_config *cfg, const char *count)
{
    struct lm_db db;
    struct timespec t0, t1;
    char *end = NULL;
    long long n;
    int rc;

    errno = 0;
    n = count ? strtoll(count, &end, 10) : 0;
    if (!count || errno || *end || n < 1 || n > 50000000) {
        fprintf(stderr, "usage: leadmap bench-data N   (1 to 50,000,000)\n");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    lm_db_init_admin(&db, cfg);
    lm_db_allow_long_queries(&db, 3600);
    rc = lm_bench_data(&db, n, show);
    lm_db_close(&db);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc) {
        fprintf(stderr, "leadmap bench-data: failed (%s)\n", lm_result_name(rc));
        return 1;
    }
    printf("bench-data: %lld leads in %.1f s\n", n,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return 0;
}
