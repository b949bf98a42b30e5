#!/usr/bin/env bash
# release-tool sha256 (squashnix's sha256 module) writes FILE.sha256 exactly as `sha256sum FILE`
# prints it in FILE's directory, so `sha256sum -c` accepts it: for a real bundle, an empty file, a
# 3 MiB random file (several 1 MiB reads) and a name with spaces. A missing file is an error
# (exit 1) that names it and leaves no .sha256 behind.
. "$(dirname "$0")/lib.sh"
sn_require_root

tool=$SN_BUILD/tools/release-tool
[ -x "$tool" ] || sn_fail "$tool is missing: run make $tool"
sn_tmpdir_into tmp
cd "$tmp"
"$SN_BUILD/squashnix" -q -o demo-1.0-x86_64.AppImage "$(sn_fixture_demo)" || sn_fail "squashnix failed"
: >empty
head -c $((3 * 1048576 + 17)) /dev/urandom >random.bin
printf 'spaced out\n' >"with spaces.txt"
for f in demo-1.0-x86_64.AppImage empty random.bin "with spaces.txt"; do
    "$tool" sha256 "$tmp/$f" || sn_fail "release-tool sha256 $f failed"
    sn_assert_eq "$(sha256sum "$f")" "$(cat "$f.sha256")" "$f.sha256"
    sha256sum -c --status "$f.sha256" || sn_fail "sha256sum -c rejects $f.sha256"
done

set +e
"$tool" sha256 "$tmp/missing" 2>err.txt
status=$?
set -e
sn_assert_eq 1 "$status" "exit status for a missing file"
sn_assert_contains "$(cat err.txt)" "cannot open $tmp/missing" "message for a missing file"
[ ! -e missing.sha256 ] || sn_fail "a .sha256 was left for a missing file"
[ -z "$(ls -A | grep '^\.')" ] || sn_fail "temporary files left behind: $(ls -A | grep '^\.')"
echo "PASS test_release_sha256"
