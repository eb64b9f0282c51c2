/* Generated data for benchmarks: realistic leads in bulk. */
#ifndef LM_STORE_BENCH_DATA_H
#define LM_STORE_BENCH_DATA_H

#include "core/db.h"

/* Adds n leads spread over 200 bench agents (created when missing, password
 * demo1234, bench-agent-001@example.com …) in 10 groups and 20 units, with
 * phones, e-mails, notes, history, custom values, products and every
 * call-log state, in set-based batches of 100,000; then refreshes the index
 * statistics. progress (may be NULL) is called after each batch. */
int lm_bench_data(struct lm_db *db, long long n, void (*progress)(long long done));

#endif
