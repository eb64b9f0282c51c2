/* The migrator. Holds the named lock leadmap.migrate while it runs, so two
 * migrators started at once apply each file once. MariaDB commits DDL
 * implicitly, so each file is applied and then recorded; a file that fails
 * half-way must be repaired by hand (its row is not written). */
#include "store/migrate.h"

#include "core/crypto.h"
#include "core/log.h"
#include "core/result.h"
#include "domain/migrations.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILES 999

struct mfile {
    int version;
    char name[256];
};

static int cmp_mfile(const void *a, const void *b)
{
    return ((const struct mfile *)a)->version - ((const struct mfile *)b)->version;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
        if (buf) {
            buf[n] = '\0';
            *len = (size_t)n;
        }
    }
    fclose(f);
    return buf;
}

static const char SQL_CREATE_TABLE[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INT UNSIGNED NOT NULL PRIMARY KEY,"
    " name VARCHAR(255) NOT NULL,"
    " checksum CHAR(64) NOT NULL,"
    " applied_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6)"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
/* ER_NOT_SUPPORTED_YET: "This version of MariaDB doesn't yet support
 * 'GET_LOCK in cluster (WSREP_ON=ON)'" */
#define ER_NOT_SUPPORTED_YET_CODE 1235

static const char SQL_LOCK[] = "SELECT GET_LOCK('leadmap.migrate', 60)";
static const char SQL_UNLOCK[] = "SELECT RELEASE_LOCK('leadmap.migrate')";
static const char SQL_APPLIED[] =
    "SELECT version, name, checksum FROM schema_migrations ORDER BY version";
static const char SQL_RECORD[] =
    "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)";

static int list_files(const char *dir, struct mfile *files, size_t *n, char *err,
                      size_t errlen)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int versions[MAX_FILES];

    *n = 0;
    if (!d) {
        snprintf(err, errlen, "cannot open migrations folder %s", dir);
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        int v;
        if (lm_migration_parse_name(e->d_name, &v)) {
            if (len > 4 && !strcmp(e->d_name + len - 4, ".sql")) {
                snprintf(err, errlen, "%s is not named NNN_name.sql (three digits, lower-case "
                                      "letters, digits and _)", e->d_name);
                closedir(d);
                return -1;
            }
            continue;
        }
        if (*n >= MAX_FILES)
            break;
        files[*n].version = v;
        snprintf(files[*n].name, sizeof files[*n].name, "%s", e->d_name);
        (*n)++;
    }
    closedir(d);
    qsort(files, *n, sizeof *files, cmp_mfile);
    for (size_t i = 0; i < *n; i++)
        versions[i] = files[i].version;
    return lm_migration_check_sequence(versions, *n, err, errlen);
}

static int checksum_of(const char *dir, const char *name, char out[LM_SHA256_HEX], char **text)
{
    char path[1024];
    size_t len = 0;
    char *buf;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    buf = read_file(path, &len);
    if (!buf)
        return -1;
    lm_sha256_hex(buf, len, out);
    if (text)
        *text = buf;
    else
        free(buf);
    return 0;
}

static int apply_all(struct lm_db *db, const char *dir, struct mfile *files, size_t n,
                     int *applied, char *err, size_t errlen)
{
    struct lm_rows rows;
    size_t done;
    int rc = lm_db_query(db, &rows, SQL_APPLIED, "");

    if (rc) {
        snprintf(err, errlen, "cannot read schema_migrations");
        return rc;
    }
    done = rows.nrows;
    for (unsigned r = 0; r < rows.nrows; r++) {
        int v = (int)lm_rows_int(&rows, r, 0, 0);
        char sum[LM_SHA256_HEX];

        if (r >= n || files[r].version != v) {
            snprintf(err, errlen, "migration %03d (%s) was applied but its file is gone", v,
                     lm_rows_get(&rows, r, 1));
            rc = LM_ERR_PARAM;
            goto out;
        }
        if (checksum_of(dir, files[r].name, sum, NULL) ||
            strcmp(sum, lm_rows_get(&rows, r, 2)) != 0) {
            snprintf(err, errlen,
                     "migration %s was edited after it was applied; add a new migration "
                     "instead",
                     files[r].name);
            rc = LM_ERR_PARAM;
            goto out;
        }
    }
    for (size_t i = done; i < n; i++) {
        char sum[LM_SHA256_HEX];
        char *text = NULL;

        if (checksum_of(dir, files[i].name, sum, &text)) {
            snprintf(err, errlen, "cannot read %s", files[i].name);
            rc = LM_ERR_PARAM;
            goto out;
        }
        rc = lm_db_exec_text(db, text);
        free(text);
        if (rc) {
            snprintf(err, errlen, "migration %s failed", files[i].name);
            goto out;
        }
        rc = lm_db_exec(db, SQL_RECORD, "iss", (long long)files[i].version, files[i].name, sum);
        if (rc) {
            snprintf(err, errlen, "cannot record %s", files[i].name);
            goto out;
        }
        lm_log_info("migrate: applied %s", files[i].name);
        (*applied)++;
    }
out:
    lm_rows_free(&rows);
    return rc;
}

int lm_migrate(struct lm_db *db, const char *dir, int *applied, char *err, size_t errlen)
{
    static struct mfile files[MAX_FILES];
    struct lm_rows rows;
    size_t n = 0;
    int rc;

    *applied = 0;
    if (list_files(dir, files, &n, err, errlen))
        return LM_ERR_PARAM;
    rc = lm_db_exec(db, SQL_CREATE_TABLE, "");
    if (rc) {
        snprintf(err, errlen, "cannot create schema_migrations");
        return rc;
    }
    /* Two migrators on one server wait for each other. Under Galera the
     * lock is local to one node (MariaDB 10.11.19) or refused (error 1235,
     * MDEV-30473): migrations run from one host at a time there
     * (docs/operations.md), without the lock when it is refused; the DDL
     * replicates in total order and a later run finds every file applied. */
    rc = lm_db_query(db, &rows, SQL_LOCK, "");
    if (rc && db->last_errno == ER_NOT_SUPPORTED_YET_CODE) {
        lm_log_warn("migrate: the server refuses GET_LOCK (Galera): migrating "
                    "without the lock; run migrate from one host at a time");
        return apply_all(db, dir, files, n, applied, err, errlen);
    }
    if (rc || lm_rows_int(&rows, 0, 0, 0) != 1) {
        if (!rc)
            lm_rows_free(&rows);
        snprintf(err, errlen, "another migration is running");
        return rc ? rc : LM_ERR_CONFLICT;
    }
    lm_rows_free(&rows);
    rc = apply_all(db, dir, files, n, applied, err, errlen);
    if (!lm_db_query(db, &rows, SQL_UNLOCK, ""))
        lm_rows_free(&rows);
    return rc;
}
