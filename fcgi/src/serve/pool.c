/* The FastCGI master.
 *
 * DESIGN: the master opens the unix socket once, then forks N workers that
 * all accept on it; each worker owns its own database connection, opened
 * after the fork. The master only supervises:
 *   - a worker that dies is replaced (with a short pause if workers die
 *     within a second of starting, so a crash loop does not spin);
 *   - SIGTERM/SIGINT: every worker gets SIGTERM; an idle worker's accept
 *     fails with EINTR (FCGI_FAIL_ACCEPT_ON_INTR) and it exits, a busy one
 *     finishes its request first; workers still alive after 10 s get SIGKILL
 *     (that only happens when the signal lands between the worker's check of
 *     its flag and its next accept, and then nothing is in flight);
 *   - SIGHUP: workers are replaced one at a time (start the new one, then
 *     stop the old one), so the socket always has N accepting workers and
 *     no request fails. New workers re-read nothing: the reload renews the
 *     processes (and their connections), the configuration stays.
 * Workers die with the master (PR_SET_PDEATHSIG). */
#include "serve/pool.h"

#include "api/api.h"
#include "core/crypto.h"
#include "core/db.h"
#include "core/log.h"
#include "serve/fcgi_io.h"

#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS 256

static volatile sig_atomic_t master_stop, master_reload;
static volatile sig_atomic_t worker_stop;

struct slot {
    pid_t pid;
    time_t started;
};

static void on_master_signal(int sig)
{
    if (sig == SIGHUP)
        master_reload = 1;
    else
        master_stop = 1;
}

static void on_worker_signal(int sig)
{
    (void)sig;
    worker_stop = 1; /* an idle worker's accept returns EINTR; a busy one finishes first */
}

static void set_handler(int sig, void (*fn)(int))
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: waitpid and accept return EINTR */
    sigaction(sig, &sa, NULL);
}

static void worker_main(const struct lm_config *cfg, int listen_fd, const char *key,
                        size_t keylen)
{
    struct lm_db db;
    struct lm_serve_ctx ctx;

    prctl(PR_SET_PDEATHSIG, SIGTERM);
    set_handler(SIGTERM, on_worker_signal);
    set_handler(SIGINT, on_worker_signal);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    lm_db_init(&db, cfg);
    lm_db_connect(&db); /* failure is fine: requests retry and answer 503 meanwhile */
    ctx.cfg = cfg;
    ctx.db = &db;
    ctx.jwt_key = key;
    ctx.jwt_keylen = keylen;
    ctx.tables = lm_api_tables;
    lm_fcgi_loop(listen_fd, &ctx, &worker_stop);
    lm_db_close(&db);
    _exit(0);
}

static pid_t spawn(const struct lm_config *cfg, int listen_fd, const char *key, size_t keylen)
{
    pid_t pid = fork();

    if (pid == 0)
        worker_main(cfg, listen_fd, key, keylen);
    if (pid < 0)
        lm_log_error("serve: fork failed: %s", strerror(errno));
    return pid;
}

static int worker_count(const struct lm_config *cfg)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);

    if (cfg->workers > 0)
        return cfg->workers > MAX_WORKERS ? MAX_WORKERS : cfg->workers;
    if (cores < 1)
        cores = 1;
    return (int)(cores * 2 > MAX_WORKERS ? MAX_WORKERS : cores * 2);
}

/* Waits for pid up to `seconds`, then kills it. */
static void reap(pid_t pid, int seconds)
{
    for (int i = 0; i < seconds * 20; i++) {
        pid_t r = waitpid(pid, NULL, WNOHANG);
        if (r == pid || (r < 0 && errno == ECHILD))
            return;
        usleep(50000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

static void rolling_restart(struct slot *slots, int n, const struct lm_config *cfg, int fd,
                            const char *key, size_t keylen)
{
    lm_log_info("serve: SIGHUP, replacing %d workers one at a time", n);
    for (int i = 0; i < n && !master_stop; i++) {
        pid_t old = slots[i].pid;
        pid_t fresh = spawn(cfg, fd, key, keylen);

        if (fresh < 0)
            continue;
        slots[i].pid = fresh;
        slots[i].started = time(NULL);
        if (old > 0) {
            kill(old, SIGTERM);
            reap(old, 10);
        }
    }
}

static void write_pid_file(const char *path)
{
    FILE *f;

    if (!path[0])
        return;
    f = fopen(path, "w");
    if (!f) {
        lm_log_warn("serve: cannot write pid file %s", path);
        return;
    }
    fprintf(f, "%ld\n", (long)getpid());
    fclose(f);
}

int lm_pool_run(const struct lm_config *cfg)
{
    static char key[512];
    struct slot slots[MAX_WORKERS];
    size_t keylen = 0;
    int n = worker_count(cfg), fd;

    if (lm_crypto_init() || lm_config_jwt_secret(cfg, key, sizeof key, &keylen)) {
        lm_log_error("serve: no JWT secret (jwt_secret or a readable jwt_secret_file of at "
                     "least 32 characters)");
        return 1;
    }
    if (FCGX_Init()) {
        lm_log_error("serve: FCGX_Init failed");
        return 1;
    }
    unlink(cfg->fcgi_socket);
    fd = FCGX_OpenSocket(cfg->fcgi_socket, cfg->backlog);
    if (fd < 0) {
        lm_log_error("serve: cannot open socket %s", cfg->fcgi_socket);
        return 1;
    }
    /* nginx workers run as an unprivileged user and must reach the socket */
    chmod(cfg->fcgi_socket, 0666);
    write_pid_file(cfg->pid_file);
    set_handler(SIGTERM, on_master_signal);
    set_handler(SIGINT, on_master_signal);
    set_handler(SIGHUP, on_master_signal);
    signal(SIGPIPE, SIG_IGN);

    memset(slots, 0, sizeof slots);
    for (int i = 0; i < n; i++) {
        slots[i].pid = spawn(cfg, fd, key, keylen);
        slots[i].started = time(NULL);
    }
    lm_log_info("serve: listening on %s with %d workers", cfg->fcgi_socket, n);

    while (!master_stop) {
        int status;
        pid_t pid;

        if (master_reload) {
            master_reload = 0;
            rolling_restart(slots, n, cfg, fd, key, keylen);
            continue;
        }
        pid = waitpid(-1, &status, 0);
        if (pid <= 0)
            continue; /* EINTR: a signal to look at */
        for (int i = 0; i < n; i++) {
            if (slots[i].pid != pid)
                continue;
            if (WIFSIGNALED(status))
                lm_log_warn("serve: worker %ld killed by signal %d; replacing it", (long)pid,
                            WTERMSIG(status));
            else
                lm_log_warn("serve: worker %ld exited (%d); replacing it", (long)pid,
                            WEXITSTATUS(status));
            if (time(NULL) - slots[i].started < 1)
                usleep(200000);
            slots[i].pid = spawn(cfg, fd, key, keylen);
            slots[i].started = time(NULL);
        }
    }

    lm_log_info("serve: stopping %d workers", n);
    for (int i = 0; i < n; i++)
        if (slots[i].pid > 0)
            kill(slots[i].pid, SIGTERM);
    for (int i = 0; i < n; i++)
        if (slots[i].pid > 0)
            reap(slots[i].pid, 10);
    close(fd);
    unlink(cfg->fcgi_socket);
    if (cfg->pid_file[0])
        unlink(cfg->pid_file);
    lm_log_info("serve: stopped");
    return 0;
}
