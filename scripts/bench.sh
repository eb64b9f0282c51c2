#!/usr/bin/env bash
# Measures the stack with wrk on loopback against the targets of the lead-core
# redesign (docs/performance.md, "The lead core bench"): a real stack
# (scripts/stack.sh) in a temporary VAR on a free port, BENCH_LEADS generated
# leads (`leadmap bench-data`, default 1,000,000), signed in as a typical
# agent (bench-agent-001@example.com, about 1/200 of the leads).
#
# Scenarios (wrk -t1 -cBENCH_CONNECTIONS -dBENCH_SECONDS each):
#   static        nginx serving a file from webapp/dist        (baseline 1)
#   version       GET /api/v1/version, no DB, no auth          (baseline 2)
#   me            GET /api/v1/me
#   lead          GET /api/v1/leads/{id}, random among up to 4,000 of the
#                 agent's own leads (scripts/bench/random-ids.lua)
#   search_name   GET /api/v1/leads?q=Smi&limit=20
#   search_phone  GET /api/v1/leads?phone=<digits of a lead's phone>&limit=20
#   search_email  GET /api/v1/leads?email=<a lead's e-mail>&limit=20
#   calllog       GET /api/v1/call-log?tab=to_be_scheduled&limit=50
#   tasks         GET /api/v1/tasks?limit=50 (My Current Tasks; the agent
#                 holds 250 open tasks on its own leads)
#   patch         PATCH /api/v1/leads/{id} with If-Match, 32 loops on 32
#                 leads (scripts/bench/patch.mjs, node)
# Every scenario runs BENCH_ROUNDS times (default 3), alternating: round 1
# runs all of them, then round 2, then round 3; the table shows medians, the
# ratios to static and version of the same run, statements per request (the
# X-Db-Statements header, one curl per scenario; "-" when absent) and the
# issue's target beside each figure. Then the call-log aging pass
# (`leadmap worker --once --now T`, T = the data's generation time + 6 h,
# about 10% of the leads due) and the same pass again (nothing due); then
# the task generation pass: a per-lead recurring rule whose filters (a lead
# type and a source) match the count of open leads closest to BENCH_TASKS
# (50000), one occurrence due, `worker --once` at the same now (the aging
# has nothing left to move), and the same pass again (nothing due); a CSV
# import of BENCH_IMPORT_ROWS rows (scripts/bench/import.mjs: upload, then the
# worker's commit; target under a minute); and last the RSS of each FastCGI
# worker.
#
# Knobs: BENCH_LEADS (1000000; 100000 for a quick run), BENCH_SECONDS (10),
# BENCH_ROUNDS (3), BENCH_CONNECTIONS (32), BENCH_AGING_HOURS (6),
# BENCH_IMPORT_ROWS (100000),
# BENCH_KEEP=1 (keep the temporary VAR with every run's wrk output).
# After each run the script waits until /api/v1/version answers quickly
# again, so that requests a slow route left queued do not slow the next one.
# Exits non-zero when requests failed (non-2xx or socket errors) or a
# scenario got no answer in its run time; missed
# targets are shown, not fatal. Used by `make bench`. CLUSTER=1 runs the
# cluster read bench of scripts/test-cluster.sh instead.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# CLUSTER=1: the three-node Galera set-up of scripts/test-cluster.sh instead,
# its fault run first, then lead reads with the pools spread over two nodes
# beside both pools on one node (docs/performance.md, "Scale-out").
if [ -n "${CLUSTER:-}" ]; then
    BENCH=1 exec "$ROOT/scripts/test-cluster.sh"
fi
SECS=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-32}
ROUNDS=${BENCH_ROUNDS:-3}
LEADS=${BENCH_LEADS:-1000000}
AGING_HOURS=${BENCH_AGING_HOURS:-6}
IMPORT_ROWS=${BENCH_IMPORT_ROWS:-100000}
AGENT=bench-agent-001@example.com
PATCH_LOOPS=32
TASKS=${BENCH_TASKS:-50000}
command -v wrk >/dev/null || { echo "bench: wrk is missing (make deps)" >&2; exit 1; }
command -v node >/dev/null || { echo "bench: node is missing (make deps)" >&2; exit 1; }
[ -x "$ROOT/bin/leadmap" ] || { echo "bench: bin/leadmap is missing (make build)" >&2; exit 1; }
static=/favicon.svg
[ -f "$ROOT/webapp/dist/favicon.svg" ] || static=/index.html
[ -f "$ROOT/webapp/dist$static" ] || { echo "bench: webapp/dist is missing (make webapp)" >&2; exit 1; }
static_size=$(stat -c %s "$ROOT/webapp/dist$static")

