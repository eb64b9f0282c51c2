/* Money text validation for DECIMAL(14,2): non-negative amounts only. */
#include "domain/money.h"

#include <stdio.h>
#include <string.h>

int lm_money_normalize(const char *in, char out[20])
{
    const char *p = in;
    char ip[16] = "";
    char fp[3] = "00";
    int ni = 0, nf = 0, skip = 0;

    if (!in)
        return -1;
    while (*p >= '0' && *p <= '9') {
        if (ni >= 15)
            return -1;
        ip[ni++] = *p++;
    }
    if (ni == 0)
        return -1;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            if (nf >= 2)
                return -1;
            fp[nf++] = *p++;
        }
        if (nf == 0)
            return -1;
    }
    if (*p)
        return -1;
    while (skip < ni - 1 && ip[skip] == '0')
        skip++;
    if (ni - skip > 12)
        return -1;
    snprintf(out, 20, "%s.%c%c", ip + skip, fp[0], fp[1]);
    return 0;
}
