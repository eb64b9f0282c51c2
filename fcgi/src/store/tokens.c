/* Refresh-token rows. Rotation runs in one transaction with the presented
 * row locked, so two refreshes with one token cannot both succeed. */
#include "store/tokens.h"

#include "core/log.h"
#include "core/result.h"

#include <stdio.h>
#include <string.h>

static const char SQL_INSERT[] =
    "INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)"
    " VALUES (?, ?, ?, UTC_TIMESTAMP(6) + INTERVAL ? SECOND)";

static int insert_token(struct lm_db *db, long long user_id, const char *family, int ttl,
                        char out[LM_TOKEN_LEN])
{
    char hash[LM_SHA256_HEX];

    lm_random_token(out);
    lm_sha256_hex(out, strlen(out), hash);
    return lm_db_exec(db, SQL_INSERT, "issi", user_id, family, hash, (long long)ttl);
}

int lm_refresh_issue(struct lm_db *db, long long user_id, int ttl, char out[LM_TOKEN_LEN])
{
    char family[33];

    lm_random_hex(family, 16);
    return insert_token(db, user_id, family, ttl, out);
}

static const char SQL_LOCK_ROW[] =
    "SELECT t.id, t.user_id, t.family_id, t.rotated_at IS NOT NULL,"
    " t.revoked_at IS NOT NULL OR t.expires_at <= UTC_TIMESTAMP(6) OR u.active = 0"
    " FROM refresh_tokens t JOIN users u ON u.id = t.user_id"
    " WHERE t.token_hash = ? FOR UPDATE";
static const char SQL_SPEND[] =
    "UPDATE refresh_tokens SET rotated_at = UTC_TIMESTAMP(6) WHERE id = ?";
static const char SQL_REVOKE_FAMILY[] =
    "UPDATE refresh_tokens SET revoked_at = UTC_TIMESTAMP(6)"
    " WHERE family_id = ? AND revoked_at IS NULL";

struct rotate_tx {
    const char *hash;
    int ttl;
    char *out;
    long long user_id;
    int reused, refused;
};

/* A refused token (unknown, spent, expired, revoked) still commits: a reuse
 * revokes its family. */
static int rotate_tx(struct lm_db *db, void *ctx)
{
    struct rotate_tx *t = ctx;
    struct lm_rows rows;
    char family[33];
    long long id;
    int rc;

    t->user_id = 0;
    t->reused = 0;
    t->refused = 1;
    rc = lm_db_query(db, &rows, SQL_LOCK_ROW, "s", t->hash);
    if (rc)
        return rc;
    if (rows.nrows != 1) {
        lm_rows_free(&rows);
        return LM_OK;
    }
    id = lm_rows_int(&rows, 0, 0, 0);
    t->user_id = lm_rows_int(&rows, 0, 1, 0);
    snprintf(family, sizeof family, "%s", lm_rows_get(&rows, 0, 2));
    /* reuse first: replaying a spent token revokes the family even if expired */
    if (lm_rows_int(&rows, 0, 3, 1)) {
        t->reused = 1;
        rc = lm_db_exec(db, SQL_REVOKE_FAMILY, "s", family);
    } else if (!lm_rows_int(&rows, 0, 4, 1)) {
        t->refused = 0;
        rc = lm_db_exec(db, SQL_SPEND, "i", id);
        if (!rc)
            rc = insert_token(db, t->user_id, family, t->ttl, t->out);
    }
    lm_rows_free(&rows);
    return rc;
}

int lm_refresh_rotate(struct lm_db *db, const char *token, int ttl, char out[LM_TOKEN_LEN],
                      long long *user_id, int *reused)
{
    char hash[LM_SHA256_HEX];
    struct rotate_tx t = {hash, ttl, out, 0, 0, 1};
    int rc;

    lm_sha256_hex(token, strlen(token), hash);
    rc = lm_db_transaction(db, rotate_tx, &t);
    *user_id = t.user_id;
    *reused = !rc && t.reused;
    if (rc)
        return rc;
    return t.refused ? LM_ERR_AUTH : LM_OK;
}

static const char SQL_FAMILY_OF[] = "SELECT family_id FROM refresh_tokens WHERE token_hash = ?";

int lm_refresh_revoke_family(struct lm_db *db, const char *token)
{
    struct lm_rows rows;
    char hash[LM_SHA256_HEX];
    int rc;

    lm_sha256_hex(token, strlen(token), hash);
    rc = lm_db_query(db, &rows, SQL_FAMILY_OF, "s", hash);
    if (rc)
        return rc;
    if (rows.nrows == 1)
        rc = lm_db_exec(db, SQL_REVOKE_FAMILY, "s", lm_rows_get(&rows, 0, 0));
    lm_rows_free(&rows);
    return rc;
}

static const char SQL_PURGE[] =
    "DELETE FROM refresh_tokens WHERE expires_at < CAST(? AS DATETIME(6)) - INTERVAL 1 DAY";

int lm_refresh_purge(struct lm_db *db, const char *now_sql, unsigned long long *deleted)
{
    int rc = lm_db_exec(db, SQL_PURGE, "s", now_sql);

    *deleted = rc ? 0 : db->affected;
    return rc;
}
