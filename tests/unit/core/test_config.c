/* Configuration parsing: the file, value checks, environment overrides. */
#include "lm_test.h"

#include "core/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void write_tmp(char *path, size_t len, const char *text)
{
    int fd;
    FILE *f;

    snprintf(path, len, "/tmp/lm-config-XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
}

static void file_values_override_defaults(void **state)
{
    struct lm_config cfg;
    char path[64], err[256] = "";

    (void)state;
    write_tmp(path, sizeof path,
              "# comment\n\ndb_name = clinic\nworkers = 3\ncookie_secure = true\n"
              "workers_unused_line_is_not_here = \n");
    /* the last line is an unknown key: refused with its line number */
    assert_int_not_equal(lm_config_load(&cfg, path, err, sizeof err), 0);
    assert_non_null(strstr(err, ":6:"));
    unlink(path);
    write_tmp(path, sizeof path, "db_name = clinic\nworkers = 3\ncookie_secure = true\n");
    assert_int_equal(lm_config_load(&cfg, path, err, sizeof err), 0);
    assert_string_equal(cfg.db_name, "clinic");
    assert_int_equal(cfg.workers, 3);
    assert_int_equal(cfg.cookie_secure, 1);
    assert_int_equal(cfg.access_ttl, 900);
    unlink(path);
}

static void numbers_out_of_range_are_refused(void **state)
{
    struct lm_config cfg;
    char err[256] = "";

    (void)state;
    lm_config_defaults(&cfg);
    assert_int_not_equal(lm_config_set(&cfg, "workers", "-1", err, sizeof err), 0);
    assert_int_not_equal(lm_config_set(&cfg, "workers", "3x", err, sizeof err), 0);
    assert_int_not_equal(lm_config_set(&cfg, "db_port", "70000", err, sizeof err), 0);
    assert_non_null(strstr(err, "db_port"));
    assert_int_not_equal(lm_config_set(&cfg, "cookie_secure", "maybe", err, sizeof err), 0);
    assert_int_equal(lm_config_set(&cfg, "workers", "", err, sizeof err), 0);
    assert_int_equal(cfg.workers, 0);
}

static void environment_overrides_file(void **state)
{
    struct lm_config cfg;
    char path[64], err[256] = "";

    (void)state;
    write_tmp(path, sizeof path, "db_name = clinic\n");
    setenv("LEADMAP_DB_NAME", "other", 1);
    assert_int_equal(lm_config_load(&cfg, path, err, sizeof err), 0);
    assert_string_equal(cfg.db_name, "other");
    setenv("LEADMAP_WORKERS", "nope", 1);
    assert_int_not_equal(lm_config_load(&cfg, path, err, sizeof err), 0);
    unsetenv("LEADMAP_WORKERS");
    unsetenv("LEADMAP_DB_NAME");
    unlink(path);
}

static void jwt_secret_must_be_long_enough(void **state)
{
    struct lm_config cfg;
    char key[128], err[64];
    size_t len = 0;

    (void)state;
    lm_config_defaults(&cfg);
    assert_int_equal(lm_config_set(&cfg, "jwt_secret", "short", err, sizeof err), 0);
    assert_int_not_equal(lm_config_jwt_secret(&cfg, key, sizeof key, &len), 0);
    assert_int_equal(lm_config_set(&cfg, "jwt_secret", "0123456789abcdef0123456789abcdef", err,
                                   sizeof err),
                     0);
    assert_int_equal(lm_config_jwt_secret(&cfg, key, sizeof key, &len), 0);
    assert_int_equal(len, 32);
    lm_config_defaults(&cfg);
    assert_int_equal(lm_config_set(&cfg, "jwt_secret_file", "/nonexistent/x", err, sizeof err),
                     0);
    assert_int_not_equal(lm_config_jwt_secret(&cfg, key, sizeof key, &len), 0);
}

static void socket_mode_is_octal_and_never_open_to_others(void **state)
{
    struct lm_config cfg;
    char err[256] = "";

    (void)state;
    lm_config_defaults(&cfg);
    assert_int_equal(cfg.fcgi_socket_mode, 0660);
    assert_int_equal(lm_config_set(&cfg, "fcgi_socket_mode", "0600", err, sizeof err), 0);
    assert_int_equal(cfg.fcgi_socket_mode, 0600);
    assert_int_equal(lm_config_set(&cfg, "fcgi_socket_mode", "770", err, sizeof err), 0);
    assert_int_equal(cfg.fcgi_socket_mode, 0770);
    assert_int_not_equal(lm_config_set(&cfg, "fcgi_socket_mode", "0666", err, sizeof err), 0);
    assert_int_not_equal(lm_config_set(&cfg, "fcgi_socket_mode", "0661", err, sizeof err), 0);
    assert_int_not_equal(lm_config_set(&cfg, "fcgi_socket_mode", "0680", err, sizeof err), 0);
    assert_int_equal(cfg.fcgi_socket_mode, 0770);
    assert_int_equal(lm_config_set(&cfg, "fcgi_socket_group", "leadmap", err, sizeof err), 0);
    assert_string_equal(cfg.fcgi_socket_group, "leadmap");
}

static void fcgi_listen_is_host_port_or_a_socket_path(void **state)
{
    struct lm_config cfg;
    char err[256] = "";

    (void)state;
    lm_config_defaults(&cfg);
    /* unset: the pool keeps the unix socket */
    assert_string_equal(lm_config_fcgi_address(&cfg), cfg.fcgi_socket);
    assert_false(lm_config_listen_tcp(lm_config_fcgi_address(&cfg)));
    assert_int_equal(lm_config_set(&cfg, "fcgi_listen", "127.0.0.1:9001", err, sizeof err), 0);
    assert_true(lm_config_listen_tcp(lm_config_fcgi_address(&cfg)));
    assert_int_equal(lm_config_listen_port(cfg.fcgi_listen), 9001);
    assert_int_equal(lm_config_set(&cfg, "fcgi_listen", ":9002", err, sizeof err), 0);
    assert_int_equal(lm_config_listen_port(cfg.fcgi_listen), 9002);
    assert_int_not_equal(lm_config_set(&cfg, "fcgi_listen", "127.0.0.1:", err, sizeof err), 0);
    assert_non_null(strstr(err, "fcgi_listen"));
    assert_int_not_equal(lm_config_set(&cfg, "fcgi_listen", "10.0.0.5:70000", err, sizeof err),
                         0);
    assert_int_not_equal(lm_config_set(&cfg, "fcgi_listen", "host:http", err, sizeof err), 0);
    assert_string_equal(cfg.fcgi_listen, ":9002"); /* a refused value changes nothing */
    assert_int_equal(lm_config_set(&cfg, "fcgi_listen", "/run/leadmap/a:b.sock", err, sizeof err),
                     0);
    assert_false(lm_config_listen_tcp(lm_config_fcgi_address(&cfg)));
    assert_int_equal(cfg.worker_lease, 10);
    assert_int_not_equal(lm_config_set(&cfg, "worker_lease", "1", err, sizeof err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(file_values_override_defaults),
        cmocka_unit_test(numbers_out_of_range_are_refused),
        cmocka_unit_test(environment_overrides_file),
        cmocka_unit_test(jwt_secret_must_be_long_enough),
        cmocka_unit_test(socket_mode_is_octal_and_never_open_to_others),
        cmocka_unit_test(fcgi_listen_is_host_port_or_a_socket_path),
    };
    return cmocka_run_group_tests_name("core/config", tests, NULL, NULL);
}
