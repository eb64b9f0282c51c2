/* core/db.c with several database nodes (issue 13): db_host lists them, a
 * connection goes to the first that answers and moves on after a lost one;
 * lm_db_transaction runs a transaction again after a deadlock (how a Galera
 * certification failure arrives) or a connection lost before COMMIT, and
 * never after a connection lost during COMMIT (it may have committed).
 *
 * The Connector/C calls these paths make are replaced by fakes (definitions
 * in the executable win over libmariadb's): connect succeeds unless the
 * host:port is marked down; START TRANSACTION and COMMIT fail once with a
 * chosen error when asked. */
#include "lm_test.h"

#include "core/db.h"
#include "core/result.h"

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <stdio.h>
#include <string.h>

static MYSQL fake_conn;
static char connects[16][32]; /* host:port of every connect attempt */
static int nconnects;
static const char *down[3];    /* host:port that refuse connections */
static unsigned begin_fails;   /* error of the next START TRANSACTION; 0 = ok */
static unsigned commit_fails;  /* error of the next COMMIT; 0 = ok */
static unsigned last_err;
static int commits, rollbacks;

static void reset(void)
{
    memset(connects, 0, sizeof connects);
    nconnects = 0;
    memset(down, 0, sizeof down);
    begin_fails = commit_fails = last_err = 0;
    commits = rollbacks = 0;
}

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
    char where[32];

    (void)user, (void)passwd, (void)db, (void)sock, (void)flags;
    snprintf(where, sizeof where, "%s:%u", host ? host : "socket", port);
    if (nconnects < 16)
        snprintf(connects[nconnects++], sizeof connects[0], "%s", where);
    for (int i = 0; i < 3; i++)
        if (down[i] && !strcmp(down[i], where)) {
            last_err = CR_CONN_HOST_ERROR;
            return NULL;
        }
    return m;
}
void STDCALL mysql_close(MYSQL *m)
{
    (void)m;
}
unsigned int STDCALL mysql_errno(MYSQL *m)
{
    (void)m;
    return last_err;
}
int STDCALL mysql_real_query(MYSQL *m, const char *q, unsigned long len)
{
    (void)m, (void)q, (void)len;
    if (begin_fails) {
        last_err = begin_fails;
        begin_fails = 0;
        return 1;
    }
    return 0;
}
my_bool STDCALL mysql_commit(MYSQL *m)
{
    (void)m;
    commits++;
    if (commit_fails) {
        last_err = commit_fails;
        commit_fails = 0;
        return 1;
    }
    return 0;
}
my_bool STDCALL mysql_rollback(MYSQL *m)
{
    (void)m;
    rollbacks++;
    return 0;
}

static int runs;
static int tx_body(struct lm_db *db, void *ctx)
{
    (void)db, (void)ctx;
    runs++;
    return LM_OK;
}

static void setup_db(struct lm_config *cfg, struct lm_db *db, const char *hosts)
{
    reset();
    runs = 0;
    lm_config_defaults(cfg);
    snprintf(cfg->db_host, sizeof cfg->db_host, "%s", hosts);
    cfg->db_port = 3306;
    lm_db_init(db, cfg);
}

static void connects_to_the_first_node_that_answers(void **state)
{
    struct lm_config cfg;
    struct lm_db db;

    (void)state;
    setup_db(&cfg, &db, "10.0.0.1:3307, 10.0.0.2:3308,10.0.0.3");
    down[0] = "10.0.0.1:3307";
    assert_int_equal(lm_db_connect(&db), LM_OK);
    assert_int_equal(nconnects, 2);
    assert_string_equal(connects[1], "10.0.0.2:3308");
    lm_db_close(&db);
    /* the next connection starts where the last one went */
    down[0] = NULL;
    assert_int_equal(lm_db_connect(&db), LM_OK);
    assert_string_equal(connects[2], "10.0.0.2:3308");
    lm_db_close(&db);
    /* no port: db_port */
    down[0] = "10.0.0.2:3308";
    assert_int_equal(lm_db_connect(&db), LM_OK);
    assert_string_equal(connects[4], "10.0.0.3:3306");
    lm_db_close(&db);
}

static void every_node_down_is_unavailable_after_one_try_each(void **state)
{
    struct lm_config cfg;
    struct lm_db db;

    (void)state;
    setup_db(&cfg, &db, "a:1,b:2,c:3");
    down[0] = "a:1", down[1] = "b:2", down[2] = "c:3";
    assert_int_equal(lm_db_transaction(&db, tx_body, NULL), LM_ERR_UNAVAILABLE);
    assert_int_equal(nconnects, 3); /* not three rounds of three */
    assert_int_equal(runs, 0);
}

static void a_connection_lost_before_commit_runs_again_on_the_next_node(void **state)
{
    struct lm_config cfg;
    struct lm_db db;

    (void)state;
    setup_db(&cfg, &db, "a:1,b:2");
    assert_int_equal(lm_db_connect(&db), LM_OK); /* a kept connection to a */
    begin_fails = CR_SERVER_LOST;                /* a died meanwhile */
    down[0] = "a:1";
    assert_int_equal(lm_db_transaction(&db, tx_body, NULL), LM_OK);
    assert_int_equal(runs, 1);
    assert_int_equal(commits, 1);
    assert_string_equal(connects[nconnects - 1], "b:2");
    lm_db_close(&db);
}

static void a_galera_node_out_of_the_cluster_is_left_for_the_next(void **state)
{
    struct lm_config cfg;
    struct lm_db db;

    (void)state;
    setup_db(&cfg, &db, "a:1,b:2");
    assert_int_equal(lm_db_connect(&db), LM_OK);
    begin_fails = ER_UNKNOWN_COM_ERROR; /* 1047: WSREP has not yet prepared node */
    assert_int_equal(lm_db_transaction(&db, tx_body, NULL), LM_OK);
    assert_string_equal(connects[nconnects - 1], "b:2");
    lm_db_close(&db);
}

static void a_certification_failure_runs_the_transaction_again(void **state)
{
    struct lm_config cfg;
    struct lm_db db;

    (void)state;
    setup_db(&cfg, &db, "a:1");
    commit_fails = ER_LOCK_DEADLOCK;
    assert_int_equal(lm_db_transaction(&db, tx_body, NULL), LM_OK);
    assert_int_equal(runs, 2);
    assert_int_equal(commits, 2);
    lm_db_close(&db);
}

static void a_connection_lost_during_commit_is_never_run_twice(void **state)
{
    struct lm_config cfg;
    struct lm_db db;

    (void)state;
    setup_db(&cfg, &db, "a:1,b:2");
    commit_fails = CR_SERVER_LOST;
    assert_int_equal(lm_db_transaction(&db, tx_body, NULL), LM_ERR_UNAVAILABLE);
    assert_int_equal(runs, 1);
    assert_int_equal(commits, 1);
    lm_db_close(&db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(connects_to_the_first_node_that_answers),
        cmocka_unit_test(every_node_down_is_unavailable_after_one_try_each),
        cmocka_unit_test(a_connection_lost_before_commit_runs_again_on_the_next_node),
        cmocka_unit_test(a_galera_node_out_of_the_cluster_is_left_for_the_next),
        cmocka_unit_test(a_certification_failure_runs_the_transaction_again),
        cmocka_unit_test(a_connection_lost_during_commit_is_never_run_twice),
    };
    return cmocka_run_group_tests_name("core/db_failover", tests, NULL, NULL);
}