VAR=$(mktemp -d "${TMPDIR:-/tmp}/lm-bench-XXXXXX")
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export VAR PORT
cleanup() {
    "$ROOT/scripts/stack.sh" stop >/dev/null 2>&1 || true
    if [ -n "${BENCH_KEEP:-}" ]; then echo "bench: kept $VAR (wrk outputs, logs)"; else rm -rf "$VAR"; fi
}
trap cleanup EXIT

DB_BUFFER_POOL=${DB_BUFFER_POOL:-2G} DETACH=1 "$ROOT/scripts/stack.sh" start >"$VAR/start.out" 2>&1 || { cat "$VAR/start.out" >&2; exit 1; }
BASE="http://127.0.0.1:$PORT"
workers=$(sed -n 's/^workers = //p' "$VAR/leadmap.conf")
sql() { mariadb --defaults-file="$VAR/my.cnf" leadmap -N -B -e "$1"; }
leadmap() { LEADMAP_CONFIG="$VAR/leadmap.conf" "$ROOT/bin/leadmap" "$@"; }

# The stack's worker stops before the data exists: the aging pass below must
# find every lead as generated (and the worker could hold the job's lock).
wpid=$(cat "$VAR/run/worker.pid" 2>/dev/null || true)
if [ -n "$wpid" ]; then
    kill "$wpid" 2>/dev/null || true
    for _ in $(seq 100); do
        [ "$(awk '{print $3}' "/proc/$wpid/stat" 2>/dev/null || echo Z)" = Z ] && break
        sleep 0.1
    done
fi

# The demo's task rules would turn the generated leads' history and dates
# into tasks inside the aging passes; the task pass is measured on its own.
sql "UPDATE task_rules SET active = 0"

generated_at=$(date -u +%s)
echo "bench: generating $LEADS leads"
leadmap bench-data "$LEADS" | tail -1

# An access token of the agent (they last access_ttl: the import signs in again).
sign_in() {
    curl -sf -X POST -H 'Content-Type: application/json' \
        -d "{\"email\":\"$AGENT\",\"password\":\"demo1234\"}" "$BASE/api/v1/auth/login" |
        node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).access_token||""))'
}
token=$(sign_in)
[ -n "$token" ] || { echo "bench: login as $AGENT failed" >&2; exit 1; }
export BENCH_TOKEN=$token

