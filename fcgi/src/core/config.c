/* Parses leadmap.conf and applies environment overrides. The key table below
 * is the single list of settings: name, type, where it lives in the struct. */
#include "core/config.h"

#include "core/result.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum key_type { KEY_STR, KEY_INT, KEY_LONG, KEY_BOOL, KEY_MODE };

struct key_def {
    const char *name;  /* key in the file; env is LEADMAP_<NAME> */
    enum key_type type;
    size_t offset;     /* field in struct lm_config */
    long min, max;     /* range for numbers */
};

#define STR(f) KEY_STR, offsetof(struct lm_config, f), 0, 0
#define NUM(f, lo, hi) KEY_INT, offsetof(struct lm_config, f), lo, hi

static const struct key_def keys[] = {
    {"db_host", STR(db_host)},
    {"db_port", NUM(db_port, 0, 65535)},
    {"db_socket", STR(db_socket)},
    {"db_user", STR(db_user)},
    {"db_password", STR(db_password)},
    {"db_admin_user", STR(db_admin_user)},
    {"db_admin_password", STR(db_admin_password)},
    {"db_name", STR(db_name)},
    {"db_timeout", NUM(db_timeout, 1, 300)},
    {"db_sync_wait", NUM(db_sync_wait, 0, 15)},
    {"fcgi_socket", STR(fcgi_socket)},
    {"fcgi_listen", STR(fcgi_listen)},
    {"fcgi_allow", STR(fcgi_allow)},
    {"fcgi_socket_group", STR(fcgi_socket_group)},
    {"fcgi_socket_mode", KEY_MODE, offsetof(struct lm_config, fcgi_socket_mode), 0, 0770},
    {"pid_file", STR(pid_file)},
    {"workers", NUM(workers, 0, 256)},
    {"backlog", NUM(backlog, 1, 65535)},
    {"jwt_secret_file", STR(jwt_secret_file)},
    {"jwt_secret", STR(jwt_secret)},
    {"access_ttl", NUM(access_ttl, 30, 86400)},
    {"refresh_ttl", NUM(refresh_ttl, 60, 31536000)},
    {"cookie_secure", KEY_BOOL, offsetof(struct lm_config, cookie_secure), 0, 1},
    {"max_body", KEY_LONG, offsetof(struct lm_config, max_body), 1024, 104857600},
    {"worker_interval", NUM(worker_interval, 1, 3600)},
    {"worker_lease", NUM(worker_lease, 2, 86400)},
    {"sql_dir", STR(sql_dir)},
    {"login_lock_after", NUM(login_lock_after, 1, 1000)},
    {"audit_flush_ms", NUM(audit_flush_ms, 10, 3600000)},
};

void lm_config_defaults(struct lm_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->db_user, sizeof cfg->db_user, "root");
    snprintf(cfg->db_name, sizeof cfg->db_name, "leadmap");
    snprintf(cfg->db_socket, sizeof cfg->db_socket, "var/run/mysqld.sock");
    snprintf(cfg->fcgi_socket, sizeof cfg->fcgi_socket, "var/run/fcgi.sock");
    snprintf(cfg->jwt_secret_file, sizeof cfg->jwt_secret_file, "var/jwt.secret");
    snprintf(cfg->sql_dir, sizeof cfg->sql_dir, "sql");
    cfg->fcgi_socket_mode = 0660;
    cfg->db_timeout = 10;
    cfg->backlog = 256;
    cfg->access_ttl = 900;
    cfg->refresh_ttl = 30 * 86400;
    cfg->max_body = 1048576;
    cfg->worker_interval = 5;
    cfg->worker_lease = 10;
    cfg->login_lock_after = 5;
    cfg->audit_flush_ms = 1000;
}

int lm_config_listen_tcp(const char *listen)
{
    /* a path may hold ':' only after a '/', as in ./a:b; host:port has none */
    return listen[0] && listen[0] != '/' && listen[0] != '.' && strchr(listen, ':') &&
           !strchr(listen, '/');
}

int lm_config_listen_port(const char *listen)
{
    const char *colon = strrchr(listen, ':');
    char *end = NULL;
    long v;

    if (!colon || !colon[1])
        return -1;
    errno = 0;
    v = strtol(colon + 1, &end, 10);
    if (errno || *end || v < 1 || v > 65535)
        return -1;
    return (int)v;
}

const char *lm_config_fcgi_address(const struct lm_config *cfg)
{
    return cfg->fcgi_listen[0] ? cfg->fcgi_listen : cfg->fcgi_socket;
}

static int parse_long(const char *s, int base, long lo, long hi, long *out)
{
    char *end = NULL;
    long v;

    errno = 0;
    v = strtol(s, &end, base);
    if (errno || end == s || *end != '\0' || v < lo || v > hi)
        return LM_ERR_PARAM;
    *out = v;
    return LM_OK;
}

