/* JWT signing and verification with libjwt 1.10. That version accepts
 * HS384/HS512 tokens signed with the same key and never checks exp, so the
 * algorithm is pinned to HS256 and every time claim is checked here. */
#include "core/jwt.h"

#include "core/result.h"

#include <errno.h>
#include <jwt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int lm_jwt_sign(const struct lm_claims *c, const char *key, size_t keylen, char **out)
{
    jwt_t *jwt = NULL;
    char sub[24], *tok;
    int rc = LM_ERR_INTERNAL;

    *out = NULL;
    if (jwt_new(&jwt))
        return LM_ERR_INTERNAL;
    snprintf(sub, sizeof sub, "%lld", c->sub);
    if (jwt_add_grant(jwt, "sub", sub) || jwt_add_grant(jwt, "role", c->role) ||
        jwt_add_grant_int(jwt, "grp", (long)c->grp) ||
        jwt_add_grant_int(jwt, "gen", (long)c->gen) ||
        jwt_add_grant_int(jwt, "exp", (long)c->exp) ||
        jwt_add_grant_int(jwt, "iat", (long)c->iat) || jwt_add_grant(jwt, "jti", c->jti))
        goto out;
    if (jwt_set_alg(jwt, JWT_ALG_HS256, (const unsigned char *)key, (int)keylen))
        goto out;
    tok = jwt_encode_str(jwt);
    if (!tok)
        goto out;
    *out = tok;
    rc = LM_OK;
out:
    jwt_free(jwt);
    return rc;
}

static int grant_int(jwt_t *jwt, const char *name, long long *out)
{
    long v;

    errno = 0;
    v = jwt_get_grant_int(jwt, name);
    if (errno)
        return LM_ERR_AUTH;
    *out = v;
    return LM_OK;
}

int lm_jwt_verify(const char *token, const char *key, size_t keylen, long long now,
                  struct lm_claims *c)
{
    jwt_t *jwt = NULL;
    const char *s;
    char *end = NULL;
    int rc = LM_ERR_AUTH;

    memset(c, 0, sizeof *c);
    if (!token || strlen(token) > 4096)
        return LM_ERR_AUTH;
    if (jwt_decode(&jwt, token, (const unsigned char *)key, (int)keylen) || !jwt)
        goto out;
    if (jwt_get_alg(jwt) != JWT_ALG_HS256)
        goto out;
    if (grant_int(jwt, "exp", &c->exp) || grant_int(jwt, "iat", &c->iat))
        goto out;
    if (now >= c->exp || c->iat > now + 60)
        goto out;
    if (grant_int(jwt, "grp", &c->grp))
        c->grp = 0;
    if (grant_int(jwt, "gen", &c->gen) || c->gen < 0)
        goto out;
    s = jwt_get_grant(jwt, "sub");
    if (!s)
        goto out;
    errno = 0;
    c->sub = strtoll(s, &end, 10);
    if (errno || end == s || *end || c->sub <= 0)
        goto out;
    s = jwt_get_grant(jwt, "role");
    if (!s || strlen(s) >= sizeof c->role)
        goto out;
    strcpy(c->role, s);
    s = jwt_get_grant(jwt, "jti");
    if (s && strlen(s) < sizeof c->jti)
        strcpy(c->jti, s);
    rc = LM_OK;
out:
    if (jwt)
        jwt_free(jwt);
    return rc;
}
