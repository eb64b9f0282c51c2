/* Migration file rules. */
#include "domain/migrations.h"

#include <stdio.h>
#include <string.h>

int lm_migration_parse_name(const char *name, int *version)
{
    size_t n = strlen(name);

    if (n < 9 || strcmp(name + n - 4, ".sql") != 0)
        return -1;
    for (int i = 0; i < 3; i++)
        if (name[i] < '0' || name[i] > '9')
            return -1;
    if (name[3] != '_')
        return -1;
    for (size_t i = 4; i < n - 4; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return -1;
    }
    *version = (name[0] - '0') * 100 + (name[1] - '0') * 10 + (name[2] - '0');
    return *version > 0 ? 0 : -1;
}

int lm_migration_check_sequence(const int *versions, size_t n, char *err, size_t errlen)
{
    for (size_t i = 0; i < n; i++) {
        int want = (int)i + 1;
        if (versions[i] == want)
            continue;
        if (versions[i] < want)
            snprintf(err, errlen, "two migration files have the number %03d", versions[i]);
        else
            snprintf(err, errlen, "migration %03d is missing (the next file is %03d)", want,
                     versions[i]);
        return -1;
    }
    return 0;
}
