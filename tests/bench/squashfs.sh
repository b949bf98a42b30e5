#!/usr/bin/env bash
# Benchmark of the squashfs writer (tests/tools/sqw-mkfs) against mksquashfs and against the limit
# (zstd alone compressing the same 128 KiB blocks on both cores), at zstd levels 3, 15 and 19, on
# a >= 1 GB tree copied from /usr (cached in $BENCH_DIR). Prints a table and writes it into the
# squashfs section of docs/benchmarks.md, with the machine it ran on.
#
# Environment: BENCH_DIR (default /var/tmp/squashnix-bench), LEVELS (default "3 15 19"),
# LIMIT_SAMPLE (default 8: the limit is measured on every 8th MiB of the input and scaled, since
# zstd -b at level 19 on all of it alone would take minutes), SQUASHNIX_BUILD (default build/).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${SQUASHNIX_BUILD:-$root/build}
mkfs=$build/tools/sqw-mkfs
bench=${BENCH_DIR:-/var/tmp/squashnix-bench}
levels=${LEVELS:-3 15 19}
sample=${LIMIT_SAMPLE:-8}
input=$bench/usr-tree
doc=$root/docs/benchmarks.md
[ -x "$mkfs" ] || { echo "squashfs bench: $mkfs missing: run make" >&2; exit 1; }
command -v mksquashfs >/dev/null && command -v zstd >/dev/null && [ -x /usr/bin/time ] ||
    { echo "squashfs bench: needs mksquashfs, zstd and /usr/bin/time (make deps)" >&2; exit 1; }

mkdir -p "$bench"
if [ ! -f "$input/.complete" ]; then
    rm -rf "$input"
    mkdir -p "$input"
    cp -a /usr/bin /usr/share "$input/"
    touch "$input/.complete"
fi
total=$(find "$input" -type f ! -name .complete -printf '%s\n' | awk '{ s += $1 } END { print s }')
[ "$total" -ge 1000000000 ] || { echo "squashfs bench: input is only $total bytes" >&2; exit 1; }

# Every regular file concatenated, every SAMPLE-th MiB of it kept: the limit's input.
if [ ! -f "$bench/sample.$sample" ]; then
    find "$input" -type f ! -name .complete -print0 | sort -z | xargs -0 cat |
        python3 -c '
import sys
n, i, out = int(sys.argv[1]), 0, sys.stdout.buffer
while True:
    b = sys.stdin.buffer.read(1 << 20)
    if not b:
        break
    if i % n == 0:
        out.write(b)
    i += 1
' "$sample" >"$bench/sample.$sample.tmp"
    mv "$bench/sample.$sample.tmp" "$bench/sample.$sample"
fi
sample_bytes=$(stat -c %s "$bench/sample.$sample")

# Page cache warm for every run alike.
find "$input" -type f -print0 | xargs -0 cat >/dev/null

out=$bench/out.sqfs
rows=()
# Runs a command under /usr/bin/time -v; sets WALL, CPU, RSS_MB.
measure() {
    local log=$bench/time.log
    /usr/bin/time -v -o "$log" "$@" >/dev/null
    WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
        for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.2f", s }' "$log")
    CPU=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$log")
    RSS_MB=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$log")
}

for level in $levels; do
    # The limit: zstd's own speed on 128 KiB blocks of the sample, scaled to the input, halved.
    speed=$(zstd -b"$level" -B131072 -i1 "$bench/sample.$sample" 2>&1 | tr '\r' '\n' |
        sed -n 's/.*(x *[0-9.]*), *\([0-9.]*\) MB\/s.*/\1/p' | tail -1)
    [ -n "$speed" ] || speed=$(zstd -b"$level" -B131072 -i1 "$bench/sample.$sample" 2>&1 | tr '\r' '\n' |
        grep -o '[0-9.]* MB/s' | head -1 | cut -d' ' -f1)
    limit=$(awk -v t="$total" -v s="$speed" 'BEGIN { printf "%.2f", t / (s * 1e6) / 2 }')

    measure "$mkfs" -c zstd -l "$level" -b 131072 -j 2 "$input" "$out"
    ours=("sqw-mkfs" "$level" "$WALL" "$CPU" "$RSS_MB" "$(stat -c %s "$out")")
    rm -f "$out"
    measure mksquashfs "$input" "$out" -comp zstd -Xcompression-level "$level" -b 128K -all-root \
        -no-xattrs -processors 2 -noappend -quiet
    theirs=("mksquashfs" "$level" "$WALL" "$CPU" "$RSS_MB" "$(stat -c %s "$out")")
    rm -f "$out"
    for r in ours theirs; do
        declare -n row=$r
        rows+=("$(printf '| %s | %s | %s | %s | %s | %s | %.2f |' "${row[0]}" "$level" "${row[2]}" \
            "${row[3]}" "${row[4]}" "${row[5]}" "$(awk -v w="${row[2]}" -v l="$limit" 'BEGIN { print w / l }')")")
        unset -n row
    done
    rows+=("$(printf '| limit (zstd -b%s -B131072, /2) | %s | %s | | | | 1.00 |' "$level" "$level" "$limit")")
    rows+=("$(printf '| ratios sqw/mksquashfs | %s | wall %.2f | | RSS %.3f | size %.4f | |' "$level" \
        "$(awk -v a="${ours[2]}" -v b="${theirs[2]}" 'BEGIN { print a / b }')" \
        "$(awk -v a="${ours[4]}" -v b="${theirs[4]}" 'BEGIN { print a / b }')" \
        "$(awk -v a="${ours[5]}" -v b="${theirs[5]}" 'BEGIN { print a / b }')")")
done

machine="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs online, $(free -g | awk '/Mem:/ { print $2 }') GiB RAM, $(uname -sr), $(mksquashfs -version 2>&1 | head -1), zstd $(zstd -V | grep -o 'v[0-9.]*')"
table=$(
    echo "Input: $(printf "%'d" "$total") bytes in $(find "$input" -type f | wc -l) files (a copy of /usr/bin and /usr/share), page cache warm."
    echo "Machine: $machine. Run: $(date -u '+%Y-%m-%d %H:%M UTC')."
    echo
    echo "| tool | level | wall s | CPU s | peak RSS MB | size bytes | wall / limit |"
    echo "|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
)
printf '%s\n' "$table"

# Replace the squashfs section of docs/benchmarks.md (between its markers), keeping the rest.
begin='<!-- squashfs-bench:begin -->' end='<!-- squashfs-bench:end -->'
touch "$doc"
if ! grep -qF "$begin" "$doc"; then
    printf '\n## The squashfs writer\n\n%s\n%s\n' "$begin" "$end" >>"$doc"
fi
python3 - "$doc" "$begin" "$end" "$table" <<'PY'
import sys
path, begin, end, table = sys.argv[1:5]
text = open(path).read()
a, b = text.index(begin) + len(begin), text.index(end)
open(path, "w").write(text[:a] + "\n" + table + "\n" + text[b:])
PY
