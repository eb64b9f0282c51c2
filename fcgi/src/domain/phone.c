/* Phone normalisation. */
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
