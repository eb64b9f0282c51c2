/* Phone normalisation: the digits of a number as typed, and the key a
 * search compares with the reversed digits stored in lead_phones. */
#include "domain/phone.h"

#include <string.h>

int lm_phone_digits(const char *phone, char out[LM_PHONE_DIGITS])
{
    int n = 0;

    out[0] = '\0';
    if (!phone)
        return -1;
    for (const char *p = phone; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n >= LM_PHONE_DIGITS - 1)
                return -1;
            out[n++] = *p;
        } else if (!strchr(" +-.()/", *p)) {
            return -1;
        }
    }
    out[n] = '\0';
    return n;
}

int lm_phone_search_key(const char *phone, char out[LM_PHONE_DIGITS])
{
    int n = lm_phone_digits(phone, out);

    /* a longer query carries a country code (or trunk prefix) the stored
     * number may lack; its last 10 digits still end the stored number */
    if (n > 10) {
        memmove(out, out + (n - 10), 11);
        n = 10;
    }
    return n;
}

int lm_phone_like(const char *text, int min_digits)
{
    char digits[LM_PHONE_DIGITS];

    return text && lm_phone_digits(text, digits) >= min_digits;
}
