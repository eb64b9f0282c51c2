/* Access tokens: HS256 JWTs with sub, role, grp, gen, exp, iat, jti. This is the
 * only interface to libjwt; see the checks in jwt.c for what 1.10 misses. */
#ifndef LM_CORE_JWT_H
#define LM_CORE_JWT_H

#include <stddef.h>

struct lm_claims {
    long long sub;
    char role[16];
    long long grp; /* 0 when the user has no group */
    long long gen; /* users.token_generation when issued; required */
    long long exp, iat;
    char jti[40];
};

/* Signs claims; *out is malloc'd, the caller frees it. */
int lm_jwt_sign(const struct lm_claims *c, const char *key, size_t keylen, char **out);
/* Verifies signature, algorithm (HS256 only) and expiry as of `now`. */
int lm_jwt_verify(const char *token, const char *key, size_t keylen, long long now,
                  struct lm_claims *c);

#endif
