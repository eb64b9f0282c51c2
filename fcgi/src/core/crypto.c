/* Passwords use Argon2id at libsodium's "interactive" cost (about 0.1 s and
 * 64 MiB per hash on this class of machine). */
#include "core/crypto.h"

#include "core/result.h"

#include <sodium.h>
#include <string.h>

int lm_crypto_init(void)
{
    return sodium_init() < 0 ? LM_ERR_INTERNAL : LM_OK;
}

int lm_password_hash(const char *password, char out[LM_PWHASH_LEN])
{
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return LM_ERR_INTERNAL;
    return LM_OK;
}

int lm_password_verify(const char *hash, const char *password)
{
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 ? LM_OK
                                                                           : LM_ERR_AUTH;
}

void lm_password_dummy_verify(const char *password)
{
    static char dummy[LM_PWHASH_LEN];

    if (!dummy[0] && lm_password_hash("leadmap-dummy-password", dummy))
        return;
    (void)lm_password_verify(dummy, password);
}

void lm_random_token(char out[LM_TOKEN_LEN])
{
    unsigned char raw[32];

    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, LM_TOKEN_LEN, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void lm_random_hex(char *out, size_t bytes)
{
    unsigned char raw[64];

    if (bytes > sizeof raw)
        bytes = sizeof raw;
    randombytes_buf(raw, bytes);
    sodium_bin2hex(out, bytes * 2 + 1, raw, bytes);
}

void lm_sha256_hex(const char *data, size_t len, char out[LM_SHA256_HEX])
{
    unsigned char h[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(h, (const unsigned char *)data, len);
    sodium_bin2hex(out, LM_SHA256_HEX, h, sizeof h);
}

int lm_b64url_encode(const void *bin, size_t len, char *out, size_t outlen)
{
    if (outlen < sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING))
        return -1;
    sodium_bin2base64(out, outlen, bin, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return 0;
}

int lm_b64url_decode(const char *text, void *out, size_t outlen)
{
    size_t n = 0;

    if (sodium_base642bin(out, outlen, text, strlen(text), NULL, &n, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING))
        return -1;
    return (int)n;
}
