/* MariaDB access through Connector/C prepared statements.
 *
 * DESIGN: every process (FastCGI worker, companion worker, CLI) owns one
 * struct lm_db. Statements are prepared on first use and cached by the
 * address of their SQL text, so each store file keeps its SQL as static
 * strings next to the code that uses it. When the server has gone away
 * (2006/2013/2002), the connection and every cached statement are dropped,
 * and outside a transaction the statement is retried once on a fresh
 * connection; if that fails too the caller gets LM_ERR_UNAVAILABLE, which the
 * HTTP layer turns into 503 + Retry-After. Results are fetched as text, one
 * allocation per cell.
 *
 * Two kinds of connection: the application's (db_user, DML only, one
 * statement per call) and the schema owner's (db_admin_user, with
 * multi-statements) for `leadmap migrate`, `demo-data` and `bench-data`. */
#include "core/db.h"

#include "core/log.h"
#include "core/result.h"

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LM_DB_MAX_PARAMS 128

void lm_db_init(struct lm_db *db, const struct lm_config *cfg)
{
    /* once per process, before any thread may connect */
    static int library_ready;
    if (!library_ready && mysql_library_init(0, NULL, NULL) == 0)
        library_ready = 1;
    memset(db, 0, sizeof *db);
    db->cfg = cfg;
}

void lm_db_thread_begin(void)
{
    mysql_thread_init();
}

void lm_db_thread_end(void)
{
    mysql_thread_end();
}

void lm_db_init_admin(struct lm_db *db, const struct lm_config *cfg)
{
    lm_db_init(db, cfg);
    db->admin = 1;
}

void lm_db_allow_long_queries(struct lm_db *db, unsigned seconds)
{
    db->read_timeout = seconds;
}

static void drop_connection(struct lm_db *db)
{
    for (unsigned i = 0; i < db->cap; i++)
        if (db->slots[i].stmt)
            mysql_stmt_close(db->slots[i].stmt);
    free(db->slots);
    db->slots = NULL;
    db->nslots = db->cap = 0;
    if (db->conn)
        mysql_close(db->conn);
    db->conn = NULL;
    db->in_tx = 0;
}

void lm_db_close(struct lm_db *db)
{
    drop_connection(db);
}

static int host_entry(const char *list, unsigned n, char *host, size_t hostlen,
                      unsigned *port);

