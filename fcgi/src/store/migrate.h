/* Applies sql/NNN_name.sql files in order, once each, recorded with their
 * SHA-256 in schema_migrations. */
#ifndef LM_STORE_MIGRATE_H
#define LM_STORE_MIGRATE_H

#include "core/db.h"

/* Applies what is pending. Refuses (non-zero, message in err) a gap in the
 * numbering, an applied file that was edited or removed. *applied counts
 * the files applied by this call. */
int lm_migrate(struct lm_db *db, const char *dir, int *applied, char *err, size_t errlen);

#endif