# What the agent's requests ask for: its own leads (GET and PATCH), a phone and
# an e-mail of one of them.
agent_id=$(sql "SELECT id FROM users WHERE email = '$AGENT'")
sql "SELECT id FROM leads WHERE owner_id = $agent_id ORDER BY RAND(1) LIMIT 4000" >"$VAR/lead-ids.txt"
patch_ids=$(sql "SELECT id FROM leads WHERE owner_id = $agent_id AND archived_at IS NULL
    AND state IN ('new', 'in_progress') AND call_state NOT IN ('abandoned', 'available', 'archived')
    ORDER BY RAND(2) LIMIT $PATCH_LOOPS" | paste -sd, -)
phone=$(sql "SELECT p.digits FROM lead_phones p JOIN leads l ON l.id = p.lead_id
    WHERE l.owner_id = $agent_id ORDER BY l.id DESC LIMIT 1")
email=$(sql "SELECT e.email FROM lead_emails e JOIN leads l ON l.id = e.lead_id
    WHERE l.owner_id = $agent_id ORDER BY l.id DESC LIMIT 1")
export BENCH_IDS="$VAR/lead-ids.txt"
# My Current Tasks of the agent: 250 open tasks on its own leads.
sql "INSERT INTO task_definitions (name, contact_message) VALUES ('Bench call', 'Call the lead.');
    INSERT INTO tasks (definition_id, lead_id, assignee_id, due_at)
    SELECT (SELECT id FROM task_definitions WHERE name = 'Bench call'), id, owner_id,
      created_at + INTERVAL 3 DAY FROM leads WHERE owner_id = $agent_id ORDER BY id LIMIT 250"
echo "bench: $(wc -l <"$VAR/lead-ids.txt") lead ids of $AGENT (user $agent_id), phone $phone, e-mail $email"

# Legend: name | method and path (as printed) | path requested | wrk script |
# target ratio to version (- none) | target p99 ms (- none).
SCENARIOS=(
    "static|GET $static ($static_size B)|$static|-|-|-"
    "version|GET /api/v1/version|/api/v1/version|-|-|-"
    "me|GET /api/v1/me|/api/v1/me|auth|0.60|-"
    "lead|GET /api/v1/leads/{id} (random)|/api/v1/leads/|ids|0.45|10"
    "search_name|GET /api/v1/leads?q=Smi&limit=20|/api/v1/leads?q=Smi&limit=20|auth|0.25|20"
    "search_phone|GET /api/v1/leads?phone=…&limit=20|/api/v1/leads?phone=$phone&limit=20|auth|0.25|20"
    "search_email|GET /api/v1/leads?email=…&limit=20|/api/v1/leads?email=$(node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$email")&limit=20|auth|0.25|20"
    "calllog|GET /api/v1/call-log?tab=to_be_scheduled&limit=50|/api/v1/call-log?tab=to_be_scheduled&limit=50|auth|0.20|20"
    "tasks|GET /api/v1/tasks?limit=50|/api/v1/tasks?limit=50|auth|0.25|20"
    "patch|PATCH /api/v1/leads/{id} (If-Match)|/api/v1/leads/|patch|-|25"
)
sc() { awk -F'|' -v i="$2" '{print $i}' <<<"$1"; }

declare -A RPS P99 ERRS STMTS

# ms VALUE : wrk's latency ("812.00us", "3.21ms", "1.02s") in milliseconds.
ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
    else if (v ~ /ms$/) sub(/ms$/, "", v); else if (v ~ /m$/) { sub(/m$/, "", v); v *= 60000 }
    else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; printf "%.2f", v }'; }

# run_one LINE ROUND : one measured run; appends to RPS/P99/ERRS[name].
run_one() {
    local line=$1 round=$2 name path script out args=() rps p99 errs
    name=$(sc "$line" 1); path=$(sc "$line" 3); script=$(sc "$line" 4)
    if [ "$script" = patch ]; then
        out=$(node "$ROOT/scripts/bench/patch.mjs" "$BASE" "$token" "$SECS" "$patch_ids")
        echo "$out" >"$VAR/run-$name-$round.txt"
        rps=$(node -e 'const r=JSON.parse(process.argv[1]);process.stdout.write(String(r.rps))' "$out")
        p99=$(node -e 'const r=JSON.parse(process.argv[1]);process.stdout.write(r.p99_ms.toFixed(2))' "$out")
        errs=$(node -e 'const r=JSON.parse(process.argv[1]);process.stdout.write(String(r.errors))' "$out")
    else
        case $script in
            auth) args=(-s "$ROOT/scripts/bench/auth.lua") ;;
            ids) args=(-s "$ROOT/scripts/bench/random-ids.lua") ;;
        esac
        if [ "$round" = 1 ]; then
            wrk -t1 -c"$CONNS" -d2s --timeout 10s "${args[@]}" "$BASE$path" >/dev/null 2>&1 || true
            drain
        fi
        out=$(wrk -t1 -c"$CONNS" -d"${SECS}s" --timeout 10s --latency "${args[@]}" "$BASE$path" 2>&1 || true)
        echo "$out" >"$VAR/run-$name-$round.txt"
        rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
        p99=$(ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
        errs=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10}
            END {print n + 0}' <<<"$out")
    fi
    drain
    RPS[$name]="${RPS[$name]:-} ${rps:-0}"
    P99[$name]="${P99[$name]:-} ${p99:-0}"
    ERRS[$name]=$(( ${ERRS[$name]:-0} + ${errs:-0} ))
}

# drain : waits (up to a minute) until /api/v1/version answers within 50 ms
# twice in a row, i.e. no worker is still busy with a queued slow request.
drain() {
    local i quick=0 t
    for ((i = 0; i < 600 && quick < 2; i++)); do
        t=$(curl -s -o /dev/null -m 5 -w '%{time_total}' "$BASE/api/v1/version" || echo 9)
        if awk -v t="$t" 'BEGIN { exit !(t < 0.05) }'; then quick=$((quick + 1)); else quick=0; sleep 0.1; fi
    done
}