static int connect_one(struct lm_db *db, unsigned idx)
{
    const struct lm_config *cfg = db->cfg;
    MYSQL *conn;
    unsigned int timeout = (unsigned)cfg->db_timeout;
    unsigned int rw_timeout = db->read_timeout ? db->read_timeout : timeout;
    my_bool reconnect = 0;
    char host[LM_CFG_STR], init[256];
    unsigned port = (unsigned)cfg->db_port;
    const char *sock = cfg->db_host[0] ? NULL : cfg->db_socket;
    int owner = db->admin && cfg->db_admin_user[0];
    const char *user = owner ? cfg->db_admin_user : cfg->db_user;
    const char *password = owner ? cfg->db_admin_password : cfg->db_password;
    /* only the migrator and loaders send several statements in one text */
    unsigned long flags = db->admin ? CLIENT_MULTI_STATEMENTS : 0;

    host[0] = '\0';
    if (cfg->db_host[0] && !host_entry(cfg->db_host, idx, host, sizeof host, &port))
        return LM_ERR_INTERNAL;
    conn = mysql_init(NULL);
    if (!conn)
        return LM_ERR_INTERNAL;
    mysql_options(conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(conn, MYSQL_OPT_READ_TIMEOUT, &rw_timeout);
    mysql_options(conn, MYSQL_OPT_WRITE_TIMEOUT, &rw_timeout);
    mysql_options(conn, MYSQL_OPT_RECONNECT, &reconnect);
    mysql_options(conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    /* On a Galera cluster a client's next request may reach another node
     * than its last one; db_sync_wait makes that node catch up first. */
    snprintf(init, sizeof init,
             "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,"
             "NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO'%s%.0d",
             cfg->db_sync_wait ? ", wsrep_sync_wait = " : "", cfg->db_sync_wait);
    mysql_options(conn, MYSQL_INIT_COMMAND, init);
    if (!mysql_real_connect(conn, host[0] ? host : NULL, user, password, cfg->db_name, port,
                            sock, flags)) {
        db->last_errno = mysql_errno(conn);
        lm_log_warn("db: connect to %s failed (%u)", host[0] ? host : "the socket",
                    db->last_errno);
        mysql_close(conn);
        return LM_ERR_UNAVAILABLE;
    }
    db->conn = conn;
    return LM_OK;
}

/* The n-th entry of db_host, a comma-separated list of host or host:port
 * (a Galera cluster's nodes, this pool's own node first), spaces around an
 * entry ignored. A port in the entry replaces *port. Returns 0 when there is
 * no such entry or its host is empty or too long. */
static int host_entry(const char *list, unsigned n, char *host, size_t hostlen,
                      unsigned *port)
{
    const char *p = list, *end, *colon;
    size_t len;

    for (unsigned i = 0; i < n; i++) {
        p = strchr(p, ',');
        if (!p)
            return 0;
        p++;
    }
    end = p + strcspn(p, ",");
    while (p < end && *p == ' ')
        p++;
    while (end > p && end[-1] == ' ')
        end--;
    colon = memchr(p, ':', (size_t)(end - p));
    len = (size_t)((colon ? colon : end) - p);
    if (!len || len >= hostlen)
        return 0;
    memcpy(host, p, len);
    host[len] = '\0';
    if (colon) {
        long v = strtol(colon + 1, NULL, 10);
        if (v > 0 && v < 65536)
            *port = (unsigned)v;
    }
    return 1;
}

static unsigned host_count(const char *list)
{
    unsigned n = 1;

    for (const char *p = list; *p; p++)
        n += *p == ',';
    return n;
}

int lm_db_connect(struct lm_db *db)
{
    const struct lm_config *cfg = db->cfg;
    unsigned hosts = cfg->db_host[0] ? host_count(cfg->db_host) : 1;

    if (db->conn)
        return LM_OK;
    /* from the entry after the one that failed last: a pool whose node went
     * away moves on to the next one and stays there */
    for (unsigned tried = 0; tried < hosts; tried++) {
        unsigned idx = (db->host_idx + tried) % hosts;
        int rc = connect_one(db, idx);

        if (rc != LM_ERR_UNAVAILABLE) {
            if (!rc)
                db->host_idx = idx;
            return rc;
        }
    }
    return LM_ERR_UNAVAILABLE;
}

static int gone_away(unsigned err)
{
    return err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST ||
           err == CR_CONNECTION_ERROR || err == CR_CONN_HOST_ERROR ||
           err == ER_CONNECTION_KILLED || err == CR_SERVER_LOST_EXTENDED ||
           err == ER_SERVER_SHUTDOWN ||
           /* Galera: "WSREP has not yet prepared node for application use",
            * a node out of the primary component (or still joining) */
           err == ER_UNKNOWN_COM_ERROR;
}

static int map_error(struct lm_db *db, unsigned err)
{
    db->last_errno = err;
    if (gone_away(err)) {
        drop_connection(db);
        db->host_idx++; /* the next connect starts with the next node */
        return LM_ERR_UNAVAILABLE;
    }
    if (err == ER_DUP_ENTRY)
        return LM_ERR_CONFLICT;
    if (err == ER_NO_REFERENCED_ROW_2 || err == ER_ROW_IS_REFERENCED_2)
        return LM_ERR_PARAM;
    return LM_ERR_DB;
}

int lm_db_retryable(const struct lm_db *db)
{
    return db->last_errno == ER_LOCK_DEADLOCK || db->last_errno == ER_LOCK_WAIT_TIMEOUT;
}

/* The slot of sql in a table of cap (a power of two) slots: its own, or the
 * empty one where it would go. */
static struct lm_db_stmt_slot *find_slot(struct lm_db_stmt_slot *slots, unsigned cap,
                                         const char *sql)
{
    /* addresses are aligned: mix the high bits in */
    unsigned long long h = (unsigned long long)(uintptr_t)sql * 0x9E3779B97F4A7C15ULL;
    unsigned i = (unsigned)(h >> 32) & (cap - 1);

    while (slots[i].sql && slots[i].sql != sql)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static int grow_slots(struct lm_db *db)
{
    unsigned ncap = db->cap ? db->cap * 2 : 64;
    struct lm_db_stmt_slot *n = calloc(ncap, sizeof *n);

    if (!n)
        return LM_ERR_INTERNAL;
    for (unsigned i = 0; i < db->cap; i++)
        if (db->slots[i].sql)
            *find_slot(n, ncap, db->slots[i].sql) = db->slots[i];
    free(db->slots);
    db->slots = n;
    db->cap = ncap;
    return LM_OK;
}

int lm_db_forget(struct lm_db *db, const char *sql)
{
    struct lm_db_stmt_slot *slot, *n;

    if (!db->cap)
        return 0;
    slot = find_slot(db->slots, db->cap, sql);
    if (!slot->sql)
        return 0;
    /* rebuilt without it: open addressing has no plain removal */
    n = calloc(db->cap, sizeof *n);
    if (!n)
        return -1;
    mysql_stmt_close(slot->stmt);
    slot->sql = NULL;
    for (unsigned i = 0; i < db->cap; i++)
        if (db->slots[i].sql)
            *find_slot(n, db->cap, db->slots[i].sql) = db->slots[i];
    free(db->slots);
    db->slots = n;
    db->nslots--;
    return 0;
}

static MYSQL_STMT *get_stmt(struct lm_db *db, const char *sql, int *rc)
{
    struct lm_db_stmt_slot *slot;
    MYSQL_STMT *stmt;

    if (db->cap) {
        slot = find_slot(db->slots, db->cap, sql);
        if (slot->sql)
            return slot->stmt;
    }
    if ((db->nslots + 1) * 2 > db->cap && grow_slots(db)) {
        *rc = LM_ERR_INTERNAL;
        return NULL;
    }
    stmt = mysql_stmt_init(db->conn);
    if (!stmt) {
        *rc = LM_ERR_INTERNAL;
        return NULL;
    }
    if (mysql_stmt_prepare(stmt, sql, strlen(sql))) {
        unsigned err = mysql_stmt_errno(stmt);
        lm_log_error("db: prepare failed (%u): %s", err, mysql_stmt_error(stmt));
        mysql_stmt_close(stmt);
        *rc = map_error(db, err);
        return NULL;
    }
    slot = find_slot(db->slots, db->cap, sql);
    slot->sql = sql;
    slot->stmt = stmt;
    db->nslots++;
    return stmt;
}

unsigned lm_db_prepared_count(const struct lm_db *db)
{
    return db->nslots;
}

struct param_set {
    MYSQL_BIND bind[LM_DB_MAX_PARAMS];
    long long ints[LM_DB_MAX_PARAMS];
    unsigned long lens[LM_DB_MAX_PARAMS];
    my_bool nulls[LM_DB_MAX_PARAMS];
    int n;
};

static int collect_params(struct param_set *ps, const char *types, va_list ap,
                          const struct lm_db_arg *args)
{
    memset(ps, 0, sizeof *ps);
    for (const char *t = types; *t; t++) {
        MYSQL_BIND *b;
        int i = ps->n;
        const char *s;

        if (i >= LM_DB_MAX_PARAMS)
            return LM_ERR_INTERNAL;
        b = &ps->bind[i];
        switch (*t) {
        case 'i':
            ps->ints[i] = args ? args[i].i : va_arg(ap, long long);
            b->buffer_type = MYSQL_TYPE_LONGLONG;
            b->buffer = &ps->ints[i];
            break;
        case 's':
            s = args ? args[i].s : va_arg(ap, const char *);
            b->buffer_type = MYSQL_TYPE_STRING;
            if (!s) {
                ps->nulls[i] = 1;
                b->is_null = &ps->nulls[i];
            } else {
                ps->lens[i] = (unsigned long)strlen(s);
                b->buffer = (void *)s;
                b->buffer_length = ps->lens[i];
                b->length = &ps->lens[i];
            }
            break;
        case 'b':
            if (args)
                return LM_ERR_INTERNAL;
            s = va_arg(ap, const char *);
            ps->lens[i] = (unsigned long)va_arg(ap, size_t);
            b->buffer_type = MYSQL_TYPE_BLOB;
            b->buffer = (void *)s;
            b->buffer_length = ps->lens[i];
            b->length = &ps->lens[i];
            break;
        default:
            lm_log_error("db: unknown type letter '%c'", *t);
            return LM_ERR_INTERNAL;
        }
        ps->n++;
    }
    return LM_OK;
}

static int fetch_rows(MYSQL_STMT *stmt, struct lm_rows *rows)
{
    MYSQL_RES *meta = NULL;
    MYSQL_BIND *bind = NULL;
    unsigned long *lens = NULL;
    my_bool *nulls = NULL, *errs = NULL;
    char **bufs = NULL;
    unsigned ncols, cap = 0, r = 0;
    int rc = LM_ERR_INTERNAL;

    memset(rows, 0, sizeof *rows);
    meta = mysql_stmt_result_metadata(stmt);
    if (!meta)
        return LM_ERR_INTERNAL;
    ncols = mysql_num_fields(meta);
    bind = calloc(ncols, sizeof *bind);
    lens = calloc(ncols, sizeof *lens);
    nulls = calloc(ncols, sizeof *nulls);
    errs = calloc(ncols, sizeof *errs);
    bufs = calloc(ncols, sizeof *bufs);
    if (!bind || !lens || !nulls || !errs || !bufs)
        goto out;
    for (unsigned c = 0; c < ncols; c++) {
        MYSQL_FIELD *f = mysql_fetch_field_direct(meta, c);
        unsigned long size = f->max_length;
        if (size < 64)
            size = 64;
        bufs[c] = malloc(size + 1);
        if (!bufs[c])
            goto out;
        bind[c].buffer_type = MYSQL_TYPE_STRING;
        bind[c].buffer = bufs[c];
        bind[c].buffer_length = size + 1;
        bind[c].length = &lens[c];
        bind[c].is_null = &nulls[c];
        bind[c].error = &errs[c];
    }
    if (mysql_stmt_bind_result(stmt, bind))
        goto out;
    rows->ncols = ncols;
    for (;;) {
        int f = mysql_stmt_fetch(stmt);
        if (f == MYSQL_NO_DATA)
            break;
        if (f == 1)
            goto out;
        if (r == cap) {
            unsigned ncap = cap ? cap * 2 : 16;
            char **nc = realloc(rows->cells, (size_t)ncap * ncols * sizeof *nc);
            unsigned long *nl;
            if (!nc)
                goto out;
            rows->cells = nc;
            nl = realloc(rows->lens, (size_t)ncap * ncols * sizeof *nl);
            if (!nl)
                goto out;
            rows->lens = nl;
            cap = ncap;
        }
        /* The row counts from here on, its cells NULL until filled, so a
         * failure part-way through it is freed with the rows before it. */
        for (unsigned c = 0; c < ncols; c++) {
            rows->cells[(size_t)r * ncols + c] = NULL;
            rows->lens[(size_t)r * ncols + c] = 0;
        }
        rows->nrows = r + 1;
        for (unsigned c = 0; c < ncols; c++) {
            size_t idx = (size_t)r * ncols + c;
            char *cell = NULL;
            if (!nulls[c]) {
                cell = malloc(lens[c] + 1);
                if (!cell)
                    goto out;
                if (errs[c]) { /* truncated: fetch the whole value */
                    MYSQL_BIND one;
                    memset(&one, 0, sizeof one);
                    one.buffer_type = MYSQL_TYPE_STRING;
                    one.buffer = cell;
                    one.buffer_length = lens[c] + 1;
                    mysql_stmt_fetch_column(stmt, &one, c, 0);
                } else {
                    memcpy(cell, bufs[c], lens[c]);
                }
                cell[lens[c]] = '\0';
            }
            rows->cells[idx] = cell;
            rows->lens[idx] = nulls[c] ? 0 : lens[c];
        }
        r++;
    }
    rc = LM_OK;
out:
    if (rc)
        lm_rows_free(rows);
    if (bufs)
        for (unsigned c = 0; c < ncols; c++)
            free(bufs[c]);
    free(bufs);
    free(errs);
    free(nulls);
    free(lens);
    free(bind);
    mysql_free_result(meta);
    return rc;
}

static int run(struct lm_db *db, struct lm_rows *rows, const char *sql, const char *types,
               va_list ap, const struct lm_db_arg *args)
{
    struct param_set ps;
    int rc, attempt;
    va_list ap2;

    va_copy(ap2, ap);
    rc = collect_params(&ps, types, ap2, args);
    va_end(ap2);
    if (rc)
        return rc;
    for (attempt = 0; attempt < 2; attempt++) {
        MYSQL_STMT *stmt;
        my_bool update_max = 1;
        int was_tx = db->in_tx;

        rc = lm_db_connect(db);
        if (rc)
            return rc;
        stmt = get_stmt(db, sql, &rc);
        if (!stmt) {
            if (rc == LM_ERR_UNAVAILABLE && !was_tx)
                continue;
            return rc;
        }
        if (mysql_stmt_param_count(stmt) != (unsigned long)ps.n) {
            lm_log_error("db: statement wants %lu parameters, signature '%s' has %d",
                         mysql_stmt_param_count(stmt), types, ps.n);
            return LM_ERR_INTERNAL;
        }
        if (ps.n && mysql_stmt_bind_param(stmt, ps.bind))
            return map_error(db, mysql_stmt_errno(stmt));
        mysql_stmt_attr_set(stmt, STMT_ATTR_UPDATE_MAX_LENGTH, &update_max);
        db->statements++;
        if (mysql_stmt_execute(stmt) || (rows && mysql_stmt_store_result(stmt))) {
            unsigned err = mysql_stmt_errno(stmt);
            if (err != ER_DUP_ENTRY && err != ER_LOCK_DEADLOCK)
                lm_log_warn("db: execute failed (%u): %s", err, mysql_stmt_error(stmt));
            rc = map_error(db, err);
            if (rc == LM_ERR_UNAVAILABLE && !was_tx)
                continue;
            return rc;
        }
        db->last_errno = 0;
        db->affected = mysql_stmt_affected_rows(stmt);
        db->insert_id = mysql_stmt_insert_id(stmt);
        if (rows) {
            rc = fetch_rows(stmt, rows);
            mysql_stmt_free_result(stmt);
            return rc;
        }
        return LM_OK;
    }
    return LM_ERR_UNAVAILABLE;
}

int lm_db_exec(struct lm_db *db, const char *sql, const char *types, ...)
{
    va_list ap;
    int rc;

    va_start(ap, types);
    rc = run(db, NULL, sql, types, ap, NULL);
    va_end(ap);
    return rc;
}

int lm_db_query(struct lm_db *db, struct lm_rows *rows, const char *sql, const char *types,
                ...)
{
    va_list ap;
    int rc;

    memset(rows, 0, sizeof *rows);
    va_start(ap, types);
    rc = run(db, rows, sql, types, ap, NULL);
    va_end(ap);
    return rc;
}

/* run() takes a va_list; this gives it an empty one next to the array. */
static int run_array(struct lm_db *db, struct lm_rows *rows, const char *sql, const char *types,
                     const struct lm_db_arg *args, ...)
{
    va_list ap;
    int rc;

    va_start(ap, args);
    rc = run(db, rows, sql, types, ap, args);
    va_end(ap);
    return rc;
}

int lm_db_query_args(struct lm_db *db, struct lm_rows *rows, const char *sql, const char *types,
                     const struct lm_db_arg *args)
{
    memset(rows, 0, sizeof *rows);
    return run_array(db, rows, sql, types, args);
}

int lm_db_exists(struct lm_db *db, int *found, const char *sql, const char *types, ...)
{
    struct lm_rows rows;
    va_list ap;
    int rc;

    *found = 0;
    va_start(ap, types);
    rc = run(db, &rows, sql, types, ap, NULL);
    va_end(ap);
    if (rc)
        return rc;
    *found = rows.nrows > 0;
    lm_rows_free(&rows);
    return LM_OK;
}

int lm_db_exec_text(struct lm_db *db, const char *sql)
{
    int rc = lm_db_connect(db);

    if (rc)
        return rc;
    if (mysql_real_query(db->conn, sql, strlen(sql))) {
        lm_log_error("db: %s", mysql_error(db->conn));
        return map_error(db, mysql_errno(db->conn));
    }
    /* drain every result of a multi-statement text */
    for (;;) {
        MYSQL_RES *res = mysql_store_result(db->conn);
        int next;
        if (res)
            mysql_free_result(res);
        next = mysql_next_result(db->conn);
        if (next == -1)
            break;
        if (next > 0) {
            lm_log_error("db: %s", mysql_error(db->conn));
            return map_error(db, mysql_errno(db->conn));
        }
    }
    return LM_OK;
}

void lm_db_set_clock(struct lm_db *db, long long now_us)
{
    db->clock_us = now_us > 0 ? now_us : 0;
}

static const char SQL_SET_CLOCK[] = "SET timestamp = CAST(? AS DECIMAL(17,6))";
static const char SQL_RESET_CLOCK[] = "SET timestamp = DEFAULT";

/* The session reads the request's instant until clock_reset. */
static int clock_set(struct lm_db *db)
{
    char ts[32];

    if (!db->clock_us)
        return LM_OK;
    snprintf(ts, sizeof ts, "%lld.%06lld", db->clock_us / 1000000, db->clock_us % 1000000);
    return lm_db_exec(db, SQL_SET_CLOCK, "s", ts);
}

/* Leaves what the transaction's last statement reported (error, rows
 * affected, insert id) for the caller to read. */
static void clock_reset(struct lm_db *db)
{
    unsigned err = db->last_errno;
    unsigned long long affected = db->affected, insert_id = db->insert_id;

    if (!db->clock_us || !db->conn)
        return;
    (void)lm_db_exec(db, SQL_RESET_CLOCK, "");
    db->last_errno = err;
    db->affected = affected;
    db->insert_id = insert_id;
}

int lm_db_begin(struct lm_db *db)
{
    int rc = lm_db_connect(db);

    if (rc)
        return rc;
    db->statements++;
    if (mysql_real_query(db->conn, "START TRANSACTION", 17))
        return map_error(db, mysql_errno(db->conn));
    db->in_tx = 1;
    return LM_OK;
}

int lm_db_commit(struct lm_db *db)
{
    if (!db->conn)
        return LM_ERR_UNAVAILABLE;
    db->in_tx = 0;
    db->statements++;
    if (mysql_commit(db->conn)) {
        int rc = map_error(db, mysql_errno(db->conn));
        /* a connection lost during COMMIT leaves the outcome unknown */
        if (rc == LM_ERR_UNAVAILABLE)
            db->commit_unknown = 1;
        return rc;
    }
    return LM_OK;
}

void lm_db_rollback(struct lm_db *db)
{
    if (db->conn && db->in_tx)
        mysql_rollback(db->conn);
    db->in_tx = 0;
}

int lm_db_transaction(struct lm_db *db, lm_tx_fn fn, void *ctx)
{
    int rc = LM_OK;

    for (int attempt = 0; attempt < 3; attempt++) {
        /* a connect that failed has already tried every db_host: no retry;
         * a kept connection found dead at START TRANSACTION is retried */
        int reached = db->conn != NULL;

        db->commit_unknown = 0;
        rc = lm_db_connect(db);
        if (!rc)
            rc = clock_set(db);
        if (!rc)
            rc = lm_db_begin(db);
        reached = reached || !rc;
        if (!rc)
            rc = fn(db, ctx);
        if (!rc)
            rc = lm_db_commit(db);
        if (rc)
            lm_db_rollback(db);
        clock_reset(db);
        if (!rc)
            break;
        /* A deadlock (Galera: a certification failure) rolled everything
         * back. So did a connection lost before COMMIT (the node died or
         * left the cluster): run it again on the next node. A connection
         * lost during COMMIT may have committed: never run that twice. */
        if (lm_db_retryable(db))
            continue;
        if (rc == LM_ERR_UNAVAILABLE && reached && !db->commit_unknown && !db->conn)
            continue;
        break;
    }
    return rc;
}

const char *lm_rows_get(const struct lm_rows *rows, unsigned row, unsigned col)
{
    if (row >= rows->nrows || col >= rows->ncols)
        return NULL;
    return rows->cells[(size_t)row * rows->ncols + col];
}

long long lm_rows_int(const struct lm_rows *rows, unsigned row, unsigned col, long long dflt)
{
    const char *s = lm_rows_get(rows, row, col);
    char *end = NULL;
    long long v;

    if (!s)
        return dflt;
    v = strtoll(s, &end, 10);
    return (end == s) ? dflt : v;
}

void lm_rows_free(struct lm_rows *rows)
{
    if (rows->cells)
        for (size_t i = 0; i < (size_t)rows->nrows * rows->ncols; i++)
            free(rows->cells[i]);
    free(rows->cells);
    free(rows->lens);
    memset(rows, 0, sizeof *rows);
}
