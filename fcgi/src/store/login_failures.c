/* Failed sign-ins per (e-mail, client address): see login_failures.h and
 * migration 010. Keying by the e-mail typed rather than the account id makes
 * an unknown e-mail go through the same statements and the same back-off as
 * a known one, so the answers do not tell them apart. */
#include "store/login_failures.h"

#include "core/crypto.h"
#include "core/result.h"

#include <stdio.h>
#include <string.h>

/* SHA-256 (hex) of the e-mail in ASCII lower case. */
static void email_key(const char *email, char out[LM_SHA256_HEX])
{
    char lower[256];
    size_t n = 0;

    for (; email[n] && n < sizeof lower - 1; n++)
        lower[n] = (char)(email[n] >= 'A' && email[n] <= 'Z' ? email[n] + 32 : email[n]);
    lower[n] = '\0';
    lm_sha256_hex(lower, n, out);
}

static const char SQL_LOCKED_FOR[] =
    "SELECT GREATEST(0, CEIL(TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(6),"
    "       COALESCE(locked_until, UTC_TIMESTAMP(6))) / 1000000))"
    " FROM login_failures WHERE email_hash = ? AND ip = ?";

int lm_login_locked_for(struct lm_db *db, const char *email, const char *ip,
                        long long *seconds)
{
    char key[LM_SHA256_HEX];
    struct lm_rows rows;
    int rc;

    *seconds = 0;
    email_key(email, key);
    rc = lm_db_query(db, &rows, SQL_LOCKED_FOR, "ss", key, ip);
    if (rc)
        return rc;
    if (rows.nrows == 1)
        *seconds = lm_rows_int(&rows, 0, 0, 0);
    lm_rows_free(&rows);
    return LM_OK;
}

static const char SQL_ADD[] =
    "INSERT INTO login_failures (email_hash, ip, failures, last_failure)"
    " VALUES (?, ?, 1, UTC_TIMESTAMP(6))"
    " ON DUPLICATE KEY UPDATE failures = failures + 1, last_failure = UTC_TIMESTAMP(6)";
static const char SQL_COUNT[] =
    "SELECT failures FROM login_failures WHERE email_hash = ? AND ip = ?";

int lm_login_failure_add(struct lm_db *db, const char *email, const char *ip,
                         unsigned *failures)
{
    char key[LM_SHA256_HEX];
    struct lm_rows rows;
    int rc;

    *failures = 0;
    email_key(email, key);
    rc = lm_db_exec(db, SQL_ADD, "ss", key, ip);
    if (rc)
        return rc;
    rc = lm_db_query(db, &rows, SQL_COUNT, "ss", key, ip);
    if (rc)
        return rc;
    *failures = (unsigned)lm_rows_int(&rows, 0, 0, 0);
    lm_rows_free(&rows);
    return LM_OK;
}

static const char SQL_LOCK[] =
    "UPDATE login_failures SET locked_until = UTC_TIMESTAMP(6) + INTERVAL ? SECOND"
    " WHERE email_hash = ? AND ip = ?";

int lm_login_failure_lock(struct lm_db *db, const char *email, const char *ip,
                          long long seconds)
{
    char key[LM_SHA256_HEX];

    email_key(email, key);
    return lm_db_exec(db, SQL_LOCK, "iss", seconds, key, ip);
}

static const char SQL_CLEAR[] = "DELETE FROM login_failures WHERE email_hash = ? AND ip = ?";

int lm_login_failures_clear(struct lm_db *db, const char *email, const char *ip)
{
    char key[LM_SHA256_HEX];

    email_key(email, key);
    return lm_db_exec(db, SQL_CLEAR, "ss", key, ip);
}

static const char SQL_PURGE[] =
    "DELETE FROM login_failures"
    " WHERE last_failure < CAST(? AS DATETIME(6)) - INTERVAL 1 DAY"
    " AND (locked_until IS NULL OR locked_until < CAST(? AS DATETIME(6)))";

int lm_login_failures_purge(struct lm_db *db, const char *now_sql, unsigned long long *deleted)
{
    int rc = lm_db_exec(db, SQL_PURGE, "ss", now_sql, now_sql);

    *deleted = rc ? 0 : db->affected;
    return rc;
}
