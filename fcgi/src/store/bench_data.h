/* Generated data for benchmarks: realistic leads in bulk. */
#ifndef LM_STORE_BENCH_DATA_H
#define LM_STORE_BENCH_DATA_H

#include "core/db.h"

/* Adds n leads (with phones, e-mails, custom values, call-log states and a
 * history row each) in batches of 100,000 set-based inserts. */
int lm_bench_data(struct lm_db *db, long long n, void (*progress)(long long done));

#endif
