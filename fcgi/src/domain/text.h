/* Text measured as people read it: UTF-8 characters, not bytes. */
#ifndef LM_DOMAIN_TEXT_H
#define LM_DOMAIN_TEXT_H

#include <stddef.h>

/* Number of characters in UTF-8 text (continuation bytes are not counted). */
size_t lm_utf8_chars(const char *s);

/* Copies at most max_chars characters of s into out (outlen bytes), never
 * cutting a character in two. */
void lm_utf8_truncate(char *out, size_t outlen, const char *s, size_t max_chars);

/* Escapes % _ and \ for use in a LIKE pattern with the default escape. */
void lm_like_escape(char *out, size_t outlen, const char *s);

#endif
