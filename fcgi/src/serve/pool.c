/* The FastCGI master.
 *
 * DESIGN: the master opens the unix socket once (mode fcgi_socket_mode,
 * default 0660, group fcgi_socket_group: nginx's workers reach it through
 * the group, no other local user does) — or, when fcgi_listen is host:port,
 * a TCP socket for an nginx on another host (fcgi_allow lists the addresses
 * libfcgi accepts) — then forks N workers that
 * all accept on it; each worker owns its own database connection, opened
 * after the fork. The master only supervises:
 *   - a worker that dies is replaced (with a short pause if workers die
 *     within a second of starting, so a crash loop does not spin); a slot
 *     whose fork failed is retried after 100 ms, the pause doubling up to
 *     5 s while fork keeps failing, so the pool always returns to N;
 *   - SIGTERM/SIGINT: every worker gets SIGTERM; an idle worker's accept
 *     fails with EINTR (FCGI_FAIL_ACCEPT_ON_INTR) and it exits, a busy one
 *     finishes its request first; workers still alive after 10 s get SIGKILL
 *     (that only happens when the signal lands between the worker's check of
 *     its flag and its next accept, and then nothing is in flight);
 *   - SIGHUP: workers are replaced one at a time (start the new one, then
 *     stop the old one), so the socket always has N accepting workers and
 *     no request fails. New workers re-read nothing: the reload renews the
 *     processes (and their connections), the configuration stays.
 * Workers die with the master (PR_SET_PDEATHSIG).
 *
 * Signals reach the master's loop through a self-pipe: the handlers set a
 * flag and write one byte; the loop sleeps only in poll() on the pipe's read
 * end (with a timeout while a slot waits for its retry), reaps every exited
 * child with WNOHANG, then reads the flags. A signal that lands anywhere in
 * the loop leaves a byte in the pipe, so the next poll returns at once;
 * nothing blocks where a signal could be missed (a plain waitpid would sleep
 * until the next child exit). Workers block these signals around fork and
 * close the pipe before unblocking, so the master's handlers never write
 * from a child. */
#include "serve/pool.h"

#include "api/api.h"
#include "core/crypto.h"
#include "core/db.h"
#include "core/log.h"
#include "serve/fcgi_io.h"

#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
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
static int wake_pipe[2] = {-1, -1}; /* the master's self-pipe: handlers write, poll reads */
static pid_t master_pid;

/* One worker place. pid 0: empty, a fork is due at retry_at (monotonic ms). */
struct slot {
    pid_t pid;
    long long started;  /* monotonic ms */
    long long retry_at;
    int backoff_ms;     /* the last pause after a failed fork; 0 after a good one */
};

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int lm_pool_next_backoff(int prev_ms)
{
    if (prev_ms < LM_POOL_BACKOFF_MIN_MS)
        return LM_POOL_BACKOFF_MIN_MS;
    return prev_ms >= LM_POOL_BACKOFF_MAX_MS / 2 ? LM_POOL_BACKOFF_MAX_MS : prev_ms * 2;
}

static void on_master_signal(int sig)
{
    int saved = errno;
    char b = (char)sig;
    ssize_t w;

    if (sig == SIGHUP)
        master_reload = 1;
    else if (sig != SIGCHLD)
        master_stop = 1;
    /* non-blocking: when the pipe is full it already holds a wake-up */
    w = write(wake_pipe[1], &b, 1);
    (void)w;
    errno = saved;
}

/* Empties the self-pipe; the flags say what happened. */
static void drain_wake_pipe(void)
{
    char buf[64];

    while (read(wake_pipe[0], buf, sizeof buf) > 0)
        continue;
}

/* The master's signals, blocked around fork so that a child never runs the
 * master's handler (it would write into the master's pipe). */
static void master_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGHUP);
    sigaddset(set, SIGCHLD);
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

    sigset_t set;

    /* the master's signals are blocked here (see spawn): install the
     * worker's handlers, drop the master's pipe, then let them in */
    close(wake_pipe[0]);
    close(wake_pipe[1]);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != master_pid)
        _exit(0); /* the master died before PDEATHSIG was set */
    set_handler(SIGTERM, on_worker_signal);
    set_handler(SIGINT, on_worker_signal);
    signal(SIGHUP, SIG_IGN);
    signal(SIGCHLD, SIG_DFL);
    signal(SIGPIPE, SIG_IGN);
    master_signals(&set);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
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
    sigset_t set, old;
    pid_t pid;

    master_signals(&set);
    sigprocmask(SIG_BLOCK, &set, &old);
    pid = fork();
    if (pid == 0)
        worker_main(cfg, listen_fd, key, keylen);
    if (pid < 0)
        lm_log_error("serve: fork failed: %s", strerror(errno));
    sigprocmask(SIG_SETMASK, &old, NULL);
    return pid;
}

/* Forks into slot s now; on failure schedules the next try with back-off. */
static void fill_slot(struct slot *s, const struct lm_config *cfg, int fd, const char *key,
                      size_t keylen)
{
    pid_t pid = spawn(cfg, fd, key, keylen);
    long long now = now_ms();

    if (pid > 0) {
        s->pid = pid;
        s->started = now;
        s->backoff_ms = 0;
        return;
    }
    s->pid = 0;
    s->backoff_ms = lm_pool_next_backoff(s->backoff_ms);
    s->retry_at = now + s->backoff_ms;
    lm_log_warn("serve: worker slot stays empty; next fork in %d ms", s->backoff_ms);
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

/* Waits for pid up to `seconds`, then kills it. Only used on a worker that
 * was just sent SIGTERM, so the wait is short. */
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

        fill_slot(&slots[i], cfg, fd, key, keylen);
        if (slots[i].pid == 0) {
            slots[i].pid = old; /* keep the old worker until a fork succeeds */
            continue;
        }
        if (old > 0) {
            kill(old, SIGTERM);
            reap(old, 10);
        }
    }
}

