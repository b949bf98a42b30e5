#!/usr/bin/env bash
# Release benchmark: (1) delta-update size: bytes Debian's zsync client fetches to update the demo
# fixture's 1.0 bundle to 1.1 (two of three store paths changed), for squashnix's bundle and for
# the same closures laid out by mksquashfs (the peer, nix-appimage's way) behind the same runtime;
# (2) speed of writing FILE.zsync and FILE.sha256 for a large file: squashnix's modules (through
# release-tool) vs zsyncmake and sha256sum. Writes its section of docs/benchmarks.md.
#
# Environment: BENCH_RELEASE_MB (default 512): size of the large file; BENCH_RUNS (default 5).
. "$(dirname "$0")/../integration/lib.sh"
sn_require_root
command -v hyperfine >/dev/null || sn_fail "hyperfine is missing: make deps"
tool=$SN_BUILD/tools/release-tool
[ -x "$tool" ] || sn_fail "$tool is missing: run make $tool"

size_mb=${BENCH_RELEASE_MB:-512}
runs=${BENCH_RUNS:-5}
sn_tmpdir_into t
export SOURCE_DATE_EPOCH=1700000000

# The two versions, by squashnix and by mksquashfs (sn_mksquashfs_appimage: runtime + image).
for v in 1.0 1.1; do
    p=$(sn_fixture_demo "$v")
    "$SN_BUILD/squashnix" -q -o "$t/squashnix-$v.AppImage" "$p" || sn_fail "squashnix failed on $p"
    sn_appdir_from_closure "$t/dir-$v" "$p" bin/demo-hello >/dev/null
    sn_mksquashfs_appimage "$t/dir-$v" "$t/mksquashfs-$v.AppImage" "$SN_BUILD/runtime"
done
mkdir "$t/srv"
for kind in squashnix mksquashfs; do
    cp "$t/$kind-1.1.AppImage" "$t/srv/$kind.AppImage"
    "$tool" zsync "$t/srv/$kind.AppImage" "$kind.AppImage" || sn_fail "release-tool zsync failed"
done
sn_http_serve_into port "$t/srv" "$t/http.log"
delta() { # KIND -> "FETCHED SIZE"
    local kind=$1 out
    out=$(cd "$t" && zsync -i "$kind-1.0.AppImage" -o "$kind-updated.AppImage" \
        "http://127.0.0.1:$port/$kind.AppImage.zsync" 2>&1) || sn_fail "zsync failed for $kind: $out"
    cmp "$t/$kind-updated.AppImage" "$t/srv/$kind.AppImage" || sn_fail "zsync result differs for $kind"
    printf '%s %s\n' "$(sed -n 's/.*used [0-9]* local, fetched \([0-9]*\).*/\1/p' <<<"$out")" \
        "$(stat -c %s "$t/srv/$kind.AppImage")"
}
read -r sq_fetched sq_size <<<"$(delta squashnix)"
read -r mk_fetched mk_size <<<"$(delta mksquashfs)"

sn_log "speed: a $size_mb MB file, $runs runs per tool"
head -c $((size_mb * 1048576)) /dev/urandom >"$t/large.bin"
hyperfine -N --warmup 1 --runs "$runs" --export-json "$t/speed.json" \
    -n "release-tool zsync" "$tool zsync $t/large.bin u" \
    -n "zsyncmake -Z" "zsyncmake -Z -u u -o $t/ref.zsync $t/large.bin" \
    -n "release-tool sha256" "$tool sha256 $t/large.bin" \
    -n "sha256sum" "sha256sum $t/large.bin" >/dev/null
cmp "$t/ref.zsync" "$t/large.bin.zsync" || sn_fail "the large file's .zsync differs from zsyncmake's"
median_s() { python3 -c 'import json,sys
for r in json.load(open(sys.argv[1]))["results"]:
    if r["command"] == sys.argv[2]:
        print("%.2f" % r["median"])' "$t/speed.json" "$1"; }
pct() { awk -v f="$1" -v s="$2" 'BEGIN { printf "%.2f", 100 * f / s }'; }

section=$(mktemp)
{
    echo "## Release files: delta updates and checksums (tests/bench/release.sh)"
    echo
    echo "$(date -u +%Y-%m-%d), $(nproc) cores. Updating the demo fixture's 1.0 bundle to 1.1 (demo-greet and"
    echo "demo-hello changed, demo-glibc not) with Debian's zsync client from a local HTTP server:"
    echo
    echo "| layout | bundle bytes | fetched bytes | fetched % |"
    echo "|---|---|---|---|"
    echo "| squashnix | $sq_size | $sq_fetched | $(pct "$sq_fetched" "$sq_size") |"
    echo "| mksquashfs -comp zstd (peer), same runtime | $mk_size | $mk_fetched | $(pct "$mk_fetched" "$mk_size") |"
    echo
    echo "Writing the release files of a $size_mb MB random file (median of $runs runs, seconds):"
    echo
    echo "| file | squashnix (release-tool) | reference tool |"
    echo "|---|---|---|"
    echo "| FILE.zsync | $(median_s "release-tool zsync") | $(median_s "zsyncmake -Z") (zsyncmake -Z) |"
    echo "| FILE.sha256 | $(median_s "release-tool sha256") | $(median_s "sha256sum") (sha256sum) |"
    echo
} >"$section"
sn_bench_write_section "## Release files: delta updates and checksums" "$section"
rm -f "$section"
