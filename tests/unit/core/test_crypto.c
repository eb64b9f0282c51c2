/* Password hashing and token generation. */
#include "lm_test.h"

#include "core/crypto.h"

#include <string.h>

static void password_hash_verifies_only_same_password(void **state)
{
    char hash[LM_PWHASH_LEN];

    (void)state;
    assert_int_equal(lm_crypto_init(), 0);
    assert_int_equal(lm_password_hash("demo1234", hash), 0);
    assert_non_null(strstr(hash, "$argon2id$"));
    assert_int_equal(lm_password_verify(hash, "demo1234"), 0);
    assert_int_not_equal(lm_password_verify(hash, "demo12345"), 0);
    assert_int_not_equal(lm_password_verify(hash, ""), 0);
}

static void tokens_are_random_and_url_safe(void **state)
{
    char a[LM_TOKEN_LEN], b[LM_TOKEN_LEN];

    (void)state;
    lm_random_token(a);
    lm_random_token(b);
    assert_int_equal(strlen(a), 43);
    assert_string_not_equal(a, b);
    assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                     43);
}

static void sha256_matches_known_vector(void **state)
{
    char out[LM_SHA256_HEX];

    (void)state;
    lm_sha256_hex("abc", 3, out);
    assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(password_hash_verifies_only_same_password),
        cmocka_unit_test(tokens_are_random_and_url_safe),
        cmocka_unit_test(sha256_matches_known_vector),
    };
    return cmocka_run_group_tests_name("core/crypto", tests, NULL, NULL);
}
