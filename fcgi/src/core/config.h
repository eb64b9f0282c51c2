/* Configuration: a `key = value` file (LEADMAP_CONFIG, default
 * var/leadmap.conf) with LEADMAP_<KEY> environment overrides. Every key is
 * documented in docs/configuration.md. */
#ifndef LM_CORE_CONFIG_H
#define LM_CORE_CONFIG_H

#include <stddef.h>

#define LM_CFG_STR 256

struct lm_config {
    char db_host[LM_CFG_STR];
    int db_port;
    char db_socket[LM_CFG_STR];
    char db_user[LM_CFG_STR];
    char db_password[LM_CFG_STR];
    /* The schema owner, for migrate, demo-data and bench-data only (DDL,
     * multi-statement files); "" = db_user. */
    char db_admin_user[LM_CFG_STR];
    char db_admin_password[LM_CFG_STR];
    char db_name[LM_CFG_STR];
    int db_timeout;            /* seconds for connect/read/write */
    /* Galera: wsrep_sync_wait for every session (1 = reads wait until the
     * node has applied what the cluster committed before them); 0 = not set */
    int db_sync_wait;
    char fcgi_socket[LM_CFG_STR];
    /* Where the pool listens when set: host:port (TCP, for nginx on another
     * host) or a socket path; "" = fcgi_socket. */
    char fcgi_listen[LM_CFG_STR];
    /* TCP only: the addresses allowed to connect, comma-separated (libfcgi's
     * FCGI_WEB_SERVER_ADDRS); "" = any that reach the port. */
    char fcgi_allow[LM_CFG_STR];
    char fcgi_socket_group[LM_CFG_STR]; /* group of the socket; "" = the process's */
    int fcgi_socket_mode;      /* permission bits, default 0660 */
    char pid_file[LM_CFG_STR];
    int workers;               /* 0 = 2 x cores */
    int backlog;
    char jwt_secret_file[LM_CFG_STR];
    char jwt_secret[LM_CFG_STR]; /* or the secret itself */
    int access_ttl;            /* seconds */
    int refresh_ttl;           /* seconds */
    int cookie_secure;
    long max_body;             /* bytes */
    int worker_interval;       /* seconds between worker passes */
    int worker_lease;          /* seconds a job's lease lasts if its holder dies mid-run */
    char sql_dir[LM_CFG_STR];
    int login_lock_after;      /* failed logins before back-off starts */
    int audit_flush_ms;        /* longest a lead view's audit row waits (ms) */
};

/* Fills cfg with defaults, then the file (missing file is fine only when
 * path is NULL and the default does not exist), then the environment.
 * Writes a message into err on failure. */
int lm_config_load(struct lm_config *cfg, const char *path, char *err, size_t errlen);

/* Applies one `key = value` line; used by the loader and by tests. */
int lm_config_set(struct lm_config *cfg, const char *key, const char *value, char *err,
                  size_t errlen);

void lm_config_defaults(struct lm_config *cfg);

/* 1 when a listen address is host:port rather than a socket path. */
int lm_config_listen_tcp(const char *listen);
/* The port of a host:port address, -1 when it has none or a bad one. */
int lm_config_listen_port(const char *listen);
/* The address the pool listens on: fcgi_listen, else fcgi_socket. */
const char *lm_config_fcgi_address(const struct lm_config *cfg);

/* Reads the JWT secret (inline or from its file) into out; 0 on success. */
int lm_config_jwt_secret(const struct lm_config *cfg, char *out, size_t outlen, size_t *len);

#endif
