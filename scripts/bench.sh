#!/usr/bin/env bash
# Measures the stack with wrk on loopback: a real stack (scripts/stack.sh) in a
# temporary VAR on a free port, then, for each target, a short warm-up and a
# measured run (wrk -t1 -c32, BENCH_SECONDS each, default 10):
#
#   static    nginx serving a file from webapp/dist     (baseline 1: nginx alone)
#   version   GET /api/v1/version, no DB, no auth       (baseline 2: FastCGI round trip)
#   me        GET /api/v1/me with a Bearer token        (JWT check + user lookup)
#   health    GET /api/v1/health                        (DB queries)
#   lead      GET /api/v1/leads/{id}                    (the whole lead record, audited)
#   search    GET /api/v1/leads?q=Smi&limit=20          (search page, name prefix)
#   calllog   GET /api/v1/call-log?tab=to_be_scheduled  (an agent's tab and counts)
#
# The lead routes run on BENCH_LEADS generated leads (default 100000, made
# with `leadmap bench-data`). Last, one call-log aging pass of the worker as
# of now + 6 hours is timed, and the same pass again (which must move nothing).
#
# Prints requests/s, p99 latency and each row's ratio to both baselines, then
# stops the stack. About a minute in all. Used by `make bench`; the numbers
# go to docs/performance.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
command -v wrk >/dev/null || { echo "bench: wrk is missing (make deps)" >&2; exit 1; }
[ -x "$ROOT/bin/leadmap" ] || { echo "bench: bin/leadmap is missing (make build)" >&2; exit 1; }

VAR=$(mktemp -d "${TMPDIR:-/tmp}/lm-bench-XXXXXX")
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export VAR PORT
cleanup() {
    "$ROOT/scripts/stack.sh" stop >/dev/null 2>&1 || true
    rm -rf "$VAR"
}
trap cleanup EXIT

DETACH=1 "$ROOT/scripts/stack.sh" start >"$VAR/start.out" 2>&1 || { cat "$VAR/start.out" >&2; exit 1; }
BASE="http://127.0.0.1:$PORT"
workers=$(sed -n 's/^workers = //p' "$VAR/leadmap.conf")

LEADS=${BENCH_LEADS:-100000}
echo "bench: generating $LEADS leads"
LEADMAP_CONFIG="$VAR/leadmap.conf" "$ROOT/bin/leadmap" bench-data "$LEADS" | tail -1

token=$(curl -sf -X POST -H 'Content-Type: application/json' \
    -d '{"email":"agent@example.com","password":"demo1234"}' "$BASE/api/v1/auth/login" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).access_token))')
[ -n "$token" ] || { echo "bench: login failed" >&2; exit 1; }
printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$token" >"$VAR/auth.lua"

static=/favicon.svg
[ -f "$ROOT/webapp/dist/favicon.svg" ] || static=/index.html
static_size=$(stat -c %s "$ROOT/webapp/dist${static}")

# run NAME PATH [LUA] : sets RPS_<NAME>, P99_<NAME> (ms) and prints nothing.
declare -A RPS P99 ERRS
run() {
    local name=$1 path=$2 lua=${3:-} out args=()
    [ -n "$lua" ] && args=(-s "$lua")
    wrk -t1 -c"$CONNECTIONS" -d2s "${args[@]}" "$BASE$path" >/dev/null 2>&1 || true
    out=$(wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "${args[@]}" "$BASE$path" 2>&1)
    echo "$out" >"$VAR/wrk-$name.txt"
    RPS[$name]=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    P99[$name]=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.2f", v}' <<<"$out")
    ERRS[$name]=$(awk '/Non-2xx/ {n+=$NF} /Socket errors/ {gsub(/,/,""); n+=$4+$6+$8+$10} END {print n+0}' <<<"$out")
}

echo "bench: wrk -t1 -c$CONNECTIONS -d${SECONDS_PER_RUN}s on 127.0.0.1:$PORT, $workers FastCGI workers, $(nproc) cores"
run static "$static"
run version /api/v1/version
run me /api/v1/me "$VAR/auth.lua"
run health /api/v1/health
lead_id=$(mariadb --defaults-file="$VAR/my.cnf" leadmap -N -e \
    "SELECT id FROM leads WHERE owner_id = (SELECT id FROM users WHERE email = 'agent@example.com') ORDER BY id DESC LIMIT 1")
run lead "/api/v1/leads/$lead_id" "$VAR/auth.lua"
run search "/api/v1/leads?q=Smi&limit=20" "$VAR/auth.lua"
run calllog "/api/v1/call-log?tab=to_be_scheduled&limit=50" "$VAR/auth.lua"

printf '\n%-9s %-32s %12s %10s %10s %10s %7s\n' target request 'requests/s' 'p99 ms' '/static' '/version' errors
for n in static version me health lead search calllog; do
    case $n in
        static) what="GET $static (${static_size} B)" ;;
        version) what="GET /api/v1/version" ;;
        me) what="GET /api/v1/me (Bearer)" ;;
        health) what="GET /api/v1/health" ;;
        lead) what="GET /api/v1/leads/{id}" ;;
        search) what="GET /api/v1/leads?q=Smi" ;;
        calllog) what="GET /api/v1/call-log" ;;
    esac
    awk -v n="$n" -v w="$what" -v r="${RPS[$n]:-0}" -v p="${P99[$n]:-0}" -v s="${RPS[static]:-0}" -v v="${RPS[version]:-0}" -v e="${ERRS[$n]}" \
        'BEGIN { printf "%-9s %-32s %12.0f %10.2f %9.2fx %9.2fx %7d\n", n, w, r, p, (s > 0 ? r / s : 0), (v > 0 ? r / v : 0), e }'
done

# The worker's aging pass on the generated leads: six hours later, then again.
# The stack's own worker stops first, so that it cannot hold the job's lock.
wpid=$(cat "$VAR/run/worker.pid" 2>/dev/null || true)
if [ -n "$wpid" ]; then
    kill "$wpid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$wpid" 2>/dev/null || break; sleep 0.1; done
fi
later=$(date -u -d '+6 hours' +%Y-%m-%dT%H:%M:%SZ)
for pass in moving repeat; do
    t0=$(date +%s.%N)
    LEADMAP_CONFIG="$VAR/leadmap.conf" "$ROOT/bin/leadmap" worker --once --now "$later" 2>"$VAR/aging-$pass.log"
    t1=$(date +%s.%N)
    moved=$(sed -n 's/.*call-log aging moved \([0-9]*\) leads.*/\1/p' "$VAR/aging-$pass.log")
    awk -v p="$pass" -v a="$t0" -v b="$t1" -v m="${moved:-0}" -v n="$LEADS" \
        'BEGIN { printf "aging    %-6s pass over %d leads: %.2f s, %d leads moved\n", p, n, b - a, m }'
done

fails=0
for n in static version me health lead search calllog; do [ "${ERRS[$n]}" = 0 ] || fails=1; done
[ $fails = 0 ] || echo "bench: some requests failed (non-2xx or socket errors): see the errors column" >&2
exit $fails