# median of the numbers given
median() { tr ' ' '\n' <<<"$*" | awk 'NF' | sort -g | awk '{v[NR] = $1} END {
    if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "bench: wrk -t1 -c$CONNS -d${SECS}s, $ROUNDS rounds alternating, on 127.0.0.1:$PORT," \
    "$workers FastCGI workers, $(nproc) cores, $LEADS generated leads"
for ((round = 1; round <= ROUNDS; round++)); do
    printf 'bench: round %d:' "$round"
    for line in "${SCENARIOS[@]}"; do
        printf ' %s' "$(sc "$line" 1)"
        run_one "$line" "$round"
    done
    echo
done
# Statements per request: the X-Db-Statements header of one request each,
# after the rounds, so that no worker is still loading its settings cache
# (the PATCH's comes from patch.mjs).
for line in "${SCENARIOS[@]}"; do
    name=$(sc "$line" 1); path=$(sc "$line" 3); script=$(sc "$line" 4)
    case $script in
        -) STMTS[$name]="-"; [ "$name" = version ] || continue ;;
        patch) continue ;;
        ids) path="$path$(head -n1 "$VAR/lead-ids.txt")" ;;
    esac
    hdr=$(curl -s -o /dev/null -D - -H "Authorization: Bearer $token" "$BASE$path" |
        tr -d '\r' | awk -F': *' 'tolower($1) == "x-db-statements" {print $2}')
    STMTS[$name]=${hdr:--}
done

for line in "${SCENARIOS[@]}"; do
    name=$(sc "$line" 1)
    if [ "$name" = patch ]; then
        s=$(node -e 'const r=JSON.parse(process.argv[1]);process.stdout.write(r.statements==null?"-":String(r.statements))' \
            "$(cat "$VAR/run-patch-1.txt")")
        STMTS[patch]=$s
    fi
done

med_static=$(median ${RPS[static]})
med_version=$(median ${RPS[version]})
printf '\n%-13s %-48s %10s %8s %8s %9s %6s %6s  %s\n' scenario request 'req/s' 'p99 ms' '/static' \
    '/version' stmts errors 'target (issue 7)'
fails=0
for line in "${SCENARIOS[@]}"; do
    name=$(sc "$line" 1); what=$(sc "$line" 2); tr_=$(sc "$line" 5); tp=$(sc "$line" 6)
    r=$(median ${RPS[$name]}); p=$(median ${P99[$name]})
    [ "${ERRS[$name]}" = 0 ] || fails=1
    # requests still waiting when wrk stops are neither answers nor errors
    awk -v r="$r" 'BEGIN { exit !(r > 0) }' || fails=1
    awk -v n="$name" -v w="$what" -v r="$r" -v p="$p" -v s="$med_static" -v v="$med_version" \
        -v st="${STMTS[$name]:--}" -v e="${ERRS[$name]}" -v tr="$tr_" -v tp="$tp" 'BEGIN {
        rv = (v > 0 ? r / v : 0); t = ""; ok = 1
        if (n == "patch") { rs = "-"; rvs = "-" } else { rs = sprintf("%.2fx", (s > 0 ? r / s : 0)); rvs = sprintf("%.2fx", rv) }
        if (tr != "-") { t = t sprintf(">= %.2fx", tr); if (rv < tr) ok = 0 }
        if (tp != "-") { t = t (t == "" ? "" : ", ") sprintf("p99 <= %d ms", tp); if (p > tp) ok = 0 }
        if (r == 0) { ok = 0; if (t == "") t = "no answers" }
        if (t != "") t = t (ok ? "  ok" : "  MISSED")
        printf "%-13s %-48s %10.0f %8.2f %8s %9s %6s %6d  %s\n", n, w, r, p, rs, rvs, st, e, t }'
done
for line in "${SCENARIOS[@]}"; do
    name=$(sc "$line" 1)
    printf '  %-13s req/s %s  p99 %s\n' "$name" "${RPS[$name]# }" "${P99[$name]# }"
done

# The call-log aging pass as of the generation time + AGING_HOURS, then the
# same pass again (nothing is due any more).
later=$(date -u -d "@$((generated_at + AGING_HOURS * 3600))" +%Y-%m-%dT%H:%M:%SZ)
echo
for pass in moving repeat; do
    t0=$(date +%s.%N)
    leadmap worker --once --now "$later" 2>"$VAR/aging-$pass.log" || true
    t1=$(date +%s.%N)
    moved=$(sed -n 's/.*call-log aging moved \([0-9]*\) leads.*/\1/p' "$VAR/aging-$pass.log" | tail -1)
    awk -v p="$pass" -v a="$t0" -v b="$t1" -v m="${moved:-0}" -v n="$LEADS" -v h="$AGING_HOURS" 'BEGIN {
        d = b - a; lim = (p == "moving" ? 5 : 0.1)
        printf "aging  %-6s pass (now + %d h) over %d leads: %8.3f s, %s leads moved   target <= %s s  %s\n",
            p, h, n, d, m, (p == "moving" ? "5" : "0.1"), (d <= lim ? "ok" : "MISSED") }'
done

