/* Rules for migration files, with no I/O: names and ordering. */
#ifndef LM_DOMAIN_MIGRATIONS_H
#define LM_DOMAIN_MIGRATIONS_H

#include <stddef.h>

/* "007_add_leads.sql" -> 7. Returns 0 on a valid name: three digits, an
 * underscore, [a-z0-9_]+, ".sql". */
int lm_migration_parse_name(const char *name, int *version);

/* versions sorted ascending must be exactly 1..n. On failure writes which
 * version is missing or doubled into err and returns non-zero. */
int lm_migration_check_sequence(const int *versions, size_t n, char *err, size_t errlen);

#endif
