/* core/db.c's row fetching when memory runs out: whichever allocation fails,
 * the query answers an error and every byte it took is given back (a cell
 * of a half-built row once leaked).
 *
 * The test binary replaces the Connector/C calls that lm_db_query makes with
 * fakes serving a fixed 3 x 3 result (definitions in the executable win over
 * libmariadb's), and malloc/calloc/realloc/free with counting wrappers around
 * glibc's that can fail the Nth allocation. Under AddressSanitizer (which
 * owns malloc) the failure test passes without running: only the plain
 * build (`make unit`) proves it. */
#include "lm_test.h"

#include "core/db.h"
#include "core/result.h"

#include <mysql.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define LM_COUNTING_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LM_COUNTING_MALLOC 0
#endif
#endif
#ifndef LM_COUNTING_MALLOC
#define LM_COUNTING_MALLOC 1
#endif

/* --- counting allocator ---------------------------------------------------- */

static long live;      /* allocations not yet freed */
static long fail_at;   /* 0: never; n: the nth allocation from now fails */

#if LM_COUNTING_MALLOC
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);

static int should_fail(void)
{
    return fail_at > 0 && --fail_at == 0;
}

void *malloc(size_t n)
{
    void *p = should_fail() ? NULL : __libc_malloc(n);
    if (p)
        live++;
    return p;
}

void *calloc(size_t n, size_t size)
{
    void *p = should_fail() ? NULL : __libc_calloc(n, size);
    if (p)
        live++;
    return p;
}

void *realloc(void *old, size_t n)
{
    void *p = should_fail() ? NULL : __libc_realloc(old, n);
    if (p && !old)
        live++;
    return p;
}

void free(void *p)
{
    if (p)
        live--;
    __libc_free(p);
}
#endif

/* --- a fake server with one 3 x 3 result ----------------------------------- */

static MYSQL fake_conn;
static char fake_stmt_mem[64], fake_res_mem[64];
static MYSQL_FIELD fake_fields[3];
static MYSQL_BIND *bound;
static unsigned next_row;
static const char *const cells[3][3] = {
    {"1", "Ada", "ada@example.org"},
    {"2", NULL, "ben@example.org"},
    {"3", "Cy", "cy@example.org"},
};

MYSQL *STDCALL mysql_init(MYSQL *m)
{
    (void)m;
    return &fake_conn;
}
int STDCALL mysql_options(MYSQL *m, enum mysql_option o, const void *arg)
{
    (void)m, (void)o, (void)arg;
    return 0;
}
MYSQL *STDCALL mysql_real_connect(MYSQL *m, const char *host, const char *user,
                                  const char *passwd, const char *db, unsigned int port,
                                  const char *sock, unsigned long flags)
{
    (void)host, (void)user, (void)passwd, (void)db, (void)port, (void)sock, (void)flags;
    return m;
}
void STDCALL mysql_close(MYSQL *m)
{
    (void)m;
}
MYSQL_STMT *STDCALL mysql_stmt_init(MYSQL *m)
{
    (void)m;
    return (MYSQL_STMT *)fake_stmt_mem;
}
int STDCALL mysql_stmt_prepare(MYSQL_STMT *s, const char *q, unsigned long len)
{
    (void)s, (void)q, (void)len;
    return 0;
}
my_bool STDCALL mysql_stmt_close(MYSQL_STMT *s)
{
    (void)s;
    return 0;
}
unsigned long STDCALL mysql_stmt_param_count(MYSQL_STMT *s)
{
    (void)s;
    return 0;
}
my_bool STDCALL mysql_stmt_attr_set(MYSQL_STMT *s, enum enum_stmt_attr_type t, const void *v)
{
    (void)s, (void)t, (void)v;
    return 0;
}
int STDCALL mysql_stmt_execute(MYSQL_STMT *s)
{
    (void)s;
    next_row = 0;
    return 0;
}
int STDCALL mysql_stmt_store_result(MYSQL_STMT *s)
{
    (void)s;
    return 0;
}
my_ulonglong STDCALL mysql_stmt_affected_rows(MYSQL_STMT *s)
{
    (void)s;
    return 3;
}
my_ulonglong STDCALL mysql_stmt_insert_id(MYSQL_STMT *s)
{
    (void)s;
    return 0;
}
MYSQL_RES *STDCALL mysql_stmt_result_metadata(MYSQL_STMT *s)
{
    (void)s;
    return (MYSQL_RES *)fake_res_mem;
}
unsigned int STDCALL mysql_num_fields(MYSQL_RES *r)
{
    (void)r;
    return 3;
}
MYSQL_FIELD *STDCALL mysql_fetch_field_direct(MYSQL_RES *r, unsigned int i)
{
    (void)r;
    return &fake_fields[i];
}
void STDCALL mysql_free_result(MYSQL_RES *r)
{
    (void)r;
}
my_bool STDCALL mysql_stmt_free_result(MYSQL_STMT *s)
{
    (void)s;
    return 0;
}
my_bool STDCALL mysql_stmt_bind_result(MYSQL_STMT *s, MYSQL_BIND *b)
{
    (void)s;
    bound = b;
    return 0;
}
int STDCALL mysql_stmt_fetch(MYSQL_STMT *s)
{
    (void)s;
    if (next_row == 3)
        return MYSQL_NO_DATA;
    for (unsigned c = 0; c < 3; c++) {
        const char *v = cells[next_row][c];
        *bound[c].is_null = v == NULL;
        *bound[c].length = v ? strlen(v) : 0;
        *bound[c].error = 0;
        if (v)
            memcpy(bound[c].buffer, v, strlen(v));
    }
    next_row++;
    return 0;
}
int STDCALL mysql_stmt_fetch_column(MYSQL_STMT *s, MYSQL_BIND *b, unsigned int c,
                                    unsigned long off)
{
    (void)s, (void)b, (void)c, (void)off;
    return 0;
}