# Task generation: a per-lead recurring rule (one occurrence, an hour before
# the data's generation time) over the open leads of the lead type and
# source whose count is closest to TASKS; a pass at the aging's now creates them,
# the same pass again creates nothing.
pick=$(sql "SELECT type_id, source_id, COUNT(*) AS n FROM leads
    WHERE archived_at IS NULL AND type_id IS NOT NULL AND source_id IS NOT NULL
    GROUP BY type_id, source_id ORDER BY ABS(COUNT(*) - $TASKS) LIMIT 1")
read -r pick_type pick_source pick_n <<<"$pick"
occurrence=$(date -u -d "@$((generated_at - 3600))" '+%Y-%m-%d %H:%M:00')
sql "INSERT INTO task_recurrences (name, rrule, dtstart, time_zone)
      VALUES ('Bench once', 'FREQ=DAILY;INTERVAL=1;COUNT=1', '$occurrence', 'UTC');
    INSERT INTO task_rules (name, definition_id, trigger_kind, recurrence_id, per_lead,
      filter_type_id, filter_source_id)
    SELECT 'Bench per lead', d.id, 'recurring', r.id, 1, $pick_type, $pick_source
      FROM task_definitions d, task_recurrences r WHERE d.name = 'Bench call' AND r.name = 'Bench once'"
echo
for pass in creating repeat; do
    t0=$(date +%s.%N)
    leadmap worker --once --now "$later" 2>"$VAR/tasks-$pass.log" || true
    t1=$(date +%s.%N)
    made=$(sed -n 's/.*worker: created \([0-9]*\) tasks.*/\1/p' "$VAR/tasks-$pass.log" | tail -1)
    awk -v p="$pass" -v a="$t0" -v b="$t1" -v m="${made:-0}" -v n="$LEADS" -v k="$pick_n" 'BEGIN {
        d = b - a; lim = (p == "creating" ? 5 : 0.1)
        printf "tasks  %-8s pass over %d leads (rule matches %d open leads): %8.3f s, %s tasks created   target <= %s s  %s\n",
            p, n, k, d, m, (p == "creating" ? "5" : "0.1"), (d <= lim ? "ok" : "MISSED") }'
done

# A CSV import of BENCH_IMPORT_ROWS rows (scripts/bench/import.mjs) on top of
# the generated leads: the upload and commit request, then one worker pass
# (the stack's worker is stopped), which runs the import to its end.
echo
token=$(sign_in || true)
queued=$(node "$ROOT/scripts/bench/import.mjs" "$BASE" "$token" queue "$IMPORT_ROWS" 2>"$VAR/import.err" || true)
if [ -n "$queued" ]; then
    t0=$(date +%s.%N)
    leadmap worker --once 2>"$VAR/import-worker.log" || true
    t1=$(date +%s.%N)
    id=$(node -e 'process.stdout.write(String(JSON.parse(process.argv[1]).id))' "$queued")
    state=$(node "$ROOT/scripts/bench/import.mjs" "$BASE" "$token" state "$id" 2>>"$VAR/import.err" || echo '{}')
    node -e 'const q = JSON.parse(process.argv[1]), s = JSON.parse(process.argv[2]);
        const secs = Number(process.argv[4]) - Number(process.argv[3]);
        const ok = s.status === "done" && s.imported_rows === q.rows && secs <= 60;
        console.log(`import ${q.rows} rows (${(q.bytes / 1048576).toFixed(1)} MiB) over ${process.argv[5]} leads: ` +
          `upload ${(q.upload_ms / 1000).toFixed(1)} s, worker commit ${secs.toFixed(1)} s ` +
          `(${s.status}: ${s.imported_rows} imported, ${s.error_rows} errors, ${s.duplicate_rows} duplicates)` +
          `   target commit <= 60 s  ${ok ? "ok" : "MISSED"}`)' "$queued" "$state" "$t0" "$t1" "$LEADS"
else
    echo "bench: the import failed: $(tail -c 300 "$VAR/import.err")" >&2
    fails=$((fails + 1))
fi

# RSS of each FastCGI worker (the serve master's children) after the run.
master=$(cat "$VAR/run/leadmap.pid" 2>/dev/null || true)
echo
if [ -n "$master" ]; then
    ps -o pid=,rss= --ppid "$master" | awk '{ mb = $2 / 1024; if (mb > max) max = mb
        printf "worker pid %-7s RSS %6.1f MB\n", $1, mb }
        END { printf "worker RSS max %.1f MB   target <= 16 MB  %s\n", max, (max <= 16 ? "ok" : "MISSED") }'
fi

[ $fails = 0 ] || echo "bench: some requests failed (non-2xx, socket errors, or a scenario with no answers)" >&2
exit $fails
