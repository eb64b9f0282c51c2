#!/usr/bin/env bash
# Runs each cmocka test binary given as an argument with TAP output
# (CMOCKA_MESSAGE_OUTPUT=TAP: one `ok …` / `not ok …` line per test on stdout)
# and exits non-zero if any binary failed, crashed, or is missing.
# Called by `make unit` and `make check-asan`.
set -uo pipefail

export CMOCKA_MESSAGE_OUTPUT=TAP
failed=0
for bin in "$@"; do
    echo "# $bin"
    if [ ! -x "$bin" ]; then
        echo "not ok - $bin is missing or not executable"
        failed=1
        continue
    fi
    "$bin"
    rc=$?
    if [ $rc -ne 0 ]; then
        # cmocka's exit status is the number of failed tests; > 128 is a signal.
        if [ $rc -gt 128 ]; then
            echo "not ok - $bin crashed (signal $((rc - 128)))"
        else
            echo "# $bin: $rc failed"
        fi
        failed=1
    fi
done
exit $failed
