/* Access tokens: what libjwt 1.10 lets through must not get past lm_jwt_verify. */
#include "lm_test.h"

#include "core/jwt.h"

#include <jwt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char KEY[] = "0123456789abcdef0123456789abcdef-test-key";
#define NOW 1796115600LL

static struct lm_claims claims(void)
{
    struct lm_claims c;

    memset(&c, 0, sizeof c);
    c.sub = 7;
    c.grp = 2;
    c.gen = 3;
    strcpy(c.role, "agent");
    c.iat = NOW;
    c.exp = NOW + 900;
    strcpy(c.jti, "abc");
    return c;
}

static char *sign_with(jwt_alg_t alg, long long exp)
{
    jwt_t *jwt = NULL;
    char *tok;

    assert_int_equal(jwt_new(&jwt), 0);
    jwt_add_grant(jwt, "sub", "7");
    jwt_add_grant(jwt, "role", "admin");
    jwt_add_grant_int(jwt, "exp", (long)exp);
    jwt_add_grant_int(jwt, "iat", (long)NOW);
    if (alg != JWT_ALG_NONE)
        jwt_set_alg(jwt, alg, (const unsigned char *)KEY, (int)strlen(KEY));
    tok = jwt_encode_str(jwt);
    jwt_free(jwt);
    return tok;
}

static void signed_token_verifies_with_claims(void **state)
{
    struct lm_claims c = claims(), out;
    char *tok = NULL;

    (void)state;
    assert_int_equal(lm_jwt_sign(&c, KEY, strlen(KEY), &tok), 0);
    assert_int_equal(lm_jwt_verify(tok, KEY, strlen(KEY), NOW + 10, &out), 0);
    assert_int_equal(out.sub, 7);
    assert_int_equal(out.grp, 2);
    assert_int_equal(out.gen, 3);
    assert_string_equal(out.role, "agent");
    assert_string_equal(out.jti, "abc");
    free(tok);
}

static void expired_token_is_refused(void **state)
{
    struct lm_claims c = claims(), out;
    char *tok = NULL;

    (void)state;
    assert_int_equal(lm_jwt_sign(&c, KEY, strlen(KEY), &tok), 0);
    assert_int_not_equal(lm_jwt_verify(tok, KEY, strlen(KEY), NOW + 900, &out), 0);
    assert_int_not_equal(lm_jwt_verify(tok, KEY, strlen(KEY), NOW + 5000, &out), 0);
    free(tok);
}

static void wrong_key_or_tampered_token_is_refused(void **state)
{
    struct lm_claims c = claims(), out;
    char *tok = NULL;
    size_t n;

    (void)state;
    assert_int_equal(lm_jwt_sign(&c, KEY, strlen(KEY), &tok), 0);
    assert_int_not_equal(lm_jwt_verify(tok, "another-key-another-key-another-key", 35, NOW, &out),
                         0);
    n = strlen(tok);
    tok[n - 2] = tok[n - 2] == 'A' ? 'B' : 'A';
    assert_int_not_equal(lm_jwt_verify(tok, KEY, strlen(KEY), NOW, &out), 0);
    free(tok);
}

static void other_algorithms_with_same_key_are_refused(void **state)
{
    struct lm_claims out;
    char *hs384 = sign_with(JWT_ALG_HS384, NOW + 900);
    char *hs512 = sign_with(JWT_ALG_HS512, NOW + 900);

    (void)state;
    assert_int_not_equal(lm_jwt_verify(hs384, KEY, strlen(KEY), NOW, &out), 0);
    assert_int_not_equal(lm_jwt_verify(hs512, KEY, strlen(KEY), NOW, &out), 0);
    free(hs384);
    free(hs512);
}

static void unsigned_token_is_refused(void **state)
{
    struct lm_claims out;
    char *none = sign_with(JWT_ALG_NONE, NOW + 900);

    (void)state;
    assert_int_not_equal(lm_jwt_verify(none, KEY, strlen(KEY), NOW, &out), 0);
    assert_int_not_equal(lm_jwt_verify("not.a.token", KEY, strlen(KEY), NOW, &out), 0);
    assert_int_not_equal(lm_jwt_verify("", KEY, strlen(KEY), NOW, &out), 0);
    free(none);
}

/* A token without the credentials generation cannot be checked against a
 * password change, so it is refused like a forged one. */
static void token_without_generation_is_refused(void **state)
{
    struct lm_claims out;
    char *tok = sign_with(JWT_ALG_HS256, NOW + 900);

    (void)state;
    assert_int_not_equal(lm_jwt_verify(tok, KEY, strlen(KEY), NOW, &out), 0);
    free(tok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signed_token_verifies_with_claims),
        cmocka_unit_test(expired_token_is_refused),
        cmocka_unit_test(wrong_key_or_tampered_token_is_refused),
        cmocka_unit_test(other_algorithms_with_same_key_are_refused),
        cmocka_unit_test(unsigned_token_is_refused),
        cmocka_unit_test(token_without_generation_is_refused),
    };
    return cmocka_run_group_tests_name("core/jwt", tests, NULL, NULL);
}
