#!/usr/bin/env bash
# Builds every tests/fuzz/fuzz_<name>.c with clang's libFuzzer under ASan+UBSan and runs it for
# FUZZ_SECONDS (default 60) from its committed seed corpus tests/fuzz/corpus/<name>/. New inputs go
# to a scratch directory, not to the committed corpus. A crash leaves its reproducer in
# build-fuzz/crashes/<name>/ and fails the run; turn it into a unit test.
#
# A harness names the files it links in comment lines of its header (repeatable):
#    * sources: FILE...   (default: the bundler's library code)
#    * libs: FLAGS...     (added to the bundler's libraries)
# Arguments: harness names to run (default: all). Each harness prints its executions, coverage
# (edges, features) and peak RSS, and the totals go to build-fuzz/summary.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-60}
out=build-fuzz
mkdir -p "$out"
libs=$(pkg-config --libs libarchive jansson libzstd liblzma zlib liblz4)
inc=$(pkg-config --cflags squashfuse | sed 's/-I/-isystem /g')
cflags="-std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -g -O1 -Ibundler -Ibundler/squashfs -Iruntime -Ientry $inc"
cflags+=" -DSQUASHNIX_VERSION=\"fuzz\" -DSQUASHNIX_LIBDIR=\"/nonexistent\""
cflags+=" -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
status=0
: >"$out/summary.txt"
for harness in tests/fuzz/fuzz_*.c; do
    name=$(basename "$harness" .c)
    name=${name#fuzz_}
    if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then
        continue
    fi
    sources=$(sed -n 's/^ \* sources: //p' "$harness")
    [ -n "$sources" ] || sources=$(find bundler -name '*.c' ! -name main.c | sort)
    extra_libs=$(sed -n 's/^ \* libs: //p' "$harness")
    # shellcheck disable=SC2086
    clang $cflags -o "$out/fuzz_$name" "$harness" $sources $libs $extra_libs
    corpus=tests/fuzz/corpus/$name
    scratch=$out/corpus/$name
    crashes=$out/crashes/$name
    mkdir -p "$corpus" "$scratch" "$crashes"
    rm -rf "$out/jail-$name"
    echo "== fuzz_$name: ${seconds}s"
    if ! "$out/fuzz_$name" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
        -timeout=30 -artifact_prefix="$crashes/" -print_final_stats=1 "$scratch" "$corpus" \
        2>"$out/$name.log"; then
        status=1
        echo "fuzz_$name: FAILED, reproducer in $crashes/ (log: $out/$name.log)" >&2
        grep -E '^(==[0-9]+==|SUMMARY|fuzz_)' "$out/$name.log" | head -n 5 >&2 || true
    fi
    rm -rf "$out/jail-$name"
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log" | tail -n 1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$out/$name.log" | tail -n 1)
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$out/$name.log" | tail -n 1)
    printf '%-16s %10s execs  %-32s peak RSS %s MB\n' "$name" "${execs:-?}" "${cov:-cov: ?}" \
        "${rss:-?}" | tee -a "$out/summary.txt"
done
exit $status
