/* Refresh tokens: only their SHA-256 is stored. Tokens of one login form a
 * family; presenting a token that was already rotated revokes the family. */
#ifndef LM_STORE_TOKENS_H
#define LM_STORE_TOKENS_H

#include "core/crypto.h"
#include "core/db.h"

/* Issues a token for a new family. out receives the plain token. */
int lm_refresh_issue(struct lm_db *db, long long user_id, int ttl, char out[LM_TOKEN_LEN]);
/* Rotates: the presented token is spent and a new one of the same family is
 * returned with its user. LM_ERR_AUTH when unknown, expired, revoked or reused
 * (a reuse also revokes the family; *reused is then 1). */
int lm_refresh_rotate(struct lm_db *db, const char *token, int ttl, char out[LM_TOKEN_LEN],
                      long long *user_id, int *reused);
/* Revokes the family of a token (logout). Unknown tokens are ignored. */
int lm_refresh_revoke_family(struct lm_db *db, const char *token);
/* Deletes tokens that expired before now minus a day. */
int lm_refresh_purge(struct lm_db *db, const char *now_sql, unsigned long long *deleted);

#endif
