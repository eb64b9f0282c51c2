#!/usr/bin/env bash
# make test-cluster: Leadmap on a three-node MariaDB Galera cluster with two
# FastCGI pools, two workers and one nginx, all on 127.0.0.1, under a load of
# writes for LOAD_SECONDS (60); one database node and one pool are killed
# (SIGKILL) mid-run and brought back, and so is one worker. Then every node
# is checked: each write that got a 2xx is there exactly once, claims had a
# single winner, history and versions agree, all nodes hold the same rows,
# and the killed node rejoined (IST or SST). Not part of `make test` (it
# takes about two minutes and installs galera-4 when missing).
#
#   node 1  SQL 127.0.0.1:$((BASE+1))  pool A (TCP $((BASE+11)))  worker A
#   node 2  SQL 127.0.0.1:$((BASE+2))  pool B (TCP $((BASE+12)))  worker B
#   node 3  SQL 127.0.0.1:$((BASE+3))  (reads and fail-over only)
#   nginx   127.0.0.1:$((BASE+20)), upstream = pools A and B
# Galera group ports BASE+31..33, IST BASE+41..43, SST (rsync) BASE+51..53.
#
# Each pool's db_host lists its own node first and the others after it, so
# when its node dies it moves on to the next one. The database runs as the
# mysql user (rsync SST refuses root), the rest as the caller (root here).
#
# Environment: BASE (port base, default 24700), LOAD_SECONDS (60), CONC
# (concurrent clients, 6), KEEP=1 (leave the state folder for a look).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE=${BASE:-24700}
LOAD_SECONDS=${LOAD_SECONDS:-60}
CONC=${CONC:-6}
BIN="$ROOT/bin/leadmap"
PATH="$PATH:/usr/sbin:/sbin"
PROVIDER=/usr/lib/galera/libgalera_smm.so

say() { printf 'cluster: %s\n' "$*"; }
die() { printf 'cluster: FAIL: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (the nodes run as the mysql user, started by root)"
[ -x "$BIN" ] || die "$BIN is missing: run 'make build' first"

# --- packages ----------------------------------------------------------------
missing=()
for p in galera-4 rsync mariadb-server mariadb-client nginx; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ -r "$PROVIDER" ] || die "$PROVIDER is missing (package galera-4)"

VAR=$(mktemp -d /tmp/lmc.XXXXXX)
chmod 755 "$VAR"
mkdir -p "$VAR/log" "$VAR/run" "$VAR/nginx/tmp"
LOG="$VAR/log"
export VAR

# --- process helpers (as in scripts/stack.sh) ---------------------------------
alive() {
    local pid=$1 state
    [ -n "$pid" ] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
    [ "$state" != Z ] && [ -n "$state" ]
}
# spawn LOGFILE CMD… : background, own process group (setsid), pid in SPAWNED.
spawn() {
    local logfile=$1; shift
    perl -e 'use POSIX (); POSIX::setsid(); exec { $ARGV[0] } @ARGV or die "exec $ARGV[0]: $!\n"' \
        -- "$@" </dev/null >>"$logfile" 2>&1 &
    SPAWNED=$!
}
# kill_group PID SIGNAL: the process and everything in its group.
kill_group() { kill "-$2" -- "-$1" 2>/dev/null || kill "-$2" "$1" 2>/dev/null || true; }
wait_gone() {
    local i
    for ((i = 0; i < 400; i++)); do alive "$1" || return 0; sleep 0.05; done
    return 1
}

declare -A NODE_PID POOL_PID WORKER_PID
NGINX_PID=""

