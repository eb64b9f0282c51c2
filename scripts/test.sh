#!/usr/bin/env bash
# Runs every test suite and ends with one line: `N passed, N failed`.
#
#   unit        make unit         (cmocka, TAP `ok` / `not ok` lines)
#   check-asan  make check-asan   (the same under ASan + UBSan)
#   api         node --test tests/api/   (each file starts its own stack; two files
#                                         at a time, API_JOBS=1 for one)
#   e2e         node --test tests/e2e/   (skipped when it holds no test file)
#
# Each suite's output stays visible and is also kept in
# tests/artifacts/test-<suite>.log. Exit status is non-zero when any test
# failed, or a suite failed without saying which test (build error, crash)
# or counted no test at all. Called by `make test` after the build steps.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
LOGDIR="$ROOT/tests/artifacts"
mkdir -p "$LOGDIR"

total_pass=0
total_fail=0
summary=()

# record SUITE PASS FAIL RC : add to the totals; a suite that exited non-zero
# without a counted failure, or counted nothing, adds one failure.
record() {
    local suite=$1 pass=$2 fail=$3 rc=$4 note=""
    if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
        fail=1; note=" (exit status $rc without a failed test: see the log)"
    fi
    if [ $((pass + fail)) -eq 0 ]; then
        fail=1; note=" (ran no test)"
    fi
    total_pass=$((total_pass + pass))
    total_fail=$((total_fail + fail))
    summary+=("$(printf '%-11s %4d passed, %d failed%s' "$suite" "$pass" "$fail" "$note")")
}

run_cmocka_suite() {
    local suite=$1 target=$2 log="$LOGDIR/test-$1.log" rc pass fail
    echo "=== $suite: make $target"
    make --no-print-directory "$target" </dev/null 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    pass=$(grep -cE '^ok( |$)' "$log")
    fail=$(grep -cE '^not ok( |$)' "$log")
    record "$suite" "$pass" "$fail" "$rc"
}

# run_node_suite SUITE DIR [CONCURRENCY]: test files run CONCURRENCY at a time
# (each starts a stack of its own on its own port and VAR, so they do not meet).
run_node_suite() {
    local suite=$1 dir=$2 jobs=${3:-1} log="$LOGDIR/test-$1.log" rc pass fail cancelled
    echo "=== $suite: node --test --test-concurrency=$jobs $dir"
    node --test --test-reporter=tap --test-concurrency="$jobs" "$dir" </dev/null 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    pass=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log" | tail -n1)
    fail=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log" | tail -n1)
    cancelled=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$log" | tail -n1)
    record "$suite" "${pass:-0}" "$(( ${fail:-0} + ${cancelled:-0} ))" "$rc"
}

has_node_tests() {
    [ -d "$1" ] && [ -n "$(find "$1" -name '*.test.mjs' -o -name '*.test.js' | head -n1)" ]
}

run_cmocka_suite unit unit
run_cmocka_suite check-asan check-asan
# API files wait on the network and the database more than on the CPU: two at
# a time halve the suite's time on two cores (browser files stay one at a time).
run_node_suite api tests/api/ "${API_JOBS:-2}"
if has_node_tests tests/e2e; then
    run_node_suite e2e tests/e2e/
else
    echo "=== e2e: no test files in tests/e2e, skipped"
fi

echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
