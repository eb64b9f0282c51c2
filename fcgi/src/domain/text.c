/* UTF-8 counting and cutting; jansson guarantees valid UTF-8 in strings. */
#include "domain/text.h"

#include <string.h>

size_t lm_utf8_chars(const char *s)
{
    size_t n = 0;

    for (; s && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

void lm_utf8_truncate(char *out, size_t outlen, const char *s, size_t max_chars)
{
    size_t i = 0, chars = 0;

    if (!outlen)
        return;
    while (s && s[i]) {
        size_t ch = 1;
        while (((unsigned char)s[i + ch] & 0xC0) == 0x80)
            ch++;
        if (chars == max_chars || i + ch >= outlen)
            break;
        i += ch;
        chars++;
    }
    memmove(out, s ? s : "", i); /* out may be s itself */
    out[i] = '\0';
}

void lm_like_escape(char *out, size_t outlen, const char *s)
{
    size_t o = 0;

    for (; s && *s && o + 2 < outlen; s++) {
        if (*s == '%' || *s == '_' || *s == '\\')
            out[o++] = '\\';
        out[o++] = *s;
    }
    out[o] = '\0';
}
