#!/usr/bin/env bash
# Runs every benchmark script in tests/bench (each *.sh but this one), in name order. Each prints
# its table and updates its own section of docs/benchmarks.md. Exit 1 if any failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
status=0
for b in "$here"/*.sh; do
    [ "$(basename "$b")" = run.sh ] && continue
    echo "== $(basename "$b")"
    bash "$b" || { echo "FAILED: $(basename "$b")"; status=1; }
done
exit $status
