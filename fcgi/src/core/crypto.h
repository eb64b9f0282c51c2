/* libsodium wrappers: Argon2id password hashes, random tokens, SHA-256. */
#ifndef LM_CORE_CRYPTO_H
#define LM_CORE_CRYPTO_H

#include <stddef.h>

#define LM_PWHASH_LEN 128   /* crypto_pwhash_STRBYTES */
#define LM_TOKEN_LEN 44     /* 32 random bytes, base64url without padding, + NUL */
#define LM_SHA256_HEX 65

int lm_crypto_init(void);
int lm_password_hash(const char *password, char out[LM_PWHASH_LEN]);
/* 0 when the password matches. */
int lm_password_verify(const char *hash, const char *password);
/* Spends the time of one verification, for unknown accounts. */
void lm_password_dummy_verify(const char *password);
void lm_random_token(char out[LM_TOKEN_LEN]);
void lm_random_hex(char *out, size_t bytes); /* out holds 2*bytes+1 */
/* base64url without padding: encode writes at most outlen bytes (NUL
 * included) and returns 0; decode returns the byte count or -1. */
int lm_b64url_encode(const void *bin, size_t len, char *out, size_t outlen);
int lm_b64url_decode(const char *text, void *out, size_t outlen);
void lm_sha256_hex(const char *data, size_t len, char out[LM_SHA256_HEX]);

#endif
