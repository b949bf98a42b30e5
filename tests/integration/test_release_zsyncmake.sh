#!/usr/bin/env bash
# release-tool zsync (squashnix's zsync module, on files and block sizes squashnix --zsync does
# not reach) writes the same .zsync bytes as Debian's zsyncmake
# (-Z: neither looks inside gzip data) for the same file, block size and URL: empty, one byte,
# exactly one block, one block plus one, random, text, the runtime ELF, a real bundle and a
# 100000000-byte file (where the default block size becomes 4096), at the default block size and
# at 512 to 65536. Bad input fails with a message naming it, exit status 1, and leaves no file.
. "$(dirname "$0")/lib.sh"
sn_require_root

tool=$SN_BUILD/tools/release-tool
[ -x "$tool" ] || sn_fail "$tool is missing: run make $tool"
sn_tmpdir_into tmp
cd "$tmp"
: >empty
printf x >one
head -c 2048 /dev/urandom >block
head -c 2049 /dev/urandom >block-plus-one
head -c 777777 /dev/urandom >random
seq 1 200000 >text
cp "$SN_BUILD/runtime" runtime
"$SN_BUILD/squashnix" -q -o bundle.AppImage "$(sn_fixture_demo)" || sn_fail "squashnix failed"

compare() { # FILE [BLOCKSIZE]
    local f=$1 bs=${2:-} url="https://example.org/releases/download/v1/$1"
    rm -f "$f.zsync" ref.zsync
    if [ -n "$bs" ]; then
        zsyncmake -Z -b "$bs" -u "$url" -o ref.zsync "$f" 2>/dev/null || sn_fail "zsyncmake $f -b $bs"
        "$tool" zsync "$f" "$url" "$bs" || sn_fail "release-tool zsync $f $bs"
    else
        zsyncmake -Z -u "$url" -o ref.zsync "$f" 2>/dev/null || sn_fail "zsyncmake $f"
        "$tool" zsync "$f" "$url" || sn_fail "release-tool zsync $f"
    fi
    cmp ref.zsync "$f.zsync" || sn_fail "$f (block size ${bs:-default}): .zsync differs from zsyncmake's"
}
n=0
for f in empty one block block-plus-one random text runtime bundle.AppImage; do
    for bs in "" 512 1024 2048 4096 8192 65536; do
        compare "$f" "$bs"
        n=$((n + 1))
    done
done
truncate -s 100000000 large
compare large
sn_assert_eq "Blocksize: 4096" "$(grep -a -m1 '^Blocksize:' large.zsync)" "default block size of a 100000000-byte file"
rm -f large large.zsync
echo "$((n + 1)) .zsync files identical to zsyncmake's"

# Errors: message on stderr naming the value, exit status 1, no .zsync and no temporary file left.
mkdir "$tmp/errors"
cd "$tmp/errors"
printf x >one
expect_error() { # WHAT NEEDLE ARGS...
    local what=$1 needle=$2 status
    shift 2
    ls -A >"$tmp/before"
    set +e
    "$tool" zsync "$@" 2>"$tmp/err.txt"
    status=$?
    set -e
    sn_assert_eq 1 "$status" "exit status for $what"
    sn_assert_contains "$(cat "$tmp/err.txt")" "$needle" "message for $what"
    ls -A >"$tmp/after"
    cmp -s "$tmp/before" "$tmp/after" || sn_fail "$what left files behind: $(diff "$tmp/before" "$tmp/after")"
}
expect_error "a block size that is not a power of two" "block size 1000" one u 1000
expect_error "a block size below 512" "block size 256" one u 256
expect_error "a missing file" "cannot open missing" missing u
expect_error "a directory" "not a regular file" . u
expect_error "a URL with a newline" "must be one non-empty line" one "$(printf 'a\nb')"
echo "PASS test_release_zsyncmake"
