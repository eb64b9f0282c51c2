/* Failed sign-ins per (e-mail typed, client address), for the login
 * back-off. The e-mail is kept only as the SHA-256 of its lower-case form,
 * whether or not it names an account. */
#ifndef LM_STORE_LOGIN_FAILURES_H
#define LM_STORE_LOGIN_FAILURES_H

#include "core/db.h"

/* Seconds the pair stays locked out (0 when open). */
int lm_login_locked_for(struct lm_db *db, const char *email, const char *ip,
                        long long *seconds);
/* Counts one failure of the pair; *failures is the new count in a row. */
int lm_login_failure_add(struct lm_db *db, const char *email, const char *ip,
                         unsigned *failures);
/* Locks the pair out for `seconds` from now. */
int lm_login_failure_lock(struct lm_db *db, const char *email, const char *ip,
                          long long seconds);
/* A successful sign-in: the pair starts again from zero. */
int lm_login_failures_clear(struct lm_db *db, const char *email, const char *ip);
/* Deletes pairs whose last failure is more than a day before now and that
 * are no longer locked. */
int lm_login_failures_purge(struct lm_db *db, const char *now_sql, unsigned long long *deleted);

#endif
