#!/usr/bin/env bash
# Builds every tests/fuzz/fuzz_<name>.c with clang's libFuzzer under ASan+UBSan and runs it for
# FUZZ_SECONDS (default 60) from its committed seed corpus tests/fuzz/corpus/<name>/. New inputs go
# to a scratch directory, not to the committed corpus. A crash leaves its reproducer in
# build-fuzz/crashes/<name>/ and fails the run; turn it into a unit test.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-60}
out=build-fuzz
mkdir -p "$out"
libs=$(pkg-config --libs libarchive jansson libzstd liblzma zlib liblz4)
cflags="-std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -g -O1 -Ibundler -Ibundler/squashfs -Iruntime -Ientry"
cflags+=" -DSQUASHNIX_VERSION=\"fuzz\" -DSQUASHNIX_LIBDIR=\"/nonexistent\""
cflags+=" -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
status=0
for harness in tests/fuzz/fuzz_*.c; do
    name=$(basename "$harness" .c)
    name=${name#fuzz_}
    # shellcheck disable=SC2086
    sources=$(sed -n 's/^ \* sources: //p' "$harness")
    [ -n "$sources" ] || sources="$(ls bundler/*.c bundler/squashfs/*.c | grep -v '/main\.c$')"
    # shellcheck disable=SC2086
    clang $cflags -o "$out/fuzz_$name" "$harness" $sources $libs
    corpus=tests/fuzz/corpus/$name
    scratch=$out/corpus/$name
    crashes=$out/crashes/$name
    mkdir -p "$corpus" "$scratch" "$crashes"
    echo "== fuzz_$name: ${seconds}s"
    if ! "$out/fuzz_$name" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
        -artifact_prefix="$crashes/" -print_final_stats=1 "$scratch" "$corpus" 2>"$out/$name.log"; then
        status=1
        echo "fuzz_$name: FAILED, reproducer in $crashes/" >&2
    fi
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|cov: ' "$out/$name.log" | tail -n 3
done
exit $status