int lm_config_set(struct lm_config *cfg, const char *key, const char *value, char *err,
                  size_t errlen)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const struct key_def *k = &keys[i];
        char *field = (char *)cfg + k->offset;
        long v = 0;

        if (strcmp(k->name, key) != 0)
            continue;
        switch (k->type) {
        case KEY_STR:
            if (strlen(value) >= LM_CFG_STR) {
                snprintf(err, errlen, "%s: value too long", key);
                return LM_ERR_PARAM;
            }
            if (!strcmp(key, "fcgi_listen") && lm_config_listen_tcp(value) &&
                lm_config_listen_port(value) <= 0) {
                snprintf(err, errlen, "%s: expected host:port (port 1 to 65535) or a socket "
                                      "path", key);
                return LM_ERR_PARAM;
            }
            snprintf(field, LM_CFG_STR, "%s", value);
            return LM_OK;
        case KEY_BOOL:
            if (!strcmp(value, "1") || !strcmp(value, "true") || !strcmp(value, "yes"))
                v = 1;
            else if (!strcmp(value, "0") || !strcmp(value, "false") || !strcmp(value, "no") ||
                     !*value)
                v = 0;
            else {
                snprintf(err, errlen, "%s: expected true or false", key);
                return LM_ERR_PARAM;
            }
            *(int *)field = (int)v;
            return LM_OK;
        case KEY_MODE:
            /* octal permission bits for owner and group only: a socket
             * that others may write to is what this key exists to avoid */
            if (!*value)
                return LM_OK;
            if (parse_long(value, 8, k->min, k->max, &v) || (v & 07)) {
                snprintf(err, errlen, "%s: expected octal permission bits such as 0660, "
                                      "with nothing for others", key);
                return LM_ERR_PARAM;
            }
            *(int *)field = (int)v;
            return LM_OK;
        case KEY_INT:
        case KEY_LONG:
            if (!*value)
                return LM_OK; /* empty keeps the default */
            if (parse_long(value, 10, k->min, k->max, &v)) {
                snprintf(err, errlen, "%s: expected a whole number from %ld to %ld", key,
                         k->min, k->max);
                return LM_ERR_PARAM;
            }
            if (k->type == KEY_INT)
                *(int *)field = (int)v;
            else
                *(long *)field = v;
            return LM_OK;
        }
    }
    snprintf(err, errlen, "unknown setting '%s'", key);
    return LM_ERR_PARAM;
}

static char *trim(char *s)
{
    char *e;

    while (isspace((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static int load_file(struct lm_config *cfg, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    int lineno = 0;
    int rc = LM_OK;

    if (!f) {
        snprintf(err, errlen, "cannot open config %s", path);
        return LM_ERR_PARAM;
    }
    while (fgets(line, sizeof line, f)) {
        char *eq, *key, *value, *p;
        char sub[512];

        lineno++;
        p = trim(line);
        if (!*p || *p == '#')
            continue;
        eq = strchr(p, '=');
        if (!eq) {
            snprintf(err, errlen, "%s:%d: expected key = value", path, lineno);
            rc = LM_ERR_PARAM;
            break;
        }
        *eq = '\0';
        key = trim(p);
        value = trim(eq + 1);
        if (lm_config_set(cfg, key, value, sub, sizeof sub)) {
            snprintf(err, errlen, "%s:%d: %s", path, lineno, sub);
            rc = LM_ERR_PARAM;
            break;
        }
    }
    fclose(f);
    return rc;
}

int lm_config_load(struct lm_config *cfg, const char *path, char *err, size_t errlen)
{
    const char *env_path = getenv("LEADMAP_CONFIG");
    int rc;

    lm_config_defaults(cfg);
    if (!path)
        path = env_path;
    if (path && *path) {
        rc = load_file(cfg, path, err, errlen);
        if (rc)
            return rc;
    } else if (access("var/leadmap.conf", R_OK) == 0) {
        rc = load_file(cfg, "var/leadmap.conf", err, errlen);
        if (rc)
            return rc;
    }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char name[80];
        const char *v;
        size_t j;

        snprintf(name, sizeof name, "LEADMAP_%s", keys[i].name);
        for (j = 8; name[j]; j++)
            name[j] = (char)toupper((unsigned char)name[j]);
        v = getenv(name);
        if (v && lm_config_set(cfg, keys[i].name, v, err, errlen))
            return LM_ERR_PARAM;
    }
    return LM_OK;
}

int lm_config_jwt_secret(const struct lm_config *cfg, char *out, size_t outlen, size_t *len)
{
    FILE *f;
    size_t n;

    if (cfg->jwt_secret[0]) {
        n = strlen(cfg->jwt_secret);
        if (n >= outlen || n < 32)
            return LM_ERR_PARAM;
        memcpy(out, cfg->jwt_secret, n + 1);
        *len = n;
        return LM_OK;
    }
    f = fopen(cfg->jwt_secret_file, "r");
    if (!f)
        return LM_ERR_PARAM;
    n = fread(out, 1, outlen - 1, f);
    fclose(f);
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r' || out[n - 1] == ' '))
        n--;
    out[n] = '\0';
    if (n < 32)
        return LM_ERR_PARAM; /* too short to be a real secret */
    *len = n;
    return LM_OK;
}