/* --- tests ----------------------------------------------------------------- */

static const char SQL_PEOPLE[] = "SELECT id, name, email FROM people";

static void rows_come_back_as_text_cells(void **state)
{
    struct lm_config cfg;
    struct lm_db db;
    struct lm_rows rows;

    (void)state;
    lm_config_defaults(&cfg);
    lm_db_init(&db, &cfg);
    assert_int_equal(lm_db_query(&db, &rows, SQL_PEOPLE, ""), LM_OK);
    assert_int_equal(rows.nrows, 3);
    assert_string_equal(lm_rows_get(&rows, 0, 1), "Ada");
    assert_null(lm_rows_get(&rows, 1, 1));
    assert_string_equal(lm_rows_get(&rows, 2, 2), "cy@example.org");
    lm_rows_free(&rows);
    lm_db_close(&db);
}

static void every_failing_allocation_is_an_error_and_leaks_nothing(void **state)
{
    struct lm_config cfg;
    struct lm_db db;
    struct lm_rows rows;
    long n, before;
    int rc = LM_ERR_INTERNAL;

    (void)state;
    /* Under ASan nothing can be made to fail (cmocka's skip() would print a
     * `not ok … # SKIP` line that scripts/test.sh counts as a failure). */
    if (!LM_COUNTING_MALLOC)
        return;
    lm_config_defaults(&cfg);
    lm_db_init(&db, &cfg);
    /* connect and fill the statement cache first: those stay allocated */
    assert_int_equal(lm_db_query(&db, &rows, SQL_PEOPLE, ""), LM_OK);
    lm_rows_free(&rows);
    for (n = 1; n < 100; n++) {
        before = live;
        fail_at = n;
        rc = lm_db_query(&db, &rows, SQL_PEOPLE, "");
        fail_at = 0;
        if (rc == LM_OK)
            break;
        assert_int_equal(rc, LM_ERR_INTERNAL);
        assert_int_equal(rows.nrows, 0);
        if (live != before)
            fail_msg("allocation %ld failed: %ld allocation(s) leaked", n, live - before);
    }
    assert_int_equal(rc, LM_OK);
    assert_true(n > 10); /* the buffers, the row arrays and eight cells */
    lm_rows_free(&rows);
    lm_db_close(&db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_come_back_as_text_cells),
        cmocka_unit_test(every_failing_allocation_is_an_error_and_leaks_nothing),
    };
    return cmocka_run_group_tests_name("core/db_rows", tests, NULL, NULL);
}
