#!/usr/bin/env bash
# Runs every tests/integration/test_*.sh (or those whose names contain one of the arguments), each
# in its own bash process (at most SN_TEST_TIMEOUT seconds each, default 300), and prints a closing
# "N passed, N failed" line. Exit 1 if any failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" != 0 ]; then
    echo "integration tests need root: they mount images, make namespaces and a test user" >&2
    exit 2
fi
passed=0
failed=0
failures=()
for t in "$here"/test_*.sh; do
    name=$(basename "$t" .sh)
    if [ $# -gt 0 ]; then
        match=0
        for f in "$@"; do case "$name" in *"$f"*) match=1 ;; esac; done
        [ $match = 1 ] || continue
    fi
    start=$(date +%s)
    log=$(mktemp)
    # A hang is a failure, not a stuck CI: each test gets at most SN_TEST_TIMEOUT seconds.
    if timeout --kill-after=10 "${SN_TEST_TIMEOUT:-300}" bash "$t" >"$log" 2>&1 </dev/null; then
        passed=$((passed + 1))
        printf 'PASS %s (%ss)\n' "$name" $(($(date +%s) - start))
    else
        failed=$((failed + 1))
        failures+=("$name")
        printf 'FAIL %s (%ss)\n' "$name" $(($(date +%s) - start))
        sed 's/^/    | /' "$log" | tail -n 60
    fi
    rm -f "$log"
done
[ ${#failures[@]} -eq 0 ] || printf 'failed: %s\n' "${failures[*]}"
printf 'integration: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
