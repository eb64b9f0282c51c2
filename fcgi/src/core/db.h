/* The database handle each process keeps: one MariaDB connection, its
 * prepared statements cached by SQL text, reconnection when the server went
 * away, transactions with rollback on the cleanup path.
 *
 * Parameters are bound through a type signature, one letter per `?`:
 *   i  long long          (64-bit integer)
 *   s  const char *       (NULL binds SQL NULL)
 *   b  const char *, size_t (bytes with a length)
 * The helper asserts that the signature has as many letters as the
 * statement has placeholders. Results come back as text cells. */
#ifndef LM_CORE_DB_H
#define LM_CORE_DB_H

#include "core/config.h"

#include <jansson.h>
#include <stddef.h>

struct lm_db_stmt_slot {
    const char *sql; /* identity: the static string the caller passed */
    void *stmt;      /* MYSQL_STMT * */
};

struct lm_db {
    void *conn; /* MYSQL * */
    const struct lm_config *cfg;
    /* Prepared statements: an open-addressing hash keyed by the SQL text's
     * address, doubled when half full, so no number of statements fills it. */
    struct lm_db_stmt_slot *slots;
    unsigned nslots, cap;
    unsigned long long statements; /* statements run; the HTTP layer reports
                                      the count per request (X-Db-Statements) */
    int in_tx;
    unsigned long long affected;
    unsigned long long insert_id;
    unsigned last_errno;
    unsigned read_timeout; /* seconds a query may run; 0 = cfg->db_timeout */
    int admin;             /* connect as db_admin_user, multi-statements on */
    long long clock_us;    /* the request's or job's now (unix microseconds);
                              0 = the server's clock */
    unsigned host_idx;     /* the db_host entry to try first */
    int commit_unknown;    /* the connection was lost during COMMIT */
};

struct lm_rows {
    unsigned nrows, ncols;
    char **cells;          /* nrows * ncols, NULL for SQL NULL */
    unsigned long *lens;
};

/* db_host may list several servers, `host[:port],host[:port]` (a Galera
 * cluster's nodes, this process's own node first): a connection goes to the
 * first that answers, starting after the one that failed last.
 *
 * An application connection: db_user, one statement per call (no
 * CLIENT_MULTI_STATEMENTS), so an injected `; DROP …` cannot run. */
void lm_db_init(struct lm_db *db, const struct lm_config *cfg);
/* A thread other than the process's first that uses a connection of its own
 * calls begin before and end after. */
void lm_db_thread_begin(void);
void lm_db_thread_end(void);
/* A connection as the schema owner (db_admin_user, or db_user when that is
 * empty) with multi-statements, for the migrator and the data loaders that
 * run whole .sql files and DDL. Never used by serve or worker. */
void lm_db_init_admin(struct lm_db *db, const struct lm_config *cfg);
/* Long-running processes (worker, CLI) allow queries this long (seconds). */
void lm_db_allow_long_queries(struct lm_db *db, unsigned seconds);
/* Connects if not connected. LM_ERR_UNAVAILABLE when the server is down. */
int lm_db_connect(struct lm_db *db);
void lm_db_close(struct lm_db *db);

/* Runs a statement that returns no rows. LM_ERR_CONFLICT on a duplicate key,
 * LM_ERR_UNAVAILABLE when the server cannot be reached. */
int lm_db_exec(struct lm_db *db, const char *sql, const char *types, ...);
/* Runs a query; rows are filled on LM_OK and freed with lm_rows_free. */
int lm_db_query(struct lm_db *db, struct lm_rows *rows, const char *sql, const char *types,
                ...);
/* One parameter of lm_db_query_args: i for 'i', s for 's' (NULL = SQL NULL). */
struct lm_db_arg {
    long long i;
    const char *s;
};
/* lm_db_query with the parameters in an array, for a statement assembled
 * from fixed fragments whose parameter list is built alongside it (types
 * holds 'i' and 's' only, one per args element). */
int lm_db_query_args(struct lm_db *db, struct lm_rows *rows, const char *sql, const char *types,
                     const struct lm_db_arg *args);
/* Closes the prepared statement of sql (if any) and forgets it, so the
 * caller may free or reuse that text. 0 when done; -1 (out of memory) when
 * the statement is still there and the text must stay valid. */
int lm_db_forget(struct lm_db *db, const char *sql);
/* Sets *found to 1 when the query returns at least one row. */
int lm_db_exists(struct lm_db *db, int *found, const char *sql, const char *types, ...);
/* How many statements are prepared on this connection (for tests). */
unsigned lm_db_prepared_count(const struct lm_db *db);
/* Runs unprepared SQL text with no values in it (DDL, migrations). Several
 * statements separated by `;` only on an admin connection. */
int lm_db_exec_text(struct lm_db *db, const char *sql);

/* One `now` per request or job: every transaction run while it is set
 * starts with `SET timestamp`, so UTC_TIMESTAMP(6), NOW() and DEFAULT
 * columns in it read this instant (the same one C compares against), and
 * ends by handing the session its own clock back. 0 clears it. */
void lm_db_set_clock(struct lm_db *db, long long now_us);

int lm_db_begin(struct lm_db *db);
int lm_db_commit(struct lm_db *db);
void lm_db_rollback(struct lm_db *db);

typedef int (*lm_tx_fn)(struct lm_db *db, void *ctx);
/* Runs fn in a transaction: commits when it returns LM_OK, rolls back
 * otherwise; on a deadlock or lock wait timeout (Galera certification
 * failures arrive the same way, error 1213) or a connection lost before
 * COMMIT (the next try connects to the next db_host) fn runs again, three
 * tries in all. A connection lost during COMMIT is not retried: the
 * transaction may have committed. */
int lm_db_transaction(struct lm_db *db, lm_tx_fn fn, void *ctx);

/* 1 when the last error was a deadlock or lock wait timeout (retry the transaction). */
int lm_db_retryable(const struct lm_db *db);

const char *lm_rows_get(const struct lm_rows *rows, unsigned row, unsigned col);
long long lm_rows_int(const struct lm_rows *rows, unsigned row, unsigned col, long long dflt);
void lm_rows_free(struct lm_rows *rows);

#endif