cleanup() {
    local rc=$?
    set +e
    [ -n "$NGINX_PID" ] && kill_group "$NGINX_PID" TERM
    for k in "${!POOL_PID[@]}"; do kill_group "${POOL_PID[$k]}" TERM; done
    for k in "${!WORKER_PID[@]}"; do kill_group "${WORKER_PID[$k]}" TERM; done
    for k in "${!NODE_PID[@]}"; do kill_group "${NODE_PID[$k]}" TERM; done
    for k in "${!NODE_PID[@]}"; do wait_gone "${NODE_PID[$k]}" || kill_group "${NODE_PID[$k]}" KILL; done
    if [ "$rc" != 0 ]; then
        for f in "$VAR"/n*/node.err "$LOG"/pool-*.log "$LOG"/worker-*.log "$LOG"/nginx-error.log; do
            [ -s "$f" ] || continue
            printf '\n==> %s <==\n' "$f" >&2
            tail -n 15 "$f" >&2
        done
    fi
    if [ -n "${KEEP:-}" ]; then say "state kept in $VAR"; else rm -rf "$VAR"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Galera nodes -------------------------------------------------------------
GCOMM="gcomm://127.0.0.1:$((BASE + 31)),127.0.0.1:$((BASE + 32)),127.0.0.1:$((BASE + 33))"

write_node_cnf() {
    local n=$1 d="$VAR/n$1"
    mkdir -p "$d/data" "$d/tmp"
    cat >"$d/my.cnf" <<EOF
[client]
socket = $d/mysqld.sock
user = root

[mariadbd]
datadir = $d/data
socket = $d/mysqld.sock
pid-file = $d/mysqld.pid
log-error = $d/node.err
tmpdir = $d/tmp
user = mysql
port = $((BASE + n))
bind-address = 127.0.0.1
skip-name-resolve
skip-log-bin
performance_schema = OFF
innodb_buffer_pool_size = 64M
innodb_log_file_size = 48M
innodb_flush_log_at_trx_commit = 2
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci
default-time-zone = '+00:00'
max_connections = 200
binlog_format = ROW
# the schema owner defines triggers without SUPER (Galera counts as binary logging)
log_bin_trust_function_creators = 1
innodb_autoinc_lock_mode = 2
default_storage_engine = InnoDB
wsrep_on = ON
wsrep_provider = $PROVIDER
wsrep_cluster_name = leadmap_test
wsrep_cluster_address = $GCOMM
wsrep_node_name = n$n
wsrep_node_address = 127.0.0.1:$((BASE + 30 + n))
wsrep_provider_options = "base_port=$((BASE + 30 + n));ist.recv_addr=127.0.0.1:$((BASE + 40 + n));gcache.size=128M;evs.keepalive_period=PT0.5S;evs.suspect_timeout=PT2S;evs.inactive_timeout=PT3S;evs.install_timeout=PT3S"
wsrep_sst_method = rsync
wsrep_sst_receive_address = 127.0.0.1:$((BASE + 50 + n))
wsrep_slave_threads = 2
EOF
    chown -R mysql:mysql "$d"
}

sqln() { mariadb --defaults-file="$VAR/n$1/my.cnf" -N -B -e "$2"; }
status_of() { sqln "$1" "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | awk '{print $2}'; }

# start_node N [extra mariadbd args…]: waits until the node is Synced.
start_node() {
    local n=$1 i state; shift
    spawn "$LOG/node$n.out" mariadbd --defaults-file="$VAR/n$n/my.cnf" "$@"
    NODE_PID[$n]=$SPAWNED
    for ((i = 0; i < 1200; i++)); do
        state=$(status_of "$n" wsrep_local_state_comment || true)
        [ "$state" = Synced ] && return 0
        alive "${NODE_PID[$n]}" || break
        sleep 0.1
    done
    die "node $n did not reach Synced (state '${state:-}'; see $VAR/n$n/node.err)"
}

t0=$(date +%s.%N)
for n in 1 2 3; do write_node_cnf "$n"; done
mariadb-install-db --no-defaults --datadir="$VAR/n1/data" --user=mysql \
    --auth-root-authentication-method=socket --skip-test-db >"$LOG/install.log" 2>&1 \
    || { cat "$LOG/install.log" >&2; die "mariadb-install-db failed"; }
chown -R mysql:mysql "$VAR/n1"
start_node 1 --wsrep-new-cluster
start_node 2
start_node 3
[ "$(status_of 1 wsrep_cluster_size)" = 3 ] || die "the cluster has $(status_of 1 wsrep_cluster_size) nodes, not 3"
say "3 Galera nodes synced in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"

# --- accounts, configuration, schema -------------------------------------------
APP_PW=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
OWNER_PW=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
mariadb --defaults-file="$VAR/n1/my.cnf" <<EOF
CREATE DATABASE leadmap CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER leadmap_owner@'127.0.0.1' IDENTIFIED BY '$OWNER_PW';
GRANT ALL PRIVILEGES ON leadmap.* TO leadmap_owner@'127.0.0.1';
CREATE USER leadmap@'127.0.0.1' IDENTIFIED BY '$APP_PW';
GRANT SELECT, INSERT, UPDATE, DELETE ON leadmap.* TO leadmap@'127.0.0.1';
EOF
(umask 077; head -c 48 /dev/urandom | base64 -w0 >"$VAR/jwt.secret")

# write_conf NAME "node order" PORT
write_conf() {
    local name=$1 order=$2 port=$3 hosts="" n
    for n in $order; do hosts="$hosts${hosts:+,}127.0.0.1:$((BASE + n))"; done
    (umask 077; cat >"$VAR/$name.conf" <<EOF
db_host = $hosts
db_user = leadmap
db_password = $APP_PW
db_admin_user = leadmap_owner
db_admin_password = $OWNER_PW
db_name = leadmap
db_timeout = 5
db_sync_wait = 1
fcgi_listen = 127.0.0.1:$port
fcgi_allow = 127.0.0.1
pid_file = $VAR/run/$name.pid
jwt_secret_file = $VAR/jwt.secret
sql_dir = $ROOT/sql
workers = 3
worker_interval = 1
worker_lease = 5
EOF
    )
}
write_conf a "1 2 3" $((BASE + 11))
write_conf b "2 3 1" $((BASE + 12))

LEADMAP_CONFIG="$VAR/a.conf" "$BIN" migrate >"$LOG/migrate.log" 2>&1 \
    || { cat "$LOG/migrate.log" >&2; die "leadmap migrate failed"; }
grep -q "refuses GET_LOCK" "$LOG/migrate.log" && say "migrate ran without GET_LOCK (refused by this server)"
LEADMAP_CONFIG="$VAR/a.conf" "$BIN" demo-data >>"$LOG/migrate.log" 2>&1 \
    || { cat "$LOG/migrate.log" >&2; die "leadmap demo-data failed"; }

# Every table has a primary key (Galera replicates row events by key).
nopk=$(sqln 1 "SELECT GROUP_CONCAT(t.table_name) FROM information_schema.tables t
  WHERE t.table_schema = 'leadmap' AND t.table_type = 'BASE TABLE' AND NOT EXISTS (
  SELECT 1 FROM information_schema.table_constraints c WHERE c.table_schema = t.table_schema
  AND c.table_name = t.table_name AND c.constraint_type = 'PRIMARY KEY')")
[ "$nopk" = NULL ] || die "tables without a primary key: $nopk"

# --- pools, workers, nginx ----------------------------------------------------
# start_pool NAME [VAR=value…]: extra environment overrides the config.
start_pool() {
    local name=$1 i; shift
    : >>"$LOG/pool-$name.log"
    local before; before=$(grep -c "listening on" "$LOG/pool-$name.log" || true)
    spawn "$LOG/pool-$name.log" env LEADMAP_CONFIG="$VAR/$name.conf" "$@" "$BIN" serve
    POOL_PID[$name]=$SPAWNED
    for ((i = 0; i < 100; i++)); do
        [ "$(grep -c "listening on" "$LOG/pool-$name.log" || true)" -gt "$before" ] && return 0
        sleep 0.05
    done
    die "pool $name did not start"
}
start_worker() {
    spawn "$LOG/worker-$1.log" env LEADMAP_CONFIG="$VAR/$1.conf" "$BIN" worker
    WORKER_PID[$1]=$SPAWNED
}
start_pool a
start_pool b
start_worker a
start_worker b

NGPORT=$((BASE + 20))
servers="server 127.0.0.1:$((BASE + 11)) max_fails=1 fail_timeout=3s; server 127.0.0.1:$((BASE + 12)) max_fails=1 fail_timeout=3s;"
sed -e "s|@VAR@|$VAR|g" -e "s|@PORT@|$NGPORT|g" -e "s|@USER@||g" \
    -e "s|@ROOT@|$ROOT/webapp/dist|g" -e "s|@FCGI_SERVERS@|$servers|g" -e "s|@TLS@||g" \
    "$ROOT/nginx/leadmap.conf.in" >"$VAR/nginx/nginx.conf"
spawn "$LOG/nginx.out" nginx -e "$LOG/nginx-error.log" -p "$VAR/nginx/" -c nginx.conf
NGINX_PID=$SPAWNED
for ((i = 0; i < 100; i++)); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$NGPORT/api/v1/health")" = 200 ] && break
    sleep 0.1
done

# --- load with faults -----------------------------------------------------------
export LM_BASE="http://127.0.0.1:$NGPORT" LM_OUT="$VAR/ledger.json" LM_SECONDS="$LOAD_SECONDS" LM_CONC="$CONC"
node "$ROOT/tests/cluster/load.mjs" setup >"$VAR/setup.json" || die "load setup failed"
# The Lead Bank leads the clients will race to claim: aged by passes "as of"
# three and eight days after their follow-up. Each pass runs four times at
# once, two `worker --once` on node 1 and two on node 2 (beside the two
# background workers): the leases keep them apart and the checker finds
# every transition once (the aging tests' idempotency, on the cluster).
for bank_now in $(node -e 'const s=require(process.argv[1]); console.log(s.bank_now.join(" "))' "$VAR/setup.json"); do
    pids=()
    for c in a b a b; do
        LEADMAP_CONFIG="$VAR/$c.conf" "$BIN" worker --once --now "$bank_now" >>"$LOG/worker-once.log" 2>&1 &
        pids+=($!)
    done
    for p in "${pids[@]}"; do
        wait "$p" || die "worker --once --now $bank_now (aging the Lead Bank leads) failed"
    done
done

ms() { date +%s%3N; }
node "$ROOT/tests/cluster/load.mjs" run "$VAR/setup.json" >"$VAR/load.out" 2>"$LOG/load.err" &
LOAD=$!
T0=$(ms)
at() { local target=$(( T0 + $1 * 1000 )) now; now=$(ms); [ "$now" -ge "$target" ] || sleep "$(awk -v d=$((target - now)) 'BEGIN { printf "%.3f", d / 1000 }')"; }
events=()
ev() { events+=("$(awk -v d=$(($(ms) - T0)) -v what="$*" 'BEGIN { printf "%5.1f s  %s", d / 1000, what }')"); }

p=$((LOAD_SECONDS * 15 / 100))          # 9 s of 60
at "$p"
kill -KILL "${NODE_PID[2]}"; ev "SIGKILL database node 2 (pool B's own node)"
wait_gone "${NODE_PID[2]}" || true
at $((p + LOAD_SECONDS * 10 / 100))     # down for 6 s
# rejoin: recover the last committed position, then start from it (IST)
chown -R mysql:mysql "$VAR/n2"
mariadbd --defaults-file="$VAR/n2/my.cnf" --wsrep-recover --log-error="$VAR/n2/recover.err" >/dev/null 2>&1 || true
pos=$(sed -n 's/.*Recovered position: *\([^ ]*\).*/\1/p' "$VAR/n2/recover.err" 2>/dev/null | tail -n1 || true)
ev "restart database node 2 at ${pos:-?}"
start_node 2 ${pos:+--wsrep_start_position=$pos}
ev "database node 2 Synced again"

at $((LOAD_SECONDS * 40 / 100))         # 24 s
kill_group "${POOL_PID[a]}" KILL; ev "SIGKILL pool A (master and its FastCGI workers)"
KILL_WORKER_MS=$(ms)
kill_group "${WORKER_PID[a]}" KILL; ev "SIGKILL worker A"
# Takeover: the first lease taken after worker A died (worker B's: A is gone).
TAKEOVER=NULL
for ((i = 0; i < 150; i++)); do
    got=$(sqln 1 "SELECT COUNT(*) FROM leadmap.job_leases WHERE acquired_at > FROM_UNIXTIME($KILL_WORKER_MS / 1000)" 2>/dev/null || echo 0)
    if [ "${got:-0}" -gt 0 ]; then
        TAKEOVER=$(sqln 1 "SELECT ROUND(MIN(UNIX_TIMESTAMP(acquired_at)) * 1000) - $KILL_WORKER_MS FROM leadmap.job_leases WHERE acquired_at > FROM_UNIXTIME($KILL_WORKER_MS / 1000)")
        break
    fi
    sleep 0.1
done
ev "worker B took a job lease ${TAKEOVER} ms after worker A died"
at $((LOAD_SECONDS * 55 / 100))         # 33 s
start_pool a; ev "pool A started again"

wait "$LOAD" || { cat "$LOG/load.err" >&2; die "the load driver failed"; }
start_worker a
ev "load finished"

# --- checks ---------------------------------------------------------------------
# every node has applied everything before it is read
for n in 1 2 3; do
    for ((i = 0; i < 200; i++)); do
        [ "$(status_of "$n" wsrep_local_recv_queue)" = 0 ] && break
        sleep 0.1
    done
done
size=$(status_of 1 wsrep_cluster_size)
rejoin=SST
grep -q "IST received" "$VAR/n2/node.err" && rejoin=IST
grep -q "Prepared IST receiver" "$VAR/n2/node.err" && grep -q "Receiving IST" "$VAR/n2/node.err" && rejoin=IST

printf '\n'
for e in "${events[@]}"; do say "$e"; done
cat "$VAR/load.out"
say "worker takeover: worker B held a job lease $TAKEOVER ms after worker A was killed"
say "cluster size after the run: $size; node 2 rejoined by $rejoin"
[ "$size" = 3 ] || die "node 2 is not back in the cluster"
[ "$TAKEOVER" != NULL ] && [ "$TAKEOVER" -lt 10000 ] || die "no worker took over within 10 s"

node "$ROOT/tests/cluster/check.mjs" "$VAR/setup.json" "$LM_OUT" \
    "$VAR/n1/my.cnf" "$VAR/n2/my.cnf" "$VAR/n3/my.cnf" || die "the checks failed"
say "PASS"

# --- reads, spread over the nodes or not (BENCH=1; `CLUSTER=1 make bench`) ------
[ -n "${BENCH:-}" ] || exit 0
command -v wrk >/dev/null || die "wrk is missing (make deps)"
agent_id=$(node -e 'const s=require(process.argv[1]); console.log(s.agents[0].id)' "$VAR/setup.json")
export BENCH_TOKEN
BENCH_TOKEN=$(node -e 'const s=require(process.argv[1]); console.log(s.agents[0].token)' "$VAR/setup.json")
export BENCH_IDS="$VAR/ids.txt"
sqln 1 "SELECT id FROM leadmap.leads WHERE owner_id = $agent_id ORDER BY id DESC LIMIT 2000" >"$BENCH_IDS"
restart_pools() {
    local k
    for k in a b; do
        kill_group "${POOL_PID[$k]}" TERM
        wait_gone "${POOL_PID[$k]}" || true
    done
    start_pool a "$@"
    start_pool b "$@"
    sleep 0.5
}
bench_reads() {
    local label=$1 path out rps p99 line=""
    for path in /api/v1/leads/ /api/v1/me; do
        if [ "$path" = /api/v1/leads/ ]; then
            # warm-up: connections, prepared statements, buffer pool
            wrk -t1 -c16 -d2s -s "$ROOT/scripts/bench/random-ids.lua" "http://127.0.0.1:$NGPORT$path" >/dev/null 2>&1 || true
            out=$(wrk -t1 -c16 -d"${BENCH_SECONDS:-10}"s --latency -s "$ROOT/scripts/bench/random-ids.lua" "http://127.0.0.1:$NGPORT$path" 2>&1 || true)
        else
            out=$(wrk -t1 -c16 -d"${BENCH_SECONDS:-10}"s --latency -H "Authorization: Bearer $BENCH_TOKEN" "http://127.0.0.1:$NGPORT$path" 2>&1 || true)
        fi
        rps=$(awk '/Requests\/sec/ {print int($2)}' <<<"$out")
        p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
        grep -q "Non-2xx" <<<"$out" && p99="$p99 (non-2xx: $(awk '/Non-2xx/ {print $NF}' <<<"$out"))"
        line="$line  ${path%/}${path:+ }$rps/s p99 $p99;"
    done
    say "bench $label:$line"
}
say "bench: wrk -t1 -c16 -d${BENCH_SECONDS:-10}s through nginx, two pools of 3 workers, $(wc -l <"$BENCH_IDS") lead ids"
bench_reads "pools on nodes 1 and 2, db_sync_wait=1"
restart_pools LEADMAP_DB_SYNC_WAIT=0
bench_reads "pools on nodes 1 and 2, db_sync_wait=0"
restart_pools LEADMAP_DB_HOST=127.0.0.1:$((BASE + 1)) LEADMAP_DB_SYNC_WAIT=0
bench_reads "both pools on node 1 (one server's reads)"