/* The socket's group: only nginx's workers and Leadmap share it, so the
 * socket (mode 0660) is closed to every other local user, who could forge
 * REMOTE_ADDR and bypass nginx's limits by speaking FastCGI directly.
 * "" keeps the process's group. */
static int resolve_group(const char *name, gid_t *gid)
{
    struct group *g;

    *gid = (gid_t)-1;
    if (!name[0])
        return 0;
    errno = 0;
    g = getgrnam(name);
    if (!g) {
        lm_log_error("serve: fcgi_socket_group '%s' does not exist", name);
        return -1;
    }
    *gid = g->gr_gid;
    return 0;
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
    gid_t gid = (gid_t)-1;
    mode_t old_mask;
    int n = worker_count(cfg), fd;
    const char *addr = lm_config_fcgi_address(cfg);
    int tcp = lm_config_listen_tcp(addr);

    if (lm_crypto_init() || lm_config_jwt_secret(cfg, key, sizeof key, &keylen)) {
        lm_log_error("serve: no JWT secret (jwt_secret or a readable jwt_secret_file of at "
                     "least 32 characters)");
        return 1;
    }
    if (tcp) {
        /* libfcgi refuses connections from addresses not in this list */
        if (cfg->fcgi_allow[0])
            setenv("FCGI_WEB_SERVER_ADDRS", cfg->fcgi_allow, 1);
        else
            lm_log_warn("serve: listening on %s with no fcgi_allow: anything that reaches "
                        "the port can speak FastCGI (and set REMOTE_ADDR)", addr);
    }
    if (FCGX_Init()) {
        lm_log_error("serve: FCGX_Init failed");
        return 1;
    }
    if (tcp) {
        fd = FCGX_OpenSocket(addr, cfg->backlog);
        if (fd < 0) {
            lm_log_error("serve: cannot listen on %s", addr);
            return 1;
        }
    } else {
        if (resolve_group(cfg->fcgi_socket_group, &gid))
            return 1;
        unlink(addr);
        /* created owner-only, then opened to the group: never world-writable */
        old_mask = umask(0177);
        fd = FCGX_OpenSocket(addr, cfg->backlog);
        umask(old_mask);
        if (fd < 0) {
            lm_log_error("serve: cannot open socket %s", addr);
            return 1;
        }
        if ((gid != (gid_t)-1 && chown(addr, (uid_t)-1, gid)) ||
            chmod(addr, (mode_t)cfg->fcgi_socket_mode)) {
            lm_log_error("serve: cannot set group or mode of %s: %s", addr, strerror(errno));
            close(fd);
            unlink(addr);
            return 1;
        }
    }
    write_pid_file(cfg->pid_file);
    master_pid = getpid();
    if (pipe2(wake_pipe, O_NONBLOCK | O_CLOEXEC)) {
        lm_log_error("serve: pipe: %s", strerror(errno));
        return 1;
    }
    set_handler(SIGTERM, on_master_signal);
    set_handler(SIGINT, on_master_signal);
    set_handler(SIGHUP, on_master_signal);
    set_handler(SIGCHLD, on_master_signal);
    signal(SIGPIPE, SIG_IGN);

    memset(slots, 0, sizeof slots);
    for (int i = 0; i < n; i++)
        fill_slot(&slots[i], cfg, fd, key, keylen);
    lm_log_info("serve: listening on %s with %d workers", addr, n);

    while (!master_stop) {
        struct pollfd pfd = {.fd = wake_pipe[0], .events = POLLIN};
        long long now, wait_ms = -1;
        int status;
        pid_t pid;

        drain_wake_pipe();
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            for (int i = 0; i < n; i++) {
                if (slots[i].pid != pid)
                    continue;
                if (WIFSIGNALED(status))
                    lm_log_warn("serve: worker %ld killed by signal %d; replacing it",
                                (long)pid, WTERMSIG(status));
                else
                    lm_log_warn("serve: worker %ld exited (%d); replacing it", (long)pid,
                                WEXITSTATUS(status));
                slots[i].pid = 0;
                /* a worker that dies at once waits a little: no crash loop spin */
                slots[i].retry_at = now_ms() - slots[i].started < 1000 ? now_ms() + 200 : 0;
            }
        }
        if (master_stop)
            break;
        if (master_reload) {
            master_reload = 0;
            rolling_restart(slots, n, cfg, fd, key, keylen);
            continue;
        }
        now = now_ms();
        for (int i = 0; i < n; i++) {
            if (slots[i].pid == 0 && slots[i].retry_at <= now)
                fill_slot(&slots[i], cfg, fd, key, keylen);
            if (slots[i].pid == 0 && (wait_ms < 0 || slots[i].retry_at - now < wait_ms))
                wait_ms = slots[i].retry_at > now ? slots[i].retry_at - now : 0;
        }
        /* every signal since drain_wake_pipe() left a byte: poll returns at once */
        if (poll(&pfd, 1, (int)wait_ms) < 0 && errno != EINTR)
            lm_log_warn("serve: poll: %s", strerror(errno));
    }

    lm_log_info("serve: stopping %d workers", n);
    for (int i = 0; i < n; i++)
        if (slots[i].pid > 0)
            kill(slots[i].pid, SIGTERM);
    for (int i = 0; i < n; i++)
        if (slots[i].pid > 0)
            reap(slots[i].pid, 10);
    close(fd);
    close(wake_pipe[0]);
    close(wake_pipe[1]);
    if (!tcp)
        unlink(addr);
    if (cfg->pid_file[0])
        unlink(cfg->pid_file);
    lm_log_info("serve: stopped");
    return 0;
}
